"""`jianlab course regrade`: a fixed test reaches every submission in one command.

The lab is rebuilt from its source (nbgrader updates the test cells in the gradebook; it refuses
to add or remove graded cells once there are submissions, which would orphan grades), the
students' handout notebooks are refreshed (their data is not regenerated), and every submission
is autograded again. nbgrader's autograde overwrites automatic scores only: manual scores and
comments written in formgrader stay, and so does their "reviewed" mark (see below).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters.base import NbGraderException

from jianlab.course.build import BuildOptions, read_manifest, write_lab
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.status import SubmissionStatus
from jianlab.labs.models import SpecError


def refresh_lab(root: Path, lab: str, opts: BuildOptions) -> None:
    spec = read_manifest(root)
    course_lab = next((item for item in spec.labs if item.id == lab), None)
    if course_lab is None:
        raise SpecError(f"{root}: 课程中没有实验 {lab}")
    try:
        write_lab(root, course_lab, opts)
    except (NbGraderException, RuntimeError) as exc:
        raise SpecError(
            f"实验 {lab} 已有提交，不能增删评分单元（成绩会失去对应的题目）；"
            f"只能修改已有单元的内容。nbgrader：{exc}"
        ) from exc
    for handout in sorted((root / "handout").glob(f"*/{lab}")):
        for nb in (root / "release" / lab).glob("*.ipynb"):
            shutil.copy2(nb, handout / nb.name)


def regrade(
    root: Path,
    lab: str,
    build: BuildOptions,
    grading: AutogradeOptions,
    on_done: Callable[[SubmissionStatus], None] | None = None,
) -> list[SubmissionStatus]:
    refresh_lab(root, lab, build)
    forced = AutogradeOptions(
        grading.workers, grading.wall_s, grading.cell_timeout_s, grading.limits, force=True
    )
    statuses = autograde_lab(root, lab, forced, on_done)
    keep_manual_reviews(root, lab)
    return statuses


def keep_manual_reviews(root: Path, lab: str) -> int:
    """nbgrader marks every cell that had a manual score as "needs manual grade" again after an
    autograde; after a test fix the instructor's review still stands, so the mark is cleared."""
    cleared = 0
    with Gradebook(courseroot.db_url(root)) as gb:
        for submission in gb.find_assignment(lab).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None and grade.needs_manual_grade:
                        grade.needs_manual_grade = False
                        cleared += 1
        gb.db.commit()
    return cleared
