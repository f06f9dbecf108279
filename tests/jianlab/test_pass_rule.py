"""The course pass rule (course.yaml ``pass_rule``): the strict model, the verdict with its reason
for each way of passing or failing, and the two columns `grade export` adds."""

from __future__ import annotations

import datetime as dt
import math
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
from jianlab.grading.passrule import FAILED, PASSED, PENDING, pass_columns
from jianlab.labs.models import CourseSpec, PassRule, load_course_spec

LAB = "lab05-jiandu-moxing"
RULE = PassRule.model_validate(
    {
        "min_total_percent": 60,
        "item_minimums": [
            {"lab": LAB, "question": "q9_essay", "label": "成果转化清单", "min_points": 3}
        ],
    }
)
# student: weighted total (after penalty; NaN = pending), essay raw score (None = no row),
# late-penalty fraction of the lab, lab missed after its due date → verdict, reason
CASES = {
    "passed": (75.0, 4.0, 0.0, False, PASSED, ""),
    "at the lines": (60.0, 3.0, 0.0, False, PASSED, ""),
    "total too low": (55.0, 5.0, 0.0, False, FAILED, "加权百分制 55 分，低于合格线 60 分"),
    "item too low": (80.0, 2.0, 0.0, False, FAILED, "成果转化清单 2 分，低于最低要求 3 分"),
    "item missing": (70.0, None, 0.0, False, FAILED, f"缺少成果转化清单的成绩（{LAB} q9_essay）"),
    "late: penalty first": (
        57.0, 3.5, 0.2, False, FAILED,
        "加权百分制 57 分，低于合格线 60 分；成果转化清单 2.8 分，低于最低要求 3 分",
    ),
    "late but enough": (64.0, 4.0, 0.2, False, PASSED, ""),
    "not handed in": (0.0, None, 0.0, True, FAILED,
                      f"加权百分制 0 分，低于合格线 60 分；成果转化清单未提交（{LAB}）"),
    "pending": (math.nan, None, 0.0, False, PENDING, ""),
}  # fmt: skip


def _frames() -> tuple[pd.Series, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    weighted = pd.Series({s: c[0] for s, c in CASES.items()})
    long = pd.DataFrame(
        [
            {"student_id": s, "lab": LAB, "question": q, "score": v}
            for s, c in CASES.items()
            for q, v in (("q1_tests", 4.0), ("q9_essay", c[1]))
            if v is not None
        ]
    )
    standing = pd.DataFrame(
        [{"student_id": s, "lab": LAB, "penalty_fraction": c[2]} for s, c in CASES.items()]
    )
    missed = pd.DataFrame(
        [{"student_id": s, "lab": LAB} for s, c in CASES.items() if c[3]],
        columns=["student_id", "lab"],
    )
    return weighted, long, standing, missed


@pytest.mark.parametrize("student", list(CASES))
def test_verdict_and_reason(student: str) -> None:
    table = pass_columns(*_frames(), RULE)
    assert list(table.columns) == ["是否合格", "不合格原因"]
    assert tuple(table.loc[student]) == CASES[student][4:]


def test_another_labs_question_does_not_count() -> None:
    weighted, long, standing, missed = _frames()
    long = long.assign(lab="lab01-bubu-busu")  # the same grade id in another lab
    table = pass_columns(weighted, long, standing, missed, RULE)
    assert table.loc["passed", "是否合格"] == FAILED
    assert str(table.loc["passed", "不合格原因"]).startswith("缺少成果转化清单的成绩")


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        ({"min_total_percent": 0}, "greater than 0"),
        ({"min_total_percent": 101}, "less than or equal to 100"),
        ({"min_total_percent": 60, "min_items": []}, "min_items"),
        ({"min_total_percent": 60, "item_minimums": [
            {"lab": LAB, "question": "q9", "label": "清单", "min_points": -1}]}, "min_points"),
        ({"min_total_percent": 60, "item_minimums": [
            {"lab": "lab99-none", "question": "q1", "label": "清单", "min_points": 1}]}, "lab99"),
    ],
)  # fmt: skip
def test_strict_model(rule: dict[str, object], error: str) -> None:
    spec = {
        "id": "c",
        "title": "课程",
        "term": "2027 春",
        "labs": [{"id": LAB, "due": "2027-04-15T22:00:00+08:00", "weight": 1}],
        "pass_rule": rule,
    }
    with pytest.raises(ValidationError, match=error):
        CourseSpec.model_validate(spec)


