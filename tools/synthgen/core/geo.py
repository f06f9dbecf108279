"""Fast county sampling by prefecture and by province, for hukou and residence codes.

Codes are handled as integers (330702, prefecture 330700, province 33) inside the generator:
comparing and indexing integers is an order of magnitude cheaper than Unicode arrays, and the
strings are made once, in Arrow, when a table is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from zhcodes import load_divisions

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CountyIndex:
    codes: Ints  # county codes sorted by (prefecture, code); provinces are contiguous too
    pref_keys: Ints  # sorted prefecture codes (the province code xx0000 for direct counties)
    pref_start: Ints
    pref_count: Ints
    prov_keys: Ints  # two-digit province codes
    prov_start: Ints
    prov_count: Ints
    sorted_codes: Ints  # county codes in ascending order, for prefecture look-ups
    sorted_pref: Ints

    def sample_in_prefecture(self, rng: np.random.Generator, prefectures: Ints) -> Ints:
        pos = np.searchsorted(self.pref_keys, prefectures)
        offset = (rng.random(prefectures.size) * self.pref_count[pos]).astype(np.int64)
        return self.codes[self.pref_start[pos] + offset]

    def sample_in_province(self, rng: np.random.Generator, provinces: Ints) -> Ints:
        pos = np.searchsorted(self.prov_keys, provinces)
        offset = (rng.random(provinces.size) * self.prov_count[pos]).astype(np.int64)
        return self.codes[self.prov_start[pos] + offset]

    def prefecture_of(self, counties: Ints) -> Ints:
        return self.sorted_pref[np.searchsorted(self.sorted_codes, counties)]


@lru_cache(maxsize=1)
def county_index() -> CountyIndex:
    cty = load_divisions().counties.sort_values(["prefecture_code", "code"])
    codes = cty["code"].to_numpy(dtype=np.int64)
    prefs = cty["prefecture_code"].to_numpy(dtype=np.int64)
    pref_keys, pref_start, pref_count = np.unique(prefs, return_index=True, return_counts=True)
    prov_keys, prov_start, prov_count = np.unique(
        codes // 10_000, return_index=True, return_counts=True
    )
    order = np.argsort(codes)
    return CountyIndex(
        codes=codes,
        pref_keys=pref_keys,
        pref_start=pref_start.astype(np.int64),
        pref_count=pref_count.astype(np.int64),
        prov_keys=prov_keys,
        prov_start=prov_start.astype(np.int64),
        prov_count=prov_count.astype(np.int64),
        sorted_codes=codes[order],
        sorted_pref=prefs[order],
    )
