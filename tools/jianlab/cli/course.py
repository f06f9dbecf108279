"""`jianlab course`：从 courses/<id>/course.yaml 构建 nbgrader 课程根目录。"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jianlab.course.roster import read_roster
from jianlab.labs.datasets import DatasetError
from jianlab.labs.models import SpecError, load_course_spec
from jianlab.labs.paths import courses_dir

app = typer.Typer(
    help="课程：构建 nbgrader 课程根目录（源文件、发布版、每位学生的数据、成绩库）。",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)
DEFAULT_WORKERS = os.cpu_count() or 1


@app.callback()
def _group() -> None:
    """Keep `course` a command group even while it has a single subcommand."""


def _course_file(course: str) -> Path:
    as_path = Path(course)
    if as_path.is_file():
        return as_path
    if as_path.is_dir():
        return as_path / "course.yaml"
    return courses_dir() / course / "course.yaml"


@app.command(
    "build",
    help="按 course.yaml 构建课程根目录；"
    "--roster 用 CSV 名单（学号,姓,名,邮箱）替换 yaml 中的名单。",
)
def build_command(
    course: Annotated[
        str, typer.Argument(help="课程 id（courses/<id>/course.yaml）或 course.yaml 路径")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="输出的课程根目录（之后在此目录启动 jupyter lab）")
    ],
    roster: Annotated[
        Path | None, typer.Option("--roster", help="名单 CSV（UTF-8，可带 BOM）")
    ] = None,
    labs_root: Annotated[
        Path | None, typer.Option("--labs-dir", help="实验目录（默认：仓库的 labs/）")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="并行生成学生数据的进程数")
    ] = DEFAULT_WORKERS,
    force: Annotated[
        bool, typer.Option("--force", help="输出目录已存在时重建（覆盖成绩库）")
    ] = False,
) -> None:
    from jianlab.course.build import BuildOptions, build_course  # imports nbgrader: seconds

    try:
        spec = load_course_spec(_course_file(course))
        if roster is not None:
            spec = spec.model_copy(update={"roster": read_roster(roster)})
        if not os.environ.get(spec.secret_env):
            err.print(
                f"[yellow]提示：未设置环境变量 {spec.secret_env}；使用课程目录中已有的密钥，"
                "或新生成一个并保存在 instructor/course_secret（仅教师可读）。[/yellow]"
            )
        with console.status("正在构建课程…") as status:
            root = build_course(
                spec,
                out,
                BuildOptions(labs_root=labs_root, workers=workers, force=force),
                on_step=lambda msg: status.update(msg),
            )
    except (SpecError, DatasetError) as exc:
        err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(code=2) from exc
    console.print(f"[green]已构建课程[/green] {spec.title}（{spec.term}）→ {root}")
    console.print(f"学生 {len(spec.roster)} 人，实验 {len(spec.labs)} 个。")
    console.print(
        f"打开方式：cd {root} && jupyter lab（必须在课程根目录启动，formgrader 才能工作）"
    )
