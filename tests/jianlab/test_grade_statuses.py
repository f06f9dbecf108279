"""Late policy, statuses, ungraded-is-not-zero, readable headers, the HTML dashboard."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from nbgrader.api import Gradebook
from pydantic import ValidationError
from typer.testing import CliRunner

from jianlab.cli.course import app as course_app
from jianlab.cli.grade import app as grade_app
from jianlab.grading import courseroot
from jianlab.grading.export import question_label
from jianlab.grading.status import SubmissionStatus, status_path
from jianlab.labs.models import CourseSpec
from jianlab.labs.policy import LatePolicy

LAB = "lab00-fixture"
DUE = dt.datetime(2026, 12, 1, 15, 59)  # 23:59 +08:00, as nbgrader stores it (naive UTC)
HOUR = dt.timedelta(hours=1)
POLICY = {
    "grace_hours": 12,
    "penalty_per_day_percent": 10,
    "max_penalty_percent": 25,
    "hard_deadline_days": 7,
}
# student: (seconds late or None for no gradebook entry, scores q1/q2/q3 (None = ungraded), flags)
CASES: dict[str, tuple[dt.timedelta | None, tuple[float, float, float | None], list[str]]] = {
    "s01": (dt.timedelta(0), (4, 1, 5), []),
    "s02": (dt.timedelta(days=2, hours=12), (4, 1, 5), []),
    "s03": (-HOUR, (4, 0, None), []),
    "s05": (-HOUR, (4, 1, 3), ["提交的数据 x/y 与该生的数据不符（疑似抄袭或改动数据）"]),
    "s07": (-HOUR, (0, 0, 0), ["评分时删除了文件 data/a.csv"]),
}


@pytest.mark.parametrize(
    ("policy", "late_s", "fraction", "late", "accepted"),
    [
        ({}, 10 * 86400, 0.0, True, True),
        (POLICY, 0, 0.0, False, True),
        (POLICY, 12 * 3600, 0.0, False, True),
        (POLICY, 12 * 3600 + 1, 0.1, True, True),
        (POLICY, 2.5 * 86400, 0.2, True, True),
        (POLICY, 5 * 86400, 0.25, True, True),  # capped
        (POLICY, 7 * 86400, 0.25, True, True),
        (POLICY, 7 * 86400 + 1, 1.0, True, False),
        ({"penalty_per_day_percent": 50}, 3 * 86400, 1.0, True, True),
    ],
)
def test_late_policy(
    policy: dict[str, float], late_s: float, fraction: float, late: bool, accepted: bool
) -> None:
    rule = LatePolicy.model_validate(policy)
    assert rule.penalty_fraction(late_s) == pytest.approx(fraction)
    assert (rule.is_late(late_s), rule.accepted(late_s)) == (late, accepted)


@pytest.mark.parametrize(
    "policy",
    [
        {"penalty_per_day": 10},
        {"penalty_per_day_percent": 120},
        {"grace_hours": -1},
        {"grace_hours": 48, "hard_deadline_days": 1},
        {"hard_deadline_days": 0},
    ],
)
def test_late_policy_is_strict(policy: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        LatePolicy.model_validate(policy)


def test_course_yaml_carries_the_policy() -> None:
    base = {"id": "c", "title": "t", "term": "x"}
    labs = [{"id": "a", "due": "2026-12-01T23:59:00+08:00", "weight": 1}]
    spec = CourseSpec.model_validate({**base, "labs": labs, "late_policy": POLICY})
    assert spec.late_policy.max_penalty_percent == 25
    with pytest.raises(ValidationError):
        CourseSpec.model_validate({**base, "labs": labs, "late_policy": {"grace": 1}})


@pytest.mark.parametrize(
    ("grade_id", "position", "label"),
    [
        ("q1_tests", 1, "第1题 (q1_tests)"),
        ("q12_essay", 5, "第12题 (q12_essay)"),
        ("q3b_tests", 4, "第3题b (q3b_tests)"),
        ("q7", 2, "第7题 (q7)"),
        ("essay_final", 6, "第6项 (essay_final)"),
        ("quiz1", 1, "第1项 (quiz1)"),
    ],
)
def test_question_label(grade_id: str, position: int, label: str) -> None:
    assert question_label(grade_id, position) == label


def _set_grades(gb: Gradebook, student: str, late: dt.timedelta, scores: tuple) -> None:
    gb.update_or_create_submission(LAB, student, timestamp=DUE + late)
    for gid, score in zip(("q1_tests", "q2_tests", "q3_essay"), scores, strict=True):
        grade = gb.find_grade(gid, LAB, LAB, student)
        if gid == "q3_essay":
            grade.manual_score = score
            grade.needs_manual_grade = score is None
        else:
            grade.auto_score, grade.needs_manual_grade = score, False
    gb.db.commit()


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("statuses")
    spec = {
        "id": "jl-status",
        "title": "状态测试课程",
        "term": "2026 秋",
        "late_policy": POLICY,
        "labs": [{"id": LAB, "due": "2026-12-01T23:59:00+08:00", "weight": 1}],
        "roster": [
            {"id": f"s0{i}", "last_name": "王", "first_name": f"同学{i}"} for i in range(1, 8)
        ],
    }
    course_file = tmp / "course.yaml"
    course_file.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp / "course"
    labs_dir = Path(__file__).parent / "fixtures" / "labs"
    args = ["build", str(course_file), "--out", str(root), "--labs-dir", str(labs_dir)]
    result = CliRunner().invoke(course_app, args)
    assert result.exit_code == 0, result.output
    with Gradebook(courseroot.db_url(root)) as gb:
        for student, (late, scores, _) in CASES.items():
            assert late is not None
            _set_grades(gb, student, late, scores)
    for student, (_, _, flags) in CASES.items():
        SubmissionStatus(student, LAB, "x", completed=True, flags=flags).write(
            status_path(root, LAB, student)
        )
    pending = root / "submitted" / "s06" / LAB  # handed in 8 days late, not autograded yet
    pending.mkdir(parents=True)
    (pending / "timestamp.txt").write_text("2026-12-09 16:00:00.000000 UTC", encoding="utf-8")
    return root


@pytest.mark.integration
def test_export_statuses_penalties_and_blanks(graded_course: Path) -> None:
    result = CliRunner().invoke(grade_app, ["export", "--course", str(graded_course)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(
        graded_course / "exports" / "grades.csv", encoding="utf-8-sig", dtype={"学号": str}
    )
    table = table.set_index("学号")
    questions = ["第1题 (q1_tests)", "第2题 (q2_tests)", "第3题 (q3_essay)"]
    assert list(table.columns[:4]) == ["姓名", *questions]
    assert list(table.columns[4:]) == ["原始分", "迟交扣分", "得分", "状态", "加权百分制", "标记"]
    expected = {
        "s01": ("已评分", 10, 0, 10),
        "s02": ("已评分；迟交", 10, 2, 8),
        "s03": ("待人工评分", None, None, None),
        "s04": ("未提交", None, None, None),
        "s05": ("已评分；疑似抄袭", 8, 0, 8),
        "s06": ("待自动评分；迟交；超过最终期限", None, None, None),
        "s07": ("已评分；沙箱违规", 0, 0, 0),
    }
    for student, (status, raw, penalty, final) in expected.items():
        row = table.loc[student]
        assert row["状态"] == status, student
        for column, value in (("原始分", raw), ("迟交扣分", penalty), ("得分", final)):
            assert pd.isna(row[column]) if value is None else row[column] == value, (
                student,
                column,
            )
    assert (
        pd.isna(table.loc["s03", "第3题 (q3_essay)"]) and table.loc["s03", "第2题 (q2_tests)"] == 0
    )
    assert table.loc["s07", "第1题 (q1_tests)"] == 0  # a real zero stays 0
    assert pd.isna(table.loc["s04", "第1题 (q1_tests)"])
    assert table.loc["s02", "加权百分制"] == 80 and table.loc["s04", "加权百分制"] == 0
    assert pd.isna(table.loc["s03", "加权百分制"])


@pytest.mark.integration
def test_report_does_not_count_ungraded_as_zero(graded_course: Path) -> None:
    args = ["report", "--course", str(graded_course), "--lab", LAB]
    result = CliRunner().invoke(grade_app, args)
    assert result.exit_code == 0, result.output
    summary = "".join(result.output.split())
    assert "待人工评分1人" in summary and "未提交1人" in summary and "迟交2人" in summary
    report = pd.read_csv(
        graded_course / "reports" / LAB / "item_analysis.csv", encoding="utf-8-sig"
    )
    essay = report.set_index("题目").loc["第3题 (q3_essay)"]
    assert essay["已评人数"] == 4 and essay["待人工评分"] == 1 and essay["零分人数"] == 1
    assert essay["平均分"] == pytest.approx((5 + 5 + 3 + 0) / 4)


@pytest.mark.integration
def test_html_dashboard(graded_course: Path) -> None:
    result = CliRunner().invoke(grade_app, ["report", "--course", str(graded_course), "--html"])
    assert result.exit_code == 0, result.output
    page = (graded_course / "reports" / "index.html").read_text(encoding="utf-8")
    for text in (
        "状态测试课程",
        "未提交",
        "待人工评分",
        "疑似抄袭",
        "沙箱违规",
        "第3题 (q3_essay)",
    ):
        assert text in page, text
    assert page.count("<svg") == 2 and "<text" not in page  # glyphs drawn as paths
    assert "宽限 12 小时" in page and "<script" not in page
    missing = CliRunner().invoke(grade_app, ["report", "--course", str(graded_course)])
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, (0.0, 0.0)),  # a status written before CPU times were recorded still resumes
        ({"cpu_s": 4.2, "kernel_cpu_s": 2.9}, (4.2, 2.9)),
        ({"cpu_seconds": 4.2}, None),  # an unknown key: not a status this version wrote
    ],
)
def test_status_cpu_fields_round_trip(
    tmp_path: Path, extra: dict[str, float], expected: tuple[float, float] | None
) -> None:
    path = tmp_path / "s01.json"
    base = {"student": "s01", "lab": LAB, "submission_sha256": "x", "completed": True}
    path.write_text(json.dumps({**base, **extra}), encoding="utf-8")
    status = SubmissionStatus.read(path)
    if expected is None:
        assert status is None
        return
    assert status is not None and (status.cpu_s, status.kernel_cpu_s) == expected
    status.write(path)
    again = SubmissionStatus.read(path)
    assert again is not None and (again.cpu_s, again.kernel_cpu_s) == expected
