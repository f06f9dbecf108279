"""Issue #12 re-derived from the raw tables with code independent of the generator and the report
(tests/support/rederive.py): case flow across year ends and seasons, 诉前羁押率 and 捕后不诉率,
the legal constraints, the dated policy's effect (staggered difference-in-differences), and the
planted Simpson's paradox and omitted-variable bias."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from support.rederive import (
    constraint_breaches,
    custody,
    monthly,
    params_yaml,
    table,
    targets,
)

SPRING_FESTIVAL = {2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25",
                   2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22",
                   2024: "2024-02-10", 2025: "2025-01-29"}  # fmt: skip


def _logit(y: pd.Series, x: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    with threadpool_limits(limits=1, user_api="blas"):
        fit = sm.GLM(y, sm.add_constant(x.astype(float)), family=sm.families.Binomial()).fit()
    return fit.params, fit.bse


def test_detention_and_post_arrest_rates(criminal_small: Path) -> None:
    """诉前羁押率 meets its target up to sampling error at this small scale (3 binomial SE + 0.5 pp,
    about 2 pp: no bias of the size the per-prosecution-year referral had, 2.4 pp in 2022) and
    捕后不诉率 inside 1.5–4% of arrested suspects every year; arrested suspects are a small share
    of all non-prosecutions (published order ~7%), no longer ~30%. The teaching dataset itself
    is held to ±2 pp exactly (test_teaching_dataset.py)."""
    got = custody(criminal_small)
    det, post = targets("detention_rate"), targets("post_arrest_non_prosecution_rate")
    p = table(criminal_small, "prosecution_reviews")
    n = p[p["decision"] != "其他"].groupby(pd.to_datetime(p["decision_date"]).dt.year).size()
    assert set(got.index) == set(det)
    for year, row in got.iterrows():
        se = np.sqrt(det[year] * (1 - det[year]) / n[year])
        assert abs(row["detention"] - det[year]) <= 0.005 + 3 * se, (year, row["detention"])
        assert 0.015 - 0.006 <= row["post_arrest_np"] <= 0.04 + 0.006, (year, row)
        assert abs(row["post_arrest_np"] - post[year]) < 0.01
        assert row["arrested_share_of_np"] < 0.15


def test_generator_flag_equals_joined_arrests(criminal_small: Path) -> None:
    a = table(criminal_small, "arrest_reviews")
    p = table(criminal_small, "prosecution_reviews")
    joined = p["suspect_id"].isin(a.loc[a["decision"] == "批准逮捕", "suspect_id"])
    first = pd.to_datetime(p["received_date"]).dt.year > 2018  # arrests before the window
    assert (joined[first] == (p.loc[first, "arrested"] == 1)).all()


def test_spring_festival_dip_and_no_year_boundary_artefact(criminal_small: Path) -> None:
    p = table(criminal_small, "prosecution_reviews")
    days = pd.to_datetime(p["decision_date"])
    for year, festival in SPRING_FESTIVAL.items():
        f = pd.Timestamp(festival)
        in_dip = days.between(f - pd.Timedelta(days=3), f + pd.Timedelta(days=10)).sum() / 14
        per_day = (days.dt.year == year).sum() / 365
        assert in_dip / per_day < 0.6, year
    for name in ("arrest_reviews", "prosecution_reviews"):
        per_month = monthly(criminal_small, name)
        # Decembers and Januaries look like the months around them (no piling up or emptying).
        # Against the centred five-month median, not the year's: arrest volumes follow the
        # referral propensity, which moves smoothly through the year (2021 → 2022 falls by a
        # third), so a January sits between two years' levels.
        ratio = per_month / per_month.rolling(5, center=True, min_periods=3).median()
        edges = ratio[(ratio.index.month == 12) | (ratio.index.month == 1)]
        assert edges.between(0.6, 1.5).all(), (name, edges.round(2).to_dict())


def test_legal_constraints_hold_except_listed_plants(criminal_small: Path) -> None:
    br = constraint_breaches(criminal_small)
    truth = pd.read_parquet(criminal_small / "_truth" / "violations.parquet")
    planted = {r: set(truth.loc[truth["rule_id"] == r, "suspect_id"]) for r in ("XS-03", "XS-04")}
    strict = (
        "dui_arrest", "doubt_without_return", "fast_track_over_limit",
        "fast_track_before_revision", "conditional_ineligible", "returns_over_two",
    )  # fmt: skip
    for name in strict:
        assert br[name].empty, name
    assert set(br["arrest_over_7_days"]["suspect_id"]) == planted["XS-03"]
    assert set(br["over_month_and_15_days"]["suspect_id"]) == planted["XS-04"]
    assert set(br["ordinary_over_month"]["suspect_id"]) <= planted["XS-04"]
    p = table(criminal_small, "prosecution_reviews")
    # the rules are exercised, not vacuous
    assert (p["non_prosecution_type"] == "存疑不起诉").sum() > 0
    assert (p["non_prosecution_type"] == "附条件不起诉").sum() > 0
    assert (p["fast_track"] == 1).mean() > 0.3


def _policy_frame(root: Path) -> pd.DataFrame:
    a = table(root, "arrest_reviews")
    a = a[a["decision"] != "其他"]
    s = table(root, "suspects")
    frame = a.merge(s.drop(columns=["year", "procuratorate_id", "case_id"]), on="suspect_id")
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_y")])
    frame.columns = [c.removesuffix("_x") for c in frame.columns]
    adoption = params_yaml()["policies"]["lenient"]
    dates = frame["province_code"].map(
        lambda c: str(adoption["adoption"].get(c, adoption["default_adoption"]))
    )
    day = pd.to_datetime(frame["decision_date"])
    frame["post"] = (day >= pd.to_datetime(dates)).astype(float)
    frame["month"] = day.dt.to_period("M").astype(str)
    frame["y"] = (frame["decision"] == "不批准逮捕").astype(float)
    return frame[(day >= "2020-07-01") & (day < "2022-07-01")]


def test_staggered_did_recovers_the_policy_effect(criminal_small: Path) -> None:
    """Province and month fixed effects, the covariates and the adoption indicator: the
    estimate of 少捕慎诉慎押 on the logit of 不批准逮捕 matches _truth/dgp.json."""
    frame = _policy_frame(criminal_small)
    covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile",
            "is_local", "minor_offense"]  # fmt: skip
    x = pd.concat(
        [frame[["post", *covs]],
         pd.get_dummies(frame["province_code"], prefix="p", drop_first=True),
         pd.get_dummies(frame["month"], prefix="m", drop_first=True)], axis=1,
    )  # fmt: skip
    params, bse = _logit(frame["y"], x)
    truth = json.loads((criminal_small / "_truth" / "dgp.json").read_text("utf-8"))
    effect = truth["arrest"]["policy_effect"]
    assert effect > 0
    assert abs(params["post"] - effect) < 3 * bse["post"] + 0.05, (params["post"], bse["post"])
    assert params["post"] > 2 * bse["post"]  # detectably positive at this scale


def test_planted_simpson_and_omitted_variable(criminal_small: Path) -> None:
    """Re-estimated on the data, both traps show what `_truth/planted.json` documents."""
    planted = json.loads((criminal_small / "_truth" / "planted.json").read_text("utf-8"))
    a = table(criminal_small, "arrest_reviews")
    s = table(criminal_small, "suspects")
    m = a[a["decision"] != "其他"].merge(s[["suspect_id", "is_local"]], on="suspect_id")
    m["y"] = (m["decision"] == "不批准逮捕").astype(float)
    by_proc = m.groupby("procuratorate_id").agg(n=("y", "size"), rate=("y", "mean"),
                                                local=("is_local", "mean"))  # fmt: skip
    by_proc = by_proc[by_proc["n"] >= 30]
    slope = np.polyfit(1 - by_proc["local"], by_proc["rate"], 1, w=np.sqrt(by_proc["n"]))[0]
    within = m.groupby(["procuratorate_id", "is_local"])["y"].mean().unstack().dropna()
    simpson = planted["simpson_is_local_arrest"]
    assert simpson["between_procuratorates"]["slope_non_arrest_rate_on_non_local_share"] > 0
    assert slope > 0  # across procuratorates: more non-locals, more 不捕
    assert (within[1] - within[0]).mean() > 0  # inside them: locals less often arrested

    p = table(criminal_small, "prosecution_reviews")
    p = p[p["decision"] != "其他"].merge(s.drop(columns=["year", "procuratorate_id", "case_id"]),
                                        on="suspect_id", suffixes=("", "_s"))  # fmt: skip
    p["y"] = (p["decision"] == "不起诉").astype(float)
    year = pd.get_dummies(pd.to_datetime(p["decision_date"]).dt.year, prefix="y", drop_first=True)
    covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile",
            "is_local", "minor_offense", "arrested"]  # fmt: skip
    naive, _ = _logit(
        p["y"], pd.concat([p[[c for c in covs if c != "minor_offense"]], year], axis=1)
    )
    correct, se = _logit(p["y"], pd.concat([p[covs], year], axis=1))
    ovb = planted["omitted_variable_plea_prosecution"]
    assert ovb["naive_logit_plea"] > ovb["correct_logit_plea"]
    assert naive["plea_leniency"] > correct["plea_leniency"] + 2 * se["plea_leniency"]
    assert abs(correct["plea_leniency"] - ovb["truth_plea"]) < 4 * se["plea_leniency"] + 0.1


@pytest.mark.slow
def test_random_intercept_model_recovers_procuratorate_sd(criminal_small: Path) -> None:
    """A Bayesian random-intercept logit (statsmodels, variational Bayes) on the 不批准逮捕
    decisions, with the covariates, year effects and the policy indicator, finds the
    procuratorates' SD within 15% of the truth."""
    from scipy import sparse
    from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

    frame = _policy_frame(criminal_small).reset_index(drop=True)
    frame = frame[frame["procuratorate_id"].map(frame["procuratorate_id"].value_counts()) >= 10]
    covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile",
            "is_local", "minor_offense", "post"]  # fmt: skip
    exog = pd.concat([frame[covs], pd.get_dummies(frame["month"], drop_first=True)], axis=1)
    exog = sm.add_constant(exog.astype(float))
    codes = pd.Categorical(frame["procuratorate_id"]).codes
    groups = sparse.csr_matrix(
        (np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), codes.max() + 1)
    )
    with threadpool_limits(limits=1, user_api="blas"):
        ident = np.zeros(groups.shape[1], int)
        model = BinomialBayesMixedGLM(frame["y"].to_numpy(), exog.to_numpy(), groups, ident)
        fit = model.fit_vb()
    sd = float(np.exp(fit.vcp_mean[0]))
    truth = json.loads((criminal_small / "_truth" / "dgp.json").read_text("utf-8"))
    assert abs(sd / truth["arrest"]["group_sd"] - 1) < 0.15, sd
