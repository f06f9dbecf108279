"""Single-text cases of the eighth and ninth hard-set batches (docs/desensitize-recall.md):
ledger rows split by "/", "|", "——" or commas, accounts without a checksum after 账号,
occupations before names, and parties whose names are common words — with the decoys that
must stay untouched."""

from __future__ import annotations

import pytest

from desensitize import Analyzer, Desensitizer, load_policy

KEY = b"ledger-roles-test-key-0123456789abcdef"


def _found(text: str, entities: frozenset[str] = frozenset({"PERSON"})) -> list[str]:
    return [text[s.start : s.end] for s in Analyzer().analyze(text) if s.entity in entities]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # slash rows after a header
            "收款人 / 账号 / 金额\n胡春生 / 622202610531783929 / 4,200元\n"
            "陶玉兰 / 621700008228543871 / 3,850元",
            ["胡春生", "陶玉兰"],
        ),
        (
            "1/练晓东/621483088678721998/12,000元\n2/和静怡/622609255806941387/8,600元",
            ["练晓东", "和静怡"],
        ),
        (  # dashes, with the name again in the signature column
            "符建英——330302196811054428——3000元——符建英\n苏德茂——33030219720311601X——3000元",
            ["符建英", "符建英", "苏德茂"],
        ),
        ("郁海波，6217002870012345，15000\n全志红，6222031202004567，22000", ["郁海波", "全志红"]),
        (  # numbered rows; a name over a common word (文明华) is read in this layout
            "1. 聂长根，账号6222021208001234，返还2万元；\n"
            "2. 文明华，账号6217001930008888，返还3万元。",
            ["聂长根", "文明华"],
        ),
        ("胡春生 / 4,200元\n陶玉兰 / 3,850元", ["胡春生", "陶玉兰"]),  # amounts only
        ("胡春生 310158642907 4200元\n陶玉兰 310158642908 3850元", ["胡春生", "陶玉兰"]),
        ("经查 2023年5月起\n被告 2023年6月", []),  # a single space before a date
        (  # full-width bars: a bank after the bar is a cell of its own, not part of a company
            "岑大勇｜农业银行｜622848926991580955｜6,800元\n"
            "游春花｜工商银行｜622202610531783929｜5,900元",
            ["岑大勇", "游春花"],
        ),
        # one row alone is no ledger; a total line and a header are no names
        ("胡春生 / 622202610531783929 / 4,200元", []),
        ("合计 / 13,150元\n其中 / 4,200元", []),
        ("序号/姓名/银行账号\n经查/2023年/6222026105317839", []),
    ],
)
def test_ledger_rows(text: str, want: list[str]) -> None:
    assert _found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # accounts in ledger rows: no label of their own; other numbers keep their entity
            "收款人 / 账号 / 金额\n胡春生 / 310158642907 / 4,200元\n"
            "闵浩然 / 13812345678 / 1200元\n姚新民 / 330781199012083426 / 50,000元",
            [
                ("胡春生", "PERSON"),
                ("310158642907", "ACCOUNT_NUMBER"),
                ("闵浩然", "PERSON"),
                ("13812345678", "PHONE"),
                ("姚新民", "PERSON"),
                ("330781199012083426", "ID_CARD"),
            ],
        ),
        (  # one row is enough below a header naming persons
            "收款人|账号|金额\n晏秋菊|201907733154|26000元",
            [("晏秋菊", "PERSON"), ("201907733154", "ACCOUNT_NUMBER")],
        ),
        ("经查\n胡春生 / 310158642907 / 4,200元", []),  # one row under no header
        (  # numbered rows of a "|" table
            "序号 | 户名 | 账号\n1 | 欧阳春梅 | 520301778214\n2 | 司马志远 | 520301778236",
            [
                ("欧阳春梅", "PERSON"),
                ("520301778214", "ACCOUNT_NUMBER"),
                ("司马志远", "PERSON"),
                ("520301778236", "ACCOUNT_NUMBER"),
            ],
        ),
    ],
)
def test_ledger_row_accounts(text: str, want: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.entity) for s in Analyzer().analyze(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("公积金账号是310158642907，", ["310158642907"]),
        ("账号：201907733154，开户行为", ["201907733154"]),
        ("社保个人账号：440106225381\n", ["440106225381"]),
        ("个人社保编号为3301089921，", ["3301089921"]),
        ("其公积金账号（310158642907）", ["310158642907"]),
        (
            "公积金账号分别为310158642907、310158642908和310158642909。",
            ["310158642907", "310158642908", "310158642909"],
        ),
        ("账户（尾号2907）", []),
        ("账户里的6万多元", []),
        ("账号为2019年开立", []),
        ("公积金中心编号310158642907", []),  # no account label
    ],
)
def test_labeled_accounts(text: str, want: list[str]) -> None:
    assert _found(text, frozenset({"ACCOUNT_NUMBER"})) == want


