"""`jianlab course build`: roster, release, instructor-only material, per-student data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from typer.testing import CliRunner

from jianlab.cli.course import app
from jianlab.course.build import read_manifest
from jianlab.course.simulate import submit
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.labs.paths import courses_dir

FIXTURE_COURSE = {
    "id": "jl-fixture",
    "title": "测试课程",
    "term": "2026 秋",
    "labs": [{"id": "lab00-fixture", "due": "2026-12-01T23:59:00+08:00", "weight": 2}],
    "roster": [{"id": "s01", "last_name": "王", "first_name": "晓明"}],
}


def _course_file(tmp_path: Path) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(FIXTURE_COURSE, allow_unicode=True), encoding="utf-8")
    return path


def test_build_fixture_course(fixture_lab: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("学号,姓,名\ns01,王,晓明\ns02,李,思雨\n", encoding="utf-8-sig")
    out = tmp_path / "course"
    args = [
        "build",
        str(_course_file(tmp_path)),
        "--out",
        str(out),
        "--labs-dir",
        str(fixture_lab.parent),
    ]
    result = CliRunner().invoke(app, [*args, "--roster", str(roster)])
    assert result.exit_code == 0, result.output
    assert (out / "release" / "lab00-fixture" / "lab00-fixture.ipynb").is_file()
    assert "YOUR" not in (out / "release" / "lab00-fixture" / "lab00-fixture.ipynb").read_text(
        "utf-8"
    )
    assert (out / "instructor" / "course_secret").stat().st_mode & 0o077 == 0
    assert str(out.resolve()) in (out / "nbgrader_config.py").read_text(encoding="utf-8")
    assert ".building-" not in " ".join(p.name for p in tmp_path.iterdir())
    with Gradebook(courseroot.db_url(out)) as gb:
        names = {s.id: s.last_name + s.first_name for s in gb.students}
        assert names == {"s01": "王晓明", "s02": "李思雨"}
        assert gb.find_assignment("lab00-fixture").duedate is not None
    assert read_manifest(out).labs[0].weight == 2
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and "没有需要增加的内容" in again.output
    stranger = tmp_path / "not-a-course"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("x", encoding="utf-8")
    refused = CliRunner().invoke(app, [*args[:2], "--out", str(stranger), *args[4:]])
    assert refused.exit_code == 2 and "不是 jianlab 课程" in refused.output


def test_formgrader_finds_the_exchange_of_a_built_course(fixture_lab: Path, tmp_path: Path) -> None:
    """Formgrader's assignment page warns "exchange directory does not exist" when NbGraderAPI's
    exchange listing fails; releasing from formgrader must then also work without nbgrader
    having to create the directory or fix its permissions."""
    out = tmp_path / "course"
    args = ["build", str(_course_file(tmp_path)), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--labs-dir", str(fixture_lab.parent)])
    assert result.exit_code == 0, result.output
    config = courseroot.load_config(out)
    api = NbGraderAPI(coursedir=courseroot.coursedir(config), config=config)
    assert not api.exchange_missing and api.exchange_is_functional, api.exchange_root
    assert Path(api.exchange_root) == (out / "exchange").resolve()
    released = api.release_assignment("lab00-fixture")
    assert released["success"], released
    assert "Creating exchange" not in released["log"], released["log"]
    assert "Permissions for exchange" not in released["log"], released["log"]
    info = api.get_assignment("lab00-fixture")
    assert info["releaseable"] and info["status"] == "released", info
    outbound = out / "exchange" / "jl-fixture" / "outbound" / "lab00-fixture"
    assert (outbound / "lab00-fixture.ipynb").is_file()


def test_build_refuses_a_lab_that_fails_lint(fixture_lab: Path, tmp_path: Path) -> None:
    (fixture_lab / "lab.yaml").write_text(
        (fixture_lab / "lab.yaml").read_text(encoding="utf-8").replace("points: 10", "points: 11"),
        encoding="utf-8",
    )
    out = tmp_path / "course"
    args = [
        "build",
        str(_course_file(tmp_path)),
        "--out",
        str(out),
        "--labs-dir",
        str(fixture_lab.parent),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "L005" in result.output
    assert not out.exists()


@pytest.mark.slow
def test_demo_course_per_student_data_defeats_copying(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["build", str(courses_dir() / "demo"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lab = "lab01-bubu-busu"
    ref = out / "instructor" / lab / "reference"
    a = (ref / "s01" / "criminal-teaching" / "arrest_reviews.parquet").read_bytes()
    b = (ref / "s02" / "criminal-teaching" / "arrest_reviews.parquet").read_bytes()
    assert a != b
    assert not list((out / "handout").rglob("_truth")) and not list(
        (out / "release").rglob("_truth")
    )
    submit(out, lab, "s01", "complete")
    submit(out, lab, "s02", "copy:s01")
    submit(out, lab, "s03", "blank")
    statuses = {s.student: s for s in autograde_lab(out, lab, AutogradeOptions(workers=2))}
    assert sum(statuses["s01"].scores.values()) == 29
    assert sum(statuses["s02"].scores.values()) == 0
    assert any("疑似抄袭" in f for f in statuses["s02"].flags)
    assert sum(statuses["s03"].scores.values()) == 0


@pytest.mark.slow
def test_formgrader_serves_a_built_course(fixture_lab: Path, tmp_path: Path) -> None:
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    out = tmp_path / "course"
    args = ["build", str(_course_file(tmp_path)), "--out", str(out)]
    assert CliRunner().invoke(app, [*args, "--labs-dir", str(fixture_lab.parent)]).exit_code == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [str(jupyter), "server", "--no-browser", f"--port={port}", "--allow-root"]
    server = subprocess.Popen(
        [*cmd, "--IdentityProvider.token=t"],
        cwd=out,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/formgrader/api/students?token=t"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    students = json.loads(resp.read().decode("utf-8"))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        assert {s["id"]: s["last_name"] + s["first_name"] for s in students} == {"s01": "王晓明"}
        assign_url = f"http://127.0.0.1:{port}/formgrader/api/assignments?token=t"
        with urllib.request.urlopen(assign_url, timeout=5) as resp:
            names = [a["name"] for a in json.loads(resp.read().decode("utf-8"))]
        assert names == ["lab00-fixture"]
    finally:
        server.terminate()
        server.wait(timeout=30)
