"""Enforcement law as data (``enforcement.yaml``): the instruments rules cite, the periods and
thresholds, and the asset-type labels. The generator plants against these numbers and the rule
catalog takes its statutory parameters from them, so a period is written once (docs/rules.md)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field

from configkit import StrictModel, read_yaml, validate

ENFORCEMENT_FILE = Path(str(resources.files("legal").joinpath("enforcement.yaml")))


class Instrument(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(description="规范性文件全称")
    number: str = Field(description="文号")
    date: str = Field(description="发布或修正日期")


class Threshold(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any = Field(description="数值（或按财产类型的映射）")
    unit: str = Field(description="单位")
    basis: str = Field(description="出处：文件简称、条、款、项；教学选择须写明")


class AssetTypes(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bank: str = Field(description="银行存款")
    vehicle: str = Field(description="机动车")
    estate: str = Field(description="不动产")
    policy: str = Field(description="保险（现金价值）")
    fund: str = Field(description="住房公积金")


class EnforcementLaw(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    instruments: dict[str, Instrument] = Field(description="规则引用的规范性文件，键为简称")
    thresholds: dict[str, Threshold] = Field(description="期限与门槛，键为英文名")
    asset_types: AssetTypes = Field(description="enforcement_actions.asset_type 的取值")

    def value(self, name: str) -> Any:
        return self.thresholds[name].value


@lru_cache(maxsize=1)
def enforcement_law() -> EnforcementLaw:
    return validate(read_yaml(ENFORCEMENT_FILE), EnforcementLaw, str(ENFORCEMENT_FILE))


def threshold(name: str) -> Any:
    """A threshold's value by name; KeyError names the known ones."""
    law = enforcement_law()
    if name not in law.thresholds:
        raise KeyError(f"legal/enforcement.yaml 中没有门槛 {name}；可用：{sorted(law.thresholds)}")
    return law.thresholds[name].value
