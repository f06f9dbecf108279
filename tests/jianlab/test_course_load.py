"""Bounded load: 30 students submit within 10 s through the exchange; every one is collected and
graded, nothing lost (slow: grading 30 submissions takes minutes on 2 cores)."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.exchange.default.submit import ExchangeSubmit
from typer.testing import CliRunner

from jianlab.cli.course import app
from jianlab.course.exchange import PersonalFetchAssignment
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab

LAB = "lab00-fixture"
STUDENTS = [f"2026{i:03d}" for i in range(1, 31)]


def _exchange(cls: type, root: Path, home: Path, student: str) -> None:
    config = courseroot.load_config(root)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".nbgrader_cache")  # each account has its own, as on a hub
    coursedir = courseroot.coursedir(config, LAB, student)
    cls(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


@pytest.mark.slow
def test_thirty_students_submit_within_ten_seconds(tmp_path: Path) -> None:
    spec = {
        "id": "jl-load",
        "title": "负载测试",
        "term": "2026 秋",
        "labs": [
            {
                "id": LAB,
                "due": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
                "weight": 1,
            }
        ],
        "roster": [{"id": s, "last_name": "张", "first_name": s[-3:]} for s in STUDENTS],
    }
    course = tmp_path / "course.yaml"
    course.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "course"
    labs = str(Path(__file__).parent / "fixtures" / "labs")
    runner = CliRunner()
    assert (
        runner.invoke(app, ["build", str(course), "--out", str(root), "--labs-dir", labs]).exit_code
        == 0
    )
    assert runner.invoke(app, ["release", "--course", str(root), "--lab", LAB]).exit_code == 0
    homes = {s: tmp_path / "homes" / s for s in STUDENTS}
    for student, home in homes.items():
        _exchange(PersonalFetchAssignment, root, home, student)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(STUDENTS)) as pool:
        list(pool.map(lambda s: _exchange(ExchangeSubmit, root, homes[s], s), STUDENTS))
    elapsed = time.monotonic() - start
    assert elapsed < 10, f"30 份提交用了 {elapsed:.1f} 秒"
    inbound = list((root / "exchange" / "jl-load" / "inbound").iterdir())
    assert len(inbound) == len(STUDENTS)

    result = runner.invoke(app, ["collect", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "submitted").iterdir()) == STUDENTS
    statuses = autograde_lab(root, LAB, AutogradeOptions(workers=2))
    assert sorted(s.student for s in statuses) == STUDENTS
    assert all(
        s.completed and set(s.scores) == {"q1_tests", "q2_tests", "q3_essay"} for s in statuses
    )
    with Gradebook(courseroot.db_url(root)) as gb:
        assert len(gb.find_assignment(LAB).submissions) == len(STUDENTS)
