"""Wall seconds per phase of grading one submission (not a test module).

The phases are the methods nbgrader, nbclient and jianlab run for them; `PhaseClock.install`
wraps each (through pytest's monkeypatch, so the wrapping ends with the test) and adds its wall
time to the current submission's tally. Used by test_grading_phases.py (docs/performance.md).
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from nbclient.client import NotebookClient
from nbgrader.preprocessors import SaveAutoGrades

from jianlab.grading import worker
from jianlab.grading.execute import SafeExecute
from jianlab.grading.trusted import PrepareTrustedRun, TrustedVerdicts

CHECKS = "提交检查（哈希、锁定单元、篡改扫描）"
START = "启动内核到就绪"
FIRST_CELL = "第一个代码单元（导入与读数据）"
OTHER_CELLS = "其余单元（含导出单元）"
END = "结束内核"
VERDICTS = "隐藏测试（判定服务）"
GRADEBOOK = "写成绩册"
PHASES: list[tuple[Any, str, str]] = [
    (worker, "hash_directory", CHECKS),
    (worker, "check_submission", CHECKS),
    (worker, "scan_notebook", CHECKS),
    (PrepareTrustedRun, "preprocess", CHECKS),
    (NotebookClient, "start_new_kernel", START),
    (NotebookClient, "start_new_kernel_client", START),
    (NotebookClient, "_cleanup_kernel", END),
    (TrustedVerdicts, "preprocess", VERDICTS),
    (SaveAutoGrades, "preprocess", GRADEBOOK),
]


class PhaseClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def take(self) -> dict[str, float]:
        """The tally since the last call (one submission's phases)."""
        tally, self.seconds = dict(self.seconds), defaultdict(float)
        return tally

    def _timed(self, fn: Callable[..., Any], label: Callable[..., str]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label(*args, **kwargs)] += time.perf_counter() - start

        return timed

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for owner, name, label in PHASES:
            fixed = functools.partial(lambda text, *_a, **_k: text, label)
            monkeypatch.setattr(owner, name, self._timed(getattr(owner, name), fixed))

        def cell_label(client: SafeExecute, _cell: Any, index: int, **_: Any) -> str:
            code = [i for i, c in enumerate(client.nb.cells) if c.cell_type == "code"]
            return FIRST_CELL if code and index == code[0] else OTHER_CELLS

        monkeypatch.setattr(
            SafeExecute, "execute_cell", self._timed(SafeExecute.execute_cell, cell_label)
        )
