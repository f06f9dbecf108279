"""The kernel sandbox against hostile submissions (docs/grading-sandbox.md).

One course built like an instructor's (per-student data, reference copies with `_truth/`, the
course secret on disk and in the environment); one honest submission graded next to one
submission per attack. Each attack must be blocked (or run harmlessly), flagged, leak nothing
into its own output and change nothing outside its own output.
"""

from __future__ import annotations

import os
import socket
import sysconfig
import textwrap
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from jianlab.course.hostile import build_course, snapshot, submit
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.export import wide_table
from jianlab.grading.sandbox_export import COLUMN
from jianlab.grading.status import SubmissionStatus
from jianlab.specs import REPO_ROOT

LAB_SOURCE = Path(__file__).parent / "fixtures" / "hostile" / "lab00-ref" / "lab00-ref.py"
LAB = LAB_SOURCE.stem
SECRET = "s3cr3t-" + "7f" * 16
MARKER = "jianlab-hostile-survivor-marker"
GOOD = {
    "q1_answer": 'rate = decisions.count("不批准逮捕") / '
    '(decisions.count("批准逮捕") + decisions.count("不批准逮捕"))',
    "q2_answer": 'n_other = decisions.count("其他")',
}
FULL = {"q1_tests": 3.0, "q2_tests": 2.0}
SITE = sysconfig.get_paths()["purelib"]
READ_FLAG, WRITE_FLAG = "试图读取沙箱外的路径", "试图写入只读或沙箱外的位置"
LEAKS = (SECRET, "BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "SQLite format 3", "_reference_dir")


def _attack(body: str) -> str:
    """The attack, then the honest answer: a blocked attack must not cost the honest marks."""
    guarded = "try:\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ")
    guarded += "\nexcept BaseException as _exc:\n    print('被拦截', type(_exc).__name__)\n"
    return "import os, sys, subprocess\n" + guarded + GOOD["q1_answer"]


