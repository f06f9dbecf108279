"""The export contract of the lab source format: which values each autograded question checks.

An autograded test cell declares, in its `jianlab` cell metadata, the names its hidden tests
read and the kind of each value (`scalar`, `series`, `dataframe`, `array`, `json`). The student's
kernel writes exactly those values to data files after the test cell; the hidden tests then run
in the grader's own interpreter over those files (docs/grading.md). This module reads the
declarations out of a master notebook into a plan the grader and `labs check` share.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from dataclasses import dataclass, field
from enum import StrEnum

from nbformat import NotebookNode
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jianlab.labs.source import HIDDEN_BEGIN, HIDDEN_END

METADATA_KEY = "jianlab"
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class Kind(StrEnum):
    scalar = "scalar"
    series = "series"
    dataframe = "dataframe"
    array = "array"
    json = "json"


class CellExports(BaseModel):
    """`jianlab={"exports": {"name": "kind", ...}}` on an autograded test cell."""

    model_config = ConfigDict(extra="forbid")

    exports: dict[str, Kind] = Field(min_length=1)


class ExportError(ValueError):
    """A declaration is missing or malformed; the message is Chinese and names the cell."""


@dataclass(frozen=True)
class Question:
    """One autograded test cell as the grader sees it."""

    grade_id: str
    points: float
    exports: dict[str, Kind]
    visible: str
    hidden: str


@dataclass
class Plan:
    """Every autograded question of one notebook, plus the master order of all grade ids."""

    questions: dict[str, Question] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    answers: dict[str, list[str]] = field(default_factory=dict)


def split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell; marker lines belong to neither."""
    visible: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line.strip():
            inside = True
        elif HIDDEN_END in line.strip():
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


def _nbgrader(cell: NotebookNode) -> dict[str, object]:
    meta = cell.metadata.get("nbgrader")
    return dict(meta) if isinstance(meta, dict) else {}


def is_autograded_test(cell: NotebookNode) -> bool:
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def declared_exports(cell: NotebookNode) -> dict[str, Kind]:
    raw = cell.metadata.get(METADATA_KEY)
    gid = _nbgrader(cell).get("grade_id")
    if raw is None:
        raise ExportError(f'测试单元 {gid} 没有声明导出值（jianlab={{"exports": …}}）')
    try:
        spec = CellExports.model_validate(raw)
    except ValidationError as exc:
        raise ExportError(f"测试单元 {gid} 的导出声明无效：{exc.errors()[0]['msg']}") from exc
    bad = [n for n in spec.exports if not n.isidentifier() or keyword.iskeyword(n)]
    if bad:
        raise ExportError(f"测试单元 {gid} 的导出名不是合法的 Python 变量名：{', '.join(bad)}")
    return dict(spec.exports)


def build_plan(nb: NotebookNode) -> Plan:
    """Plan of a master (source or instructor) notebook; raises ExportError on bad declarations.

    The answer cells of a question are the solution cells since the previous autograded test
    cell: `labs check` blanks exactly those to prove the other questions do not depend on them.
    """
    plan = Plan()
    pending: list[str] = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if not isinstance(gid, str):
            continue
        plan.order.append(gid)
        if meta.get("solution"):
            pending.append(gid)
        if not is_autograded_test(cell):
            continue
        visible, hidden = split_hidden(cell.source)
        plan.questions[gid] = Question(
            gid, float(str(meta.get("points", 0))), declared_exports(cell), visible, hidden
        )
        plan.answers[gid], pending = pending, []
    return plan


BUILTINS = frozenset(dir(builtins))


class _Names(ast.NodeVisitor):
    """Names a code block reads before (or without) binding them itself."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.loaded: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.loaded.add(node.id)
        else:
            self.bound.add(node.id)

    def visit_alias(self, node: ast.alias) -> None:
        self.bound.add((node.asname or node.name).split(".")[0])

    def _scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for arg in ast.walk(node.args):
            if isinstance(arg, ast.arg):
                self.bound.add(arg.arg)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.bound.add(node.name)
        self._scope(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.bound.add(node.name)
        self._scope(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._scope(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.bound.add(node.name)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)


def free_names(code: str) -> set[str]:
    """Names `code` reads that it never binds and that are not builtins.

    Deliberately simple (one scope): a hidden test is a flat list of statements, and a name it
    binds anywhere counts as its own. A syntax error is reported as the pseudo-name `<语法错误>`.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {"<语法错误>"}
    names = _Names()
    names.visit(tree)
    return names.loaded - names.bound - BUILTINS
