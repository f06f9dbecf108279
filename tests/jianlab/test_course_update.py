"""Safe course updates: adding students and labs loses nothing; --force and archive are guarded."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook
from typer.testing import CliRunner

from jianlab.cli.course import app
from jianlab.course.build import read_manifest
from jianlab.course.simulate import submit
from jianlab.course.update import merge_specs
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.labs.models import CourseSpec

LAB = "lab00-fixture"
SECOND = "lab00-second"
EXTRA_CELL = (
    '# %% nbgrader={"grade_id": "q9_tests", "grade": true, "points": 1}'
    ' jianlab={"exports": {"rate": "scalar"}}\n'
    "### BEGIN HIDDEN TESTS\nassert rate > 0\n### END HIDDEN TESTS\n\n"
)
WORK_DIRS = ("submitted", "autograded", "feedback", "exports")


def course_yaml(path: Path, labs: list[str], students: list[tuple[str, str, str]]) -> Path:
    spec = {
        "id": "jl-update",
        "title": "更新测试课程",
        "term": "2026 秋",
        "labs": [
            {
                "id": lab,
                "due": "2026-12-01T23:59:00+08:00",
                "weight": 1,
                "data_policy": "per_student",
            }
            for lab in labs
        ],
        "roster": [{"id": i, "last_name": ln, "first_name": fn} for i, ln, fn in students],
    }
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def second_lab(fixture_lab: Path) -> None:
    """A second lab: the fixture under another id (same cells, so it builds in a second)."""
    dest = fixture_lab.parent / SECOND
    dest.mkdir()
    for name in ("lab.yaml", "rubric.yaml"):
        text = (fixture_lab / name).read_text(encoding="utf-8")
        (dest / name).write_text(text.replace(LAB, SECOND), encoding="utf-8")
    shutil.copy2(fixture_lab / f"{LAB}.py", dest / f"{SECOND}.py")


def flat(text: str) -> str:
    """CLI output without whitespace: rich wraps long lines at the terminal width."""
    return "".join(text.split())


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for name in WORK_DIRS
        for p in sorted((root / name).rglob("*"))
        if p.is_file()
    }


def grade_rows(root: Path) -> list[tuple[object, ...]]:
    with Gradebook(courseroot.db_url(root)) as gb:
        submission = gb.find_submission(LAB, "s01")
        grades = [
            (g.name, g.auto_score, g.manual_score, g.needs_manual_grade)
            for nb in submission.notebooks
            for g in nb.grades
        ]
        comments = [(c.name, c.manual_comment) for nb in submission.notebooks for c in nb.comments]
        return sorted(grades) + sorted(comments)


def student_work(root: Path) -> None:
    """Everything a term accumulates: a submission, graded copy, feedback, export, manual grade."""
    submit(root, LAB, "s01", "complete")
    for name, body in (("autograded", "graded"), ("feedback", "<html>反馈</html>")):
        page = root / name / "s01" / LAB / "page.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(body, encoding="utf-8")
    (root / "exports").mkdir()
    (root / "exports" / "grades.csv").write_text("学号,总分\ns01,9\n", encoding="utf-8")
    with Gradebook(courseroot.db_url(root)) as gb:
        gb.update_or_create_submission(LAB, "s01")
        grade = gb.find_grade("q3_essay", LAB, LAB, "s01")
        grade.manual_score = 4.5
        grade.needs_manual_grade = False
        gb.find_comment("q3_essay", LAB, LAB, "s01").manual_comment = "论证清楚"
        gb.db.commit()


@pytest.mark.integration
def test_adding_students_and_a_lab_loses_nothing(fixture_lab: Path, tmp_path: Path) -> None:
    second_lab(fixture_lab)
    out = tmp_path / "course"
    labs_dir = ["--labs-dir", str(fixture_lab.parent)]
    first = course_yaml(tmp_path / "c1.yaml", [LAB], [("s01", "王", "晓明")])
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(first), "--out", str(out), *labs_dir])
    assert result.exit_code == 0, result.output
    student_work(out)
    before, before_grades = tree_hashes(out), grade_rows(out)
    secret = (out / "instructor" / "course_secret").read_bytes()
    assert len(before) >= 5 and ("q3_essay", None, 4.5, False) in before_grades
    assert ("q3_essay", "论证清楚") in before_grades

    students = [("s01", "王", "晓明"), ("0042", "欧阳", "娜娜")]
    second = course_yaml(tmp_path / "c2.yaml", [LAB, SECOND], students)
    result = runner.invoke(app, ["build", str(second), "--out", str(out), *labs_dir])
    assert result.exit_code == 0, result.output
    assert "新增学生（1）：0042" in flat(result.output)
    assert f"新增实验（1）：{SECOND}" in flat(result.output)
    assert tree_hashes(out) == before
    assert grade_rows(out) == before_grades
    assert (out / "instructor" / "course_secret").read_bytes() == secret
    with Gradebook(courseroot.db_url(out)) as gb:
        assert {s.id for s in gb.students} == {"s01", "0042"}
        assert {a.name for a in gb.assignments} == {LAB, SECOND}
    assert (out / "release" / SECOND / f"{SECOND}.ipynb").is_file()
    for student in ("s01", "0042"):
        assert (out / "handout" / student / SECOND / f"{SECOND}.ipynb").is_file()
    assert (out / "handout" / "0042" / LAB / f"{LAB}.ipynb").is_file()
    assert [lab.id for lab in read_manifest(out).labs] == [LAB, SECOND]

    again = runner.invoke(app, ["build", str(second), "--out", str(out), *labs_dir])
    assert again.exit_code == 0 and "没有需要增加的内容" in again.output

    forced = runner.invoke(app, ["build", str(second), "--out", str(out), "--force", *labs_dir])
    assert forced.exit_code == 2 and "拒绝--force" in flat(forced.output)
    assert "archive" in forced.output
    assert tree_hashes(out) == before


def test_merge_keeps_what_the_new_yaml_dropped() -> None:
    base = {"id": "c", "title": "t", "term": "x"}
    lab = {"due": "2026-12-01T23:59:00+08:00", "weight": 1}
    old = CourseSpec.model_validate(
        {
            **base,
            "labs": [{"id": "a", **lab}, {"id": "b", **lab}],
            "roster": [{"id": "s1", "last_name": "王", "first_name": "一"}],
        }
    )
    new = CourseSpec.model_validate(
        {
            **base,
            "labs": [{"id": "b", **lab, "due": "2026-12-08T23:59:00+08:00"}, {"id": "c", **lab}],
            "roster": [{"id": "s2", "last_name": "李", "first_name": "二"}],
        }
    )
    merged, summary = merge_specs(old, new)
    assert [lab.id for lab in merged.labs] == ["b", "c", "a"]
    assert [s.id for s in merged.roster] == ["s2", "s1"]
    assert (summary.new_labs, summary.kept_labs, summary.new_due) == (["c"], ["a"], ["b"])
    assert (summary.new_students, summary.kept_students) == (["s2"], ["s1"])


@pytest.mark.integration
def test_force_rebuild_allowed_before_any_submission(fixture_lab: Path, tmp_path: Path) -> None:
    out = tmp_path / "course"
    spec = course_yaml(tmp_path / "c.yaml", [LAB], [("s01", "王", "晓明")])
    args = ["build", str(spec), "--out", str(out), "--labs-dir", str(fixture_lab.parent)]
    assert CliRunner().invoke(app, args).exit_code == 0
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert "已构建课程" in result.output


@pytest.mark.integration
def test_archive_is_confirmed_verified_and_dated(fixture_lab: Path, tmp_path: Path) -> None:
    out = tmp_path / "course"
    spec = course_yaml(tmp_path / "c.yaml", [LAB], [("s01", "王", "晓明")])
    build = ["build", str(spec), "--out", str(out), "--labs-dir", str(fixture_lab.parent)]
    assert CliRunner().invoke(app, build).exit_code == 0
    submit(out, LAB, "s01", "complete")
    declined = CliRunner().invoke(app, ["archive", "--course", str(out), "--remove"], input="n\n")
    assert declined.exit_code == 1 and "已取消" in declined.output
    assert out.is_dir() and not list(tmp_path.glob("*.tar.gz"))

    result = CliRunner().invoke(app, ["archive", "--course", str(out), "--remove", "--yes"])
    assert result.exit_code == 0, result.output
    (archive,) = tmp_path.glob("course-归档-*.tar.gz")
    assert not out.exists() and archive.stat().st_mode & 0o077 == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"course/submitted/s01/{LAB}/{LAB}.ipynb" in names
    assert "course/gradebook.db" in names and "course/instructor/course_secret" in names
    rebuilt = CliRunner().invoke(app, build)
    assert rebuilt.exit_code == 0, rebuilt.output

    missing = CliRunner().invoke(app, ["archive", "--course", str(tmp_path / "nope"), "--yes"])
    assert missing.exit_code == 2 and "不是jianlab课程目录" in flat(missing.output)


@pytest.mark.slow
def test_regrade_after_a_test_fix_keeps_manual_grades(fixture_lab: Path, tmp_path: Path) -> None:
    out = tmp_path / "course"
    spec = course_yaml(tmp_path / "c.yaml", [LAB], [("s01", "王", "晓明")])
    labs_dir = ["--labs-dir", str(fixture_lab.parent)]
    assert (
        CliRunner().invoke(app, ["build", str(spec), "--out", str(out), *labs_dir]).exit_code == 0
    )
    submit(out, LAB, "s01", "complete")
    (status,) = autograde_lab(out, LAB, AutogradeOptions(workers=1))
    assert status.scores["q2_tests"] == 1
    with Gradebook(courseroot.db_url(out)) as gb:
        grade = gb.find_grade("q3_essay", LAB, LAB, "s01")
        grade.manual_score, grade.needs_manual_grade = 4.0, False
        gb.db.commit()
    source = fixture_lab / f"{LAB}.py"
    text = source.read_text(encoding="utf-8")
    fixed = text.replace('sum(d == "其他" for d in _decisions)', "999")
    assert fixed != text
    source.write_text(fixed, encoding="utf-8")
    args = ["regrade", "--course", str(out), "--lab", LAB, "--workers", "1", *labs_dir]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with Gradebook(courseroot.db_url(out)) as gb:
        assert gb.find_grade("q2_tests", LAB, LAB, "s01").score == 0
        assert gb.find_grade("q1_tests", LAB, LAB, "s01").score == 4
        essay = gb.find_grade("q3_essay", LAB, LAB, "s01")
        assert essay.score == 4.0 and not essay.needs_manual_grade

    source.write_text(fixed.replace("# %% tags=", EXTRA_CELL + "# %% tags="), encoding="utf-8")
    lab_yaml = fixture_lab / "lab.yaml"
    lab_yaml.write_text(
        lab_yaml.read_text(encoding="utf-8").replace("points: 10", "points: 11"), encoding="utf-8"
    )
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "不能增删评分单元" in flat(refused.output)
