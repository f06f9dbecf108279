"""Where each student stands in each lab: handed in or not, late or not, graded or waiting.

One row per (student, lab) with the raw score (NaN until every question has a grade), the late
penalty from the course's policy, the final score and the statuses shown in the export, the
report and the dashboard:
未提交, 待自动评分, 待人工评分, 已评分, 迟交, 超过最终期限, 疑似抄袭, 沙箱违规.
Flags become statuses by keywords kept as data (`flag_statuses.yaml`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc

from jianlab.grading import courseroot
from jianlab.grading.scores import score_table
from jianlab.grading.status import SubmissionStatus, status_path
from jianlab.labs.policy import LatePolicy

NOT_SUBMITTED = "未提交"
PENDING_AUTO = "待自动评分"
PENDING_MANUAL = "待人工评分"
GRADED = "已评分"
LATE = "迟交"
PAST_DEADLINE = "超过最终期限"
STATUS_ORDER = (NOT_SUBMITTED, PENDING_AUTO, PENDING_MANUAL, GRADED, LATE, PAST_DEADLINE)


@cache
def flag_keywords() -> dict[str, tuple[str, ...]]:
    text = Path(__file__).with_name("flag_statuses.yaml").read_text(encoding="utf-8")
    return {status: tuple(words) for status, words in yaml.safe_load(text).items()}


def flag_statuses(flags: list[str]) -> list[str]:
    return [
        status
        for status, words in flag_keywords().items()
        if any(word in flag for flag in flags for word in words)
    ]


def _file_timestamp(root: Path, lab: str, student: str) -> dt.datetime | None:
    path = root / "submitted" / student / lab / "timestamp.txt"
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _seconds_late(gb: Gradebook, root: Path, lab: str, student: str) -> tuple[bool, float]:
    """(handed in, seconds after the due date incl. nbgrader extensions)."""
    try:
        submission = gb.find_submission(lab, student)
        return True, float(submission.total_seconds_late)
    except MissingEntry:
        pass
    if not (root / "submitted" / student / lab).is_dir():
        return False, 0.0
    stamp, due = _file_timestamp(root, lab, student), gb.find_assignment(lab).duedate
    if stamp is None or due is None:
        return True, 0.0
    return True, max(0.0, (stamp - due).total_seconds())


def _timing(root: Path) -> pd.DataFrame:
    rows = []
    with Gradebook(courseroot.db_url(root)) as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                handed_in, late = _seconds_late(gb, root, assignment.name, student.id)
                rows.append((student.id, assignment.name, handed_in, late))
    return pd.DataFrame(rows, columns=["student_id", "lab", "submitted", "seconds_late"])


def _statuses(row: dict[Hashable, Any], policy: LatePolicy, flags: list[str]) -> list[str]:
    if not row["submitted"]:
        return [NOT_SUBMITTED]
    if not row["in_gradebook"]:
        out = [PENDING_AUTO]
    else:
        out = [PENDING_MANUAL if row["waiting"] else GRADED]
    if policy.is_late(row["seconds_late"]):
        out.append(LATE)
    if not policy.accepted(row["seconds_late"]):
        out.append(PAST_DEADLINE)
    return out + flag_statuses(flags)


def standing_table(root: Path, policy: LatePolicy) -> pd.DataFrame:
    long = score_table(root)
    keys = ["student_id", "last_name", "first_name", "lab"]
    per_lab = long.groupby(keys, sort=False).agg(
        raw=("score", lambda s: s.sum(min_count=len(s))),
        max_score=("max_score", "sum"),
        waiting=("needs_manual", "any"),
        scored=("score", "count"),
    )
    table = per_lab.reset_index().merge(_timing(root), on=["student_id", "lab"], how="left")
    table["in_gradebook"] = table["scored"] > 0
    table["penalty_fraction"] = table["seconds_late"].map(policy.penalty_fraction)
    table["penalty"] = (table["raw"] * table["penalty_fraction"]).round(2)
    table["final"] = (table["raw"] - table["penalty"]).round(2)
    records = table.to_dict("records")  # students × labs: hundreds of rows, read from files
    table["flags"] = [_flags(root, str(r["lab"]), str(r["student_id"])) for r in records]
    table["statuses"] = [
        _statuses(r, policy, flags) for r, flags in zip(records, table["flags"], strict=True)
    ]
    return table


def _flags(root: Path, lab: str, student: str) -> list[str]:
    status = SubmissionStatus.read(status_path(root, lab, student))
    return list(status.flags) if status else []
