"""Read a lab's jupytext percent source into nbgrader-ready notebooks.

Authors write only the nbgrader keys that matter (`grade_id`, `grade`, `solution`, `points`);
the rest of nbgrader's v3 cell metadata follows from them here, so sources stay short and the
defaults cannot drift between labs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

INSTRUCTOR_TAG = "instructor"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


@dataclass(frozen=True)
class LabNotebooks:
    """The two views of one source: what nbgrader sees, and the full instructor copy."""

    source: NotebookNode
    instructor: NotebookNode


def source_path(lab_dir: Path) -> Path:
    return lab_dir / f"{lab_dir.name}.py"


def complete_nbgrader_metadata(meta: dict[str, object]) -> dict[str, object]:
    """Fill nbgrader v3 defaults: locked unless the student must answer in the cell."""
    out = dict(meta)
    out.setdefault("schema_version", 3)
    out.setdefault("grade", False)
    out.setdefault("solution", False)
    out.setdefault("task", False)
    out.setdefault("locked", not bool(out["solution"]))
    return out


def read_source(path: Path) -> NotebookNode:
    """Parse the jupytext file as written, without nbgrader defaults (lint needs the raw form)."""
    nb = jupytext.read(path, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def is_instructor_cell(cell: NotebookNode) -> bool:
    return INSTRUCTOR_TAG in cell.metadata.get("tags", [])


def build_notebooks(path: Path) -> LabNotebooks:
    raw = read_source(path)
    full = copy.deepcopy(raw)
    for cell in full.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"] = complete_nbgrader_metadata(cell.metadata["nbgrader"])
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    source = copy.deepcopy(full)
    source.cells = [c for c in source.cells if not is_instructor_cell(c)]
    nbformat.validate(source)
    return LabNotebooks(source=source, instructor=full)


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write atomically so a crashed build never leaves half a notebook for nbgrader to read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        nbformat.write(nb, fh)
    tmp.replace(path)


def build_lab(lab_dir: Path) -> Path:
    """Build `labs/<id>/<id>.ipynb` (gitignored) from the jupytext source."""
    notebooks = build_notebooks(source_path(lab_dir))
    out = lab_dir / f"{lab_dir.name}.ipynb"
    write_notebook(notebooks.source, out)
    return out


def without_markers(source: str, markers: tuple[str, ...]) -> str:
    """The answer as a student would write it: the lines nbgrader treats as markers removed."""
    return "\n".join(
        line for line in source.splitlines() if not any(m in line for m in markers)
    ).strip("\n")
