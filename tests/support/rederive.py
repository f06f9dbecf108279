"""Re-derive the criminal targets from the raw tables, as an empirical researcher would, with code
that shares nothing with the generator or the report module: DuckDB over the Parquet files,
pandas' own calendar-month arithmetic, and the targets read straight from the parameter YAML.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml

# 刑法分则 chapters 4–6 among the generated crimes (附条件不起诉, 刑事诉讼法第二百八十二条)
CONDITIONAL_CRIMES = (
    "盗窃", "诈骗", "故意伤害", "寻衅滋事", "开设赌场", "帮助信息网络犯罪活动",
    "走私、贩卖、运输、制造毒品", "掩饰、隐瞒犯罪所得",
)  # fmt: skip


def params_yaml() -> dict[str, Any]:
    text = resources.files("synthgen").joinpath("criminal/params.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def targets(key: str) -> dict[int, float]:
    return {int(y): float(v["value"]) for y, v in params_yaml()["targets"][key].items()}


def table(root: Path, name: str) -> pd.DataFrame:
    single = root / f"{name}.parquet"
    if single.exists():
        return duckdb.sql(f"SELECT * FROM read_parquet('{single}')").df()
    glob = root / name / "**" / "*.parquet"
    return duckdb.sql(
        f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true, "
        "hive_types = {'province_code': 'VARCHAR', 'year': 'SMALLINT'})"
    ).df()


def _year(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year


def rates(root: Path) -> pd.DataFrame:
    """不捕率, 不诉率 by year of the decision date (official definitions)."""
    a = table(root, "arrest_reviews")
    p = table(root, "prosecution_reviews")
    a = a[a["decision"] != "其他"]
    p = p[p["decision"] != "其他"]
    return pd.DataFrame(
        {
            "non_arrest": (a["decision"] == "不批准逮捕").groupby(_year(a["decision_date"])).mean(),
            "n_arrest": a.groupby(_year(a["decision_date"])).size(),
            "non_pros": (p["decision"] == "不起诉").groupby(_year(p["decision_date"])).mean(),
            "n_pros": p.groupby(_year(p["decision_date"])).size(),
        }
    )


def custody(root: Path) -> pd.DataFrame:
    """诉前羁押率 = 批准逮捕 in the year / (起诉 + 不起诉) in the year; 捕后不诉率 = 不起诉 among
    the 审查起诉 decisions of suspects with a 批准逮捕 record (joined, not the generator's flag)."""
    a = table(root, "arrest_reviews")
    p = table(root, "prosecution_reviews")
    p = p[p["decision"] != "其他"].copy()
    approved = a[a["decision"] == "批准逮捕"]
    arrests = approved.groupby(_year(approved["decision_date"])).size()
    decided = p.groupby(_year(p["decision_date"])).size()
    p["joined_arrest"] = p["suspect_id"].isin(approved["suspect_id"])
    after = p[p["joined_arrest"]]
    post = (after["decision"] == "不起诉").groupby(_year(after["decision_date"])).mean()
    share_np = p[p["decision"] == "不起诉"]
    return pd.DataFrame(
        {
            "detention": arrests / decided,
            "post_arrest_np": post,
            "arrested_share_of_np": share_np["joined_arrest"]
            .groupby(_year(share_np["decision_date"]))
            .mean(),
        }
    )


def monthly(root: Path, name: str) -> pd.Series:
    frame = table(root, name)
    return frame.groupby(pd.to_datetime(frame["decision_date"]).dt.to_period("M")).size()


def _one_month(received: pd.Series) -> pd.Series:
    """Same day of the next month, clamped to its end (pandas' calendar arithmetic)."""
    return pd.to_datetime(received) + pd.DateOffset(months=1)


def constraint_breaches(root: Path) -> dict[str, pd.DataFrame]:
    """Rows that break a legal constraint, one frame per constraint (planted ones included)."""
    cases = table(root, "criminal_cases")[["case_id", "crime"]]
    sus = table(root, "suspects")
    a = table(root, "arrest_reviews").merge(cases, on="case_id")
    p = (
        table(root, "prosecution_reviews")
        .merge(cases, on="case_id")
        .merge(sus[["suspect_id", "is_juvenile", "likely_sentence_le_1y"]], on="suspect_id")
    )
    p_days = (pd.to_datetime(p["decision_date"]) - pd.to_datetime(p["received_date"])).dt.days
    a_days = (pd.to_datetime(a["decision_date"]) - pd.to_datetime(a["received_date"])).dt.days
    plain = p["returned_for_investigation"] == 0
    month = _one_month(p["received_date"])
    over_month = pd.to_datetime(p["decision_date"]) > month
    over_ext = pd.to_datetime(p["decision_date"]) > month + pd.Timedelta(days=15)
    fast_limit = np.where(p["likely_sentence_le_1y"] == 1, 10, 15)
    return {
        "dui_arrest": a[(a["crime"] == "危险驾驶") & (a["decision"] == "批准逮捕")],
        "doubt_without_return": p[
            (p["non_prosecution_type"] == "存疑不起诉") & (p["returned_for_investigation"] < 1)
        ],
        "fast_track_over_limit": p[(p["fast_track"] == 1) & (p_days > fast_limit)],
        "fast_track_before_revision": p[
            (p["fast_track"] == 1) & (pd.to_datetime(p["received_date"]) < "2018-10-26")
        ],
        "ordinary_over_month": p[plain & (p["complex_case"] == 0) & over_month],
        "over_month_and_15_days": p[plain & over_ext],
        "conditional_ineligible": p[
            (p["non_prosecution_type"] == "附条件不起诉")
            & ~(
                (p["is_juvenile"] == 1)
                & p["crime"].isin(CONDITIONAL_CRIMES)
                & (p["likely_sentence_le_1y"] == 1)
            )
        ],
        "arrest_over_7_days": a[a_days > 7],
        "returns_over_two": p[p["returned_for_investigation"] > 2],
    }


COVARIATES = (
    "plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local",
    "minor_offense",
)  # fmt: skip


def _month(days: pd.Series) -> pd.Series:
    return days.dt.year * 12 + days.dt.month - 1


def adoption_dates(provinces: pd.Series) -> pd.Series:
    """Each province's 少捕慎诉慎押 adoption date, read from the parameter YAML."""
    policy = params_yaml()["policies"]["lenient"]
    dates = {
        c: pd.Timestamp(str(policy["adoption"].get(c, policy["default_adoption"])))
        for c in provinces.unique()
    }
    return provinces.map(dates)


def its_cells(root: Path, shift_months: int = 0) -> pd.DataFrame:
    """Monthly 不批准逮捕 counts for an interrupted time series around each province's adoption
    date moved back by ``shift_months`` (a placebo date when > 0).

    Each province contributes the twelve months from 1 July that contain its date: the year
    intercepts are linear between 1 July knots (docs/criminal-data.md §2), so a linear baseline is
    the right pre-trend there. Counts are per province × month × covariate pattern, and the month
    of a mid-month date is split at it (``post``). ``t`` counts months from the window's July,
    ``since`` months since the date (0 before it)."""
    a = table(root, "arrest_reviews")
    a = a[a["decision"] != "其他"]
    s = table(root, "suspects")[["suspect_id", *COVARIATES]]
    m = a[["suspect_id", "province_code", "decision", "decision_date"]].merge(s, on="suspect_id")
    day = pd.to_datetime(m["decision_date"])
    date = adoption_dates(m["province_code"]) - pd.DateOffset(months=shift_months)
    window = date.dt.year - (date.dt.month < 7).astype(int)
    start = pd.to_datetime(window.astype(str) + "-07-01")
    inside = (day >= start) & (day < start + pd.DateOffset(years=1))
    post = day >= date
    frame = pd.DataFrame(
        {
            "province_code": m["province_code"],
            "window": window,
            "t": _month(day) - _month(start),
            "post": post.astype(int),
            "since": (_month(day) - _month(date)).where(post, 0),
            "hit": (m["decision"] == "不批准逮捕").astype(int),
        }
    ).join(m[list(COVARIATES)])[inside]
    keys = ["province_code", "window", "t", "post", "since", *COVARIATES]
    return frame.groupby(keys).agg(n=("hit", "size"), hit=("hit", "sum")).reset_index()
