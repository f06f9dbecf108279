"""Add the "真值对照" section to each student's feedback page (docs/grading.md, "The truth
section").

For every student with a feedback page, the lab's instructor cells run in the grader's trusted
kernel (`truth_run`) over that student's reference data, `_truth/` included, with the student's
exported answers bound in (`truth_bind`); their outputs are rendered into the page (`truth_page`).
A student whose section could not be produced, wholly or in part, gets a Chinese note on the page
and a flag for the instructor; the other students are unaffected. The leak scan of
`generate_feedback` runs after this, over the finished pages.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from jianlab.grading.answer_store import answers_path
from jianlab.grading.autograde import reference_dir
from jianlab.grading.flags import add_flags
from jianlab.grading.truth_page import FAILED_NOTE, MISSING_NOTE, insert, render
from jianlab.grading.truth_run import StudentTruth, TruthJob, run_job, split_cells
from jianlab.labs.exports import ExportError, build_plan

TRUTH_FLAG = "反馈页的真值对照未能完整生成，请人工查看"
NO_ANSWERS = "评分记录中没有保存该生的导出值（请用 grade autograde --force 重新评分后再生成反馈）"
NO_REFERENCE = "找不到该生的参考数据，无法生成真值对照"


@dataclass
class TruthOutcome:
    """Students whose page got the section, and Chinese problems (each also flagged)."""

    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: str = ""


def _exports(root: Path, lab: str) -> dict[str, list[str]]:
    """Declared export name → [grade id, kind], in the lab's question order."""
    plan = build_plan(nbformat.read(root / "source" / lab / f"{lab}.ipynb", as_version=4))
    out: dict[str, list[str]] = {}
    for gid in (g for g in plan.order if g in plan.questions):
        for name, kind in plan.questions[gid].exports.items():
            out[name] = [gid, str(kind)]
    return out


def _page(root: Path, lab: str, student: str) -> Path | None:
    pages = sorted((root / "feedback" / student / lab).glob("*.html"))
    return pages[0] if pages else None


def _groups(root: Path, lab: str, students: list[str]) -> dict[Path | None, list[str]]:
    groups: dict[Path | None, list[str]] = defaultdict(list)
    for student in students:
        groups[reference_dir(root, lab, student)].append(student)
    return groups


def _run_group(
    root: Path, lab: str, reference: Path | None, students: list[str], nb: NotebookNode
) -> dict[str, StudentTruth]:
    if reference is not None and not reference.is_dir():  # a per-student lab, off the roster
        return {s: StudentTruth(s, problems=[NO_REFERENCE]) for s in students}
    ready = [s for s in students if answers_path(root, lab, s).is_dir()]
    results = {s: StudentTruth(s, problems=[NO_ANSWERS]) for s in students if s not in ready}
    if ready:
        job = TruthJob(
            master=root / "source" / lab,
            reference=reference,
            answers={s: answers_path(root, lab, s) for s in ready},
            exports=_exports(root, lab),
        )
        with tempfile.TemporaryDirectory(prefix="jianlab-truth-") as scratch:
            results.update(run_job(job, nb, Path(scratch)))
    return results


def _publish(root: Path, lab: str, result: StudentTruth, outcome: TruthOutcome) -> None:
    """The section (or, if nothing could be produced, a section holding only the note)."""
    page = _page(root, lab, result.student)
    if page is None:
        return
    notes: list[str] = []
    if result.problems:
        notes.append(FAILED_NOTE if result.cells else MISSING_NOTE)
        add_flags(root, lab, result.student, [TRUTH_FLAG])
        outcome.problems += [f"{result.student}：真值对照：{p}" for p in result.problems]
    if result.missing:
        notes.append(f"你没有导出或无法读取的值（表中为空）：{'、'.join(result.missing)}")
    insert(page, render(result.cells, notes))
    outcome.added.append(result.student)


def _results(
    root: Path, lab: str, groups: dict[Path | None, list[str]], nb: NotebookNode, workers: int
) -> list[StudentTruth]:
    """Every group's results; groups run in parallel processes when there are several (one per
    student with per-student data, each running the whole solution)."""
    jobs = [(root, lab, ref, group, nb) for ref, group in sorted(groups.items(), key=str)]
    if workers <= 1 or len(jobs) <= 1:
        return [r for job in jobs for r in _run_group(*job).values()]
    # spawn: the command's progress display runs a thread, and forking it is unsafe
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        done = pool.map(_run_group, *zip(*jobs, strict=True))
        return [r for results in done for r in results.values()]


def add_truth_sections(root: Path, lab: str, students: list[str], workers: int = 1) -> TruthOutcome:
    """The section on the page of every student in `students` who has a feedback page."""
    outcome = TruthOutcome()
    nb = nbformat.read(root / "instructor" / lab / f"{lab}.ipynb", as_version=4)
    if not split_cells(nb)[1]:
        outcome.skipped = f"实验 {lab} 没有教师单元（标签 instructor），反馈页不含真值对照"
        return outcome
    try:
        _exports(root, lab)
    except (OSError, ExportError, ValueError) as exc:
        outcome.skipped = f"读不到实验 {lab} 的导出声明，反馈页不含真值对照：{exc}"
        return outcome
    with_pages = [s for s in students if _page(root, lab, s) is not None]
    for result in _results(root, lab, _groups(root, lab, with_pages), nb, workers):
        _publish(root, lab, result, outcome)
    return outcome
