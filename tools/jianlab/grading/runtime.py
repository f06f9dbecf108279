"""Helpers that lab notebooks import at run time (hidden tests and instructor cells).

Hidden tests must compute expected answers from the grader's own copy of the student's data,
never from the files the submission carries (a student could edit or swap them). The grader
points `JIANLAB_REFERENCE_DIR` at that copy, `_truth/` included, only in trusted processes: the
hidden-test interpreter and the instructor run of `labs check`. A student kernel never has it
(nor the copy), so there the helpers fall back to the notebook's own `data/` folder, which holds
no `_truth/` (docs/grading.md, "Trusted access to the truth").
"""

from __future__ import annotations

import os
from pathlib import Path

REFERENCE_ENV = "JIANLAB_REFERENCE_DIR"


def data_dir(name: str) -> Path:
    """Where the notebook reads dataset `name` from: `data/<name>` next to the notebook."""
    return Path("data") / name


def reference_dir(name: str) -> Path:
    base = os.environ.get(REFERENCE_ENV)
    return Path(base) / name if base else data_dir(name)


def truth_dir(name: str) -> Path:
    """Instructor-only `_truth/` of dataset `name`: found in hidden tests and instructor cells,
    never in a student's kernel (there it raises, whatever the submission does)."""
    path = reference_dir(name) / "_truth"
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: 找不到真值目录（只在教师端评分时提供）")
    return path
