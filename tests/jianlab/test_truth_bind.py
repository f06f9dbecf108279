"""Binding a student's kept answers into the truth-section kernel's namespace, and restoring the
reference solution's values for the next student."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jianlab.grading.answer_store import answers_path, keep
from jianlab.grading.answers import export_answers
from jianlab.grading.truth_bind import bind, restore

EXPORTS = {
    "rate": ["q1_tests", "scalar"],
    "table": ["q2_tests", "dataframe"],
    "coef": ["q2_tests", "series"],
    "ci": ["q3_tests", "json"],
}
SOLUTION: dict[str, Any] = {"rate": 0.3, "table": "solution table", "coef": "solution coef"}


def _answers(tmp_path: Path, values: dict[str, Any]) -> Path:
    """Answers as the export cell writes them, one folder per question."""
    for gid in {g for g, _ in EXPORTS.values()}:
        declared = {n: k for n, (g, k) in EXPORTS.items() if g == gid}
        export_answers(str(tmp_path / gid), declared, values)
    return tmp_path


@pytest.mark.parametrize(
    ("values", "bound", "missing"),
    [
        (
            {"rate": 0.5, "table": pd.DataFrame({"a": [1, 2]}), "coef": pd.Series([1.5]),
             "ci": [0.1, 0.2]},
            {"rate": 0.5, "ci": [0.1, 0.2]},
            [],
        ),
        # a blank answer: the solution's value must not appear under the student's name
        ({"rate": 0.5}, {"rate": 0.5}, ["table", "coef", "ci"]),
        # a value the export cell could not write (object array) is missing, not the solution's
        ({"rate": np.array([object()]), "ci": {"low": 1}}, {"ci": {"low": 1}},
         ["rate", "table", "coef"]),
        ({}, {}, ["rate", "table", "coef", "ci"]),
    ],
)  # fmt: skip
def test_bind_and_restore(
    tmp_path: Path, values: dict[str, Any], bound: dict[str, Any], missing: list[str]
) -> None:
    namespace: dict[str, Any] = dict(SOLUTION, other="setup")
    answers = _answers(tmp_path, values)
    assert bind(namespace, str(answers), EXPORTS) == missing
    for name, value in bound.items():
        assert namespace[name] == value
    assert not [n for n in missing if n in namespace]
    if "table" not in missing:
        assert namespace["table"]["a"].tolist() == [1, 2]
    restore(namespace, EXPORTS)
    assert namespace == dict(SOLUTION, other="setup", **{"__jianlab_solution_values__": SOLUTION})


def test_an_unreadable_or_forged_answer_is_left_out(tmp_path: Path) -> None:
    answers = _answers(tmp_path, {"rate": 0.5})
    (answers / "q1_tests" / "rate.json").unlink()
    (answers / "q1_tests" / "rate.json.error").write_text("未导出", encoding="utf-8")
    (answers / "q3_tests").mkdir(exist_ok=True)
    (answers / "q3_tests" / "ci.json").write_text('{"not": "value"}', encoding="utf-8")
    namespace: dict[str, Any] = dict(SOLUTION)
    assert bind(namespace, str(answers), EXPORTS) == ["rate", "table", "coef", "ci"]
    assert "rate" not in namespace and "ci" not in namespace


def test_kept_answers_are_replaced_whole_at_regrade(tmp_path: Path) -> None:
    first = _answers(tmp_path / "first", {"rate": 0.5, "ci": [1, 2]})
    keep(first, tmp_path / "course", "lab", "s01")
    second = _answers(tmp_path / "second", {"rate": 0.7})
    keep(second, tmp_path / "course", "lab", "s01")
    kept = answers_path(tmp_path / "course", "lab", "s01")
    namespace: dict[str, Any] = {}
    assert bind(namespace, str(kept), EXPORTS) == ["table", "coef", "ci"]
    assert namespace["rate"] == 0.7
    assert [p.name for p in kept.parent.iterdir()] == ["s01"]  # no staging folder left
