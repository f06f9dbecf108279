"""Grade export for the registrar or an LMS: one row per student, one column per question.

Headers are readable (“第1题 (q1_tests)”: the grade id beside it, so a column can still be traced
to its cell in formgrader). An empty cell means “no grade yet” and the status column says why
(未提交, 待人工评分, ...); only a real 0 shows as 0. Late penalties follow `late_policy` in
course.yaml. The weighted total is filled when every lab of the student has a final score; a lab
not handed in counts 0 once its due date has passed. A course with a ``pass_rule`` gets two more
columns, 是否合格 and 不合格原因 (passrule.py).

CSV is UTF-8 with BOM so that Excel on Chinese Windows opens it without mojibake; XLSX is
written with openpyxl. Both are written to a temporary file and renamed. The last column, 标记,
carries every grading flag of the student (integrity, sandbox, tampering, copying, off-roster)
so whoever reads the grades sees them too, not only the JSON ledger.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd

from jianlab.grading.passrule import pass_columns
from jianlab.grading.sandbox_export import add_sandbox_column
from jianlab.grading.scores import score_table
from jianlab.grading.standing import NOT_SUBMITTED, standing_table
from jianlab.grading.status import SubmissionStatus
from jianlab.labs.models import CourseSpec
from jianlab.labs.policy import LatePolicy

QUESTION_ID = re.compile(r"^q(\d+)([a-z]?)(?:_|$)")
STATUS_SEP = "；"
FLAG_COLUMN = "标记"


def flag_texts(root: Path) -> dict[str, str]:
    """Student id → "lab：flag；…" from the grading ledger of every lab."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / ".jianlab" / "autograde").glob("*/*.json")):
        status = SubmissionStatus.read(path)
        if status is None:
            continue
        found.setdefault(status.student, []).extend(f"{status.lab}：{f}" for f in status.flags)
    return {student: STATUS_SEP.join(flags) for student, flags in found.items() if flags}


def question_label(grade_id: str, position: int) -> str:
    """“第1题 (q1_tests)” from the q<N> naming convention, else the position among graded cells."""
    match = QUESTION_ID.match(grade_id)
    label = f"第{match.group(1)}题{match.group(2)}" if match else f"第{position}项"
    return f"{label} ({grade_id})"


def _prefix(lab: str, many: bool) -> str:
    return f"{lab}：" if many else ""


def _question_columns(long: pd.DataFrame, many: bool) -> pd.DataFrame:
    long = long.copy()
    long["position"] = long.groupby(["student_id", "lab"]).cumcount() + 1
    long["column"] = [
        _prefix(lab, many) + question_label(q, pos)
        for lab, q, pos in zip(long["lab"], long["question"], long["position"], strict=True)
    ]
    order = list(dict.fromkeys(long["column"]))
    wide = long.pivot_table(
        index="student_id", columns="column", values="score", sort=False, dropna=False
    )
    return wide.reindex(columns=order)


def _lab_columns(standing: pd.DataFrame, many: bool) -> pd.DataFrame:
    parts = []
    for lab, rows in standing.groupby("lab", sort=False):
        p = _prefix(str(lab), many)
        part = rows.set_index("student_id")[["raw", "penalty", "final", "statuses"]].copy()
        part["statuses"] = part["statuses"].map(STATUS_SEP.join)
        part.columns = [f"{p}原始分", f"{p}迟交扣分", f"{p}得分", f"{p}状态"]
        parts.append(part)
    return pd.concat(parts, axis=1)


def _aware(moment: dt.datetime) -> dt.datetime:
    """nbgrader reads a due date without a zone as UTC; so do we."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _missed(standing: pd.DataFrame, spec: CourseSpec, now: dt.datetime) -> pd.Series:
    """Per standing row: a lab of the course not handed in although its due date has passed."""
    due = {lab.id: _aware(lab.due) for lab in spec.labs}
    mine = standing["lab"].isin(due)
    return (
        mine
        & standing["statuses"].map(lambda s: s == [NOT_SUBMITTED])
        & standing["lab"].map(lambda lab: lab in due and due[lab] < now)
    )


def _weighted(standing: pd.DataFrame, spec: CourseSpec, now: dt.datetime) -> pd.Series:
    weights = {lab.id: lab.weight for lab in spec.labs}
    frame = standing[standing["lab"].isin(weights)].copy()
    missing_after_due = _missed(frame, spec, now)
    final = frame["final"].where(~missing_after_due, 0.0)
    frame["part"] = final / frame["max_score"] * frame["lab"].map(weights)
    pct = frame.groupby("student_id")["part"].sum(min_count=1)
    complete = frame.assign(f=final).groupby("student_id")["f"].apply(lambda s: s.notna().all())
    total_weight = sum(weights[lab] for lab in frame["lab"].unique())
    return (100 * pct / total_weight).where(complete).round(2)


def wide_table(
    root: Path, spec: CourseSpec | None = None, now: dt.datetime | None = None
) -> pd.DataFrame:
    long = score_table(root)
    if long.empty:
        return pd.DataFrame(columns=["学号", "姓名", FLAG_COLUMN])
    policy = spec.late_policy if spec is not None else LatePolicy()
    standing = standing_table(root, policy)
    many = long["lab"].nunique() > 1
    names = long.drop_duplicates("student_id").set_index("student_id")
    table = pd.DataFrame({"姓名": names["last_name"] + names["first_name"]}, index=names.index)
    table = table.join(_question_columns(long, many)).join(_lab_columns(standing, many))
    if spec is not None:
        moment = now or dt.datetime.now(dt.UTC)
        table["加权百分制"] = _weighted(standing, spec, moment)
        if spec.pass_rule is not None:
            missed = standing.loc[_missed(standing, spec, moment), ["student_id", "lab"]]
            verdicts = pass_columns(table["加权百分制"], long, standing, missed, spec.pass_rule)
            table = table.join(verdicts)
    table = table.rename_axis("学号").reset_index()
    flags = flag_texts(root)  # with no flags at all, map→fillna("") would fill a float column
    table[FLAG_COLUMN] = table["学号"].map(lambda sid: flags.get(sid, ""))
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
