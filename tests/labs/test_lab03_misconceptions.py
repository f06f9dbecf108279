"""lab03's visible tests catch the mistakes they are written for, with their hint.

The answer of one question is replaced by a typical wrong answer (the 其他 decisions in the
denominator, an unweighted slope, odds ratios for coefficients, counts for rates …) and the
visible part of that question's test cell must fail with the hint that names the idea to
re-check, without the hidden tests, which a student never sees. The setup cell runs as written
on a small build of the same dataset placed where the notebook reads it (`data/<name>`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import pytest
import yaml

from jianlab.labs.paths import labs_dir
from jianlab.labs.source import HIDDEN_BEGIN, read_source, source_path

matplotlib.use("Agg")

LAB = "lab03-lilun-jianyan"
MISTAKES = yaml.safe_load((Path(__file__).parent / "lab03_mistakes.yaml").read_text("utf-8"))


def _cells() -> tuple[str, dict[str, str]]:
    """(setup code: ungraded code cells before the first question, visible test code by id)."""
    nb = read_source(source_path(labs_dir() / LAB))
    setup: list[str] = []
    tests: dict[str, str] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if meta.get("grade") and not meta.get("solution"):
            tests[meta["grade_id"]] = cell.source.split(HIDDEN_BEGIN)[0]
        elif not meta and not tests and "instructor" not in cell.metadata.get("tags", []):
            setup.append(cell.source)
    return "\n".join(setup), tests


@contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def lab_folder(criminal_small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(LAB)
    (folder / "data").mkdir()
    (folder / "data" / "criminal-teaching").symlink_to(criminal_small)
    return folder


def test_every_listed_mistake_names_an_autograded_question() -> None:
    _, tests = _cells()
    assert {m["test"] for m in MISTAKES} <= set(tests)
    assert len({m["test"] for m in MISTAKES}) >= 7  # every autograded question but one has one


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m['test']}-{m['hint']}" for m in MISTAKES])
def test_visible_test_names_the_mistake(lab_folder: Path, mistake: dict[str, str]) -> None:
    setup, tests = _cells()
    namespace: dict[str, object] = {}
    with _in_folder(lab_folder):
        exec(compile(setup, f"{LAB}-setup", "exec"), namespace)
        exec(compile(mistake["answer"], f"{LAB}-{mistake['test']}-answer", "exec"), namespace)
        with pytest.raises(AssertionError, match=mistake["hint"]):
            exec(compile(tests[mistake["test"]], f"{LAB}-{mistake['test']}", "exec"), namespace)
