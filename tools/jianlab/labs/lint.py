"""Static checks on a lab source, run before any kernel starts.

Each rule is a small function over the raw notebook; the table `RULES` is the whole lint, so a
new rule is one function and one line. Messages are Chinese and name the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator, ValidationError

from jianlab.labs.models import LabSpec
from jianlab.labs.source import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    complete_nbgrader_metadata,
    is_instructor_cell,
)

ALLOWED_KEYS = {"grade_id", "grade", "solution", "points", "locked", "task", "schema_version"}
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")


@dataclass(frozen=True)
class LintIssue:
    rule: str
    cell: int | None
    message: str

    def render(self, path: Path) -> str:
        where = f"{path}" if self.cell is None else f"{path} 第 {self.cell + 1} 个单元"
        return f"[{self.rule}] {where}：{self.message}"


def _meta(cell: NotebookNode) -> dict[str, object]:
    value = cell.metadata.get("nbgrader")
    return dict(value) if isinstance(value, dict) else {}


def _full(cell: NotebookNode) -> dict[str, object]:
    return complete_nbgrader_metadata(_meta(cell)) if "nbgrader" in cell.metadata else {}


def check_markers(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    """Markers must pair up inside one cell and never nest; nbgrader silently mangles otherwise."""
    pairs = {SOLUTION_BEGIN: SOLUTION_END, HIDDEN_BEGIN: HIDDEN_END}
    ends = {v: k for k, v in pairs.items()}
    for idx, cell in enumerate(nb.cells):
        open_marker: str | None = None
        for line in cell.source.splitlines():
            text = line.strip()
            if text in pairs:
                if open_marker is not None:
                    yield LintIssue("L001", idx, f"“{text}” 嵌套在未结束的 “{open_marker}” 内")
                open_marker = text
            elif text in ends:
                if open_marker != ends[text]:
                    yield LintIssue("L001", idx, f"“{text}” 没有对应的开始标记")
                open_marker = None
        if open_marker is not None:
            yield LintIssue("L001", idx, f"“{open_marker}” 在单元结束前没有关闭")


def check_marker_placement(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    """A marker outside the cell kind nbgrader strips would ship answers to students."""
    for idx, cell in enumerate(nb.cells):
        meta = _full(cell)
        has_solution = SOLUTION_BEGIN in cell.source
        has_hidden = HIDDEN_BEGIN in cell.source
        if has_solution and not meta.get("solution"):
            yield LintIssue("L002", idx, "含 BEGIN SOLUTION 标记，但不是 solution 单元，答案会泄露")
        if has_hidden and not (meta.get("grade") and not meta.get("solution")):
            yield LintIssue("L002", idx, "含 BEGIN HIDDEN TESTS 标记，但不是自动评分的测试单元")
        if meta.get("solution") and cell.cell_type == "code" and not has_solution:
            yield LintIssue("L002", idx, "solution 代码单元缺少 “### BEGIN SOLUTION” 标记")


def check_metadata(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    validator = MetadataValidator()
    for idx, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.metadata:
            continue
        if is_instructor_cell(cell):
            yield LintIssue("L006", idx, "教师专用单元（instructor 标签）不能带 nbgrader 元数据")
        unknown = sorted(set(_meta(cell)) - ALLOWED_KEYS)
        if unknown:
            yield LintIssue("L006", idx, f"未知的 nbgrader 字段：{', '.join(unknown)}")
            continue
        probe = NotebookNode(cell.copy())
        probe.metadata = NotebookNode(dict(cell.metadata))
        probe.metadata["nbgrader"] = NotebookNode(_full(cell))
        try:
            validator.validate_cell(probe)
        except ValidationError as exc:
            yield LintIssue("L006", idx, f"nbgrader 元数据无效：{exc}")


def check_grade_ids(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    seen: dict[str, int] = {}
    for idx, cell in enumerate(nb.cells):
        meta = _full(cell)
        if not meta:
            continue
        gid = meta.get("grade_id")
        if not isinstance(gid, str) or not GRADE_ID.match(gid):
            yield LintIssue("L003", idx, f"grade_id 缺失或含非法字符：{gid!r}")
            continue
        if gid in seen:
            yield LintIssue("L003", idx, f"grade_id “{gid}” 与第 {seen[gid] + 1} 个单元重复")
        else:
            seen[gid] = idx


def check_points(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    total = 0.0
    for idx, cell in enumerate(nb.cells):
        meta = _full(cell)
        points = meta.get("points")
        if meta.get("grade"):
            if not isinstance(points, int | float) or points <= 0:
                yield LintIssue("L004", idx, "评分单元必须给出正的 points")
                continue
            total += float(points)
        elif points is not None:
            yield LintIssue("L004", idx, "非评分单元不应设置 points")
    if abs(total - spec.points) > 1e-9:
        yield LintIssue(
            "L005", None, f"各评分单元分值之和为 {total:g}，lab.yaml 中 points 为 {spec.points:g}"
        )


Rule = Callable[[NotebookNode, LabSpec], Iterator[LintIssue]]
RULES: tuple[Rule, ...] = (
    check_markers,
    check_marker_placement,
    check_metadata,
    check_grade_ids,
    check_points,
)


def lint_notebook(nb: NotebookNode, spec: LabSpec) -> list[LintIssue]:
    from jianlab.labs.lint_exports import check_exports  # its rules import this module

    rules = (*RULES, check_exports)
    return [issue for rule in rules for issue in rule(nb, spec)]
