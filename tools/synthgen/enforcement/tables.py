"""Arrow tables of the registries and the case table, assembled column-wise at the end of a
partition (plates, certificate numbers and addresses are built from character arrays)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.enforcement.ids import seq_ids
from synthgen.enforcement.log import days
from synthgen.enforcement.registry import Registry, asset_ids, bank_numbers
from zhcodes import load_divisions
from zhcodes.divisions import PROVINCE_SHORT

Ints = npt.NDArray[np.int64]
_ROADS = np.array(
    [
        "人民路",
        "解放路",
        "中山路",
        "建设路",
        "新华路",
        "和平路",
        "光明路",
        "胜利路",
        "文化路",
        "长安路",
        "滨江路",
        "迎宾大道",
        "学府路",
        "工业路",
        "环城北路",
    ]
)
_EVENTS = np.array(["交通违法", "高速通行", "卡口抓拍"])
_PLATE_CHARS = np.array(list("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))


@lru_cache(maxsize=1)
def _names() -> dict[int, str]:
    table = load_divisions().table
    return dict(zip(table["code"].astype(int), table["name"], strict=True))


def _place(codes: Ints, prefecture: bool) -> npt.NDArray[Any]:
    names = _names()
    key = (codes // 100) * 100 if prefecture else codes
    uniq, inv = np.unique(key, return_inverse=True)
    looked = np.array(
        [names.get(int(k), names.get(int(k) // 10_000 * 10_000, "")) for k in uniq], dtype=object
    )
    return looked[inv]


def _plates(rng: np.random.Generator, province: str, n: int) -> pa.Array:
    chars = np.empty((n, 7), dtype="<U1")
    chars[:, 0] = PROVINCE_SHORT[province]
    chars[:, 1] = np.array(list("ABCDEFGH"))[rng.integers(0, 8, n)]
    body = rng.integers(0, 10, (n, 5))
    letter = rng.random((n, 5)) < 0.12
    body = np.where(letter, rng.integers(10, _PLATE_CHARS.size, (n, 5)), body)
    chars[:, 2:] = _PLATE_CHARS[body]
    return pa.array(np.ascontiguousarray(chars).view("<U7").ravel())


def _join(*parts: Any) -> pa.Array:
    arrays = [
        pa.scalar(p)
        if isinstance(p, str)
        else p
        if isinstance(p, (pa.Array, pa.Scalar))
        else pa.array(p, type=pa.string())
        for p in parts
    ]
    return pc.binary_join_element_wise(*arrays, "")


def _num(values: Any) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def registry_tables(
    rng: np.random.Generator,
    reg: Registry,
    prefix: str,
    province: str,
    end: np.datetime64,
    events_mean: float,
) -> dict[str, pa.Table]:
    col = reg.column
    out: dict[str, pa.Table] = {}
    nb = reg.count["bank"]
    bank = col("bank", "bank")
    kind = col("bank", "kind")
    out["bank_accounts"] = pa.table(
        {
            "account_id": asset_ids(prefix, np.full(nb, 1), np.arange(nb)),
            "bank": pa.array(bank, pa.string()),
            "account_number": bank_numbers(rng, bank, kind),
            "account_kind": pa.array(kind, pa.string()),
            "owner_type": pa.array(col("bank", "owner_type"), pa.string()),
            "owner_id": pa.array(col("bank", "owner_id"), pa.string()),
            "balance": pa.array(col("bank", "balance").astype(np.float64)),
            "balance_date": pa.array(col("bank", "balance_date")),
            "opened_date": pa.array(col("bank", "opened_date")),
        }
    )
    nv = reg.count["vehicle"]
    vid = asset_ids(prefix, np.full(nv, 2), np.arange(nv))
    registered = col("vehicle", "registered_date").astype("datetime64[D]")
    out["vehicles"] = pa.table(
        {
            "vehicle_id": vid,
            "plate": _plates(rng, province, nv),
            "owner_type": pa.array(col("vehicle", "owner_type"), pa.string()),
            "owner_id": pa.array(col("vehicle", "owner_id"), pa.string()),
            "registered_date": pa.array(registered),
            "owner_since": pa.array(col("vehicle", "owner_since").astype("datetime64[D]")),
            "status": pa.array(col("vehicle", "status"), pa.string()),
        }
    )
    out["vehicle_events"] = _events(rng, reg, vid, registered, prefix, end, events_mean)
    ne = reg.count["estate"]
    div = col("estate", "division").astype(np.int64)
    reg_date = col("estate", "registered_date").astype("datetime64[D]")
    value = col("estate", "est_value").astype(np.float64)
    year = reg_date.astype("datetime64[Y]").astype(np.int64) + 1970
    county = _place(div, prefecture=False)
    out["real_estate"] = pa.table(
        {
            "property_id": asset_ids(prefix, np.full(ne, 3), np.arange(ne)),
            "certificate_number": _join(
                PROVINCE_SHORT[province],
                "（",
                _num(year),
                "）",
                _place(div, True),
                "不动产权第",
                pc.utf8_lpad(_num(rng.integers(1, 10**7, ne)), 7, "0"),
                "号",
            ),
            "owner_type": pa.array(col("estate", "owner_type"), pa.string()),
            "owner_id": pa.array(col("estate", "owner_id"), pa.string()),
            "address": _join(
                _place(div, True),
                county,
                _ROADS[rng.integers(0, _ROADS.size, ne)],
                _num(rng.integers(1, 400, ne)),
                "号",
                _num(rng.integers(1, 30, ne)),
                "幢",
                _num(rng.integers(1, 30, ne) * 100 + rng.integers(1, 5, ne)),
                "室",
            ),
            "division_code": pa.array(div.astype(str)),
            "area_m2": pa.array(
                np.round(value / (9000 * rng.uniform(0.5, 2.0, ne)), 1) if ne else np.zeros(0)
            ),
            "est_value": pa.array(value),
            "registered_date": pa.array(reg_date),
            "owner_since": pa.array(col("estate", "owner_since").astype("datetime64[D]")),
            "mortgage_holder": pa.array(col("estate", "mortgage_holder"), pa.string()),
            "mortgage_amount": pa.array(col("estate", "mortgage_amount").astype(np.float64)),
            "sole_residence": pa.array(col("estate", "sole_residence").astype(bool)),
        }
    )
    npol = reg.count["policy"]
    out["insurance_policies"] = pa.table(
        {
            "policy_id": asset_ids(prefix, np.full(npol, 4), np.arange(npol)),
            "policy_number": _join("P", pc.utf8_lpad(_num(rng.integers(0, 10**15, npol)), 15, "0")),
            "insurer": pa.array(col("policy", "insurer"), pa.string()),
            "holder_type": pa.array(col("policy", "holder_type"), pa.string()),
            "holder_id": pa.array(col("policy", "holder_id"), pa.string()),
            "insured_person_id": pa.array(col("policy", "insured_person_id"), pa.string()),
            "product_type": pa.array(col("policy", "product_type"), pa.string()),
            "cash_value": pa.array(col("policy", "cash_value").astype(np.float64)),
            "start_date": pa.array(col("policy", "start_date").astype("datetime64[D]")),
        }
    )
    nf = reg.count["fund"]
    out["housing_fund_accounts"] = pa.table(
        {
            "account_id": asset_ids(prefix, np.full(nf, 5), np.arange(nf)),
            "person_id": pa.array(col("fund", "person_id"), pa.string()),
            "balance": pa.array(col("fund", "balance").astype(np.float64)),
            "balance_date": pa.array(col("fund", "balance_date").astype("datetime64[D]")),
        }
    )
    return out


def _events(
    rng: np.random.Generator,
    reg: Registry,
    vid: pa.Array,
    registered: Any,
    prefix: str,
    end: np.datetime64,
    mean: float,
) -> pa.Table:
    """Road events over each vehicle's life; a sealed, unseized vehicle of a compliant 终本 case
    shows none between the seal and 终本, one of a planted ZB-04V case shows at least one."""
    nv = len(vid)
    mode = reg.column("vehicle", "ev_mode").astype(np.int8) if nv else np.zeros(0, np.int8)
    s = (
        reg.column("vehicle", "ev_s").astype("datetime64[D]")
        if nv
        else np.zeros(0, "datetime64[D]")
    )
    t = (
        reg.column("vehicle", "ev_t").astype("datetime64[D]")
        if nv
        else np.zeros(0, "datetime64[D]")
    )
    division = reg.column("vehicle", "division").astype(np.int64) if nv else np.zeros(0, np.int64)
    k = rng.poisson(mean, nv)
    veh = np.repeat(np.arange(nv), k)
    life = np.maximum((end - registered[veh]).astype(np.int64), 1)
    date = registered[veh] + days((rng.random(veh.size) * life).astype(np.int64))
    inside = (mode[veh] >= 1) & (date > s[veh]) & (date <= t[veh])
    veh, date = veh[~inside], date[~inside]
    need = np.flatnonzero(mode == 2)
    extra = np.repeat(need, 1 + rng.poisson(1.0, need.size))
    gap = (t[extra] - s[extra]).astype(np.int64)
    extra_date = s[extra] + days(1 + (rng.random(extra.size) * gap).astype(np.int64))
    veh = np.concatenate([veh, extra])
    date = np.concatenate([date, extra_date])
    order = np.lexsort((date, veh))
    veh, date = veh[order], date[order]
    return pa.table(
        {
            "event_id": seq_ids(f"VE{prefix}", veh.size, 9),
            "vehicle_id": vid.take(pa.array(veh, type=pa.int64())),
            "event_date": pa.array(date.astype("datetime64[D]")),
            "event_type": pa.array(_EVENTS[rng.integers(0, 3, veh.size)]),
            "division_code": pa.array(division[veh].astype(str)),
        }
    )
