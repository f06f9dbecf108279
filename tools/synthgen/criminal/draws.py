"""Who the suspects are: cases with a crime, a procuratorate and co-suspects, and each suspect's
covariates (the columns that the decision models read).

The calibration uses these same functions on a Monte Carlo sample, so the intercepts are solved
for exactly the population that the partitions then generate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthgen.core.geo import county_index
from synthgen.criminal.params import CriminalParams

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Strs = npt.NDArray[np.str_]


@dataclass(frozen=True)
class CrimeTable:
    names: Strs
    suspect_share: Floats
    minor: Floats
    group_mean: Floats
    victim: Bools
    arrest_request: Floats
    first_offense: Floats


def crime_table(params: CriminalParams, year: int) -> CrimeTable:
    shares = {c: float(v[year]) for c, v in params.crimes["shares"].items()}
    other = params.crimes["other_label"]
    shares[other] = 1.0 - sum(shares.values())
    names = list(shares)
    props = [params.crime_props(c) for c in names]
    return CrimeTable(
        names=np.array(names),
        suspect_share=np.array([shares[c] for c in names]),
        minor=np.array([p.minor for p in props]),
        group_mean=np.array([p.group_mean for p in props]),
        victim=np.array([p.victim for p in props]),
        arrest_request=np.array([p.arrest_request for p in props]),
        first_offense=np.array([p.first_offense for p in props]),
    )


@dataclass(frozen=True)
class Cases:
    crime: Ints  # index into CrimeTable.names, per case
    proc: Ints  # row index into the procuratorate table, per case
    size: Ints  # suspects per case
    suspect_case: Ints  # case index per suspect (suspects are grouped by case)


def draw_cases(
    rng: np.random.Generator, crimes: CrimeTable, proc_weights: Floats, n_suspects: int
) -> Cases:
    """Cases whose suspects follow the suspect-level crime mix: a case's crime is drawn with
    probability share / mean case size, then the last case is trimmed to hit ``n_suspects``."""
    case_p = crimes.suspect_share / (1.0 + crimes.group_mean)
    case_p = case_p / case_p.sum()
    mean_size = float((case_p * (1.0 + crimes.group_mean)).sum())
    n_cases = int(n_suspects / mean_size * 1.1) + 10
    crime = rng.choice(crimes.names.size, size=n_cases, p=case_p)
    size = 1 + rng.poisson(crimes.group_mean[crime])
    cum = np.cumsum(size)
    while cum[-1] < n_suspects:  # rare: top up with one more block of cases
        more = rng.choice(crimes.names.size, size=n_cases, p=case_p)
        crime = np.concatenate([crime, more])
        size = np.concatenate([size, 1 + rng.poisson(crimes.group_mean[more])])
        cum = np.cumsum(size)
    last = int(np.searchsorted(cum, n_suspects))
    crime, size = crime[: last + 1], size[: last + 1].copy()
    size[-1] -= int(cum[last] - n_suspects)
    p = proc_weights / proc_weights.sum()
    proc = rng.choice(p.size, size=crime.size, p=p)
    suspect_case = np.repeat(np.arange(crime.size), size)
    return Cases(crime=crime, proc=proc, size=size, suspect_case=suspect_case)


@dataclass(frozen=True)
class Covariates:
    crime: Ints
    male: Bools
    age: Ints
    age_fraction: Floats
    is_juvenile: Bools
    is_first_offense: Bools
    plea_leniency: Bools
    compensated_forgiven: Bools
    minor_offense: Bools
    is_local: Bools
    hukou: Ints  # county codes as integers
    residence: Ints

    def matrix(self, names: list[str]) -> Floats:
        return np.column_stack([getattr(self, n).astype(np.float64) for n in names])


def _hukou(
    rng: np.random.Generator, params: CriminalParams, proc_pref: Ints, proc_prov: Ints
) -> tuple[Ints, Ints, Bools]:
    """Hukou and residence county codes (integers) and whether the hukou is local, i.e. in
    the procuratorate's prefecture."""
    idx = county_index()
    cfg = params.provinces
    share = {int(k): float(v) for k, v in cfg["non_local_share"].items() if k != "default"}
    nl_default = float(cfg["non_local_share"]["default"])
    nl_share = pd.Series(proc_prov).map(share).fillna(nl_default).to_numpy(float)
    non_local = rng.random(proc_pref.size) < nl_share
    local_hukou = idx.sample_in_prefecture(rng, proc_pref)
    origin = {k: float(v) for k, v in cfg["origin_weights"].items() if k != "default"}
    provinces = np.array(sorted(int(p) for p in params.provinces["weights"]), dtype=np.int64)
    default_w = float(cfg["origin_weights"]["default"])
    w = np.array([origin.get(f"{p:02d}", default_w) for p in provinces])
    other_prov = provinces[rng.choice(provinces.size, size=proc_pref.size, p=w / w.sum())]
    same_prov = rng.random(proc_pref.size) < float(cfg["same_province_share"]["value"])
    far_prov = np.where(same_prov | (other_prov == proc_prov), proc_prov, other_prov)
    far_hukou = idx.sample_in_province(rng, far_prov)
    hukou = np.where(non_local, far_hukou, local_hukou)
    is_local = idx.prefecture_of(hukou) == proc_pref
    # residence: where the suspect lives now — inside the procuratorate's prefecture for most
    lives_at_home = rng.random(proc_pref.size) < float(cfg["lives_at_home_share"]["value"])
    residence = np.where(is_local & lives_at_home, hukou, idx.sample_in_prefecture(rng, proc_pref))
    return hukou, residence, is_local


