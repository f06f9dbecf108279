"""A tiny course around the hostile fixture lab, shared by the grading tests that submit to it
(autograde, trusted verdicts)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from jianlab.grading import courseroot
from jianlab.labs.models import Student
from jianlab.labs.source import build_notebooks, write_notebook

LAB = "lab00-data"
LAB_DIR = Path(__file__).parents[1] / "jianlab" / "fixtures" / "hostile" / LAB
GOOD_Q1 = (
    'rate = decisions.count("不批准逮捕") / '
    '(decisions.count("批准逮捕") + decisions.count("不批准逮捕"))'
)
GOOD_Q2 = 'n_other = decisions.count("其他")'
ROSTER = [Student(id="good", last_name="王", first_name="一")]


def make_course(root: Path, roster: list[Student] = ROSTER) -> Path:
    courseroot.init_root(root, "jl_test")
    nbs = build_notebooks(LAB_DIR / f"{LAB}.py")
    write_notebook(nbs.source, root / "source" / LAB / f"{LAB}.ipynb")
    write_notebook(nbs.instructor, root / "instructor" / LAB / f"{LAB}.ipynb")
    shutil.copytree(LAB_DIR / "data", root / "source" / LAB / "data")
    courseroot.add_students(root, roster)
    courseroot.generate_assignment(root, LAB)
    return root


def cell(nb: NotebookNode, gid: str) -> NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def submit(
    root: Path, student: str, q1: str, q2: str, edit: Callable[[NotebookNode], None] | None = None
) -> Path:
    nb = nbformat.read(root / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    cell(nb, "q1_answer").source = q1
    cell(nb, "q2_answer").source = q2
    if edit is not None:
        edit(nb)
    path = root / "submitted" / student / LAB / f"{LAB}.ipynb"
    write_notebook(nb, path)
    return path.parent
