"""DGP parameters: the shipped YAML, deep-merged with a researcher's scenario, validated.

A scenario is any YAML subset of ``criminal/params.yaml``. Typical uses:

```yaml
arrest:
  coefficients: {is_local: 0.0}   # no disadvantage for non-local suspects
  group_sd: 0.9                   # twice the procuratorate spread
```

Year intercepts are re-calibrated after the merge (so the published rates still hold) unless the
scenario sets ``calibrate_year_intercepts: false`` and gives ``year_intercepts`` itself.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from synthgen.errors import SynthgenError

COVARIATES = (
    "plea_leniency",
    "compensated_forgiven",
    "is_first_offense",
    "is_juvenile",
    "is_local",
    "minor_offense",
)


class ParamError(SynthgenError):
    """A parameter or scenario file is invalid; the message is Chinese and names the field."""


class Sourced(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    source: str


class CrimeProps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    minor: float = Field(ge=0, le=1)
    group_mean: float = Field(ge=0)
    victim: bool
    arrest_request: float = Field(gt=0)
    first_offense: float = Field(ge=0, le=1)


class DecisionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str
    link: str = "logit"
    group: str = "procuratorate_id"
    group_sd: float = Field(ge=0)
    group_sd_source: str = ""
    coefficients: dict[str, float]
    coefficient_source: str
    calibrate_year_intercepts: bool = True
    calibrate_juvenile: bool = True
    year_intercepts: dict[int, float] = Field(default_factory=dict)
    other_decision_share: Sourced
    reasons: dict[str, Any] | None = None
    types: dict[str, Any] | None = None

    @field_validator("coefficients")
    @classmethod
    def _known_covariates(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(COVARIATES))
        if unknown:
            raise ValueError(f"未知协变量 {unknown}；可用：{list(COVARIATES)}")
        missing = sorted(set(COVARIATES) - set(value))
        if missing:
            raise ValueError(f"缺少协变量系数 {missing}")
        return value


class CriminalParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    years: list[int]
    targets: dict[str, Any]
    volumes: dict[str, dict[int, Sourced]]
    provinces: dict[str, Any]
    procuratorates: dict[str, Any]
    crimes: dict[str, Any]
    suspects: dict[str, Any]
    ethnicity: dict[str, Any]
    arrest: DecisionModel
    prosecution: DecisionModel
    random_effects: dict[str, Sourced]
    timing: dict[str, Any]
    calibration: dict[str, int]

    @model_validator(mode="after")
    def _consistent(self) -> CriminalParams:
        for key in ("non_arrest_rate", "non_prosecution_rate"):
            for year in self.years:
                if year not in self.targets[key]:
                    raise ValueError(f"targets.{key} 缺少 {year} 年的目标值")
        for model in (self.arrest, self.prosecution):
            if not model.calibrate_year_intercepts:
                missing = [y for y in self.years if y not in model.year_intercepts]
                if missing:
                    raise ValueError(
                        f"{model.outcome}：关闭了年度截距校准，但 year_intercepts 缺少 {missing}"
                    )
        props = self.crimes["properties"]
        for crime in [*self.crimes["shares"], self.crimes["other_label"]]:
            if crime not in props:
                raise ValueError(f"crimes.properties 缺少罪名「{crime}」")
            CrimeProps.model_validate(props[crime])
        return self

    def crime_props(self, crime: str) -> CrimeProps:
        return CrimeProps.model_validate(self.crimes["properties"][crime])

    def digest(self) -> str:
        """Stable hash of the parameters, written to the manifest so two builds can be compared."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ParamError(f"情景文件不存在：{path}") from exc
    except yaml.YAMLError as exc:
        raise ParamError(f"情景文件 {path} 不是合法的 YAML：{exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamError(f"情景文件 {path} 的顶层必须是键值映射")
    return data


def default_params_dict() -> dict[str, Any]:
    text = resources.files("synthgen").joinpath("criminal/params.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def load_criminal_params(
    scenario: Path | None = None, years: list[int] | None = None
) -> CriminalParams:
    data = default_params_dict()
    if scenario is not None:
        data = deep_merge(data, _read_yaml(scenario))
    if years is not None:
        unknown = sorted(set(years) - set(data["years"]))
        if unknown:
            raise ParamError(f"年份 {unknown} 没有校准目标；可用年份：{data['years']}")
        data["years"] = sorted(years)
    try:
        return CriminalParams.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ParamError(f"参数无效（{where}）：{first['msg']}") from exc
