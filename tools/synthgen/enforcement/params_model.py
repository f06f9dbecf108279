"""The enforcement parameters as a strict model (``extra="forbid"`` all the way down), so a
misspelled key in params.yaml or a scenario file (``violatons:``) stops the build with a Chinese
message naming the file, the key path and the closest valid key (configkit)."""

from __future__ import annotations

from pydantic import Field, field_validator

from configkit import StrictModel

Share = float


class Sourced(StrictModel):
    value: float = Field(description="数值")
    source: str = Field(description="出处标注：[S] 来源、[D] 推算、[K] 建模假设")


class ByPartyType(StrictModel):
    person: float = Field(description="自然人")
    company: float = Field(description="法人")


class CaseloadShare(StrictModel):
    basic: float = Field(description="基层法院的份额")
    intermediate: float = Field(description="中级法院的份额")
    high: float = Field(description="高级法院的份额")


class Courts(StrictModel):
    caseload_share: CaseloadShare = Field(description="各级法院的收案份额")
    caseload_source: str = Field(description="出处")
    basic_size_sigma: float = Field(description="基层法院规模的对数标准差")


class Duration(StrictModel):
    median: float = Field(description="立案至结案天数的中位数")
    sigma: float = Field(description="对数标准差")
    floor: int = Field(description="最短天数")


class Closing(StrictModel):
    shares: dict[str, Sourced] = Field(description="各结案方式的份额（终本为目标，其余按比例）")
    duration: dict[str, Duration] = Field(description="各结案方式的结案时间")
    duration_source: str = Field(description="出处")


class Coefficients(StrictModel):
    intercept: float = Field(description="截距（logit）")
    assets_found: float = Field(description="找到可处置财产")
    company: float = Field(description="法人被执行人")
    log10_amount: float = Field(description="log10 标的额（中心化）")


class ZhongbenModel(StrictModel):
    coefficients: Coefficients = Field(description="终本 logit 模型的系数")
    amount_centre: float = Field(description="标的额的中心（元）")
    region: dict[str, float] = Field(description="东部、中部、西部的效应")
    year: dict[int, float] = Field(description="立案年度效应")
    court_sd: Sourced = Field(description="法院随机截距的标准差")
    assets_found_share: dict[str, float] = Field(description="有可处置财产的比例（自然人、法人）")
    source: str = Field(description="出处")


class Mix(StrictModel):
    none: float = Field(description="无到位")
    under30: float = Field(description="到位不足30%")
    over30: float = Field(description="到位30%–90%")


class Recovery(StrictModel):
    zhongben_mix: Mix = Field(description="终本案件的到位比例分布")
    zhongben_source: str = Field(description="出处")
    settlement_min: float = Field(description="和解案件的最低到位比例")


class Restoration(StrictModel):
    rate: Sourced = Field(description="终本后恢复执行的概率")
    via_lead_share: float = Field(description="经申请执行人线索恢复的比例")
    outcome: dict[str, float] = Field(description="恢复执行案件的结果分布")
    outcome_source: str = Field(description="出处")


class Amounts(StrictModel):
    median: float = Field(description="标的额中位数（元）")
    sigma: float = Field(description="对数标准差")
    tail_share: float = Field(description="帕累托尾部的比例")
    tail_alpha: float = Field(description="帕累托指数")
    tail_min: float = Field(description="尾部下限（元）")
    source: str = Field(description="出处")


class Parties(StrictModel):
    respondent_company_share: float = Field(description="法人被执行人比例")
    applicant_company_share: float = Field(description="法人申请执行人比例")
    company_applicant_pool: float = Field(description="每案的法人申请执行人池")
    non_respondent_persons: float = Field(description="每名自然人被执行人对应的登记簿他人")
    non_respondent_companies: float = Field(description="每个法人被执行人对应的登记簿他企")
    relative_share: float = Field(description="向亲属转移股权的比例")
    related_chain_share: float = Field(description="有关联企业链的比例")
    source: str = Field(description="出处")


class Priority(StrictModel):
    shares: dict[str, float] = Field(description="涉民生各类别的比例")
    causes: dict[str, list[str]] = Field(description="各类别的案由")
    source: str = Field(description="出处")


class Assets(StrictModel):
    bank_accounts_mean: ByPartyType = Field(description="平均账户数")
    vehicle_share: ByPartyType = Field(description="有车辆的比例")
    real_estate_share: ByPartyType = Field(description="有不动产的比例")
    insurance_share: ByPartyType = Field(description="有保单的比例")
    housing_fund_share: ByPartyType = Field(description="有公积金账户的比例")
    payment_account_share: ByPartyType = Field(description="有支付账户的比例")
    vehicle_events_mean: float = Field(description="每车平均通行记录数")
    source: str = Field(description="出处")


class Violation(StrictModel):
    rate: float = Field(ge=0.0, le=1.0, description="埋设比例")
    eligible: str = Field(description="可埋设的案件")


