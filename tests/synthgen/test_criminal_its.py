"""Interrupted time series of 少捕慎诉慎押, re-derived from the raw tables
(tests/support/rederive.py): a segmented logistic regression on monthly counts finds the level
change that `_truth/dgp.json` states at each province's adoption date, and none at a placebo
date a year earlier.

Slow tier: the test needs its own build (seed 11, scale 0.02, 2019–2022, about 22,000 arrest
decisions in the windows). At the shared test scale (0.005) the standard error of the level change
is about 0.12–0.15 on the logit scale, too wide to tell the effect (0.45) from a placebo.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from support.rederive import COVARIATES, its_cells
from synthgen import BuildOptions, build_criminal

pytestmark = pytest.mark.slow
Z99 = 2.576


@pytest.fixture(scope="module")
def criminal_its(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("its") / "d"
    return build_criminal(
        BuildOptions(seed=11, scale=0.02, years=[2019, 2020, 2021, 2022], workers=2, out=out)
    )


def segmented(cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Binomial GLM on the monthly counts: a linear trend per window, the level change (``post``)
    and the slope change (``since``) at the date, the covariates and province fixed effects;
    standard errors clustered by province."""
    windows = sorted(cells["window"].unique())
    trend = pd.DataFrame({f"t_{w}": cells["t"].where(cells["window"] == w, 0) for w in windows})
    provinces = pd.get_dummies(cells["province_code"], prefix="p", dtype=float)
    x = pd.concat([trend, cells[["post", "since", *COVARIATES]], provinces], axis=1).astype(float)
    endog = np.column_stack([cells["hit"], cells["n"] - cells["hit"]])
    groups = pd.factorize(cells["province_code"])[0]
    with threadpool_limits(limits=1, user_api="blas"):
        fit = sm.GLM(endog, x, family=sm.families.Binomial()).fit(
            cov_type="cluster", cov_kwds={"groups": groups}
        )
    return fit.params, fit.bse


@pytest.mark.parametrize(
    ("shift_months", "has_effect"),
    [
        (0, True),  # the adoption dates of the parameter file
        (12, False),  # placebo: a year earlier, when no province had adopted the policy
    ],
)
def test_segmented_regression_recovers_the_policy_effect(
    criminal_its: Path, shift_months: int, has_effect: bool
) -> None:
    truth = json.loads((criminal_its / "_truth" / "dgp.json").read_text("utf-8"))
    effect = float(truth["arrest"]["policy_effect"])
    assert effect > 0
    cells = its_cells(criminal_its, shift_months)
    assert cells["province_code"].nunique() >= 25
    assert cells["n"].sum() > 15_000
    params, se = segmented(cells)
    expected = effect if has_effect else 0.0
    # the 99% interval holds the true level change (the effect, or none at the placebo) and
    # excludes the other value: the test can tell an effect from no effect
    assert abs(params["post"] - expected) < Z99 * se["post"], (params["post"], se["post"])
    other = 0.0 if has_effect else effect
    assert abs(params["post"] - other) > Z99 * se["post"], (params["post"], se["post"])
    # the policy shifts the level only: no slope change at either date
    assert abs(params["since"]) < Z99 * se["since"], (params["since"], se["since"])
