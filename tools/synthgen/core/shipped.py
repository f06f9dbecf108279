"""YAML files shipped inside the synthgen package (document templates, forms, codebooks), parsed
once per process. Callers read the parsed data and must not change it: it is shared."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=16)
def shipped_yaml(path: str) -> dict[str, Any]:
    """``path`` relative to the package (``casefiles/templates.yaml``); FileNotFoundError if the
    package has no such file."""
    text = resources.files("synthgen").joinpath(path).read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"synthgen/{path} 的顶层应是映射（键: 值），实际为 {type(data).__name__}")
    return data
