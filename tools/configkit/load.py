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


def read_yaml(path: Path, error: type[Exception] = ConfigError) -> Any:
    """Parsed YAML of ``path``; a Chinese ``error`` for unreadable files and syntax errors (with
    the line) instead of a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}：文件不存在") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path} 不是 UTF-8 编码的文本（第 {exc.start} 字节）") from exc
    except OSError as exc:
        raise error(f"无法读取 {path}：{exc.strerror or exc}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark is not None else "某处"
        raise error(f"{path} 不是有效的 YAML（{line}：{getattr(exc, 'problem', exc)}）") from exc
