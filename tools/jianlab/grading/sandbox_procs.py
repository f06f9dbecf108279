"""Find the processes inside one kernel sandbox (seen from the host), to flag survivors.

bubblewrap's pid namespace guarantees that every process a submission starts dies with the
sandbox; this module only counts, just before shutdown, the processes besides the kernel that
are still there (a detached `setsid` child, a daemon), so the grader can flag the attempt, and
reads the CPU time the sandbox used: bwrap leaves its pid namespace's init to the host's init, so
that time never reaches the grader's own child accounting (docs/performance.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    ppid: int
    start: int
    # user + system ticks of the process and of its children it has already reaped
    ticks: int = 0


def _stat(pid: int) -> ProcInfo | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # Fields after the command name, which may itself contain spaces and parentheses.
    fields = raw[raw.rfind(")") + 2 :].split()
    return ProcInfo(pid, int(fields[1]), int(fields[19]), sum(int(x) for x in fields[11:15]))


def _all() -> list[ProcInfo]:
    infos = (_stat(int(p.name)) for p in PROC.iterdir() if p.name.isdigit())
    return [info for info in infos if info is not None]


def _pid_ns(pid: int) -> str | None:
    try:
        return os.readlink(PROC / str(pid) / "ns" / "pid")
    except OSError:
        return None


def sandbox_members(outer_pid: int) -> tuple[list[ProcInfo], ProcInfo | None]:
    """(all processes in the sandbox's pid namespace, its init) for bwrap running as outer_pid."""
    procs = _all()
    inits = [p for p in procs if p.ppid == outer_pid]
    if not inits:
        return [], None
    init = inits[0]
    ns = _pid_ns(init.pid)
    if ns is None or ns == _pid_ns(outer_pid):
        return [], None
    return [p for p in procs if _pid_ns(p.pid) == ns], init


def survivors(outer_pid: int) -> list[int]:
    """Processes besides the sandbox's init and the kernel (its oldest child)."""
    members, init = sandbox_members(outer_pid)
    if init is None:
        return []
    children = sorted((p for p in members if p.ppid == init.pid), key=lambda p: p.start)
    expected = {init.pid, *(p.pid for p in children[:1])}
    return sorted(p.pid for p in members if p.pid not in expected)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and every live descendant, including the children
    each of them has already reaped; 0.0 if `pid` is gone."""
    procs = _all()
    children: dict[int, list[ProcInfo]] = {}
    for info in procs:
        children.setdefault(info.ppid, []).append(info)
    stack = [info for info in procs if info.pid == pid]
    ticks = 0
    while stack:
        info = stack.pop()
        ticks += info.ticks
        stack += children.get(info.pid, [])
    return ticks / TICKS
