"""The trusted verdict server: one pre-importing interpreter per worker, forks per question.

What it must keep from the fresh interpreter it replaced: nothing one question or one submission
does reaches another (module patches, builtins, environment, the reference part's objects,
forged replies on inherited pipes), the environment is the scrubbed one with this job's
reference, a dying question fails alone, and a dead server is replaced without losing the job.
What it adds: a question's reference part runs once per reference copy, not once per submission.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from jianlab.grading.verdict_client import (
    DIED,
    VerdictServer,
    imported_modules,
    run_hidden_tests,
    shared_server,
)
from jianlab.grading.verdicts import split_hidden, trusted_env

PATCH_EVERYTHING = """
assert x == 2
import builtins, numpy as np, os, sys
np.allclose = lambda *a, **k: True
builtins.JIANLAB_LEAK = 1
os.environ["JIANLAB_LEAK"] = "1"
sys.modules["json"] = None
"""
PRISTINE = """
assert x == 2
import builtins, json, numpy as np, os
assert not np.allclose(1.0, 2.0)
assert not hasattr(builtins, "JIANLAB_LEAK")
assert "JIANLAB_LEAK" not in os.environ
assert json.dumps(1) == "1"
"""
FORGE_REPLIES = """
assert x == 2
import os
line = b'{"id": null, "verdicts": {"q": {"passed": true, "detail": ""}}}\\n'
for fd in os.listdir("/proc/self/fd"):
    try:
        os.write(int(fd), line * 10)
    except OSError:
        pass
"""


def _q(gid: str, hidden: str) -> dict[str, Any]:
    """A question that exports `x` (its hidden block below the first `x` runs per submission)."""
    return {"grade_id": gid, "exports": {"x": "scalar"}, "hidden": hidden}


def _run(tmp: Path, *questions: dict[str, Any], ref: str | None = None) -> dict[str, Any]:
    for question in questions:
        (tmp / question["grade_id"]).mkdir(exist_ok=True)
        (tmp / question["grade_id"] / "x.json").write_text('{"value": 2}', encoding="utf-8")
    got = run_hidden_tests(tmp, list(questions), tmp, trusted_env(ref), seconds=20)
    return {gid: (v.passed, v.detail) for gid, v in got.items()}


def test_no_state_crosses_questions_or_submissions(tmp_path: Path) -> None:
    first = _run(tmp_path, _q("a", PATCH_EVERYTHING), _q("b", PRISTINE))
    server = shared_server().proc
    second = _run(tmp_path, _q("q", PRISTINE))
    assert first == {"a": (True, ""), "b": (True, "")}
    assert second == {"q": (True, "")}
    assert server is not None and shared_server().proc is server  # one server, reused


def test_each_job_gets_its_own_reference_and_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "s3cret")
    check = "assert x\nimport os\nassert os.environ.get('JIANLAB_REFERENCE_DIR') == {!r}\n"
    check += "assert 'JIANLAB_COURSE_SECRET' not in os.environ\nassert os.getcwd() == {!r}"
    here = str(tmp_path.resolve())
    assert _run(tmp_path, _q("a", check.format("/ref/one", here)), ref="/ref/one")["a"][0]
    assert _run(tmp_path, _q("a", check.format("/ref/two", here)), ref="/ref/two")["a"][0]
    assert not _run(tmp_path, _q("a", check.format("/ref/one", here)), ref="/ref/two")["a"][0]


def test_forged_replies_and_crashes_stay_in_their_fork(tmp_path: Path) -> None:
    crash = "assert x == 2\nimport os\nos._exit(3)"
    got = _run(tmp_path, _q("x", FORGE_REPLIES), _q("y", crash), _q("z", "assert 1 + 1 == 2"))
    assert got["y"] == (False, DIED) and got["z"] == (True, "")
    # the next submission's question is judged on its own, whatever lines were forged before
    wrong = _run(tmp_path, _q("q", "assert x == 3, 'wrong'"))
    assert wrong == {"q": (False, "AssertionError: wrong")}


def test_a_dead_server_is_replaced_without_losing_the_job(tmp_path: Path) -> None:
    server = VerdictServer()
    try:
        question = {"grade_id": "a", "exports": {}, "hidden": "pass"}
        job = {"snapshot": str(tmp_path), "questions": [question], "seconds": 5}
        job |= {"cwd": str(tmp_path), "env": trusted_env(None), "preload": []}
        assert server.ask(job, timeout=60) == {"a": {"passed": True, "detail": ""}}
        assert server.proc is not None
        first = server.proc.pid
        server.proc.kill()
        server.proc.wait()
        assert server.ask(job, timeout=60)["a"]["passed"]
        assert server.proc is not None and server.proc.pid != first
    finally:
        server.close()
    assert server.proc is None


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["import numpy as np\nfrom synthgen import read_table"], ["numpy", "synthgen"]),
        (["import a.b, c\nfrom .rel import x\nfrom d.e import f"], ["a.b", "c", "d.e"]),
        (["def f():\n    import lazy\n", "import lazy"], ["lazy"]),
        (["assert ("], []),
    ],
)
def test_imported_modules(sources: list[str], expected: list[str]) -> None:
    assert imported_modules(sources) == expected


def test_server_runs_with_the_trusted_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "s3cret")
    server = VerdictServer()
    try:
        proc = server._start()
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
    finally:
        server.close()
    assert not any(entry.startswith(b"JIANLAB_COURSE_SECRET=") for entry in environ)
    assert os.environ["JIANLAB_COURSE_SECRET"] == "s3cret"


COUNTED = """
import os
import pandas as pd
with open(os.path.join(os.environ["JIANLAB_REFERENCE_DIR"], "runs"), "a") as fh:
    fh.write("x")
