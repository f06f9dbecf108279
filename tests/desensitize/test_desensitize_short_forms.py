"""Cues added after the fourth held-out batch (docs/desensitize-recall.md): short forms of names
found in the same text, list continuations that propagate, key–value forms, the defendant in a
case title, 银行卡 that is no bank, a crime after a 、-list, plates with "·", two-group passport
numbers and officials' contact landlines. One row per rule, with the near misses each rule must
leave alone."""

from __future__ import annotations

from functools import lru_cache

import pytest

from desensitize import Analyzer, Desensitizer
from desensitize.policy import load_policy

KEY = b"short-forms-test-key-0123456789ab"


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return Analyzer()


def _found(text: str, entity: str = "PERSON") -> list[str]:
    return [text[s.start : s.end] for s in _analyzer().analyze(text) if s.entity == entity]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the given name alone, after the full name, where a name ends
        ("答：我妻子鲁秀兰在菜市场。秀兰说她不知道。", ["鲁秀兰", "秀兰"]),
        ("答：我表姐叫司徒晓芸。问：晓芸知道吗？", ["司徒晓芸", "晓芸"]),
        # not where the given name runs on into a word, nor over a common word
        ("被告人陶海涛到庭。窗外海涛汹涌。", ["陶海涛"]),
        ("被告人朱文明到庭。文明城市创建期间，该店被罚。", ["朱文明"]),
        # the first part of a transliterated name, the called part of a Tibetan name
        (
            "答：钱是我爱人阿依古丽·买买提转账的。问：阿依古丽知道吗？",
            ["阿依古丽·买买提", "阿依古丽"],
        ),
        ("答：对方是一个叫扎西平措的人。后来平措不接电话。", ["扎西平措", "平措"]),
        # the head of a chat display name with a suffix
        (
            "聊天对象：微信昵称“强哥-理财”\n倩如：强哥你怎么不回消息？",
            ["强哥-理财", "强哥"],
        ),
        # a display name without a suffix gives no short form
        ("聊天对象：微信昵称“理财强哥”\n倩如：强哥你怎么不回消息？", ["理财强哥"]),
        # a nickname inside "收银行卡": 银行卡 is a card, not a bank protecting the clause
        ("我们都叫他“五哥”。五哥说有人高价收银行卡。", ["五哥", "五哥"]),
        # a common-word name in a 、-list before 涉嫌: the crime starts after 涉嫌
        ("以被告人孔亮、盛文明、和平涉嫌诈骗罪移送审查起诉", ["孔亮", "盛文明", "和平"]),
        # a list's continuation is a name in the rest of the text
        (
            "1     滕淑华、凤志远    共同共有\n其他说明：凤志远与滕淑华系夫妻关系。",
            ["滕淑华", "凤志远", "凤志远", "滕淑华"],
        ),
        # role words of registries and chat exports
        ("机主：卢倩如  微信号：lqr_1990", ["卢倩如"]),
        ("共有人凤志远与之系夫妻关系", ["凤志远"]),
        # a transliterated name over 共和国 is none (越南社会主义共和国国籍)
        ("男，越南社会主义共和国国籍，护照号码C4561283", []),
    ],
)
def test_short_forms_and_lists(text: str, names: list[str]) -> None:
    assert _found(text) == names


def test_short_forms_stay_in_their_text() -> None:
    """A short form counts only in the text where its full name was found."""
    texts = ["答：我妻子鲁秀兰在家。", "秀兰说她不知道。"]
    spans = _analyzer().analyze_many(texts)
    got = [
        [t[s.start : s.end] for s in ss if s.entity == "PERSON"]
        for t, ss in zip(texts, spans, strict=True)
    ]
    assert got == [["鲁秀兰"], []]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("（晏国梁寻衅滋事案 附件二）", ["晏国梁"]),
        ("（刘长青故意伤害案 起诉书附件）", ["刘长青"]),
        ("本院在审理冉志伟等三人开设赌场一案中", ["冉志伟"]),
        ("审查了高峰涉嫌抢劫案的证据", ["高峰"]),
        # no name before the crime, a masked one, or a word governing it that is no cue
        ("关于交通肇事案的意见", []),
        ("（2024）某某盗窃案", []),
        ("高空抛物案的处理", []),
        ("某某公司职务侵占案", []),
    ],
)
def test_case_titles(text: str, names: list[str]) -> None:
    assert _found(text) == names


FORM = """送达回证
案号          （2024）黔0102刑初517号
受送达人      被告人杭玉山
送达地址      贵阳市南明区花果园
代收人        杭春燕（受送达人之女）  联系电话 15985106342
代收人签名    杭春燕
见证人        骆永健（小区保安）
备注          杭春燕称杭玉山外出未归。"""


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # label, value: the value after a person label is a name, less its remark
        (FORM, ["杭玉山", "杭春燕", "杭春燕", "骆永健", "杭春燕", "杭玉山"]),
        # a label column is no name column, even under a header ending in 人
        ("受送达人      被告人杭玉山\n送达地址      贵阳市\n备注          无", ["杭玉山"]),
        # a table with one header row is still read by columns
        ("收款人    金额\n邝志刚    3,000元\n贲秀芹    1,200元", ["邝志刚", "贲秀芹"]),
        # labels in a form's value cells are not names (当事人 | 姓名)
        ("当事人    姓名\n被告人    李建勋\n证人      周玉兰", ["李建勋", "周玉兰"]),
    ],
)
def test_key_value_forms(text: str, names: list[str]) -> None:
    assert _found(text) == names


@pytest.mark.parametrize(
    ("text", "entity", "values"),
    [
        ("被执行人名下登记有粤B·D8K712小型轿车", "PLATE", ["粤B·D8K712"]),
        ("车牌浙A·12345。", "PLATE", ["浙A·12345"]),
        # after "·" a serial needs a digit and five or six characters
        ("订单号粤B·ABCDEF。", "PLATE", []),
        ("编号粤B·D8K7123。", "PLATE", []),
        ("俄罗斯联邦国籍，护照号码75 4128093。", "PASSPORT", ["75 4128093"]),
        ("护照号码C4561283，入境事由为商务", "PASSPORT", ["C4561283"]),
        # a year after the number is no second group
        ("护照号码E1234567 2020年入境", "PASSPORT", ["E1234567"]),
        # an official's contact landline is the institution's; a party's is not
        ("联系人：执行法官助理    联系电话：0512-68551234（法院）", "LANDLINE", []),
        ("承办检察官：周立  电话：029-88452200", "LANDLINE", []),
        ("被害人周立  电话：029-88452200", "LANDLINE", ["029-88452200"]),
        ("检察官助理联系了被害人，电话：0371-66552211", "LANDLINE", ["0371-66552211"]),
    ],
)
def test_identifier_forms(text: str, entity: str, values: list[str]) -> None:
    assert _found(text, entity) == values


def test_release_removes_short_forms_and_keeps_the_crime() -> None:
    des = Desensitizer(load_policy("teaching"), key=KEY)
    text = "以被告人孔亮、盛文明、和平涉嫌诈骗罪移送。答：我妻子鲁秀兰在家，秀兰说不知道。"
    out = des.text(text).text
    assert [w for w in ("盛文明", "和平", "鲁秀兰", "秀兰") if w in out] == []
    assert "涉嫌诈骗罪" in out
