"""Report rows beyond the yearly rates: 捕后不诉率 and 诉前羁押率 by year against their targets,
the monthly series with the policy dates (for interrupted time series and difference-in-
differences), and the legal-constraint checks of `jianlab data verify`.

Definitions (docs/criminal-data.md): 捕后不诉率 = 不起诉 among the 审查起诉 decisions of arrested
suspects (the published figure's denominator is 捕后审结人数); 诉前羁押率 = 批准逮捕 persons in the
year ÷ (起诉 + 不起诉) persons in the year. Both by year of decision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from synthgen.report.load import Truth, scan
from synthgen.verify.legal import legal_problems

DETENTION_TOLERANCE_PP = 2.0
POST_ARREST_BAND = (0.015, 0.04)


def _target(truth: Truth, key: str, year: int) -> tuple[float | None, str | None]:
    entry = truth.details["targets"].get(key, {}).get(str(year))
    if entry is None:
        return None, None
    return float(entry["value"]), str(entry["source"])


def custody_rows(directory: Path, truth: Truth) -> list[dict[str, Any]]:
    arrests = scan(directory, "arrest_reviews", ["year", "decision"]).to_pandas()
    pros = scan(directory, "prosecution_reviews", ["year", "decision", "arrested"]).to_pandas()
    pros = pros[pros["decision"] != "其他"]
    approved = arrests[arrests["decision"] == "批准逮捕"].groupby("year").size()
    decided = pros.groupby("year").size()
    after = pros[pros["arrested"] == 1]
    post_np = (after["decision"] == "不起诉").groupby(after["year"]).agg(["mean", "size"])
    rows = []
    for year in sorted(decided.index):
        detention = float(approved.get(year, 0) / decided[year])
        d_target, d_source = _target(truth, "detention_rate", int(year))
        p_target, p_source = _target(truth, "post_arrest_non_prosecution_rate", int(year))
        post = float(post_np.loc[year, "mean"]) if year in post_np.index else float("nan")
        rows.append(
            {
                "year": int(year),
                "approved_arrests": int(approved.get(year, 0)),
                "prosecution_decided": int(decided[year]),
                "detention_rate": detention,
                "detention_target": d_target,
                "detention_source": d_source,
                "detention_within_2pp": None
                if d_target is None
                else abs(100 * (detention - d_target)) <= DETENTION_TOLERANCE_PP,
                "arrested_decided": int(post_np.loc[year, "size"]) if year in post_np.index else 0,
                "post_arrest_non_prosecution_rate": post,
                "post_arrest_target": p_target,
                "post_arrest_source": p_source,
                "post_arrest_in_band": bool(POST_ARREST_BAND[0] <= post <= POST_ARREST_BAND[1]),
            }
        )
    return rows


def monthly_rows(directory: Path) -> list[dict[str, Any]]:
    """Decisions and rates per calendar month of the decision date."""
    out: dict[str, dict[str, Any]] = {}
    for model, table, hit, fav in (
        ("arrest", "arrest_reviews", "不批准逮捕", "批准逮捕"),
        ("prosecution", "prosecution_reviews", "不起诉", "起诉"),
    ):
        frame = scan(directory, table, ["decision_date", "decision"])
        month = pc.strftime(frame["decision_date"], format="%Y-%m").to_numpy(zero_copy_only=False)
        decision = frame["decision"].to_numpy(zero_copy_only=False)
        data = pd.DataFrame({"month": month, "hit": decision == hit, "fav": decision == fav})
        agg = data.groupby("month").agg(n=("hit", "size"), hit=("hit", "sum"), fav=("fav", "sum"))
        for m, r in agg.iterrows():
            row = out.setdefault(str(m), {"month": str(m)})
            row[f"{model}_decisions"] = int(r["n"])
            denominator = int(r["hit"] + r["fav"])
            row[f"{model}_rate"] = float(r["hit"] / denominator) if denominator else None
    return [out[m] for m in sorted(out)]


def policy_dates(truth: Truth) -> list[dict[str, str]]:
    p = truth.details.get("policies") or {}
    rows = []
    for key, label in (("revision_2018", "刑事诉讼法修正（速裁程序）"),
                       ("plea_guidance_2019", "认罪认罚从宽指导意见")):  # fmt: skip
        if key in p:
            rows.append({"date": p[key]["date"], "event": label, "source": p[key]["source"]})
    lenient = p.get("lenient")
    if lenient:
        rows.append({"date": lenient["announced"], "event": "少捕慎诉慎押确立为刑事司法政策",
                     "source": lenient["source"]})  # fmt: skip
        for code, date in sorted(lenient["adoption"].items(), key=lambda kv: kv[1]):
            rows.append({"date": date, "event": f"省级代码 {code} 采纳少捕慎诉慎押",
                         "source": lenient["adoption_source"]})  # fmt: skip
    return rows


def flow_report(directory: Path, truth: Truth) -> dict[str, Any]:
    return {
        "custody": custody_rows(directory, truth),
        "monthly": monthly_rows(directory),
        "policy_dates": policy_dates(truth),
        "constraints": legal_problems(directory),
    }


def _pct(x: float | None) -> str:
    return "—" if x is None or np.isnan(x) else f"{100 * x:.2f}%"


def render_flow(flow: dict[str, Any]) -> list[str]:
    yes = {None: "—", True: "是", False: "**否**"}
    lines = ["", "## 诉前羁押率与捕后不诉率（按决定年度）", "",
             "| 年度 | 批准逮捕 | 起诉+不起诉 | 诉前羁押率 | 目标 | ±2 内 "
             "| 已逮捕者审结 | 捕后不诉率 | 目标 | 在 1.5%–4% 内 |",
             "|---|--:|--:|--:|--:|---|--:|--:|--:|---|"]  # fmt: skip
    for r in flow["custody"]:
        lines.append(
            f"| {r['year']} | {r['approved_arrests']:,} | {r['prosecution_decided']:,} "
            f"| {_pct(r['detention_rate'])} | {_pct(r['detention_target'])} "
            f"| {yes[r['detention_within_2pp']]} | {r['arrested_decided']:,} "
            f"| {_pct(r['post_arrest_non_prosecution_rate'])} | {_pct(r['post_arrest_target'])} "
            f"| {yes[r['post_arrest_in_band']]} |"
        )
    lines += ["", "## 政策日期", "", "| 日期 | 事件 | 来源 |", "|---|---|---|"]
    lines += [f"| {p['date']} | {p['event']} | {p['source']} |" for p in flow["policy_dates"]]
    lines += ["", "## 月度序列（按决定日期）", ""]
    lines += ["| 月份 | 审查逮捕决定 | 不捕率 | 审查起诉决定 | 不诉率 |", "|---|--:|--:|--:|--:|"]
    for m in flow["monthly"]:
        lines.append(
            f"| {m['month']} | {m.get('arrest_decisions', 0):,} | {_pct(m.get('arrest_rate'))} "
            f"| {m.get('prosecution_decisions', 0):,} | {_pct(m.get('prosecution_rate'))} |"
        )
    lines += ["", "## 法律约束检查", ""]
    if flow["constraints"]:
        lines += [f"- **违反**：{p}" for p in flow["constraints"]]
    else:
        lines.append(
            "- 全部通过：危险驾驶不批捕、存疑不起诉均有退回补充侦查、速裁十日/十五日、"
            "未标记重大复杂的一个月、附条件不起诉的适用条件、审查逮捕七日"
            "（XS-03/XS-04 埋点除外）。"
        )
    return lines
