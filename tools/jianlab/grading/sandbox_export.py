"""The export's sandbox column: which grades came from an unsafe run or a sandbox violation.

Instructors look at the grade export, not at status JSON files, so every flag about isolation
(an unsafe run, an escape attempt the sandbox blocked, reference data that changed) is copied
there, one cell per student. The column appears only when some submission has such a flag.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jianlab.grading.kernelbox import FLAG_PREFIX
from jianlab.grading.status import SubmissionStatus

COLUMN = "沙箱与隔离"
MARKERS = (FLAG_PREFIX, "未隔离评分", "参考数据在评分期间被改动")


def isolation_flags(status: SubmissionStatus) -> list[str]:
    return [f for f in status.flags if f.startswith(MARKERS)]


def sandbox_notes(root: Path) -> dict[str, str]:
    """Student id → "lab：flag；flag" over every lab's autograde statuses."""
    notes: dict[str, list[str]] = {}
    for path in sorted((root / ".jianlab" / "autograde").glob("*/*.json")):
        status = SubmissionStatus.read(path)
        if status is not None and (flags := isolation_flags(status)):
            notes.setdefault(status.student, []).append(f"{status.lab}：{'；'.join(flags)}")
    return {student: " | ".join(items) for student, items in notes.items()}


def add_sandbox_column(root: Path, table: pd.DataFrame) -> pd.DataFrame:
    notes = sandbox_notes(root)
    if notes and "学号" in table.columns:
        table[COLUMN] = table["学号"].map(notes).fillna("")
    return table
