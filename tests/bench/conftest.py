"""基准测试的公共设施：`bench_figures` 记录测得的数字，在 `make bench` 结束时统一打印。

Benchmarks assert their targets, but the numbers themselves belong in the closing notes, so
they are collected here rather than lost in captured output. Each figure is also printed the
moment it is measured and appended to `build/bench/results.jsonl` with the time and the load
average, so a long run that is stopped halfway still leaves what it measured.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import pytest
from rich.cells import cell_len

from jianlab.specs import REPO_ROOT

Figure = tuple[str, float, str]
Recorder = Callable[[str, float, str], None]
FIGURES = pytest.StashKey[list[Figure]]()
RESULTS = REPO_ROOT / "build" / "bench" / "results.jsonl"


def _figures(config: pytest.Config) -> list[Figure]:
    return config.stash.setdefault(FIGURES, [])


@pytest.fixture
def bench_figures(request: pytest.FixtureRequest) -> Recorder:
    """Call `bench_figures("说明", value, "单位")` to report one measured figure."""
    figures = _figures(request.config)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")

    def record(label: str, value: float, unit: str) -> None:
        figures.append((label, value, unit))
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "test": request.node.nodeid,
            "label": label,
            "value": value,
            "unit": unit,
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if reporter is not None:
            reporter.write_line(f"\n[基准] {label}：{value:,.3f} {unit}（负载 {entry['loadavg']}）")

    return record


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    figures = _figures(config)
    if not figures:
        return
    terminalreporter.section("基准测得的数字")
    width = max(cell_len(label) for label, _, _ in figures)
    for label, value, unit in figures:
        padding = " " * (width - cell_len(label))
        terminalreporter.write_line(f"{label}{padding}  {value:>12,.3f} {unit}")
