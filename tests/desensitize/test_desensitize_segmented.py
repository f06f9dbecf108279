"""The statistical name finder (recognizers/person_segmented) and the fixes that came with it:
names with no cue, what it must not take, bracketed aliases, 阿不都 short forms, the end of a
transliterated name before a long word. Texts are written for these tests, not taken from any
held-out batch (docs/desensitize-recall.md)."""

from __future__ import annotations

import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from desensitize import Desensitizer, load_policy
from desensitize.recognizers.base import SEP, Doc
from desensitize.recognizers.person_segmented import SegmentedNameRecognizer

KEY = b"segmented-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def des() -> Desensitizer:
    return Desensitizer(load_policy("teaching"), key=KEY)


def _persons(des: Desensitizer, text: str) -> set[str]:
    return {text[s.start : s.end] for s in des.analyze_many([text])[0] if s.entity == "PERSON"}


# (text, names that must be found, strings no person span may touch)
CASES = [
    # no cue: the segmenter cuts an unknown word that reads as a name
    ("我要控告庞立民合同诈骗，他骗走我二十万元。", {"庞立民"}, ["合同诈骗"]),
    ("当晚在KTV的还有宓春燕，她先走了。", {"宓春燕"}, []),
    # a form field whose given name is a dictionary word (海波, 雪)
    ("骑手：郜海波，骑手编号HZ-1102", {"郜海波"}, []),
    ("乘客：尉迟雪（已实名），上车点：体育馆东门", {"尉迟雪"}, ["体育馆"]),
    # bracketed alias without a surname, and a blank one
    ("犯罪嫌疑人纳志强（经名尔萨）到案后如实供述。", {"纳志强", "尔萨"}, []),
    ("被告人龙建华（曾用名不详），男。", {"龙建华"}, ["不详"]),
    # 阿不都 + the name the bearer is called by
    ("被害人阿不都克里木·艾则孜（克里木）称不认识被告人。", {"阿不都克里木·艾则孜", "克里木"}, []),
    # a transliterated name ends before a long dictionary word
    ("由其妹妹帕丽旦·吐尔逊一次性支付赔偿款。", {"帕丽旦·吐尔逊"}, ["一次性支付"]),
    # rare surname 雒 with no anchor but a title after it
    ("已委托律师事务所的雒文涛律师代理，并提交了雒文涛出具的意见。", {"雒文涛"}, []),
    # a header with one full-width space where the rows have two
    (
        "序号　姓名　　小组\n01　　锁文华　　三组\n02　　喇春梅　　四组",
        {"锁文华", "喇春梅"},
        ["三组"],
    ),
    # a bracketed sex and age after a name with no role word
    ("与步行通过人行横道的乜秀英（女，71岁）发生碰撞。", {"乜秀英"}, ["人行横道"]),
    # the bearer before an alias word, and a nickname glossed with 即
    ("答：带头的是燕立春，外号叫“黑皮”。", {"燕立春", "黑皮"}, []),
    ("其邻居“小尚阿姨”（即尚玉珍）可以作证。", {"小尚阿姨", "尚玉珍"}, []),
    # a Yi name read whole, and the name its bearer is called by
    ("为犯罪嫌疑人沙马阿果指派律师。家人称其为“阿果”。", {"沙马阿果", "阿果"}, ["指派"]),
    # quoted nicknames after 叫我 and 称其; a given name before 哥
    ("答：他叫我“朵朵”，邻居们都称其“老庹”。", {"朵朵", "老庹"}, []),
    ("原告谯秋生诉称借款未还。被告说“秋生哥的钱过年一定还”。", {"谯秋生", "秋生"}, []),
    # the part after the last "·", with a Latin name beside the full one
    ("被不起诉人亚历山大·彼得罗夫（PETROV ALEXANDER）。彼得罗夫称不知道。", {"彼得罗夫"}, []),
    # a 姓名 field whose surname the table lacks; an age in brackets; a glossed passport name
    ("与户主关系：儿媳　姓名：双秀梅　性别：女", {"双秀梅"}, []),
    ("会长阿婆买桂英（七十九岁）称其很少回家。", {"买桂英"}, []),
    ("0612|PARK SEOYEON（朴叙妍）|护照|M70315824", {"PARK SEOYEON", "朴叙妍"}, []),
    # a payer's name glued to the bank's name
    ("原告谯秋生诉称。当日，谯秋生通过其中国农业银行账户转账。", {"谯秋生"}, ["中国农业银行"]),
    # two Tibetan syllables anywhere; nicknames before a bracketed real name
    ("站长次仁多吉到场处理。", {"次仁多吉"}, []),
    ("被告物业管家“小甘”（甘婷婷）仅口头答复。", {"小甘", "甘婷婷"}, []),
    ("被告公寓管家Tommy（真名邰明宇）当晚不在。", {"Tommy", "邰明宇"}, ["公寓"]),
    # a romanized Yi alias in brackets, an alias field closed by a space
    ("社区矫正对象：阿苏日哈（彝名：Axsu Rrihxa），男。", {"Axsu Rrihxa"}, []),
    ("曾用名：无　　小名：彤彤　　学号：15", {"彤彤"}, []),
    # surnames 琚 and 刀; a translator is a participant, not an official
    ("收件人：琚永胜　　收件人电话：略", {"琚永胜"}, []),
    ("聘请翻译人员刀玉香（越南语）", {"刀玉香"}, []),
    # a nickname before a bracketed name and a comma; an unquoted 小X before one; the bearer
    # before a bracketed religious name; 常用名; Yi clans 阿约, 俄木, 海来
    ("乙方朋友“阿豪”（黎子豪，电话略）", {"阿豪", "黎子豪"}, []),
    ("4｜2025-01-13 08:20｜小纳（纳海燕）｜租户", {"小纳", "纳海燕"}, []),
    ("1｜2025-01-12 19:42｜马振海（经名：尔撒）｜业主", {"马振海", "尔撒"}, []),
    ("寄件人：农秀娅（常用名“达秀”），证件略", {"农秀娅", "达秀"}, []),
    ("户主：俄木拉则，家庭成员：海来木呷（母）。", {"俄木拉则", "海来木呷"}, []),
    # compound surnames 鲜于 and 贺兰
    ("同案犯罪嫌疑人鲜于志远另案处理；辩护人：贺兰思雨。", {"鲜于志远", "贺兰思雨"}, []),
]

