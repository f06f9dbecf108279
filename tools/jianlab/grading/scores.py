"""Scores out of the nbgrader gradebook as one tidy table (student × question).

Export and report both start from this table, so they can never disagree about a score. A
question that nobody has graded yet (an essay waiting for formgrader) and a lab that was not
handed in have no score (NaN), not 0: nbgrader's own `Grade.score` reads 0 for both, which
would make a missing essay look like a failed one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from jianlab.grading import courseroot

COLUMNS = [
    "student_id",
    "last_name",
    "first_name",
    "lab",
    "question",
    "score",
    "max_score",
    "needs_manual",
]


def question_order(gb: Gradebook, lab: str) -> list[tuple[str, float]]:
    assignment = gb.find_assignment(lab)
    out: list[tuple[str, float]] = []
    for notebook in assignment.notebooks:
        for cell in notebook.grade_cells:
            out.append((cell.name, float(cell.max_score)))
    return out


def _grades(gb: Gradebook, lab: str, student: str) -> dict[str, tuple[float, bool]]:
    """grade id → (score, or NaN while it waits for a person; whether it waits)."""
    try:
        submission = gb.find_submission(lab, student)
    except MissingEntry:
        return {}
    out: dict[str, tuple[float, bool]] = {}
    for nb in submission.notebooks:
        for g in nb.grades:
            waiting = bool(g.needs_manual_grade) and g.manual_score is None
            out[g.name] = (float("nan") if waiting else float(g.score), waiting)
    return out


def score_table(root: Path, labs: list[str] | None = None) -> pd.DataFrame:
    """Every roster student × every graded question; NaN where there is no grade (yet)."""
    rows: list[dict[str, object]] = []
    with Gradebook(courseroot.db_url(root)) as gb:
        lab_ids = labs or sorted(a.name for a in gb.assignments)
        for lab in lab_ids:
            questions = question_order(gb, lab)
            for student in sorted(gb.students, key=lambda s: s.id):
                got = _grades(gb, lab, student.id)
                for name, max_score in questions:
                    score, manual = got.get(name, (float("nan"), False))
                    rows.append(
                        {
                            "student_id": student.id,
                            "last_name": student.last_name or "",
                            "first_name": student.first_name or "",
                            "lab": lab,
                            "question": name,
                            "score": score,
                            "max_score": max_score,
                            "needs_manual": manual,
                        }
                    )
    return pd.DataFrame(rows, columns=COLUMNS)
