"""The grader's side of the trusted verdict server: start it once, send jobs, read verdicts.

One server per grading process (each autograde worker has its own), started lazily with the
scrubbed trusted environment and reused for every submission that process grades, so the
hidden tests' libraries are imported once per worker instead of once per submission
(docs/performance.md). Every reply carries the id of its job: a line that is not the answer to
the job just sent (a server that died half-way, anything stray on the pipe) is never taken as
a verdict; the server is restarted and the job sent once more, and a job that still gets no
answer fails its questions with a flag-worthy reason instead of stopping the class run.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import json
import os
import selectors
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from jianlab.grading.verdicts import Verdict, trusted_env

DIED = "评分解释器异常退出（导出值可能过大）"
# Seconds the server may take beyond the questions' own budgets (imports on the first job).
STARTUP_GRACE_S = 60
# How long `close` lets the server close its holders before it is killed.
CLOSE_GRACE_S = 5.0


def imported_modules(sources: list[str]) -> list[str]:
    """Top-level modules the hidden tests import (`import a.b`, `from a.b import c`), in order;
    the server imports them before it forks so no child pays for them again."""
    names: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
    return list(dict.fromkeys(names))


class VerdictServer:
    """A `python -I -m jianlab.grading.verdict_server` child of this process."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "jianlab.grading.verdict_server"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=trusted_env(None),
                cwd="/",
                text=True,
                encoding="utf-8",
            )
        return self.proc

    def _ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
            proc.stdin.flush()
            with selectors.DefaultSelector() as sel:
                sel.register(proc.stdout, selectors.EVENT_READ)
                if not sel.select(timeout=timeout):
                    return None
            reply = json.loads(proc.stdout.readline())
        except (OSError, ValueError):
            return None
        ok = isinstance(reply, dict) and reply.get("id") == job["id"]
        return reply.get("verdicts") if ok and isinstance(reply.get("verdicts"), dict) else None

    def ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """The server's verdicts for `job` ({} if two servers in a row gave no valid answer)."""
        with self.lock:
            for _ in range(2):
                got = self._ask({**job, "id": uuid.uuid4().hex}, timeout)
                if got is not None:
                    return got
                self.close()
            return {}

    def close(self, grace_s: float = 0.0) -> None:
        """Kill the server; with `grace_s`, first end its input and give it that long to reap
        its holders and exit (counting their CPU time in ours). A server that gave no valid
        answer is killed at once."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_SERVERS: dict[int, VerdictServer] = {}


def shared_server() -> VerdictServer:
    """This process's server (a forked process gets its own, never its parent's pipes)."""
    pid = os.getpid()
    if pid not in _SERVERS:
        _SERVERS[pid] = VerdictServer()
        atexit.register(_SERVERS[pid].close, CLOSE_GRACE_S)
    return _SERVERS[pid]


def run_hidden_tests(
    snapshot: Path,
    questions: list[dict[str, Any]],
    cwd: Path,
    env: dict[str, str],
    seconds: int = 60,
) -> dict[str, Verdict]:
    """Verdicts for every question, each judged in its own fork of the trusted server."""
    job = {
        "snapshot": str(snapshot),
        "questions": questions,
        "seconds": seconds,
        "cwd": str(cwd),
        "env": env,
        "preload": imported_modules([q["hidden"] for q in questions]),
    }
    timeout = (seconds + 15) * max(1, len(questions)) + STARTUP_GRACE_S
    raw = shared_server().ask(job, timeout)
    verdicts: dict[str, Verdict] = {}
    for question in questions:
        got = raw.get(question["grade_id"])
        verdicts[question["grade_id"]] = (
            Verdict(bool(got["passed"]), str(got.get("detail", "")))
            if isinstance(got, dict)
            else Verdict(False, DIED)
        )
    return verdicts
