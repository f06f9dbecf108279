"""The case-file templates (templates.yaml) and the printed forms of personal information
(forms.yaml) as strict models: a misspelled key in either file stops the build with a Chinese
message naming the file, the key path and the closest valid key (configkit), instead of a
KeyError deep inside a document or a wording silently never used. The generator reads the
validated data; the JSON Schemas in docs/schemas/ are exported from these models."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from configkit import StrictModel, read_yaml, validate
from synthgen.errors import SynthgenError

TEMPLATES_FILE = Path(str(resources.files("synthgen").joinpath("casefiles/templates.yaml")))
FORMS_FILE = Path(str(resources.files("synthgen").joinpath("casefiles/forms.yaml")))

Wordings = list[str]


class Letter(StrictModel):
    title: str = Field(description="文书标题")
    bodies: Wordings = Field(description="正文的几种写法（{字段} 由生成器填入）")
    contact: Wordings = Field(description="落款的几种写法")


class Registries(StrictModel):
    bank: str = Field(description="银行存款")
    vehicles: str = Field(description="机动车")
    estate: str = Field(description="不动产")
    policies: str = Field(description="保险")
    fund: str = Field(description="住房公积金")


class VehicleStatus(StrictModel):
    sealed: str = Field(description="本院已查封（查封日及以后）")
    seized: str = Field(description="本院已查封并扣押")
    normal: str = Field(description="无登记限制")
    mortgaged: str = Field(description="有抵押登记")


class EstateMortgage(StrictModel):
    none: str = Field(description="无抵押时的写法")
    some: str = Field(description="有抵押时的写法（{holder} 抵押权人，{amount} 担保债权）")


class EstateSeal(StrictModel):
    none: str = Field(description="查询日未查封")
    ours: str = Field(description="查询日已由本院查封")
    other: str = Field(description="他案首封（本案轮候查封）")


class Inquiry(StrictModel):
    title: str = Field(description="文书标题")
    heads: Wordings = Field(description="文首的几种写法")
    sections: Registries = Field(description="各登记栏目的标题")
    none: str = Field(description="栏目无登记时的写法")
    rows: Registries = Field(description="各栏目每条登记的写法")
    vehicle_status: VehicleStatus = Field(description="车辆在查询日的状态")
    estate_mortgage: EstateMortgage = Field(description="不动产的抵押登记")
    estate_seal: EstateSeal = Field(description="不动产在查询日的查封状态")
    foot: Wordings = Field(description="备注的几种写法")


class LeadCheck(StrictModel):
    title: str = Field(description="文书标题")
    bodies: Wordings = Field(description="正文的几种写法")
    relative_note: Wordings = Field(description="亲属在场说明的几种写法")
    found: str = Field(description="核查属实时的结论")
    not_found: str = Field(description="未发现财产时的结论")


class InterviewAssets(StrictModel):
    estate_queued: str = Field(description="不动产已被他案首封，本院轮候查封（{n} 件数）")
    estate_home: str = Field(description="唯一住房，查封不得拍卖")
    estate_futile: str = Field(description="无益拍卖")
    estate_auctioned: str = Field(description="两次流拍，申请执行人不同意以物抵债")
    estate_sealed: str = Field(description="已查封，尚未处置")
    vehicle_auctioned: str = Field(description="车辆已扣押，两次流拍")
    vehicle_sealed: str = Field(description="车辆登记查封，未能扣押")
    policy_frozen: str = Field(description="保单现金价值已冻结（{amount} 金额）")
    deposit_taken: str = Field(description="存款已冻结、扣划（{amount} 金额）")
    continued: str = Field(description="恢复执行案件续行原案措施")
    nothing: str = Field(description="未发现任何财产")
    rest: str = Field(description="列出财产后的结语")


class Interview(StrictModel):
    title: str = Field(description="文书标题")
    heads: Wordings = Field(description="文首的几种写法")
    opening: Wordings = Field(description="开场问答的几种写法")
    elements: dict[str, Wordings] = Field(description="五项要素（ZB-07）各自的几种写法")
    measures: dict[str, str] = Field(
        description="按行为类型写出的调查措施（{count} 次数，{last} 最近一次日期），按此顺序"
    )
    assets: InterviewAssets = Field(description="按处置情况写出的财产情况")
    formal_reply: Wordings = Field(description="形式化笔录中的空泛问答（不得含要素短语）")
    closing: Wordings = Field(description="结尾签名的几种写法")


class Ruling(StrictModel):
    title: str = Field(description="文书标题")
    bodies: Wordings = Field(description="正文的几种写法")
    statutes: Wordings = Field(description="法律依据的几种写法（{article} 民诉法解释条文序号）")
    signature: str = Field(description="署名")


class Service(StrictModel):
    title: str = Field(description="文书标题")
    bodies: Wordings = Field(description="正文的几种写法")
    proxy: str = Field(description="亲属代收的写法")
    methods: Wordings = Field(description="送达方式")


class CasefileTemplates(StrictModel):
    notice: Letter = Field(description="执行通知书")
    property_order: Letter = Field(description="报告财产令")
    inquiry: Inquiry = Field(description="网络查控反馈（财产调查结果）")
    lead_check: LeadCheck = Field(description="财产线索核查记录")
    interview: Interview = Field(description="终本约谈笔录")
    ruling: Ruling = Field(description="执行裁定书（终结本次执行程序）")
    service: Service = Field(description="送达回证")
    interview_elements: dict[str, Wordings] = Field(
        description="ZB-07 五项要素的短语表（须与规则目录一致）"
    )


class Probabilities(StrictModel):
    full_width_digits: float = Field(ge=0, le=1, description="数字写成全角的概率")
    old_id_15: float = Field(ge=0, le=1, description="1990年前出生者写成15位旧身份证号的概率")
    lowercase_x: float = Field(ge=0, le=1, description="校验码 X 写成小写的概率")
    plate_dot: float = Field(ge=0, le=1, description="号牌写成带“·”的概率")
    card_spaced: float = Field(ge=0, le=1, description="银行卡号四位一组的概率")
    relative_minority: float = Field(
        ge=0, le=1, description="少数民族被执行人的亲属用音译姓名的概率"
    )
    relative_compound: float = Field(ge=0, le=1, description="亲属为复姓的概率")


class Relatives(StrictModel):
    male: Wordings = Field(description="男性亲属的称谓")
    female: Wordings = Field(description="女性亲属的称谓")


class CasefileForms(StrictModel):
    probabilities: Probabilities = Field(description="各种书写形式的出现概率（[K] 教学选择）")
    phone_forms: Wordings = Field(description="手机号的写法（{a}{b}{c} 为3-4-4三段）")
    landline_forms: Wordings = Field(
        description="固定电话的写法（{area} 区号，{num} 号码，{ext} 分机）"
    )
    area_codes: dict[str, Wordings] = Field(description="省级代码 → 常见区号")
    email_domains: Wordings = Field(description="电子邮箱域名")
    roads: Wordings = Field(description="地址中的道路名")
    communities: Wordings = Field(description="地址中的小区名")
    building_words: Wordings = Field(description="幢、栋")
    compound_surnames: Wordings = Field(description="复姓")
    given_names: Wordings = Field(description="亲属等顺带提及者的名")
    minority_ethnicities: Wordings = Field(description="用音译姓名的民族")
    minority_given: Wordings = Field(description="音译名")
    minority_family: Wordings = Field(description="音译姓")
    relatives: Relatives = Field(description="顺带提及的亲属称谓")


def load_casefile_templates(path: Path = TEMPLATES_FILE) -> CasefileTemplates:
    return validate(read_yaml(path, SynthgenError), CasefileTemplates, str(path), SynthgenError)


def load_casefile_forms(path: Path = FORMS_FILE) -> CasefileForms:
    return validate(read_yaml(path, SynthgenError), CasefileForms, str(path), SynthgenError)


@lru_cache(maxsize=1)
def templates_data() -> dict[str, Any]:
    """The shipped templates, validated, as plain data (shared: callers must not change it)."""
    return load_casefile_templates().model_dump()


@lru_cache(maxsize=1)
def forms_data() -> dict[str, Any]:
    """The shipped forms, validated, as plain data (shared: callers must not change it)."""
    return load_casefile_forms().model_dump()
