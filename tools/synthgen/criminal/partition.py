"""One province × year partition of the criminal dataset, from its own seed stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import expit

from synthgen.core.dates import age_on
from synthgen.core.people import make_persons
from synthgen.core.seeds import rng_for
from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.draws import (
    Cases,
    Covariates,
    CrimeTable,
    arrest_request_probs,
    crime_table,
    draw_cases,
    draw_covariates,
)
from synthgen.criminal.params import COVARIATES, CriminalParams
from synthgen.criminal.timing import Timeline, draw_timeline

_COVS = list(COVARIATES)


@dataclass(frozen=True)
class PartitionTask:
    seed: int
    province: str
    year: int
    n_suspects: int


@dataclass(frozen=True)
class Shared:
    """What every partition needs, computed once by the driver and shipped to workers."""

    params: CriminalParams
    procs: pd.DataFrame  # procuratorates receiving cases, with weights, effects, abbr
    arrest: FittedModel
    prosecution: FittedModel


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    num = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), num, "")


def _pick(labels: list[str], shares: list[float], u: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    edges = np.cumsum(np.array(shares) / np.sum(shares))
    return np.array(labels)[np.minimum(np.searchsorted(edges, u, side="right"), len(labels) - 1)]


@dataclass(frozen=True)
class Decisions:
    """Both reviews' outcomes for every suspect of a partition, with their latent truth."""

    has_arrest_review: npt.NDArray[np.bool_]
    in_prosecution: npt.NDArray[np.bool_]
    eta_arrest: npt.NDArray[np.float64]
    p_arrest: npt.NDArray[np.float64]
    arrest: npt.NDArray[Any]  # 批准逮捕 / 不批准逮捕 / 其他
    non_arrest_reason: npt.NDArray[Any]  # None unless 不批准逮捕
    eta_prosecution: npt.NDArray[np.float64]
    p_prosecution: npt.NDArray[np.float64]
    prosecution: npt.NDArray[Any]  # 起诉 / 不起诉 / 其他
    non_prosecution_type: npt.NDArray[Any]  # None unless 不起诉


def generate_partition(task: PartitionTask, shared: Shared) -> dict[str, pa.Table]:
    params = shared.params
    rng = rng_for(task.seed, "criminal", task.province, task.year)
    procs = shared.procs[shared.procs["province_code"] == task.province].reset_index(drop=True)
    crimes = crime_table(params, task.year)
    cases = draw_cases(rng, crimes, procs["caseload_weight"].to_numpy(float), task.n_suspects)
    proc = cases.proc[cases.suspect_case]
    crime = cases.crime[cases.suspect_case]
    cov = draw_covariates(
        rng, params, task.year, crimes, crime,
        procs["prefecture_code"].to_numpy(np.int64)[proc],
        procs["province_code"].to_numpy(np.int64)[proc],
    )  # fmt: skip
    has_ar = rng.random(crime.size) < arrest_request_probs(params, task.year, crimes)[crime]
    dec = _decide(rng, task, shared, cov, has_ar, procs, proc)
    fast = cov.plea_leniency & cov.minor_offense
    tl = draw_timeline(
        rng, params.timing, task.year, cases.suspect_case, has_ar, dec.in_prosecution, fast
    )
    return _assemble(rng, task, shared, procs, cases, crimes, cov, dec, tl)


def _decide(
    rng: np.random.Generator,
    task: PartitionTask,
    shared: Shared,
    cov: Covariates,
    has_ar: npt.NDArray[np.bool_],
    procs: pd.DataFrame,
    proc: npt.NDArray[np.int64],
) -> Decisions:
    """Arrest review, then prosecution review for those still in the funnel: people released
    because there was no crime (不构成犯罪) are not transferred for prosecution."""
    params = shared.params
    n = has_ar.size
    x = cov.matrix(_COVS)
    u = rng.random((n, 5))  # other-decision, outcome and reason/type draws for both reviews
    eta_a = shared.arrest.eta(task.year, x, procs["u_arrest"].to_numpy(float)[proc])
    p_a = expit(eta_a)
    other_a = u[:, 0] < params.arrest.other_decision_share.value
    non_arrest = ~other_a & (u[:, 1] < p_a)
    reasons = params.arrest.reasons["shares"]  # type: ignore[index]
    reason_labels = ["不构成犯罪", "证据不足", "无社会危险性"]
    reason = _pick(reason_labels, [reasons[r] for r in reason_labels], u[:, 2])
    in_pros = ~(has_ar & non_arrest & (reason == "不构成犯罪"))

    eta_p = shared.prosecution.eta(task.year, x, procs["u_prosecution"].to_numpy(float)[proc])
    p_p = expit(eta_p)
    other_p = u[:, 3] < params.prosecution.other_decision_share.value
    non_pros = ~other_p & (rng.random(n) < p_p)
    np_type = _non_prosecution_type(params, cov.is_juvenile, u[:, 4])
    return Decisions(
        has_arrest_review=has_ar,
        in_prosecution=in_pros,
        eta_arrest=eta_a,
        p_arrest=p_a,
        arrest=np.where(other_a, "其他", np.where(non_arrest, "不批准逮捕", "批准逮捕")),
        non_arrest_reason=np.where(non_arrest, reason, np.array(None)),
        eta_prosecution=eta_p,
        p_prosecution=p_p,
        prosecution=np.where(other_p, "其他", np.where(non_pros, "不起诉", "起诉")),
        non_prosecution_type=np.where(non_pros, np_type, np.array(None)),
    )


