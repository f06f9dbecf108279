"""`jianlab` 命令行入口：把各子命令组挂到一个 typer 应用上。

Each sub-app lives in its own module and only parses options; the work is done by plain
functions in the packages, so tests and notebooks can call them without the CLI.
"""

from __future__ import annotations

import typer

from jianlab.cli import zh as cli_zh
from jianlab.cli.course import app as course_app
from jianlab.cli.data import app as data_app
from jianlab.cli.desensitize import app as desensitize_app
from jianlab.cli.grade import app as grade_app
from jianlab.cli.hub import hub_command
from jianlab.cli.labs import app as labs_app
from jianlab.cli.review import app as review_app
from jianlab.doctor import doctor_command

# click and typer print their own strings (help, usage, errors, type names): Chinese, once, here.
cli_zh.install()

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
app.add_typer(
    desensitize_app, name="desensitize", help="脱敏：文本、整个数据集、残留扫描、重识别风险。"
)
app.add_typer(
    review_app, name="review", help="案件质量评查：按规则目录检查数据集，输出发现与评查等级。"
)

app.add_typer(labs_app, name="labs", help="实验：构建、静态检查、完整检查（CI 关卡）。")
app.add_typer(
    course_app,
    name="course",
    help="课程：构建与更新课程、发放与收取作业、返还反馈、归档、修复测试后重评。",
)
app.command(
    "hub", help="为一门课写好并启动 JupyterHub：登录方式、nbgrader 交换区、教师的评分服务。"
)(hub_command)
app.add_typer(grade_app, name="grade", help="评分：并行沙箱自动评分、反馈、导出、试题分析。")


def main() -> None:
    app()
