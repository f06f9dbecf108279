"""What every command module shares: the stderr console and ``fail``, which prints a Chinese
error and returns the ``typer.Exit`` to raise (exit code 2 for bad input, 1 for a failed check)."""

from __future__ import annotations

import typer
from rich.console import Console

err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{message}", highlight=False)
    return typer.Exit(code=code)
