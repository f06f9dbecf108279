"""Rates and intervals against published reference values and statsmodels itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from research import decision_rates, proportion_interval, rate_table

# Newcombe, "Two-sided confidence intervals for the single proportion", Statistics in Medicine
# 17 (1998) 857–872, Table II: method 3 (Wilson score) and method 5 (Clopper–Pearson exact).
NEWCOMBE = [
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0, 0.1611), (0.0, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE)
def test_intervals_match_newcombe_table(x: int, n: int, wilson: tuple, exact: tuple) -> None:
    for method, expected in (("wilson", wilson), ("exact", exact)):
        low, high = proportion_interval(x, n, method=method)
        assert (round(float(low[0]), 4), round(float(high[0]), 4)) == expected


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [(-1, 5, "计数"), (6, 5, "计数"), (1, 5, "方法")],
)
def test_invalid_input_is_refused(x: int, n: int, message: str) -> None:
    method = "wald" if message == "方法" else "wilson"
    with pytest.raises(ValueError, match=message):
        proportion_interval(x, n, method=method)


def test_zero_total_gives_nan_not_zero() -> None:
    table = rate_table(pd.Series([0, 3]), pd.Series([0, 10]))
    assert table.loc[0, ["rate", "wilson_low", "exact_high"]].isna().all()
    assert table.loc[1, "rate"] == pytest.approx(0.3)


@given(st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))  # fmt: skip
def test_intervals_bracket_rate_and_equal_statsmodels(xn: tuple[int, int]) -> None:
    x, n = xn
    for method, sm_name in (("wilson", "wilson"), ("exact", "beta")):
        low, high = proportion_interval(x, n, method=method)
        ref_low, ref_high = proportion_confint(x, n, method=sm_name)
        assert 0.0 <= low[0] <= x / n + 1e-12 and x / n - 1e-12 <= high[0] <= 1.0
        assert low[0] == pytest.approx(max(float(ref_low), 0.0), abs=1e-12)
        assert high[0] == pytest.approx(min(float(ref_high), 1.0), abs=1e-12)
    if x == 0:
        assert proportion_interval(x, n, method="exact")[0][0] == 0.0
    if x == n:
        assert proportion_interval(x, n, method="exact")[1][0] == 1.0


def test_decision_rates_keep_other_outside_the_denominator() -> None:
    frame = pd.DataFrame(
        {
            "year": [2021] * 5 + [2022] * 3,
            "decision": [
                "不批准逮捕",
                "批准逮捕",
                "批准逮捕",
                "其他",
                "其他",
                "不批准逮捕",
                "不批准逮捕",
                "批准逮捕",
            ],
        }
    )
    table = decision_rates(frame, "year", "不批准逮捕", "批准逮捕")
    assert table["n"].tolist() == [3.0, 3.0]
    assert np.allclose(table["rate"], [1 / 3, 2 / 3])
    assert table.index.tolist() == [2021, 2022]
