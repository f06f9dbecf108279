"""The procuratorate hierarchy (省级 / 市级 / 基层) over GB/T 2260, with caseload weights and the
procuratorates' random intercepts — the group effects of the decision models.

Effects are standard-normal draws scaled by the model's ``group_sd``, so a scenario that doubles
the spread keeps every procuratorate's rank and sign: a researcher compares like with like.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthgen.core.hierarchy import ORDINALS, basic_names, basic_parents
from synthgen.core.seeds import rng_for
from synthgen.criminal.params import CriminalParams
from zhcodes.divisions import MUNICIPALITIES, PROVINCE_SHORT, load_divisions


def _municipal_names(
    prefectures: pd.DataFrame, provinces: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Names and case-number abbreviations; a municipality's prefecture-level units become the
    branches (分院) of its procuratorate: 北京市人民检察院第一分院, abbreviated 京一分."""
    names: list[str] = []
    abbrs: list[str] = []
    counters: dict[str, int] = {}
    for code, name in zip(prefectures["code"], prefectures["name"], strict=True):
        prov = code[:2]
        if prov in MUNICIPALITIES:
            counters[prov] = counters.get(prov, 0) + 1
            ordinal = ORDINALS[counters[prov] - 1]
            names.append(f"{provinces[prov]}人民检察院第{ordinal}分院")
            abbrs.append(f"{PROVINCE_SHORT[prov]}{ordinal}分")
        else:
            names.append(f"{name}人民检察院")
            abbrs.append(name[0])
    return names, abbrs


def build_procuratorates(params: CriminalParams, seed: int) -> pd.DataFrame:
    div = load_divisions()
    names_by_code = dict(zip(div.table["code"], div.table["name"], strict=True))
    prov = div.provinces
    pref = div.prefectures
    cty = div.counties
    provinces = dict(zip(prov["province_code"], prov["name"], strict=True))

    provincial = pd.DataFrame(
        {
            "procuratorate_id": "JC" + prov["code"],
            "name": prov["name"] + "人民检察院",
            "level": "省级",
            "division_code": prov["code"],
            "province_code": prov["province_code"],
            "parent_id": None,
            "abbr": prov["province_code"].map(PROVINCE_SHORT),
        }
    )
    municipal_names, municipal_abbrs = _municipal_names(pref, provinces)
    municipal = pd.DataFrame(
        {
            "procuratorate_id": "JC" + pref["code"],
            "name": municipal_names,
            "level": "市级",
            "division_code": pref["code"],
            "province_code": pref["province_code"],
            "parent_id": "JC" + pref["province_code"] + "0000",
            "abbr": municipal_abbrs,
        }
    )
    parent = basic_parents(cty, "JC", set(municipal["procuratorate_id"]))
    pref_char = cty["prefecture_code"].map(names_by_code).fillna("").str[0]
    short = cty["province_code"].map(PROVINCE_SHORT)
    basic = pd.DataFrame(
        {
            "procuratorate_id": "JC" + cty["code"],
            "name": basic_names(cty, names_by_code, "人民检察院"),
            "level": "基层",
            "division_code": cty["code"],
            "province_code": cty["province_code"],
            "parent_id": parent,
            "abbr": np.where(cty["province_code"].isin(MUNICIPALITIES), short, pref_char)
            + cty["name"].str[0],
        }
    )
    table = pd.concat([provincial, municipal, basic], ignore_index=True)
    table["prefecture_code"] = pd.concat(
        [prov["code"], pref["code"], cty["prefecture_code"]], ignore_index=True
    )
    own_name = pd.concat([prov["name"], pref["name"], cty["name"]], ignore_index=True)
    table["abbr"] = unique_abbreviations(
        table["abbr"], table["province_code"], own_name, fixed=table["level"] == "省级"
    )
    district = own_name.str.endswith("区") & (table["level"] == "基层")
    table["urban"] = (district | (table["level"] == "市级")).astype(np.int8)
    return _add_weights_and_effects(table, params, seed)


