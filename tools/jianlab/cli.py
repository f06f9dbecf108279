"""`jianlab` 命令行入口：把各子命令组挂到一个 typer 应用上。

Each sub-app lives in its own module and only parses options; the work is done by plain
functions in the packages, so tests and notebooks can call them without the CLI.
"""

from __future__ import annotations

import typer

from jianlab.cli_data import app as data_app
from jianlab.doctor import doctor_command

app = typer.Typer(
    name="jianlab",
    help="jianlab：检察学教学与研究数据实验室（合成数据、脱敏、实验与评分）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(
    "doctor", help="检查运行环境：依赖包、中文字体、JupyterLab 扩展、可写路径，并给出修复方法。"
)(doctor_command)
app.add_typer(data_app, name="data", help="合成数据集：列出、生成、校验、校准报告。")


def main() -> None:
    app()
