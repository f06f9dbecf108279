"""One kernel's sandbox on the grader's side: its private folders, its command, its report.

A `KernelBox` owns a scratch folder with two parts: `work/`, a private copy of the folder the
notebook runs in (regular files only, so a submitted symlink cannot pull in a file the kernel
could not otherwise see), and `ipc/`, the ZMQ sockets, the connection file and the audit log.
The kernel's writes land in that copy and nowhere else; after shutdown the box reads what the
kernel left behind (audit log, deleted files, survivors) into flags and deletes the scratch
folder. See docs/grading-sandbox.md.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from jianlab.grading import isolation, sandbox_audit, sandbox_procs
from jianlab.grading.answers import ANSWERS_DIR
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.sandbox import SandboxLimits
from jianlab.specs import REPO_ROOT

FLAG_PREFIX = "沙箱违规："
AUDIT_FLAGS = {
    "read": "试图读取沙箱外的路径 {detail}",
    "write": "试图写入只读或沙箱外的位置 {detail}",
    "namespace": "试图调用 {detail}（切换或创建命名空间）",
    "spawn": "大量创建进程（至少 {detail} 次）",
}
SURVIVOR_FLAG = FLAG_PREFIX + "评分结束时仍有 {n} 个后台进程（已随沙箱全部终止）"
DELETED_FLAG = "评分时删除了文件 {path}"
# The course root being graded (set by the scheduler for its workers).
ROOT_ENV = "JIANLAB_GRADING_ROOT"
# Environment variables the grader must never hand to a kernel, even in unsafe mode.
SECRET_PREFIXES = ("JIANLAB_COURSE_SECRET", "JIANLAB_SECRET")


def scratch_prefix(worker_pid: int) -> str:
    """Kernel scratch folders carry their worker's pid, so the scheduler can remove the ones
    a killed worker (wall-time limit) could not clean up itself."""
    return f"jianlab-kernel-{worker_pid}-"


def remove_scratch(worker_pid: int) -> None:
    for path in Path(tempfile.gettempdir()).glob(scratch_prefix(worker_pid) + "*"):
        shutil.rmtree(path, ignore_errors=True)


def copy_regular_tree(src: Path, dest: Path) -> list[str]:
    """Copy directories and regular files (no symlinks, fifos or devices); relative paths."""
    copied: list[str] = []
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        here = Path(dirpath)
        target = dest / here.relative_to(src)
        target.mkdir(mode=0o755, parents=True, exist_ok=True)
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
        for name in filenames:
            if stat.S_ISREG(os.lstat(here / name).st_mode):
                shutil.copyfile(here / name, target / name, follow_symlinks=False)
                (target / name).chmod(0o644)
                copied.append(str((here / name).relative_to(src)))
    return copied


def chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in [*dirnames, *filenames]:
            os.chown(Path(dirpath) / name, uid, uid, follow_symlinks=False)


class KernelBox:
    def __init__(self, limits: SandboxLimits) -> None:
        self.limits = limits
        self.scratch = Path(tempfile.mkdtemp(prefix=scratch_prefix(os.getpid())))
        self.ipc = self.scratch / "ipc"
        self.ipc.mkdir(mode=0o700)
        self.work: Path | None = None
        self.origin: Path | None = None
        self.copied: list[str] = []
        self.flags: list[str] = []
        # CPU seconds the sandbox used, read just before it is ended (see `note_survivors`)
        self.cpu_seconds = 0.0

    @property
    def audit_log(self) -> Path:
        return self.ipc / "audit.jsonl"

    def _audit_args(self) -> list[str]:
        """Host places an attempt is flagged for: the course, the checkout, other scratch."""
        forbidden = [str(REPO_ROOT), f"{tempfile.gettempdir()}/jianlab-"]
        if os.environ.get(ROOT_ENV):
            forbidden.append(os.environ[ROOT_ENV])
        args = ["--audit-log", str(self.audit_log)]
        return args + [f"--forbidden={path}" for path in forbidden]

    def _isolated(self, cmd: list[str], cwd: Path) -> list[str]:
        self.origin = cwd
        self.work = self.scratch / "work" / cwd.name
        self.copied = copy_regular_tree(cwd, self.work)
        if isolation.running_as_root():
            for path in (self.work, self.ipc):
                chown_tree(path, isolation.host_uid())
        # Only the working copy (the submission's own files and data): no reference copy, no
        # `_truth/`. Hidden tests and instructor cells read those outside the sandbox
        # (docs/grading.md, "Trusted access to the truth").
        mounts = isolation.SandboxMounts(self.work, self.ipc, self.limits.fsize_mb)
        inner = isolation.launcher_command([*self.limits.to_args(), *self._audit_args()], cmd)
        return isolation.bwrap_command(mounts, inner)

    def wrap(self, cmd: list[str], kw: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        """The launch command and Popen arguments for kernel command `cmd`."""
        cwd = Path(kw.get("cwd") or os.getcwd())
        env = dict(kw.get("env") or os.environ)
        if self.limits.isolate:
            kw["cwd"] = str(self.scratch)
            kw["env"] = {"PATH": env.get("PATH", "/usr/bin:/bin")}
            return self._isolated(cmd, cwd), kw
        # Unsafe mode cannot hide the reference data, but does not point the kernel at it.
        hidden = (*SECRET_PREFIXES, REFERENCE_ENV)
        kw["env"] = {k: v for k, v in env.items() if not k.startswith(hidden)}
        extra = self._audit_args()
        launcher = [sys.executable, "-I", "-B", "-m", "jianlab.grading.sandbox"]
        launcher += self.limits.to_args()
        return [*launcher, *extra, "--", *cmd], kw

    def note_survivors(self, outer_pid: int) -> None:
        """Just before shutdown: processes besides the kernel still alive in the sandbox, and
        the CPU time the whole sandbox used (the kernel has answered its last cell, so this is
        all of it; once bwrap is killed that time is lost to the host's init)."""
        if not self.limits.isolate:
            return
        self.cpu_seconds = sandbox_procs.tree_cpu_seconds(outer_pid)
        if count := len(sandbox_procs.survivors(outer_pid)):
            self.flags.append(SURVIVOR_FLAG.format(n=count))

    def _return_answers(self) -> None:
        """The exported answers (regular files only) back into the folder nbgrader graded, where
        the trusted verdict step reads them; nothing else the kernel wrote leaves the sandbox."""
        answers = self.work / ANSWERS_DIR if self.work is not None else None
        if answers is not None and self.origin is not None and answers.is_dir():
            # merged, not replaced: a kernel the submission killed is restarted in a new box,
            # and the answers the first one exported still count (the run clears the folder
            # once, before the notebook starts)
            copy_regular_tree(answers, self.origin / ANSWERS_DIR)

    def finish(self) -> list[str]:
        """After the sandbox has ended: flags from what the kernel left; scratch removed."""
        for entry in sandbox_audit.read_log(str(self.audit_log)):
            template = AUDIT_FLAGS.get(entry["kind"])
            if template is not None:
                self.flags.append(FLAG_PREFIX + template.format(detail=entry["detail"]))
        if self.work is not None:
            gone = [p for p in self.copied if not (self.work / p).exists()]
            self.flags += [DELETED_FLAG.format(path=p) for p in sorted(gone)]
            self._return_answers()
        shutil.rmtree(self.scratch, ignore_errors=True)
        return self.flags