def unique_abbreviations(
    abbr: pd.Series, province: pd.Series, own_name: pd.Series, fixed: pd.Series
) -> pd.Series:
    """Make case-number abbreviations unique nationwide, so that 〔year〕 + number identifies a
    case: clashing ones (南京、南通 → 南) get the province's short name first (苏南), then ever
    longer stems of the unit's own name, and as a last resort its code digits."""
    abbr = abbr.astype(str)
    short = province.map(PROVINCE_SHORT)
    prefix = short.where(abbr.str[0] != short, "")  # municipalities already start with it
    stem = own_name.str.replace(r"(市|区|县|自治县|自治州|地区|盟|旗|林区|特区)$", "", regex=True)
    out = abbr.copy()
    for length in range(1, 9):
        clash = out.duplicated(keep=False) & ~fixed
        if not clash.any():
            return out
        if length == 1:
            out[clash] = prefix[clash] + abbr[clash]
        else:
            out[clash] = prefix[clash] + abbr[clash].str[:-1] + stem[clash].str[:length]
    clash = out.duplicated(keep=False) & ~fixed  # 临夏市 / 临夏县: the full name differs
    out[clash] = prefix[clash] + abbr[clash].str[:-1] + own_name[clash]
    clash = out.duplicated(keep=False) & ~fixed
    out[clash] = out[clash] + own_name.index.to_series()[clash].astype(str)
    return out


def _add_weights_and_effects(
    table: pd.DataFrame, params: CriminalParams, seed: int
) -> pd.DataFrame:
    rng = rng_for(seed, "procuratorates")
    cfg = params.procuratorates
    share = cfg.caseload_share
    size = np.exp(rng.normal(0.0, cfg.basic_size_sigma, size=len(table)))
    level_share = table["level"].map(
        {"基层": share.basic, "市级": share.municipal, "省级": share.provincial}
    )
    raw = pd.Series(size, index=table.index) * (table["level"] != "省级")
    within = raw / raw.groupby([table["province_code"], table["level"]]).transform("sum")
    prov_w = pd.Series(params.provinces.weights, dtype=float)
    prov_w = prov_w / prov_w.sum()
    table["caseload_weight"] = (
        within.fillna(0.0) * level_share * table["province_code"].map(prov_w)
    ).astype(float)

    z = rng.standard_normal(size=(len(table), 2))
    rho = params.random_effects.corr_arrest_prosecution.value
    z2 = rho * z[:, 0] + np.sqrt(1.0 - rho**2) * z[:, 1]
    index = context_index(table)
    table["context_index"] = index
    ctx = cfg.context
    la, lp = ctx.arrest_loading.value, ctx.prosecution_loading.value
    table["u_arrest"] = (la * index + np.sqrt(1.0 - la**2) * z[:, 0]) * params.arrest.group_sd
    table["u_prosecution"] = (lp * index + np.sqrt(1.0 - lp**2) * z2) * params.prosecution.group_sd
    return table


def context_index(table: pd.DataFrame) -> np.ndarray:
    """Standardised (over procuratorates that receive cases) urban flag + half the standardised
    log caseload; 0 where a procuratorate receives no cases."""
    active = table["caseload_weight"].to_numpy(float) > 0
    urban = table["urban"].to_numpy(float)
    load = np.log(np.where(active, table["caseload_weight"].to_numpy(float), 1.0))
    z_load = (load - load[active].mean()) / load[active].std()
    raw = urban + 0.5 * z_load
    out = np.where(active, (raw - raw[active].mean()) / raw[active].std(), 0.0)
    return np.asarray(out, dtype=np.float64)


PUBLIC_COLUMNS = [
    "procuratorate_id",
    "name",
    "level",
    "division_code",
    "province_code",
    "parent_id",
    "urban",
]
