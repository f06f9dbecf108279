"""Pydantic validation errors as Chinese sentences a researcher can act on: which file, which key
path, what was wrong, and for an unknown key the closest key the model does accept."""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

# pydantic's error types in Chinese; anything else keeps pydantic's own message.
_MESSAGES = {
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "dict_type": "应为映射（键: 值）",
    "list_type": "应为列表",
    "date_from_datetime_parsing": "应为日期（如 2021-04-01）",
    "date_parsing": "应为日期（如 2021-04-01）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}",
    "finite_number": "应为有限的数",
}


class ConfigError(ValueError):
    """A configuration file or mapping that does not fit its model (Chinese message)."""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, unions, lists, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin is None:
        return []
    args = get_args(annotation)
    if origin in (dict,) or getattr(origin, "__name__", "") in ("Mapping", "MutableMapping"):
        args = args[1:]
    found: list[type[BaseModel]] = []
    for arg in args:
        found.extend(_models_in(arg))
    return found


def _is_container(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_container(a) for a in get_args(annotation))
    return origin in (dict, list, tuple, set, frozenset) or getattr(origin, "__name__", "") in (
        "Mapping",
        "Sequence",
    )


def _field_candidates(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Valid keys of the mapping that holds ``loc[-1]`` (walking the model along ``loc``)."""
    current: list[type[BaseModel]] = [model]
    annotation: Any = None
    for part in loc[:-1]:
        if annotation is not None and _is_container(annotation) and not isinstance(part, str):
            continue
        nxt: list[type[BaseModel]] = []
        for m in current:
            field = m.model_fields.get(str(part))
            if field is not None:
                annotation = field.annotation
                nxt.extend(_models_in(field.annotation))
        if nxt:
            current = nxt
        elif annotation is not None and _is_container(annotation):
            continue
        else:
            return []
    keys: list[str] = []
    for m in current:
        keys.extend(name for name in m.model_fields if name not in keys)
        keys.extend(f.alias for f in m.model_fields.values() if f.alias and f.alias not in keys)
    return keys


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "（顶层）"


def _one(model: type[BaseModel], error: Any) -> str:
    loc = tuple(error.get("loc", ()))
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _field_candidates(model, loc), n=1)
        hint = f"；是否想写 {_path((*loc[:-1], close[0]))}？" if close else ""
        return f"未知的键 {_path(loc)}{hint}"
    if kind == "missing":
        return f"缺少必需的键 {_path(loc)}"
    value = error.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    template = _MESSAGES.get(kind)
    reason = template.format(**(error.get("ctx") or {})) if template else error.get("msg", "")
    return f"键 {_path(loc)} 的值 {shown[:60]} 无效：{reason}"


def describe_errors(model: type[BaseModel], exc: ValidationError, where: str) -> str:
    """All problems of one validation, one line each, prefixed by where the data came from."""
    lines = [_one(model, e) for e in exc.errors()]
    head = f"{where} 不符合要求"
    if len(lines) == 1:
        return f"{head}：{lines[0]}"
    return head + "：\n" + "\n".join(f"  - {line}" for line in lines)
