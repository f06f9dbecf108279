"""VINs and passports as entities, and single-sentence cases of the name layouts added for the
recall hard set (docs/desensitize-recall.md), including the false positives met on the way."""

from __future__ import annotations

import re

import numpy as np
import pytest

from desensitize import Analyzer, Desensitizer, load_policy
from desensitize.lexicon import alternation
from desensitize.operators.surrogates import surrogate_vin
from desensitize.recognizers.vin import vin_check_char, vin_valid
from desensitize.trie import trie_regex

KEY = b"recall-test-key-0123456789abcdef0123"


@pytest.mark.parametrize(
    ("vin", "valid"),
    [
        ("1M8GDM9AXKP042788", True),  # the textbook example, check digit X
        ("11111111111111111", True),
        ("LSVAU218XN2183294", True),
        ("lsvau218xn2183294", True),  # case does not matter
        ("LSVAU2180N2183294", False),  # wrong check digit
        ("LSVAU218XN218329", False),  # 16 characters
        ("LSVAU218XN2183I94", False),  # I is not used in VINs
        ("LSVOU218XN2183294", False),  # nor O
    ],
)
def test_vin_check_digit(vin: str, valid: bool) -> None:
    assert vin_valid(vin) is valid


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.entity) for s in Analyzer().analyze(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("查封车辆LSVAU218XN2183294一辆", [("LSVAU218XN2183294", "VIN")]),
        ("车架号为LSVAU2180N2183294", [("LSVAU2180N2183294", "VIN")]),  # context, bad check
        ("序列号SN7A3B9C2D1E4F5G6", []),  # 17 characters, fails the check, no context
        ("编号12345678901234567", []),  # digits only (a bank-card-like number, not a VIN)
        ("订单号LSVAU218XN21832945", []),  # 18 characters
        ("护照号码：532718846", [("532718846", "PASSPORT")]),
        ("护照号PAA123456", [("PAA123456", "PASSPORT")]),
        ("护照号码C01X00T47", [("C01X00T47", "PASSPORT")]),
        ("订单号PAA123456", []),
        ("护照已过期", []),
    ],
)
def test_vins_and_passports(text: str, want: list[tuple[str, str]]) -> None:
    assert [f for f in _found(text) if f[1] in {"VIN", "PASSPORT"}] == want


def test_vin_surrogate_keeps_maker_and_year_and_validates() -> None:
    des = Desensitizer(load_policy("teaching"), key=KEY)
    vin = "LSVAU218XN2183294"
    first = des.text(f"车架号{vin}，复核车架号{vin}").text
    surrogate = first[3:20]
    assert vin_valid(surrogate) and surrogate != vin
    assert (surrogate[:3], surrogate[9]) == (vin[:3], vin[9])
    assert first == f"车架号{surrogate}，复核车架号{surrogate}"


def test_vin_surrogate_check_digit_is_recomputed() -> None:
    digests = np.arange(64, dtype=np.uint8).reshape(2, 32)
    out = surrogate_vin(digests, ["1M8GDM9AXKP042788", "LSVAU218XN2183294"])
    assert [v[8] == vin_check_char(v) for v in out] == [True, True]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("被告人龙志强（绰号“小四”，曾用名龙四海），男", ["龙志强", "小四", "龙四海"]),
        ("“黑皮”（真名晏国辉）已另案处理", ["黑皮", "晏国辉"]),
        ("原告：次仁多吉，男，1978年出生，藏族", ["次仁多吉"]),
        ("证人斯琴图雅证实二人长期不和", ["斯琴图雅"]),
        ("| 序号 | 姓名 |\n| 1 | 上官婉清 |\n| 2 | 王某某 |", ["上官婉清"]),
        ("姓名      性别\n江山      男", ["江山"]),
        ("证人和平、证人时光分别系被害人的堂兄和表弟。", ["和平", "时光"]),
        ("被告人约翰·史密斯（JOHN SMITH），英国国籍", ["约翰·史密斯", "JOHN SMITH"]),
        ("其妻子苏菲·马丁（Sophie Martin）系法国国籍", ["苏菲·马丁", "Sophie Martin"]),
        ("，郝春雷与温雅琴共同出资；，郝春雷任法定代表人", ["郝春雷", "温雅琴", "郝春雷"]),
        ("由其表哥申屠宏亮经营，申屠宏亮另控制金华市宏亮物流有限公司", ["申屠宏亮", "申屠宏亮"]),
        # false positives met while writing the set
        ("相关部门包括住房和城乡建设局", []),
        ("骗取被害人钱款。", []),
        ("在金华、向阳街道、石门县等地务工", []),
        ("被告人曾先后在金华务工，申请人向来按时还款", []),
        ("序号\t姓名\t备注\n3\t匡立新\t证人\n4\t祁文明\t证人", ["匡立新", "祁文明"]),
        ("外籍人员信息\n姓名：Peter Müller", ["Peter Müller"]),
    ],
)
def test_name_layouts(text: str, names: list[str]) -> None:
    assert [v for v, e in _found(text) if e == "PERSON"] == names


@pytest.mark.parametrize(
    "words",
    [["被告", "被告人", "被"], ["张三"], ["a.b", "a*b", "(x)"], ["其妻", "其妻子", "妻子"]],
)
def test_alternation_matches_the_longest_word(words: list[str]) -> None:
    """The trie-shaped alternation behaves as the longest-first flat one it replaced."""
    texts = ["被告人到庭", "被害人", "张三丰", "a.b a*b (x) axb", "其妻子王芳，妻子李某"]
    flat = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for text in texts:
        got = [m.group() for m in re.finditer(alternation(words), text)]
        assert got == [m.group() for m in re.finditer(flat, text)]
    assert trie_regex([]).search("anything") is None
