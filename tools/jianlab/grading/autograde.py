"""Parallel, resumable autograding of one lab: a process per submission, a bounded pool.

A few long-lived `jianlab.grading.worker` processes (one per worker slot, each in its own
session) take submissions one at a time; the kernel limits travel in their environment and a
wall-clock bound per submission is enforced here. A submission that overruns is killed with its
worker and kernel, scored 0 on its autograded cells and flagged; the slot starts a fresh worker
and the class run continues.

Every kernel runs in its bubblewrap sandbox (docs/grading-sandbox.md): the run refuses to start
where the sandbox does not work, unless the instructor explicitly accepts an unsafe run, which
every status (and so the export) then carries as a flag.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jianlab.grading import isolation, worker
from jianlab.grading.flags import finalize_lab
from jianlab.grading.kernelbox import ROOT_ENV, remove_scratch
from jianlab.grading.refcopy import ReferenceCopies
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.sandbox import ENV_VAR as SANDBOX_ENV
from jianlab.grading.sandbox import SandboxLimits
from jianlab.grading.status import SubmissionStatus, hash_directory, status_path

SINGLE_THREAD = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


UNSAFE_FLAG = "未隔离评分（--unsafe-no-sandbox）：学生代码未在沙箱中运行，成绩不可信"
REFUSAL = (
    "无法在沙箱中运行学生代码：{detail}。\n"
    "没有沙箱，提交的代码可以读取隐藏测试与答案、课程密钥和其他学生的文件，"
    "也可以改写成绩册，因此拒绝评分。\n修复方法：{hint}。\n"
    "如确需在本机不隔离地评分（只对可信的提交），请加 --unsafe-no-sandbox，"
    "导出的成绩会标记为“未隔离评分”。"
)


class IsolationUnavailable(RuntimeError):
    """The sandbox does not work here and the instructor did not accept an unsafe run."""


def require_isolation(opts: AutogradeOptions) -> None:
    if not opts.limits.isolate:
        return
    ok, detail = isolation.probe()
    if not ok:
        raise IsolationUnavailable(REFUSAL.format(detail=detail, hint=isolation.INSTALL_HINT))
    isolation.ensure_bytecode()
    isolation.ensure_font_cache()


@dataclass(frozen=True)
class AutogradeOptions:
    workers: int = os.cpu_count() or 1
    wall_s: float = 300.0
    cell_timeout_s: int = 60
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    force: bool = False


def submissions(root: Path, lab: str) -> list[str]:
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / lab).is_dir())


def reference_dir(root: Path, lab: str, student: str) -> Path | None:
    """The grader's copy of the data this student was given (per-student first, then shared).

    In a per-student lab a student without a reference copy (not on the roster) gets a path that
    does not exist, so hidden tests fail instead of trusting the data the submission brought.
    """
    base = root / "instructor" / lab / "reference"
    for candidate in (base / student, base / "_shared"):
        if candidate.is_dir():
            return candidate.resolve()
    return (base / student).resolve() if base.is_dir() else None


def _worker_env(root: Path, opts: AutogradeOptions) -> dict[str, str]:
    env = dict(os.environ)
    env[SANDBOX_ENV] = opts.limits.to_env()
    env.update(dict.fromkeys(SINGLE_THREAD, "1"))
    env["JIANLAB_CELL_TIMEOUT"] = str(opts.cell_timeout_s)
    env.pop(REFERENCE_ENV, None)
    env.pop("JIANLAB_COURSE_SECRET", None)
    env[ROOT_ENV] = str(root)
    return env


class WorkerProcess:
    """One long-lived `jianlab.grading.worker` process; restarted after it is killed."""

    def __init__(
        self, root: Path, lab: str, opts: AutogradeOptions, log: Path, refs: ReferenceCopies
    ) -> None:
        self.root, self.lab, self.opts, self.log = root, lab, opts, log
        self.refs = refs
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with self.log.open("a", encoding="utf-8") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "jianlab.grading.worker", str(self.root), self.lab],
                    env=_worker_env(self.root, self.opts),
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    start_new_session=True,
                )
        return self.proc

    def run(self, student: str, out: Path) -> str | None:
        """Grade one submission; None when done, else the reason it was stopped."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        ref = self.refs.get(reference_dir(self.root, self.lab, student))
        task = {"student": student, "status": str(out), "reference": str(ref) if ref else None}
        try:
            proc.stdin.write(json.dumps(task) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            self.kill()
            return "评分进程异常退出"
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=self.opts.wall_s):
                self.kill()
                return f"超出整本时间限制（{self.opts.wall_s:g} 秒），已终止"
        if not proc.stdout.readline().startswith("done"):
            self.kill()
            return f"评分进程异常退出（返回码 {proc.poll()}）"
        return None

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        remove_scratch(self.proc.pid)
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def grade_one(root: Path, lab: str, student: str, worker_proc: WorkerProcess) -> SubmissionStatus:
    out = status_path(root, lab, student)
    out.unlink(missing_ok=True)
    start = time.monotonic()
    try:
        reason = worker_proc.run(student, out)
    except OSError as exc:  # the scheduler itself must survive any one submission
        worker_proc.kill()
        reason = f"评分进程异常：{exc}"
    status = SubmissionStatus.read(out)
    if reason is None and status is not None and status.completed:
        return _trusted_flags(root, lab, status, worker_proc, out)
    worker.zero_missing_autogrades(root, lab, student)
    status = SubmissionStatus(
        student,
        lab,
        hash_directory(root / "submitted" / student / lab),
        completed=True,
        seconds=round(time.monotonic() - start, 2),
        flags=[reason or "评分进程异常退出"],
        scores=worker.read_scores(root, lab, student),
    )
    return _trusted_flags(root, lab, status, worker_proc, out)


