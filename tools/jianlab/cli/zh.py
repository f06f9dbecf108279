"""Chinese for the strings typer (and the click it vendors) prints itself: help, usage, errors.

typer calls `gettext.gettext` through a module-level `_` but ships no Chinese catalogue; the
click copy it vendors (`typer._click`) has its English strings in code ("Show this message and
exit.", "Usage: ", "[OPTIONS]", "Invalid value for ..."); option types (`<bool>`, `<int range>`)
and argument names (`{course}`) are rendered from code too. So the translation is installed
where each is produced: `_` in typer's modules, typer's panel constants, the help option, the
usage line, the type/argument display methods and the error messages (regex table). The tables
are data below; tests/jianlab/test_cli_help.py scans every command's --help for English left over.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, cast

import typer._click
import typer.core
import typer.rich_utils as rich_utils

MESSAGES = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已中止！",
    "Aborted.": "已中止。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean.": "{value!r} 不是有效的开关值（true/false）。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在 {choices} 之中。",
    "Do you want to continue?": "是否继续？",
    "Error: invalid input": "错误：输入无效",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否想输入 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(deprecated) ": "（已弃用）",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
}
TYPE_NAMES = {
    "bool": "开关",
    "int": "整数",
    "float": "数",
    "str": "文本",
    "text": "文本",
    "path": "路径",
    "file": "文件",
    "directory": "目录",
    "datetime": "日期时间",
    "int range": "整数范围",
    "float range": "数值范围",
    "list[str]": "文本列表",
    "list[path]": "路径列表",
}
# Argument names as the code spells them → what help and usage lines show.
ARGUMENT_NAMES = {
    "course": "课程",
    "source": "来源",
    "name": "名称",
    "dataset": "数据集",
    "path": "路径",
    "text": "文本",
    "lab": "实验",
    "labs": "实验",
    "file": "文件",
    "files": "文件",
    "input": "输入",
    "inputs": "输入",
    "output": "输出",
    "out": "输出",
    "directory": "目录",
    "target": "目标",
    "generator": "生成器",
    "build": "构建",
    "catalog": "规则目录",
    "rule": "规则",
    "policy": "策略",
    "release": "发布包",
    "original": "原始数据",
    "desensitized": "脱敏数据",
    "data": "数据",
    "in_dir": "输入目录",
    "out_dir": "输出目录",
    "table": "表",
    "dir": "目录",
}
USAGE_PIECES = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
HELP_OPTION = "显示本帮助并退出。"
USAGE_PREFIX = "用法："
# Error messages built with f-strings inside typer: (pattern, replacement), applied in order.
ERRORS = [
    (r"^Invalid value for (.+?): (.*)$", r"\1 的取值无效：\2"),
    (r"^Invalid value: (.*)$", r"取值无效：\1"),
    (r"^Missing option (.+?)\.(.*)$", r"缺少选项 \1。\2"),
    (r"^Missing argument (.+?)\.(.*)$", r"缺少参数 \1。\2"),
    (r"^Missing parameter: (.*)$", r"缺少参数：\1"),
    (r"^No such option: (.*)$", r"没有选项：\1"),
    (r"Did you mean (.+?)\?", r"是否想输入 \1？"),
    (r"\(Possible options: (.+?)\)", r"（可能的选项：\1）"),
    (r"^Got unexpected extra arguments? \((.*)\)$", r"多余的参数（\1）"),
    (r"Value (.+?) is not a valid (.+?)\.", r"\1 不是有效的\2。"),
    (r"(\S+) is not in the range (.+?)\.", r"\1 不在范围 \2 内。"),
    (r"(.+?) is not one of (.+?)\.", r"\1 不在 \2 之中。"),
    (r"^(?:Path|File|Directory) (.+?) does not exist\.", r"路径 \1 不存在。"),
    (r"^(?:Path|File|Directory) (.+?) is a directory\.", r"\1 是目录。"),
    (r"^(?:Path|File|Directory) (.+?) is a file\.", r"\1 是文件。"),
    (r"。\. ", "。"),
    (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
    (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"Input should be less than (\S+)", r"应小于 \1"),
    (r"Input should be a valid integer[^.]*", "应为整数"),
    (r"Input should be a valid number[^.]*", "应为数字"),
    (r"Input should be a valid boolean[^.]*", "应为 true 或 false"),
    (r"Input should be (.+)", r"应为 \1"),
    (r"\binteger\b", "整数"),
    (r"\bfloat\b", "数"),
]
TYPE_TAG = re.compile(r"<([^<>]+)>")


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def type_label(shown: str | None) -> str | None:
    """`<int range>` → `<整数范围>`; choices (`<csv|xlsx>`) and unknown names stay as they are."""
    if shown is None:
        return None
    return TYPE_TAG.sub(lambda m: f"<{TYPE_NAMES.get(m.group(1), m.group(1))}>", shown)


def argument_name(name: str) -> str:
    """`course` → `〈课程〉`: the same token in the usage line, the 参数 panel and help texts."""
    return f"〈{ARGUMENT_NAMES.get(name.lower(), name)}〉"


def _wrap(method: Callable[..., Any], post: Callable[[Any], Any]) -> Callable[..., Any]:
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        return post(method(self, *args, **kwargs))

    return wrapped


def translate_error(message: str) -> str:
    for pattern, replacement in ERRORS:
        message = re.sub(pattern, replacement, message)
    return message


def _patch_gettext() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith("typer") or module is None:
            continue
        if getattr(module, "_", None) is not None and callable(module._):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ntranslate  # type: ignore[attr-defined]


def _patch_rich_constants() -> None:
    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEPRECATED_STRING = "（已弃用）"


def _patch_displays() -> None:
    core = typer.core
    core.TyperOption.display_type = _wrap(core.TyperOption.display_type, type_label)  # type: ignore[method-assign]
    core.TyperArgument.display_type = _wrap(core.TyperArgument.display_type, type_label)  # type: ignore[method-assign]
    original_raw = cast(property, core.TyperArgument.display_name_raw)

    def display_name_raw(self: Any) -> str:
        if self.metavar is not None:
            return str(self.metavar)
        return argument_name(original_raw.fget(self)) if original_raw.fget else str(self.name)

    core.TyperArgument.display_name_raw = property(display_name_raw)  # type: ignore[assignment,method-assign]

    def usage_name(self: Any) -> str:
        """Same name as in the 参数 panel: required bare, optional in brackets (click's style)."""
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"

    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


def _patch_vendored_click() -> None:
    vendored = typer._click
    command = vendored.core.Command

    def collect(pieces: list[str]) -> list[str]:
        return [USAGE_PIECES.get(p, p) for p in pieces]

    command.collect_usage_pieces = _wrap(command.collect_usage_pieces, collect)  # type: ignore[method-assign]
    group = typer.core.TyperGroup
    group.collect_usage_pieces = _wrap(group.collect_usage_pieces, collect)  # type: ignore[method-assign]

    def help_option(option: Any) -> Any:
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = _wrap(command.get_help_option, help_option)  # type: ignore[method-assign]
    formatter = vendored.formatting.HelpFormatter
    write_usage = formatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatter.write_usage = usage  # type: ignore[method-assign]
    base = vendored.exceptions.ClickException.__mro__[1]  # typer's TyperException
    exc: Any
    for exc in (base, *_subclasses(base)):
        if "format_message" in vars(exc):
            exc.format_message = _wrap(vars(exc)["format_message"], translate_error)


def _subclasses(cls: type) -> list[type]:
    out: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


_INSTALLED: list[bool] = []


def install() -> None:
    """Idempotent: the CLI entry point calls it once; tests may import it again."""
    if _INSTALLED:
        return
    _patch_gettext()
    _patch_rich_constants()
    _patch_displays()
    _patch_vendored_click()
    _INSTALLED.append(True)
