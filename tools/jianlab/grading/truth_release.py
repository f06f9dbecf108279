"""When the truth section may go out with the feedback (docs/grading.md, "The truth section").

The truth of a shared-data lab is the same for the whole class, so it is released only once no
submission can still count: after the lab's due date (`due` in course.yaml), or, when the late
policy sets a hard deadline, after that deadline. Before then the section is left out and the
command says so; `--truth-before-due` lets an instructor generate it early to test or demonstrate
the pages (the command warns that such pages must not be returned to students).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.api import Gradebook, MissingEntry

from jianlab.grading import courseroot
from jianlab.labs.policy import LatePolicy

if TYPE_CHECKING:
    from jianlab.labs.models import CourseSpec


@dataclass(frozen=True)
class TruthRelease:
    include: bool
    message: str


def _aware(moment: dt.datetime) -> dt.datetime:
    """nbgrader stores due dates as naive UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def release_time(due: dt.datetime, policy: LatePolicy) -> dt.datetime:
    extra = dt.timedelta(days=policy.hard_deadline_days or 0)
    return _aware(due) + extra


def gradebook_due(root: Path, lab: str) -> dt.datetime | None:
    """The due date nbgrader holds for `lab` (what `course build` wrote there), if any."""
    with Gradebook(courseroot.db_url(root)) as gb:
        try:
            due = gb.find_assignment(lab).duedate
        except MissingEntry:
            return None
    return _aware(due) if due is not None else None


def decide(
    lab: str, due: dt.datetime | None, policy: LatePolicy, now: dt.datetime, override: bool
) -> TruthRelease:
    if due is None:
        if override:
            return TruthRelease(
                True, f"实验 {lab} 没有截止时间；已按 --truth-before-due 生成真值对照"
            )
        return TruthRelease(False, f"找不到实验 {lab} 的截止时间，反馈页不含“真值对照”")
    at = release_time(due, policy)
    shown = at.astimezone(_aware(due).tzinfo).strftime("%Y-%m-%d %H:%M %z")
    if _aware(now) >= at:
        return TruthRelease(True, f"实验 {lab} 已过发布时间（{shown}），反馈页含“真值对照”")
    if override:
        return TruthRelease(
            True,
            f"尚未到真值对照的发布时间（{shown}）；已按 --truth-before-due 生成，"
            "仅供测试或演示，请勿返还给学生",
        )
    return TruthRelease(
        False, f"真值对照在 {shown} 之后才随反馈发布（截止时间或最终期限），本次反馈页不含该部分"
    )


def for_course(
    root: Path,
    lab: str,
    spec: CourseSpec | None,
    override: bool = False,
    now: dt.datetime | None = None,
) -> TruthRelease:
    """The decision for `lab` of the course at `root`: its due date and late policy from the
    course manifest, or the due date nbgrader holds when there is no manifest."""
    due = next((entry.due for entry in spec.labs if entry.id == lab), None) if spec else None
    if due is None:
        due = gradebook_due(root, lab)
    policy = spec.late_policy if spec else LatePolicy()
    return decide(lab, due, policy, now or dt.datetime.now(dt.UTC), override)
