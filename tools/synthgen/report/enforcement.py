"""`jianlab data report` on an enforcement dataset: 终本率 by filing year and by court (funnel
plot against binomial limits), time to 终本 (Kaplan–Meier), restoration after 终本, search
measures per 终本 case, 实际执行率 and 执行到位率, and the recovery of the 终本 model's truth by a
logistic regression with court intercepts (docs/enforcement-data.md)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from legal import ZHONGBEN
from research import km_at, overdispersion
from synthgen.store.io import read_table

MEASURES = ["网络查控", "传统查控", "被执行人报告财产", "罚款", "拘留", "限制消费令", "纳入失信",
            "悬赏公告", "审计", "搜查", "查封", "冻结", "扣押", "拍卖", "终本后查询"]  # fmt: skip
MIN_COURT = 100
# the 终本率 band the generator is calibrated to (docs/enforcement-data.md §1, [K] from the
# published local figures): each filing year's rate is reported against it
TARGET = (0.35, 0.45)


@dataclass
class EnforcementReport:
    by_year: list[dict[Any, Any]]
    courts: list[dict[Any, Any]]
    overdispersion: dict[str, float]
    km: list[dict[str, float]]
    restoration: dict[str, float]
    measures: dict[str, float]
    performance: dict[str, float]
    recovery: list[dict[Any, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, default=float)


def _closed_first(cases: pd.DataFrame) -> pd.DataFrame:
    first = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] != "未结")].copy()
    first["zb"] = (first["closing_method"] == ZHONGBEN).astype(int)
    first["year"] = pd.to_datetime(first["filing_date"]).dt.year
    return first


def _by_court(first: pd.DataFrame) -> tuple[list[dict[Any, Any]], dict[str, float]]:
    g = first.groupby("court_id")["zb"].agg(["mean", "size"]).reset_index()
    big = g[g["size"] >= MIN_COURT]
    p = float(first["zb"].mean())
    binomial = float(np.sqrt(p * (1 - p) / big["size"]).mean()) if len(big) else float("nan")
    sd = float(big["mean"].std()) if len(big) > 1 else float("nan")
    return g.rename(columns={"mean": "rate", "size": "n"}).to_dict("records"), {
        "courts": float(len(big)), "sd": sd, "binomial_sd": binomial,
        "ratio": sd / binomial if binomial else float("nan"), "overall": p,
        "phi": overdispersion(g["mean"] * g["size"], g["size"], p).phi,
    }  # fmt: skip


def _kaplan_meier(
    first: pd.DataFrame, cases: pd.DataFrame, as_of: pd.Timestamp
) -> list[dict[str, float]]:
    """Time from filing to 终本; other closings and open cases are censored at their date."""
    all_first = cases[cases["case_type"] == "首次执行"]
    end = pd.to_datetime(all_first["closing_date"]).fillna(as_of)
    t = (end - pd.to_datetime(all_first["filing_date"])).dt.days.to_numpy(float)
    event = (all_first["closing_method"] == ZHONGBEN).to_numpy(int)
    grid = [90, 120, 180, 365, 730]
    share = km_at(np.maximum(t, 0.5), event, grid)
    return [
        {"days": float(d), "share_zhongben": float(v)} for d, v in zip(grid, share, strict=True)
    ]


def _restoration(cases: pd.DataFrame) -> dict[str, float]:
    zb = cases[cases["closing_method"] == ZHONGBEN]
    restored = cases[cases["case_type"] == "恢复执行"]
    origin = restored.groupby("origin_case_id")["filing_date"].min()
    gap = (pd.to_datetime(origin) - pd.to_datetime(zb.set_index("case_id")["closing_date"]
                                                    .reindex(origin.index))).dt.days  # fmt: skip
    again = restored["closing_method"].value_counts(normalize=True)
    return {
        "restored_share": float(zb["case_id"].isin(origin.index).mean()),
        "median_days_to_restore": float(gap.median()) if len(gap) else float("nan"),
        "restored_completed": float(again.get("执行完毕", 0.0)),
        "restored_zhongben_again": float(again.get(ZHONGBEN, 0.0)),
    }


def _measures(cases: pd.DataFrame, actions: pd.DataFrame) -> dict[str, float]:
    zb = cases.loc[cases["closing_method"] == ZHONGBEN, "case_id"]
    acts = actions[actions["case_id"].isin(zb) & actions["action_type"].isin(MEASURES)]
    counts = acts.groupby("action_type").size() / max(len(zb), 1)
    return {m: round(float(counts.get(m, 0.0)), 3) for m in MEASURES}


def _performance(first: pd.DataFrame) -> dict[str, float]:
    """实际执行率: cases closed by performance (执行完毕, 和解) among closed first-enforcement
    cases; 执行到位率: money recovered over money claimed, overall and within 终本 cases."""
    zb = first[first["zb"] == 1]
    return {
        "actual_execution_rate": float(first["closing_method"].isin(["执行完毕", "和解"]).mean()),
        "recovery_rate": float(first["amount_recovered"].sum() / first["amount_claimed"].sum()),
        "zhongben_under_30pct": float(
            (zb["amount_recovered"] / zb["amount_claimed"] < 0.3).mean()) if len(zb) else 0.0,
    }  # fmt: skip


def _recovery(directory: Path, first: pd.DataFrame) -> list[dict[Any, Any]]:
    truth_path = directory / "_truth" / "zhongben_model.json"
    if not truth_path.is_file():
        return []
    truth = json.loads(truth_path.read_text("utf-8"))
    assets = read_table(directory, "_truth/case_assets", ["case_id", "assets_found"])
    data = first.merge(assets, on="case_id")
    if data["year"].nunique() > 1:  # the last cohort is still censored by long 终本 cases
        data = data[data["year"] < data["year"].max()]
    data = data.assign(
        found=lambda f: f["assets_found"].astype(int),
        company=lambda f: (f["respondent_type"] == "法人").astype(int),
        lamt=lambda f: np.log10(f["amount_claimed"]) - np.log10(truth["amount_centre"]),
        yr=lambda f: f["year"].astype(str),
    )
    terms = ["found", "company", "lamt"]
    terms += [f"C({c})" for c in ("yr", "court_id") if data[c].nunique() > 1]
    fit = smf.logit("zb ~ " + " + ".join(terms), data).fit(disp=0)
    ci = fit.conf_int()
    names = {"found": "assets_found", "company": "company", "lamt": "log10_amount_centred"}
    return [{"term": term, "truth": truth["coefficients"][key], "estimate": float(fit.params[term]),
             "ci_low": float(ci.loc[term, 0]), "ci_high": float(ci.loc[term, 1]),
             "inside": bool(ci.loc[term, 0] <= truth["coefficients"][key] <= ci.loc[term, 1])}
            for term, key in names.items()]  # fmt: skip


def enforcement_report(directory: Path) -> EnforcementReport:
    cases = read_table(directory, "enforcement_cases")
    actions = read_table(directory, "enforcement_actions", ["case_id", "action_type"])
    package = json.loads((directory / "datapackage.json").read_text("utf-8"))
    as_of = pd.Timestamp(package.get("as_of_date") or cases["filing_date"].max())
    first = _closed_first(cases)
    by_year = first.groupby("year")["zb"].agg(["mean", "size"]).reset_index()
    by_year["in_target"] = by_year["mean"].between(*TARGET)
    courts, over = _by_court(first)
    return EnforcementReport(
        by_year=by_year.rename(columns={"mean": "rate", "size": "n"}).to_dict("records"),
        courts=courts,
        overdispersion=over,
        km=_kaplan_meier(first, cases, as_of),
        restoration=_restoration(cases),
        measures=_measures(cases, actions),
        performance=_performance(first),
        recovery=_recovery(directory, first),
    )
