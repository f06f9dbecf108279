"""Rubrics for manually graded questions (`grading/rubrics/<lab>.yaml`).

A rubric must cover every manually graded cell with criteria whose points add up to the cell's
points, so graders in formgrader can score item by item without arithmetic surprises.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from nbformat import NotebookNode
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jianlab.labs.paths import grading_dir


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    points: float = Field(gt=0)
    title: str
    full: str
    partial: str | None = None


class RubricQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: float = Field(gt=0)
    criteria: list[Criterion] = Field(min_length=1)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lab: str
    questions: dict[str, RubricQuestion]


def rubric_path(lab_dir: Path) -> Path:
    """A lab may carry its own rubric.yaml (test fixtures); repo labs use grading/rubrics/."""
    local = lab_dir / "rubric.yaml"
    return local if local.is_file() else grading_dir() / "rubrics" / f"{lab_dir.name}.yaml"


def manual_cells(nb: NotebookNode) -> dict[str, float]:
    out: dict[str, float] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution"):
            out[str(meta["grade_id"])] = float(meta["points"])
    return out


def check_rubric(lab_dir: Path, nb: NotebookNode) -> list[str]:
    needed = manual_cells(nb)
    if not needed:
        return []
    path = rubric_path(lab_dir)
    if not path.is_file():
        return [f"{path}: 缺少人工评分细则（{', '.join(needed)}）"]
    try:
        rubric = Rubric.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        return [f"{path}: 评分细则格式无效：{exc}"]
    problems: list[str] = []
    for gid, points in needed.items():
        question = rubric.questions.get(gid)
        if question is None:
            problems.append(f"{path}: 没有题目 {gid} 的评分细则")
            continue
        total = sum(c.points for c in question.criteria)
        if abs(question.points - points) > 1e-9 or abs(total - points) > 1e-9:
            problems.append(
                f"{path}: {gid} 的细则分值（题目 {question.points:g}，条目合计 {total:g}）"
                f"与笔记本中的 {points:g} 分不一致"
            )
    problems += [f"{path}: 笔记本中没有题目 {gid}" for gid in rubric.questions if gid not in needed]
    return problems