def _assemble(
    rng: np.random.Generator,
    task: PartitionTask,
    shared: Shared,
    procs: pd.DataFrame,
    cases: Cases,
    crimes: CrimeTable,
    cov: Covariates,
    dec: Decisions,
    tl: Timeline,
) -> dict[str, pa.Table]:
    params = shared.params
    sc = cases.suspect_case
    n = sc.size
    prefix = f"{task.province}{task.year}"
    case_ids = _ids(f"XS{prefix}", sc[-1] + 1 if n else 0, 6)
    suspect_ids = _ids(f"SX{prefix}", n, 7)
    person_ids = _ids(f"P{prefix}", n, 7)
    susp_case_ids = case_ids.take(pa.array(sc))
    suspect_procs = pa.array(procs["procuratorate_id"].to_numpy(str)[cases.proc[sc]])
    ctx = {"province_code": task.province, "year": task.year}

    tables: dict[str, pa.Table] = {}
    tables["criminal_cases"] = _cases_table(cases, crimes, procs, tl, case_ids, task)
    days = np.rint((cov.age + cov.age_fraction) * 365.2425).astype("timedelta64[D]")
    birth = tl.case_start[sc] - days
    persons = make_persons(
        rng, person_ids=person_ids, birth=birth, male=cov.male, hukou=cov.hukou,
        residence=cov.residence, education_shares=params.suspects["education"]["shares"],
        ethnicity_spec=params.ethnicity,
    )  # fmt: skip
    tables["persons"] = _with(pa.table(persons), ctx)
    age = age_on(birth, tl.case_start[sc])
    flags = {
        name: pa.array(getattr(cov, name).astype(np.int8))
        for name in ("is_first_offense", "plea_leniency", "compensated_forgiven", "is_local")
    }
    tables["suspects"] = _with(
        pa.table(
            {
                "suspect_id": suspect_ids,
                "case_id": susp_case_ids,
                "person_id": person_ids,
                "procuratorate_id": suspect_procs,
                "year": pa.array(np.full(n, task.year, dtype=np.int16)),
                "age": pa.array(age.astype(np.int16)),
                "is_juvenile": pa.array((age < 18).astype(np.int8)),
                **flags,
                "minor_offense": pa.array(cov.minor_offense.astype(np.int8)),
            }
        ),
        {"province_code": task.province},
    )
    common = {
        "suspect_id": suspect_ids,
        "case_id": susp_case_ids,
        "procuratorate_id": suspect_procs,
    }
    tables["arrest_reviews"] = _review_table(
        np.flatnonzero(dec.has_arrest_review), common, task, tl.arrest_received,
        tl.arrest_decided, dec.arrest, {"non_arrest_reason": dec.non_arrest_reason},
    )  # fmt: skip
    tables["prosecution_reviews"] = _review_table(
        np.flatnonzero(dec.in_prosecution), common, task, tl.pros_received, tl.pros_decided,
        dec.prosecution,
        {
            "non_prosecution_type": dec.non_prosecution_type,
            "returned_for_investigation": tl.returns.astype(np.int8),
        },
    )  # fmt: skip
    tables["_truth/latent"] = _with(
        pa.table(
            {
                "suspect_id": suspect_ids,
                # null (not NaN) where the suspect had no such review
                "eta_arrest": pa.array(dec.eta_arrest, mask=~dec.has_arrest_review),
                "p_arrest": pa.array(dec.p_arrest, mask=~dec.has_arrest_review),
                "eta_prosecution": pa.array(dec.eta_prosecution, mask=~dec.in_prosecution),
                "p_prosecution": pa.array(dec.p_prosecution, mask=~dec.in_prosecution),
            }
        ),
        ctx,
    )
    tables["_truth/violations"] = _violations(
        tl, dec.has_arrest_review, dec.in_prosecution, susp_case_ids, suspect_ids
    )
    return tables


