"""`jianlab review …`: run the rule catalog over a dataset; write findings, grades, report.

The engine (DuckDB, pyarrow, the catalog) is imported inside the command, so that
`jianlab --help` and the other command groups do not pay for it."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    import pyarrow as pa

app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich")
console = Console()
err = Console(stderr=True)


def _outputs(out: Path) -> tuple[Path, Path, Path]:
    stem = out.with_suffix("") if out.suffix == ".parquet" else out
    findings = out if out.suffix == ".parquet" else out.with_name(out.name + ".parquet")
    return findings, stem.with_name(stem.name + "_grades.parquet"), stem.with_suffix(".md")


def _write_atomically(files: dict[Path, bytes | pa.Table]) -> None:
    """Write every output to a temp file beside its target, then rename all; on failure none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in files.items():
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(fd)
            staged.append((Path(name), target))
            if isinstance(content, pa.Table):
                pq.write_table(content, name, compression="zstd")
            else:
                Path(name).write_bytes(content)
        for path, target in staged:
            os.replace(path, target)
    finally:
        for path, _ in staged:
            path.unlink(missing_ok=True)


@app.command(
    "run",
    help="按规则目录评查数据集〈目录〉，写出发现（Parquet）、评查等级（Parquet）与中文报告（.md）。",
)
def run_command(
    directory: Annotated[Path, typer.Argument(help="数据集目录（criminal 或 enforcement）")],
    out: Annotated[Path, typer.Option("--out", help="发现文件路径（.parquet），同名 .md 为报告")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="数据截止日 YYYY-MM-DD（缺省：datapackage.json 的 as_of_date 或数据最晚日期）",
        ),
    ] = None,
    threads: Annotated[int | None, typer.Option("--threads", help="DuckDB 线程数")] = None,
    report_limit: Annotated[
        int, typer.Option("--report-limit", help="报告中每个优先组最多列出的发现条数")
    ] = 50,
) -> None:
    try:
        cutoff = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        err.print(f"[bold red]错误：[/]--as-of “{as_of}”不是 YYYY-MM-DD 日期")
        raise typer.Exit(code=2) from None
    if not out.parent.is_dir():
        err.print(f"[bold red]错误：[/]输出目录不存在：{out.parent}")
        raise typer.Exit(code=2)
    from review import ReviewInputError, load_catalog, run_review
    from review.report import render_report

    catalog = load_catalog()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("读取数据集", total=len(catalog.rules))

        def step(rule_id: str, title: str) -> None:
            bar.update(task, description=f"规则 {rule_id} {title}", advance=1)

        try:
            result = run_review(directory, as_of=cutoff, catalog=catalog, progress=step,
                                threads=threads)  # fmt: skip
        except ReviewInputError as exc:
            err.print(f"[bold red]错误：[/]{exc}")
            raise typer.Exit(code=2) from None
        bar.update(task, total=bar.tasks[0].completed, description="写出结果")
    findings_path, grades_path, report_path = _outputs(out)
    report = render_report(result, catalog, limit=report_limit)
    _write_atomically({
        findings_path: result.findings_table,
        grades_path: result.grades,
        report_path: report.encode("utf-8"),
    })  # fmt: skip
    counts = result.findings["kind"].value_counts()
    console.print(
        f"已评查 {result.grades.num_rows} 件案件：违规 {counts.get('violation', 0)} 条"
        f"（计入等级），监督线索 {counts.get('lead', 0)} 条，"
        f"考核节点 {counts.get('benchmark', 0)} 条："
        f"{findings_path}、{grades_path}、{report_path}"
    )
