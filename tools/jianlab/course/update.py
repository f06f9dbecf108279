"""`jianlab course build` onto an existing course: add students and labs, never remove anything.

Mid-term changes (a student joins late, the next lab is ready) must not cost a single submission,
grade or feedback page. So an update only writes what is new: gradebook rows for new students
(and changed names or e-mails), new labs with their release, per-student data for the new
students of every per-student lab, and new due dates. Students and labs missing from the new
course.yaml stay in the course and the manifest (their grades are still owed), and are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from jianlab.course.build import (
    BuildOptions,
    add_lab,
    course_secret,
    hand_out,
    load_lab,
    read_manifest,
    write_manifest,
)
from jianlab.grading import courseroot
from jianlab.labs.models import CourseLab, CourseSpec, SpecError, Student


@dataclass
class UpdateSummary:
    """What an update did, for the CLI to print."""

    new_students: list[str] = field(default_factory=list)
    new_labs: list[str] = field(default_factory=list)
    kept_students: list[str] = field(default_factory=list)
    kept_labs: list[str] = field(default_factory=list)
    new_due: list[str] = field(default_factory=list)


def merge_specs(old: CourseSpec, new: CourseSpec) -> tuple[CourseSpec, UpdateSummary]:
    """The new spec plus whatever the old one had that the new one dropped (kept, not deleted)."""
    if old.id != new.id:
        raise SpecError(f"课程 id 不一致：课程目录是 {old.id}，course.yaml 是 {new.id}")
    new_lab_ids = {lab.id for lab in new.labs}
    new_student_ids = {s.id for s in new.roster}
    kept_labs = [lab for lab in old.labs if lab.id not in new_lab_ids]
    kept_students = [s for s in old.roster if s.id not in new_student_ids]
    old_labs = {lab.id: lab for lab in old.labs}
    old_students = {s.id for s in old.roster}
    summary = UpdateSummary(
        new_students=[s.id for s in new.roster if s.id not in old_students],
        new_labs=[lab.id for lab in new.labs if lab.id not in old_labs],
        kept_students=[s.id for s in kept_students],
        kept_labs=[lab.id for lab in kept_labs],
        new_due=[
            lab.id for lab in new.labs if lab.id in old_labs and old_labs[lab.id].due != lab.due
        ],
    )
    merged = new.model_copy(
        update={"labs": [*new.labs, *kept_labs], "roster": [*new.roster, *kept_students]}
    )
    return merged, summary


def _set_due_dates(root: Path, labs: list[CourseLab]) -> None:
    with Gradebook(courseroot.db_url(root)) as gb:
        for lab in labs:
            gb.update_or_create_assignment(lab.id, duedate=lab.due)


def update_course(
    spec: CourseSpec,
    root: Path,
    opts: BuildOptions,
    on_step: Callable[[str], None] | None = None,
) -> UpdateSummary:
    old = read_manifest(root)
    merged, summary = merge_specs(old, spec)
    secret, created = course_secret(spec, root)
    if created:
        raise SpecError(
            f"{root}: 找不到课程密钥（instructor/course_secret 或环境变量 {spec.secret_env}），"
            "无法为新学生生成与已有学生一致口径的数据"
        )
    newcomers: list[Student] = [s for s in merged.roster if s.id in set(summary.new_students)]
    courseroot.add_students(root, spec.roster)
    for course_lab in merged.labs:
        if course_lab.id in summary.new_labs:
            if on_step is not None:
                on_step(f"新增实验 {course_lab.id}")
            add_lab(root, course_lab, merged.roster, secret, opts)
        elif newcomers and course_lab.id not in summary.kept_labs:
            if on_step is not None:
                on_step(f"为新学生准备 {course_lab.id} 的数据")
            _, lab_spec = load_lab(course_lab, opts)
            hand_out(root, lab_spec, newcomers, secret, opts.workers)
    _set_due_dates(root, [lab for lab in merged.labs if lab.id in summary.new_due])
    write_manifest(root, merged)
    (root / courseroot.CONFIG_NAME).write_text(
        courseroot.config_text(root, spec.id), encoding="utf-8"
    )
    return summary
