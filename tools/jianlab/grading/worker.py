"""Grade submissions in a worker process (the unit the parallel autograder schedules).

Grading outside the scheduler's process lets it kill a runaway submission (and its kernel)
without touching the others.
Usage: python -m jianlab.grading.worker ROOT LAB   (tasks as JSON lines on stdin)
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException

from jianlab.grading import courseroot
from jianlab.grading.copyin import private_submission
from jianlab.grading.execute import collect_sandbox_cpu, collect_sandbox_flags
from jianlab.grading.integrity import check_submission, foreign_data, is_false_checksum_warning
from jianlab.grading.preprocessors import TRUNCATED
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.sandbox_procs import tree_cpu_seconds
from jianlab.grading.status import SubmissionStatus, hash_directory
from jianlab.grading.tamper import scan_notebook
from jianlab.grading.trusted import trusted_record

PR_SET_PDEATHSIG = 1
OUTPUT_FLAGS = {
    "DeadKernelError": "内核中途终止",
    "CellTimeoutError": "单元执行超时",
    "MemoryError": "超出内存限制",
    "SystemExit": "代码调用了 sys.exit()，其后的单元未按预期运行",
}


class _Collect(logging.Handler):
    """Keep nbgrader's warnings for the report, minus the known false checksum warning."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not is_false_checksum_warning(message):
            self.lines.append(f"{record.levelname}: {message[:500]}")


def _output_flags(notebook: Path) -> list[str]:
    if not notebook.is_file():
        return []
    nb = nbformat.read(notebook, as_version=4)
    truncated = any(
        TRUNCATED in str(out.get("text", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )
    names = {
        out.get("ename")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    }
    flags = [label for ename, label in OUTPUT_FLAGS.items() if ename in names]
    return [*flags, "输出过长，已截断"] if truncated else flags


def missing_files(root: Path, lab: str, student: str) -> list[str]:
    """Course files (data) that the submission's code deleted while it was graded."""
    source = root / "source" / lab
    graded = root / "autograded" / student / lab
    if not graded.is_dir():
        return []
    gone = [
        p.relative_to(source)
        for p in source.rglob("*")
        if p.is_file() and p.suffix != ".ipynb" and not (graded / p.relative_to(source)).exists()
    ]
    return [f"评分时删除了文件 {p}" for p in sorted(gone)]


def error_cells(notebook: Path) -> list[int]:
    """1-based indices of code cells whose execution raised (for the solution check)."""
    if not notebook.is_file():
        return []
    nb = nbformat.read(notebook, as_version=4)
    return [
        i
        for i, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code"
        and any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    ]


def zero_missing_autogrades(root: Path, lab: str, student: str) -> None:
    """A submission that could not be graded gets 0 on autograded cells, never 'ungraded'."""
    with Gradebook(courseroot.db_url(root)) as gb:
        try:
            submission = gb.find_submission(lab, student)
        except MissingEntry:
            gb.update_or_create_student(student)
            submission = gb.update_or_create_submission(lab, student)
        for notebook in submission.notebooks:
            manual = {c.name for c in notebook.notebook.solution_cells}
            for grade in notebook.grades:
                if grade.cell.cell_type == "code" and grade.name not in manual:
                    grade.auto_score = 0.0
                    grade.needs_manual_grade = False
        gb.db.commit()


def read_scores(root: Path, lab: str, student: str) -> dict[str, float]:
    with Gradebook(courseroot.db_url(root)) as gb:
        try:
            submission = gb.find_submission(lab, student)
        except MissingEntry:
            return {}
        return {g.name: float(g.score) for nb in submission.notebooks for g in nb.grades}


def grade(root: Path, lab: str, student: str) -> SubmissionStatus:
    start, cpu_start = time.monotonic(), tree_cpu_seconds(os.getpid())
    submitted = root / "submitted" / student / lab
    status = SubmissionStatus(student, lab, hash_directory(submitted))
    for release_nb in sorted((root / "release" / lab).glob("*.ipynb")):
        status.flags += check_submission(release_nb, submitted / release_nb.name)
        status.flags += scan_notebook(submitted / release_nb.name, release_nb)
    reference = os.environ.get(REFERENCE_ENV)
    if reference and Path(reference).name == student:
        status.flags += foreign_data(submitted, Path(reference))
    handler = _Collect()
    log = logging.getLogger(f"jianlab.autograde.{student}")
    log.addHandler(handler)
    log.propagate = False
    config = courseroot.load_config(root)
    if os.environ.get("JIANLAB_CELL_TIMEOUT"):
        config.Execute.timeout = int(os.environ["JIANLAB_CELL_TIMEOUT"])
    with private_submission(root, lab, student) as staged:
        config.CourseDirectory.submitted_directory = str(staged)
        converter = Autograde(
            coursedir=courseroot.coursedir(config, lab, student), config=config, log=log
        )
        converter.force = True
        try:
            converter.start()
        except NbGraderException:
            status.flags.append("nbgrader 无法完成评分，自动评分部分记 0 分")
            zero_missing_autogrades(root, lab, student)
    status.flags += collect_sandbox_flags()
    status.kernel_cpu_s = round(collect_sandbox_cpu(), 2)
    for nb_path in sorted((root / "autograded" / student / lab).glob("*.ipynb")):
        status.flags += _output_flags(nb_path)
        status.error_cells += error_cells(nb_path)
        trusted = trusted_record(nb_path)
        status.verdicts.update(trusted.verdicts)
        status.flags += trusted.flags
    status.flags += missing_files(root, lab, student)
    status.scores = read_scores(root, lab, student)
    log.removeHandler(handler)
    status.log = handler.lines[-20:]
    status.seconds = round(time.monotonic() - start, 2)
    # This process and its live children (the verdict server) plus what it reaped; a sandbox
    # is never reaped here (bwrap orphans its init), so its CPU time is added as read.
    cpu = tree_cpu_seconds(os.getpid()) - cpu_start + status.kernel_cpu_s
    status.cpu_s = round(cpu, 2)
    status.completed = True
    return status


def die_with_parent() -> None:
    """A killed scheduler must not leave workers grading behind its back (a rerun would race)."""
    parent = os.getppid()
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def serve(root: Path, lab: str) -> None:
    """Grade submissions named on stdin, one JSON task per line, answering "done" per task.

    A long-lived worker pays nbgrader's import cost once instead of once per submission; each
    task still gets a fresh converter and its own kernel, and the scheduler kills the whole
    worker (process group) if one task overruns.
    """
    # Kernels and libraries inherit or print to stdout; keep a private copy for the protocol and
    # send everything else to stderr (the worker log).
    die_with_parent()
    # The gradebook puts alembic's folder on PATH at first use; do it before the first verdict
    # job, so every job carries the same trusted environment and the verdict server keeps its
    # reference parts instead of recomputing them once more after the first submission.
    courseroot.ensure_tools_on_path()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    for line in sys.stdin:
        task = json.loads(line)
        if task.get("reference"):
            os.environ[REFERENCE_ENV] = task["reference"]
        else:
            os.environ.pop(REFERENCE_ENV, None)
        grade(root, lab, task["student"]).write(Path(task["status"]))
        print(f"done {task['student']}", file=protocol, flush=True)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    serve(Path(args[0]), args[1])


if __name__ == "__main__":
    main()
