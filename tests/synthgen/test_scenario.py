"""A researcher's scenario overrides parameters and the truth file follows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synthgen import (
    BuildError,
    BuildOptions,
    ParamError,
    build_criminal,
    load_criminal_params,
    read_table,
)


def _build(tmp_path: Path, scenario_text: str | None, name: str) -> Path:
    scenario = None
    if scenario_text is not None:
        scenario = tmp_path / f"{name}.yaml"
        scenario.write_text(scenario_text, encoding="utf-8")
    opts = BuildOptions(seed=5, scale=0.002, years=[2021], scenario=scenario, out=tmp_path / name)
    return build_criminal(opts)


def test_scenario_changes_truth_and_effects(tmp_path: Path) -> None:
    base = _build(tmp_path, None, "base")
    alt = _build(
        tmp_path,
        "arrest:\n  coefficients: {is_local: 0.0}\n  group_sd: 0.9\n",
        "alt",
    )
    t_base = json.loads((base / "_truth" / "dgp.json").read_text(encoding="utf-8"))
    t_alt = json.loads((alt / "_truth" / "dgp.json").read_text(encoding="utf-8"))
    assert t_alt["arrest"]["coefficients"]["is_local"] == 0.0
    assert t_alt["arrest"]["group_sd"] == 0.9
    assert t_base["arrest"]["coefficients"]["is_local"] == 0.4
    # intercepts are re-calibrated so the published rate still holds
    assert t_alt["arrest"]["year_intercepts"]["2021"] != t_base["arrest"]["year_intercepts"]["2021"]
    e_base = read_table(base, "_truth/procuratorate_effects").set_index("procuratorate_id")
    e_alt = read_table(alt, "_truth/procuratorate_effects").set_index("procuratorate_id")
    assert np.allclose(e_alt["u_arrest"], e_base["u_arrest"] * 2.0)
    assert np.allclose(e_alt["u_prosecution"], e_base["u_prosecution"])
    # the prosecution model is untouched except through who leaves the funnel after arrest
    # review, which moves its calibrated intercept and juvenile effect only slightly
    pa, pb = t_alt["prosecution"], t_base["prosecution"]
    for name in ("plea_leniency", "compensated_forgiven", "is_first_offense", "is_local"):
        assert pa["coefficients"][name] == pb["coefficients"][name]
    assert abs(pa["year_intercepts"]["2021"] - pb["year_intercepts"]["2021"]) < 0.05


def test_fixed_intercepts_are_used_verbatim(tmp_path: Path) -> None:
    out = _build(
        tmp_path,
        "prosecution:\n  calibrate_year_intercepts: false\n  year_intercepts: {2021: -2.5}\n",
        "fixed",
    )
    truth = json.loads((out / "_truth" / "dgp.json").read_text(encoding="utf-8"))
    assert truth["prosecution"]["year_intercepts"] == {"2021": -2.5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("arrest:\n  coefficients: {shoe_size: 1.0}\n", "未知的键 arrest.coefficients.shoe_size"),
        ("arrest:\n  group_sd: -1\n", "arrest.group_sd"),
        ("prosecution:\n  calibrate_year_intercepts: false\n", "year_intercepts"),
        ("- just\n- a list\n", "顶层必须是键值映射"),
        ("arrest: {coefficients: [1, 2\n", "不是有效的 YAML"),
        # a typo deep in the tree names the file, the key path and the closest valid key
        (
            "suspects:\n  male_shar: 0.5\n",
            r"bad\.yaml.*未知的键 suspects\.male_shar；是否想写 suspects\.male_share",
        ),
        (
            "timing:\n  complex_share: {value: 0.1, sourse: x}\n",
            "是否想写 timing.complex_share.source",
        ),
        (
            "crimes:\n  properties:\n    盗窃: {chapter: 5, minor: 0.5, le_one_year: 0.9}\n",
            "le_one_year 不得大于 minor",
        ),
        ("timing:\n  returned_for_investigation_probs: {0: 0.5, 3: 0.5}\n", "二次为限"),
        ("policies:\n  lenient: {default_adoption: 2020-01-01}\n", "采纳日期早于"),
        ("suspects:\n  male_share: {value: 0.9, source: 建模假设}\n", "suspects.male_share.source"),
    ],
)
def test_bad_scenarios_are_rejected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamError, match=message):
        load_criminal_params(path)


def test_unknown_years_and_provinces(tmp_path: Path) -> None:
    with pytest.raises(ParamError, match="没有校准目标"):
        load_criminal_params(years=[2017])
    with pytest.raises(BuildError, match="未知省级代码"):
        build_criminal(BuildOptions(seed=1, scale=0.01, provinces=["99"], out=tmp_path / "x"))
    assert not (tmp_path / "x").exists()