def test_a_card_after_its_label_stays_a_bank_card() -> None:
    text = "账号6222021208001234，"
    assert [(text[s.start : s.end], s.entity) for s in Analyzer().analyze(text)] == [
        ("6222021208001234", "BANK_CARD")
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("该公司财务人员庞秀兰做假账", ["庞秀兰"]),
        ("出纳员石晓芸取现后交给老板", ["石晓芸"]),
        ("收银员谷雨婷私下收款未入账", ["谷雨婷"]),
        ("报销单据上的经办人员为施海军，", ["施海军"]),
        ("审核人为财务总监毛丽娜，", ["毛丽娜"]),
        ("监理工程师卓立伟签字确认", ["卓立伟"]),
        ("法定代表人之妻钱淑芬拒绝透露公司账户信息。", ["钱淑芬"]),
        ("货款由法定代表人的弟弟俞振飞收取后未入公司账户。", ["俞振飞"]),
        ("后转至其母亲肖凤英账户。", ["肖凤英"]),  # 肖 is missing from Faker's surnames
        ("值班经理发现顾客使用假币后报警", []),  # a role word read as a name
        ("总经理助理孔德明知情不报", ["孔德明"]),
        # a company after a role word stays whole (行人 inside 执行人 is no role word here)
        ("申请执行人平安与被执行人金星建材经营部买卖合同纠纷", ["平安"]),
        # decoys: a weak title before a verb, a case cause, a company after an occupation
        ("院长强调指出", []),
        ("建设工程施工合同纠纷", []),
        ("共同商定虚增工程量，由报账员戈永年制作", ["戈永年"]),  # 工 ends no job title here
        ("会计师事务所出具了审计报告", []),
    ],
)
def test_occupations(text: str, want: list[str]) -> None:
    assert _found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "申请执行人文明与被执行人高尚民间借贷纠纷一案。执行中，文明申请查封高尚名下车辆，高尚未到庭。",
            ["文明", "高尚", "文明", "高尚", "高尚"],
        ),
        (
            "原告江山诉被告和平房屋租赁合同纠纷一案，江山称和平拖欠租金。",
            ["江山", "和平", "江山", "和平"],
        ),
        # the word stays a word where the name does not end (文明城市) or in another text
        ("申请执行人文明申请执行。文明城市创建期间", ["文明"]),
        ("平时很讲文明，做事讲方法", []),
        # role word + a word that opens a predicate, or a noun, is no name
        ("被告人马上退赔了全部损失", []),
        ("被执行人曾经多次转移财产", []),
        ("被告单位的法定代表人", []),
        ("外籍人员信息\n姓名：", []),
    ],
)
def test_parties_named_by_common_words(text: str, want: list[str]) -> None:
    assert _found(text) == want


def test_release_drops_every_mention_of_a_common_word_party() -> None:
    text = (
        "申请执行人文明与被执行人高尚民间借贷纠纷一案。执行中，文明申请查封高尚名下车辆，高尚未到庭"
    )
    out = Desensitizer(load_policy("court"), key=KEY).text(text).text
    assert ("文明" in out, "高尚" in out, "民间借贷纠纷" in out) == (False, False, True)
