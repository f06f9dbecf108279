"""`jianlab data …`: list, build, verify and report synthetic datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from jianlab.cli.common import err, fail
from jianlab.specs import load_manifest

app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich")
console = Console()


@app.command("list", help="列出清单中的生成器与命名数据集，以及各自用于教学的内容。")
def list_command() -> None:
    manifest = load_manifest()
    table = Table(title="可生成的数据集", show_lines=True)
    for col in ("名称", "类型", "说明", "教学用途"):
        table.add_column(col, overflow="fold")
    for name, gen in manifest.generators.items():
        status = f"（{gen.status}）" if gen.status else ""
        table.add_row(name, "生成器", gen.title + status, gen.teaches)
    for name, spec in manifest.builds.items():
        detail = f"{spec.title}\nseed={spec.seed} scale={spec.scale} years={spec.years}"
        table.add_row(name, f"构建（{spec.generator}）", detail, spec.teaches)
    console.print(table)


@app.command(
    "build",
    help="生成数据集〈名称〉（criminal、enforcement，或清单中的构建名如 criminal-teaching）。",
)
def build_command(  # noqa: PLR0913 (typer declares each command-line option as a parameter)
    name: Annotated[str, typer.Argument(help="生成器名或构建名")],
    out: Annotated[Path | None, typer.Option("--out", help="输出目录（须为空或不存在）")] = None,
    seed: Annotated[
        str | None, typer.Option("--seed", help="随机种子（0 到 2^63−1 的整数）")
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option("--scale", help="规模：1.0 = 全国一年的案件量（须大于 0，至多 1.0）"),
    ] = None,
    years: Annotated[str | None, typer.Option("--years", help="年份范围，如 2018-2025")] = None,
    provinces: Annotated[
        str | None,
        typer.Option("--provinces", help="只生成这些省份（逗号分隔的两位代码，如 33,44）"),
    ] = None,
    workers: Annotated[str, typer.Option("--workers", help="并行进程数（1–64）")] = "1",
    engine: Annotated[str, typer.Option("--engine", help="local 或 dask")] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask 调度器地址（缺省时启动本机 LocalCluster）"),
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="覆盖 DGP 参数的情景 YAML 文件")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="parquet，或小规模抽样用的 csv / xlsx")
    ] = "parquet",
    layout: Annotated[
        str, typer.Option("--layout", help="auto、single 或 hive（按省份与年份分区）")
    ] = "auto",
    force: Annotated[
        bool,
        typer.Option("--force", help="覆盖已存在的输出目录（只限 jianlab 数据集目录或空目录）"),
    ] = False,
    casefiles: Annotated[
        str | None,
        typer.Option(
            "--casefiles",
            help="enforcement：终本案件中生成电子卷宗的比例（0–1，0 不生成；缺省取参数文件）",
        ),
    ] = None,
) -> None:
    from jianlab.build_checks import OptionError, RawBuild, check_build, with_defaults
    from synthgen import (
        BuildError,
        BuildOptions,
        DatasetError,
        OutputDirError,
        ParamError,
        build_criminal,
        build_enforcement,
    )

    builders = {"criminal": build_criminal, "enforcement": build_enforcement}

    manifest = load_manifest()
    spec = manifest.builds.get(name)
    generator = spec.generator if spec else name
    if generator not in manifest.generators:
        known = sorted([*manifest.generators, *manifest.builds])
        raise fail(f"未知数据集「{name}」；可用：{', '.join(known)}")
    if generator not in builders:
        raise fail(f"生成器「{generator}」尚未实现（{manifest.generators[generator].status}）")
    raw = RawBuild(seed, scale, years, provinces, workers, engine, fmt, layout, casefiles, scenario)
    try:
        checked = check_build(with_defaults(raw, spec, generator), generator)
    except OptionError as exc:
        raise fail(str(exc)) from exc
    if out is None:
        raise fail("请用 --out 指定输出目录")
    year_list = checked.years
    opts = BuildOptions(
        seed=checked.seed, scale=checked.scale, out=out, years=year_list,
        provinces=checked.provinces,
        workers=checked.workers, engine=engine, scheduler=scheduler, scenario=scenario,
        fmt=fmt, layout=layout, force=force, casefiles=checked.casefiles,
        extra_manifest={"build_name": name} if spec else {},
    )  # fmt: skip
    try:
        _run_build(opts, builders[generator])
    except (BuildError, ParamError, DatasetError, OutputDirError) as exc:
        raise fail(str(exc)) from exc
    span = f"年份 {year_list[0]}–{year_list[-1]}" if year_list else "参数文件中的默认年份"
    console.print(f"[green]已生成[/] {out}（seed={opts.seed}，scale={opts.scale}，{span}）")


def _run_build(opts: object, build: object) -> None:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        build(opts, on_progress)  # type: ignore[operator]


@app.command("verify", help="重新计算内容哈希并做模式检查；有任何不符即以非零状态退出。")
def verify_command(
    directory: Annotated[Path, typer.Argument(help="数据集目录")],
) -> None:
    from synthgen import verify_dataset

    if not directory.is_dir():
        raise fail(f"数据集目录不存在：{directory}")
    problems: list[str] = []
    _run_build(directory, lambda d, report: problems.extend(verify_dataset(d, report)))
    if problems:
        for p in problems:
            err.print(f"[red]✗[/] {p}")
        raise fail(f"校验未通过：共 {len(problems)} 处问题", code=1)
    console.print(f"[green]✓ 校验通过[/]：{directory}")


@app.command(
    "report",
    help="校准报告：各年生成的不捕率/不诉率与公布目标对照，并用拟合检验 DGP 系数能否找回。",
)
def report_command(
    directory: Annotated[Path, typer.Argument(help="数据集目录")],
    out: Annotated[
        Path | None, typer.Option("--out", help="报告输出目录（默认〈目录〉/_report）")
    ] = None,
) -> None:
    from synthgen import DatasetError, write_report

    if not directory.is_dir():
        raise fail(f"数据集目录不存在：{directory}")
    try:
        write_report(directory, out or directory / "_report", console=console)
    except DatasetError as exc:
        raise fail(str(exc)) from exc
