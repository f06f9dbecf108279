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
from scipy.special import expit, logit

from synthgen.core.geo import county_index
from synthgen.criminal.calendar import plea_share
from synthgen.criminal.params import CriminalParams

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Strs = npt.NDArray[np.str_]
Days = npt.NDArray[np.datetime64]
# 附条件不起诉 (刑事诉讼法第二百八十二条): only crimes of 刑法分则 chapters 4–6
CONDITIONAL_CHAPTERS = (4, 5, 6)


@dataclass(frozen=True)
class CrimeTable:
    names: Strs
    suspect_share: Floats
    minor: Floats
    group_mean: Floats
    victim: Bools
    arrest_request: Floats
    first_offense: Floats
    le_one_year: Floats  # P(likely sentence <= 1 year), unconditional
    compensation: Floats
    plea_shift: Floats
    non_local_shift: Floats
    juvenile_rel: Floats  # normalised: the suspect-weighted mean is 1
    conditional_eligible: Bools  # chapter 4–6: 附条件不起诉 possible for juveniles


def crime_table(params: CriminalParams, year: int) -> CrimeTable:
    shares = {c: float(v[year]) for c, v in params.crimes.shares.items()}
    other = params.crimes.other_label
    shares[other] = 1.0 - sum(shares.values())
    names = list(shares)
    props = [params.crime_props(c) for c in names]

    def col(name: str) -> Floats:
        return np.array([float(getattr(p, name)) for p in props])

    return CrimeTable(
        names=np.array(names),
        suspect_share=np.array([shares[c] for c in names]),
        minor=col("minor"),
        group_mean=col("group_mean"),
        victim=np.array([p.victim for p in props]),
        arrest_request=col("arrest_request"),
        first_offense=col("first_offense"),
        le_one_year=col("le_one_year"),
        compensation=col("compensation") * np.array([p.victim for p in props]),
        plea_shift=col("plea_shift"),
        non_local_shift=col("non_local_shift"),
        juvenile_rel=col("juvenile_rel")
        / float((col("juvenile_rel") * np.array([shares[c] for c in names])).sum()),
        conditional_eligible=np.array([p.chapter in CONDITIONAL_CHAPTERS for p in props]),
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
    le_one_year: Bools  # likely sentence <= 1 year (a subset of minor_offense)
    is_local: Bools
    hukou: Ints  # county codes as integers
    residence: Ints

    def matrix(self, names: list[str]) -> Floats:
        return np.column_stack([getattr(self, n).astype(np.float64) for n in names])


def _hukou(
    rng: np.random.Generator,
    params: CriminalParams,
    proc_pref: Ints,
    proc_prov: Ints,
    shift: Floats,
) -> tuple[Ints, Ints, Bools]:
    """Hukou and residence county codes (integers) and whether the hukou is local, i.e. in
    the procuratorate's prefecture. ``shift`` adds to the province's non-local share (crime
    type, urban procuratorate)."""
    idx = county_index()
    cfg = params.provinces
    share = {int(k): float(v) for k, v in cfg.non_local_share.items() if k != "default"}
    nl_default = float(cfg.non_local_share["default"])
    nl_share = pd.Series(proc_prov).map(share).fillna(nl_default).to_numpy(float)
    non_local = rng.random(proc_pref.size) < np.clip(nl_share + shift, 0.02, 0.95)
    local_hukou = idx.sample_in_prefecture(rng, proc_pref)
    origin = {k: float(v) for k, v in cfg.origin_weights.items() if k != "default"}
    provinces = np.array(sorted(int(p) for p in cfg.weights), dtype=np.int64)
    default_w = float(cfg.origin_weights["default"])
    w = np.array([origin.get(f"{p:02d}", default_w) for p in provinces])
    other_prov = provinces[rng.choice(provinces.size, size=proc_pref.size, p=w / w.sum())]
    same_prov = rng.random(proc_pref.size) < cfg.same_province_share.value
    far_prov = np.where(same_prov | (other_prov == proc_prov), proc_prov, other_prov)
    far_hukou = idx.sample_in_province(rng, far_prov)
    hukou = np.where(non_local, far_hukou, local_hukou)
    is_local = idx.prefecture_of(hukou) == proc_pref
    # residence: where the suspect lives now — inside the procuratorate's prefecture for most
    lives_at_home = rng.random(proc_pref.size) < cfg.lives_at_home_share.value
    residence = np.where(is_local & lives_at_home, hukou, idx.sample_in_prefecture(rng, proc_pref))
    return hukou, residence, is_local


@dataclass(frozen=True)
class Place:
    """Where each suspect's case is handled: the procuratorate's prefecture and province codes
    and whether it serves an urban district (more non-local suspects there)."""

    prefecture: Ints
    province: Ints
    urban: Bools


def draw_covariates(
    rng: np.random.Generator,
    params: CriminalParams,
    crimes: CrimeTable,
    crime: Ints,
    place: Place,
    dates: Days,
) -> Covariates:
    """Covariates that depend on the crime type (plea, compensation, first offence, non-local
    residence, likely sentence), the region and urban setting (non-local residence) and the date
    (the plea share grows through 2019–2020). Plea is more likely where the likely sentence is
    short: omitting ``minor_offense`` biases the plea effect (the planted omitted variable)."""
    n = crime.size
    sus = params.suspects
    juvenile = rng.random(n) < sus.juvenile_share.value * crimes.juvenile_rel[crime]
    age_cfg = sus.adult_age
    adult_age = np.clip(
        np.rint(rng.normal(age_cfg.mean, age_cfg.sd, size=n)), age_cfg.min, age_cfg.max
    )
    ages = sus.juvenile_age_probs
    juvenile_age = rng.choice(
        np.array(list(ages), dtype=np.int64), size=n, p=np.array(list(ages.values()), dtype=float)
    )
    age = np.where(juvenile, juvenile_age, adult_age).astype(np.int64)
    male = rng.random(n) < sus.male_share.value
    first = rng.random(n) < np.where(
        juvenile, sus.juvenile_first_offense.value, crimes.first_offense[crime]
    )
    u_sentence = rng.random(n)
    minor = u_sentence < crimes.minor[crime]
    juvenile_short = minor & (rng.random(n) < sus.juvenile_le_one_year.value)
    le_one_year = np.where(juvenile, juvenile_short, u_sentence < crimes.le_one_year[crime])
    base = logit(np.clip(plea_share(params, dates), 1e-4, 1 - 1e-4))
    shift = crimes.plea_shift[crime] + sus.plea_leniency.minor_shift.value * (
        minor.astype(float) - crimes.minor[crime]
    )
    plea = rng.random(n) < expit(base + shift)
    comp = rng.random(n) < crimes.compensation[crime]
    context = params.procuratorates.context
    nl_shift = crimes.non_local_shift[crime] + context.urban_non_local_extra.value * place.urban
    hukou, residence, is_local = _hukou(rng, params, place.prefecture, place.province, nl_shift)
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
        le_one_year=le_one_year,
        is_local=is_local,
        hukou=hukou,
        residence=residence,
    )
