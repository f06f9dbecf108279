"""Lint rules for the export contract (docs/grading.md): every autograded question declares the
values its hidden tests read, and its hidden tests read nothing else from the notebook.

A hidden test that reads a notebook name it did not declare would fail in the grader's
interpreter (the name does not exist there), and one that reads another question's names would
make that question's blank answer cost marks here; both are caught before any kernel starts.
"""

from __future__ import annotations

from collections.abc import Iterator

from nbformat import NotebookNode

from jianlab.labs.exports import (
    METADATA_KEY,
    ExportError,
    declared_exports,
    free_names,
    is_autograded_test,
    split_hidden,
)
from jianlab.labs.lint import LintIssue
from jianlab.labs.models import LabSpec


def check_exports(nb: NotebookNode, spec: LabSpec) -> Iterator[LintIssue]:
    for idx, cell in enumerate(nb.cells):
        if not is_autograded_test(cell):
            if METADATA_KEY in cell.metadata:
                yield LintIssue(
                    "L007", idx, "只有自动评分的测试单元可以声明导出值（jianlab 元数据）"
                )
            continue
        try:
            exports = declared_exports(cell)
        except ExportError as exc:
            yield LintIssue("L007", idx, str(exc))
            continue
        _, hidden = split_hidden(cell.source)
        if not hidden.strip():
            yield LintIssue(
                "L008", idx, "自动评分的测试单元必须有隐藏测试（评分只信任隐藏测试的结果）"
            )
            continue
        used = free_names(hidden)
        unused = sorted(set(exports) - used)
        if unused:
            yield LintIssue(
                "L010", idx, f"隐藏测试没有检查声明的导出值：{', '.join(unused)}（等于不评分）"
            )
        undeclared = sorted(used - set(exports))
        if undeclared:
            yield LintIssue(
                "L009",
                idx,
                f"隐藏测试用到了未声明、也未在测试内定义的名称：{', '.join(undeclared)}"
                "（隐藏测试须自成一体：自行导入、自行读取参考数据）",
            )
