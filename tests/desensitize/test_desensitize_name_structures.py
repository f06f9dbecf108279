"""Structural name cues added after the third and fourth hard-set batches
(docs/desensitize-recall.md, "结构线索"): one sentence per rule, with the near misses each rule
must leave alone, and the shared candidate filter of the person recognizers."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from desensitize import Analyzer, Desensitizer
from desensitize.policy import load_policy
from desensitize.recognizers.base import CandidateFilter, Doc
from desensitize.recognizers.person_lists import (
    LedgerNameRecognizer,
    ListExtender,
    SpeakerNameRecognizer,
)


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return Analyzer()


def _names(text: str) -> list[str]:
    return [text[s.start : s.end] for s in _analyzer().analyze(text) if s.entity == "PERSON"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # kinship words composed with 其/之/他/她/我/你, and kin terms of two characters alone
        ("答：在家，他爸靳国梁陪着他。", ["靳国梁"]),
        ("财务由其外甥女茅晓丹负责。", ["茅晓丹"]),
        ("我小舅子卢志明借过钱。", ["卢志明"]),
        # a person noun and a link before the name
        ("经查，9号照片中的男子为晏子健。", ["晏子健"]),
        ("骗他的人叫宁子谦。", ["宁子谦"]),
        # role remark in parentheses, list numbers, filler words after the role
        ("被上诉人（原审原告）宣明亮，男，1965年出生。", ["宣明亮"]),
        ("甲方（出借人）：宋建伟", ["宋建伟"]),
        ("出庭证人：1.宗立新（被告人同事）；2.雷晓娟；3.庾建波。", ["宗立新", "雷晓娟", "庾建波"]),
        ("被害人包括毕海鹰、车丽君等人。", ["毕海鹰", "车丽君"]),
        # a description set off by a space between the role and the name
        ("见证人：居委会工作人员 尤丽娜", ["尤丽娜"]),
        # titles ending in 表/记 and 主任
        ("参会人员：村委会主任韩德胜、村民代表谭秀英、祁红军", ["韩德胜", "谭秀英", "祁红军"]),
        # weak anchors 由 and 系 need a full reading at a boundary
        ("公司由戴文斌、单丽芬共同出资设立", ["戴文斌", "单丽芬"]),
        ("该车系于建民于2021年购买", ["于建民"]),
        # quoted aliases: a list named by an alias word, equated with a name, followed by 的
        ("使用“东哥”“阿东”等昵称与被害人聊天", ["东哥", "阿东"]),
        ("答：“小胖”就是戴宇航，是我同学。", ["小胖", "戴宇航"]),
        ("其手下人称“小六子”的马骏负责望风", ["小六子", "马骏"]),
        ("大家都叫他皮老三，后来", ["皮老三"]),
        # a Han rendering before a Latin name with a nationality after a comma
        ("同案人员田中健一（TANAKA KENICHI，日本国籍）", ["田中健一", "TANAKA KENICHI"]),
        # table headers ending in 姓名 or 人; a company in a person column is not a name
        ("工号    员工姓名    应发工资\nA017    尉迟明轩    6800", ["尉迟明轩"]),
        ("受送达人        签收人\n温州某某公司    阮晓蕾", ["阮晓蕾"]),
        # form labels ending in 人, contract parties, 本人 and 今欠, occupations ending in 贩
        ("欠条\n欠款人：魏国强\n2024年1月5日", ["魏国强"]),
        ("出租方：苗桂兰（以下简称甲方）", ["苗桂兰"]),
        ("谅解书：本人庄晓婷，系被害人之女。", ["庄晓婷"]),
        ("今欠邓丽君人民币叁万元整", ["邓丽君"]),
        ("后销售给肉贩史永康、薄春花。", ["史永康", "薄春花"]),
        ("被告人郑伟利用职务便利", ["郑伟"]),
        # a table cell opening with a role word, villagers, numbered lines after a signature
        ("序号    提供人\n1       原告晋红英\n2       原告晋红英", ["晋红英", "晋红英"]),
        ("当晚系其与同村村民钭小军一同前往", ["钭小军"]),
        ("见证人签字：\n1. 柏青山（村民委员会委员）\n2. 蒙丽娟（村民）", ["柏青山", "蒙丽娟"]),
        ("被告人眭文斌的母亲贡秀兰、舅舅鄂志明多次道歉", ["眭文斌", "贡秀兰", "鄂志明"]),
        # a name before 先生/女士/您好, an alias word ending a profile entry's lead
        ("尊敬的殷建平先生：", ["殷建平"]),
        ("【平安快递】储晓光您好", ["储晓光"]),
        ("犯罪嫌疑人富国安，曾用名富安，男", ["富国安", "富安"]),
        # near misses: forms of address, particles, organizations, legal text
        ("老张同志来了；小王先生您好；各位先生、女士", []),
        ("证人证言（证人：耿志华）  被告曾承认借款", ["耿志华"]),
        ("1990年2月14日出生，大韩民国国籍", []),
        ("被告人向微信昵称为“阳光男孩”的用户转账", ["阳光男孩"]),
        ("责任人：同意", []),
        ("老板梁建国叫他尚总。", ["梁建国"]),
        ("问：你认识龙飞吗？", ["龙飞"]),
        ("甲方：王氏集团有限公司", []),
        ("“高利贷”就是违法的", []),
        ("被告人为逃避债务", []),
        ("担任董事，负责经营", []),
        ("住房和城乡建设局登记王某某为户主", []),
        ("江山市人民法院、高平市人民检察院审理", []),
        ("本金10万元、利息2万元", []),
    ],
)
def test_structural_cues(text: str, names: list[str]) -> None:
    assert _names(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "向以下人员转账：鄢志宏32万元、钮海燕18万元、盛晓光9.5万元。",
            ["鄢志宏", "钮海燕", "盛晓光"],
        ),
        ("赔偿：医疗费3万元、护理费2万元", []),  # no item reads as a name
        ("转账：鄢志宏32万元。", []),  # a single item is not a ledger
        ("本金10万元、利息2万元、马上5元", []),  # common words are not names
    ],
)
def test_ledger_items(text: str, names: list[str]) -> None:
    hits = LedgerNameRecognizer().hits(Doc(text))
    assert [text[a:b] for a, b, *_ in hits] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("记录\n陶志远 2023-05-01 21:03\n到了\n桂芳菲 21:05\n好", ["陶志远", "桂芳菲"]),
        ("约翰·史密斯 09:30:12\nhello", ["约翰·史密斯"]),
        ("时间 2023-05-01 21:03\n地点 本院", []),  # a field label, not a speaker
        ("开庭时间 09:30", []),
        ("陶志远 2023-05-01 21:03 到了", []),  # the time does not close the line
        ("寒江雪(28817366) 22:14:05\n在吗", ["寒江雪"]),  # a display name with its account
    ],
)
def test_speaker_lines(text: str, names: list[str]) -> None:
    hits = SpeakerNameRecognizer().hits(Doc(text))
    assert [text[a:b] for a, b, *_ in hits] == names


@pytest.mark.parametrize(
    ("text", "found", "extended"),
    [
        ("户名分别为莫文涛、甘淑贤、莫小川。", (5, 8), ["甘淑贤", "莫小川"]),
        ("莫文涛、马上离开", (0, 3), []),  # a common word ends the list
        ("莫文涛、金华市民", (0, 3), []),  # so does a place
        ("莫文涛。甘淑贤", (0, 3), []),  # only 、 continues a list
    ],
)
def test_list_extension(text: str, found: tuple[int, int], extended: list[str]) -> None:
    hit = (*found, "PERSON", 0.9, "test")
    assert [text[a:b] for a, b, *_ in ListExtender().extend(text, [hit])] == extended


_SHAPE = re.compile("[\u4e00-\u9fff]{2,4}")
_MASKED = re.compile("[\u4e00-\u9fff]某+")


@pytest.mark.parametrize(
    ("span", "score", "kept"),
    [
        ("张三", 0.9, True),
        ("张三", 0.0, False),  # score 0: read (an already-masked name), not reported
        ("王某", 0.9, False),  # a reject pattern
        ("性别", 0.9, False),  # a word that fills a name slot
        ("A1", 0.9, False),  # the wrong shape
    ],
)
def test_candidate_filter(span: str, score: float, kept: bool) -> None:
    filt = CandidateFilter(_SHAPE, (_MASKED,), frozenset({"性别"}))
    text = f"，{span}，"
    hits = filt.hits(text, [(1, 1 + len(span), score, "test")])
    assert (hits == [(1, 1 + len(span), "PERSON", score, "test")]) is kept


def test_candidate_filter_reject_ends_skip_only_spans_that_cannot_match() -> None:
    titles = re.compile("[\u4e00-\u9fff]总")
    filt = CandidateFilter(None, (titles,), reject_ends=frozenset("总"))
    text = "尚总张三"
    kept = filt.hits(text, [(0, 2, 0.9, "t"), (2, 4, 0.9, "t")])
    assert [text[a:b] for a, b, *_ in kept] == ["张三"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("被约谈人：司徒海燕，申请执行人", ["司徒海燕"]),
        ("收件人签名：傅海燕", ["傅海燕"]),
        ("被告人海燕称不知情", ["海燕"]),
    ],
)
def test_a_known_given_name_yields_to_the_full_name(text: str, names: list[str]) -> None:
    """A persons table may hold 海燕 (surname 海); inside 傅海燕 it is the tail of another name."""
    des_known = Desensitizer(
        load_policy("teaching"), key=b"structures-key-0123456789abcdef", known_names=["海燕"]
    )
    spans = des_known.analyze_many([text])[0]
    assert [text[s.start : s.end] for s in spans if s.entity == "PERSON"] == names


def test_address_below_the_county_is_released_and_the_county_kept() -> None:
    """The hard set scores names exactly; an address is checked on release instead (its span
    rules are those of desensitize.evaluation, not the hard set's)."""
    text = "被告人伍建平，住广东省深圳市南山区粤海街道科技园路88号2栋1203室。"
    out = Desensitizer(load_policy("teaching"), key=b"structures-key-0123456789abcdef").text(text)
    assert ("伍建平" in out.text, "科技园路88号" in out.text, "广东省深圳市南山区" in out.text) == (
        False,
        False,
        True,
    )
