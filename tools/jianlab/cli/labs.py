"""`jianlab labs`：实验的构建与检查（CI 关卡）。"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from jianlab.labs.models import SpecError, load_lab_spec
from jianlab.labs.paths import labs_dir

if TYPE_CHECKING:
    from jianlab.course.labcheck import LabCheckResult

app = typer.Typer(help="实验源文件：构建 .ipynb、静态检查、完整检查。", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

LabsArg = Annotated[list[str] | None, typer.Argument(help="实验 id（默认：全部实验）")]
DirOpt = Annotated[Path | None, typer.Option("--labs-dir", help="实验目录（默认：仓库的 labs/）")]


def _select(labs: list[str] | None, root: Path | None) -> list[Path]:
    base = root or labs_dir()
    found = sorted(p for p in base.iterdir() if (p / "lab.yaml").is_file()) if base.is_dir() else []
    if not labs:
        return found
    by_name = {p.name: p for p in found}
    missing = [name for name in labs if name not in by_name]
    if missing:
        err.print(f"[red]错误：{base} 中没有这些实验：{', '.join(missing)}[/red]")
        raise typer.Exit(code=2)
    return [by_name[name] for name in labs]


@app.command("build", help="把 jupytext 源文件构建为 labs/<id>/<id>.ipynb（构建产物，不入库）。")
def build_command(labs: LabsArg = None, labs_root: DirOpt = None) -> None:
    from jianlab.labs.source import build_lab  # nbformat and jupytext: about a second

    for lab_dir in _select(labs, labs_root):
        console.print(f"已构建 {build_lab(lab_dir)}")


@app.command("lint", help="静态检查：标记嵌套、grade_id 唯一、分值合计、nbgrader 元数据。")
def lint_command(labs: LabsArg = None, labs_root: DirOpt = None) -> None:
    from jianlab.labs.lint import lint_notebook  # imports nbgrader: seconds
    from jianlab.labs.source import read_source, source_path

    failed = False
    for lab_dir in _select(labs, labs_root):
        try:
            spec = load_lab_spec(lab_dir / "lab.yaml")
        except SpecError as exc:
            err.print(str(exc))
            failed = True
            continue
        src = source_path(lab_dir)
        issues = lint_notebook(read_source(src), spec)
        for issue in issues:
            err.print(issue.render(src))
        failed = failed or bool(issues)
        if not issues:
            console.print(f"[green]✓[/green] {lab_dir.name}")
    if failed:
        raise typer.Exit(code=2)


def _table(results: list[LabCheckResult]) -> Table:
    table = Table(title="实验检查结果")
    for col in ("实验", "结果", "参考答案得分", "学生版得分", "耗时（秒）"):
        table.add_column(col)
    for r in results:
        mark = "[green]通过[/green]" if r.ok else "[red]未通过[/red]"
        table.add_row(
            r.lab,
            mark,
            f"{r.solution_score:g}/{r.autograded_points:g}",
            f"{r.release_score:g}",
            f"{r.seconds:g}",
        )
    return table


@app.command(
    "check",
    help="完整检查：参考答案满分、学生版自动评分单元全为 0、"
    "发布版无答案和隐藏测试泄露、数据集可用；报告耗时。",
)
def check_command(
    labs: LabsArg = None,
    labs_root: DirOpt = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="并行评分进程数")] = 2,
) -> None:
    from jianlab.course.labcheck import check_lab
    from jianlab.grading.autograde import AutogradeOptions  # imports nbgrader: seconds

    selected = _select(labs, labs_root)
    if not selected:
        err.print("[red]错误：没有找到任何实验（需要 labs/<id>/lab.yaml）[/red]")
        raise typer.Exit(code=2)
    results: list[LabCheckResult] = []
    with console.status("正在检查实验…") as status:
        for lab_dir in selected:
            status.update(f"正在检查 {lab_dir.name}…")
            results.append(check_lab(lab_dir, AutogradeOptions(workers=workers)))
    console.print(_table(results))
    for r in results:
        for warning in r.warnings:
            err.print(f"[yellow]! {r.lab}[/yellow]：{warning}")
        for problem in r.problems:
            err.print(f"[red]✗ {r.lab}[/red]：{problem}")
    if not all(r.ok for r in results):
        raise typer.Exit(code=1)
