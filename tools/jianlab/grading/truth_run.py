"""The truth-section kernel: the lab's solution over one reference folder, then per student the
instructor cells over that student's exported answers (docs/grading.md, "The truth section").

Only lab authors' code runs here, never a submission: the kernel executes the instructor
notebook's solution and setup cells (autograded test cells left out) in a scratch copy of the
lab's master folder whose `data/` points at the grader's reference data, with
`JIANLAB_REFERENCE_DIR` set so `truth_dir` finds that data's `_truth/`, and without the course
secret. A student's influence is limited to the values they exported, rebound by `truth_bind`
before their instructor cells run and restored after. Students who share a reference folder
(a shared-data lab) share one kernel, so the solution runs once per folder, not once per
student. Any failure (a cell error, a timeout, a dead kernel) becomes a Chinese problem of the
students it touched; the next student still gets a fresh binding.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from jianlab.grading.autograde import SINGLE_THREAD
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.labs.exports import is_autograded_test

INSTRUCTOR_TAG = "instructor"
SECRET_PREFIXES = ("JIANLAB_COURSE_SECRET", "JIANLAB_SECRET")
BIND = (
    "from jianlab.grading.truth_bind import bind as __jl_bind\n"
    "__jl_missing = __jl_bind(globals(), {answers!r}, {exports})\n"
    "__jl_missing\n"
)
RESTORE = (
    "from jianlab.grading.truth_bind import restore as __jl_restore\n"
    "__jl_restore(globals(), {exports})\n"
)


@dataclass
class StudentTruth:
    """Instructor cells with this student's outputs (sources kept for alt text, never shown)."""

    student: str
    cells: list[NotebookNode] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class TruthJob:
    """Students who share one reference folder, with where each one's answers are kept."""

    master: Path
    reference: Path | None
    answers: dict[str, Path]
    exports: dict[str, list[str]]
    cell_timeout_s: int = 120


def is_instructor(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and INSTRUCTOR_TAG in cell.metadata.get("tags", [])


def split_cells(instructor: NotebookNode) -> tuple[list[NotebookNode], list[NotebookNode]]:
    """(solution and setup code cells, instructor cells), both in notebook order."""
    code = [c for c in instructor.cells if c.cell_type == "code" and not is_autograded_test(c)]
    return [c for c in code if not is_instructor(c)], [c for c in code if is_instructor(c)]


def _env(reference: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SECRET_PREFIXES)}
    env.pop("MPLBACKEND", None)  # ipykernel's inline backend: figures become outputs
    # one BLAS thread, as in grading: several kernels share the cores (docs/performance.md)
    env.update(dict.fromkeys(SINGLE_THREAD, "1"))
    env.pop(REFERENCE_ENV, None)
    if reference is not None:
        env[REFERENCE_ENV] = str(reference)
    return env


def stage(master: Path, reference: Path | None, dest: Path) -> None:
    """The master folder's files (no notebooks) with `data/<name>` linked to each dataset of the
    reference folder, so the solution reads the student's own data. A lab without reference
    data keeps the master folder's own `data/`."""
    if reference is None:
        shutil.copytree(master, dest, ignore=shutil.ignore_patterns("*.ipynb"))
        return
    shutil.copytree(master, dest, ignore=shutil.ignore_patterns("*.ipynb", "data"))
    (dest / "data").mkdir()
    for dataset in sorted(p for p in reference.iterdir() if p.is_dir()):
        (dest / "data" / dataset.name).symlink_to(dataset.resolve(), target_is_directory=True)


def _error(cell: NotebookNode) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', '')}: {out.get('evalue', '')}"[:300]
    return None


def _missing(cell: NotebookNode) -> list[str]:
    """The names `bind` could not bind, from the cell's result (a list literal of strings)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "execute_result":
            try:
                names = ast.literal_eval(out.get("data", {}).get("text/plain", "[]"))
            except (ValueError, SyntaxError):
                return []
            return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    return []


class TruthKernel:
    """One kernel over one reference folder."""

    def __init__(self, job: TruthJob, workdir: Path) -> None:
        self.job = job
        self.client = NotebookClient(
            new_notebook(cells=[new_code_cell("")]),
            timeout=job.cell_timeout_s,
            kernel_name="python3",
            allow_errors=True,
            interrupt_on_timeout=True,
            resources={"metadata": {"path": str(workdir)}},
        )

    def run(self, cell: NotebookNode) -> NotebookNode:
        """Execute a copy of `cell`; kernel failures come back as an error output."""
        done = copy.deepcopy(cell)
        done.outputs = []
        try:
            return self.client.execute_cell(done, 0)
        except (CellControlSignal, DeadKernelError, RuntimeError, TimeoutError) as exc:
            done.outputs = [
                {"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc)}
            ]
            return done

    def prepare(self, solution: list[NotebookNode]) -> str | None:
        """Run the solution once; the first error, if any."""
        for cell in solution:
            problem = _error(self.run(cell))
            if problem is not None:
                return problem
        return None

    def student(self, student: str, instructor: list[NotebookNode]) -> StudentTruth:
        exports = json.dumps(self.job.exports, ensure_ascii=False)
        result = StudentTruth(student)
        answers = str(self.job.answers[student])
        bound = self.run(new_code_cell(BIND.format(answers=answers, exports=exports)))
        if _error(bound) is not None:
            result.problems.append(f"无法读入该生的导出值：{_error(bound)}")
            return result
        result.missing = _missing(bound)
        for cell in instructor:
            done = self.run(cell)
            problem = _error(done)
            if problem is not None:
                result.problems.append(f"教师单元执行出错：{problem}")
            result.cells.append(done)
        self.run(new_code_cell(RESTORE.format(exports=exports)))
        return result


def run_job(job: TruthJob, instructor_nb: NotebookNode, scratch: Path) -> dict[str, StudentTruth]:
    """Every student of `job`: their instructor-cell outputs and problems."""
    solution, instructor = split_cells(instructor_nb)
    workdir = scratch / "lab"
    stage(job.master, job.reference, workdir)
    kernel = TruthKernel(job, workdir)
    results: dict[str, StudentTruth] = {}
    try:
        with kernel.client.setup_kernel(cwd=str(workdir), env=_env(job.reference)):
            failed = kernel.prepare(solution)
            for student in sorted(job.answers):
                if failed is not None:
                    results[student] = StudentTruth(
                        student, problems=[f"参考解答在该生的数据上出错：{failed}"]
                    )
                else:
                    results[student] = kernel.student(student, instructor)
    except (DeadKernelError, RuntimeError, TimeoutError) as exc:
        for student in job.answers:
            results.setdefault(
                student, StudentTruth(student, problems=[f"真值对照的内核失败：{exc}"[:300]])
            )
    return results
