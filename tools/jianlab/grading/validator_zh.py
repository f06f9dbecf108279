"""`nbgrader validate` in Chinese, as students see it (command line and the Lab Validate button).

nbgrader's Validator takes its summary warnings from config (set in grading/nbgrader_config.py)
but writes "Success! Your notebook passes all the tests.", "The following cell failed:" and
"You did not provide a response." from code, and the Lab handler builds a plain `Validator`. So
`install()` rewrites those methods on the class; the course config calls it, and nbgrader loads
that config before every validation (the command and the Lab handler alike). The Lab dialog's
own frame (its title, "The following cell failed:", "Success! …") is drawn by nbgrader's
TypeScript and stays English (docs/course-operations.md §9 lists it with its Chinese meaning).

nbgrader's validator also counts any stderr output of a test cell as a failure, so a pandas
FutureWarning made a correct answer "fail" the Validate button while jianlab's grader (which
judges by exceptions) gives it full marks. The patched checks look at the cells without their
stderr streams: what Validate tells a student now agrees with the grade.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.validator import Validator

NO_RESPONSE = "你还没有作答。"
PARTIAL = "部分得分：通过了部分测试，但不是全部"
MAY_FAIL = "即使现在测试能通过，评分时也可能不通过。\n"
WARNINGS = {
    "type_changed_warning": "有 {num_changed} 个单元的类型被改动了！" + MAY_FAIL,
    "changed_warning": "有 {num_changed} 个测试单元的内容被改动了！" + MAY_FAIL,
    "failed_warning": "有 {num_failed} 个单元未通过检查！按现在的样子提交，你将拿不到满分。\n",
    "passed_warning": "有 {num_passed} 个单元在作答前就通过了检查！\n",
}
LINES = {
    "The following cell failed:": "下面这个单元未通过：",
    "The error was:": "错误信息：",
    "The following cell passed:": "下面这个单元通过了：",
    "The following cell has changed:": "下面这个单元被改动过：",
    "Success! Your notebook passes all the tests.": "通过！你的笔记本通过了全部测试。",
    "Success! The notebook does not pass any tests.": "检查完成：作答前没有任何测试能通过。",
}
_ENGLISH = {
    "You did not provide a response.": NO_RESPONSE,
    "Partial credit; passed some but not all of the tests": PARTIAL,
}


class _Translating:
    """A stream wrapper that replaces nbgrader's fixed English lines as they are written."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        for english, chinese in LINES.items():
            text = text.replace(english, chinese)
        if text.startswith("The following ") and " cell has changed to a " in text:
            old, new = text.removeprefix("The following ").split(" cell has changed to a ", 1)
            text = f"下面这个单元的类型从 {old} 改成了 {new.split(' cell', 1)[0]}：\n\n"
        return int(self.stream.write(text))

    def flush(self) -> None:
        self.stream.flush()


def _extract_error(self: Validator, cell: Any) -> str:
    text = str(_ORIGINAL_EXTRACT(self, cell))
    for english, chinese in _ENGLISH.items():
        text = text.replace(english, chinese)
    return text


def _validate_and_print(self: Validator, filename: str) -> None:
    stream = self.stream
    self.stream = _Translating(stream)
    try:
        _ORIGINAL_PRINT(self, filename)
    finally:
        self.stream = stream


def without_stderr(nb: NotebookNode) -> NotebookNode:
    """A copy whose grade cells keep every output except stderr streams (warnings, logs)."""
    copy = nb.copy()
    copy.cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and utils.is_grade(cell):
            cell = cell.copy()
            cell.outputs = [
                o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
        copy.cells.append(cell)
    return copy


def _get_failed_cells(self: Validator, nb: NotebookNode) -> list[NotebookNode]:
    return list(_ORIGINAL_FAILED(self, without_stderr(nb)))


def _get_passed_cells(self: Validator, nb: NotebookNode) -> list[NotebookNode]:
    return list(_ORIGINAL_PASSED(self, without_stderr(nb)))


_ORIGINAL_EXTRACT = Validator._extract_error
_ORIGINAL_PRINT = Validator.validate_and_print
_ORIGINAL_FAILED = Validator._get_failed_cells
_ORIGINAL_PASSED = Validator._get_passed_cells


def install(config: Any = None) -> None:
    """Patch the class (idempotent) and, given a traitlets config, set the Chinese warnings."""
    Validator._extract_error = _extract_error
    Validator.validate_and_print = _validate_and_print
    Validator._get_failed_cells = _get_failed_cells
    Validator._get_passed_cells = _get_passed_cells
    if config is not None:
        for name, text in WARNINGS.items():
            setattr(config.Validator, name, text)
