"""The court hierarchy (高级 / 中级 / 基层) over GB/T 2260, with caseload weights and the court
codes that case numbers carry (（2023）浙0702执1234号: province abbreviation + the county code's
last four digits; 浙07 for an intermediate court; 浙 for the high court)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synthgen.core.hierarchy import ORDINALS, basic_names, basic_parents
from synthgen.core.seeds import rng_for
from zhcodes.divisions import MUNICIPALITIES, PROVINCE_SHORT, load_divisions

PUBLIC_COLUMNS = ["court_id", "name", "level", "division_code", "province_code", "parent_id"]


def _intermediate_names(prefectures: pd.DataFrame, provinces: dict[str, str]) -> list[str]:
    """A municipality's prefecture-level units become its numbered intermediate courts."""
    names: list[str] = []
    counters: dict[str, int] = {}
    for code, name in zip(prefectures["code"], prefectures["name"], strict=True):
        prov = code[:2]
        if prov in MUNICIPALITIES:
            counters[prov] = counters.get(prov, 0) + 1
            names.append(f"{provinces[prov]}第{ORDINALS[counters[prov] - 1]}中级人民法院")
        else:
            names.append(f"{name}中级人民法院")
    return names


def build_courts(
    params: dict[str, Any], province_weights: dict[str, float], seed: int
) -> pd.DataFrame:
    div = load_divisions()
    names_by_code = dict(zip(div.table["code"], div.table["name"], strict=True))
    prov, pref, cty = div.provinces, div.prefectures, div.counties
    provinces = dict(zip(prov["province_code"], prov["name"], strict=True))
    short = prov["province_code"].map(PROVINCE_SHORT)
    high = pd.DataFrame(
        {
            "court_id": "FY" + prov["code"],
            "name": prov["name"] + "高级人民法院",
            "level": "高级",
            "division_code": prov["code"],
            "province_code": prov["province_code"],
            "parent_id": None,
            "court_code": short,
        }
    )
    middle = pd.DataFrame(
        {
            "court_id": "FY" + pref["code"],
            "name": _intermediate_names(pref, provinces),
            "level": "中级",
            "division_code": pref["code"],
            "province_code": pref["province_code"],
            "parent_id": "FY" + pref["province_code"] + "0000",
            "court_code": pref["province_code"].map(PROVINCE_SHORT) + pref["code"].str[2:4],
        }
    )
    parent = basic_parents(cty, "FY", set(middle["court_id"]))
    basic = pd.DataFrame(
        {
            "court_id": "FY" + cty["code"],
            "name": basic_names(cty, names_by_code, "人民法院"),
            "level": "基层",
            "division_code": cty["code"],
            "province_code": cty["province_code"],
            "parent_id": parent,
            "court_code": cty["province_code"].map(PROVINCE_SHORT) + cty["code"].str[2:6],
        }
    )
    table = pd.concat([high, middle, basic], ignore_index=True)
    return _add_weights(table, params, province_weights, seed)


def _add_weights(
    table: pd.DataFrame, params: dict[str, Any], province_weights: dict[str, float], seed: int
) -> pd.DataFrame:
    rng = rng_for(seed, "enforcement", "courts")
    cfg = params["courts"]
    share = cfg["caseload_share"]
    size = np.exp(rng.normal(0.0, float(cfg["basic_size_sigma"]), size=len(table)))
    level_share = table["level"].map(
        {"基层": share["basic"], "中级": share["intermediate"], "高级": share["high"]}
    )
    raw = pd.Series(size, index=table.index)
    within = raw / raw.groupby([table["province_code"], table["level"]]).transform("sum")
    prov_w = pd.Series(province_weights, dtype=float)
    prov_w = prov_w / prov_w.sum()
    table["caseload_weight"] = (
        within.fillna(0.0) * level_share * table["province_code"].map(prov_w).fillna(0.0)
    ).astype(float)
    return table
