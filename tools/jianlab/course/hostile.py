"""A small course built the way an instructor builds one, for grading hostile submissions.

Like `jianlab course build` it has a roster, a course secret (in `instructor/course_secret` and
in the environment), a handout per student with that student's own data and, for the grader, a
reference copy per student holding the same data plus an instructor-only `_truth/`. The lab is a
tiny jupytext source (no dataset build), so a test can grade a dozen submissions in seconds.
`snapshot` fingerprints the folders a submission must never change (docs/grading-sandbox.md).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import nbformat

from jianlab.grading import courseroot
from jianlab.labs.models import Student
from jianlab.labs.source import build_notebooks, write_notebook

DATASET = "decisions"
SECRET_ENV = "JIANLAB_COURSE_SECRET"


def decisions_text(index: int) -> str:
    """Each student's data differs, so a copied answer or swapped data gives another result."""
    words = ["批准逮捕"] * (5 + index) + ["不批准逮捕"] * (3 + 2 * index) + ["其他"] * (1 + index)
    return " ".join(words) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_course(root: Path, lab_source: Path, students: list[str], secret: str) -> Path:
    """Course root with per-student handouts and reference data for lab `lab_source.stem`."""
    lab = lab_source.stem
    courseroot.init_root(root, "jl_hostile")
    nbs = build_notebooks(lab_source)
    write_notebook(nbs.source, root / "source" / lab / f"{lab}.ipynb")
    write_notebook(nbs.instructor, root / "instructor" / lab / f"{lab}.ipynb")
    secret_file = root / "instructor" / "course_secret"
    _write(secret_file, secret + "\n")
    secret_file.chmod(0o600)
    roster = [Student(id=s, last_name="学", first_name=f"生{i}") for i, s in enumerate(students)]
    courseroot.add_students(root, roster)
    courseroot.generate_assignment(root, lab)
    for i, student in enumerate(students):
        data = decisions_text(i)
        _write(root / "handout" / student / lab / "data" / DATASET / "decisions.txt", data)
        reference = root / "instructor" / lab / "reference" / student / DATASET
        _write(reference / "decisions.txt", data)
        truth = {"不批准逮捕": data.split().count("不批准逮捕"), "secret": secret}
        _write(reference / "_truth" / "answer.json", json.dumps(truth, ensure_ascii=False))
    return root


def submit(root: Path, lab: str, student: str, answers: dict[str, str]) -> Path:
    """Hand in the release notebook with `answers` (grade id → source) and own data."""
    dest = root / "submitted" / student / lab
    nb = nbformat.read(root / "release" / lab / f"{lab}.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    write_notebook(nb, dest / f"{lab}.ipynb")
    handout = root / "handout" / student / lab / "data"
    for file in handout.rglob("*"):
        if file.is_file():
            _write(dest / "data" / file.relative_to(handout), file.read_text(encoding="utf-8"))
    return dest


def _digest(path: Path, content: bool) -> str:
    if not content:
        st = path.stat()
        return f"{st.st_size}:{st.st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(roots: Iterable[Path], content: bool = True) -> dict[str, str]:
    """Path → sha256 (or size:mtime for big trees) of every file under `roots`, plus dirs.

    Symlinks are recorded by target and not followed, so a planted link shows up as a change.
    Bytecode caches are skipped: the grader's own interpreters write them.
    """
    result: dict[str, str] = {}
    for root in roots:
        if root.is_file():
            result[str(root)] = _digest(root, content)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            result[str(here)] = "dir"
            for name in [*filenames, *(d for d in dirnames if (here / d).is_symlink())]:
                path = here / name
                if path.is_symlink():
                    result[str(path)] = "link:" + os.readlink(path)
                elif path.is_file():
                    result[str(path)] = _digest(path, content)
    return result
