"""The truth section of feedback pages: released after the due date, computed per student in the
grader's trusted kernel, showing each student's own estimates against their own data's truth."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from jianlab.cli.grade import app
from jianlab.course.build import BuildOptions, build_course
from jianlab.course.simulate import submit
from jianlab.grading.answer_store import answers_path
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.status import SubmissionStatus, status_path
from jianlab.grading.truth_page import SECTION_ID
from jianlab.grading.truth_release import decide
from jianlab.grading.truth_section import TRUTH_FLAG
from jianlab.labs.models import CourseSpec
from jianlab.labs.policy import LatePolicy

LAB = "lab00-truth"
LABS_ROOT = Path(__file__).parent / "fixtures" / "labs"
# student → (decisions: 不批准逮捕 out of 10, planted probability)
DATA = {"s01": (2, 0.25), "s02": (6, 0.55), "s03": (4, 0.35)}
FAKE_TRUTH = 0.99
# s03 plants a fake truth and fake data in its own folder and exports a value that breaks the
# instructor cell that subtracts it from the truth
HOSTILE_Q1 = (
    "import pathlib\n"
    'fake = pathlib.Path("data/toy/_truth")\n'
    "fake.mkdir(parents=True, exist_ok=True)\n"
    f'(fake / "truth.json").write_text(\'{{"p": {FAKE_TRUTH}}}\', encoding="utf-8")\n'
    'own = pathlib.Path("data/toy/decisions.csv")\n'
    'own.write_text("decision\\n不批准逮捕\\n", encoding="utf-8")\n'
    'rate = "不是数"\n'
)
DUE = dt.datetime(2099, 12, 1, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
AFTER = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC)


def _write_data(root: Path, student: str, rejected: int, p: float) -> None:
    rows = ["decision"] + ["不批准逮捕"] * rejected + ["批准逮捕"] * (10 - rejected)
    text = "\n".join(rows) + "\n"
    for base in (
        root / "instructor" / LAB / "reference" / student / "toy",
        root / "handout" / student / LAB / "data" / "toy",
    ):
        base.mkdir(parents=True)
        (base / "decisions.csv").write_text(text, encoding="utf-8")
    truth = root / "instructor" / LAB / "reference" / student / "toy" / "_truth"
    truth.mkdir()
    (truth / "truth.json").write_text(json.dumps({"p": p}), encoding="utf-8")


def _graded_course(out: Path) -> Path:
    spec = CourseSpec.model_validate(
        {
            "id": "jl-truth",
            "title": "真值对照测试课程",
            "term": "2026 秋",
            "labs": [{"id": LAB, "due": DUE.isoformat(), "weight": 1}],
            "roster": [{"id": s, "last_name": "测", "first_name": s} for s in DATA],
        }
    )
    root = build_course(spec, out / "course", BuildOptions(labs_root=LABS_ROOT))
    for student, (rejected, p) in DATA.items():
        _write_data(root, student, rejected, p)
        submit(root, LAB, student, "complete")
    path = root / "submitted" / "s03" / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer":
            cell.source = HOSTILE_Q1
    nbformat.write(nb, path)
    autograde_lab(root, LAB, AutogradeOptions(workers=2))
    return root


def _page(root: Path, student: str) -> str:
    return (root / "feedback" / student / LAB / f"{LAB}.html").read_text(encoding="utf-8")


def _section(page: str) -> str:
    return page[page.index(f'id="{SECTION_ID}"') :]


def _table(section: str) -> dict[str, str]:
    """The first table of the section: column → value of its one row."""
    head = re.findall(r"<th>([^<]*)</th>", section.split("</thead>")[0])
    cells = re.findall(r"<td>([^<]*)</td>", section.split("</thead>")[1].split("</table>")[0])
    return dict(zip([h for h in head if h], [html.unescape(c) for c in cells], strict=False))


def _feedback(root: Path, *flags: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["feedback", "--course", str(root), "--lab", LAB, *flags])
    return result.exit_code, result.output


@pytest.mark.integration
def test_truth_section_is_per_student_and_released_after_the_due_date(tmp_path: Path) -> None:
    """One flow (it grades in the sandbox and starts kernels): before the due date no section;
    with the instructor's override, each student's own numbers; a hostile submission moves
    only its own exported value, and its failing instructor cell gives a note and a flag."""
    root = _graded_course(tmp_path)
    kept = answers_path(root, LAB, "s03")
    assert sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*")) == [
        "q1_tests",
        "q1_tests/rate.json",
    ]

    code, output = _feedback(root)
    assert code == 0 and "之后才随反馈发布" in output and "不含该部分" in output, output
    assert not [s for s in DATA if SECTION_ID in _page(root, s)]

    code, output = _feedback(root, "--truth-before-due")
    assert "仅供测试或演示" in output, output
    tables = {s: _table(_section(_page(root, s))) for s in DATA}
    for student in ("s01", "s02"):
        rejected, p = DATA[student]
        assert float(tables[student]["你的估计"]) == pytest.approx(rejected / 10)
        assert float(tables[student]["真值"]) == pytest.approx(p)
        assert tables[student]["审查人数"] == "10"
    assert tables["s01"] != tables["s02"]
    assert tables["s03"] == {"你的估计": "不是数", "真值": str(DATA["s03"][1]), "审查人数": "10"}
    hostile = _section(_page(root, "s03"))
    assert str(FAKE_TRUTH) not in hostile
    assert "本节有一部分未能生成（已通知教师）" in hostile
    assert "Traceback" not in hostile and "TypeError" not in hostile

    section = _section(_page(root, "s01"))
    assert 'alt="图：不捕率：你的估计与真值"' in section
    assert "估计与真值之差：-0.0500" in section
    assert "truth_dir" not in section and "教师版" not in section  # outputs only, no code
    assert "本节有一部分未能生成" not in section

    # every page passed the leak scan; only the hostile submission is reported and flagged
    assert all((root / "feedback" / s / LAB / f"{LAB}.html").is_file() for s in DATA)
    assert code == 1 and "s03：真值对照：教师单元执行出错" in output, output
    assert not re.search(r"s0[12]：", output), output
    flags = {s: SubmissionStatus.read(status_path(root, LAB, s)) for s in DATA}
    assert [s for s, st in flags.items() if st is not None and TRUTH_FLAG in st.flags] == ["s03"]


@pytest.mark.parametrize(
    ("due", "policy", "now", "override", "include", "words"),
    [
        (AFTER, LatePolicy(), AFTER - dt.timedelta(seconds=1), False, False, "之后才随反馈发布"),
        (AFTER, LatePolicy(), AFTER, False, True, "已过发布时间"),
        (AFTER, LatePolicy(), AFTER - dt.timedelta(days=3), True, True, "仅供测试或演示"),
        # a hard deadline keeps the truth back until no late submission can still count
        (
            AFTER,
            LatePolicy(hard_deadline_days=7),
            AFTER + dt.timedelta(days=6),
            False,
            False,
            "之后",
        ),
        (
            AFTER,
            LatePolicy(hard_deadline_days=7),
            AFTER + dt.timedelta(days=7),
            False,
            True,
            "已过",
        ),
        # nbgrader's naive UTC due date
        (
            AFTER.replace(tzinfo=None),
            LatePolicy(),
            AFTER + dt.timedelta(hours=1),
            False,
            True,
            "已过",
        ),
        (None, LatePolicy(), AFTER, False, False, "找不到"),
        (None, LatePolicy(), AFTER, True, True, "没有截止时间"),
    ],
)
def test_release_decision(
    due: dt.datetime | None,
    policy: LatePolicy,
    now: dt.datetime,
    override: bool,
    include: bool,
    words: str,
) -> None:
    release = decide(LAB, due, policy, now, override)
    assert release.include is include
    assert words in release.message