def draw_covariates(
    rng: np.random.Generator,
    params: CriminalParams,
    year: int,
    crimes: CrimeTable,
    crime: Ints,
    proc_pref: Ints,
    proc_prov: Ints,
) -> Covariates:
    n = crime.size
    sus = params.suspects
    juvenile = (rng.random(n) < float(sus["juvenile_share"]["value"])) & (
        crimes.names[crime] != "危险驾驶"
    )
    age_cfg = sus["adult_age"]
    adult_age = np.clip(
        np.rint(rng.normal(age_cfg["mean"], age_cfg["sd"], size=n)), age_cfg["min"], age_cfg["max"]
    )
    ages = sus["juvenile_age_probs"]
    juvenile_age = rng.choice(
        np.array(list(ages), dtype=np.int64), size=n, p=np.array(list(ages.values()), dtype=float)
    )
    age = np.where(juvenile, juvenile_age, adult_age).astype(np.int64)
    male = rng.random(n) < float(sus["male_share"]["value"])
    juvenile_first = float(sus["juvenile_first_offense"]["value"])
    first = rng.random(n) < np.where(juvenile, juvenile_first, crimes.first_offense[crime])
    plea = rng.random(n) < float(sus["plea_leniency_share"][year]["value"])
    comp = (rng.random(n) < float(sus["compensated_forgiven_share"]["value"])) & crimes.victim[
        crime
    ]
    minor = rng.random(n) < crimes.minor[crime]
    hukou, residence, is_local = _hukou(rng, params, proc_pref, proc_prov)
    return Covariates(
        crime=crime,
        male=male,
        age=age,
        age_fraction=rng.uniform(0.02, 0.98, size=n),
        is_juvenile=juvenile,
        is_first_offense=first,
        plea_leniency=plea,
        compensated_forgiven=comp,
        minor_offense=minor,
        is_local=is_local,
        hukou=hukou,
        residence=residence,
    )


def arrest_request_probs(params: CriminalParams, year: int, crimes: CrimeTable) -> Floats:
    """Per-crime probability that the police ask for arrest, scaled so the expected share of
    suspects with an arrest review equals arrest volume / prosecution volume for the year."""
    target = (
        params.volumes["arrest_reviews"][year].value
        / params.volumes["prosecution_reviews"][year].value
    )
    lo, hi = 0.0, 20.0
    for _ in range(60):
        k = (lo + hi) / 2
        share = float((crimes.suspect_share * np.minimum(1.0, k * crimes.arrest_request)).sum())
        lo, hi = (k, hi) if share < target else (lo, k)
    return np.minimum(1.0, lo * crimes.arrest_request)