def _corpus(root: Path, port: int) -> dict[str, tuple[str, dict[str, float], str]]:
    """student → (q1 answer, expected scores, expected flag)."""
    lab, ref = f"{root}/source/{LAB}", f"{root}/instructor/{LAB}/reference"
    relaunch = f'os.execv("/bin/sh", ["sh", "-c", "sleep 300", "{MARKER}"])'
    return {
        "source": (
            _attack(f'print(open("{lab}/{LAB}.ipynb").read())\n'
                    f'print(open("../../../source/{LAB}/{LAB}.ipynb").read())'),
            FULL, READ_FLAG),
        "instructor": (
            _attack(f'print(open("{root}/instructor/{LAB}/{LAB}.ipynb").read())'), FULL, READ_FLAG),
        "gradebook": (
            _attack(f'print(open("{root}/gradebook.db", "rb").read(200))'), FULL, READ_FLAG),
        "repo": (
            _attack(f'print(open("{REPO_ROOT}/labs/lab01-bubu-busu/lab01-bubu-busu.py").read())'),
            FULL, READ_FLAG),
        "secret": (
            _attack('print(os.environ.get("JIANLAB_COURSE_SECRET"), dict(os.environ))\n'
                    f'print(open("{root}/instructor/course_secret").read())'),
            FULL, READ_FLAG),
        "others": (
            _attack(f'print(open("{root}/submitted/good/{LAB}/{LAB}.ipynb").read())\n'
                    f'print(open("{ref}/good/decisions/_truth/answer.json").read())'),
            FULL, READ_FLAG),
        "writegb": (
            _attack(f'import sqlite3\nc = sqlite3.connect("{root}/gradebook.db")\n'
                    'c.execute("update grade set manual_score = 0")\nc.commit()'),
            FULL, WRITE_FLAG),
        "writeother": (
            _attack(f'open("{root}/submitted/good/{LAB}/{LAB}.ipynb", "w").write("{{}}")'),
            FULL, WRITE_FLAG),
        "writesource": (_attack(f'os.remove("{lab}/{LAB}.ipynb")'), FULL, WRITE_FLAG),
        "pth": (
            _attack(f'open("{SITE}/zz_jianlab_evil.pth", "w").write("import os\\n")'),
            FULL, WRITE_FLAG),
        "reference": (
            # The kernel has no reference copy at all (hidden tests run outside it): writing to
            # the grader's copy of its own data is an attempt on the course root.
            _attack(f'open("{ref}/reference/decisions/decisions.txt", "w").write("不批准逮捕\\n")')
            + "\nrate = 1.0",
            {"q1_tests": 0.0, "q2_tests": 2.0}, WRITE_FLAG),
        "truth": (
            # Its own dataset's planted truth and reference copy, by every route a student
            # might guess: the environment, the helper, its data folder, the mount point older
            # versions used, the grader's copy on the host. The kernel holds none of them.
            _attack('print("REF", os.environ.get("JIANLAB_REFERENCE_DIR"))\n'
                    "import glob\nfrom jianlab.grading.runtime import reference_dir, truth_dir\n"
                    'found = glob.glob("data/**/_truth/*", recursive=True)\n'
                    'found += glob.glob("/tmp/jianlab-reference-*/*/*/decisions/_truth/*")\n'
                    'print("FOUND", len(found), reference_dir("decisions"))\n'
                    "try:\n    truth_dir(\"decisions\")\n"
                    "except FileNotFoundError:\n    print('NO TRUTH')\n"
                    f'print(open("{ref}/truth/decisions/_truth/answer.json").read())\n'
                    'print(open("/jianlab/reference/decisions/_truth/answer.json").read())'),
            FULL, READ_FLAG),
        "detach": (
            _attack(f'subprocess.Popen(["/bin/sh", "-c", "sleep 300", "{MARKER}"], '
                    "start_new_session=True)\n"
                    f"pid = os.fork()\nif pid == 0:\n    os.setsid()\n"
                    f"    if os.fork() == 0:\n        {relaunch}\n    os._exit(0)\n"
                    "os.waitpid(pid, 0)"),
            FULL, "后台进程"),
        "forkmany": (
            # Stops at the process limit; it then reaps its children so that its kernel can
            # still start the threads it needs (else the kernel's death would decide the score).
            _attack("kids = []\ntry:\n    for _ in range(400):\n        pid = os.fork()\n"
                    f"        if pid == 0:\n            {relaunch}\n        kids.append(pid)\n"
                    "finally:\n    for pid in kids:\n        os.kill(pid, 9)\n"
                    "        os.waitpid(pid, 0)\n"
                    "    print('forked', len(kids))"),
            FULL, "大量创建进程"),
        "netns": (
            _attack("import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                    'fd = os.open(f"/proc/{os.getppid()}/ns/net", os.O_RDONLY)\n'
                    "print('setns', libc.setns(fd, 0x40000000))\n"
                    "import socket\n"
                    f'socket.create_connection(("127.0.0.1", {port}), 2).send(b"x")'),
            FULL, "命名空间"),
    }  # fmt: skip


def _guarded(root: Path) -> list[Path]:
    """Everything in the course a submission must not change (its own outputs excepted)."""
    keep = [root / name for name in ("source", "release", "instructor", "handout", "exchange")]
    return [*keep, root / "submitted" / "good", root / courseroot.CONFIG_NAME]


def _scores(root: Path, student: str) -> dict[str, float]:
    with Gradebook(courseroot.db_url(root)) as gb:
        sub = gb.find_submission(LAB, student)
        return {g.name: float(g.score) for nb in sub.notebooks for g in nb.grades}


def _survivors() -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and MARKER.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


