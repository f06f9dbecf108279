"""Where one submission's grading time goes, sandboxed and not (docs/performance.md).

Six lab01 submissions (complete, partial, blank twice) are graded in this process by the same
function a grading worker runs, each once with the bubblewrap sandbox and once without,
alternately, so load changes on a shared machine hit both alike; both with single-threaded BLAS,
so only the sandbox differs. Reported: mean wall seconds per phase and mean process-tree CPU
seconds per submission. Asserted: the sandbox costs no more CPU per submission than the plain
path (it skips the kernel's graceful teardown, which pays for bwrap and the audit hook).
"""

from __future__ import annotations

import os
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from grading_course import LAB, bench_course
from grading_phases import PhaseClock

from jianlab.grading import courseroot, isolation, worker
from jianlab.grading.autograde import SINGLE_THREAD, reference_dir
from jianlab.grading.kernelbox import ROOT_ENV
from jianlab.grading.refcopy import ReferenceCopies
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.sandbox import ENV_VAR, SandboxLimits

Recorder = Callable[[str, float, str], None]
MODES = {"沙箱": SandboxLimits().to_env(), "无沙箱": None}


@pytest.mark.bench
def test_grading_phases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bench_figures: Recorder
) -> None:
    root = bench_course(tmp_path / "course", 6)
    for name in SINGLE_THREAD:
        monkeypatch.setenv(name, "1")
    monkeypatch.setenv(ROOT_ENV, str(root))
    courseroot.ensure_tools_on_path()
    isolation.ensure_bytecode()
    isolation.ensure_font_cache()
    clock = PhaseClock()
    clock.install(monkeypatch)
    refs = ReferenceCopies()
    phases: dict[str, list[dict[str, float]]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    try:
        monkeypatch.setenv(REFERENCE_ENV, str(refs.get(reference_dir(root, LAB, "b000"))))
        worker.grade(root, LAB, "b000")  # warm-up: the verdict server's imports, page cache
        clock.take()
        for student in sorted(p.name for p in (root / "submitted").iterdir()):
            for mode, limits in MODES.items():
                if limits is None:
                    monkeypatch.delenv(ENV_VAR, raising=False)
                else:
                    monkeypatch.setenv(ENV_VAR, limits)
                status = worker.grade(root, LAB, student)
                tally = clock.take()
                tally["其他（nbgrader 转换、读写笔记本等）"] = status.seconds - sum(tally.values())
                tally["合计"] = status.seconds
                phases[mode].append(tally)
                cpu[mode].append(status.cpu_s)
                assert (status.kernel_cpu_s > 0) == (limits is not None), status
    finally:
        refs.close()
    for mode, tallies in phases.items():
        for label in tallies[0]:
            mean = statistics.fmean(t.get(label, 0.0) for t in tallies)
            bench_figures(f"{mode}：{label}（每份墙钟）", mean, "秒")
        bench_figures(f"{mode}：进程树 CPU 时间（每份）", statistics.fmean(cpu[mode]), "秒")
    bench_figures("负载（1 分钟平均）", os.getloadavg()[0], "")
    sandboxed, plain = statistics.median(cpu["沙箱"]), statistics.median(cpu["无沙箱"])
    assert sandboxed <= 1.1 * plain + 0.2, (cpu["沙箱"], cpu["无沙箱"])
