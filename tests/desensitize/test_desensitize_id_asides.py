"""Cues added after the fifth held-out batch (docs/desensitize-recall.md): names before an
identity-number aside and the lists that go on after it, the verb 犯 before a crime after a
、-list, table headers ending in 机主/对方/昵称, the 记录人 of a lawyer's 会见笔录, lawyers'
role words, rare surnames, 表兄, Kazakh names and the labels 对方账户/实名. One row per rule,
with the near misses each rule must leave alone."""

from __future__ import annotations

from functools import lru_cache

import pytest

from desensitize import Analyzer
from desensitize.recognizers.base import Doc

CALLS = """序号 | 主叫号码 | 主叫机主 | 被叫号码 | 被叫机主
1 | 13904715528 | 苏日娜 | 15248176630 | 敖登格日乐
2 | 15248176630 | 敖登格日乐 | 13904715528 | 苏日娜"""

PAYMENTS = """交易时间 | 交易对方 | 对方微信昵称 | 金额(元)
2024-03-01 09:12:40 | 廖美玲 | 玲玲 | 3000.00
2024-03-09 11:20:17 | 财付通支付科技有限公司 | - | 88.00"""


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return Analyzer()


def _found(text: str, entity: str = "PERSON") -> list[str]:
    return [text[s.start : s.end] for s in _analyzer().analyze(text) if s.entity == entity]


def _protected(text: str) -> list[str]:
    """The strings the allow-list protects (crimes, officials, organizations)."""
    return [text[h[0] : h[1]] for h in _analyzer().protector.find(Doc(text, [0]))]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a name opening an entry before （公民身份号码…）, and the list after the aside
        (
            "夏侯晓峰（公民身份号码330102198811230417）、舒彩云：本院受理原告诉你们一案",
            ["夏侯晓峰", "舒彩云"],
        ),
        ("附表：裘宏图（身份证号330621197903150038）名下不动产一处", ["裘宏图"]),
        # not inside a sentence, not an organization, not a masked name
        ("住所地王家村张三丰（身份证号330621197903150038）", []),
        ("中国银行（证件号码见附件）", []),
        ("王某（公民身份号码略）", []),
        # an aside that no 、 follows ends the list
        ("证人梁建平（系被告人之兄）称其当晚在家", ["梁建平"]),
    ],
)
def test_names_before_identity_asides(text: str, names: list[str]) -> None:
    assert _found(text) == names


@pytest.mark.parametrize(
    ("text", "names", "crime"),
    [
        # the crime after a 、-list starts after the verb 犯, not at the last name
        ("指控被告人尉迟振宇、桑晓梅犯寻衅滋事罪", ["尉迟振宇", "桑晓梅"], "寻衅滋事罪"),
        ("被告人欧阳德华、上官丽犯故意伤害罪", ["欧阳德华", "上官丽"], "故意伤害罪"),
        # the 犯 of 侵犯 is no verb before the crime
        ("被告人桑晓梅曾因侵犯著作权罪被判刑", ["桑晓梅"], "著作权罪"),
        ("犯罪嫌疑人贝立新、柏思远涉嫌盗窃罪", ["贝立新", "柏思远"], "盗窃罪"),
    ],
)
def test_crime_after_a_list_of_names(text: str, names: list[str], crime: str) -> None:
    assert _found(text) == names
    assert crime in _protected(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # columns headed 主叫机主, 交易对方, 对方微信昵称 hold persons
        (CALLS, ["苏日娜", "敖登格日乐", "敖登格日乐", "苏日娜"]),
        # a company in a 交易对方 column is no name; nicknames are
        (PAYMENTS, ["廖美玲", "玲玲"]),
        # a header cell 对方 under no row separator is read as nothing
        ("对方称其不认识被告人", []),
    ],
)
def test_table_headers(text: str, names: list[str]) -> None:
    assert _found(text) == names


LAWYER = """会见笔录
会见律师：钟离建业、庞雪（湖北楚天律师事务所）
记录人：庞雪"""

COURT = """执行谈话笔录
承办法官：赵凯
记录人：周立"""


@pytest.mark.parametrize(
    ("text", "names", "officials"),
    [
        # a lawyer's own record: its 记录人 is a lawyer, a private person
        (LAWYER, ["钟离建业", "庞雪", "庞雪"], []),
        # a court's record: its 记录人 is court staff, whose name stays
        (COURT, [], ["赵凯", "周立"]),
    ],
)
def test_recorder_of_a_lawyers_record(text: str, names: list[str], officials: list[str]) -> None:
    assert _found(text) == names
    assert _found(text, "OFFICIAL") == []  # officials are protected, never reported
    assert [p for p in _protected(text) if p in officials] == officials


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("证人仉德旺证实，他妈叫仉秀英。", ["仉德旺", "仉秀英"]),
        ("经走访，其表兄苗立军称案发后见过他", ["苗立军"]),
        ("罪犯祁红波现在其表弟付海潮开的面馆帮工", ["祁红波", "付海潮"]),
        # the surname 付, not the verb 付 after a role word (付清, 付出, 付款 are common words)
        ("被告付建国辩称其已还款", ["付建国"]),
        ("应向原告付清租金", []),
        ("证人付出了努力，原告付款后被告付了两万", []),
        # 开的 after a word is no name's end
        ("罪犯现在其表弟开的面馆帮工", []),
        ("婚后育有一子叶尔江和一女努尔古丽", ["叶尔江", "努尔古丽"]),
        ("婚后育有一子一女", []),
        ("对方账户：邬建华　支付宝账号：wjh19880312", ["邬建华"]),
        ("对方账户：中国工商银行", []),
        ("支付宝交易明细（实名：滕雅琪）", ["滕雅琪"]),
        ("本院指派值班律师为其提供法律帮助", []),
    ],
)
def test_role_words_and_surnames(text: str, names: list[str]) -> None:
    assert _found(text) == names
