"""A weak anchor that begins a word (同时, 同居, 同向) names nobody; real names after it count.

Found in a generated enforcement log: the note "与执行通知同时发出" was read as the person
时发出 and replaced in every 报告财产令 row (about 11 million cells in a national year).
"""

import pytest

from desensitize import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("报告财产令与执行通知同时发出。", [], id="same-time-note"),
        pytest.param("执行通知书与报告财产令同时发出，被执行人未到庭。", [], id="same-time-mid"),
        pytest.param("二人同居多年。", [], id="cohabit"),
        pytest.param("同向行驶的车辆。", [], id="same-direction"),
        pytest.param("与时俱进。", [], id="idiom"),
        pytest.param("向高院申请复议。", [], id="high-court-abbreviation"),
        pytest.param("双方同步进行。", [], id="in-step"),
        pytest.param("向张三支付款项。", ["张三"], id="real-name-after-xiang"),
        pytest.param("与李明同时到庭。", ["李明"], id="real-name-before-tongshi"),
        pytest.param("被执行人帮冯国强收钱。", ["冯国强"], id="real-name-after-bang"),
    ],
)
def test_cue_compounds(analyzer: Analyzer, text: str, names: list[str]) -> None:
    found = [text[s.start : s.end] for s in analyzer.analyze(text) if s.entity == "PERSON"]
    assert found == names
