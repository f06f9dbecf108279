"""环境基础设施的耗时：setup_cjk 首次调用、jianlab doctor 全部检查（各在新进程中计时）。"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from jianlab.specs import REPO_ROOT

pytestmark = pytest.mark.bench
Recorder = Callable[[str, float, str], None]

SETUP_CJK = (
    "import time; t0 = time.process_time(); from jianlab.plotting import setup_cjk; "
    "t1 = time.process_time(); setup_cjk(); t2 = time.process_time(); print(t1 - t0, t2 - t1)"
)
DOCTOR = (
    "import sys; from jianlab.doctor import run_checks; "
    "sys.exit(any(not result.ok for result in run_checks()))"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _python(code: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of a fresh interpreter; CPU is the fair figure on a busy machine."""
    started, cpu_before = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before, done.stdout


def test_setup_cjk_first_call_is_fast(bench_figures: Recorder) -> None:
    _, _, stdout = _python(SETUP_CJK)
    import_seconds, call_seconds = map(float, stdout.split())
    bench_figures("导入 jianlab.plotting（含 matplotlib，CPU）", import_seconds * 1000, "ms")
    bench_figures("setup_cjk() 首次调用（注册字体，CPU）", call_seconds * 1000, "ms")
    assert call_seconds < 0.5


def test_doctor_runs_all_checks_within_ten_seconds(bench_figures: Recorder) -> None:
    wall, cpu, _ = _python(DOCTOR)
    bench_figures("jianlab doctor 全部检查（新进程，墙钟）", wall, "s")
    bench_figures("jianlab doctor 全部检查（新进程，CPU）", cpu, "s")
    assert cpu < 10.0
