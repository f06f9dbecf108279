"""Scores out of the nbgrader gradebook as one tidy table (student × question).

Export and report both start from this table, so they can never disagree about a score.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from jianlab.grading import courseroot

COLUMNS = ["student_id", "last_name", "first_name", "lab", "question", "score", "max_score"]


def _question_order(gb: Gradebook, lab: str) -> list[tuple[str, float]]:
    assignment = gb.find_assignment(lab)
    out: list[tuple[str, float]] = []
    for notebook in assignment.notebooks:
        for cell in notebook.grade_cells:
            out.append((cell.name, float(cell.max_score)))
    return out


def score_table(root: Path, labs: list[str] | None = None) -> pd.DataFrame:
    """Every roster student × every graded question; no submission means 0."""
    rows: list[dict[str, object]] = []
    with Gradebook(courseroot.db_url(root)) as gb:
        lab_ids = labs or sorted(a.name for a in gb.assignments)
        for lab in lab_ids:
            questions = _question_order(gb, lab)
            for student in sorted(gb.students, key=lambda s: s.id):
                try:
                    submission = gb.find_submission(lab, student.id)
                    got = {g.name: float(g.score) for nb in submission.notebooks for g in nb.grades}
                except MissingEntry:
                    got = {}
                for name, max_score in questions:
                    rows.append(
                        {
                            "student_id": student.id,
                            "last_name": student.last_name or "",
                            "first_name": student.first_name or "",
                            "lab": lab,
                            "question": name,
                            "score": got.get(name, 0.0),
                            "max_score": max_score,
                        }
                    )
    return pd.DataFrame(rows, columns=COLUMNS)
