"""nbgrader's Execute, hardened: a dead kernel fails the remaining cells, not the submission.

nbgrader aborts the whole notebook when the kernel dies (os._exit, memory kill), so a student
would lose the points earned before the crash and the class run would log a failure. Here the
remaining cells get an error output instead and grading continues. The kernel itself starts
through `jianlab.grading.sandbox` when limits are set in the environment.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

from jianlab.grading.sandbox import SandboxLimits

KERNEL_DIED = "内核已终止（可能调用了 os._exit、超出内存或 CPU 时间限制），本单元及之后的单元未执行"


class SandboxedKernelManager(AsyncKernelManager):
    """Prefix the kernel command with the sandbox launcher; use IPC so no TCP port is needed."""

    def __init__(self, **kwargs: Any) -> None:
        limits = SandboxLimits.from_env()
        if limits is not None and limits.no_network:
            # An absolute socket prefix: the kernel runs in the notebook's folder, the client not.
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(), f"jl-{uuid.uuid4().hex}"))
        super().__init__(**kwargs)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        limits = SandboxLimits.from_env()
        if limits is None:
            return cmd
        return [sys.executable, "-m", "jianlab.grading.sandbox", *limits.to_args(), "--", *cmd]


def _error_output(evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename="DeadKernelError", evalue=evalue, traceback=[evalue]
    )


class SafeExecute(Execute):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        self._kernel_dead = False

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        if self._kernel_dead:
            if cell.cell_type == "code":
                cell.outputs = [_error_output(KERNEL_DIED)]
            return cell
        try:
            return await super().async_execute_cell(
                cell, cell_index, execution_count=execution_count, store_history=store_history
            )
        except DeadKernelError:
            self._kernel_dead = True
            cell.outputs = [*cell.get("outputs", []), _error_output(KERNEL_DIED)]
            return cell

    # nbclient binds the sync wrapper to its own coroutine at class creation; rebind to ours.
    execute_cell = run_sync(async_execute_cell)
