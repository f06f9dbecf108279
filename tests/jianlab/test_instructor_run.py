"""The trusted instructor run of `labs check` (docs/grading.md, "Trusted access to the truth").

Instructor cells read the planted truth through `truth_dir`; they run outside any student
sandbox, with the grader's reference data (and only there), without the course secret, and
without the autograded test cells. Each case starts one real kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from jianlab.course.instructor_run import InstructorRun, trusted_notebook

LAB = "lab00-truth"
READ_TRUTH = (
    "import json, os\n"
    "from jianlab.grading.runtime import data_dir, truth_dir\n"
    "assert 'JIANLAB_COURSE_SECRET' not in os.environ\n"
    "text = (data_dir('decisions') / 'decisions.txt').read_text(encoding='utf-8')\n"
    "n = text.split().count('不捕')\n"
    "truth = json.loads((truth_dir('decisions') / 'answer.json').read_text(encoding='utf-8'))\n"
    "assert truth['不捕'] == n, (truth, n)\n"
    "print('真值', truth['不捕'])"
)


def _notebook(*instructor_sources: str) -> nbformat.NotebookNode:
    setup = new_code_cell("x = 1")
    tests = new_code_cell("raise AssertionError('autograded tests must not run here')")
    tests.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q1_tests"}
    cells = [setup, tests]
    for source in instructor_sources:
        cells.append(new_code_cell(source, metadata={"tags": ["instructor"]}))
    return new_notebook(cells=cells)


def _root(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "course"
    data = root / "source" / LAB / "data" / "decisions"
    data.mkdir(parents=True)
    (data / "decisions.txt").write_text("批捕 不捕 不捕 其他\n", encoding="utf-8")
    truth = root / "instructor" / LAB / "reference" / "_shared" / "decisions" / "_truth"
    truth.mkdir(parents=True)
    (truth / "answer.json").write_text(json.dumps({"不捕": 2}), encoding="utf-8")
    return root, truth.parents[1]


FAILING = "raise ValueError('单元出错')"
# case → (instructor cells, reference given, the problems expected, in order)
CASES = {
    # the truth is read (and printed); a failing cell after it is still reported
    "with-reference": ((READ_TRUTH, FAILING), True, ["第 3 个单元执行报错：ValueError: 单元出错"]),
    # no reference data: `truth_dir` has nothing to find, exactly as in a student's kernel
    "without-reference": ((READ_TRUTH,), False, ["第 2 个单元执行报错：FileNotFoundError"]),
}


@pytest.mark.integration
@pytest.mark.parametrize("case", CASES)
def test_instructor_cells_run_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    sources, with_reference, expected = CASES[case]
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "top-secret")
    root, reference = _root(tmp_path)
    run = InstructorRun(_notebook(*sources), root, LAB, tmp_path / "scratch")
    run.start(tmp_path / "no-submission", reference if with_reference else None, 60)
    problems = run.problems(120)
    assert len(problems) == len(expected), problems
    for got, want in zip(problems, expected, strict=True):
        assert want in got, problems
    executed = nbformat.read(run.path, as_version=4)
    assert ("真值 2" in str(executed.cells[1].outputs)) == with_reference


def test_trusted_notebook_leaves_out_autograded_tests_only() -> None:
    nb = _notebook("print(1)")
    answer = new_code_cell("y = 2")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "q1_answer"}
    nb.cells.insert(1, answer)
    kept = trusted_notebook(nb).cells
    assert [c.source for c in kept] == ["x = 1", "y = 2", "print(1)"]
    assert len(nb.cells) == 4  # the lab's own notebook is left as it was
