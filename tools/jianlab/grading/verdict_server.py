"""The trusted verdict server: one long-lived interpreter that forks, never re-imports.

Starting a fresh `python -I` per submission re-imported pandas, statsmodels and scipy and
recomputed every expected value from the reference data, for every submission (seconds of CPU
per graded notebook, docs/performance.md). This server is started once per grading worker with
the scrubbed trusted environment and imports the modules the lab's hidden tests import (never
anything from a submission). Then it only forks, in two levels:

- a *holder* per question and reference copy: confined (memory limit, the job's environment with
  that reference, the lab's master folder), it runs the question's reference part, the leading
  hidden-test statements that name no exported value (`jianlab.grading.verdicts.prepare`:
  reading the reference tables, refitting the reference model), once;
- a *child* of the holder per submission: it loads that submission's data-only snapshot into its
  copy of the namespace, runs the rest of the hidden block, reports one verdict and exits.

So nothing a submission's values or the hidden tests do in a child (patching numpy, exhausting
memory, crashing, writing to inherited pipes) reaches the holder, the server or a later child:
each child starts from the state the holder had before any submission was seen. The server never
runs a hidden test or reads a value itself; holders of an older reference copy are closed.

Protocol: one JSON job per line on stdin, one JSON reply per line on the saved stdout (see
`jianlab.grading.verdict_client`). Usage (internal): python -I -m jianlab.grading.verdict_server
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import json
import os
import resource
import select
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from jianlab.grading.verdicts import MEMORY_MB, Prepared, Verdict, judge, prepare

PR_SET_PDEATHSIG = 1
# Modules the value loader itself needs; the lab's own imports come with each job.
BASE_PRELOAD = ("numpy", "pandas", "pyarrow.parquet")
DIED = "评分解释器异常退出（导出值可能过大）"
OVERRAN = "隐藏测试超过 {seconds} 秒"
# Grace beyond the child's own alarm before the server kills it.
KILL_GRACE_S = 10.0


def preload(modules: list[str]) -> None:
    """Import what the hidden tests import, once, before any fork (failures are left to the
    child, which reports them as that question's verdict exactly as a fresh interpreter would)."""
    for name in modules:
        if name not in sys.modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def _die_with_parent() -> None:
    """A fork does not inherit its parent's death signal: set it again in every level."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _confine(job: dict[str, Any]) -> None:
    _die_with_parent()
    limit = int(job.get("memory_mb", MEMORY_MB)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.clear()
    os.environ.update(job["env"])
    os.chdir(job["cwd"])


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _read_until(fd: int, deadline: float, line: bool = False) -> bytes | None:
    """What arrives before EOF (or the first newline); None if the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 65536)
        if not chunk or (line and chunk.endswith(b"\n")):
            return b"".join([*chunks, chunk])
        chunks.append(chunk)


def _verdict(raw: bytes | None, seconds: int) -> Verdict:
    if raw is None:
        return Verdict(False, OVERRAN.format(seconds=seconds))
    try:
        got = json.loads(raw.decode("utf-8"))
        return Verdict(bool(got["passed"]), str(got.get("detail", "")))
    except (ValueError, KeyError, TypeError):
        return Verdict(False, DIED)


