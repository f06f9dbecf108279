"""A student who writes the model answer must get their feedback page.

The feedback leak scan withholds any page that shows a hidden-test line (docs/grading.md,
"Feedback"). A page shows the student's own answer code, so a hidden-test line that also occurs
in the model solution (lab01's hidden test once had a line `).fit_vb()`, which the solution's
call ends with) withholds the page of every student who answers correctly.
"""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from jianlab.labs.leaks import split_secret
from jianlab.labs.paths import labs_dir
from jianlab.labs.source import build_notebooks, source_path

LABS = sorted(p.name for p in labs_dir().iterdir() if (p / "lab.yaml").is_file())


@pytest.mark.parametrize("lab", LABS)
def test_no_hidden_test_line_occurs_in_the_model_answers(lab: str) -> None:
    nb = build_notebooks(source_path(labs_dir() / lab)).instructor
    secret, _ = split_secret(nb, hidden_only=True)
    answers = "\n".join(
        c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
    )
    assert not sorted(s for s in secret if s in answers)


def test_the_check_finds_a_hidden_line_inside_an_answer() -> None:
    """The same check on a notebook built to fail it (a hidden line inside an answer line)."""
    answer = new_code_cell("model = fit_thing(data).fit_vb()")
    answer.metadata["nbgrader"] = {"grade_id": "q1_answer", "solution": True}
    test = new_code_cell("### BEGIN HIDDEN TESTS\n).fit_vb()\n### END HIDDEN TESTS")
    secret, _ = split_secret(new_notebook(cells=[answer, test]), hidden_only=True)
    assert [s for s in secret if s in answer.source] == [").fit_vb()"]
