"""The 终本 model is causal and recoverable: a logistic regression with court intercepts, fitted
to the public tables plus the instructor's `_truth/case_assets`, finds the coefficients in
`_truth/zhongben_model.json`, the courts' estimated intercepts follow their true effects, and
between-court variation of the 终本 rate is well beyond binomial noise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from synthgen import read_table

ZB = "终结本次执行程序"


@pytest.fixture(scope="module")
def closed(enforcement_zj: Path) -> pd.DataFrame:
    cases = read_table(enforcement_zj, "enforcement_cases")
    assets = read_table(enforcement_zj, "_truth/case_assets")[["case_id", "assets_found"]]
    first = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] != "未结")]
    first = first.merge(assets, on="case_id")
    filed = pd.to_datetime(first["filing_date"]).dt.year
    out = first[filed <= 2023].assign(
        zb=(first["closing_method"] == ZB).astype(int),
        company=(first["respondent_type"] == "法人").astype(int),
        found=first["assets_found"].astype(int),
        year=filed.astype(str),
    )
    return out


@pytest.fixture(scope="module")
def truth(enforcement_zj: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((enforcement_zj / "_truth" / "zhongben_model.json").read_text("utf-8"))


def test_coefficients_are_recovered(closed: pd.DataFrame, truth: dict) -> None:  # type: ignore[type-arg]
    centre = np.log10(truth["amount_centre"])
    data = closed.assign(lamt=np.log10(closed["amount_claimed"]) - centre)
    fit = smf.logit("zb ~ found + company + lamt + C(year) + C(court_id)", data).fit(disp=0)
    coef = truth["coefficients"]
    assert fit.params["found"] == pytest.approx(coef["assets_found"], abs=0.2)
    assert fit.params["company"] == pytest.approx(coef["company"], abs=0.2)
    assert fit.params["lamt"] == pytest.approx(coef["log10_amount_centred"], abs=0.15)


def test_court_effects_and_overdispersion(closed: pd.DataFrame, enforcement_zj: Path) -> None:
    effects = pd.read_parquet(enforcement_zj / "_truth" / "court_effects.parquet")
    by_court = closed.groupby("court_id")["zb"].agg(["mean", "size"])
    big = by_court[by_court["size"] >= 100]
    assert len(big) >= 20
    p = closed["zb"].mean()
    binomial = np.sqrt(p * (1 - p) / big["size"]).mean()
    assert big["mean"].std() >= 2 * binomial, (big["mean"].std(), binomial)
    logit = np.log(big["mean"] / (1 - big["mean"]))
    true = effects.set_index("court_id")["effect"].reindex(big.index)
    assert np.corrcoef(logit, true)[0, 1] > 0.7


def test_zhongben_rate_depends_on_assets_and_type(closed: pd.DataFrame) -> None:
    rate = closed.groupby("found")["zb"].mean()
    assert rate[0] > 0.55 and rate[1] < 0.25
    assert closed.groupby("company")["zb"].mean().diff().iloc[-1] > 0.03
