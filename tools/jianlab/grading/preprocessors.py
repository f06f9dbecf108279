"""Feedback preprocessors: strip what a failing hidden test would reveal (nbgrader #917).

ClearHiddenTests removes the hidden source, but the IPython traceback of a failing hidden assert
still prints the failing line, its neighbours and the values in its message. In grade cells that
hold hidden tests this keeps only the exception name, plus the message when the failing line is
in the visible part of the cell. Must run before ClearHiddenTests (it needs the hidden region).
"""

from __future__ import annotations

import re

from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.utils.base import NbConvertBase
from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import List

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"^(?:Cell In\s*\[\d*\]|Input In \[\d*\]).*?line (\d+)", re.MULTILINE)
HIDDEN_MESSAGE = "隐藏测试未通过（具体检查内容不公开）"


def hidden_line_numbers(source: str, begin: str, end: str) -> set[int]:
    """1-based line numbers inside hidden regions, markers included."""
    lines: set[int] = set()
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if begin in text:
            inside = True
        if inside:
            lines.add(number)
        if end in text:
            inside = False
    return lines


def failing_line(traceback: list[str]) -> int | None:
    """The line of the notebook cell where the error was raised (the first cell frame)."""
    text = ANSI.sub("", "\n".join(traceback))
    match = CELL_FRAME.search(text)
    return int(match.group(1)) if match else None


class FeedbackPreprocessor(NbGraderPreprocessor):
    """Base for preprocessors run by the HTML exporter of `generate_feedback`.

    That exporter configures `NbConvertBase.display_data_priority` for every preprocessor, but
    nbgrader's base class redeclares the trait without `config=True` (only its GetGrades declares
    it again as config), so traitlets logs "Config option `display_data_priority` not
    recognized" for each other nbgrader preprocessor. Declaring it as config here accepts it.
    """

    display_data_priority = List(NbConvertBase.display_data_priority.default_value).tag(config=True)


class FeedbackClearHiddenTests(FeedbackPreprocessor, ClearHiddenTests):
    """nbgrader's ClearHiddenTests (same `ClearHiddenTests` config section) for feedback.

    Only test cells can hold hidden tests; a student's answer cell that merely contains the
    marker text (twice, say) is the student's own writing and must not abort the page.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if not is_grade(cell) or is_solution(cell):
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


class ScrubHiddenTracebacks(FeedbackPreprocessor):
    begin_delimeter = "BEGIN HIDDEN TESTS"
    end_delimeter = "END HIDDEN TESTS"

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
            return cell, resources
        hidden = hidden_line_numbers(cell.source, self.begin_delimeter, self.end_delimeter)
        if not hidden:
            return cell, resources
        cell.outputs = [
            self._scrub(out, hidden) for out in cell.outputs if out.output_type == "error"
        ]
        return cell, resources

    @staticmethod
    def _scrub(output: NotebookNode, hidden: set[int]) -> NotebookNode:
        line = failing_line(output.get("traceback", []))
        visible = line is not None and line not in hidden
        evalue = str(output.get("evalue", "")) if visible else HIDDEN_MESSAGE
        ename = str(output.get("ename", "Error"))
        return NotebookNode(
            output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
        )


TRUNCATED = "…（输出过长，已截断）"


class CapOutputSize(NbGraderPreprocessor):
    """nbgrader's LimitOutput counts lines, so one 50 MB line survives into the gradebook copy
    and the feedback page; cap the characters of every text output as well."""

    max_chars = 100_000

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream" and len(output.text) > self.max_chars:
                output.text = output.text[: self.max_chars] + "\n" + TRUNCATED
            for mime, value in output.get("data", {}).items():
                if isinstance(value, str) and len(value) > self.max_chars:
                    output["data"][mime] = value[: self.max_chars] + "\n" + TRUNCATED
        return cell, resources
