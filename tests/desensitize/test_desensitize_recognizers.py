"""Each recognizer on valid, invalid and tricky inputs: (text, expected [(substring, entity)])."""

from __future__ import annotations

import pytest

from desensitize import Analyzer
from desensitize.normalize import FOLD_TABLE, fold

ANALYZER = Analyzer()


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.entity) for s in ANALYZER.analyze(text) if s.entity != "DATE"]


CASES = [
    # 18-digit ID: checksum valid (incl. lowercase x), invalid without context dropped
    ("号码11010519491231002X。", [("11010519491231002X", "ID_CARD")]),
    ("号码11010519491231002x。", [("11010519491231002x", "ID_CARD")]),
    ("编号110105194912310021。", [("110105194912310021", "BANK_CARD")]),
    ("订单11010519491231002X9", []),
    # 15-digit old ID: needs a real date
    ("旧证330702850305123。", [("330702850305123", "ID_CARD")]),
    ("编号330702851335123。", []),
    # mobiles: plain, spaced, hyphenated, +86, full-width
    ("电话13912345678", [("13912345678", "PHONE")]),
    ("手机139 1234 5678。", [("139 1234 5678", "PHONE")]),
    ("手机139-1234-5678。", [("139-1234-5678", "PHONE")]),
    ("手机+86 13912345678。", [("+86 13912345678", "PHONE")]),
    ("手机１３９１２３４５６７８。", [("１３９１２３４５６７８", "PHONE")]),
    ("金额12912345678元", []),
    # landlines with area code and extension
    ("电话0579-82123456转123。", [("0579-82123456转123", "LANDLINE")]),
    ("电话010-62345678。", [("010-62345678", "LANDLINE")]),
    ("电话(0571)87654321。", [("(0571)87654321", "LANDLINE")]),
    # bank cards: Luhn-valid, spaced, Luhn-invalid still found
    ("卡号6222021234567890128。", [("6222021234567890128", "BANK_CARD")]),
    ("卡号6222 0212 3456 7890 128。", [("6222 0212 3456 7890 128", "BANK_CARD")]),
    ("账号6222021234567890127。", [("6222021234567890127", "BANK_CARD")]),
    # USCC: check character decides
    ("代码91330100799655058B。", [("91330100799655058B", "USCC")]),
    ("代码91330100799655058C。", []),
    # plates: ordinary, "·", new-energy small and large, not a longer token
    ("车牌浙G12345。", [("浙G12345", "PLATE")]),
    ("车牌浙A·12345。", [("浙A·12345", "PLATE")]),
    ("车牌浙GD12345。", [("浙GD12345", "PLATE")]),
    ("车牌浙G12345D。", [("浙G12345D", "PLATE")]),
    ("型号浙GI2345。", []),
    # foreign numbers with "+" and a country code; +86 stays the mainland rule's; too few digits
    ("电话+82 10-5531-0942。", [("+82 10-5531-0942", "PHONE")]),
    ("手机+7 915 204 88 31，", [("+7 915 204 88 31", "PHONE")]),
    ("号码+4915209876543。", [("+4915209876543", "PHONE")]),
    ("温度+12 3 度", []),
    ("手机+86 1391234567", []),
    # a passport number in the cell after the certificate type of a register row
    ("| 护照 | C6204517 | 越南 |", [("C6204517", "PASSPORT")]),
    ("| 护照 | 待补 |", []),
    # certificates and passports
    (
        "权证浙(2021)杭州市不动产权第0123456号。",
        [("浙(2021)杭州市不动产权第0123456号", "PROPERTY_CERT")],
    ),
    ("护照号码E12345678。", [("E12345678", "PASSPORT")]),
    ("批次G12345678。", []),
    # e-mail and online accounts
    ("邮箱zhang.san@example.com。", [("zhang.san@example.com", "EMAIL")]),
    ("QQ号12345678，微信号wx_zhang88。", [("12345678", "ONLINE_ID"), ("wx_zhang88", "ONLINE_ID")]),
    ("支付宝账号zs@163.com。", [("zs@163.com", "EMAIL")]),
    # addresses below the county
    ("住浙江省金华市婺城区城北街道人民路88号。", [("城北街道人民路88号", "ADDRESS")]),
    ("住杭州市西湖区文三路478号3幢2单元1501室附近", [("文三路478号3幢2单元1501室", "ADDRESS")]),
    ("住所地浙江省杭州市西湖区。", []),
    # a road with a section and a number with a compound, without a trigger word
    (
        "地点：郑州市二七区建设路西段18号院5号楼1单元302室",
        [("建设路西段18号院5号楼1单元302室", "ADDRESS")],
    ),
    ("住院治疗三天。", []),
    # names anchored on roles and relations
    ("被告人张三于当日到案。", [("张三", "PERSON"), ("张三", "PERSON")][:1]),
    ("申请执行人李晓梅诉王建国民间借贷纠纷", [("李晓梅", "PERSON"), ("王建国", "PERSON")]),
    ("被告人欧阳娜娜伙同司马光明盗窃", [("欧阳娜娜", "PERSON"), ("司马光明", "PERSON")]),
    ("被执行人周小平、吴芳借款合同纠纷", [("周小平", "PERSON"), ("吴芳", "PERSON")]),
    ("被告人阿卜杜热依木·买买提供述", [("阿卜杜热依木·买买提", "PERSON")]),
    ("其妻刘芳到场，其子王小明在校。", [("刘芳", "PERSON"), ("王小明", "PERSON")]),
    # already masked names are reported as masked, not as names
    ("犯罪嫌疑人陈某某涉嫌盗窃罪", [("陈某某", "MASKED_PERSON")]),
    ("被告人李某某1、王某甲", [("李某某1", "MASKED_PERSON"), ("王某甲", "MASKED_PERSON")]),
    # officials and common words stay
    ("执行员：赵文静 书记员：孙立", []),
    ("被执行人马上履行，向法院申请，任何人不得高消费，明确表示。", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_recognizers(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_spans_are_offsets_into_the_original_full_width_text() -> None:
    text = "手机：１３９ １２３４ ５６７８，车牌浙Ａ１２３４５"
    spans = ANALYZER.analyze(text)
    assert [text[s.start : s.end] for s in spans] == ["１３９ １２３４ ５６７８", "浙Ａ１２３４５"]


@pytest.mark.parametrize("code", sorted(FOLD_TABLE))
def test_fold_is_one_to_one(code: int) -> None:
    assert len(fold(chr(code)).text) == 1


def test_fold_rejects_offset_out_of_range() -> None:
    with pytest.raises(IndexError):
        fold("abc").to_original(4)
