"""One province × year partition of the criminal dataset, from its own seed stream.

Every row carries the year of its own decision date: a partition's 审查起诉 decisions fall in its
year, its arrest decisions partly in the year before. Rows outside the build's years are left
out (the data window), and the spill partition after the last year (``part == 1``) keeps only the
arrest reviews that still fall in the last year — the arrests of cases prosecuted next year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.core.dates import age_on
from synthgen.core.people import make_persons
from synthgen.core.seeds import rng_for
from synthgen.criminal.calendar import years_of
from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.outcomes import Decisions, TypeShares, decide
from synthgen.criminal.params import CriminalParams
from synthgen.criminal.population import Population, simulate
from synthgen.criminal.tables import cases_table, review_table, violations, with_columns


@dataclass(frozen=True)
class PartitionTask:
    seed: int
    province: str
    year: int
    n_suspects: int
    part: int = 0  # 1: the spill partition after the last year


@dataclass(frozen=True)
class Shared:
    """What every partition needs, computed once by the driver and shipped to workers."""

    params: CriminalParams
    procs: pd.DataFrame  # procuratorates receiving cases, with weights, effects, abbr
    arrest: FittedModel
    prosecution: FittedModel
    shares: TypeShares
    referral: dict[int, float]  # knots of the referral propensity k(t)


@dataclass(frozen=True)
class Kept:
    """Which rows of a partition fall inside the data window."""

    arrest: npt.NDArray[np.bool_]
    prosecution: npt.NDArray[np.bool_]
    suspect: npt.NDArray[np.bool_]
    suspect_year: npt.NDArray[np.int64]


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    num = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), num, "")


def _kept(task: PartitionTask, years: list[int], pop: Population, dec: Decisions) -> Kept:
    a_year = years_of(pop.tl.arrest_decided)
    tail = task.part == 1
    arrest = dec.has_arrest_review & ((a_year == task.year) if tail else np.isin(a_year, years))
    prosecution = dec.in_prosecution & (not tail)
    return Kept(
        arrest=arrest,
        prosecution=prosecution,
        suspect=arrest | prosecution,
        suspect_year=np.where(prosecution, years_of(pop.tl.pros_decided), a_year),
    )


def generate_partition(task: PartitionTask, shared: Shared) -> dict[str, pa.Table]:
    params = shared.params
    rng = rng_for(task.seed, "criminal", task.province, task.year, *([task.part] * task.part))
    procs = shared.procs[shared.procs["province_code"] == task.province].reset_index(drop=True)
    pop = simulate(
        rng, params, procs, task.year, task.n_suspects, tail=task.part == 1,
        scales=shared.referral,
    )  # fmt: skip
    effects = (procs["u_arrest"].to_numpy(float), procs["u_prosecution"].to_numpy(float))
    dec = decide(params, pop, (shared.arrest, shared.prosecution), effects, shared.shares)
    kept = _kept(task, params.years, pop, dec)
    return _assemble(rng, task, shared, procs, pop, dec, kept)


def _assemble(
    rng: np.random.Generator,
    task: PartitionTask,
    shared: Shared,
    procs: pd.DataFrame,
    pop: Population,
    dec: Decisions,
    kept: Kept,
) -> dict[str, pa.Table]:
    params = shared.params
    cases, cov, tl = pop.cases, pop.cov, pop.tl
    sc = cases.suspect_case
    n = sc.size
    prefix = f"{task.province}{task.year}{'T' if task.part else ''}"
    case_ids = _ids(f"XS{prefix}", cases.crime.size, 6)
    suspect_ids = _ids(f"SX{prefix}", n, 7)
    person_ids = _ids(f"P{prefix}", n, 7)
    susp_case_ids = case_ids.take(pa.array(sc))
    suspect_procs = pa.array(procs["procuratorate_id"].to_numpy(str)[pop.proc])
    keep = pa.array(kept.suspect)

    days = np.rint((cov.age + cov.age_fraction) * 365.2425).astype("timedelta64[D]")
    start = tl.case_start[sc]
    birth = start - days
    k = kept.suspect  # persons only for the suspects inside the data window (the costly part)
    persons = make_persons(
        rng, person_ids=person_ids.filter(keep), birth=birth[k], male=cov.male[k],
        hukou=cov.hukou[k], residence=cov.residence[k],
        education_shares=params.suspects.education.shares,
        ethnicity_spec=params.ethnicity.model_dump(),
    )  # fmt: skip
    year_col = pa.array(kept.suspect_year.astype(np.int16))
    tables: dict[str, pa.Table] = {}
    tables["persons"] = with_columns(
        pa.table(persons), {"province_code": task.province}
    ).append_column("year", year_col.filter(keep))
    age = age_on(birth, start)
    flags = {
        name: pa.array(getattr(cov, name).astype(np.int8))
        for name in ("is_first_offense", "plea_leniency", "compensated_forgiven", "is_local")
    }
    tables["suspects"] = with_columns(
        pa.table(
            {
                "suspect_id": suspect_ids,
                "case_id": susp_case_ids,
                "person_id": person_ids,
                "procuratorate_id": suspect_procs,
                "year": year_col,
                "age": pa.array(age.astype(np.int16)),
                "is_juvenile": pa.array((age < 18).astype(np.int8)),
                **flags,
                "minor_offense": pa.array(cov.minor_offense.astype(np.int8)),
                "likely_sentence_le_1y": pa.array(cov.le_one_year.astype(np.int8)),
            }
        ),
        {"province_code": task.province},
    ).filter(keep)
    tables["criminal_cases"] = cases_table(pop, procs, case_ids, task, kept.suspect)
    common = {
        "suspect_id": suspect_ids,
        "case_id": susp_case_ids,
        "procuratorate_id": suspect_procs,
    }
    tables["arrest_reviews"] = review_table(
        np.flatnonzero(kept.arrest), common, task.province, tl.arrest_received,
        tl.arrest_decided, dec.arrest, {"non_arrest_reason": dec.non_arrest_reason},
    )  # fmt: skip
    tables["prosecution_reviews"] = review_table(
        np.flatnonzero(kept.prosecution), common, task.province, tl.pros_received,
        tl.pros_decided, dec.prosecution,
        {
            "non_prosecution_type": dec.non_prosecution_type,
            "returned_for_investigation": tl.returns.astype(np.int8),
            "fast_track": pop.fast_track.astype(np.int8),
            "complex_case": tl.complex_case.astype(np.int8),
            "arrested": dec.arrested.astype(np.int8),
        },
    )  # fmt: skip
    tables["_truth/latent"] = _latent(task, suspect_ids, dec, kept, year_col)
    tables["_truth/violations"] = violations(
        tl, kept.arrest, kept.prosecution, susp_case_ids, suspect_ids
    )
    return tables


def _latent(
    task: PartitionTask, suspect_ids: pa.Array, dec: Decisions, kept: Kept, year_col: pa.Array
) -> pa.Table:
    table = pa.table(
        {
            "suspect_id": suspect_ids,
            # null (not NaN) where the suspect had no such review in the data
            "eta_arrest": pa.array(dec.eta_arrest, mask=~kept.arrest),
            "p_arrest": pa.array(dec.p_arrest, mask=~kept.arrest),
            "eta_prosecution": pa.array(dec.eta_prosecution, mask=~kept.prosecution),
            "p_prosecution": pa.array(dec.p_prosecution, mask=~kept.prosecution),
        }
    )
    table = with_columns(table, {"province_code": task.province}).append_column("year", year_col)
    return table.filter(pa.array(kept.suspect))
