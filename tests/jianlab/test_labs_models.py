from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jianlab.labs.models import SpecError, load_course_spec, load_lab_spec

GOOD_LAB = {"id": "lab09-demo", "title": "示例", "points": 10, "datasets": ["criminal-teaching"]}


@pytest.mark.parametrize(
    ("patch", "error"),
    [
        ({}, None),
        (
            {
                "data_policy": "per_student",
                "datasets": [{"name": "c", "generator": "criminal", "scale": 0.01}],
            },
            None,
        ),
        ({"id": "Lab09"}, "键 id"),
        ({"points": 0}, "键 points"),
        ({"title": ""}, "键 title"),
        ({"data_policy": "per_student"}, None),
        ({"datasets": [{"name": "c", "provinces": "33;44"}]}, "键 datasets.0.provinces"),
        ({"data_policy": "sometimes"}, "键 data_policy"),
        ({"extra": 1}, "键 extra"),
        ({"id": "lab10-other"}, "必须与目录名"),
        # a desensitized student copy: only a shipped policy that keeps keys and dates
        ({"datasets": [{"name": "e", "release": "teaching"}]}, None),
        ({"datasets": [{"name": "e", "release": "court", "casefiles": False}]}, None),
        ({"datasets": [{"name": "e", "release": "research"}]}, "平移日期"),
        ({"datasets": [{"name": "e", "release": "teachng"}]}, "未知的脱敏策略"),
        ({"datasets": [{"name": "e", "release": ""}]}, "未知的脱敏策略"),
    ],
)
def test_lab_spec(tmp_path: Path, patch: dict[str, object], error: str | None) -> None:
    path = tmp_path / "lab09-demo" / "lab.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({**GOOD_LAB, **patch}, allow_unicode=True), encoding="utf-8")
    if error is None:
        assert load_lab_spec(path).id == "lab09-demo"
    else:
        with pytest.raises(SpecError, match=error) as info:
            load_lab_spec(path)
        assert str(path) in str(info.value)


def test_lab_spec_missing_and_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="文件不存在"):
        load_lab_spec(tmp_path / "x" / "lab.yaml")
    bad = tmp_path / "lab.yaml"
    bad.write_text("id: [", encoding="utf-8")
    with pytest.raises(SpecError, match="不是有效的 YAML"):
        load_lab_spec(bad)


COURSE = {
    "id": "demo",
    "title": "检察数据分析",
    "term": "2026 秋",
    "labs": [{"id": "lab01-bubu-busu", "due": "2026-12-01T23:59:00+08:00", "weight": 1}],
    "roster": [{"id": "s01", "last_name": "张", "first_name": "三"}],
}


@pytest.mark.parametrize(
    ("patch", "error"),
    [
        ({}, None),
        ({"labs": []}, "键 labs"),
        ({"roster": [{"id": "s01", "last_name": "张", "first_name": "三"}] * 2}, "学生 id 重复"),
        ({"labs": [{"id": "lab01-bubu-busu", "due": "明天", "weight": 1}]}, "键 labs.0.due"),
        ({"roster": [{"id": "s 01", "last_name": "张", "first_name": "三"}]}, "键 roster.0.id"),
    ],
)
def test_course_spec(tmp_path: Path, patch: dict[str, object], error: str | None) -> None:
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump({**COURSE, **patch}, allow_unicode=True), encoding="utf-8")
    if error is None:
        assert load_course_spec(path).roster[0].last_name == "张"
    else:
        with pytest.raises(SpecError, match=error):
            load_course_spec(path)


@pytest.mark.parametrize(
    ("rubric", "error"),
    [
        (None, None),
        ({"lab": "lab00-fixture", "questions": {}}, "没有题目 q3_essay"),
        (
            {
                "lab": "lab00-fixture",
                "questions": {
                    "q3_essay": {
                        "points": 5,
                        "criteria": [{"id": "A", "points": 4, "title": "t", "full": "f"}],
                    }
                },
            },
            "条目合计 4",
        ),
        (
            {
                "lab": "lab00-fixture",
                "questions": {
                    "q3_essay": {
                        "points": 5,
                        "criteria": [{"id": "A", "points": 5, "title": "t", "full": "f"}],
                    },
                    "q9": {
                        "points": 1,
                        "criteria": [{"id": "A", "points": 1, "title": "t", "full": "f"}],
                    },
                },
            },
            "没有题目 q9",
        ),
        ({"lab": "lab00-fixture", "questions": {"q3_essay": {"points": 5}}}, "格式无效"),
    ],
)
def test_rubric(fixture_lab: Path, rubric: dict[str, object] | None, error: str | None) -> None:
    from jianlab.labs.rubric import check_rubric
    from jianlab.labs.source import build_notebooks, source_path

    if rubric is not None:
        (fixture_lab / "rubric.yaml").write_text(
            yaml.safe_dump(rubric, allow_unicode=True), encoding="utf-8"
        )
    problems = check_rubric(fixture_lab, build_notebooks(source_path(fixture_lab)).source)
    if error is None:
        assert problems == []
    else:
        assert any(error in p for p in problems), problems


def test_repo_rubric_matches_lab01() -> None:
    from jianlab.labs.paths import labs_dir
    from jianlab.labs.rubric import check_rubric
    from jianlab.labs.source import build_notebooks, source_path

    lab = labs_dir() / "lab01-bubu-busu"
    assert check_rubric(lab, build_notebooks(source_path(lab)).source) == []
