"""Each lab's visible tests catch the common mistakes they are written for, with their hint.

The answer of one question is replaced by a typical wrong answer (the other denominator, the
normal approximation, the ignored censoring …) and the visible part of that question's test cell
must fail with the hint that names the idea to re-check — without the hidden tests, which a
student never sees. The labs' setup cell runs as written, on a small build of the same dataset
placed where the notebook reads it (`data/<name>`).
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

MISTAKES = yaml.safe_load((Path(__file__).parent / "mistakes.yaml").read_text(encoding="utf-8"))


def _cells(lab: str) -> tuple[str, dict[str, str]]:
    """(setup code: the ungraded code cells before the first question, visible test code by id)."""
    nb = read_source(source_path(labs_dir() / lab))
    setup: list[str] = []
    tests: dict[str, str] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if meta.get("grade") and not meta.get("solution"):  # autograded, not an essay
            tests[meta["grade_id"]] = cell.source.split(HIDDEN_BEGIN)[0]
        elif not meta and not tests and "instructor" not in cell.metadata.get("tags", []):
            setup.append(cell.source)
    return "\n".join(setup), tests


@contextmanager
def _in_lab_folder(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def lab_folders(
    criminal_small: Path,
    enforcement_zj: Path,
    enforcement_extract: Path,
    enforcement_casefiles: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    folders = {}
    for lab, name, build in (
        ("lab01-bubu-busu", "criminal-teaching", criminal_small),
        ("lab02-zhongben", "enforcement-teaching", enforcement_zj),
        ("lab03-lilun-jianyan", "criminal-teaching", criminal_small),
        ("lab06-tuomin-shenhe", "enforcement-extract", enforcement_extract),
        ("lab04-anjian-pingcha", "enforcement-pingcha", enforcement_casefiles),
        ("lab05-jiandu-moxing", "enforcement-teaching", enforcement_zj),
    ):
        folder = tmp_path_factory.mktemp(lab)
        (folder / "data").mkdir()
        (folder / "data" / name).symlink_to(build)
        folders[lab] = folder
    return folders


@pytest.mark.parametrize("lab", sorted({m["lab"] for m in MISTAKES}))
def test_every_listed_mistake_names_an_autograded_question(lab: str) -> None:
    listed = {m["test"] for m in MISTAKES if m["lab"] == lab}
    _, tests = _cells(lab)
    assert listed <= set(tests)
    assert len(listed) >= len(tests) // 2  # at least every other autograded question has one


@pytest.mark.slow
@pytest.mark.parametrize(
    "mistake", MISTAKES, ids=[f"{m['lab']}-{m['test']}-{m['hint']}" for m in MISTAKES]
)
def test_visible_test_names_the_mistake(
    lab_folders: dict[str, Path], mistake: dict[str, str]
) -> None:
    lab, test_id, answer, hint = mistake["lab"], mistake["test"], mistake["answer"], mistake["hint"]
    setup, tests = _cells(lab)
    namespace: dict[str, object] = {}
    with _in_lab_folder(lab_folders[lab]):
        exec(compile(setup, f"{lab}-setup", "exec"), namespace)
        exec(compile(answer, f"{lab}-{test_id}-answer", "exec"), namespace)
        with pytest.raises(AssertionError, match=hint):
            exec(compile(tests[test_id], f"{lab}-{test_id}", "exec"), namespace)
