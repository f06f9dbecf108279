"""Kernel launcher: resource limits, the drop to an unprivileged uid, then the real kernel.

It runs inside the bubblewrap sandbox (jianlab.grading.isolation) as the kernel's first process.
The limits are set in the kernel process itself (children inherit rlimits), so a hostile
submission can exhaust only its own budget: `RLIMIT_AS` turns a 20 GB allocation into a
MemoryError, `RLIMIT_CPU` ends a loop that ignores interrupts, `RLIMIT_FSIZE` stops a disk fill
and `RLIMIT_NPROC` a fork bomb (it counts the processes of the sandbox's own uid, which is
why a root grader drops to a uid of its own here). Without bubblewrap (the instructor's explicit
unsafe mode) a fresh network namespace still cuts the network where the kernel allows it.

Usage: python -m jianlab.grading.sandbox --mem-mb 4096 --cpu-s 600 --no-network -- CMD...
See docs/grading-sandbox.md.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import runpy
import signal
import sys
from dataclasses import asdict, dataclass

from jianlab.grading import sandbox_audit

ENV_VAR = "JIANLAB_SANDBOX"
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38


@dataclass(frozen=True)
class SandboxLimits:
    mem_mb: int = 4096
    cpu_s: int = 600
    fsize_mb: int = 512
    no_network: bool = True
    nproc: int = 96
    # False only when the instructor chose --unsafe-no-sandbox (the export marks such runs).
    isolate: bool = True

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> SandboxLimits | None:
        raw = os.environ.get(ENV_VAR)
        return cls(**json.loads(raw)) if raw else None

    def to_args(self) -> list[str]:
        args = [f"--mem-mb={self.mem_mb}", f"--cpu-s={self.cpu_s}", f"--fsize-mb={self.fsize_mb}"]
        if not self.isolate:
            # No sandbox uid to count against (it would be the instructor's own processes), and
            # no network namespace yet: try to make one.
            return [*args, "--no-network"] if self.no_network else args
        return [*args, f"--nproc={self.nproc}"]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def isolate_network() -> bool:
    """New network namespace (only loopback, down); as non-root via a user namespace."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        return False
    return True


def apply_limits(limits: SandboxLimits) -> list[str]:
    notes: list[str] = []
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limits.mem_mb * mb, limits.mem_mb * mb))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.fsize_mb * mb, limits.fsize_mb * mb))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limits.nproc > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.nproc, limits.nproc))
    _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if limits.no_network and not isolate_network():
        notes.append("无法创建网络命名空间，内核仍可访问网络")
    return notes


def drop_privileges(uid: int) -> None:
    """Become `uid` with no groups and no way back (root grader inside bubblewrap only)."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or os.getuid() == 0:
        raise SystemExit("无法降为非特权用户，拒绝启动内核")


def run_kernel(cmd: list[str]) -> None:
    """Run `python -m module ...` in this process (so the audit hook stays), else exec.

    The launcher itself starts with `python -I`, so nothing in the submission's folder can
    shadow a module it imports while it still holds privileges; the kernel then gets the
    folder on sys.path as `python -m` would give it.
    """
    if (
        len(cmd) >= 3
        and cmd[1] == "-m"
        and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
    ):
        sys.argv = [cmd[2], *cmd[3:]]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(cmd[2], run_name="__main__", alter_sys=True)
        return
    os.execvp(cmd[0], cmd)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="jianlab.grading.sandbox", description="受限内核启动器")
    parser.add_argument("--mem-mb", type=int, required=True)
    parser.add_argument("--cpu-s", type=int, required=True)
    parser.add_argument("--fsize-mb", type=int, required=True)
    parser.add_argument("--nproc", type=int, default=0)
    parser.add_argument("--no-network", action="store_true")
    parser.add_argument("--drop-uid", type=int, default=None)
    parser.add_argument("--audit-log", default=None)
    parser.add_argument("--readable", action="append", default=[])
    parser.add_argument("--forbidden", action="append", default=[])
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    cmd = ns.cmd[1:] if ns.cmd[:1] == ["--"] else ns.cmd
    if not cmd:
        parser.error("缺少要执行的内核命令")
    limits = SandboxLimits(ns.mem_mb, ns.cpu_s, ns.fsize_mb, ns.no_network, ns.nproc)
    for note in apply_limits(limits):
        print(f"[jianlab 沙箱] {note}", file=sys.stderr)
    if ns.drop_uid is not None:
        drop_privileges(ns.drop_uid)
    if ns.audit_log:
        own = [os.getcwd(), os.path.dirname(ns.audit_log)]
        python = [p for p in (*sys.path, sys.prefix, sys.base_prefix, *ns.readable) if p]
        roots = sandbox_audit.Roots(own, sandbox_audit.DEVICE_SINKS, python, ns.forbidden)
        sandbox_audit.install(ns.audit_log, roots)
    run_kernel(cmd)


if __name__ == "__main__":
    main()
