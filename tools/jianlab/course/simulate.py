"""Simulated submissions for the demo, tests and benchmarks (no exchange, no real students).

A simulated student starts from what they were handed (their handout, or the release) and fills
solution cells from the instructor notebook according to a mode; `copy:<id>` hands in another
student's finished folder, data included, the way a copied submission arrives. The instructor's
solution markers are dropped: a student never sees them, and an essay that shows "BEGIN
SOLUTION" would not look like handed-in work in formgrader or the feedback page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearSolutions

from jianlab.grading import courseroot
from jianlab.labs.source import without_markers

MODES = ("complete", "partial", "blank")
TIMESTAMP = "2026-12-15 12:00:00.000000 UTC"


def _solutions(root: Path, lab: str) -> dict[str, str]:
    """Model answers by grade id, with the course's configured solution delimiters removed."""
    clear = ClearSolutions(config=courseroot.load_config(root))
    markers = (clear.begin_solution_delimeter, clear.end_solution_delimeter)
    nb = nbformat.read(root / "instructor" / lab / f"{lab}.ipynb", as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: without_markers(c.source, markers)
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


def _starting_folder(root: Path, lab: str, student: str) -> Path:
    handout = root / "handout" / student / lab
    return handout if handout.is_dir() else root / "release" / lab


def submit(root: Path, lab: str, student: str, mode: str) -> Path:
    dest = root / "submitted" / student / lab
    if dest.exists():
        shutil.rmtree(dest)
    if mode.startswith("copy:"):
        shutil.copytree(root / "submitted" / mode.split(":", 1)[1] / lab, dest)
        return dest
    if mode not in MODES:
        raise ValueError(f"未知的模拟方式：{mode}（可用：{', '.join(MODES)}、copy:<学号>）")
    shutil.copytree(_starting_folder(root, lab, student), dest)
    answers = _solutions(root, lab)
    keep = list(answers)[: len(answers) // 2] if mode == "partial" else list(answers)
    for path in dest.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if mode != "blank" and gid in keep:
                cell.source = answers[gid]
        nbformat.write(nb, path)
    (dest / "timestamp.txt").write_text(TIMESTAMP, encoding="utf-8")
    return dest
