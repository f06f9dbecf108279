"""`nbgrader validate` as students see it, in Chinese (the course config installs the patch)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat import NotebookNode
from nbgrader.validator import Validator
from traitlets.config import Config
from typer.testing import CliRunner

from jianlab.cli.course import app
from jianlab.grading import validator_zh

ENGLISH = (
    "Success!",
    "VALIDATION FAILED",
    "The following cell",
    "You did not provide",
    "The error",
)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Success! Your notebook passes all the tests.\n", "通过！你的笔记本通过了全部测试。\n"),
        ("\n====\nThe following cell failed:\n\n", "\n====\n下面这个单元未通过：\n\n"),
        ("The error was:\n\n", "错误信息：\n\n"),
        (
            "The following code cell has changed to a markdown cell:\n\n",
            "下面这个单元的类型从 code 改成了 markdown：\n\n",
        ),
        ("plain student output\n", "plain student output\n"),
    ],
)
def test_stream_translation(written: str, shown: str) -> None:
    out = io.StringIO()
    validator_zh._Translating(out).write(written)
    assert out.getvalue() == shown


def test_install_sets_chinese_warnings() -> None:
    config = Config()
    validator_zh.install(config)
    validator = Validator(config=config)
    assert validator.failed_warning.format(num_failed=2).startswith("有 2 个单元未通过检查")


@pytest.mark.slow
def test_nbgrader_validate_speaks_chinese(tmp_path: Path) -> None:
    spec = {
        "id": "jl-validate",
        "title": "校验测试",
        "term": "2026 秋",
        "labs": [{"id": "lab00-fixture", "due": "2026-12-01T23:59:00+08:00", "weight": 1}],
        "roster": [{"id": "s01", "last_name": "王", "first_name": "晓明"}],
    }
    course = tmp_path / "course.yaml"
    course.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "course"
    labs = str(Path(__file__).parent / "fixtures" / "labs")
    args = ["build", str(course), "--out", str(root), "--labs-dir", labs]
    assert CliRunner().invoke(app, args).exit_code == 0
    nbgrader = Path(sys.executable).parent / "nbgrader"
    run = subprocess.run(
        [str(nbgrader), "validate", "release/lab00-fixture/lab00-fixture.ipynb"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    for expected in ("个单元未通过检查", "下面这个单元未通过", "你还没有作答", "错误信息"):
        assert expected in run.stdout, run.stdout
    assert not [e for e in ENGLISH if e in run.stdout], run.stdout


def _graded(*outputs: dict[str, object]) -> NotebookNode:
    cell = nbformat.v4.new_code_cell("assert rate > 0")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1_tests", "points": 4}
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    return nb


WARNING = {"output_type": "stream", "name": "stderr", "text": "FutureWarning: 将来会变\n"}
PRINTED = {"output_type": "stream", "name": "stdout", "text": "0.3\n"}
RAISED = {"output_type": "error", "ename": "AssertionError", "evalue": "", "traceback": []}


@pytest.mark.parametrize(
    ("outputs", "failed"),
    [
        ((), False),
        ((PRINTED,), False),
        ((WARNING,), False),  # a warning is not a failed test (the grader agrees)
        ((WARNING, PRINTED), False),
        ((RAISED,), True),
        ((WARNING, RAISED), True),
    ],
)
def test_validate_ignores_warnings_on_stderr(
    outputs: tuple[dict[str, object], ...], failed: bool
) -> None:
    validator_zh.install()
    nb = _graded(*outputs)
    assert bool(Validator()._get_failed_cells(nb)) is failed
    assert len(nb.cells[0].outputs) == len(outputs)  # the student's notebook is not changed
