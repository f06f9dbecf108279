"""Enforcement parameters are strict: a misspelled key in a scenario is refused with a Chinese
message naming the file, the key path and the closest valid key; valid scenarios still merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthgen import load_enforcement_params
from synthgen.criminal.params import ParamError


@pytest.mark.parametrize(
    ("text", "path", "hint"),
    [
        ("violatons:\n  ZB-01: {rate: 0.1, eligible: x}\n", "violatons", "violations"),
        ("search:\n  report_rat: {value: 0.5, source: x}\n", "search.report_rat",
         "search.report_rate"),
        ("zhongben_model:\n  coefficients:\n    intercpt: 1.0\n",
         "zhongben_model.coefficients.intercpt", "zhongben_model.coefficients.intercept"),
    ],
)  # fmt: skip
def test_misspelled_keys_are_refused(tmp_path: Path, text: str, path: str, hint: str) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    with pytest.raises(ParamError) as info:
        load_enforcement_params(scenario)
    message = str(info.value)
    assert str(scenario) in message and path in message and hint in message
    assert "未知的键" in message


@pytest.mark.parametrize(
    "text",
    [
        "violations:\n  ZB-01: {rate: 1.5, eligible: x}\n",
        "search:\n  report_rate: 0.5\n",
        # a compliant 终本 could fall inside the legal three months
        "closing:\n  duration:\n    终结本次执行程序: {median: 150, sigma: 0.35, floor: 90}\n",
    ],
)
def test_bad_values_are_refused(tmp_path: Path, text: str) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    with pytest.raises(ParamError):
        load_enforcement_params(scenario)


def test_valid_scenario_overrides(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("zhongben_model:\n  court_sd: {value: 0.9, source: 测试}\n", "utf-8")
    params = load_enforcement_params(scenario)
    assert params.data["zhongben_model"]["court_sd"]["value"] == 0.9
    assert params.data["zhongben_model"]["coefficients"]["intercept"] == 0.7
