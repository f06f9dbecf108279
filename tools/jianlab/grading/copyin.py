"""Grade a private copy of a submission, never the handed-in folder itself.

nbgrader runs the kernel in the folder of the notebook it grades and copies every file it finds
there (following symlinks) into `autograded/`. Pointing nbgrader at a private copy that holds only
the submission's regular files means a submitted symlink (to the course secret, to another
student's work) is dropped before anything reads it, and nothing the grading does can change
`submitted/`. See docs/grading-sandbox.md.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jianlab.grading.kernelbox import copy_regular_tree


@contextmanager
def private_submission(root: Path, lab: str, student: str) -> Iterator[Path]:
    """A temporary `submitted` folder holding only this student's copy of `lab`."""
    staging = Path(tempfile.mkdtemp(prefix="jianlab-submission-"))
    try:
        src = root / "submitted" / student / lab
        dest = staging / "submitted" / student / lab
        if src.is_dir() and not src.is_symlink():
            copy_regular_tree(src, dest)
        else:
            dest.mkdir(parents=True)
        yield staging / "submitted"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
