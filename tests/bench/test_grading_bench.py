"""Benchmark: `jianlab grade autograde` against serial `nbgrader autograde`, same submissions.

Target (docs/performance.md): at most 0.6× nbgrader's wall time on 2 cores with 60 submissions
of the real lab, with every kernel in its bubblewrap sandbox. `JIANLAB_BENCH_N` lowers the count
for a quick look. Each time is printed and appended to build/bench/results.jsonl as soon as it
is measured (tests/bench/conftest.py); both graders' exports must agree.

Wall time on a shared machine depends on everyone else's load, so both sides' process-tree CPU
time is recorded too: nbgrader's from its reaped children; jianlab's from its reaped children
plus the sandboxes' own, which each status carries (bwrap orphans its init, so that time never
reaches the grader's child accounting).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from grading_course import LAB, MODES, bench_course

from jianlab.grading import courseroot
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.status import SubmissionStatus, status_path

Recorder = Callable[[str, float, str], None]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _record_statuses(root: Path, n: int, bench_figures: Recorder) -> float:
    """Per-submission wall and CPU seconds (overall and by answer mode); returns the sandboxes'
    CPU seconds, which the grader's own child accounting never sees."""
    statuses = [SubmissionStatus.read(status_path(root, LAB, f"b{i:03d}")) for i in range(n)]
    assert all(s is not None for s in statuses)
    rows = pd.DataFrame(
        [(MODES[i % 3], s.seconds, s.cpu_s, s.kernel_cpu_s) for i, s in enumerate(statuses) if s],
        columns=["mode", "seconds", "cpu_s", "kernel_cpu_s"],
    )
    for label, part in [("全部", rows), *rows.groupby("mode")]:
        bench_figures(f"jianlab 每份提交评分进程墙钟（{label}）", part["seconds"].mean(), "秒")
        bench_figures(f"jianlab 每份提交 CPU 时间（{label}）", part["cpu_s"].mean(), "秒")
    bench_figures("jianlab 每份提交沙箱内核 CPU 时间", rows["kernel_cpu_s"].mean(), "秒")
    return float(rows["kernel_cpu_s"].sum())


@pytest.mark.bench
def test_parallel_autograde_beats_serial_nbgrader(tmp_path: Path, bench_figures: Recorder) -> None:
    n = int(os.environ.get("JIANLAB_BENCH_N", "60"))
    ours = bench_course(tmp_path / "ours", n)
    theirs = tmp_path / "theirs"
    shutil.copytree(ours, theirs, symlinks=True)
    (theirs / courseroot.CONFIG_NAME).write_text(courseroot.config_text(theirs, "bench"), "utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    # Plain `nbgrader autograde` has no scheduler to point the hidden tests at the grader's
    # reference data; without it lab01's q7 cannot find `_truth/` and scores 0 for everyone.
    env[REFERENCE_ENV] = str((theirs / "instructor" / LAB / "reference" / "_shared").resolve())

    # jianlab first: it pays the cold caches, and if a run must be stopped while nbgrader is
    # still going, the time nbgrader has used so far already bounds the ratio from above.
    start, cpu = time.monotonic(), _children_cpu()
    cli = [sys.executable, "-c", "from jianlab.cli.grade import app; app()"]
    subprocess.run(
        [*cli, "autograde", "--course", str(ours), "--lab", LAB], check=True, capture_output=True
    )
    parallel = time.monotonic() - start
    label = f"jianlab grade autograde 并行（{n} 份提交，{os.cpu_count()} 进程，沙箱隔离）"
    bench_figures(label, parallel, "秒")
    ours_cpu = _children_cpu() - cpu + _record_statuses(ours, n, bench_figures)
    bench_figures("jianlab 进程树 CPU 时间（含沙箱）", ours_cpu, "秒")

    start, cpu = time.monotonic(), _children_cpu()
    subprocess.run(
        ["nbgrader", "autograde", LAB], cwd=theirs, env=env, check=True, capture_output=True
    )
    serial = time.monotonic() - start
    theirs_cpu = _children_cpu() - cpu
    bench_figures(f"nbgrader autograde 串行（{n} 份提交）", serial, "秒")
    bench_figures("nbgrader 每份提交墙钟", serial / n, "秒")
    bench_figures("nbgrader 进程树 CPU 时间", theirs_cpu, "秒")
    bench_figures("jianlab ÷ nbgrader 墙钟", parallel / serial, "倍")
    bench_figures("jianlab ÷ nbgrader CPU 时间", ours_cpu / theirs_cpu, "倍")

    for root in (ours, theirs):
        subprocess.run([*cli, "export", "--course", str(root)], check=True, capture_output=True)
    a = pd.read_csv(ours / "exports" / "grades.csv", encoding="utf-8-sig")
    b = pd.read_csv(theirs / "exports" / "grades.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(a, b)
    assert parallel <= 0.6 * serial
