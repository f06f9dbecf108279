"""`jianlab grade`：并行沙箱自动评分、无泄露反馈、成绩导出、试题分析。

The grading modules import nbgrader, pandas and matplotlib (seconds); they are imported inside
each command so that `jianlab --help` and the other command groups start at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jianlab.labs.policy import LatePolicy

if TYPE_CHECKING:
    from jianlab.grading.status import SubmissionStatus
    from jianlab.labs.models import CourseSpec

app = typer.Typer(help="评分：自动评分、反馈、导出、试题分析。", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

CourseOpt = Annotated[
    Path, typer.Option("--course", help="课程根目录（jianlab course build 的输出）")
]
LabOpt = Annotated[str, typer.Option("--lab", help="实验 id")]
DEFAULT_WORKERS = os.cpu_count() or 1


def _check_root(course: Path, lab: str | None = None) -> Path:
    from jianlab.grading import courseroot

    if not (course / courseroot.CONFIG_NAME).is_file():
        err.print(f"[red]错误：{course} 不是课程根目录（缺少 {courseroot.CONFIG_NAME}）[/red]")
        raise typer.Exit(code=2)
    if lab is not None and not (course / "release" / lab).is_dir():
        err.print(f"[red]错误：课程 {course} 中没有实验 {lab}（缺少 release/{lab}）[/red]")
        raise typer.Exit(code=2)
    return course.resolve()


def _status_table(statuses: list[SubmissionStatus]) -> Table:
    table = Table(title="自动评分结果")
    for col in ("学号", "得分", "耗时（秒）", "标记"):
        table.add_column(col)
    for s in statuses:
        flags = "；".join(s.flags) if s.flags else "—"
        table.add_row(s.student, f"{sum(s.scores.values()):g}", f"{s.seconds:g}", flags)
    return table


@app.command(
    "autograde",
    help="并行自动评分一个实验的全部提交；每份提交在 bubblewrap 沙箱中运行（限时限内存、断网、"
    "只见自己的文件）；可中断后续跑。",
)
def autograde_command(
    course: CourseOpt,
    lab: LabOpt,
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", min=1, help="并行进程数（默认：CPU 核数）"
    ),
    timeout: float = typer.Option(300.0, "--timeout", min=1, help="每份提交的总时限（秒）"),
    cell_timeout: int = typer.Option(60, "--cell-timeout", min=1, help="每个单元的时限（秒）"),
    memory_mb: int = typer.Option(4096, "--memory-mb", min=256, help="每个内核的内存上限（MB）"),
    force: bool = typer.Option(False, "--force", help="重新评分已评过且未改动的提交"),
    unsafe: bool = typer.Option(
        False,
        "--unsafe-no-sandbox",
        help="沙箱不可用时仍然评分（学生代码不隔离，导出中标记为“未隔离评分”）",
    ),
) -> None:
    from jianlab.grading.autograde import (
        AutogradeOptions,
        IsolationUnavailable,
        autograde_lab,
        pending,
    )
    from jianlab.grading.sandbox import SandboxLimits

    root = _check_root(course, lab)
    limits = SandboxLimits(mem_mb=memory_mb, cpu_s=int(timeout) + 30, isolate=not unsafe)
    opts = AutogradeOptions(workers, timeout, cell_timeout, limits, force)
    todo, done = pending(root, lab, force)
    if not todo and not done:
        err.print(f"[red]错误：{root}/submitted/*/{lab} 下没有任何提交[/red]")
        raise typer.Exit(code=2)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"评分 {lab}（跳过已评 {len(done)} 份）", total=len(todo))
        try:
            statuses = autograde_lab(root, lab, opts, on_done=lambda _s: progress.advance(task))
        except IsolationUnavailable as exc:
            progress.stop()
            err.print(f"[red]错误：{exc}[/red]", markup=True, highlight=False)
            raise typer.Exit(code=2) from exc
    if unsafe:
        err.print(
            "[yellow]警告：本次评分未隔离学生代码（--unsafe-no-sandbox），已在成绩中标记。[/yellow]"
        )
    console.print(_status_table(statuses))
    flagged = [s for s in statuses if s.flags]
    if flagged:
        console.print(f"[yellow]有 {len(flagged)} 份提交被标记，请人工复核。[/yellow]")


@app.command(
    "feedback",
    help="为每位学生生成 HTML 反馈：不含隐藏测试代码、期望值或隐藏测试的报错行；"
    "截止之后附“真值对照”（该生的估计与其数据的真值并列，在评分端可信环境中计算）。",
)
def feedback_command(
    course: CourseOpt,
    lab: LabOpt,
    truth_before_due: bool = typer.Option(
        False,
        "--truth-before-due",
        help="截止前也生成“真值对照”（仅供教师测试或演示，这样的反馈页不要返还给学生）",
    ),
    workers: int = typer.Option(
        DEFAULT_WORKERS, "--workers", min=1, help="同时运行的真值对照内核数（默认：CPU 核数）"
    ),
) -> None:
    from jianlab.grading.feedback import generate_feedback
    from jianlab.grading.truth_release import for_course

    root = _check_root(course, lab)
    release = for_course(root, lab, course_spec(root), override=truth_before_due)
    style = "yellow" if truth_before_due or not release.include else "green"
    console.print(f"[{style}]{release.message}[/{style}]")
    notes: list[str] = []
    with console.status("正在生成反馈…"):
        pages, problems = generate_feedback(
            root, lab, truth=release.include, notes=notes, workers=workers
        )
    for note in notes:
        console.print(f"[yellow]{note}[/yellow]")
    for problem in problems:
        err.print(f"[red]✗ {problem}[/red]")
    console.print(f"已生成 {len(pages)} 份反馈：{root / 'feedback'}")
    if problems:
        raise typer.Exit(code=1)


@app.command("export", help="导出成绩：每位学生一行、每道题一列；CSV 为带 BOM 的 UTF-8，或 XLSX。")
def export_command(
    course: CourseOpt,
    fmt: Annotated[str, typer.Option("--format", help="csv 或 xlsx")] = "csv",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出文件（默认：课程目录/exports/grades.<格式>）"),
    ] = None,
) -> None:
    from jianlab.grading.export import wide_table, write_export

    root = _check_root(course)
    if fmt not in ("csv", "xlsx"):
        err.print(f"[red]错误：--format 只能是 csv 或 xlsx，收到 {fmt!r}[/red]")
        raise typer.Exit(code=2)
    table = wide_table(root, course_spec(root))
    path = write_export(table, out or root / "exports" / f"grades.{fmt}", fmt)
    console.print(f"已导出成绩：{path}")
    console.print("空白单元格表示尚无成绩（见各实验的“状态”列），0 表示确实得 0 分。")


def course_spec(root: Path) -> CourseSpec | None:
    from jianlab.course.build import read_manifest
    from jianlab.labs.models import SpecError

    try:
        return read_manifest(root)
    except SpecError:
        return None


@app.command(
    "report",
    help="试题分析与提交状态：各题得分分布图（中文标签）、难度与区分度表、各状态人数；"
    "--html 生成整个课程的 HTML 成绩看板。",
)
def report_command(
    course: CourseOpt,
    lab: Annotated[str | None, typer.Option("--lab", help="实验 id（不加 --html 时必填）")] = None,
    html: Annotated[
        bool, typer.Option("--html", help="生成课程成绩看板 reports/index.html")
    ] = False,
) -> None:
    if lab is None and not html:
        err.print("[red]错误：请用 --lab 指定实验，或加 --html 生成整个课程的看板[/red]")
        raise typer.Exit(code=2)
    root = _check_root(course, lab)
    if lab is not None:
        _lab_report(root, lab)
    if html:
        from jianlab.grading.dashboard import render_dashboard

        with console.status("正在生成成绩看板…"):
            page = render_dashboard(root, course_spec(root), root / "reports" / "index.html")
        console.print(f"成绩看板：{page}")


def _lab_report(root: Path, lab: str) -> None:
    from jianlab.grading.report import item_analysis, plot_distributions
    from jianlab.grading.standing import standing_table

    table = item_analysis(root, lab)
    out_dir = root / "reports" / lab
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "item_analysis.csv"
    tmp = csv_path.with_name(f".{csv_path.name}.tmp")
    table.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(csv_path)
    figure = plot_distributions(root, lab, out_dir / "score_distributions.png")
    rich_table = Table(title=f"{lab} 试题分析")
    for col in table.columns:
        rich_table.add_column(str(col))
    for row in table.itertuples(index=False):
        rich_table.add_row(*("—" if isinstance(v, float) and v != v else f"{v}" for v in row))
    console.print(rich_table)
    spec = course_spec(root)
    standing = standing_table(root, spec.late_policy if spec else LatePolicy())
    counts = standing[standing["lab"] == lab]["statuses"].explode().value_counts()
    console.print("提交状态：" + "，".join(f"{s} {n} 人" for s, n in counts.items()))
    console.print(f"表：{csv_path}\n图：{figure}")
