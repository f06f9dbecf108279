"""Fast unit tests of the grading helpers that need no kernel."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.utils import compute_checksum

from jianlab.grading.integrity import is_false_checksum_warning, tampered_cells
from jianlab.grading.preprocessors import HIDDEN_MESSAGE, ScrubHiddenTracebacks, failing_line
from jianlab.labs.leaks import find_leaks
from jianlab.labs.source import build_notebooks, source_path

TEST_SOURCE = (
    "assert isinstance(rate, float), 'rate 应为浮点数'\n"
    "### BEGIN HIDDEN TESTS\n"
    "_expected = 0.3\n"
    "assert abs(rate - _expected) < 1e-9, f'应为 {_expected}'\n"
    "### END HIDDEN TESTS\n"
)


def _grade_cell(source: str, outputs: list[NotebookNode]) -> NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "t",
        "points": 1,
        "schema_version": 3,
        "task": False,
    }
    cell.outputs = outputs
    return cell


def _error(line: int, evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error",
        ename="AssertionError",
        evalue=evalue,
        traceback=[
            "\x1b[0;31m-----\x1b[0m",
            f"Cell \x1b[0;32mIn[7], line {line}\x1b[0m\n      3 _expected = 0.3\n"
            "----> 4 assert abs(rate - _expected)",
            f"\x1b[0;31mAssertionError\x1b[0m: {evalue}",
        ],
    )


@pytest.mark.parametrize(
    ("line", "evalue", "expected"),
    [
        (4, "应为 0.3", HIDDEN_MESSAGE),  # hidden assert: message and values withheld
        (1, "rate 应为浮点数", "rate 应为浮点数"),  # visible assert: message kept
    ],
)
def test_scrub_hidden_tracebacks(line: int, evalue: str, expected: str) -> None:
    stream = NotebookNode(output_type="stream", name="stdout", text="期望值 0.3\n")
    nb = new_notebook(cells=[_grade_cell(TEST_SOURCE, [stream, _error(line, evalue)])])
    out, _ = ScrubHiddenTracebacks().preprocess(nb, {})
    outputs = out.cells[0].outputs
    assert len(outputs) == 1
    assert outputs[0].evalue == expected
    assert outputs[0].traceback == [f"AssertionError: {expected}"]
    rendered = json.dumps(outputs, ensure_ascii=False)
    assert "_expected" not in rendered
    assert "0.3" not in rendered or line == 1


def test_failing_line_ignores_ansi_and_missing_frames() -> None:
    assert failing_line(_error(12, "x").traceback) == 12
    assert failing_line(["KeyError: 'a'"]) is None


def _release() -> NotebookNode:
    cell = _grade_cell("assert rate > 0", [])
    cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    return new_notebook(cells=[cell])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda nb: None, []),
        (lambda nb: setattr(nb.cells[0], "source", "assert True"), ["修改了锁定单元 t"]),
        (lambda nb: nb.cells[0].metadata["nbgrader"].update(points=100), ["修改了锁定单元 t"]),
        (lambda nb: nb.cells.pop(), ["删除了锁定单元 t"]),
        (
            lambda nb: nb.cells[0].update(
                outputs=[{"output_type": "stream", "name": "stdout", "text": "x"}]
            ),
            [],
        ),
    ],
)
def test_tampered_cells(edit: object, expected: list[str]) -> None:
    release = _release()
    submitted = copy.deepcopy(release)
    edit(submitted)  # type: ignore[operator]
    assert tampered_cells(release, submitted) == expected


def test_false_checksum_warning_pattern() -> None:
    assert is_false_checksum_warning(
        "Attribute 'checksum' for cell q1_tests has changed! (should be: x)"
    )
    assert not is_false_checksum_warning("Attribute 'points' for cell q1_tests has changed!")


def test_find_leaks(fixture_lab: Path, tmp_path: Path) -> None:
    nbs = build_notebooks(source_path(fixture_lab))
    release_dir = tmp_path / "release"
    release_dir.mkdir()
    clean = copy.deepcopy(nbs.source)
    for cell in clean.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "# 请在此处编写代码"
        if "HIDDEN" in cell.source:
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
    nbformat.write(clean, release_dir / "lab.ipynb")
    assert find_leaks(nbs.instructor, release_dir) == []
    (release_dir / "notes.txt").write_text(
        'rejected = decisions.count("不批准逮捕")\n', encoding="utf-8"
    )
    nbformat.write(nbs.instructor, release_dir / "lab.ipynb")
    problems = find_leaks(nbs.instructor, release_dir)
    assert any("notes.txt" in p and "rejected" in p for p in problems)
    assert any("BEGIN HIDDEN TESTS" in p for p in problems)
    assert any("_expected_rate" in p for p in problems)
    assert any("教师核对" in p for p in problems)
