"""Reading YAML into strict models. ``StrictModel`` is the base every configuration model uses;
``validate`` turns pydantic's errors into one Chinese ``ConfigError`` (or the caller's subclass)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from configkit.errors import ConfigError, describe_errors

M = TypeVar("M", bound=BaseModel)


class StrictModel(BaseModel):
    """Unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


def validate(data: Any, model: type[M], where: str, error: type[Exception] = ConfigError) -> M:
    """``model`` validated from ``data``; ``error(message)`` naming ``where`` and each key path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(describe_errors(model, exc, where)) from exc


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; a configuration must say it once."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"键 {key} 重复出现（第 {line} 行）", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, error: type[Exception] = ConfigError) -> Any:
    """Parsed YAML of ``path``; a Chinese ``error`` for unreadable files, syntax errors and
    repeated keys (with the line) instead of a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}：文件不存在") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path} 不是 UTF-8 编码的文本（第 {exc.start} 字节）") from exc
    except OSError as exc:
        raise error(f"无法读取 {path}：{exc.strerror or exc}") from exc
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, where: str, error: type[Exception] = ConfigError) -> Any:
    """YAML text read from ``where`` (a file name for the message)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark is not None else "某处"
        raise error(f"{where} 不是有效的 YAML（{line}：{getattr(exc, 'problem', exc)}）") from exc
