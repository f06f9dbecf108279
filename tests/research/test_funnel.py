"""Funnel limits: exact binomial construction, overdispersion against statsmodels' DL estimate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom
from statsmodels.stats.meta_analysis import combine_effects

from research import adjusted_limits, exact_limits, funnel_table, overdispersion


@pytest.mark.parametrize(
    ("theta0", "n", "level", "lower", "upper"),
    [
        # r_p = 0 at small n: the lower limit cannot go below 0, nothing falls under it
        (0.1, 5, 0.95, 0.0, None),
        # at large n the exact limits approach the normal ones
        (
            0.3,
            10_000,
            0.998,
            0.3 - 3.0902 * np.sqrt(0.21 / 10_000),
            0.3 + 3.0902 * np.sqrt(0.21 / 10_000),
        ),
        (0.5, 100, 0.95, None, None),
    ],
)
def test_exact_limits_cases(
    theta0: float, n: int, level: float, lower: float | None, upper: float | None
) -> None:
    low, high = exact_limits(theta0, [n], level)
    if lower is not None:
        assert low[0] == pytest.approx(lower, abs=2e-4)
    if upper is not None:
        assert high[0] == pytest.approx(upper, abs=2e-4)
    assert 0.0 <= low[0] <= theta0 <= high[0] <= 1.0


@given(
    st.floats(min_value=0.02, max_value=0.98),
    st.integers(min_value=1, max_value=3000),
    st.sampled_from([0.95, 0.998]),
)
def test_exact_limit_interpolates_between_attainable_counts(
    theta0: float, n: int, level: float
) -> None:
    """The upper limit lies in [(r−1)/n, r/n] where r is the binomial quantile of its tail."""
    _, high = exact_limits(theta0, [n], level)
    r = binom.ppf(1 - (1 - level) / 2, n, theta0)
    assert (r - 1) / n - 1e-12 <= high[0] <= r / n + 1e-12


@pytest.mark.parametrize(("theta0", "n"), [(-0.1, 10), (1.2, 10), (0.3, 0)])
def test_invalid_limits_are_refused(theta0: float, n: int) -> None:
    with pytest.raises(ValueError):
        exact_limits(theta0, [n])


def test_additive_tau2_equals_dersimonian_laird() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(20, 400, size=60).astype(float)
    p = np.clip(rng.normal(0.3, 0.06, size=60), 0.01, 0.99)
    x = rng.binomial(n.astype(int), p).astype(float)
    theta0 = x.sum() / n.sum()
    over = overdispersion(x, n, theta0, winsor=0.0)
    s2 = theta0 * (1 - theta0) / n
    dl = combine_effects(x / n, s2, method_re="dl")
    assert over.tau2 == pytest.approx(dl.tau2, rel=1e-9)
    assert over.phi == pytest.approx(dl.q / len(n), rel=1e-9)


def test_binomial_units_are_not_overdispersed_and_mixed_units_are() -> None:
    rng = np.random.default_rng(11)
    n = rng.integers(50, 300, size=400)
    plain = rng.binomial(n, 0.2)
    mixed = rng.binomial(n, rng.beta(8, 32, size=400))  # sd of p about 0.06
    # without winsorizing φ̂ estimates 1 under the binomial; winsorizing 10% pulls it below 1
    assert overdispersion(plain, n, 0.2, winsor=0.0).phi == pytest.approx(1.0, abs=0.2)
    assert overdispersion(plain, n, 0.2).phi < 1.0
    assert overdispersion(mixed, n, mixed.sum() / n.sum()).phi > 2.0


def test_funnel_table_flags_and_adjustment_widen() -> None:
    rng = np.random.default_rng(3)
    n = pd.Series(rng.integers(3, 300, size=200))
    x = pd.Series(rng.binomial(n, rng.beta(6, 14, size=200)))
    table, over = funnel_table(x, n)
    assert table.attrs["theta0"] == pytest.approx(x.sum() / n.sum())
    assert over.present and over.phi > 1
    assert table["outside998"].sum() <= table["outside95"].sum()
    assert table["adj_outside95"].sum() <= table["outside95"].sum()
    mult = adjusted_limits(0.3, [50], 0.95, over, "multiplicative")
    add = adjusted_limits(0.3, [50], 0.95, over, "additive")
    _low, high = exact_limits(0.3, [50], 0.95)
    assert mult[1][0] > high[0] - 0.02 and add[1][0] > 0.3
    with pytest.raises(ValueError, match="调整方式"):
        adjusted_limits(0.3, [50], 0.95, over, "quadratic")


def test_zero_size_units_are_dropped_and_degenerate_input_is_nan() -> None:
    table, _ = funnel_table(pd.Series([0, 2, 5]), pd.Series([0, 10, 20]))
    assert len(table) == 2
    assert np.isnan(overdispersion([0], [10], 0.3).phi)
    assert np.isnan(overdispersion([0, 0], [10, 10], 0.0).phi)
