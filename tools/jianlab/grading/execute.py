"""nbgrader's Execute, hardened: a dead kernel fails the remaining cells, not the submission.

nbgrader aborts the whole notebook when the kernel dies (os._exit, memory kill), so a student
would lose the points earned before the crash and the class run would log a failure. Here the
remaining cells get an error output instead and grading continues. When limits are set in the
environment the kernel starts inside its bubblewrap sandbox (docs/grading-sandbox.md).
"""

from __future__ import annotations

from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

from jianlab.grading.kernelbox import KernelBox
from jianlab.grading.sandbox import SandboxLimits

KERNEL_DIED = "内核已终止（可能调用了 os._exit、超出内存或 CPU 时间限制），本单元及之后的单元未执行"
# Flags of the kernels this process ran since the grader last collected them (one worker
# process grades one submission at a time, so the list belongs to the current submission).
SANDBOX_FLAGS: list[str] = []
# CPU seconds of the sandboxes this process ended since the grader last collected them.
SANDBOX_CPU: list[float] = []


def collect_sandbox_flags() -> list[str]:
    flags = list(dict.fromkeys(SANDBOX_FLAGS))
    SANDBOX_FLAGS.clear()
    return flags


def collect_sandbox_cpu() -> float:
    """CPU seconds the sandboxed kernels of the current submission used (docs/performance.md)."""
    total = sum(SANDBOX_CPU)
    SANDBOX_CPU.clear()
    return total


class SandboxedKernelManager(AsyncKernelManager):
    """Start the kernel inside its sandbox (a `KernelBox`) and talk to it over IPC sockets.

    The sockets and the connection file live in the box's own folder, which is the one place
    both sides see; interrupts travel as control messages because a signal would reach
    bubblewrap, not the kernel.
    """

    def __init__(self, **kwargs: Any) -> None:
        limits = SandboxLimits.from_env()
        self._box = KernelBox(limits) if limits is not None else None
        self._box_finished = False
        if self._box is not None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(self._box.ipc / "kernel"))
            kwargs.setdefault("connection_file", str(self._box.ipc / "kernel.json"))
        super().__init__(**kwargs)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._box is None:
            return cmd, kw
        return self._box.wrap(cmd, kw)

    async def _async_interrupt_kernel(self) -> None:
        if self._box is None or not self.has_kernel:
            await super()._async_interrupt_kernel()
            return
        self._connect_control_socket()
        self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if self._box is not None and self.provisioner is not None:
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                self._box.note_survivors(process.pid)
        try:
            await super()._async_shutdown_kernel(now=now, restart=restart)
        finally:
            if not restart:
                self.finish_box()

    def finish_box(self) -> None:
        """Read the sandbox's report and return its answers once, also when the kernel died (a
        dead kernel is never shut down by nbclient, so the box would keep the answers)."""
        if self._box is not None and not self._box_finished:
            self._box_finished = True
            SANDBOX_FLAGS.extend(self._box.finish())
            SANDBOX_CPU.append(self._box.cpu_seconds)

    interrupt_kernel = _async_interrupt_kernel
    shutdown_kernel = _async_shutdown_kernel


def _error_output(evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename="DeadKernelError", evalue=evalue, traceback=[evalue]
    )


class SafeExecute(Execute):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        if SandboxLimits.from_env() is not None:
            # Once the last cell has replied, everything the grade needs is on disk (exported
            # answers, audit log, survivors counted): kill the sandbox instead of waiting for
            # the kernel to tear down pandas & co. (jupyter_client waited 2.5 s of its 5 s
            # shutdown budget per submission before sending SIGTERM; docs/performance.md).
            kwargs.setdefault("shutdown_kernel", "immediate")
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
            if isinstance(self.km, SandboxedKernelManager):
                self.km.finish_box()
            cell.outputs = [*cell.get("outputs", []), _error_output(KERNEL_DIED)]
            return cell

    # nbclient binds the sync wrapper to its own coroutine at class creation; rebind to ours.
    execute_cell = run_sync(async_execute_cell)
