"""Hostile corpus for trusted verdicts: what a submission does to its own interpreter, its answer
files, its cell order or its feedback page changes nothing but its own score, and is flagged.

One class run (2 workers) grades every case next to an honest student; the gradebook, the
export and formgrader's flagged state are checked from that run.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbgrader.api import Gradebook

from jianlab.course import simulate
from jianlab.course.build import BuildOptions, build_course
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.export import FLAG_COLUMN, wide_table
from jianlab.grading.feedback import FAILED_FLAG, generate_feedback
from jianlab.grading.flags import OFF_ROSTER
from jianlab.grading.status import SubmissionStatus, status_path
from jianlab.labs.models import load_course_spec
from jianlab.labs.paths import courses_dir
from support.hostile_lab import GOOD_Q1, GOOD_Q2, LAB, cell, make_course, submit

ANSWERS = ".jianlab-answers"
WRONG = "rate = 0.9"
SWALLOW = """import ast

class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None,
                                    body=[ast.Pass()])
        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[],
                             finalbody=[])]
        return ast.fix_missing_locations(node)

get_ipython().ast_transformers.append(_Swallow())
"""
PATCH = """import builtins
import numpy as np

np.allclose = lambda *a, **k: True
builtins.abs = lambda x: 0.0
"""
FAKE_PATH = """class Path:
    def __init__(self, *args):
        pass

    def read_text(self, encoding=None):
        return "不批准逮捕 批准逮捕"

"""
HIDDEN_LINE = '_d = Path("data/decisions.txt").read_text(encoding="utf-8").split()'
LEAK = base64.b64encode(gzip.compress(HIDDEN_LINE.encode())).decode()
LOOP_Q1 = """counts = {}
for d in decisions:
    counts[d] = counts.get(d, 0) + 1
approved = 0
rejected = 0
for d in decisions:
    if d == "批准逮捕":
        approved += 1
    elif d == "不批准逮捕":
        rejected += 1
assert approved == counts.get("批准逮捕", 0)
rate = rejected / (approved + rejected)"""
RENAMED_Q1 = LOOP_Q1.replace("approved", "yes").replace("rejected", "no").replace("counts", "tally")
CUSTOM_EXC = "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
Q1_FILE = f"{ANSWERS}/q1_tests/rate.json"


def _after_q2(code: str) -> str:
    """q2's answer cell runs after q1's answer was exported: it attacks q1's answer file."""
    return f"{GOOD_Q2}\nimport os\n{code}"


def _swap_questions(nb: NotebookNode) -> None:
    ids = ["q1_answer", "q1_tests"]
    moved = [cell(nb, g) for g in ids]
    nb.cells = [c for c in nb.cells if c not in moved] + moved


def _double_marker(nb: NotebookNode) -> None:
    cell(nb, "q2_answer").source = "# ### BEGIN HIDDEN TESTS\n# ### BEGIN HIDDEN TESTS\n" + GOOD_Q2


Edit = Callable[[NotebookNode], None] | None
# student: (q1 answer, q2 answer, edit, expected scores, flag substring or None)
CORPUS: dict[str, tuple[str, str, Edit, dict[str, float], str | None]] = {
    "good": (GOOD_Q1, GOOD_Q2, None, {"q1_tests": 3, "q2_tests": 2}, None),
    "patch": (PATCH + WRONG, GOOD_Q2, None, {"q1_tests": 0, "q2_tests": 2}, "改写库函数"),
    "ast": (SWALLOW + WRONG, "n_other = 0", None, {"q1_tests": 0, "q2_tests": 0}, "AST"),
    "customexc": (CUSTOM_EXC + WRONG, GOOD_Q2, None, {"q1_tests": 0, "q2_tests": 2}, "异常处理"),
    "helpers": (FAKE_PATH + "rate = 0.5", GOOD_Q2, None, {"q1_tests": 0, "q2_tests": 2}, "Path"),
    "badtype": ("rate = object()", GOOD_Q2, None, {"q1_tests": 0, "q2_tests": 2}, None),
    "malformed": (
        GOOD_Q1,
        _after_q2(f"open({Q1_FILE!r}, 'w').write('{{\"value\": ')"),
        None,
        {"q1_tests": 0, "q2_tests": 2},
        None,
    ),
    "symlink": (
        GOOD_Q1,
        _after_q2(f"os.remove({Q1_FILE!r})\nos.symlink('/etc/hostname', {Q1_FILE!r})"),
        None,
        {"q1_tests": 0, "q2_tests": 2},
        None,
    ),
    "huge": (
        GOOD_Q1,
        _after_q2(f"open({Q1_FILE!r}, 'w').write(' ' * (70 * 2**20))"),
        None,
        {"q1_tests": 0, "q2_tests": 2},
        None,
    ),
    "preshipped": (
        GOOD_Q1,
        "raise NotImplementedError()",
        None,
        {"q1_tests": 3, "q2_tests": 0},
        None,
    ),
    "reordered": (GOOD_Q1, GOOD_Q2, _swap_questions, {"q1_tests": 3, "q2_tests": 2}, "顺序"),
    "markers": (GOOD_Q1, GOOD_Q2, _double_marker, {"q1_tests": 3, "q2_tests": 2}, None),
    "leak64": (GOOD_Q1, GOOD_Q2 + f"\nprint({LEAK!r})", None, {"q1_tests": 3, "q2_tests": 2}, None),
    "copy_a": (LOOP_Q1, GOOD_Q2, None, {"q1_tests": 3, "q2_tests": 2}, "copy_b 高度相似"),
    "copy_b": (RENAMED_Q1, GOOD_Q2, None, {"q1_tests": 3, "q2_tests": 2}, "copy_a 高度相似"),
}
# pages that must be withheld: the student's own marker text, a hidden line under gzip+base64
WITHHELD = {"markers", "leak64"}


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, SubmissionStatus]]:
    root = make_course(tmp_path_factory.mktemp("verdicts") / "course")
    for student, (q1, q2, edit, _, _) in CORPUS.items():
        folder = submit(root, student, q1, q2, edit)
        if student == "preshipped":  # a right answer file shipped instead of an answer
            shipped = folder / ANSWERS / "q2_tests"
            shipped.mkdir(parents=True)
            (shipped / "n_other.json").write_text(json.dumps({"value": 2}), encoding="utf-8")
    source = _digest(root / "source")
    statuses = autograde_lab(root, LAB, AutogradeOptions(workers=2, wall_s=120, cell_timeout_s=20))
    assert _digest(root / "source") == source
    return root, {s.student: s for s in statuses}


