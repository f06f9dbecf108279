"""DGP parameters: the shipped YAML, deep-merged with a researcher's scenario, read into strict
models (``extra="forbid"`` all the way down, through configkit) so that a misspelt key such as
``suspects.male_shar`` is refused with a Chinese message naming the file, the key path and the
closest valid key — a typo must never silently fall back to the default.

A scenario is any YAML subset of ``criminal/params.yaml``. Typical uses:

```yaml
arrest:
  coefficients: {is_local: 0.0}   # no disadvantage for non-local suspects
  group_sd: 0.9                   # twice the procuratorate spread
```

Year intercepts are re-calibrated after the merge (so the published rates still hold) unless the
scenario sets ``calibrate_year_intercepts: false`` and gives ``year_intercepts`` itself. The
models themselves live in ``params_models``; this module reads and merges.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from configkit import read_yaml, validate
from synthgen.criminal.params_models import (
    COVARIATES,
    CrimeProps,
    CriminalParams,
    DecisionModel,
    ParamError,
    Sourced,
)

__all__ = [
    "COVARIATES",
    "CrimeProps",
    "CriminalParams",
    "DecisionModel",
    "ParamError",
    "Sourced",
    "deep_merge",
    "default_params_dict",
    "load_criminal_params",
]


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_scenario(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ParamError(f"情景文件不存在：{path}")
    data = read_yaml(path, error=ParamError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamError(f"情景文件 {path} 的顶层必须是键值映射")
    return data


# the enforcement parameters read their scenario files with the same function
_read_yaml = _read_scenario


def default_params_dict() -> dict[str, Any]:
    text = resources.files("synthgen").joinpath("criminal/params.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def load_criminal_params(
    scenario: Path | None = None, years: list[int] | None = None
) -> CriminalParams:
    data = default_params_dict()
    where = "synthgen/criminal/params.yaml"
    if scenario is not None:
        data = deep_merge(data, _read_scenario(scenario))
        where = f"情景文件 {scenario}（与 synthgen/criminal/params.yaml 合并后）"
    if years is not None:
        unknown = sorted(set(years) - set(data["years"]))
        if unknown:
            raise ParamError(f"年份 {unknown} 没有校准目标；可用年份：{data['years']}")
        data["years"] = sorted(years)
    return validate(data, CriminalParams, where, error=ParamError)
