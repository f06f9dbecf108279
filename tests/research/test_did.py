"""Staggered difference-in-differences: hand-computed 2×2 cases, exact recovery on a
noise-free staggered panel, the not-yet-treated rule, and agreement with statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from research import adoption_indicator, group_time_att, monthly_panel, twfe_logit


@pytest.mark.parametrize(
    ("date", "unit", "expected"),
    [("2021-04-30", "33", 0.0), ("2021-05-01", "33", 1.0), ("2021-06-14", "44", 0.0),
     ("2021-06-15", "44", 1.0), ("2022-01-01", "44", 1.0)],
)  # fmt: skip
def test_adoption_indicator_boundaries(date: str, unit: str, expected: float) -> None:
    out = adoption_indicator(
        pd.Series([date]), pd.Series([unit]), {"33": "2021-05-01", "44": "2021-06-15"}
    )
    assert out.iloc[0] == expected


def test_adoption_indicator_refuses_a_unit_without_date() -> None:
    with pytest.raises(ValueError, match="51"):
        adoption_indicator(pd.Series(["2021-01-01"]), pd.Series(["51"]), {"33": "2021-05-01"})


def _panel(effect: float, cohorts: dict[str, int | None], periods: int = 6) -> pd.DataFrame:
    rows = []
    for k, (unit, g) in enumerate(cohorts.items()):
        for t in range(periods):
            treated = g is not None and t >= g
            y = 0.1 * k + 0.02 * t + (effect if treated else 0.0)
            rows.append({"unit": unit, "t": t, "n": 100 + 10 * k, "y": y, "var": 0.001 * (k + 1)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "cohorts",
    [{"a": 3, "b": None}, {"a": 2, "b": 4, "c": None}, {"a": 2, "b": 3, "c": 5}],
)
def test_noise_free_staggered_panel_gives_the_effect(cohorts: dict[str, int | None]) -> None:
    table, overall = group_time_att(_panel(0.07, cohorts), "unit", "t", cohorts)
    post = table[table["event_time"] >= 0]
    assert np.allclose(post["att"], 0.07)
    assert np.allclose(table.loc[table["event_time"] < 0, "att"], 0.0)  # parallel pre-trends
    assert overall["att"] == pytest.approx(0.07)


def test_two_by_two_matches_hand_computation() -> None:
    panel = pd.DataFrame(
        {"unit": ["a", "a", "b", "b"], "t": [0, 1, 0, 1], "n": [50, 50, 80, 80],
         "y": [0.2, 0.5, 0.3, 0.35], "var": [0.01, 0.02, 0.03, 0.04]}
    )  # fmt: skip
    table, overall = group_time_att(panel, "unit", "t", {"a": 1, "b": None})
    assert len(table) == 1
    assert overall["att"] == pytest.approx((0.5 - 0.2) - (0.35 - 0.3))
    assert overall["se"] == pytest.approx(np.sqrt(0.01 + 0.02 + 0.03 + 0.04))
    assert overall["ci_low"] == pytest.approx(overall["att"] - 1.959964 * overall["se"], rel=1e-5)


def test_a_cohort_is_never_its_own_control_and_treated_units_never_controls() -> None:
    cohorts = {"a": 2, "b": 4}
    table, _ = group_time_att(_panel(0.05, cohorts), "unit", "t", cohorts)
    # b is a control for a only while b is untreated (t < 4); a is never b's control
    a_rows = table[table["cohort"] == 2]
    assert set(a_rows["time"]) == {0, 2, 3}
    assert table[table["cohort"] == 4].empty  # no not-yet-treated unit is left for b


def test_without_any_control_it_refuses() -> None:
    with pytest.raises(ValueError, match="对照"):
        group_time_att(_panel(0.05, {"a": 2}), "unit", "t", {"a": 2})


def test_monthly_panel_counts_and_variance() -> None:
    frame = pd.DataFrame(
        {"p": ["33", "33", "33", "44"],
         "d": pd.to_datetime(["2021-01-03", "2021-01-30", "2021-02-01", "2021-01-10"]),
         "y": [1.0, 0.0, 1.0, 0.0]}
    )  # fmt: skip
    panel = monthly_panel(frame, "p", "d", "y").set_index(["p", "month"])
    jan = panel.loc[("33", pd.Period("2021-01", "M"))]
    assert (jan["n"], jan["x"], jan["y"]) == (2, 1.0, 0.5)
    assert jan["var"] == pytest.approx(0.25 / 2)
    assert panel.loc[("44", pd.Period("2021-01", "M")), "var"] == 0.0


def test_twfe_logit_matches_statsmodels_formula() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    frame = pd.DataFrame(
        {"unit": rng.choice(["a", "b", "c"], n), "month": rng.choice(["m1", "m2", "m3", "m4"], n),
         "x": rng.integers(0, 2, n), "site": rng.integers(0, 60, n)}
    )  # fmt: skip
    frame["post"] = ((frame["unit"] != "c") & (frame["month"] >= "m3")).astype(float)
    eta = -0.5 + 0.4 * frame["post"] + 0.8 * frame["x"]
    frame["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    ours = twfe_logit(frame, "y", "post", ["unit", "month"], ["x"], cluster="site")
    ref = smf.logit("y ~ post + x + C(unit) + C(month)", data=frame).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": frame["site"]}
    )
    assert ours["estimate"] == pytest.approx(ref.params["post"], rel=1e-6)
    # GLM and Logit use the same sandwich; small-sample corrections agree in statsmodels
    assert ours["se"] == pytest.approx(ref.bse["post"], rel=1e-3)
