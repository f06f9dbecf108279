"""`nbgrader validate` as students see it, in Chinese (the course config installs the patch)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
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
