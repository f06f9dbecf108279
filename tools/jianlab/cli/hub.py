"""`jianlab hub`：为一门课写好并启动 JupyterHub（登录、nbgrader 交换区、教师的评分服务）。"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jianlab.labs.models import SpecError

console = Console()
err = Console(stderr=True)


def hub_command(
    course: Annotated[Path, typer.Option("--course", help="课程根目录")],
    instructor: Annotated[str, typer.Option("--instructor", help="教师的账户名（管理员）")],
    auth: Annotated[
        str,
        typer.Option(
            "--auth",
            help="登录方式：system（系统用户，默认）、dummy（试用），或认证类的完整名称",
        ),
    ] = "system",
    password: Annotated[
        str | None, typer.Option("--password", help="dummy 登录方式的共享口令")
    ] = None,
    ip: Annotated[str, typer.Option("--ip", help="监听地址")] = "0.0.0.0",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    write_only: Annotated[
        bool, typer.Option("--write-only", help="只写配置，不启动 JupyterHub")
    ] = False,
) -> None:
    """写 <课程>/hub/jupyterhub_config.py 与用户的 Jupyter 配置，然后启动 JupyterHub。"""
    from jianlab.hub.config import HubOptions, harden, write_hub

    root = course.resolve()
    opts = HubOptions(instructor, auth, ip=ip, port=port, password=password)
    try:
        config = write_hub(root, opts)
    except SpecError as exc:
        err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(code=2) from exc
    harden(root)
    console.print(f"[green]已写好 JupyterHub 配置[/green] {config}")
    console.print(f"学生访问 http://<服务器>:{port}/ ；教师评分：/services/formgrader-<课程 id>/")
    if write_only:
        return
    hub = config.parent
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    raise typer.Exit(subprocess.call([str(jupyterhub), "-f", str(config)], cwd=hub))
