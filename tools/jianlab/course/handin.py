"""Hand-out and hand-in through nbgrader's exchange: release, collect, return feedback.

These are nbgrader's own exchange classes driven with the course's config, plus what jianlab
adds around them: per-student data staged for `PersonalFetchAssignment`, a count of what was
collected (late ones named), and feedback checked for hidden-test leaks before it is released.
Late submissions are collected like any other; the late policy acts in the export.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps.api import NbGraderAPI
from nbgrader.auth import Authenticator
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

from jianlab.course.build import read_manifest
from jianlab.course.exchange import stage_personal
from jianlab.course.exchange_log import ChineseExchangeLog
from jianlab.grading import courseroot
from jianlab.grading.standing import LATE, standing_table
from jianlab.labs.models import CourseSpec, SpecError

LOG = logging.getLogger("jianlab.exchange")
LOG.addFilter(ChineseExchangeLog())


@dataclass
class HandinResult:
    students: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _exchange(root: Path) -> tuple[Path, str]:
    config = courseroot.load_config(root)
    return Path(config.Exchange.root), str(config.CourseDirectory.course_id)


def release(root: Path, lab: str) -> HandinResult:
    config = courseroot.load_config(root)
    api = NbGraderAPI(coursedir=courseroot.coursedir(config), config=config)
    result = api.release_assignment(lab)
    if not result["success"]:
        raise SpecError(f"发布 {lab} 失败：{result.get('error') or result.get('log')}")
    exchange, course_id = _exchange(root)
    return HandinResult(students=stage_personal(root, exchange, course_id, lab))


def collect(root: Path, lab: str) -> HandinResult:
    """Every student's latest submission into submitted/ (a resubmission replaces the old one)."""
    config = courseroot.load_config(root)
    collector = ExchangeCollect(
        coursedir=courseroot.coursedir(config, lab),
        authenticator=Authenticator(config=config),
        config=config,
        log=LOG,
    )
    collector.update = True
    collector.start()
    students = sorted(rec["username"] for rec in collector.src_records)
    spec = read_manifest(root)
    standing = standing_table(root, spec.late_policy)
    rows = standing[standing["lab"] == lab].to_dict("records")
    late = sorted(
        str(r["student_id"]) for r in rows if r["student_id"] in students and LATE in r["statuses"]
    )
    return HandinResult(students=students, late=late)


def return_feedback(root: Path, lab: str) -> HandinResult:
    """Generate leak-checked feedback, then release it to the exchange for `fetch_feedback`."""
    from jianlab.grading.feedback import generate_feedback
    from jianlab.grading.truth_release import for_course

    # the truth section only after the due date: returned pages reach students (no override)
    try:
        spec: CourseSpec | None = read_manifest(root)
    except SpecError:
        spec = None
    release = for_course(root, lab, spec)
    notes = [release.message]
    workers = os.cpu_count() or 1
    pages, problems = generate_feedback(
        root, lab, truth=release.include, notes=notes, workers=workers
    )
    config = courseroot.load_config(root)
    releaser = ExchangeReleaseFeedback(
        coursedir=courseroot.coursedir(config, lab),
        authenticator=Authenticator(config=config),
        config=config,
        log=LOG,
    )
    releaser.start()
    students = sorted({page.parent.parent.name for page in pages})
    return HandinResult(students=students, problems=problems, notes=notes)
