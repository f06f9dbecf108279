"""The trusted instructor run of `jianlab labs check`: instructor cells outside any student sandbox.

Instructor cells (tag `instructor`, e.g. lab01's table of estimates against the planted truth)
are instructor content: they read `_truth/` and never ship to students. Running them inside the
submission that `labs check` grades would mean giving a student sandbox the truth, so they run
here instead: the instructor notebook (solutions and instructor cells; autograded test cells
left out, since the graded solution already exercises them) executes in a plain kernel started
by the checker, in a scratch copy of the lab folder with the student's data, and with
`JIANLAB_REFERENCE_DIR` pointing at the grader's reference data, `_truth/` included. Only lab
authors' code runs here, never a submission. See docs/grading.md, "Trusted access to the truth".
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.labs.source import write_notebook

NBCLIENT = "from nbclient.cli import main; main()"
# The checker's environment minus anything a course secret could hide in.
SECRET_PREFIXES = ("JIANLAB_COURSE_SECRET", "JIANLAB_SECRET")


def _is_test_cell(cell: NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def trusted_notebook(instructor: NotebookNode) -> NotebookNode:
    """The instructor notebook without its autograded test cells (hidden tests need exports)."""
    out = copy.deepcopy(instructor)
    out.cells = [c for c in out.cells if not _is_test_cell(c)]
    return out


def _stage(root: Path, lab: str, data_from: Path, dest: Path) -> None:
    """The lab's master folder (files only, no notebooks) plus the data a student gets."""
    shutil.copytree(root / "source" / lab, dest, ignore=shutil.ignore_patterns("*.ipynb"))
    if (data_from / "data").is_dir():
        shutil.copytree(data_from / "data", dest / "data", dirs_exist_ok=True)


def _env(reference: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SECRET_PREFIXES)}
    env["MPLBACKEND"] = "Agg"
    if reference is not None:
        env[REFERENCE_ENV] = str(reference)
    else:
        env.pop(REFERENCE_ENV, None)
    return env


def _cell_errors(nb: NotebookNode) -> list[str]:
    problems: list[str] = []
    for index, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                detail = f"{out.get('ename', '')}: {out.get('evalue', '')}"[:300]
                problems.append(f"教师版（可信运行）第 {index} 个单元执行报错：{detail}")
    return problems


class InstructorRun:
    """Started before the class run and collected after it, so it overlaps with the grading."""

    def __init__(self, notebook: NotebookNode, root: Path, lab: str, scratch: Path) -> None:
        self.path = scratch / lab / f"{lab}.ipynb"
        self.root, self.lab, self.scratch = root, lab, scratch
        self.notebook = trusted_notebook(notebook)
        self.log = scratch / "instructor-run.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, data_from: Path, reference: Path | None, cell_timeout_s: int) -> None:
        _stage(self.root, self.lab, data_from, self.path.parent)
        write_notebook(self.notebook, self.path)
        cmd = [sys.executable, "-c", NBCLIENT, "--inplace", "--allow-errors"]
        cmd += [f"--timeout={cell_timeout_s}", str(self.path)]
        # stderr to a file: nobody reads a pipe while the class run is going
        with self.log.open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=self.path.parent, env=_env(reference), stdout=log, stderr=log
            )

    def problems(self, wall_s: float) -> list[str]:
        """Chinese problems: the run failed, timed out, or an instructor cell raised."""
        if self.proc is None:
            return ["教师版（可信运行）没有启动"]
        try:
            self.proc.wait(timeout=wall_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return [f"教师版（可信运行）超过 {wall_s:g} 秒仍未结束，已终止"]
        if self.proc.returncode != 0:
            err = self.log.read_text(encoding="utf-8", errors="replace")
            tail = err.strip().splitlines()[-1:] or ["无输出"]
            return [f"教师版（可信运行）失败（返回码 {self.proc.returncode}）：{tail[0][:300]}"]
        return _cell_errors(nbformat.read(self.path, as_version=4))
