"""Keep each submission's exported answers after grading, for the truth section of feedback.

`TrustedVerdicts` copies exactly the declared answer files of a submission into a private folder
and runs the hidden tests over it; that folder used to be deleted afterwards. The truth section
of `grade feedback` (docs/grading.md, "The truth section") shows the student's own estimates
against the planted truth, so the same copy is kept under `.jianlab/answers/<lab>/<student>/`,
outside every folder a student or nbgrader's feedback step copies from. It holds only declared
files (or `.error` notes for the ones that could not be read) and is replaced whole at each
regrade, so a stale answer never outlives its submission. The files are still hostile data: they
are read back only through `values.load_value`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def answers_path(root: Path, lab: str, student: str) -> Path:
    return root / ".jianlab" / "answers" / lab / student


def keep(snapshot: Path, root: Path, lab: str, student: str) -> None:
    """Replace the stored answers of (lab, student) with `snapshot` (a folder of regular files).

    The old copy goes first, so a failed copy leaves no answers (the page then says so) rather
    than the previous grading's."""
    dest = answers_path(root, lab, student)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(dest, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{student}-", dir=dest.parent))
    try:
        shutil.copytree(snapshot, staging / "answers", symlinks=False)
        (staging / "answers").rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
