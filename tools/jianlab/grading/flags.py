"""Flags where instructors look: the status ledger, the export and formgrader's flagged state.

The worker records per-submission flags (integrity, sandbox, tampering, trusted-grading
problems); after a lab is graded `finalize_lab` adds the class-level ones (off-roster
submissions, answer code copied between students) and marks every flagged submission as
`flagged` in nbgrader's gradebook, which formgrader shows on the submission list.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from jianlab.grading import courseroot
from jianlab.grading.copydetect import similar_pairs
from jianlab.grading.status import SubmissionStatus, status_path
from jianlab.labs.source import SOLUTION_BEGIN, SOLUTION_END, without_markers

OFF_ROSTER = "提交者不在花名册中，请核实身份后再计分"
COPY_PREFIX = "答案代码与"


def roster(root: Path) -> set[str]:
    """Roster ids: the course manifest's, else the named students in the gradebook (a root with
    neither, such as `labs check`'s, has no roster and is not checked)."""
    manifest = root / ".jianlab" / "course.json"
    if manifest.is_file():
        spec = json.loads(manifest.read_text(encoding="utf-8"))
        return {s["id"] for s in spec.get("roster", [])}
    with Gradebook(courseroot.db_url(root)) as gb:
        return {s.id for s in gb.students if s.first_name or s.last_name}


def set_flagged(root: Path, lab: str, students: set[str]) -> None:
    """Formgrader's flag on every notebook of these submissions (cleared on the others)."""
    with Gradebook(courseroot.db_url(root)) as gb:
        try:
            assignment = gb.find_assignment(lab)
        except MissingEntry:
            return
        for submission in assignment.submissions:
            for notebook in submission.notebooks:
                notebook.flagged = submission.student.id in students
        gb.db.commit()


def add_flags(root: Path, lab: str, student: str, flags: list[str]) -> None:
    """Flags found after grading (feedback failures, leaks): ledger and gradebook both."""
    path = status_path(root, lab, student)
    status = SubmissionStatus.read(path)
    if status is not None:
        status.flags += [f for f in flags if f not in status.flags]
        status.write(path)
    with Gradebook(courseroot.db_url(root)) as gb:
        try:
            submission = gb.find_submission(lab, student)
        except MissingEntry:
            return
        for notebook in submission.notebooks:
            notebook.flagged = True
        gb.db.commit()


def answer_code(root: Path, lab: str, student: str, answer_ids: set[str]) -> list[str]:
    parts: list[str] = []
    for path in sorted((root / "submitted" / student / lab).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # unreadable notebooks are flagged by the integrity check
            continue
        parts += [
            c.source
            for c in nb.cells
            if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade_id") in answer_ids
        ]
    return parts


def _base_code(root: Path, lab: str) -> tuple[set[str], list[str]]:
    """(answer cell ids, model solutions and release stubs) of the lab."""
    ids: set[str] = set()
    base: list[str] = []
    for folder in ("source", "release"):
        for path in sorted((root / folder / lab).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("solution") and cell.cell_type == "code":
                    ids.add(meta["grade_id"])
                    base.append(without_markers(cell.source, (SOLUTION_BEGIN, SOLUTION_END)))
    return ids, base


def copy_flags(root: Path, lab: str, students: list[str]) -> dict[str, list[str]]:
    ids, base = _base_code(root, lab)
    codes = {s: answer_code(root, lab, s, ids) for s in students}
    flags: dict[str, list[str]] = {s: [] for s in students}
    for match in similar_pairs(codes, base):
        for me, other in ((match.first, match.second), (match.second, match.first)):
            flags[me].append(
                f"{COPY_PREFIX} {other} 高度相似（相似度 {match.similarity:.2f}），疑似抄袭"
            )
    return flags


def finalize_lab(root: Path, lab: str, statuses: list[SubmissionStatus]) -> None:
    """Class-level flags into each status (idempotent on reruns), then formgrader's flag."""
    known = roster(root)
    copies = copy_flags(root, lab, [s.student for s in statuses])
    for status in statuses:
        status.flags = [
            f for f in status.flags if not f.startswith(COPY_PREFIX) and f != OFF_ROSTER
        ]
        if known and status.student not in known:
            status.flags.append(OFF_ROSTER)
        status.flags += copies.get(status.student, [])
        status.write(status_path(root, lab, status.student))
    set_flagged(root, lab, {s.student for s in statuses if s.flags})
