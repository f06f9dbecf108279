"""Pieces of the kernel sandbox: audit rules, private copies, reference copies, bwrap, refusal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli.grade import app
from jianlab.course.hostile import build_course, submit
from jianlab.grading import isolation, sandbox_procs
from jianlab.grading.autograde import UNSAFE_FLAG
from jianlab.grading.kernelbox import KernelBox, copy_regular_tree, remove_scratch
from jianlab.grading.refcopy import ReferenceCopies
from jianlab.grading.sandbox import SandboxLimits
from jianlab.grading.sandbox_audit import Auditor, Roots, read_log
from jianlab.grading.sandbox_export import COLUMN
from jianlab.grading.status import SubmissionStatus, status_path

LAB_SOURCE = Path(__file__).parent / "fixtures" / "hostile" / "lab00-ref" / "lab00-ref.py"
ROOTS = Roots(
    own=["/home/student/work", "/tmp/jianlab-kernel-me/ipc"],
    scratch=["/tmp", "/dev/null"],
    python=["/venv", "/repo/tools"],
    forbidden=["/repo", "/course", "/tmp/jianlab-"],
)


@pytest.mark.parametrize(
    ("path", "write", "expected"),
    [
        ("/home/student/work/data/x.csv", True, None),
        ("/tmp/jianlab-kernel-me/ipc/audit.jsonl", True, None),
        ("/tmp/figure.png", True, None),
        ("/usr/share/fonts/noto.ttf", False, None),
        ("/repo/tools/jianlab/grading/runtime.py", False, None),
        ("/tmp/jianlabx/notes.txt", False, None),
        ("/course/gradebook.db", False, "read"),
        ("/course/gradebook.db", True, "write"),
        ("/repo/labs/lab01/lab01.py", False, "read"),
        ("/tmp/jianlab-kernel-other/ipc/kernel.json", False, "read"),
        ("/source/lab00/lab00.ipynb", False, "read"),
        ("/venv/lib/python3.11/site-packages/evil.pth", True, "write"),
        ("/repo/tools/jianlab/__init__.py", True, "write"),
        ("/usr/lib/x", True, "write"),
    ],
)
def test_audit_verdicts(path: str, write: bool, expected: str | None) -> None:
    assert ROOTS.verdict(path, write) == expected


# A checkout under /tmp: its .venv sits inside the kernel's writable scratch prefix, yet a write
# into it is still an attempt on a read-only root.
TMP_CHECKOUT = Roots(
    own=["/home/student/work"],
    scratch=["/tmp"],
    python=["/tmp/clone/.venv", "/tmp/clone/tools"],
    forbidden=["/tmp/clone", "/course"],
)


@pytest.mark.parametrize(
    ("path", "write", "expected"),
    [
        ("/tmp/clone/.venv/lib/python3.11/site-packages/evil.pth", True, "write"),
        ("/tmp/clone/.venv/lib/python3.11/site-packages/numpy/__init__.py", False, None),
        ("/tmp/clone/labs/lab01/lab01.py", False, "read"),
        ("/tmp/figure.png", True, None),
    ],
)
def test_audit_verdicts_for_a_checkout_under_tmp(
    path: str, write: bool, expected: str | None
) -> None:
    assert TMP_CHECKOUT.verdict(path, write) == expected


def test_auditor_events_and_log(tmp_path: Path) -> None:
    seen: list[dict] = []
    audit = Auditor(ROOTS, seen.append)
    audit("open", ("/course/instructor/course_secret", "r", 0))
    audit("open", ("/course/instructor/course_secret", "r", 0))  # reported once
    audit("open", (b"/venv/x.pth", None, os.O_WRONLY | os.O_CREAT))
    audit("open", ("/proc/1/ns/net", "r", 0))
    audit("open", (3, "r", 0))  # a file descriptor: nothing to judge
    audit("ctypes.dlsym", (0, "setns"))
    audit("ctypes.dlsym", (0, "printf"))
    for _ in range(40):
        audit("os.fork", ())
    kinds = [(e["kind"], e["detail"]) for e in seen]
    assert kinds == [
        ("read", "/course/instructor/course_secret"),
        ("write", "/venv/x.pth"),
        ("namespace", "/proc/1/ns/net"),
        ("namespace", "setns"),
        ("spawn", "17"),
    ]
    log = tmp_path / "audit.jsonl"
    log.write_text('{"kind": "read", "detail": "/x"}\nnot json\n[1]\n{"detail": 1}\n', "utf-8")
    assert read_log(str(log)) == [{"kind": "read", "detail": "/x"}]
    assert read_log(str(tmp_path / "missing")) == []


def test_private_copy_keeps_only_regular_files(tmp_path: Path) -> None:
    src = tmp_path / "sub"
    (src / "data").mkdir(parents=True)
    (src / "data" / "a.txt").write_text("a", encoding="utf-8")
    (src / "nb.ipynb").write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret", encoding="utf-8")
    (src / "leak.txt").symlink_to(secret)
    (src / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(src / "pipe")
    copied = copy_regular_tree(src, tmp_path / "copy")
    assert sorted(copied) == ["data/a.txt", "nb.ipynb"]
    names = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*"))
    assert names == ["data", "data/a.txt", "nb.ipynb"]


def test_reference_copy_is_read_only_and_hash_checked(tmp_path: Path) -> None:
    source = tmp_path / "reference" / "s01"
    (source / "ds" / "_truth").mkdir(parents=True)
    (source / "ds" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (source / "ds" / "_truth" / "dgp.json").write_text("{}", encoding="utf-8")
    refs = ReferenceCopies()
    try:
        copy = refs.get(source)
        assert copy is not None and copy != source and refs.get(source) == copy
        assert copy.name == "s01"  # the worker matches the folder name to the student
        assert (copy / "ds" / "t.csv").read_text(encoding="utf-8") == "a\n1\n"
        assert not os.access(copy / "ds", os.W_OK) or os.geteuid() == 0
        assert (copy / "ds" / "t.csv").stat().st_mode & 0o222 == 0
        assert refs.verify(source) == []
        (source / "ds" / "t.csv").write_text("a\n2\n", encoding="utf-8")
        problems = refs.verify(source)
        assert len(problems) == 1 and "原始参考数据" in problems[0]
        shared = tmp_path / "reference" / "_shared"
        shared.mkdir()
        (shared / "ds").symlink_to(source / "ds", target_is_directory=True)
        assert refs.verify(shared) == []  # not copied yet: nothing to check
        shared_copy = refs.get(shared)
        assert shared_copy is not None and not (shared_copy / "ds").is_symlink()
        assert refs.verify(shared) == [] and refs.get(shared) == shared_copy
        assert refs.get(tmp_path / "missing") == tmp_path / "missing"
        assert refs.verify(None) == []
    finally:
        refs.close()
    assert not refs.base.exists()


def test_bwrap_profile_hides_the_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "top-secret")
    monkeypatch.setenv("JIANLAB_REFERENCE_DIR", str(tmp_path / "ref"))
    mounts = isolation.SandboxMounts(tmp_path / "w", tmp_path / "ipc")
    cmd = isolation.bwrap_command(mounts, ["true"])
    text = " ".join(cmd)
    assert "top-secret" not in text and "JIANLAB_COURSE_SECRET" not in text
    # no reference copy and no `_truth/`: hidden tests and instructor cells read them outside
    assert "JIANLAB_REFERENCE_DIR" not in text and str(tmp_path / "ref") not in text
    for flag in ("--unshare-pid", "--unshare-net", "--die-with-parent", "--new-session"):
        assert flag in cmd
    assert "--clearenv" in cmd and "/home/student/w" in cmd
    binds = {cmd[i + 2] for i, a in enumerate(cmd) if a in ("--bind", "--ro-bind")}
    assert str(Path.home()) not in binds and "/" not in binds and "/etc" not in binds
    assert isolation.probe()[0]


def test_every_sandbox_process_dies_with_it(tmp_path: Path) -> None:
    work, ipc = tmp_path / "w", tmp_path / "ipc"
    for path in (work, ipc):
        path.mkdir()
        if isolation.running_as_root():
            os.chown(path, isolation.host_uid(), isolation.host_uid())
    script = "setsid sleep 60 & (sleep 60 &) ; sleep 60"
    limits = ["--mem-mb=256", "--cpu-s=30", "--fsize-mb=1", "--nproc=32"]
    inner = isolation.launcher_command(limits, ["/bin/sh", "-c", script])
    proc = subprocess.Popen(isolation.bwrap_command(isolation.SandboxMounts(work, ipc), inner))
    try:
        deadline = time.monotonic() + 20
        while len(sandbox_procs.survivors(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        members = [p.pid for p in sandbox_procs.sandbox_members(proc.pid)[0]]
        assert len(sandbox_procs.survivors(proc.pid)) == 3
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while [pid for pid in members if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in members if _running(pid)]


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; only its parent's reaping is pending)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


@pytest.mark.integration
def test_refuses_without_sandbox_and_marks_unsafe_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_course(tmp_path / "course", LAB_SOURCE, ["s01"], "secret-x")
    submit(root, "lab00-ref", "s01", {})
    monkeypatch.setattr(isolation, "probe", lambda: (False, "未找到 bwrap（测试模拟）"))
    args = ["autograde", "--course", str(root), "--lab", "lab00-ref", "--workers", "1"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2
    assert "--unsafe-no-sandbox" in refused.output and "拒绝评分" in refused.output
    assert not status_path(root, "lab00-ref", "s01").exists()
    done = CliRunner().invoke(app, [*args, "--unsafe-no-sandbox"])
    assert done.exit_code == 0, done.output
    status = SubmissionStatus.read(status_path(root, "lab00-ref", "s01"))
    assert status is not None and UNSAFE_FLAG in status.flags
    exported = CliRunner().invoke(app, ["export", "--course", str(root)])
    assert exported.exit_code == 0, exported.output
    table = pd.read_csv(root / "exports" / "grades.csv", encoding="utf-8-sig")
    assert "未隔离评分" in table.loc[0, COLUMN]


def test_submission_files_cannot_shadow_the_launcher(tmp_path: Path) -> None:
    """A `resource.py` in the folder must not run while the launcher still holds privileges;
    the kernel itself still imports the folder's own modules."""
    work, ipc = tmp_path / "w", tmp_path / "ipc"
    for path in (work, ipc):
        path.mkdir()
    (work / "resource.py").write_text("raise SystemExit(7)\n", encoding="utf-8")
    (work / "helper.py").write_text("import os\nprint('uid', os.getuid())\n", encoding="utf-8")
    if isolation.running_as_root():
        for path in (work, ipc):
            os.chown(path, isolation.host_uid(), isolation.host_uid())
    limits = ["--mem-mb=1024", "--cpu-s=30", "--fsize-mb=1", "--nproc=32"]
    inner = isolation.launcher_command(limits, [sys.executable, "-m", "helper"])
    cmd = isolation.bwrap_command(isolation.SandboxMounts(work, ipc), inner)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("uid ") and done.stdout.split()[1] != "0"