def _review_table(
    rows: npt.NDArray[np.int64],
    common: dict[str, pa.Array],
    task: PartitionTask,
    received: npt.NDArray[np.datetime64],
    decided: npt.NDArray[np.datetime64],
    decision: npt.NDArray[Any],
    extra: dict[str, npt.NDArray[Any]],
) -> pa.Table:
    """One review table (arrest or prosecution): the reviewed suspects' rows of each column."""
    take = pa.array(rows)
    columns: dict[str, Any] = {name: col.take(take) for name, col in common.items()}
    columns["year"] = pa.array(np.full(rows.size, task.year, dtype=np.int16))
    columns["received_date"] = pa.array(received[rows])
    columns["decision_date"] = pa.array(decided[rows])
    columns["decision"] = pa.array(decision[rows])
    for name, values in extra.items():
        columns[name] = pa.array(values[rows], type=None if values.dtype != object else pa.string())
    return _with(pa.table(columns), {"province_code": task.province})


def _non_prosecution_type(
    params: CriminalParams, eligible_conditional: npt.NDArray[np.bool_], u: npt.NDArray[np.float64]
) -> npt.NDArray[Any]:
    types = params.prosecution.types
    assert types is not None
    adult = types["adult"]
    labels = list(adult)
    base = _pick(labels, [adult[k] for k in labels], u)
    share = float(types["juvenile_conditional_share"])
    # juveniles: the lowest `share` of the uniform goes to 附条件不起诉, the rest keeps adult mix
    rescaled = np.clip((u - share) / (1.0 - share), 0.0, 1.0 - 1e-12)
    juvenile_type = np.where(
        u < share, "附条件不起诉", _pick(labels, [adult[k] for k in labels], rescaled)
    )
    return np.where(eligible_conditional, juvenile_type, base)


def _with(table: pa.Table, columns: dict[str, Any]) -> pa.Table:
    for name, value in columns.items():
        typ = pa.int16() if name == "year" else pa.string()
        table = table.append_column(name, pa.array(np.full(table.num_rows, value)).cast(typ))
    return table


def _cases_table(
    cases: Cases, crimes: CrimeTable, procs: pd.DataFrame, tl: Timeline, case_ids: pa.Array,
    task: PartitionTask,
) -> pa.Table:  # fmt: skip
    n_cases = cases.crime.size
    order = np.lexsort((tl.case_start.astype(np.int64), cases.proc))
    seq = np.empty(n_cases, dtype=np.int64)
    sorted_proc = cases.proc[order]
    first = np.r_[True, sorted_proc[1:] != sorted_proc[:-1]]
    run_start = np.maximum.accumulate(np.where(first, np.arange(n_cases), 0))
    seq[order] = np.arange(n_cases) - run_start + 1
    abbr = procs["abbr"].to_numpy(str)[cases.proc]
    number = pc.binary_join_element_wise(
        pa.array(abbr), pa.scalar(f"检刑诉〔{task.year}〕"),
        pc.cast(pa.array(seq), pa.string()), pa.scalar("号"), "",
    )  # fmt: skip
    return _with(
        pa.table(
            {
                "case_id": case_ids,
                "case_number": number,
                "procuratorate_id": pa.array(procs["procuratorate_id"].to_numpy(str)[cases.proc]),
                "crime": pa.array(crimes.names[cases.crime]),
                "received_date": pa.array(tl.case_start),
                "n_suspects": pa.array(cases.size.astype(np.int16)),
            }
        ),
        {"province_code": task.province, "year": task.year},
    )


def _violations(
    tl: Timeline,
    has_ar: npt.NDArray[np.bool_],
    in_pros: npt.NDArray[np.bool_],
    case_ids: pa.Array,
    suspect_ids: pa.Array,
) -> pa.Table:
    late_a = np.flatnonzero(tl.late_arrest & has_ar)
    late_p = np.flatnonzero(tl.late_pros & in_pros)
    days_a = (tl.arrest_decided - tl.arrest_received).astype(np.int64)[late_a]
    over_p = (tl.pros_decided - tl.pros_limit).astype(np.int64)[late_p]
    detail = pa.concat_arrays(
        [
            _text("审查逮捕用时", days_a, "日，超过法定7日"),
            _text("审查起诉超过一个月又十五日的期限", over_p, "日，且无退回补充侦查记录"),
        ]
    )
    idx = np.concatenate([late_a, late_p])
    return pa.table(
        {
            "case_id": case_ids.take(pa.array(idx, type=pa.int64())),
            "rule_id": pa.array(
                ["XS-03"] * late_a.size + ["XS-04"] * late_p.size, type=pa.string()
            ),
            "asset_id": pa.nulls(idx.size, type=pa.string()),
            "detail": detail,
            "suspect_id": suspect_ids.take(pa.array(idx, type=pa.int64())),
        }
    )


def _text(before: str, numbers: npt.NDArray[np.int64], after: str) -> pa.Array:
    return pc.binary_join_element_wise(
        pa.scalar(before),
        pc.cast(pa.array(numbers, type=pa.int64()), pa.string()),
        pa.scalar(after),
        "",
    )