class Search(StrictModel):
    report_rate: Sourced = Field(description="被执行人报告财产的比例")
    listed_reporter_share: Sourced = Field(description="已报告者中纳入失信的比例")
    detention_share: Sourced = Field(description="拒不报告者受拘留的比例")
    reward_rate: Sourced = Field(description="申请悬赏的比例")
    audit_rate: Sourced = Field(description="申请审计的比例")
    search_rate: Sourced = Field(description="搜查的比例")
    consent_share: Sourced = Field(description="申请执行人同意终本的比例")
    traditional_share_other: Sourced = Field(description="非终本案件传统查控的比例")


class Estates(StrictModel):
    mortgage_share: Sourced = Field(description="有抵押的不动产比例")
    futile_share: Sourced = Field(description="无益拍卖的比例")
    sole_home_share: Sourced = Field(description="唯一住房的比例")


class Disposal(StrictModel):
    sale_share: Sourced = Field(description="执行完毕案件中财产经拍卖、变卖得款的比例")
    in_kind_share: Sourced = Field(description="执行完毕案件中以物抵债的比例")
    first_auction_success: Sourced = Field(description="第一次拍卖即成交的比例")
    relative_transfer_share: Sourced = Field(description="立案前把财产过户给亲属的比例")


class Casefiles(StrictModel):
    share: Sourced = Field(description="附电子卷宗的终本案件比例")
    formal_interview_rate: Sourced = Field(description="形式化约谈笔录的比例")


class Rate(StrictModel):
    mean: float = Field(gt=0.0, description="每人每年记录数的均值")
    shape: float = Field(gt=0.0, description="gamma 分布的形状参数（越小，个人之间差异越大）")


class OwnRates(StrictModel):
    able_before: Rate = Field(description="有能力者在限制消费令之前、本人支付")
    able_after: Rate = Field(description="有能力者在限制消费令之后、本人支付")
    unable_before: Rate = Field(description="无能力者在限制消费令之前、本人支付")
    unable_after: Rate = Field(description="无能力者在限制消费令之后、本人支付")


class Category(StrictModel):
    item: str = Field(description="限制高消费规定第三条第一款的项")
    own: float = Field(ge=0.0, description="本人支付的记录中此类的份额")
    others: float = Field(ge=0.0, description="单位或他人支付的记录中此类的份额")
    median: float = Field(gt=0.0, description="单笔金额中位数（元）")
    sigma: float = Field(ge=0.0, description="单笔金额的对数标准差")


class Spending(StrictModel):
    able_share: Sourced = Field(description="终本自然人被执行人中有能力而拒不履行的比例")
    able_equity_moved: Sourced = Field(description="把股权转给亲属对有能力的 logit 效应")
    able_log10_amount: Sourced = Field(description="log10 标的额（中心化）对有能力的 logit 效应")
    lookback_days: Sourced = Field(description="记录从立案前多少日开始")
    own: OwnRates = Field(description="本人支付的记录率")
    others: Rate = Field(description="单位或他人支付的记录率（两组相同）")
    others_company_share: float = Field(ge=0.0, le=1.0, description="他付记录中由单位支付的比例")
    rates_source: str = Field(description="出处")
    categories: dict[str, Category] = Field(description="消费类别")


class Volumes(StrictModel):
    first_enforcement: dict[int, Sourced] = Field(description="各年度首次执行案件数（万件）")


class EnforcementParamsModel(StrictModel):
    years: list[int] = Field(description="立案年度")
    data_end_date: str = Field(description="数据截止日")
    data_end_source: str = Field(description="出处")
    volumes: Volumes = Field(description="案件量")
    courts: Courts = Field(description="法院")
    closing: Closing = Field(description="结案方式与时间")
    zhongben_model: ZhongbenModel = Field(description="终本的因果模型")
    recovery: Recovery = Field(description="执行到位")
    restoration: Restoration = Field(description="恢复执行")
    amounts: Amounts = Field(description="标的额")
    parties: Parties = Field(description="当事人")
    priority: Priority = Field(description="处理优先级")
    assets: Assets = Field(description="财产")
    violations: dict[str, Violation | str] = Field(description="各规则的埋设比例（source 为出处）")
    search: Search = Field(description="财产调查与签批")
    estates: Estates = Field(description="不动产的抵押与唯一住房")
    disposal: Disposal = Field(description="财产处置与过户")
    casefiles: Casefiles = Field(description="电子卷宗")
    spending: Spending = Field(description="终本自然人被执行人的消费记录")
    province_weights: dict[str, float] | None = Field(default=None, description="各省权重")

    @field_validator("violations")
    @classmethod
    def _rule_keys(cls, value: dict[str, Violation | str]) -> dict[str, Violation | str]:
        for key, spec in value.items():
            if key == "source":
                if not isinstance(spec, str):
                    raise ValueError("violations.source 应为出处文字")
            elif not (key.startswith("ZB-") and isinstance(spec, Violation)):
                raise ValueError(
                    f"violations 的键 {key} 应为规则编号（如 ZB-04），值含 rate 与 eligible"
                )
        return value
