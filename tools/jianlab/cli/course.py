"""`jianlab course`：构建与更新课程根目录、归档、修复测试后重新评分。

Commands parse options and print; the work is in `jianlab.course.*` (imported inside each
command: nbgrader takes seconds to import).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from jianlab.cli.handin import register as register_handin
from jianlab.course.roster import load_roster
from jianlab.labs.datasets import DatasetError
from jianlab.labs.models import CourseSpec, SpecError, Student, load_course_spec
from jianlab.labs.paths import courses_dir

if TYPE_CHECKING:
    from jianlab.course.build import BuildOptions

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
    help="按 course.yaml 构建课程根目录；目录已是课程时只增加新学生和新实验，"
    "不动已有的提交、成绩和反馈。--roster 用名单文件（CSV/XLSX）替换 yaml 中的名单。",
)
def build_command(
    course: Annotated[
        str, typer.Argument(help="课程 id（courses/<id>/course.yaml）或 course.yaml 路径")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="输出的课程根目录（之后在此目录运行 `jupyter lab`）")
    ],
    roster: Annotated[
        Path | None, typer.Option("--roster", help="名单 CSV 或 XLSX（教务系统导出的即可）")
    ] = None,
    labs_root: Annotated[
        Path | None, typer.Option("--labs-dir", help="实验目录（默认：仓库的 labs/）")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="并行生成学生数据的进程数")
    ] = DEFAULT_WORKERS,
    force: Annotated[
        bool,
        typer.Option("--force", help="从头重建课程目录；已有学生提交或成绩时拒绝执行"),
    ] = False,
) -> None:
    from jianlab.course.build import BuildOptions, build_course, is_course_root

    try:
        spec = load_course_spec(_course_file(course))
        if roster is not None:
            spec = spec.model_copy(update={"roster": _roster(roster)})
        opts = BuildOptions(labs_root=labs_root, workers=workers, force=force)
        if is_course_root(out.resolve()) and not force:
            _update(spec, out.resolve(), opts)
            return
        if not os.environ.get(spec.secret_env):
            err.print(
                f"[yellow]提示：未设置环境变量 {spec.secret_env}；使用课程目录中已有的密钥，"
                "或新生成一个并保存在 instructor/course_secret（仅教师可读）。[/yellow]"
            )
        with console.status("正在构建课程…") as status:
            root = build_course(spec, out, opts, on_step=lambda msg: status.update(msg))
    except (SpecError, DatasetError) as exc:
        _fail(exc)
    console.print(f"[green]已构建课程[/green] {spec.title}（{spec.term}）→ {root}")
    console.print(f"学生 {len(spec.roster)} 人，实验 {len(spec.labs)} 个。")
    console.print(
        f"打开方式：cd {root} && jupyter lab（必须在课程根目录启动，formgrader 才能工作）"
    )


def _roster(path: Path) -> list[Student]:
    roster = load_roster(path)
    console.print(f"名单 {path}：{len(roster.students)} 名学生")
    if roster.ignored_columns:
        console.print(f"未使用的列：{'、'.join(roster.ignored_columns)}")
    return roster.students


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[red]错误：{exc}[/red]")
    raise typer.Exit(code=2) from exc


def _update(spec: CourseSpec, root: Path, opts: BuildOptions) -> None:
    from jianlab.course.update import update_course

    with console.status("正在更新课程…") as status:
        summary = update_course(spec, root, opts, on_step=lambda msg: status.update(msg))
    console.print(f"[green]已更新课程[/green] {spec.title} → {root}")
    console.print("已有的提交、成绩、反馈均未改动。")
    lines = (
        ("新增学生", summary.new_students),
        ("新增实验", summary.new_labs),
        ("更新截止时间", summary.new_due),
        ("course.yaml 中已没有、但保留在课程中的学生", summary.kept_students),
        ("course.yaml 中已没有、但保留在课程中的实验", summary.kept_labs),
    )
    for label, items in lines:
        if items:
            console.print(f"{label}（{len(items)}）：{'、'.join(items)}")
    if not (summary.new_students or summary.new_labs or summary.new_due):
        console.print("没有需要增加的内容。")


@app.command(
    "archive",
    help="把整个课程目录打包成带日期的 tar.gz（含成绩库、提交、反馈、密钥），"
    "校验后按需删除原目录；需要 --yes 或交互确认。",
)
def archive_command(
    course: Annotated[Path, typer.Option("--course", help="课程根目录")],
    remove: Annotated[
        bool, typer.Option("--remove", help="归档校验通过后删除原课程目录（之后可从头重建）")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="不再询问，直接执行")] = False,
) -> None:
    from jianlab.course.archive import archive_course

    action = "归档并删除" if remove else "归档"
    if not yes and not typer.confirm(f"确认{action}课程目录 {course.resolve()}？", default=False):
        err.print("已取消，未做任何改动。")
        raise typer.Exit(code=1)
    try:
        result = archive_course(course, remove=remove)
    except SpecError as exc:
        _fail(exc)
    console.print(f"[green]已归档[/green] {result.files} 个文件 → {result.archive}")
    if result.removed:
        console.print(f"原课程目录已删除：{course.resolve()}")


@app.command(
    "regrade",
    help="修复测试后重新评分：按实验源文件重建该实验（不重新生成学生数据），"
    "再对全部提交重新自动评分；人工评分与评语保留。",
)
def regrade_command(
    course: Annotated[Path, typer.Option("--course", help="课程根目录")],
    lab: Annotated[str, typer.Option("--lab", help="实验 id")],
    labs_root: Annotated[
        Path | None, typer.Option("--labs-dir", help="实验目录（默认：仓库的 labs/）")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="并行评分进程数")
    ] = DEFAULT_WORKERS,
) -> None:
    from jianlab.course.build import BuildOptions
    from jianlab.course.regrade import regrade
    from jianlab.grading.autograde import AutogradeOptions

    root = course.resolve()
    try:
        with console.status(f"重建实验 {lab} 并重新评分…"):
            statuses = regrade(
                root,
                lab,
                BuildOptions(labs_root=labs_root, workers=workers),
                AutogradeOptions(workers=workers),
            )
    except (SpecError, DatasetError) as exc:
        _fail(exc)
    console.print(f"[green]已重新评分[/green] {lab}：{len(statuses)} 份提交（人工评分保留）")
    for s in statuses:
        flags = "；".join(s.flags) or "—"
        console.print(f"  {s.student}  自动评分 {sum(s.scores.values()):g}  标记：{flags}")


register_handin(app)
