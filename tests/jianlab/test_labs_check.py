"""`jianlab labs check` end to end (each run starts real kernels: one per matrix entry)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianlab.cli.labs import app
from jianlab.course.labcheck import check_lab
from jianlab.labs.models import load_lab_spec
from jianlab.labs.paths import labs_dir
from support.repo_datasets import ensure_built

REPO_LABS = sorted(p for p in labs_dir().iterdir() if (p / "lab.yaml").is_file())


@pytest.fixture(scope="module")
def repo_datasets() -> None:
    """The named datasets the repository's labs read, as `make demo` builds them, so the labs
    are checked on a fresh clone too."""
    ensure_built(ref.name for lab in REPO_LABS for ref in load_lab_spec(lab / "lab.yaml").datasets)


def test_fixture_lab_passes_via_cli(fixture_lab: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--labs-dir", str(fixture_lab.parent)])
    assert result.exit_code == 0, result.output
    assert "lab00-fixture" in result.output and "通过" in result.output
    assert "5/5" in result.output


def test_broken_lab_is_refused(fixture_lab: Path) -> None:
    """A wrong model answer (q1), and q2's answer reusing a name from q1's answer: blanking q1
    then costs q2 its point, which the skip-one matrix reports. The instructor cell asks for the
    truth of a dataset the lab does not have: the trusted instructor run reports it."""
    src = fixture_lab / "lab00-fixture.py"
    text = src.read_text(encoding="utf-8")
    text = text.replace(
        "rate = rejected / (approved + rejected)", "rate = rejected / len(decisions)"
    )
    text = text.replace(
        'n_other = decisions.count("其他")', 'n_other = decisions.count("其他") + 0 * approved'
    )
    text = text.replace(
        'print("教师核对：不捕率 =", rate)',
        'from jianlab.grading.runtime import truth_dir\n\ntruth_dir("decisions")',
    )
    src.write_text(text, encoding="utf-8")
    result = check_lab(fixture_lab)
    assert not result.ok
    assert result.solution_score == 1.0 and result.release_score == 0.0
    trusted = [p for p in result.problems if p.startswith("教师版（可信运行）")]
    assert len(trusted) == 1 and "FileNotFoundError" in trusted[0], result.problems
    assert "参考答案在 q1_tests 上只得 0/4 分" in result.problems, result.problems
    assert "只空着 q1_tests 时，q2_tests 只得 0/1 分（题目之间不独立）" in result.problems


def test_test_that_checks_nothing_is_refused(fixture_lab: Path) -> None:
    src = fixture_lab / "lab00-fixture.py"
    text = src.read_text(encoding="utf-8")
    text = text.replace(
        'assert n_other == sum(d == "其他" for d in _decisions), "人数不正确"', "assert True"
    )
    src.write_text(text, encoding="utf-8")
    result = check_lab(fixture_lab)
    assert len(result.problems) == 1 and "[L010]" in result.problems[0], result.problems


def test_unknown_lab_exits_with_code_2(fixture_lab: Path) -> None:
    result = CliRunner().invoke(app, ["check", "nope", "--labs-dir", str(fixture_lab.parent)])
    assert result.exit_code == 2
    assert "没有这些实验" in result.output


@pytest.mark.slow  # the skip-one matrix grades lab01 seven times
@pytest.mark.parametrize("lab_dir", REPO_LABS, ids=[p.name for p in REPO_LABS])
def test_every_repo_lab_passes(lab_dir: Path, repo_datasets: None) -> None:
    result = check_lab(lab_dir)
    assert result.ok, "\n".join(result.problems)
    assert result.solution_score == result.autograded_points > 0
    assert result.release_score == 0
