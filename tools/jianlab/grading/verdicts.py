"""Run hidden tests in a fresh, trusted interpreter over a submission's exported values.

The student's kernel never sees a hidden test and cannot reach this process: it is a new
`python -I` started by the grader after the kernel has ended, in the lab's master folder, with
a scrubbed environment. Each question runs in its own namespace holding only its declared
values, so one question's failure (or hostile value) cannot touch another's verdict. If the
interpreter itself dies (a value that exhausts memory), each question is rerun alone.

Usage (internal): python -I -m jianlab.grading.verdicts < job.json > verdicts.json
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from jianlab.grading.values import ValueLoadError, load_value

MEMORY_MB = 4096
HIDDEN_FAILED = "隐藏测试未通过"


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str = ""


class _Timeout(Exception):
    pass


def _alarm(_sig: int, _frame: FrameType | None) -> None:
    raise _Timeout


def judge(question: dict[str, Any], snapshot: Path, seconds: int) -> Verdict:
    """One question: load its values, run its hidden block; any exception fails it."""
    gid = question["grade_id"]
    namespace: dict[str, Any] = {"__name__": "__jianlab_hidden__"}
    for name, kind in question["exports"].items():
        try:
            namespace[name] = load_value(snapshot / gid, name, kind)
        except ValueLoadError as exc:
            return Verdict(False, f"导出值 {name}：{exc}")
        except Exception as exc:  # a value that breaks the reader fails only this question
            return Verdict(False, f"导出值 {name} 无法读取：{type(exc).__name__}")
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(question["hidden"], f"<隐藏测试 {gid}>", "exec"), namespace)
    except _Timeout:
        return Verdict(False, f"隐藏测试超过 {seconds} 秒")
    except BaseException as exc:  # SystemExit, MemoryError…: a verdict, never a crash
        return Verdict(False, f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        signal.alarm(0)
    return Verdict(True)


def main() -> None:
    job = json.load(sys.stdin)
    limit = int(job.get("memory_mb", MEMORY_MB)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    snapshot = Path(job["snapshot"])
    out = {q["grade_id"]: asdict(judge(q, snapshot, int(job["seconds"]))) for q in job["questions"]}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))


def _spawn(job: dict[str, Any], cwd: Path, env: dict[str, str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-I", "-m", "jianlab.grading.verdicts"]
    try:
        proc = subprocess.run(
            cmd,
            input=json.dumps(job),
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=timeout,
            check=False,
        )
        result = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        result = None
    return result if isinstance(result, dict) else {}


def run_hidden_tests(
    snapshot: Path,
    questions: list[dict[str, Any]],
    cwd: Path,
    env: dict[str, str],
    seconds: int = 60,
) -> dict[str, Verdict]:
    """Verdicts for every question; an interpreter that dies is retried question by question."""
    job = {"snapshot": str(snapshot), "questions": questions, "seconds": seconds}
    raw = _spawn(job, cwd, env, timeout=seconds * max(1, len(questions)) + 30)
    verdicts: dict[str, Verdict] = {}
    for question in questions:
        gid = question["grade_id"]
        got = raw.get(gid)
        if not isinstance(got, dict):
            alone = _spawn({**job, "questions": [question]}, cwd, env, timeout=seconds + 30)
            got = alone.get(gid)
        verdicts[gid] = (
            Verdict(bool(got["passed"]), str(got.get("detail", "")))
            if isinstance(got, dict)
            else Verdict(False, "评分解释器异常退出（导出值可能过大）")
        )
    return verdicts


def trusted_env(reference: str | None) -> dict[str, str]:
    """Only what the hidden tests need: no course secret, no instructor variables."""
    keep = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({"MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    if reference:
        env["JIANLAB_REFERENCE_DIR"] = reference
    return env


if __name__ == "__main__":
    main()
