"""基准测试的公共设施：`bench_figures` 记录测得的数字，在 `make bench` 结束时统一打印。

Benchmarks assert their targets, but the numbers themselves belong in the closing notes, so
they are collected here rather than lost in captured output.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.cells import cell_len

Figure = tuple[str, float, str]
Recorder = Callable[[str, float, str], None]
FIGURES = pytest.StashKey[list[Figure]]()


def _figures(config: pytest.Config) -> list[Figure]:
    return config.stash.setdefault(FIGURES, [])


@pytest.fixture
def bench_figures(request: pytest.FixtureRequest) -> Recorder:
    """Call `bench_figures("说明", value, "单位")` to report one measured figure."""
    figures = _figures(request.config)

    def record(label: str, value: float, unit: str) -> None:
        figures.append((label, value, unit))

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
