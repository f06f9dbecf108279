"""What courts and procuratorates share: three levels over GB/T 2260, named and linked the same
way (a district carries its city's name, a municipality's districts report to its first
middle-level body), so each builder only adds its own suffixes, codes and weights."""

from __future__ import annotations

import pandas as pd

from zhcodes.divisions import MUNICIPALITIES

ORDINALS = "一二三四五六七八九十"


def basic_names(counties: pd.DataFrame, names_by_code: dict[str, str], suffix: str) -> list[str]:
    """Districts carry their city's name (金华市婺城区人民法院); counties stand alone."""
    out: list[str] = []
    for code, name, parent in zip(
        counties["code"], counties["name"], counties["parent_code"], strict=True
    ):
        if name.endswith("区"):
            city = names_by_code[code[:2] + "0000"] if code[:2] in MUNICIPALITIES else None
            out.append(f"{city or names_by_code.get(parent, '')}{name}{suffix}")
        else:
            out.append(f"{name}{suffix}")
    return out


def basic_parents(counties: pd.DataFrame, prefix: str, middle_ids: set[str]) -> pd.Series:
    """Id of each county-level body's parent: its prefecture's body, else (county-level units
    under the province) the provincial body; in a municipality every district reports to the
    first middle-level body (xx0100)."""
    parent = prefix + counties["prefecture_code"]
    parent = parent.where(parent.isin(middle_ids), prefix + counties["province_code"] + "0000")
    first = prefix + counties["province_code"] + "0100"
    return parent.where(~counties["province_code"].isin(MUNICIPALITIES), first)
