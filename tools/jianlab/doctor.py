"""`jianlab doctor`：运行 `doctor_checks.CHECKS` 中的全部检查，列表显示结果与修复方法。

The registry is read at call time (not at import), so tests and future modules can add or replace
checks without touching this command.
"""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.table import Table

from jianlab import doctor_checks
from jianlab.doctor_checks import CheckResult

PASS_MARK = "[green]✔ 通过[/green]"
FAIL_MARK = "[bold red]✘ 未通过[/bold red]"


def run_checks(hub: bool = False) -> list[CheckResult]:
    checks = list(doctor_checks.CHECKS)
    if hub:
        from jianlab.hub.checks import HUB_CHECKS

        checks += HUB_CHECKS
    return [check.run() for check in checks]


def _results_table(results: list[CheckResult]) -> Table:
    table = Table(title="jianlab 环境检查", title_justify="left", show_lines=False)
    table.add_column("检查项", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("详情", overflow="fold")
    for result in results:
        table.add_row(result.name, PASS_MARK if result.ok else FAIL_MARK, result.detail)
    return table


def _print_fixes(console: Console, failed: list[CheckResult]) -> None:
    """Hints go below the table, unwrapped, so the commands in them can be copied as they are."""
    console.print("\n[bold]如何修复：[/bold]")
    for result in failed:
        console.print(f"• {result.name}：{result.hint}", soft_wrap=True, markup=False)


def doctor_command(
    hub: bool = typer.Option(False, "--hub", help="同时检查 jianlab hub 所需的 JupyterHub 与代理"),
) -> None:
    """检查运行环境：依赖包、中文字体、JupyterLab 扩展、可写路径；有未通过项时退出码为 1。"""
    console = Console()
    started = time.perf_counter()
    with console.status("正在检查运行环境…"):
        results = run_checks(hub)
    elapsed = time.perf_counter() - started
    console.print(_results_table(results))
    failed = [result for result in results if not result.ok]
    summary = f"共 {len(results)} 项，未通过 {len(failed)} 项，用时 {elapsed:.1f} 秒。"
    if failed:
        _print_fixes(console, failed)
        console.print(f"\n[bold red]{summary}[/bold red]")
        raise typer.Exit(code=1)
    console.print(f"\n[green]{summary}环境就绪。[/green]")