# (text, strings no person span may touch): the finder's known traps
NOT_NAMES = [
    ("被告人陈述：我用银行卡转账。", ["陈述", "银行卡"]),
    ("立案决定书文号：郑金公（刑）立字〔2025〕6603号", ["郑金公"]),
    ("现住址：济南市莱芜区鹏泉东大街18号", ["区鹏泉"]),
    ("申请执行人：上海弘毅融资租赁有限公司", ["弘毅"]),
    ("调取人：侦查员 胡斌、程亮", ["胡斌", "程亮"]),
    ("听证员：唐文华（市人大代表）、彭丽君（人民监督员）", ["唐文华", "彭丽君"]),
    ("竞价于10月29日10时止，不动产权第0187号", ["时止", "权第"]),
    ("住所地：上海市闵行区莘庄镇", ["莘庄镇"]),
    # an alias word with nobody named before it, a form of address, a preposition
    ("他在公司的外号“胖子”，没人知道真名。", ["公司的"]),
    ("答：住我们对门的邵阿姨也看到了。", ["邵阿姨"]),
    ("被告人向微信昵称为“阳光”的人转账。", ["向微信", "微信"]),
    ("其儿子“考上了大学”，全家很高兴。", ["考上了大学"]),
    ("由Apple Inc（苹果公司）提供技术支持。", ["苹果公司"]),
    ("KIM MIN JUN（中文译名金敏俊），男。", ["中文译名"]),
    ("扎西德勒！此事（即便如此）与Beijing（北京）无关。", ["扎西德勒", "便如此", "北京"]),
    ("门卫在小区（北门）值班，阿姨（退休）也在。", ["北门", "退休"]),
    # empty fields and brackets, and an idiom built of names, name nobody
    ("姓名：\n乘客：\n（经名）\n小名：\n“”（）\n阿不都·", ["姓名", "乘客", "经名", "小名"]),
    ("这种事张三李四谁都可能遇到。", ["张三李四", "张三"]),
]


@pytest.mark.parametrize(("text", "names", "kept"), CASES)
def test_names_without_cues_are_found(
    des: Desensitizer, text: str, names: set[str], kept: list[str]
) -> None:
    found = _persons(des, text)
    assert names <= found, found
    assert not [k for k in kept if any(k in f or f in k for f in found)], found


@pytest.mark.parametrize(("text", "kept"), NOT_NAMES)
def test_traps_are_not_names(des: Desensitizer, text: str, kept: list[str]) -> None:
    found = _persons(des, text)
    assert not [k for k in kept if any(k in f or f in k for f in found)], found


def test_the_finder_alone_proposes_only_unknown_words() -> None:
    """Dictionary words tagged as names by the segmenter (陈述) are never proposed, and a
    batch joined by SEP gives the same hits as its texts one by one."""
    finder = SegmentedNameRecognizer()
    texts = ["我要控告庞立民合同诈骗。", "被告人陈述：无异议。", "当晚在场的还有宓春燕。"]
    joined = SEP.join(texts)
    hits = [joined[h[0] : h[1]] for h in finder.hits(Doc(joined))]
    single = [t[h[0] : h[1]] for t in texts for h in finder.hits(Doc(t))]
    assert hits == single == ["庞立民", "宓春燕"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("王李张宓庞立民合同诈骗陈述，。 \n\t·12aZ😀" + SEP)))
def test_segments_cover_the_text_exactly(text: str) -> None:
    """The finder turns segment lengths into offsets: the segments must be the text."""
    assert "".join(rjieba.cut(text)) == text


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        (
            "对手机中微信应用（登录账号wxid_9p3kd7x2mq41）进行了提取。",
            "ONLINE_ID",
            "wxid_9p3kd7x2mq41",
        ),
        ("道路交通事故认定书 第510104120250000417号", None, "510104120250000417"),
        ("全国学籍号：G430104201205173020", "ID_CARD", "430104201205173020"),
        ("证件类型：护照　　证件号码：533918274　　国籍：英国", "PASSPORT", "533918274"),
        ("居留许可证号码E31K28475，现住北京", "PASSPORT", "E31K28475"),
    ],
)
def test_numbers_by_their_own_form(
    des: Desensitizer, text: str, entity: str | None, value: str
) -> None:
    """A WeChat internal id needs no label; a number after 第 and before 号 is a document's."""
    got = {(text[s.start : s.end], s.entity) for s in des.analyze_many([text])[0]}
    if entity is None:
        assert not [g for g in got if value in g[0]], got
    else:
        assert (value, entity) in got
