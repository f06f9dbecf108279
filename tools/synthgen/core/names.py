"""Chinese name, phone and bank word lists taken from Faker's zh_CN providers.

Faker is used only as a licence-clean (MIT) source of frequency lists: its per-call generators
are ~200x slower than sampling these arrays with numpy and are not reproducible across days
(``ssn()`` reads today's date); measured in tests/bench/test_generator_bench.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.zh_CN import Provider as PersonProvider
from faker.providers.phone_number.zh_CN import Provider as PhoneProvider


@dataclass(frozen=True)
class NameLists:
    surnames: npt.NDArray[np.str_]
    surname_p: npt.NDArray[np.float64]
    given_male: npt.NDArray[np.str_]
    given_female: npt.NDArray[np.str_]
    mobile_prefixes: npt.NDArray[np.int64]


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    surnames = list(PersonProvider.last_names.keys())
    weights = np.array(list(PersonProvider.last_names.values()), dtype=np.float64)
    return NameLists(
        surnames=np.array(surnames),
        surname_p=weights / weights.sum(),
        given_male=np.array(sorted(set(PersonProvider.first_names_male))),
        given_female=np.array(sorted(set(PersonProvider.first_names_female))),
        mobile_prefixes=np.array(sorted(PhoneProvider.phonenumber_prefixes), dtype=np.int64),
    )


def sample_names(rng: np.random.Generator, male: npt.NDArray[np.bool_]) -> pa.Array:
    """Weighted surname + given name by sex, assembled in Arrow."""
    lists = name_lists()
    n = male.shape[0]
    surname = rng.choice(lists.surnames.size, size=n, p=lists.surname_p)
    given_m = rng.integers(0, lists.given_male.size, size=n)
    given_f = rng.integers(0, lists.given_female.size, size=n)
    given_all = pa.array(np.concatenate([lists.given_male, lists.given_female]))
    given = np.where(male, given_m, lists.given_male.size + given_f)
    return pc.binary_join_element_wise(
        pa.array(lists.surnames).take(pa.array(surname)), given_all.take(pa.array(given)), ""
    )


def sample_mobiles(rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    """11-digit mobile numbers with real carrier prefixes, as integers."""
    prefixes = name_lists().mobile_prefixes
    prefix = prefixes[rng.integers(0, prefixes.size, size=n)]
    return prefix * 100_000_000 + rng.integers(0, 100_000_000, size=n)
