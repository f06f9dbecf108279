"""Parties of a judicial auction (竞买人, 竞得人, 承受人) are role words like 买受人: the name after
them is a person's, with or without a colon; the auction's legal text stays."""

import pytest

from desensitize import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param(
            "经公开竞价，竞买人郦春生（竞买代码A3672）以最高应价竞得。", ["郦春生"], id="bidder"
        ),
        pytest.param("竞得人鄢晓岚应于十日内缴纳余款。", ["鄢晓岚"], id="winning-bidder"),
        pytest.param(
            "两次流拍后由申请执行人作为承受人郜明远以物抵债。", ["郜明远"], id="taker-in-kind"
        ),
        pytest.param("竞买人须在拍卖前交纳保证金。", [], id="bidders-in-general"),
        pytest.param("网络司法拍卖的竞买人应当具备完全民事行为能力。", [], id="rule-text"),
    ],
)
def test_auction_roles(analyzer: Analyzer, text: str, names: list[str]) -> None:
    found = [text[s.start : s.end] for s in analyzer.analyze(text) if s.entity == "PERSON"]
    assert found == names
