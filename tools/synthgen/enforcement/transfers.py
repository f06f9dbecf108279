"""Who owns a vehicle or a property over time. A judicial sale (拍卖成交, 变卖) or 以物抵债 in a
case performed in full moves the asset to the buyer or the applicant, and a respondent with a
relative may have moved property to that relative in the year before the case; each move is a
row of `ownership_transfers`, and the registries show the owner as of the data's end date with
the day they became owner (`owner_since`). So a model that reads the registries never sees a
sold or given-away asset as still the respondent's (docs/enforcement-data.md).

Ownership passes when the sale or 抵债 ruling reaches the buyer or creditor (民诉法解释 on the
transfer of title by 拍卖成交 / 抵债裁定, docs/rules.md); the transfer date is that delivery day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from synthgen.enforcement.actions import ESTATE, VEHICLE, Ctx
from synthgen.enforcement.ids import seq_ids
from synthgen.enforcement.log import days
from synthgen.enforcement.registry import Registry, asset_ids

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NAT = np.datetime64("NaT", "D")
_TABLE = {VEHICLE: "vehicle", ESTATE: "estate"}


@dataclass(frozen=True)
class Owners:
    """Who can become an owner: registry-only persons and firms buy at auction, the applicant
    takes property in 抵债, a relative receives it before the case."""

    buyer_persons: npt.NDArray[Any]
    buyer_companies: npt.NDArray[Any]
    respondent: npt.NDArray[Any]  # per case
    applicant: npt.NDArray[Any]  # per case
    applicant_company: Bools  # per case
    relative: npt.NDArray[Any]  # per case, None where the respondent has none


def _share(c: Ctx, name: str) -> float:
    return float(c.params.data["disposal"][name]["value"])


def _first_per_case(case: Ints, ok: Bools) -> tuple[Ints, Ints]:
    rows = np.flatnonzero(ok & (case >= 0))
    cases, first = np.unique(case[rows], return_index=True)
    return cases, rows[first]


def holdings(c: Ctx, reg: Registry) -> tuple[Ints, Ints]:
    """Per case, the registered asset a sale would take (kind, row; kind 0 where none): real
    estate whose value at 56% of the valuation (the lowest second-auction price) covers the
    mortgage and the claim, else a vehicle."""
    n = c.d.n
    kind = np.zeros(n, dtype=np.int64)
    row = np.full(n, -1, dtype=np.int64)
    if reg.count["vehicle"]:
        v_case = reg.column("vehicle", "case").astype(np.int64)
        cases, rows = _first_per_case(v_case, np.ones(v_case.size, bool))
        kind[cases], row[cases] = VEHICLE, rows
    if reg.count["estate"]:
        e_case = reg.column("estate", "case").astype(np.int64)
        value = reg.column("estate", "est_value").astype(np.float64)
        mortgage = reg.column("estate", "mortgage_amount").astype(np.float64)
        need = np.where(e_case >= 0, c.d.recovered[np.maximum(e_case, 0)], np.inf)
        cases, rows = _first_per_case(e_case, 0.56 * value - mortgage >= need)
        kind[cases], row[cases] = ESTATE, rows
    return kind, row


def plan_in_kind(c: Ctx, kind: Ints) -> Bools:
    """Cases performed in full by 以物抵债 (they get no 案款到账)."""
    d = c.d
    window = (d.closing - c.q).astype("timedelta64[D]").astype(np.float64)
    able = (d.method == "执行完毕") & (d.recovered > 0) & (kind > 0) & (window >= 30)
    return able & (c.rng.random(d.n) < _share(c, "in_kind_share"))


def _at(c: Ctx, cases: Ints, stop: Any, frac: float) -> Any:
    w = (stop - c.q[cases]).astype(np.int64)
    return c.q[cases] + days(1 + np.floor(frac * np.maximum(w - 2, 0)).astype(np.int64))


def _prices(c: Ctx, reg: Registry, cases: Ints, kind: Ints, row: Ints, lo: float, hi: float) -> Any:
    """Sale prices: a share of the valuation for real estate (起拍价 not below 70% of it, lower at
    the second auction), a margin over the claim for vehicles (no valuation in the registry)."""
    price = np.round(c.d.recovered[cases] * c.rng.uniform(1.05, 1.5, cases.size), 2)
    est = kind[cases] == ESTATE
    if est.any():
        value = reg.column("estate", "est_value").astype(np.float64)[row[cases][est]]
        price[est] = np.round(value * c.rng.uniform(lo, hi, int(est.sum())), 2)
    return price


def _prepare(c: Ctx, cases: Ints, kind: Ints, row: Ints, stop: Any) -> None:
    """Seal (and seize a vehicle), value and offer at the first auction."""
    k, r = kind[cases], row[cases]
    c.log.add(cases, "查封", _at(c, cases, stop, 0.02), k, r, note="首封")
    veh = k == VEHICLE
    c.log.add(cases[veh], "扣押", _at(c, cases[veh], stop[veh], 0.06), VEHICLE, r[veh])
    c.log.add(cases, "评估", _at(c, cases, stop, 0.2), k, r)
    c.log.add(cases, "拍卖", _at(c, cases, stop, 0.4), k, r, note="第一次拍卖")


def dispose(c: Ctx, reg: Registry, owners: Owners, in_kind: Bools, arrived: Any) -> None:
    """Judicial sales before the money arrives in cases paid without a deduction, and 以物抵债
    before closing in the cases planned for it; each ends with a change of owner."""
    d, rng = c.d, c.rng
    kind, row = holdings(c, reg)
    window = (arrived - c.q).astype("timedelta64[D]").astype(np.float64)
    sale = (
        (d.method == "执行完毕") & ~np.isnat(arrived) & (kind > 0) & (window >= 30) & ~in_kind
        & (rng.random(d.n) < _share(c, "sale_share"))
    )  # fmt: skip
    s = np.flatnonzero(sale)
    stop = arrived[s]
    _prepare(c, s, kind, row, stop)
    k, r = kind[s], row[s]
    first = rng.random(s.size) < _share(c, "first_auction_success")
    one = _at(c, s, stop, 0.4)
    two = _at(c, s, stop, 0.65)
    c.log.add(s[first], "拍卖成交", one[first], k[first], r[first],
              _prices(c, reg, s[first], kind, row, 0.7, 1.0), note="第一次拍卖成交")  # fmt: skip
    again = ~first
    c.log.add(s[again], "流拍", one[again], k[again], r[again], note="第一次拍卖无人竞买")
    c.log.add(s[again], "拍卖", two[again], k[again], r[again], note="第二次拍卖")
    est2 = again & (k == ESTATE)
    c.log.add(s[est2], "拍卖成交", two[est2], ESTATE, r[est2],
              _prices(c, reg, s[est2], kind, row, 0.56, 0.8), note="第二次拍卖成交")  # fmt: skip
    veh2 = again & (k == VEHICLE)
    sold = _at(c, s[veh2], stop[veh2], 0.85)
    c.log.add(s[veh2], "流拍", two[veh2], VEHICLE, r[veh2], note="第二次拍卖无人竞买")
    c.log.add(s[veh2], "变卖", sold, VEHICLE, r[veh2],
              _prices(c, reg, s[veh2], kind, row, 0.5, 0.7), note="流拍后变卖成交")  # fmt: skip
    when = np.where(first, one, two)
    when[veh2] = sold
    reason = np.where(first | est2, "拍卖成交", "变卖").astype(object)
    buyer, btype = _buyers(c, owners, s)
    _move(c, reg, owners, Move(s, k, r, buyer, btype, when, reason, d.closing[s]))
    _in_kind(c, reg, owners, np.flatnonzero(in_kind), kind, row)


def _buyers(c: Ctx, owners: Owners, cases: Ints) -> tuple[Any, Any]:
    """A registry-only person (three in four) or firm buys; the applicant where neither exists."""
    rng = c.rng
    use_c = (rng.random(cases.size) < 0.25) & (owners.buyer_companies.size > 0)
    use_p = ~use_c & (owners.buyer_persons.size > 0)
    buyer = owners.applicant[cases].copy()
    btype = np.where(owners.applicant_company[cases], "法人", "自然人").astype(object)
    buyer[use_p] = owners.buyer_persons[rng.integers(0, max(owners.buyer_persons.size, 1),
                                                     int(use_p.sum()))]  # fmt: skip
    buyer[use_c] = owners.buyer_companies[rng.integers(0, max(owners.buyer_companies.size, 1),
                                                       int(use_c.sum()))]  # fmt: skip
    btype[use_p], btype[use_c] = "自然人", "法人"
    return buyer, btype


@dataclass(frozen=True)
class Move:
    """Changes of owner by execution: per row the case, asset (kind, row), the new owner, the
    sale or 抵债 day, the reason and the latest day title can pass (the case's closing)."""

    cases: Ints
    kind: Ints
    row: Ints
    to: npt.NDArray[Any]
    to_type: npt.NDArray[Any]
    when: Any
    reason: npt.NDArray[Any]
    latest: Any


def _in_kind(c: Ctx, reg: Registry, owners: Owners, cases: Ints, kind: Ints, row: Ints) -> None:
    stop = c.d.closing[cases]
    _prepare(c, cases, kind, row, stop)
    k, r = kind[cases], row[cases]
    one, two = _at(c, cases, stop, 0.4), _at(c, cases, stop, 0.65)
    c.log.add(cases, "流拍", one, k, r, note="第一次拍卖无人竞买")
    c.log.add(cases, "拍卖", two, k, r, note="第二次拍卖")
    c.log.add(cases, "流拍", two, k, r, note="第二次拍卖无人竞买")
    take = _at(c, cases, stop, 0.85)
    c.log.add(cases, "以物抵债", take, k, r, c.d.recovered[cases],
              note="申请执行人接受以第二次拍卖保留价抵债，差价已补交")  # fmt: skip
    to_type = np.where(owners.applicant_company[cases], "法人", "自然人").astype(object)
    reason = np.full(cases.size, "以物抵债", dtype=object)
    _move(c, reg, owners, Move(cases, k, r, owners.applicant[cases], to_type, take, reason, stop))


def _move(c: Ctx, reg: Registry, owners: Owners, mv: Move) -> None:
    """Title passes when the ruling reaches the new owner, 1–7 days after the sale and no later
    than the case's closing."""
    on = np.minimum(mv.when + days(c.rng.integers(1, 8, mv.cases.size)), mv.latest)
    for code, table in _TABLE.items():
        sel = mv.kind == code
        if not sel.any():
            continue
        reg.set(table, "owner_id", mv.row[sel], mv.to[sel])
        reg.set(table, "owner_type", mv.row[sel], mv.to_type[sel])
        reg.set(table, "owner_since", mv.row[sel], on[sel])
        if code == VEHICLE:
            reg.set(table, "status", mv.row[sel], "正常")
    resp_type = np.where(c.d.resp_company[mv.cases], "法人", "自然人").astype(object)
    reg.add("transfer", mv.cases.size, kind=mv.kind, index=mv.row, from_type=resp_type,
            from_id=owners.respondent[mv.cases], to_type=mv.to_type, to_id=mv.to, date=on,
            reason=mv.reason, case=mv.cases)  # fmt: skip


def to_relatives(c: Ctx, reg: Registry, owners: Owners, home: Ints) -> None:
    """Property a respondent person registered to a relative 30–365 days before filing (赠与 or
    a nominal 买卖): at every query of the case it is the relative's, not the respondent's."""
    d, rng = c.d, c.rng
    has = np.array([r is not None for r in owners.relative], dtype=bool)
    idx = np.flatnonzero(has & (rng.random(d.n) < _share(c, "relative_transfer_share")))
    m = idx.size
    bought = d.filing[idx] - days(rng.integers(800, 4000, m))
    moved = d.filing[idx] - days(rng.integers(30, 366, m))
    car = rng.random(m) < 0.5
    person = np.full(m, "自然人", dtype=object)
    rel = owners.relative[idx]
    v, e = idx[car], idx[~car]
    v_rows = reg.add("vehicle", v.size, owner_type=person[car], owner_id=rel[car],
                     registered_date=bought[car], owner_since=moved[car], case=-1,
                     status="正常", division=home[v], ev_mode=np.zeros(v.size, np.int8),
                     ev_s=np.full(v.size, NAT), ev_t=np.full(v.size, NAT))  # fmt: skip
    value = np.round(400_000 * np.exp(rng.normal(0.0, 0.7, e.size)), 2)
    e_rows = reg.add("estate", e.size, owner_type=person[~car], owner_id=rel[~car],
                     division=home[e], est_value=value, registered_date=bought[~car],
                     owner_since=moved[~car], case=-1, mortgage_amount=np.zeros(e.size),
                     mortgage_holder=np.full(e.size, None, dtype=object),
                     sole_residence=np.zeros(e.size, bool))  # fmt: skip
    kind = np.where(car, VEHICLE, ESTATE)
    row = np.empty(m, dtype=np.int64)
    row[car], row[~car] = v_rows, e_rows
    gift = rng.random(m) < 0.7
    reg.add("transfer", m, kind=kind, index=row, from_type=person,
            from_id=owners.respondent[idx], to_type=person, to_id=rel, date=moved,
            reason=np.where(gift, "赠与", "买卖").astype(object), case=-1)  # fmt: skip


def transfer_table(reg: Registry, prefix: str, case_ids: pa.Array) -> pa.Table:
    """`ownership_transfers`: one row per change of owner, ordered by asset and date."""
    n = reg.count["transfer"]
    col = reg.column
    kind = col("transfer", "kind").astype(np.int64) if n else np.zeros(0, np.int64)
    index = col("transfer", "index").astype(np.int64) if n else np.zeros(0, np.int64)
    case = col("transfer", "case").astype(np.int64) if n else np.zeros(0, np.int64)
    date = col("transfer", "date").astype("datetime64[D]") if n else np.zeros(0, "datetime64[D]")
    order = np.lexsort((date, index, kind))
    kind, index, case, date = kind[order], index[order], case[order], date[order]
    label = np.where(kind == VEHICLE, "车辆", "不动产")
    case_id = case_ids.take(pa.array(np.maximum(case, 0), type=pa.int64()))
    case_id = pa.array(
        np.where(case >= 0, case_id.to_numpy(zero_copy_only=False), None), pa.string()
    )

    def strings(name: str) -> pa.Array:
        values = col("transfer", name)[order] if n else np.zeros(0, object)
        return pa.array(values, pa.string())

    return pa.table(
        {
            "transfer_id": seq_ids(f"OT{prefix}", n, 8),
            "asset_type": pa.array(label, pa.string()),
            "asset_id": asset_ids(prefix, kind, index),
            "from_owner_type": strings("from_type"),
            "from_owner_id": strings("from_id"),
            "to_owner_type": strings("to_type"),
            "to_owner_id": strings("to_id"),
            "transfer_date": pa.array(date),
            "reason": strings("reason"),
            "case_id": case_id,
        }
    )
