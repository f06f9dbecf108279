"""Hand-out and hand-in: the nbgrader exchange with per-student data, and the offline LMS path."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.exchange.default.fetch_feedback import ExchangeFetchFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from traitlets.config import Config
from typer.testing import CliRunner

from jianlab.cli.course import app
from jianlab.course.exchange import PersonalFetchAssignment
from jianlab.course.offline import match_student
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.labs.models import Student

LAB = "lab00-fixture"
ROSTER = [("2024001", "王", "晓明"), ("0042", "司马", "光"), ("2024003", "李", "娜")]


def flat(text: str) -> str:
    return "".join(text.split())


def build(tmp_path: Path, due: dt.datetime) -> Path:
    spec = {
        "id": "jl-handin",
        "title": "收发测试课程",
        "term": "2026 秋",
        "late_policy": {"penalty_per_day_percent": 10},
        "labs": [{"id": LAB, "due": due.isoformat(), "weight": 1, "data_policy": "per_student"}],
        "roster": [{"id": i, "last_name": ln, "first_name": fn} for i, ln, fn in ROSTER],
    }
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "course"
    labs_dir = str(Path(__file__).parent / "fixtures" / "labs")
    args = ["build", str(path), "--out", str(root), "--labs-dir", labs_dir]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for sid, *_ in ROSTER:  # stand-ins for generated per-student data
        data = root / "handout" / sid / LAB / "data"
        data.mkdir(parents=True)
        (data / "mine.csv").write_text(f"学号\n{sid}\n", encoding="utf-8")
    return root


def student_config(root: Path, home: Path, student: str) -> Config:
    """The config a student's server runs with: the course's exchange, their own folder."""
    config = courseroot.load_config(root)
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.student_id = student
    return config


def _exchange_app(cls: type, root: Path, home: Path, student: str) -> None:
    config = student_config(root, home, student)
    coursedir = courseroot.coursedir(config, LAB, student)
    coursedir.course_id = "jl-handin"
    cls(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def fetch(root: Path, home: Path, student: str) -> Path:
    _exchange_app(PersonalFetchAssignment, root, home, student)
    return home / "jl-handin" / LAB  # path_includes_course, as on the hub


def hand_in(root: Path, home: Path, student: str, late_days: float = 0) -> None:
    _exchange_app(ExchangeSubmit, root, home, student)
    if late_days:  # the exchange stamps "now": move this submission past the due date
        (inbound,) = (root / "exchange" / "jl-handin" / "inbound").glob(f"{student}+*")
        due = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        stamp = due + dt.timedelta(days=late_days)
        (inbound / "timestamp.txt").write_text(
            stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8"
        )


def answer(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "q1_answer":
            cell.source = 'rate = decisions.count("不批准逮捕") / 10'
        elif gid == "q2_answer":
            cell.source = 'n_other = decisions.count("其他")'
        elif gid == "q3_essay":
            cell.source = "只计实体决定。"
    nbformat.write(nb, notebook)


@pytest.mark.integration
def test_exchange_cycle_delivers_own_data_and_marks_late(tmp_path: Path) -> None:
    root = build(tmp_path, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    runner = CliRunner()
    result = runner.invoke(app, ["release", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    personal = root / "exchange" / "jl-handin" / "personal"
    assert (personal / "0042" / LAB / "data" / "mine.csv").stat().st_mode & 0o077 == 0
    homes = {sid: tmp_path / "home" / sid for sid, *_ in ROSTER}
    for sid in ("2024001", "0042"):
        folder = fetch(root, homes[sid], sid)
        assert (folder / f"{LAB}.ipynb").is_file()
        assert (folder / "data" / "mine.csv").read_text(encoding="utf-8") == f"学号\n{sid}\n"
        assert sorted(p.name for p in (folder / "data").iterdir()) == ["mine.csv"]
        answer(folder / f"{LAB}.ipynb")
    hand_in(root, homes["2024001"], "2024001")
    hand_in(root, homes["0042"], "0042", late_days=2)
    result = runner.invoke(app, ["collect", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    assert "2份提交" in flat(result.output) and "迟交（1）：0042" in flat(result.output)
    for sid in ("2024001", "0042"):
        assert (root / "submitted" / sid / LAB / "data" / "mine.csv").is_file()
    assert not (root / "submitted" / "2024003").exists()


@pytest.mark.slow
def test_feedback_returns_through_the_exchange(tmp_path: Path) -> None:
    root = build(tmp_path, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    runner = CliRunner()
    assert runner.invoke(app, ["release", "--course", str(root), "--lab", LAB]).exit_code == 0
    home = tmp_path / "home" / "2024001"
    answer(fetch(root, home, "2024001") / f"{LAB}.ipynb")
    hand_in(root, home, "2024001")
    assert runner.invoke(app, ["collect", "--course", str(root), "--lab", LAB]).exit_code == 0
    (status,) = autograde_lab(root, LAB, AutogradeOptions(workers=1))
    assert status.scores["q2_tests"] == 1
    with Gradebook(courseroot.db_url(root)) as gb:
        grade = gb.find_grade("q3_essay", LAB, LAB, "2024001")
        grade.manual_score, grade.needs_manual_grade = 3.0, False
        gb.db.commit()
    result = runner.invoke(app, ["return", "--course", str(root), "--lab", LAB])
    assert result.exit_code == 0, result.output
    _exchange_app(ExchangeFetchFeedback, root, home, "2024001")
    (page,) = (home / "jl-handin" / LAB / "feedback").glob("*/*.html")
    text = page.read_text(encoding="utf-8")
    assert "只计实体决定" in text and "HIDDEN TESTS" not in text
    assert "学生的作答" in text and "得分：" in text and 'lang="zh-CN"' in text
    assert "Student's answer" not in text and "Score:" not in text


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("2024001_王晓明_lab00.ipynb", ["2024001"]),
        ("王晓明_2024001/lab00.ipynb", ["2024001"]),
        ("司马光_assignsubmission_file/lab00.ipynb", ["0042"]),
        ("42_lab00.ipynb", []),  # a token must be the whole 学号: 42 is not 0042
        ("20240012_x.ipynb", []),
        ("2024001_2024003.ipynb", ["2024001", "2024003"]),
        ("李娜-lab00.ipynb", ["2024003"]),
    ],
)
def test_match_student(path: str, ids: list[str]) -> None:
    roster = [Student(id=i, last_name=ln, first_name=fn) for i, ln, fn in ROSTER]
    assert match_student(path, roster) == ids


@pytest.mark.integration
def test_offline_zips_and_import(tmp_path: Path) -> None:
    root = build(tmp_path, dt.datetime(2026, 12, 20, 23, 59, tzinfo=dt.UTC))
    runner = CliRunner()
    out = tmp_path / "zips"
    result = runner.invoke(app, ["zips", "--course", str(root), "--lab", LAB, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"{sid}-{LAB}.zip" for sid in ("0042", "2024001", "2024003")
    ]
    with zipfile.ZipFile(out / f"0042-{LAB}.zip") as zf:
        assert zf.read(f"{LAB}/data/mine.csv").decode("utf-8") == "学号\n0042\n"
        assert f"{LAB}/{LAB}.ipynb" in zf.namelist()

    download = tmp_path / "download"
    download.mkdir()
    notebook = root / "release" / LAB / f"{LAB}.ipynb"
    shutil.copy(notebook, download / f"2024001_王晓明_{LAB}.ipynb")
    with zipfile.ZipFile(download / "司马光_作业.zip", "w") as zf:
        zf.writestr(
            zipfile.ZipInfo(f"{LAB}/{LAB}.ipynb", (2026, 12, 22, 10, 0, 0)), notebook.read_bytes()
        )
    shutil.copy(notebook, download / "新同学.ipynb")
    shutil.copy(notebook, download / "2024001_2024003.ipynb")
    packed = tmp_path / "download.zip"
    shutil.make_archive(str(packed.with_suffix("")), "zip", download)
    args = ["import", "--course", str(root), "--lab", LAB, str(packed)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "已导入2份提交" in flat(result.output)
    assert "新同学.ipynb" in result.output and "2024001_2024003.ipynb" in result.output
    for sid in ("2024001", "0042"):
        folder = root / "submitted" / sid / LAB
        assert (folder / f"{LAB}.ipynb").is_file() and (folder / "timestamp.txt").is_file()
        assert (folder / "data" / "mine.csv").read_text(encoding="utf-8") == f"学号\n{sid}\n"
    stamp = (root / "submitted" / "0042" / LAB / "timestamp.txt").read_text(encoding="utf-8")
    assert stamp.startswith("2026-12-22")
    assert not (root / "submitted" / "2024003").exists()


@pytest.mark.integration
def test_student_workspace_holds_no_solutions(tmp_path: Path) -> None:
    root = build(tmp_path, dt.datetime(2026, 12, 20, 23, 59, tzinfo=dt.UTC))
    out = tmp_path / "ws"
    args = ["workspace", "--course", str(root), "--student", "0042", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = (out / LAB / f"{LAB}.ipynb").read_text(encoding="utf-8")
    assert (
        "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "不捕率不正确" not in text
    )
    assert (out / LAB / "data" / "mine.csv").read_text(encoding="utf-8") == "学号\n0042\n"
    (out / LAB / f"{LAB}.ipynb").write_text("我的作答", encoding="utf-8")
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and (out / LAB / f"{LAB}.ipynb").read_text("utf-8") == "我的作答"
    stranger = CliRunner().invoke(app, [*args[:3], "--student", "9999", *args[5:]])
    assert stranger.exit_code == 2 and "名单中没有学号9999" in flat(stranger.output)
