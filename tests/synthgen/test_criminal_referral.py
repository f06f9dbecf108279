"""Referral for arrest by date (synthgen/criminal/referral.py) and the 诉前羁押率 calibration of its
knots (synthgen/criminal/detention.py), on small hand-made inputs: no build needed."""

from __future__ import annotations

import numpy as np
import pytest

from synthgen import SynthgenError, load_criminal_params
from synthgen.criminal.calendar import knot_weights
from synthgen.criminal.detention import TOLERANCE, Side, YearEquation, solve_scales
from synthgen.criminal.draws import crime_table
from synthgen.criminal.referral import referral_probability, scale_on, start_scales

YEARS = [2021, 2022]


def _days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2021-07-01", 0.9),  # on a knot
        ("2022-07-01", 0.5),
        ("2020-03-01", 0.9),  # flat before the first knot
        ("2023-11-30", 0.5),  # and after the last
        ("2022-01-01", 0.9 - 0.4 * 184 / 365),  # linear between the knots
    ],
)
def test_scale_is_linear_between_mid_year_knots(date: str, expected: float) -> None:
    got = scale_on({2021: 0.9, 2022: 0.5}, _days(date))
    assert got[0] == pytest.approx(expected, abs=1e-9)


def test_no_step_on_new_year() -> None:
    got = scale_on({2021: 0.9, 2022: 0.5}, _days("2021-12-31", "2022-01-01"))
    assert abs(got[1] - got[0]) < 0.4 / 365 + 1e-12


def test_offences_without_prison_are_never_referred() -> None:
    params = load_criminal_params()
    crimes = crime_table(params, 2021)
    names = list(crimes.names)
    crime = np.array([names.index("危险驾驶"), names.index("盗窃"), names.index("交通肇事")])
    dates = _days("2021-07-01", "2021-07-01", "2021-07-01")
    low = referral_probability({2021: 0.8}, crimes, crime, dates)
    assert low.tolist() == pytest.approx([0.0, 0.8, 0.8 * 0.3])
    high = referral_probability({2021: 5.0}, crimes, crime, dates)
    assert high.tolist() == pytest.approx([0.0, 1.0, 1.0])  # a probability, capped at one


def test_start_scales_cover_every_year() -> None:
    params = load_criminal_params(years=YEARS)
    scales = start_scales(params)
    assert sorted(scales) == YEARS
    assert all(0 < k < 2 for k in scales.values())


def _equations(targets: dict[int, float], approved: float) -> list[YearEquation]:
    """Two years of rows whose arrest dates straddle the year end, as in the data: some of a
    year's 审查起诉 decisions had their arrest review the year before."""
    rng = np.random.default_rng(3)
    eqs = []
    for y in YEARS:
        n = 4_000
        arrest_days = np.datetime64(f"{y}-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")
        prior = np.datetime64(f"{y}-01-01") + rng.integers(-60, 300, n).astype("timedelta64[D]")
        propensity = rng.choice([0.0, 0.5, 1.0], n)
        arrests = Side(knot_weights(YEARS, arrest_days), propensity, approved * np.ones(n))
        dropped = Side(knot_weights(YEARS, prior), propensity, 0.03 * np.ones(n))
        eqs.append(YearEquation(y, targets[y], arrests, dropped, float(n)))
    return eqs


@pytest.mark.parametrize(
    "targets",
    [
        {2021: 0.427, 2022: 0.267},  # the published fall
        {2021: 0.30, 2022: 0.45},  # a rise
        {2021: 0.40, 2022: 0.40},  # flat
    ],
)
def test_knots_meet_every_year(targets: dict[int, float]) -> None:
    eqs = _equations(targets, approved=0.7)
    scales = solve_scales(eqs, {2021: 0.8, 2022: 0.8})
    knots = np.array([scales[y] for y in YEARS])
    for eq in eqs:
        assert abs(eq.rate(knots) - eq.target) < TOLERANCE
    if targets[2021] > targets[2022]:
        assert scales[2021] > scales[2022]


def test_unreachable_target_is_refused_in_chinese() -> None:
    # at most 0.7 × (2/3 of the rows can be referred) ≈ 47% of decisions can be approved arrests
    eqs = _equations({2021: 0.9, 2022: 0.3}, approved=0.7)
    with pytest.raises(SynthgenError, match=r"2021年诉前羁押率目标 90\.0% 无法达到"):
        solve_scales(eqs, {2021: 0.8, 2022: 0.8})
