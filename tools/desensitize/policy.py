"""Policies as validated YAML: which recognizers run, entity → operator, table handling and the
release checks. Shipped: ``teaching`` (default), ``court`` (法释〔2016〕19号), ``research``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from configkit import parse_yaml, validate
from desensitize.errors import DesensitizeError
from desensitize.operators.registry import get_operator
from desensitize.recognizers.registry import RECOGNIZERS

SHIPPED = ("teaching", "court", "research")


class OperatorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    operator: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("operator")
    @classmethod
    def _known(cls, v: str) -> str:
        try:
            get_operator(v)
        except KeyError as exc:
            raise ValueError(str(exc).strip("'")) from None
        return v

    def model_post_init(self, __context: Any) -> None:
        get_operator(self.operator).validate(self.params)


class TablePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_columns: Literal["keep", "pseudonym"] = "keep"
    date_shift: bool = False
    max_shift_weeks: int = Field(8, ge=1, le=520)
    columns: dict[str, OperatorConfig] = Field(default_factory=dict)
    sample_rows: int = Field(200, ge=10)


class RiskPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    k: int = Field(5, ge=1)
    l: int = Field(2, ge=1)  # noqa: E741
    max_prosecutor_risk: float = Field(0.2, gt=0, le=1)
    quasi_identifiers: dict[str, list[str]] = Field(default_factory=dict)
    sensitive: dict[str, str] = Field(default_factory=dict)
    generalize_to_k: bool = False


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str
    threshold: float = Field(0.5, ge=0, le=1)
    recognizers: list[str] = Field(default_factory=lambda: list(RECOGNIZERS))
    protect_officials: bool = True
    entities: dict[str, OperatorConfig]
    default: OperatorConfig = OperatorConfig(operator="redact")
    tables: TablePolicy = Field(default_factory=lambda: TablePolicy.model_validate({}))
    risk: RiskPolicy = Field(default_factory=lambda: RiskPolicy.model_validate({}))

    @field_validator("recognizers")
    @classmethod
    def _known_recognizers(cls, v: list[str]) -> list[str]:
        unknown = [n for n in v if n not in RECOGNIZERS]
        if unknown:
            raise ValueError(f"未知识别器：{', '.join(unknown)}")
        return v

    def operator_for(self, entity: str) -> OperatorConfig:
        return self.entities.get(entity, self.default)


class PolicyError(DesensitizeError):
    pass


def load_policy(name_or_path: str | Path = "teaching") -> Policy:
    """A shipped policy by name, or a YAML file path; errors name the file and the field."""
    if isinstance(name_or_path, str) and name_or_path in SHIPPED:
        return _shipped(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise PolicyError(
            f"找不到策略 {name_or_path}：可用内置策略 {', '.join(SHIPPED)}，或给出 YAML 文件路径"
        )
    return _parse(path.read_text(encoding="utf-8"), str(path))


@cache
def _shipped(name: str) -> Policy:
    text = (
        resources.files("desensitize").joinpath(f"policies/{name}.yaml").read_text(encoding="utf-8")
    )
    return _parse(text, f"policies/{name}.yaml")


def _parse(text: str, where: str) -> Policy:
    raw = parse_yaml(text, f"策略文件 {where}", error=PolicyError)
    return validate(raw, Policy, f"策略文件 {where}", error=PolicyError)