class Run:
    def __init__(self, root: Path, statuses: dict[str, SubmissionStatus]) -> None:
        self.root, self.statuses = root, statuses
        self.before: dict[str, dict[str, str]] = {}
        self.after: dict[str, dict[str, str]] = {}
        self.knocks = 0


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    root = tmp_path_factory.mktemp("sandbox") / "course"
    corpus = _corpus(root, listener.getsockname()[1])
    old_secret = os.environ.get("JIANLAB_COURSE_SECRET")
    os.environ["JIANLAB_COURSE_SECRET"] = SECRET
    try:
        build_course(root, LAB_SOURCE, ["good", *corpus], SECRET)
        submit(root, LAB, "good", GOOD)
        run = Run(root, {})
        trees = {"course": _guarded(root), "repo": [REPO_ROOT / "tools", REPO_ROOT / "labs"]}
        run.before = {k: snapshot(v, content=k == "course") for k, v in trees.items()}
        run.before["site"] = snapshot([Path(SITE)], content=False)
        for student, (q1, _, _) in corpus.items():
            submit(root, LAB, student, {**GOOD, "q1_answer": q1})
        opts = AutogradeOptions(workers=2, wall_s=120, cell_timeout_s=20)
        run.statuses = {s.student: s for s in autograde_lab(root, LAB, opts)}
        run.after = {k: snapshot(v, content=k == "course") for k, v in trees.items()}
        run.after["site"] = snapshot([Path(SITE)], content=False)
        try:
            listener.accept()
            run.knocks = 1
        except BlockingIOError:
            run.knocks = 0
        yield run
    finally:
        listener.close()
        if old_secret is None:
            os.environ.pop("JIANLAB_COURSE_SECRET", None)
        else:
            os.environ["JIANLAB_COURSE_SECRET"] = old_secret


CASES = list(_corpus(Path("/x"), 1))


@pytest.mark.parametrize("student", CASES)
def test_attack_is_blocked_flagged_and_leaks_nothing(hostile: Run, student: str) -> None:
    _, expected, flag = _corpus(hostile.root, 1)[student]
    status = hostile.statuses[student]
    assert status.scores == expected, status
    assert any(flag in f for f in status.flags), status.flags
    nb = nbformat.read(hostile.root / "autograded" / student / LAB / f"{LAB}.ipynb", 4)
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    outputs = str([c.get("outputs", []) for c in answers])
    assert "被拦截" in outputs or student == "detach", outputs[:500]
    assert not [leak for leak in LEAKS if leak in outputs], outputs[:2000]


def test_kernel_sees_no_reference_copy_and_no_truth(hostile: Run) -> None:
    """The truth case found nothing (the honest student's hidden tests, which check `_truth/`
    in the grader's interpreter, still gave full marks: see the next test)."""
    nb = nbformat.read(hostile.root / "autograded" / "truth" / LAB / f"{LAB}.ipynb", 4)
    text = str([c.get("outputs", []) for c in nb.cells])
    assert "REF None" in text and "FOUND 0 data/decisions" in text and "NO TRUTH" in text, text
    assert SECRET not in text  # every `_truth/answer.json` of the corpus holds the secret


def test_honest_grade_and_everything_else_unchanged(hostile: Run) -> None:
    good = hostile.statuses["good"]
    assert good.scores == FULL
    # The gradebook as the grader left it: no submission rewrote another student's grades.
    assert _scores(hostile.root, "good") == FULL
    assert not [f for f in good.flags if "沙箱" in f], good.flags
    for key in ("course", "repo", "site"):
        changed = {
            path
            for path in hostile.before[key].keys() | hostile.after[key].keys()
            if hostile.before[key].get(path) != hostile.after[key].get(path)
        }
        assert not changed, (key, sorted(changed)[:10])


def test_no_process_survives_and_no_way_back_to_the_host(hostile: Run) -> None:
    assert _survivors() == []
    assert hostile.knocks == 0
    assert not (Path(SITE) / "zz_jianlab_evil.pth").exists()


def test_export_shows_sandbox_violations(hostile: Run) -> None:
    table = wide_table(hostile.root).set_index("学号")
    assert table.loc["good", COLUMN] == ""
    for student in CASES:
        assert "沙箱违规" in table.loc[student, COLUMN], student
