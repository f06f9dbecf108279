"""Sandboxed parallel autograding: the hostile corpus, resume after SIGKILL, feedback, export."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from typer.testing import CliRunner

from jianlab.cli.grade import app
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.status import SubmissionStatus
from support.hostile_lab import GOOD_Q1, GOOD_Q2, LAB, cell, make_course, submit


def _weaken_test(nb: NotebookNode) -> None:
    cell(nb, "q1_tests").source = "pass"


# student: (q1 answer, q2 answer, edit, expected scores, expected flag substring)
CORPUS: dict[
    str, tuple[str, str, Callable[[NotebookNode], None] | None, dict[str, float], str | None]
] = {
    "good": (GOOD_Q1, GOOD_Q2, None, {"q1_tests": 3, "q2_tests": 2}, None),
    "loop": ("while True:\n    pass", GOOD_Q2, None, {"q1_tests": 0, "q2_tests": 2}, "超时"),
    "alloc": (
        "x = bytearray(20 * 2**30)\n" + GOOD_Q1,
        GOOD_Q2,
        None,
        {"q1_tests": 0, "q2_tests": 2},
        "内存",
    ),
    "sysexit": (
        "import sys\nsys.exit()",
        GOOD_Q2,
        None,
        {"q1_tests": 0, "q2_tests": 2},
        "sys.exit()",
    ),
    "osexit": (
        GOOD_Q1,
        "import os\nos._exit(0)",
        None,
        {"q1_tests": 3, "q2_tests": 0},
        "内核中途终止",
    ),
    # hidden tests read the master copy, so deleting the working copy costs nothing but a flag
    "rmdata": (
        GOOD_Q1 + '\nimport os\nos.remove("data/decisions.txt")',
        GOOD_Q2,
        None,
        {"q1_tests": 3, "q2_tests": 2},
        "删除了文件",
    ),
    "locked": (
        "rate = 0.0",
        GOOD_Q2,
        _weaken_test,
        {"q1_tests": 0, "q2_tests": 2},
        "修改了锁定单元 q1_tests",
    ),
    "print50": (
        'print("x" * 50_000_000)\n' + GOOD_Q1,
        GOOD_Q2,
        None,
        {"q1_tests": 3, "q2_tests": 2},
        "输出过长",
    ),
}


@pytest.fixture(scope="module")
def hostile_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, SubmissionStatus], float]:
    root = make_course(tmp_path_factory.mktemp("hostile") / "course")
    for student, (q1, q2, edit, _, _) in CORPUS.items():
        submit(root, student, q1, q2, edit)
    start = time.monotonic()
    statuses = autograde_lab(root, LAB, AutogradeOptions(workers=2, wall_s=90, cell_timeout_s=5))
    return root, {s.student: s for s in statuses}, time.monotonic() - start


@pytest.mark.parametrize("student", list(CORPUS))
def test_hostile_corpus(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float], student: str
) -> None:
    _, statuses, elapsed = hostile_run
    _, _, _, expected, flag = CORPUS[student]
    status = statuses[student]
    assert {k: status.scores[k] for k in expected} == expected, status
    if flag is None:
        assert not [f for f in status.flags if "修改" in f or "终止" in f], status.flags
    else:
        assert any(flag in f for f in status.flags), status.flags
    assert elapsed < 150


def test_statuses_count_the_sandboxed_kernels_cpu(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float],
) -> None:
    """The sandbox's CPU time is read before it is ended (it would be lost with bwrap's orphaned
    init) and is part of the submission's process-tree CPU time (docs/performance.md)."""
    _, statuses, _ = hostile_run
    good, loop = statuses["good"], statuses["loop"]
    assert 0 < good.kernel_cpu_s <= good.cpu_s, good
    # the endless loop burnt its 5-second cell budget inside the sandbox
    assert loop.kernel_cpu_s >= 3.0 and loop.cpu_s >= loop.kernel_cpu_s, loop


def test_hostile_outputs_are_capped(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float],
) -> None:
    root, _, _ = hostile_run
    assert (root / "autograded" / "print50" / LAB / f"{LAB}.ipynb").stat().st_size < 1_000_000


