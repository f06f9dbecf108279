"""Fast county sampling by prefecture and by province, for hukou and residence codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from zhcodes import load_divisions


@dataclass(frozen=True)
class CountyIndex:
    codes: npt.NDArray[np.str_]  # county codes sorted by (prefecture, code)
    pref_keys: npt.NDArray[np.str_]  # sorted unique prefecture codes (incl. province-as-parent)
    pref_start: npt.NDArray[np.int64]
    pref_count: npt.NDArray[np.int64]
    prov_keys: npt.NDArray[np.str_]
    prov_start: npt.NDArray[np.int64]
    prov_count: npt.NDArray[np.int64]
    county_pref: npt.NDArray[np.str_]

    def sample_in_prefecture(
        self, rng: np.random.Generator, prefectures: npt.NDArray[np.str_]
    ) -> npt.NDArray[np.str_]:
        pos = np.searchsorted(self.pref_keys, prefectures)
        idx = self.pref_start[pos] + (rng.random(prefectures.size) * self.pref_count[pos]).astype(
            np.int64
        )
        return self.codes[idx]

    def sample_in_province(
        self, rng: np.random.Generator, provinces: npt.NDArray[np.str_]
    ) -> npt.NDArray[np.str_]:
        pos = np.searchsorted(self.prov_keys, provinces)
        idx = self.prov_start[pos] + (rng.random(provinces.size) * self.prov_count[pos]).astype(
            np.int64
        )
        return self.codes[idx]

    def prefecture_of(self, counties: npt.NDArray[np.str_]) -> npt.NDArray[np.str_]:
        order = np.argsort(self.codes)
        pos = np.searchsorted(self.codes[order], counties)
        return self.county_pref[order][pos]


@lru_cache(maxsize=1)
def county_index() -> CountyIndex:
    cty = load_divisions().counties.sort_values(["prefecture_code", "code"])
    codes = cty["code"].to_numpy(dtype=str)
    prefs = cty["prefecture_code"].to_numpy(dtype=str)
    pref_keys, pref_start, pref_count = np.unique(prefs, return_index=True, return_counts=True)
    # counties are already grouped by prefecture, which nests in province; province ranges
    # over the same array are contiguous because prefecture codes sort by province first
    provs = np.array([c[:2] for c in codes])
    prov_keys, prov_start, prov_count = np.unique(provs, return_index=True, return_counts=True)
    return CountyIndex(
        codes=codes,
        pref_keys=pref_keys,
        pref_start=pref_start.astype(np.int64),
        pref_count=pref_count.astype(np.int64),
        prov_keys=prov_keys,
        prov_start=prov_start.astype(np.int64),
        prov_count=prov_count.astype(np.int64),
        county_pref=prefs,
    )
