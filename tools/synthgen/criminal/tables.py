"""Arrow tables of one criminal partition: cases (with their case numbers), the two review
tables and the planted violations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.criminal.timing import Timeline

if TYPE_CHECKING:
    from synthgen.criminal.partition import PartitionTask
    from synthgen.criminal.population import Population


def with_columns(table: pa.Table, columns: dict[str, Any]) -> pa.Table:
    for name, value in columns.items():
        typ = pa.int16() if name == "year" else pa.string()
        table = table.append_column(name, pa.array(np.full(table.num_rows, value)).cast(typ))
    return table


def review_table(
    rows: npt.NDArray[np.int64],
    common: dict[str, pa.Array],
    province: str,
    received: npt.NDArray[np.datetime64],
    decided: npt.NDArray[np.datetime64],
    decision: npt.NDArray[Any],
    extra: dict[str, npt.NDArray[Any]],
) -> pa.Table:
    """One review table (arrest or prosecution): the reviewed suspects' rows of each column;
    ``year`` is the year of the decision date."""
    take = pa.array(rows)
    columns: dict[str, Any] = {name: col.take(take) for name, col in common.items()}
    dates = decided[rows].astype("datetime64[D]")
    columns["year"] = pa.array(
        (dates.astype("datetime64[Y]").astype(np.int64) + 1970).astype(np.int16)
    )
    columns["received_date"] = pa.array(received[rows])
    columns["decision_date"] = pa.array(dates)
    columns["decision"] = pa.array(decision[rows])
    for name, values in extra.items():
        columns[name] = pa.array(values[rows], type=None if values.dtype != object else pa.string())
    return with_columns(pa.table(columns), {"province_code": province})


def cases_table(
    pop: Population,
    procs: pd.DataFrame,
    case_ids: pa.Array,
    task: PartitionTask,
    kept_suspect: npt.NDArray[np.bool_],
) -> pa.Table:
    """Cases with at least one suspect in the data window; ``n_suspects`` counts those.
    Cases of the spill partition have only reached 审查逮捕: their number is a 检刑捕 number."""
    cases, tl = pop.cases, pop.tl
    n_cases = cases.crime.size
    n_kept = np.bincount(cases.suspect_case[kept_suspect], minlength=n_cases)
    order = np.lexsort((tl.case_start.astype(np.int64), cases.proc))
    seq = np.empty(n_cases, dtype=np.int64)
    sorted_proc = cases.proc[order]
    first = np.r_[True, sorted_proc[1:] != sorted_proc[:-1]]
    run_start = np.maximum.accumulate(np.where(first, np.arange(n_cases), 0))
    seq[order] = np.arange(n_cases) - run_start + 1
    abbr = procs["abbr"].to_numpy(str)[cases.proc]
    kind = "检刑捕" if task.part == 1 else "检刑诉"
    number = pc.binary_join_element_wise(
        pa.array(abbr), pa.scalar(f"{kind}〔{task.year}〕"),
        pc.cast(pa.array(seq), pa.string()), pa.scalar("号"), "",
    )  # fmt: skip
    table = with_columns(
        pa.table(
            {
                "case_id": case_ids,
                "case_number": number,
                "procuratorate_id": pa.array(procs["procuratorate_id"].to_numpy(str)[cases.proc]),
                "crime": pa.array(pop.crimes.names[cases.crime]),
                "received_date": pa.array(tl.case_start),
                "n_suspects": pa.array(n_kept.astype(np.int16)),
            }
        ),
        {"province_code": task.province, "year": task.year},
    )
    return table.filter(pa.array(n_kept > 0))


def violations(
    tl: Timeline,
    kept_arrest: npt.NDArray[np.bool_],
    kept_pros: npt.NDArray[np.bool_],
    case_ids: pa.Array,
    suspect_ids: pa.Array,
) -> pa.Table:
    """The planted late decisions that fall inside the data window (XS-03, XS-04)."""
    late_a = np.flatnonzero(tl.late_arrest & kept_arrest)
    late_p = np.flatnonzero(tl.late_pros & kept_pros)
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