def _trusted_flags(
    root: Path, lab: str, status: SubmissionStatus, worker_proc: WorkerProcess, out: Path
) -> SubmissionStatus:
    """Flags the scheduler adds once the submission's sandbox has ended; then the status."""
    status.flags += worker_proc.refs.verify(reference_dir(root, lab, status.student))
    if not worker_proc.opts.limits.isolate:
        status.flags.append(UNSAFE_FLAG)
    status.write(out)
    return status


def pending(root: Path, lab: str, force: bool) -> tuple[list[str], list[SubmissionStatus]]:
    """Split submissions into those to grade and those whose recorded status is still valid."""
    todo: list[str] = []
    done: list[SubmissionStatus] = []
    for student in submissions(root, lab):
        previous = SubmissionStatus.read(status_path(root, lab, student))
        current = hash_directory(root / "submitted" / student / lab)
        if not force and previous and previous.completed and previous.submission_sha256 == current:
            done.append(previous)
        else:
            todo.append(student)
    return todo, done


def autograde_lab(
    root: Path,
    lab: str,
    opts: AutogradeOptions,
    on_done: Callable[[SubmissionStatus], None] | None = None,
) -> list[SubmissionStatus]:
    require_isolation(opts)
    todo, results = pending(root, lab, opts.force)
    refs = ReferenceCopies()
    tasks: queue.SimpleQueue[str] = queue.SimpleQueue()
    for student in todo:
        tasks.put(student)
    lock = threading.Lock()

    def drain(index: int) -> None:
        log = root / ".jianlab" / "autograde" / lab / "logs" / f"worker-{index}.log"
        proc = WorkerProcess(root, lab, opts, log, refs)
        try:
            while True:
                try:
                    student = tasks.get_nowait()
                except queue.Empty:
                    return
                status = grade_one(root, lab, student, proc)
                with lock:
                    results.append(status)
                    if on_done is not None:
                        on_done(status)
        finally:
            proc.close()

    threads = [
        threading.Thread(target=drain, args=(i,), daemon=True)
        for i in range(max(1, min(opts.workers, len(todo))))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        refs.close()
    finalize_lab(root, lab, results)
    return sorted(results, key=lambda s: s.student)
