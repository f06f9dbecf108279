"""The 终本 interview record and the query feedback say what the tables say: the measures the
interview lists are the case's own (with the number of network queries and the last one's date),
the property it describes is the property the case sealed, queued or auctioned, and the feedback
shows a vehicle or property as sealed only from the day of the seal."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from synthgen import read_table

HALF = str.maketrans("０１２３４５６７８９", "0123456789")


@pytest.fixture(scope="module")
def acts(enforcement_casefiles: Path) -> pd.DataFrame:
    a = read_table(enforcement_casefiles, "enforcement_actions")
    a["action_date"] = pd.to_datetime(a["action_date"])
    return a


@pytest.fixture(scope="module")
def closing(enforcement_casefiles: Path) -> pd.Series:
    c = read_table(enforcement_casefiles, "enforcement_cases").set_index("case_id")
    return pd.to_datetime(c["closing_date"])


def _records(root: Path, name: str) -> list[tuple[str, str]]:
    return [(p.parent.name, p.read_text("utf-8").translate(HALF))
            for p in sorted(root.glob(f"casefiles/*/*_{name}.txt"))]  # fmt: skip


def test_interview_lists_the_cases_measures(
    enforcement_casefiles: Path, acts: pd.DataFrame, closing: pd.Series
) -> None:
    checked = 0
    for case, text in _records(enforcement_casefiles, "终本约谈笔录"):
        mine = acts[(acts["case_id"] == case) & (acts["action_date"] <= closing[case])]
        kinds = set(mine["action_type"])
        said = re.search(r"网络资金等(\d+)次（最近一次为(\d+)年(\d+)月(\d+)日）", text)
        if said is None:  # a formal record that left the measures out
            assert "调查措施" not in text
            continue
        queries = mine[mine["action_type"] == "网络查控"]["action_date"]
        assert int(said.group(1)) == len(queries)
        last = queries.max()
        assert tuple(int(g) for g in said.groups()[1:]) == (last.year, last.month, last.day)
        assert ("限制被执行人高消费" in text) == ("限制消费令" in kinds)
        assert ("失信被执行人名单" in text) == ("纳入失信" in kinds)
        assert ("住所地调查" in text) == ("传统查控" in kinds)
        checked += 1
    assert checked > 50


def test_interview_describes_the_cases_property(
    enforcement_casefiles: Path, acts: pd.DataFrame, closing: pd.Series
) -> None:
    seen = {"轮候查封": 0, "唯一住房": 0, "两次拍卖均流拍": 0, "未发现": 0}
    for case, text in _records(enforcement_casefiles, "终本约谈笔录"):
        if "财产情况" not in text and "财产状况" not in text:
            continue
        mine = acts[(acts["case_id"] == case) & (acts["action_date"] <= closing[case])]
        kinds = set(mine["action_type"])
        assert ("轮候查封" in text) == ("轮候查封" in kinds)
        assert ("两次拍卖均流拍" in text) == ("拍卖" in kinds)
        on_assets = mine["asset_id"].notna() & mine["action_type"].isin(
            ["查封", "轮候查封", "扣押", "冻结", "扣划", "续封"])  # fmt: skip
        assert ("未发现被执行人有可供执行" in text) == (not on_assets.any())
        for key in seen:
            seen[key] += key in text
    assert all(n > 0 for n in seen.values()), seen


def test_feedback_shows_seals_from_their_day(
    enforcement_casefiles: Path, acts: pd.DataFrame
) -> None:
    """A sealed property or vehicle is '未查封' / '正常' in the first query's feedback (before the
    seal) and sealed in the last one when the seal came between."""
    both = 0
    for case, text in _records(enforcement_casefiles, "网络查控反馈"):
        day = re.search(r"(?:发起日期|查询日期)：(\d+)年(\d+)月(\d+)日", text)
        assert day is not None
        on = pd.Timestamp(*map(int, day.groups()))
        mine = acts[acts["case_id"] == case]
        ours = mine[(mine["action_type"] == "查封") & (mine["asset_type"] == "不动产")]
        queued = (mine["action_type"] == "轮候查封").any()
        if ours.empty or queued:
            continue
        sealed = (ours["action_date"] <= on).any()
        assert ("已由本院查封" in text) == sealed
        assert ("未查封" in text) == (not sealed) or len(ours) > 1
        both += 1
    assert both > 20