def test_training_course_states_its_pass_rule() -> None:
    """The in-service course's threshold lives in course.yaml, not only in its syllabus."""
    root = Path(__file__).resolve().parents[2] / "courses" / "prosecutor-training"
    spec = load_course_spec(root / "course.yaml")
    rule = spec.pass_rule
    assert rule is not None and rule.min_total_percent == 60
    assert [(i.lab, i.question, i.min_points) for i in rule.item_minimums] == [
        ("lab04-anjian-pingcha", "q6_essay", 3.5),  # 检察建议书, 7 points
        (LAB, "q9_essay", 3),  # 成果转化清单, 6 points
    ]
    assert {i.lab for i in rule.item_minimums} <= {lab.id for lab in spec.labs}


FIXTURE_LAB = "lab00-fixture"
DUE = dt.datetime(2026, 12, 1, 15, 59)  # 23:59 +08:00 as nbgrader stores it (naive UTC)
# student: (time after the due date or None = not handed in, scores q1/q2/q3_essay)
EXPORT_CASES = {
    "p01": (dt.timedelta(0), (4, 1, 5), "合格", ""),
    "p02": (dt.timedelta(0), (4, 1, 2), "不合格", "论述题 2 分，低于最低要求 3 分"),
    "p03": (
        dt.timedelta(days=2, hours=12), (4, 0, 3), "不合格",
        "加权百分制 56 分，低于合格线 60 分；论述题 2.4 分，低于最低要求 3 分",
    ),
    "p04": (None, (0, 0, 0), "不合格",
            f"加权百分制 0 分，低于合格线 60 分；论述题未提交（{FIXTURE_LAB}）"),
}  # fmt: skip


@pytest.fixture(scope="module")
def pass_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("passrule")
    spec = {
        "id": "jl-pass",
        "title": "合格线测试课程",
        "term": "2026 秋",
        "late_policy": {"grace_hours": 12, "penalty_per_day_percent": 10,
                        "max_penalty_percent": 25, "hard_deadline_days": 7},
        "pass_rule": {"min_total_percent": 60, "item_minimums": [
            {"lab": FIXTURE_LAB, "question": "q3_essay", "label": "论述题", "min_points": 3}]},
        "labs": [{"id": FIXTURE_LAB, "due": "2026-12-01T23:59:00+08:00", "weight": 1}],
        "roster": [{"id": s, "last_name": "李", "first_name": s} for s in EXPORT_CASES],
    }  # fmt: skip
    (tmp / "course.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp / "course"
    labs_dir = Path(__file__).parent / "fixtures" / "labs"
    args = ["build", str(tmp / "course.yaml"), "--out", str(root), "--labs-dir", str(labs_dir)]
    result = CliRunner().invoke(course_app, args)
    assert result.exit_code == 0, result.output
    with Gradebook(courseroot.db_url(root)) as gb:
        for student, (late, scores, _, _) in EXPORT_CASES.items():
            if late is None:
                continue
            gb.update_or_create_submission(FIXTURE_LAB, student, timestamp=DUE + late)
            for gid, score in zip(("q1_tests", "q2_tests", "q3_essay"), scores, strict=True):
                grade = gb.find_grade(gid, FIXTURE_LAB, FIXTURE_LAB, student)
                if gid == "q3_essay":
                    grade.manual_score = score
                else:
                    grade.auto_score = score
                grade.needs_manual_grade = False
            gb.db.commit()
    return root


@pytest.fixture(scope="module")
def exported(pass_course: Path) -> pd.DataFrame:
    root = pass_course
    result = CliRunner().invoke(grade_app, ["export", "--course", str(root)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(root / "exports" / "grades.csv", encoding="utf-8-sig", dtype={"学号": str})
    return frame.set_index("学号").fillna({"不合格原因": ""})


@pytest.mark.integration  # builds a course and its gradebook
@pytest.mark.parametrize("student", list(EXPORT_CASES))
def test_export_says_whether_each_student_passed(exported: pd.DataFrame, student: str) -> None:
    assert list(exported.columns[-3:-1]) == ["是否合格", "不合格原因"]
    _, _, verdict_text, reason = EXPORT_CASES[student]
    assert (exported.loc[student, "是否合格"], exported.loc[student, "不合格原因"]) == (
        verdict_text,
        reason,
    )


@pytest.mark.integration
def test_dashboard_shows_the_verdicts(pass_course: Path) -> None:
    result = CliRunner().invoke(grade_app, ["report", "--course", str(pass_course), "--html"])
    assert result.exit_code == 0, result.output
    page = (pass_course / "reports" / "index.html").read_text(encoding="utf-8")
    assert "合格线：扣除迟交后加权百分制不低于 60 分，且论述题（lab00-fixture q3_essay）" in page
    assert '<tr><td>合格</td><td class="num">1</td></tr>' in page
    assert '<tr><td>不合格</td><td class="num">3</td></tr>' in page
    assert "论述题 2.4 分，低于最低要求 3 分" in page