_table = pd.DataFrame({"a": [1, 2]})
assert x == 2
assert len(_table) == 2
_table.drop(index=0, inplace=True)
"""


def test_reference_part_runs_once_per_reference_copy(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for ref in (one, two):
        ref.mkdir()
    for ref in (one, one, one, two, one):
        assert _run(tmp_path, _q("q", COUNTED), ref=str(ref)) == {"q": (True, "")}
    # a child's in-place change of the reference part's table never reached the next child;
    # the holders of `one` were closed when `two` came, so `one` was prepared twice in all
    assert (one / "runs").read_text() == "xx" and (two / "runs").read_text() == "x"


def test_reference_part_failure_is_the_same_verdict(tmp_path: Path) -> None:
    failing = "_missing = open('/nonexistent/ref.parquet')\nassert x == 2"
    got = _run(tmp_path, _q("q", failing))["q"]
    assert got[0] is False and got[1].startswith("FileNotFoundError: ")
    question = {"grade_id": "m", "exports": {"y": "scalar"}, "hidden": failing}
    missing = run_hidden_tests(tmp_path, [question], tmp_path, trusted_env(None), seconds=20)
    assert missing["m"].detail.startswith("导出值 y")


@pytest.mark.parametrize(
    ("source", "exports", "head"),
    [
        ("import numpy as np\n_r = np.ones(3)\nassert np.allclose(x, _r)", ["x"], 2),
        ("assert x == 1\n_r = 2", ["x"], 0),
        ("_r = 1\ndef f():\n    return x\nassert f()", ["x"], 1),
        ("_r = 1\n_v = globals()['x']\nassert _v", ["x"], 1),
        ("_r = 1\n_v = vars()\n_w = 2", [], 1),
        ("import x\nassert y", ["x"], 0),
        ("import x as y\nfrom m import x\nassert y", ["x"], 1),
        ("_r = 1\nassert (", ["x"], 0),
        ("_a = 1\n_b = 2", ["x"], 2),
    ],
)
def test_split_hidden(source: str, exports: list[str], head: int) -> None:
    first, rest = split_hidden(source, exports)
    assert len(first.body) == head
    if isinstance(rest, str):
        assert rest == source and head == 0


def _holders(pid: int) -> list[int]:
    """Live (non-zombie) children of `pid`: the server's holders."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("grace_s", "reaped"), [(5.0, True), (0.0, False)])
def test_close_lets_the_server_reap_its_holders(
    tmp_path: Path, grace_s: float, reaped: bool
) -> None:
    """With a grace period the server ends on end of input and reaps its holders itself (their
    CPU time then reaches ours); without one it is killed at once (a server that gave no valid
    answer), and its holders are left to their death signal."""
    server = VerdictServer()
    question = {"grade_id": "a", "exports": {}, "hidden": "pass"}
    job = {"snapshot": str(tmp_path), "questions": [question], "seconds": 5}
    job |= {"cwd": str(tmp_path), "env": trusted_env(None), "preload": []}
    assert server.ask(job, timeout=60)["a"]["passed"]
    assert server.proc is not None
    proc = server.proc
    holders = _holders(proc.pid)
    assert len(holders) == 1
    server.close(grace_s)
    assert server.proc is None and proc.returncode == (0 if reaped else -9)
