"""Segmented regression: exact recovery on noise-free series, agreement with statsmodels' own
HAC fit, and refusal of series that cannot identify a change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from research import fit_its, its_design


def _series(level: float, slope: float, months: int = 36, start: str = "2020-01") -> pd.Series:
    idx = pd.period_range(start, periods=months, freq="M")
    t = np.arange(months, dtype=float)
    post = (t >= 18).astype(float)
    return pd.Series(1.0 + 0.2 * t + level * post + slope * post * (t - 18), index=idx)


@pytest.mark.parametrize(("level", "slope"), [(2.0, 0.5), (0.0, 0.0), (-1.5, 0.0), (0.3, -0.25)])
def test_noise_free_series_recovers_level_and_slope(level: float, slope: float) -> None:
    fit = fit_its(_series(level, slope), "2021-07", seasonal=False)
    assert fit.level_change == pytest.approx(level, abs=1e-9)
    assert fit.slope_change == pytest.approx(slope, abs=1e-9)
    assert fit.table.loc["time", "estimate"] == pytest.approx(0.2, abs=1e-9)
    # the counterfactual extends the pre-period line
    assert np.allclose(fit.counterfactual().to_numpy(), 1.0 + 0.2 * np.arange(36))


def test_matches_statsmodels_hac_fit() -> None:
    rng = np.random.default_rng(3)
    y = _series(1.0, 0.1) + rng.normal(0, 0.3, 36)
    fit = fit_its(y, "2021-07", seasonal=True, maxlags=2)
    design = its_design(y, "2021-07", seasonal=True)
    ref = sm.OLS(y.to_numpy(), design).fit(cov_type="HAC", cov_kwds={"maxlags": 2})
    assert fit.level_change == pytest.approx(ref.params["level_change"])
    assert fit.table.loc["level_change", "se"] == pytest.approx(ref.bse["level_change"])
    assert fit.table.loc["slope_change", "p_value"] == pytest.approx(ref.pvalues["slope_change"])
    # HAC errors differ from the naive ones when the residuals are autocorrelated
    naive = sm.OLS(y.to_numpy(), design).fit()
    assert fit.table.loc["level_change", "se"] != pytest.approx(naive.bse["level_change"])


@pytest.mark.parametrize(
    ("months", "seasonal", "n_columns"),
    [(36, True, 4 + 11), (36, False, 4), (8, True, 4 + 7)],  # 8 months: 7 of 8 calendar months
)
def test_design_columns(months: int, seasonal: bool, n_columns: int) -> None:
    design = its_design(_series(1, 0, months, "2021-01"), "2021-04", seasonal)
    assert design.shape == (months, n_columns)
    assert "month_1" not in design.columns  # January is the reference


def test_datetime_index_is_read_as_months() -> None:
    s = _series(1, 0)
    s.index = s.index.to_timestamp()
    assert fit_its(s, "2021-07", seasonal=False).level_change == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("interruption", "message"),
    [("2020-01", "前后都须有观测"), ("2025-01", "前后都须有观测")],
)
def test_interruption_outside_the_series_is_refused(interruption: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_its(_series(1, 0), interruption)


def test_unsorted_months_are_refused() -> None:
    s = _series(1, 0)
    with pytest.raises(ValueError, match="唯一且按时间递增"):
        fit_its(s.iloc[::-1], "2021-07")