@pytest.mark.parametrize("student", list(CORPUS))
def test_verdict_is_trusted(graded: tuple[Path, dict[str, SubmissionStatus]], student: str) -> None:
    _, statuses = graded
    _, _, _, expected, flag = CORPUS[student]
    status = statuses[student]
    assert {k: status.scores[k] for k in expected} == expected, status
    if flag is None:
        assert not [f for f in status.flags if "篡改" in f or "顺序" in f], status.flags
    else:
        assert any(flag in f for f in status.flags), status.flags


def test_flags_reach_gradebook_and_export(
    graded: tuple[Path, dict[str, SubmissionStatus]],
) -> None:
    root, statuses = graded
    with Gradebook(courseroot.db_url(root)) as gb:
        flagged = {
            s.student.id: any(nb.flagged for nb in s.notebooks)
            for s in gb.find_assignment(LAB).submissions
        }
    assert flagged == {s: bool(st.flags) for s, st in statuses.items()}
    assert flagged["patch"] and not flagged["good"]
    assert OFF_ROSTER in statuses["patch"].flags and OFF_ROSTER not in statuses["good"].flags
    table = wide_table(root).set_index("学号")
    assert "改写库函数" in table.loc["patch", FLAG_COLUMN]
    assert table.loc["good", FLAG_COLUMN] == ""


def test_feedback_survives_hostile_notebooks(
    graded: tuple[Path, dict[str, SubmissionStatus]],
) -> None:
    root, _ = graded
    broken = root / "autograded" / "badtype" / LAB / f"{LAB}.ipynb"
    broken.chmod(0o644)
    broken.write_text('{"cells": [', encoding="utf-8")  # a notebook nbgrader cannot read
    pages, problems = generate_feedback(root, LAB)
    assert {p.parent.parent.name for p in pages} == set(CORPUS) - WITHHELD - {"badtype"}
    assert {p.split("：")[0] for p in problems} == WITHHELD | {"badtype"}, problems
    assert f"badtype：{FAILED_FLAG}" in problems
    assert any("编码后" in p for p in problems if p.startswith("leak64")), problems
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "_d.count" not in text and "HIDDEN TESTS" not in text
    for student in WITHHELD | {"badtype"}:
        status = SubmissionStatus.read(status_path(root, LAB, student))
        assert status is not None and any("反馈页" in f for f in status.flags), status


@pytest.mark.slow
def test_lab01_tampered_interpreter_scores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interpreter attacks on the real lab and a built per-student course with the course
    secret set: blank answers behind `np.allclose = …` and a try/except AST transformer."""
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "verdict-test-secret")
    spec = load_course_spec(courses_dir() / "demo" / "course.yaml")
    root = build_course(spec, tmp_path / "course", BuildOptions(workers=2))
    lab = spec.labs[0].id
    simulate.submit(root, lab, "s01", "complete")
    folder = simulate.submit(root, lab, "s02", "blank")
    path = folder / f"{lab}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell(nb, "q1_answer").source = PATCH + SWALLOW
    nbformat.write(nb, path)
    statuses = {s.student: s for s in autograde_lab(root, lab, AutogradeOptions(workers=2))}
    assert sum(statuses["s01"].scores.values()) == 29 and not statuses["s01"].flags
    tampered = statuses["s02"]
    assert sum(tampered.scores.values()) == 0, tampered
    assert any("改写库函数 np.allclose" in f and "AST" in f for f in tampered.flags), tampered
