from __future__ import annotations

from pathlib import Path

import pytest

from jianlab.labs.lint import lint_notebook
from jianlab.labs.models import load_lab_spec
from jianlab.labs.source import build_notebooks, read_source, source_path

Q2 = '# %% nbgrader={"grade_id": "q2_answer", "solution": true}\n### BEGIN SOLUTION\n'

Q2_HIDDEN = (
    "### BEGIN HIDDEN TESTS\n"
    '_decisions = ["批准逮捕"] * 7 + ["不批准逮捕"] * 3 + ["其他"] * 2\n'
    'assert n_other == sum(d == "其他" for d in _decisions), "人数不正确"\n'
    "### END HIDDEN TESTS"
)

MUTATIONS = [
    ("valid", None, None, []),
    (
        "nested",
        "### BEGIN SOLUTION\napproved",
        "### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\napproved",
        ["L001", "L001", "L002"],
    ),
    (
        "unclosed",
        '### END SOLUTION\n\n# %% nbgrader={"grade_id": "q1_tests"',
        '\n\n# %% nbgrader={"grade_id": "q1_tests"',
        ["L001"],
    ),
    (
        "end_without_begin",
        Q2,
        '# %% nbgrader={"grade_id": "q2_answer", "solution": true}\n',
        ["L001", "L002"],
    ),
    ("duplicate_id", '"grade_id": "q2_tests"', '"grade_id": "q1_tests"', ["L003"]),
    ("bad_id", '"grade_id": "q2_tests"', '"grade_id": "q2 测试"', ["L003", "L006"]),
    ("points_sum", '"points": 4}', '"points": 3}', ["L005"]),
    (
        "grade_without_points",
        '"grade": true, "points": 1}',
        '"grade": true}',
        ["L004", "L005", "L006"],
    ),
    (
        "points_on_answer",
        '"q2_answer", "solution": true}',
        '"q2_answer", "solution": true, "points": 1}',
        ["L004"],
    ),
    (
        "solution_marker_in_plain_cell",
        "# %%\nimport warnings",
        "# %%\n### BEGIN SOLUTION\nimport warnings\n### END SOLUTION",
        ["L002"],
    ),
    (
        "unknown_key",
        '"q2_answer", "solution": true}',
        '"q2_answer", "solution": true, "hidden": true}',
        ["L006"],
    ),
    (
        "no_exports",
        ' jianlab={"exports": {"n_other": "scalar"}}',
        "",
        ["L007"],
    ),
    ("bad_kind", '{"n_other": "scalar"}', '{"n_other": "float"}', ["L007"]),
    ("bad_export_name", '{"n_other": "scalar"}', '{"n-other": "scalar"}', ["L007"]),
    (
        "exports_on_answer",
        '"q2_answer", "solution": true}',
        '"q2_answer", "solution": true} jianlab={"exports": {"n_other": "scalar"}}',
        ["L007"],
    ),
    (
        "no_hidden_tests",
        Q2_HIDDEN,
        "assert n_other >= 0",
        ["L008"],
    ),
    (
        "hidden_reads_notebook_name",
        'assert n_other == sum(d == "其他" for d in _decisions)',
        'assert n_other == sum(d == "其他" for d in decisions) == rate',
        ["L009"],
    ),
    (
        "hidden_ignores_export",
        'assert n_other == sum(d == "其他" for d in _decisions)',
        'assert sum(d == "其他" for d in _decisions) == 2',
        ["L010"],
    ),
    (
        "instructor_with_metadata",
        '# %% tags=["instructor"]',
        '# %% tags=["instructor"] nbgrader={"grade_id": "x", "locked": true}',
        ["L006"],
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "rules"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_lint_rules(
    fixture_lab: Path, name: str, old: str | None, new: str | None, rules: list[str]
) -> None:
    src = source_path(fixture_lab)
    if old is not None and new is not None:
        text = src.read_text(encoding="utf-8")
        assert old in text, f"mutation {name} does not apply"
        src.write_text(text.replace(old, new, 1), encoding="utf-8")
    issues = lint_notebook(read_source(src), load_lab_spec(fixture_lab / "lab.yaml"))
    assert sorted(i.rule for i in issues) == sorted(rules), [i.message for i in issues]


def test_build_fills_nbgrader_defaults_and_drops_instructor_cells(fixture_lab: Path) -> None:
    nbs = build_notebooks(source_path(fixture_lab))
    metas = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]
        for c in nbs.source.cells
        if "nbgrader" in c.metadata
    }
    assert metas["q1_tests"] == {
        "grade_id": "q1_tests",
        "grade": True,
        "points": 4,
        "schema_version": 3,
        "solution": False,
        "task": False,
        "locked": True,
    }
    assert metas["q1_answer"]["locked"] is False
    assert metas["q3_essay"]["locked"] is False and metas["q3_essay"]["solution"] is True
    assert len(nbs.instructor.cells) == len(nbs.source.cells) + 1
    assert not any("教师核对" in c.source for c in nbs.source.cells)
