"""The planted late decisions are exactly what the tables show (XS-03, XS-04 of docs/rules.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from legal import prosecution_limit
from synthgen import read_table


def _truth(directory: Path, rule: str) -> set[tuple[str, str]]:
    v = read_table(directory, "_truth/violations")
    v = v[v["rule_id"] == rule]
    assert v["asset_id"].isna().all()
    assert v["detail"].str.len().gt(0).all()
    return set(zip(v["case_id"], v["suspect_id"], strict=True))


def test_xs03_truth_equals_table_check(criminal_small: Path) -> None:
    a = read_table(criminal_small, "arrest_reviews")
    late = a[(a["decision_date"] - a["received_date"]).dt.days > 7]
    found = set(zip(late["case_id"], late["suspect_id"], strict=True))
    assert found == _truth(criminal_small, "XS-03")
    assert 0.004 < len(found) / len(a) < 0.015  # documented rate 0.8%


def test_xs04_truth_equals_table_check(criminal_small: Path) -> None:
    p = read_table(criminal_small, "prosecution_reviews")
    received = p["received_date"].to_numpy().astype("datetime64[D]")
    limit = pd.to_datetime(prosecution_limit(received))
    late = p[(p["returned_for_investigation"] == 0) & (p["decision_date"] > limit)]
    found = set(zip(late["case_id"], late["suspect_id"], strict=True))
    assert found == _truth(criminal_small, "XS-04")
    # documented rate 1.2% of the suspects that can be late: not 速裁, not returned
    eligible = p[(p["fast_track"] == 0) & (p["returned_for_investigation"] == 0)]
    assert 0.006 < len(found) / len(eligible) < 0.02


def test_timelines_are_ordered_and_counted_by_decision_year(criminal_small: Path) -> None:
    c = read_table(criminal_small, "criminal_cases", ["case_id", "received_date"])
    a = read_table(criminal_small, "arrest_reviews")
    p = read_table(criminal_small, "prosecution_reviews")
    assert (a["decision_date"] >= a["received_date"]).all()
    assert (p["decision_date"] > p["received_date"]).all()
    assert (a["decision_date"].dt.year == a["year"]).all()
    assert (p["decision_date"].dt.year == p["year"]).all()
    both = a.merge(p, on="suspect_id", suffixes=("_a", "_p"))
    assert (both["received_date_p"] > both["decision_date_a"]).all()
    # a case is received when its first suspect's first review is
    m = a.merge(c, on="case_id")
    assert (m["received_date_x"] >= m["received_date_y"]).all()
    first = pd.concat([a[["case_id", "received_date"]], p[["case_id", "received_date"]]])
    earliest = first.groupby("case_id")["received_date"].min()
    # (≤: a suspect whose only decision fell before the data window still opened the case)
    assert (c.set_index("case_id")["received_date"].loc[earliest.index] <= earliest).all()
    assert p["returned_for_investigation"].isin([0, 1, 2]).all()
    # reviews cross year ends: some arrests are decided in the year before the prosecution
    assert (both["decision_date_a"].dt.year < both["decision_date_p"].dt.year).mean() > 0.05


def test_funnel_and_vocabularies(criminal_small: Path) -> None:
    a = read_table(criminal_small, "arrest_reviews")
    p = read_table(criminal_small, "prosecution_reviews")
    s = read_table(criminal_small, "suspects", ["suspect_id"])
    assert set(a["decision"]) == {"批准逮捕", "不批准逮捕", "其他"}
    assert set(a["non_arrest_reason"].dropna()) == {"无社会危险性", "证据不足", "不构成犯罪"}
    assert a["non_arrest_reason"].isna().eq(a["decision"] != "不批准逮捕").all()
    assert set(p["decision"]) == {"起诉", "不起诉", "其他"}
    assert set(p["non_prosecution_type"].dropna()) <= {
        "法定不起诉",
        "酌定不起诉",
        "存疑不起诉",
        "附条件不起诉",
    }
    assert p["non_prosecution_type"].isna().eq(p["decision"] != "不起诉").all()
    # only suspects released for "不构成犯罪" leave before prosecution review (besides the
    # arrests at the end of the last year, whose prosecution falls after the data window)
    c = read_table(criminal_small, "criminal_cases", ["case_id", "case_number"])
    pending = c.loc[c["case_number"].str.contains("检刑捕"), "case_id"]
    s = s[~read_table(criminal_small, "suspects", ["case_id"])["case_id"].isin(pending)]
    gone = set(s["suspect_id"]) - set(p["suspect_id"])
    reasons = a.set_index("suspect_id").loc[sorted(gone), "non_arrest_reason"]
    assert (reasons == "不构成犯罪").all()
    assert np.isclose(len(p) / len(s), 1 - len(gone) / len(s))


def test_case_numbers(criminal_small: Path) -> None:
    c = read_table(criminal_small, "criminal_cases")
    assert c["case_number"].str.fullmatch(r"[\u4e00-\u9fff]{1,8}检刑(诉|捕)〔(\d{4})〕\d+号").all()
    year_in_number = c["case_number"].str.extract(r"〔(\d{4})〕")[0].astype(int)
    assert (year_in_number == c["year"]).all()
    assert c["case_number"].is_unique  # abbreviations are unique nationwide
