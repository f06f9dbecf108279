"""Enforcement DGP parameters: the shipped YAML deep-merged with a scenario, validated against the
strict model of params_model.py (unknown keys refused with the closest valid key), then checked
for the invariants the generator relies on (shares that sum to one, known years)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from configkit import validate
from legal import ZHONGBEN, threshold
from synthgen.criminal.params import ParamError, _read_yaml, deep_merge, default_params_dict
from synthgen.enforcement.margins import month_days
from synthgen.enforcement.params_model import EnforcementParamsModel


@dataclass(frozen=True)
class EnforcementParams:
    data: dict[str, Any]

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.data["years"]]

    @property
    def data_end(self) -> np.datetime64:
        return np.datetime64(str(self.data["data_end_date"]), "D")

    @property
    def province_weights(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in self.data["province_weights"].items()}

    def volume(self, year: int) -> float:
        return float(self.data["volumes"]["first_enforcement"][year]["value"])

    def rate(self, rule: str) -> float:
        return float(self.data["violations"][rule]["rate"])

    def closing_shares(self) -> dict[str, float]:
        return {k: float(v["value"]) for k, v in self.data["closing"]["shares"].items()}

    def digest(self) -> str:
        text = json.dumps(self.data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _check(data: dict[str, Any]) -> None:
    shares = [float(v["value"]) for v in data["closing"]["shares"].values()]
    if abs(sum(shares) - 1.0) > 1e-6:
        raise ParamError(f"closing.shares 之和须为 1（现为 {sum(shares):.4f}）")
    for rule, spec in data["violations"].items():
        if rule == "source":
            continue
        if not 0.0 <= float(spec["rate"]) <= 1.0:
            raise ParamError(f"violations.{rule}.rate 须在 0 与 1 之间（现为 {spec['rate']}）")
    # a compliant 终本 needs more than the legal minimum time (终本规定第一条第（四）项)
    floor = int(data["closing"]["duration"][ZHONGBEN]["floor"])
    least = month_days(float(threshold("zhongben_min_months"))) + 3
    if floor < least:
        raise ParamError(
            f"closing.duration.{ZHONGBEN}.floor（{floor} 日）须不少于 {least} 日："
            "合规的终本须立案已超过 legal/enforcement.yaml 的 zhongben_min_months"
        )
    end = np.datetime64(str(data["data_end_date"]), "D")
    if end < np.datetime64(f"{max(data['years'])}-12-31"):
        raise ParamError(f"data_end_date（{end}）不得早于最后一个年度的年末")


def load_enforcement_params(
    scenario: Path | None = None, years: list[int] | None = None
) -> EnforcementParams:
    text = resources.files("synthgen").joinpath("enforcement/params.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    where = "synthgen/enforcement/params.yaml"
    if scenario is not None:
        data = deep_merge(data, _read_yaml(scenario))
        where = f"{where}（与情景文件 {scenario} 合并后）"
    validate(data, EnforcementParamsModel, where, error=ParamError)
    data["volumes"]["first_enforcement"] = {
        int(k): v for k, v in data["volumes"]["first_enforcement"].items()
    }
    if years is not None:
        known = sorted(data["volumes"]["first_enforcement"])
        unknown = sorted(set(years) - set(known))
        if unknown:
            raise ParamError(f"年份 {unknown} 没有执行案件量参数；可用年份：{known}")
        data["years"] = sorted(years)
    data.setdefault("province_weights", default_params_dict()["provinces"]["weights"])
    _check(data)
    return EnforcementParams(data)