def _kill(pid: int) -> None:
    """SIGKILL one child; never a pid <= 0 (those name process groups or every process)."""
    if pid <= 0:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def fork_judge(
    question: dict[str, Any],
    prepared: Prepared,
    snapshot: Path,
    seconds: int,
    holder_fds: list[int],
) -> Verdict:
    """One submission's answer to one question, in a fresh fork of the holder: whatever the
    submission's values or the hidden tests do there dies with the fork, which keeps no way to
    the holder's own pipes (it could otherwise forge the holder's next reply)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            for fd in (read_fd, *holder_fds):
                os.close(fd)
            _die_with_parent()
            verdict = judge(question, snapshot, seconds, prepared)
            _write_all(write_fd, json.dumps(asdict(verdict), ensure_ascii=False).encode("utf-8"))
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        raw = _read_until(read_fd, time.monotonic() + seconds + KILL_GRACE_S)
    finally:
        os.close(read_fd)
        if raw is None:
            _kill(pid)
        _, status = os.waitpid(pid, 0)
    return Verdict(False, DIED) if raw is not None and status != 0 else _verdict(raw, seconds)


def _hold(question: dict[str, Any], job: dict[str, Any], requests: int, replies: int) -> None:
    """The holder process: confine, run the reference part once, then judge submissions."""
    try:
        _confine(job)
        prepared = prepare(question, int(job["seconds"]))
        with os.fdopen(requests, "r", encoding="utf-8") as lines:
            for line in lines:
                ask = json.loads(line)
                snapshot, seconds = Path(ask["snapshot"]), int(ask["seconds"])
                verdict = fork_judge(question, prepared, snapshot, seconds, [requests, replies])
                _write_all(replies, (json.dumps(asdict(verdict)) + "\n").encode("utf-8"))
    finally:
        os._exit(0)


class Holder:
    """A fork of the server that holds one question's reference part, computed once for one
    reference copy (the copy's path fixes its content: `ReferenceCopies` hash-checks it and gives
    a rebuilt copy a new path), and forks once per submission from that state."""

    def __init__(self, question: dict[str, Any], job: dict[str, Any], inherited: list[int]):
        req_r, self.req = os.pipe()
        self.rep, rep_w = os.pipe()
        self.fresh = True
        self.pid = os.fork()
        if self.pid == 0:
            for fd in (*inherited, self.req, self.rep):  # no way to the grader or other holders
                with contextlib.suppress(OSError):
                    os.close(fd)
            _hold(question, job, req_r, rep_w)
        os.close(req_r)
        os.close(rep_w)

    def judge(self, snapshot: str, seconds: int) -> Verdict | None:
        """The verdict, or None when the holder died or overran (it is then killed)."""
        budget = seconds + 2 * KILL_GRACE_S + (seconds if self.fresh else 0)
        self.fresh = False
        try:
            _write_all(
                self.req, (json.dumps({"snapshot": snapshot, "seconds": seconds}) + "\n").encode()
            )
            raw = _read_until(self.rep, time.monotonic() + budget, line=True)
        except OSError:
            raw = b""
        if not raw:
            self.close()
            return Verdict(False, OVERRAN.format(seconds=seconds)) if raw is None else None
        return _verdict(raw, seconds)

    def close(self) -> None:
        """Kill and reap the holder (idempotent: a closed holder has pid -1)."""
        if self.pid <= 0:
            return
        _kill(self.pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        for fd in (self.req, self.rep):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.pid = -1


def _key(question: dict[str, Any], job: dict[str, Any]) -> str:
    parts = [question, job["env"], job["cwd"], job["seconds"], job.get("memory_mb", MEMORY_MB)]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class Server:
    """Holders for the questions of the latest reference copy; older ones are closed."""

    def __init__(self, protocol: list[int]) -> None:
        self.protocol = protocol
        self.holders: dict[str, Holder] = {}

    def _fds(self) -> list[int]:
        return [*self.protocol, *(fd for h in self.holders.values() for fd in (h.req, h.rep))]

    def judge(self, question: dict[str, Any], job: dict[str, Any]) -> Verdict:
        key = _key(question, job)
        if key not in self.holders:
            self.holders[key] = Holder(question, job, self._fds())
        verdict = self.holders[key].judge(job["snapshot"], int(job["seconds"]))
        if verdict is None or self.holders[key].pid < 0:
            self.holders.pop(key).close()
        return verdict or Verdict(False, DIED)

    def handle(self, job: dict[str, Any]) -> dict[str, Any]:
        keys = {_key(q, job) for q in job["questions"]}
        for key in [k for k in self.holders if k not in keys]:
            self.holders.pop(key).close()
        preload([*BASE_PRELOAD, *job.get("preload", [])])
        verdicts = {q["grade_id"]: asdict(self.judge(q, job)) for q in job["questions"]}
        return {"id": job.get("id"), "verdicts": verdicts}


def serve() -> None:
    """Answer jobs until the grader closes stdin; die with the grader."""
    _die_with_parent()
    # Hidden tests may print: keep a private copy of stdout for replies, send the rest to stderr.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    replies = os.fdopen(out_fd, "w", encoding="utf-8")
    server = Server([0, out_fd])
    try:
        for line in sys.stdin:
            try:
                reply = server.handle(json.loads(line))
            except (ValueError, KeyError, TypeError, OSError) as exc:
                reply = {"id": None, "error": f"{type(exc).__name__}: {exc}"[:300]}
            replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
            replies.flush()
    finally:
        # Reap the holders rather than leave them to their death signal, so their CPU time
        # (the reference parts) is counted in the grader's (docs/performance.md).
        for holder in server.holders.values():
            holder.close()


if __name__ == "__main__":
    serve()
