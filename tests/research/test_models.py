"""Odds ratios, separation, calibration, Kaplan–Meier and Cox helpers against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.duration.survfunc import SurvfuncRight

from research import (
    calibration_table,
    cox_table,
    km_at,
    km_table,
    odds_ratio_table,
    ph_test,
    separation_report,
)


def _logit_data(seed: int = 1, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n)
    b = rng.normal(size=n)
    p = 1 / (1 + np.exp(-(-0.5 + 0.8 * a - 0.4 * b)))
    return pd.DataFrame({"y": rng.binomial(1, p), "a": a, "b": b})


def test_odds_ratios_are_exp_of_statsmodels_coefficients() -> None:
    data = _logit_data()
    fit = smf.logit("y ~ a + b", data).fit(disp=0)
    table = odds_ratio_table(fit, ["a", "b"])
    assert np.allclose(table["odds_ratio"], np.exp(fit.params[["a", "b"]]))
    assert np.allclose(table["or_low"], np.exp(fit.conf_int().loc[["a", "b"], 0]))
    assert table.loc["a", "or_low"] < np.exp(0.8) < table.loc["a", "or_high"]


def test_separation_report_flags_constant_levels_only() -> None:
    frame = pd.DataFrame({"y": [1, 1, 0, 1, 0, 0], "g": ["x", "x", "y", "y", "z", "z"]})
    report = separation_report(frame, "y", ["g"]).set_index("level")
    assert report["separated"].to_dict() == {"x": True, "y": False, "z": True}


def test_calibration_of_a_correct_model_passes_and_a_shifted_one_fails() -> None:
    data = _logit_data(seed=2, n=8000)
    fit = smf.logit("y ~ a + b", data).fit(disp=0)
    table, _stat, p = calibration_table(data["y"], fit.predict(data))
    assert len(table) == 10 and p > 0.01
    _, _, p_bad = calibration_table(data["y"], np.clip(fit.predict(data) + 0.15, 0, 0.99))
    assert p_bad < 1e-6


@pytest.mark.parametrize("censor_share", [0.0, 0.3, 0.9])
def test_km_matches_survfuncright(censor_share: float) -> None:
    rng = np.random.default_rng(5)
    t = rng.exponential(100, 300).round() + 1
    e = (rng.random(300) >= censor_share).astype(int)
    table = km_table(t, e)
    sf = SurvfuncRight(t, e)
    assert np.allclose(table["surv"], sf.surv_prob)
    inner = (table["surv"] > 0) & (table["surv"] < 1)
    assert (table.loc[inner, "lower"] <= table.loc[inner, "surv"]).all()
    assert (table.loc[inner, "surv"] <= table.loc[inner, "upper"]).all()
    at = km_at(t, e, [0, sf.surv_times[0], 1e9])
    assert at[0] == 0.0 and at[1] == pytest.approx(1 - sf.surv_prob[0])


def test_km_without_events_is_zero_incidence() -> None:
    assert km_at([3.0, 5.0], [0, 0], [1, 10]).tolist() == [0.0, 0.0]


def test_km_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        km_table([], [])
    with pytest.raises(ValueError):
        km_table([1, 2], [1, 2])


def test_cox_recovers_a_known_hazard_ratio_and_ph_holds() -> None:
    rng = np.random.default_rng(9)
    x = rng.integers(0, 2, 3000)
    t = rng.exponential(1 / (0.01 * np.exp(0.7 * x)))
    c = rng.exponential(150, 3000)
    data = pd.DataFrame({"t": np.minimum(t, c), "e": (t <= c).astype(int), "x": x})
    result, table = cox_table("t ~ x", data, "e")
    assert table.loc["x", "hr_low"] < np.exp(0.7) < table.loc["x", "hr_high"]
    assert ph_test(result).loc["x", "p"] > 0.001
