"""courses/grad-methods: the manifest validates, names labs that exist, and its syllabus states
the same due dates and weights as the manifest (the two are edited by hand, so they can drift)."""

from __future__ import annotations

import re

import pytest

from jianlab.labs.models import load_course_spec, load_lab_spec
from jianlab.labs.paths import courses_dir, labs_dir

COURSE = courses_dir() / "grad-methods"


def test_manifest_names_existing_labs_in_due_order() -> None:
    spec = load_course_spec(COURSE / "course.yaml")
    assert [lab.id for lab in spec.labs] == ["lab01-bubu-busu", "lab03-lilun-jianyan"]
    for lab in spec.labs:
        assert load_lab_spec(labs_dir() / lab.id / "lab.yaml").id == lab.id
    dues = [lab.due for lab in spec.labs]
    assert dues == sorted(dues)
    assert len(spec.roster) >= 3
    assert spec.late_policy.hard_deadline_days is not None


@pytest.mark.parametrize("heading", ["课程目标", "教学安排", "成绩评定", "学术诚信"])
def test_syllabus_has_every_section(heading: str) -> None:
    text = (COURSE / "syllabus.md").read_text(encoding="utf-8")
    assert re.search(rf"^## .*{heading}", text, flags=re.MULTILINE), heading


def test_syllabus_agrees_with_manifest() -> None:
    spec = load_course_spec(COURSE / "course.yaml")
    text = (COURSE / "syllabus.md").read_text(encoding="utf-8")
    for lab in spec.labs:
        assert lab.due.date().isoformat() in text, lab.id
    weights = " 与 ".join(f"{lab.weight:g}" for lab in spec.labs)
    assert f"权重为 {weights}" in text
    assert f"每开始一天扣该次实验得分的 {spec.late_policy.penalty_per_day_percent:g}%" in text
    assert f"最多扣 {spec.late_policy.max_penalty_percent:g}%" in text
    assert f"截止 {spec.late_policy.hard_deadline_days:g} 天后" in text
    assert not re.search(r"TODO|待定|占位|XXX", text)
