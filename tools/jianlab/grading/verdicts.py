"""Judge one question's hidden tests over a submission's exported values, in a trusted process.

The student's kernel never sees a hidden test and cannot reach the process that runs it: a fork
of the trusted verdict server (`jianlab.grading.verdict_server`), started by the grader with a
scrubbed environment, in the lab's master folder, after the kernel has ended. Each question runs
in its own fork and its own namespace holding only its declared values, so one question's failure
(or hostile value) cannot touch another's verdict.
"""

from __future__ import annotations

import ast
import os
import signal
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from jianlab.grading.values import ValueLoadError, load_value

MEMORY_MB = 4096
HIDDEN_FAILED = "隐藏测试未通过"
# Names through which a statement could read a value it does not name: such a statement and all
# after it run only once the submission's values are bound.
DYNAMIC_ACCESS = frozenset(
    {"globals", "locals", "vars", "eval", "exec", "compile", "_getframe", "currentframe"}
)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str = ""


class _Timeout(Exception):
    pass


def _alarm(_sig: int, _frame: FrameType | None) -> None:
    raise _Timeout


def _names(node: ast.AST) -> set[str]:
    """Every identifier a statement mentions, nested bodies and attribute names included."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
        elif isinstance(sub, ast.arg):
            found.add(sub.arg)
        elif isinstance(sub, ast.alias):
            found.add((sub.asname or sub.name).split(".")[0])
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(sub.name)
        elif isinstance(sub, ast.Global | ast.Nonlocal):
            found.update(sub.names)
    return found


@dataclass
class Prepared:
    """A question's hidden tests with their reference part already run (see `prepare`)."""

    namespace: dict[str, Any]
    rest: ast.Module | str
    failed: Verdict | None = None


def split_hidden(source: str, exports: list[str]) -> tuple[ast.Module, ast.Module | str]:
    """(reference part, rest): the leading top-level statements that mention no exported name
    and no way to reach one dynamically, and everything from the first one that does."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[]), source
    blocked = set(exports) | DYNAMIC_ACCESS
    stop = next((i for i, st in enumerate(body) if _names(st) & blocked), len(body))
    return ast.Module(body=body[:stop], type_ignores=[]), ast.Module(
        body=body[stop:], type_ignores=[]
    )


def _run(code: ast.Module | str, namespace: dict[str, Any], seconds: int, gid: str) -> Verdict:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, f"<隐藏测试 {gid}>", "exec"), namespace)
    except _Timeout:
        return Verdict(False, f"隐藏测试超过 {seconds} 秒")
    except BaseException as exc:  # SystemExit, MemoryError…: a verdict, never a crash
        return Verdict(False, f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        signal.alarm(0)
    return Verdict(True)


def prepare(question: dict[str, Any], seconds: int) -> Prepared:
    """Run the reference part of a question's hidden tests: it reads only the trusted reference
    data (no exported value is bound yet, and it names none), so its result is the same for every
    submission graded against the same reference copy."""
    head, rest = split_hidden(question["hidden"], list(question["exports"]))
    namespace: dict[str, Any] = {"__name__": "__jianlab_hidden__"}
    if not head.body:
        return Prepared(namespace, rest)
    done = _run(head, namespace, seconds, question["grade_id"])
    return Prepared(namespace, rest, None if done.passed else done)


def judge(
    question: dict[str, Any], snapshot: Path, seconds: int, prepared: Prepared | None = None
) -> Verdict:
    """One question: load its values, run (the rest of) its hidden block; any exception fails it.

    Values are loaded first, so a missing export is reported as such even when the reference
    part failed, exactly as when the whole block runs here."""
    gid = question["grade_id"]
    if prepared is None:
        prepared = Prepared({"__name__": "__jianlab_hidden__"}, question["hidden"])
    namespace = prepared.namespace
    for name, kind in question["exports"].items():
        try:
            namespace[name] = load_value(snapshot / gid, name, kind)
        except ValueLoadError as exc:
            return Verdict(False, f"导出值 {name}：{exc}")
        except Exception as exc:  # a value that breaks the reader fails only this question
            return Verdict(False, f"导出值 {name} 无法读取：{type(exc).__name__}")
    if prepared.failed is not None:
        return prepared.failed
    return _run(prepared.rest, namespace, seconds, gid)


def trusted_env(reference: str | None) -> dict[str, str]:
    """Only what the hidden tests need: no course secret, no instructor variables."""
    keep = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({"MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    if reference:
        env["JIANLAB_REFERENCE_DIR"] = reference
    return env
