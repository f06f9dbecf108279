"""The simulation runner against known answers: a z-interval's coverage is 0.95 and its
power is statsmodels' analytic power, within the Monte Carlo error the runner reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower

from research import Scenario, run_replicates, run_study, summarize

N_OBS = 25


def _z_interval(scenario: Scenario, rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean of N_OBS draws from N(truth, 1), known-variance 95% interval."""
    x = rng.normal(scenario.truth, 1.0, N_OBS)
    half = 1.959964 / np.sqrt(N_OBS)
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


@pytest.mark.parametrize("truth", [0.0, 0.3, 0.6])
def test_coverage_and_power_match_theory(truth: float) -> None:
    n_sims = 2000
    out = run_study(_z_interval, [Scenario(f"d={truth}", truth)], n_sims=n_sims, seed=11)
    row = out.iloc[0]
    assert abs(row["coverage"] - 0.95) < 4 * row["coverage_mcse"]
    expected_power = (
        0.05
        if truth == 0
        else NormalIndPower().power(effect_size=truth, nobs1=N_OBS, alpha=0.05, ratio=0.0)
    )  # ratio = 0: statsmodels' one-sample z test
    assert abs(row["power"] - expected_power) < 4 * max(row["power_mcse"], 0.005)
    assert abs(row["bias"]) < 4 * row["bias_mcse"]
    assert row["emp_se"] == pytest.approx(1 / np.sqrt(N_OBS), rel=0.08)


def test_monte_carlo_errors_follow_morris_et_al() -> None:
    reps = pd.DataFrame(
        {"scenario": "s", "rep": range(4), "truth": 1.0, "estimate": [0.5, 1.0, 1.5, 2.0],
         "ci_low": [0.0, 0.8, 1.2, -0.1], "ci_high": [0.9, 1.1, 2.0, 0.2]}
    )  # fmt: skip
    row = summarize(reps).loc["s"]
    sd = np.std([0.5, 1.0, 1.5, 2.0], ddof=1)
    assert row["bias"] == pytest.approx(0.25)
    assert row["bias_mcse"] == pytest.approx(sd / 2)
    assert row["emp_se_mcse"] == pytest.approx(sd / np.sqrt(6))
    assert row["coverage"] == pytest.approx(0.25)  # only the second interval holds 1.0
    assert row["coverage_mcse"] == pytest.approx(np.sqrt(0.25 * 0.75 / 4))
    assert row["power"] == pytest.approx(0.5)  # first and third exclude 0


def test_failed_fits_are_counted_not_averaged() -> None:
    def flaky(s: Scenario, rng: np.random.Generator) -> tuple[float, float, float]:
        est = rng.normal()
        return (np.nan, np.nan, np.nan) if est > 1 else (est, est - 2, est + 2)

    row = run_study(flaky, [Scenario("s", 0.0)], n_sims=300, seed=1).iloc[0]
    assert 0 < row["failures"] < 100
    assert row["n_sim"] + row["failures"] == 300


def test_reproducible_and_independent_of_other_scenarios() -> None:
    a = run_replicates(_z_interval, [Scenario("x", 0.2)], 50, seed=5)
    b = run_replicates(_z_interval, [Scenario("x", 0.2), Scenario("y", 0.0)], 50, seed=5)
    assert a.equals(b[b["scenario"] == "x"].reset_index(drop=True))
    c = run_replicates(_z_interval, [Scenario("x", 0.2)], 50, seed=6)
    assert not a["estimate"].equals(c["estimate"])


@pytest.mark.parametrize(
    ("scenarios", "n_sims", "message"),
    [([Scenario("a", 0.0)], 1, "至少需要 2 次"),
     ([Scenario("a", 0.0), Scenario("a", 1.0)], 10, "唯一")],
)  # fmt: skip
def test_invalid_studies_are_refused(scenarios: list[Scenario], n_sims: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_replicates(_z_interval, scenarios, n_sims, seed=1)


def test_normal_quantile_constant() -> None:
    assert stats.norm.ppf(0.975) == pytest.approx(1.959964, abs=1e-6)
