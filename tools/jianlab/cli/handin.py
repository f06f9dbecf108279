"""`jianlab course release|collect|return|zips|import`：发放作业、收取提交、返还反馈。

Online through nbgrader's exchange (JupyterHub), or offline through an LMS: zips per 学号 out,
a downloaded folder or zip back in. The commands only parse and print; the work is in
`jianlab.course.handin` and `jianlab.course.offline`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from jianlab.labs.models import SpecError

console = Console()
err = Console(stderr=True)

CourseOpt = Annotated[Path, typer.Option("--course", help="课程根目录")]
LabOpt = Annotated[str, typer.Option("--lab", help="实验 id")]


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[red]错误：{exc}[/red]")
    raise typer.Exit(code=2) from exc


def _root(course: Path, lab: str) -> Path:
    root = course.resolve()
    if not (root / "release" / lab).is_dir():
        _fail(SpecError(f"{root}: 没有实验 {lab}（缺少 release/{lab}）"))
    return root


def release_command(course: CourseOpt, lab: LabOpt) -> None:
    from jianlab.course.handin import release

    root = _root(course, lab)
    try:
        result = release(root, lab)
    except SpecError as exc:
        _fail(exc)
    console.print(f"[green]已发布[/green] {lab}：学生可在 JupyterLab 的“Assignments”中取作业。")
    if result.students:
        console.print(f"其中 {len(result.students)} 名学生取作业时会同时得到本人的数据。")


def collect_command(course: CourseOpt, lab: LabOpt) -> None:
    from jianlab.course.handin import collect

    root = _root(course, lab)
    try:
        result = collect(root, lab)
    except SpecError as exc:
        _fail(exc)
    console.print(
        f"[green]已收取[/green] {lab}：{len(result.students)} 份提交 → {root / 'submitted'}"
    )
    if result.late:
        console.print(
            f"迟交（{len(result.late)}）：{'、'.join(result.late)}（按迟交政策在成绩表中扣分）"
        )
    console.print(f"下一步：jianlab grade autograde --course {root} --lab {lab}")


def return_command(course: CourseOpt, lab: LabOpt) -> None:
    from jianlab.course.handin import return_feedback

    root = _root(course, lab)
    with console.status("生成并发放反馈…"):
        result = return_feedback(root, lab)
    for note in result.notes:
        console.print(note)
    for problem in result.problems:
        err.print(f"[red]✗ {problem}[/red]")
    console.print(
        f"[green]已返还反馈[/green] {lab}：{len(result.students)} 名学生，"
        "学生在“Assignments”中点“Fetch Feedback”（获取反馈）查看。"
    )
    if result.problems:
        raise typer.Exit(code=1)


def zips_command(
    course: CourseOpt,
    lab: LabOpt,
    out: Annotated[Path, typer.Option("--out", help="压缩包输出目录")],
) -> None:
    from jianlab.course.offline import handout_zips

    root = _root(course, lab)
    try:
        zips = handout_zips(root, lab, out)
    except SpecError as exc:
        _fail(exc)
    console.print(f"[green]已生成[/green] {len(zips)} 个压缩包（每个学号一个）→ {out}")


def import_command(
    course: CourseOpt,
    lab: LabOpt,
    source: Annotated[
        Path, typer.Argument(help="从学习通、雨课堂、Canvas、Moodle 下载的文件夹或 .zip")
    ],
    when: Annotated[
        str | None,
        typer.Option(
            "--time", help="统一的提交时间，如 2026-12-20T23:00+08:00（默认：文件在下载包中的时间）"
        ),
    ] = None,
) -> None:
    from jianlab.course.offline import import_submissions

    root = _root(course, lab)
    try:
        stamp = dt.datetime.fromisoformat(when) if when else None
        result = import_submissions(root, lab, source, stamp)
    except (SpecError, ValueError) as exc:
        _fail(exc)
    console.print(f"[green]已导入[/green] {len(result.imported)} 份提交 → {root / 'submitted'}")
    for label, items in (
        ("无法对应到学号的文件", result.unmatched),
        ("对应到多个学号的文件", result.ambiguous),
        ("同一学生的多份文件", result.duplicates),
    ):
        if items:
            err.print(f"[yellow]{label}（{len(items)}）：[/yellow]")
            for item in items:
                err.print(f"  {item}")


def workspace_command(
    course: CourseOpt,
    student: Annotated[str, typer.Option("--student", help="学号")],
    out: Annotated[Path, typer.Option("--out", help="学生工作区目录（已有的实验目录保留不动）")],
) -> None:
    from jianlab.course.offline import student_workspace

    try:
        made = student_workspace(course.resolve(), student, out)
    except SpecError as exc:
        _fail(exc)
    console.print(
        f"学生 {student} 的工作区：{out}（新放入 {len(made)} 个实验，不含答案与隐藏测试）"
    )


def register(app: typer.Typer) -> None:
    app.command(
        "workspace", help="学生工作区：把某个学号拿到的全部实验（发布版与本人数据）放到一个目录。"
    )(workspace_command)
    app.command("release", help="通过 nbgrader 交换区发布实验；每位学生取作业时另得本人的数据。")(
        release_command
    )
    app.command("collect", help="从交换区收取每位学生最新的提交（迟交照收并标记）。")(
        collect_command
    )
    app.command("return", help="生成反馈（核对无隐藏测试泄露）并通过交换区返还给学生。")(
        return_command
    )
    app.command("zips", help="离线发放：为每个学号生成一个压缩包（含本人数据），上传到教学平台。")(
        zips_command
    )
    app.command(
        "import",
        help="离线收取：导入教学平台下载的文件夹或压缩包，按文件名对应学号，报告无法对应的文件。",
    )(import_command)