def test_false_checksum_warning_is_filtered(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float],
) -> None:
    _, statuses, _ = hostile_run
    assert not any("checksum" in line for s in statuses.values() for line in s.log)


def test_feedback_export_report(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float],
) -> None:
    root, _, _ = hostile_run
    runner = CliRunner()
    result = runner.invoke(app, ["feedback", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    page = (root / "feedback" / "locked" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    assert "HIDDEN TESTS" not in page and "_d.count" not in page
    assert "隐藏测试未通过" in page
    assert not (root / "feedback" / "good" / LAB / "data").exists()
    for fmt in ("csv", "xlsx"):
        result = runner.invoke(app, ["export", "--course", str(root), "--format", fmt])
        assert result.exit_code == 0, result.output
    raw = (root / "exports" / "grades.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(root / "exports" / "grades.csv", encoding="utf-8-sig").set_index("学号")
    assert table.loc["good", "得分"] == 5 and table.loc["good", "姓名"] == "王一"
    assert list(table.columns[:3]) == ["姓名", "第1题 (q1_tests)", "第2题 (q2_tests)"]
    assert table.loc["good", "状态"] == "已评分" and "沙箱违规" in table.loc["rmdata", "状态"]
    xlsx = pd.read_excel(root / "exports" / "grades.xlsx").set_index("学号")
    assert xlsx.loc["osexit", "第1题 (q1_tests)"] == 3
    result = runner.invoke(app, ["report", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    report = pd.read_csv(root / "reports" / LAB / "item_analysis.csv", encoding="utf-8-sig")
    q2 = report.set_index("题目").loc["第2题 (q2_tests)"]
    assert q2["难度（得分率）"] == pytest.approx(7 / 8) and q2["零分人数"] == 1
    assert (root / "reports" / LAB / "score_distributions.png").stat().st_size > 1000


def test_export_rejects_unknown_format(
    hostile_run: tuple[Path, dict[str, SubmissionStatus], float],
) -> None:
    root, _, _ = hostile_run
    result = CliRunner().invoke(app, ["export", "--course", str(root), "--format", "pdf"])
    assert result.exit_code == 2


def _set_manual(root: Path, student: str, score: float) -> None:
    with Gradebook(courseroot.db_url(root)) as gb:
        grade = gb.find_grade("q1_tests", LAB, LAB, student)
        grade.manual_score = score
        gb.db.commit()


@pytest.mark.slow
def test_sigkill_then_resume_gives_identical_export(tmp_path: Path) -> None:
    roots = [make_course(tmp_path / name) for name in ("killed", "clean")]
    modes = {f"s{i:02d}": (GOOD_Q1 if i % 2 else "rate = 0.0", GOOD_Q2) for i in range(6)}
    for root in roots:
        for student, (q1, q2) in modes.items():
            submit(root, student, q1, q2)
    cli = [sys.executable, "-c", "from jianlab.cli.grade import app; app()"]
    args = ["--lab", LAB, "--workers", "2"]
    killed, clean = roots
    proc = subprocess.Popen(
        [*cli, "autograde", "--course", str(killed), *args],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    status_dir = killed / ".jianlab" / "autograde" / LAB
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(status_dir.glob("*.json"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    graded = sorted(p.stem for p in status_dir.glob("*.json"))
    assert 2 <= len(graded) < len(modes)
    _set_manual(killed, graded[0], 1.5)  # a manual grade entered before the rerun
    subprocess.run(
        [*cli, "autograde", "--course", str(killed), *args], check=True, capture_output=True
    )
    subprocess.run(
        [*cli, "autograde", "--course", str(clean), *args], check=True, capture_output=True
    )
    _set_manual(clean, graded[0], 1.5)
    subprocess.run(
        [*cli, "autograde", "--course", str(clean), *args, "--force"],
        check=True,
        capture_output=True,
    )
    for root in roots:
        subprocess.run([*cli, "export", "--course", str(root)], check=True, capture_output=True)
    exported = [(r / "exports" / "grades.csv").read_bytes() for r in roots]
    assert exported[0] == exported[1]
    table = pd.read_csv(killed / "exports" / "grades.csv", encoding="utf-8-sig").set_index("学号")
    assert table.loc[graded[0], "第1题 (q1_tests)"] == 1.5
    assert len(table) == len(modes) + 1
