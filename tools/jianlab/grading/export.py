"""Grade export for the registrar or an LMS: one row per student, one column per question.

CSV is UTF-8 with BOM so that Excel on Chinese Windows opens it without mojibake; XLSX is
written with openpyxl. Both are written to a temporary file and renamed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from jianlab.grading.sandbox_export import add_sandbox_column
from jianlab.grading.scores import score_table


def wide_table(root: Path, weights: dict[str, float] | None = None) -> pd.DataFrame:
    long = score_table(root)
    if long.empty:
        return pd.DataFrame(columns=["学号", "姓名"])
    long["column"] = long["lab"] + "/" + long["question"]
    order = list(dict.fromkeys(long["column"]))
    wide = long.pivot_table(
        index=["student_id", "last_name", "first_name"],
        columns="column",
        values="score",
        sort=False,
    )[order]
    totals = long.groupby(["student_id", "last_name", "first_name", "lab"], sort=False)[
        "score"
    ].sum()
    per_lab = totals.unstack("lab")
    per_lab.columns = [f"{lab}/总分" for lab in per_lab.columns]
    table = wide.join(per_lab)
    if weights:
        maxima = long.drop_duplicates(["lab", "question"]).groupby("lab")["max_score"].sum()
        pct = sum(
            totals.xs(lab, level="lab") / maxima[lab] * weights.get(lab, 0.0)
            for lab in maxima.index
        )
        table["加权百分制"] = (
            100 * pct / sum(weights.get(lab, 0.0) for lab in maxima.index)
        ).round(2)
    table = table.reset_index()
    table.insert(0, "姓名", table.pop("last_name") + table.pop("first_name"))
    table.insert(0, "学号", table.pop("student_id"))
    return add_sandbox_column(root, table.sort_values("学号").reset_index(drop=True))


def write_export(table: pd.DataFrame, out: Path, fmt: str) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    if fmt == "csv":
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
    else:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            table.to_excel(writer, index=False, sheet_name="成绩")
    tmp.replace(out)
    return out
