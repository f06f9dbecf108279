"""Every command's --help, and typical usage errors, in Chinese: no English left over from typer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
import typer.main
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.cli.zh import translate_error, type_label

# Literal values a user types or reads as names (formats, products, choices, enum values);
# everything else in ASCII letters must not appear in help.
TERMS_TEXT = """
jianlab nbgrader jupyter JupyterLab JupyterHub Jupyter formgrader Lab
CSV XLSX YAML HTML UTF BOM CPU MB CI DGP Parquet DuckDB Dask LocalCluster
Word docx md txt json ipynb jupytext yaml csv xlsx parquet tar gz zip html id
Canvas Moodle sha YYYY MM DD bubblewrap
local dask auto single hive teaching court research criminal enforcement system dummy
"""  # the last line: values of options written out in help texts
TERMS = set(TERMS_TEXT.split())
CLICK_ENGLISH = (
    "Show this message",
    "Usage:",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "<bool>",
    "<int",
    "<float",
    "<str>",
    "<text>",
    "<path>",
    "Options",
    "Arguments",
    "Commands",
    "[default",
    "[required]",
)
LITERAL = re.compile(r"[/.<>=\-_`'\[\]{}@:]")  # paths, options, files, ranges, placeholders


def commands() -> Iterator[list[str]]:
    def walk(cmd: click.Command, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


COMMANDS = list(commands())
NAMES = {name for path in COMMANDS for name in path}


def english_words(text: str) -> set[str]:
    words: set[str] = set()
    for chunk in re.split(r"[\s，。；：、（）()│╭╮╰╯─*]+", text):
        if not chunk or LITERAL.search(chunk):
            continue
        words |= set(re.findall(r"[A-Za-z]{2,}", chunk))
    return words - TERMS - NAMES


def test_every_command_is_reached() -> None:
    assert len(COMMANDS) > 25 and ["course", "release"] in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "jianlab")
def test_help_is_chinese(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert not [s for s in CLICK_ENGLISH if s in out], out
    assert "用法：" in out and "显示本帮助并退出。" in out
    assert english_words(out) == set(), out
    usage = next(line for line in out.splitlines() if "用法：" in line)
    for placeholder in re.findall(r"〈[^〉]+〉", usage):
        assert out.count(placeholder) >= 2, (placeholder, out)  # in the usage and the panel


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["grade", "autograde", "--course", ".", "--lab", "x", "--workers", "0"], "应不小于 1"),
        (["grade", "autograde", "--course", ".", "--lab", "x", "--workers", "a"], "应为整数"),
        (["grade", "autograde", "--lab", "x"], "缺少选项 '--course'"),
        (["grade", "autograd"], "是否想输入 'autograde'"),
        (["course", "build", "x", "--out", ".", "--bogus"], "没有选项：--bogus"),
        (["course", "build"], "缺少参数"),
    ],
)
def test_usage_errors_are_chinese(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert expected in result.output and "错误" in result.output, result.output
    assert english_words(result.output) == set(), result.output


@pytest.mark.parametrize(
    ("shown", "label"),
    [
        ("<bool>", "<开关>"),
        ("<int range>", "<整数范围>"),
        ("<float range>", "<数值范围>"),
        ("<list[str]>", "<文本列表>"),
        ("<csv|xlsx>", "<csv|xlsx>"),
        (None, None),
    ],
)
def test_type_labels(shown: str | None, label: str | None) -> None:
    assert type_label(shown) == label


@pytest.mark.parametrize(
    ("message", "chinese"),
    [
        ("Invalid value for '--x': Input should be a valid integer", "'--x' 的取值无效：应为整数"),
        ("Missing option '--course'.", "缺少选项 '--course'。"),
        ("No such option: --bogus", "没有选项：--bogus"),
        ("Got unexpected extra arguments (a b)", "多余的参数（a b）"),
        ("没有命令 'x'。. Did you mean 'y'?", "没有命令 'x'。是否想输入 'y'？"),
    ],
)
def test_translate_error(message: str, chinese: str) -> None:
    assert translate_error(message) == chinese