@pytest.mark.parametrize(
    ("version", "root", "present", "absent"),
    [
        ((0, 8, 0), False, ["--size", "--unshare-user", "--disable-userns"], ["--cap-add"]),
        ((0, 6, 1), False, ["--unshare-user"], ["--size", "--disable-userns"]),
        ((0, 8, 0), True, ["--cap-add", "CAP_SETUID"], ["--unshare-user", "--uid"]),
    ],
)
def test_profile_follows_bwrap_version_and_user(
    monkeypatch: pytest.MonkeyPatch,
    version: tuple[int, ...],
    root: bool,
    present: list[str],
    absent: list[str],
) -> None:
    monkeypatch.setattr(isolation, "bwrap_version", lambda: version)
    monkeypatch.setattr(isolation, "running_as_root", lambda: root)
    cmd = isolation.bwrap_command(isolation.SandboxMounts(Path("/w/lab"), Path("/i")), ["true"])
    assert all(flag in cmd for flag in present) and not [f for f in absent if f in cmd]


def test_scratch_of_a_killed_worker_is_removed() -> None:
    box = KernelBox(SandboxLimits())
    other = KernelBox(SandboxLimits())
    assert box.scratch.name.startswith(f"jianlab-kernel-{os.getpid()}-")
    remove_scratch(os.getpid() + 1_000_000)  # another worker's pid: nothing of ours goes
    assert box.scratch.exists() and other.scratch.exists()
    remove_scratch(os.getpid())
    assert not box.scratch.exists() and not other.scratch.exists()


BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}: pass\n"


@pytest.mark.parametrize(
    ("burn_s", "reap", "low", "high"),
    [(0.4, False, 0.35, 5.0), (0.4, True, 0.35, 5.0), (0.0, False, 0.0, 1.0)],
)
def test_tree_cpu_counts_live_and_reaped_descendants(
    burn_s: float, reap: bool, low: float, high: float
) -> None:
    """A child that burnt CPU counts whether it is still alive (its own ticks) or already
    reaped (its parent's children ticks); an idle child adds next to nothing."""
    before = sandbox_procs.tree_cpu_seconds(os.getpid())
    code = BURN.format(s=burn_s) + ("" if reap else "print('done', flush=True)\ntime.sleep(30)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        if reap:
            proc.wait()
        else:
            assert proc.stdout is not None and proc.stdout.readline() == "done\n"
        used = sandbox_procs.tree_cpu_seconds(os.getpid()) - before
    finally:
        proc.kill()
        proc.wait()
    # the interpreter's own start-up adds a little CPU on top of the burn
    assert low <= used <= high, used


def test_tree_cpu_of_a_gone_process_is_zero() -> None:
    proc = subprocess.Popen(["true"])
    proc.wait()
    assert sandbox_procs.tree_cpu_seconds(proc.pid) == 0.0


def test_sandbox_cpu_is_read_before_it_ends(tmp_path: Path) -> None:
    """bwrap leaves its pid namespace's init to the host's init, so once the sandbox is killed
    its CPU time never reaches the grader: the box reads it while the sandbox still runs."""
    work, ipc = tmp_path / "w", tmp_path / "ipc"
    for path in (work, ipc):
        path.mkdir()
        if isolation.running_as_root():
            os.chown(path, isolation.host_uid(), isolation.host_uid())
    code = BURN.format(s=0.5) + "print('done', flush=True)\ntime.sleep(60)"
    limits = ["--mem-mb=256", "--cpu-s=30", "--fsize-mb=1", "--nproc=32"]
    inner = isolation.launcher_command(limits, [sys.executable, "-c", code])
    cmd = isolation.bwrap_command(isolation.SandboxMounts(work, ipc), inner)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    box = KernelBox(SandboxLimits())
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "done\n"
        box.note_survivors(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        box.finish()
    assert 0.45 <= box.cpu_seconds <= 10, box.cpu_seconds
    assert not [f for f in box.flags if "后台进程" in f]
    unsafe = KernelBox(SandboxLimits(isolate=False))
    unsafe.note_survivors(os.getpid())  # no sandbox: its kernel is reaped and counted directly
    unsafe.finish()
    assert unsafe.cpu_seconds == 0.0
