"""The strict models of the criminal DGP parameters (``criminal/params.yaml``).

Every mapping is a ``StrictModel`` (unknown keys are errors) and every field says what it means,
so ``configkit.export_schemas`` documents the file and a scenario typo names the closest key.
Numbers that stand for facts or assumptions keep their source text, which opens with the label
[S] (read in a cited source), [D] (derived by arithmetic from [S]) or [K] (modelling choice).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import Field, field_validator, model_validator

from configkit import StrictModel
from synthgen.errors import SynthgenError

COVARIATES = (
    "plea_leniency",
    "compensated_forgiven",
    "is_first_offense",
    "is_juvenile",
    "is_local",
    "minor_offense",
)
SOURCE_LABEL = r"^\s*\[[SDK]\]"


class ParamError(SynthgenError):
    """A parameter or scenario file is invalid; the message is Chinese and names the field."""


class Sourced(StrictModel):
    value: float = Field(description="数值")
    source: str = Field(pattern=SOURCE_LABEL, description="来源：以 [S]/[D]/[K] 开头的出处说明")


class Range(StrictModel):
    min: int = Field(ge=0, description="最小天数（含）")
    max: int = Field(ge=0, description="最大天数（含）")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max < self.min:
            raise ValueError("max 不得小于 min")
        return self


class SourcedRange(Range):
    source: str = Field(pattern=SOURCE_LABEL, description="来源标签与说明")


class JuvenileTargets(StrictModel):
    year: int = Field(description="未成年人目标所属年度（校准 is_juvenile 系数）")
    non_arrest_rate: Sourced = Field(description="该年未成年人不捕率")
    non_prosecution_rate: Sourced = Field(
        description="该年未成年人不诉率（附条件不起诉计入不起诉）"
    )


class Targets(StrictModel):
    non_arrest_rate: dict[int, Sourced] = Field(description="各年不捕率（按决定日期所在年度）")
    non_prosecution_rate: dict[int, Sourced] = Field(description="各年不诉率（按决定日期所在年度）")
    juvenile: JuvenileTargets = Field(description="未成年人目标")
    post_arrest_non_prosecution_rate: dict[int, Sourced] = Field(
        description="各年捕后不诉率：批准逮捕者中审查起诉决定不起诉的比例（按审查起诉决定年度）"
    )
    detention_rate: dict[int, Sourced] = Field(
        description="各年诉前羁押率：批准逮捕人数 ÷（起诉 + 不起诉人数）；决定提请逮捕的比例"
    )


class Volumes(StrictModel):
    arrest_reviews: dict[int, Sourced] = Field(description="全国年审查逮捕人数（万人）")
    prosecution_reviews: dict[int, Sourced] = Field(description="全国年审查起诉人数（万人）")


class Provinces(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="省级权重的来源")
    weights: dict[str, float] = Field(description="各省（两位代码）占全国案件量的相对权重")
    non_local_share: dict[str, float] = Field(
        description="外地户籍嫌疑人比例：default 与各省覆盖值"
    )
    non_local_source: str = Field(pattern=SOURCE_LABEL, description="外地户籍比例的来源")
    same_province_share: Sourced = Field(description="外地户籍中来自本省其他地市的比例")
    lives_at_home_share: Sourced = Field(description="本地户籍者居住在户籍县的比例")
    origin_weights: dict[str, float] = Field(description="外地户籍来源省的相对权重（含 default）")

    @field_validator("non_local_share", "origin_weights")
    @classmethod
    def _has_default(cls, value: dict[str, float]) -> dict[str, float]:
        if "default" not in value:
            raise ValueError("须含 default 键")
        return value


class LevelShares(StrictModel):
    basic: float = Field(ge=0, description="基层检察院的案件份额")
    municipal: float = Field(ge=0, description="市级检察院的案件份额")
    provincial: float = Field(ge=0, description="省级检察院的案件份额")


class Context(StrictModel):
    arrest_loading: Sourced = Field(description="审查逮捕随机截距与背景指数的相关")
    prosecution_loading: Sourced = Field(description="审查起诉随机截距与背景指数的相关")
    urban_non_local_extra: Sourced = Field(description="市辖区检察院外地户籍比例的增量")


class Procuratorates(StrictModel):
    caseload_share: LevelShares = Field(description="各级检察院办理的案件份额")
    caseload_source: str = Field(pattern=SOURCE_LABEL, description="份额的来源")
    basic_size_sigma: float = Field(ge=0, description="省内基层院案件量的对数正态标准差")
    basic_size_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    context: Context = Field(description="检察院效应与背景变量（城区、案件量）的关联")


class CrimeProps(StrictModel):
    chapter: int = Field(ge=0, le=10, description="刑法分则章别（0 = 混合或未知）")
    minor: float = Field(ge=0, le=1, description="可能判处三年有期徒刑以下的概率")
    le_one_year: float = Field(ge=0, le=1, description="可能判处一年有期徒刑以下的概率（≤ minor）")
    group_mean: float = Field(ge=0, description="每案嫌疑人数 = 1 + Poisson(group_mean)")
    victim: bool = Field(description="是否有个人被害人（可能赔偿谅解）")
    compensation: float = Field(ge=0, le=1, description="赔偿谅解比例（仅有被害人的罪名）")
    arrest_request: float = Field(
        ge=0, description="公安机关提请逮捕的相对倾向；0 = 不可能判处徒刑"
    )
    first_offense: float = Field(ge=0, le=1, description="初犯比例")
    plea_shift: float = Field(description="认罪认罚适用率在 logit 尺度上的罪名平移")
    non_local_shift: float = Field(description="外地户籍比例的罪名增量")
    juvenile_rel: float = Field(ge=0, description="未成年嫌疑人比例的罪名相对倍数（整体比例不变）")

    @model_validator(mode="after")
    def _nested(self) -> CrimeProps:
        if self.le_one_year > self.minor:
            raise ValueError("le_one_year 不得大于 minor（一年以下是三年以下的一部分）")
        return self


class Crimes(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="罪名构成的来源")
    shares: dict[str, dict[int, float]] = Field(description="各罪名各年占嫌疑人的比例")
    other_label: str = Field(description="其余罪名合并后的名称")
    properties_source: str = Field(pattern=SOURCE_LABEL, description="罪名属性的来源")
    properties: dict[str, CrimeProps] = Field(description="各罪名的属性")


class DatedShare(StrictModel):
    date: dt.date = Field(description="日期")
    value: float = Field(ge=0, le=1, description="该日的比例")
    source: str = Field(pattern=SOURCE_LABEL, description="来源")


class PleaPath(StrictModel):
    points: list[DatedShare] = Field(
        min_length=2, description="认罪认罚适用率的日期节点（逐日线性插值）"
    )
    minor_shift: Sourced = Field(description="可能判处三年以下者在 logit 尺度上的平移")

    @field_validator("points")
    @classmethod
    def _increasing(cls, value: list[DatedShare]) -> list[DatedShare]:
        dates = [p.date for p in value]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("日期节点须严格递增")
        return value


class AdultAge(StrictModel):
    mean: float = Field(description="成年嫌疑人年龄均值")
    sd: float = Field(gt=0, description="标准差")
    min: int = Field(ge=18, description="下限")
    max: int = Field(description="上限")
    source: str = Field(pattern=SOURCE_LABEL, description="来源")


class Education(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="来源")
    shares: dict[str, float] = Field(description="受教育程度构成")


class Suspects(StrictModel):
    male_share: Sourced = Field(description="男性比例")
    juvenile_age_probs: dict[int, float] = Field(description="未成年嫌疑人年龄分布")
    juvenile_age_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    juvenile_first_offense: Sourced = Field(description="未成年人初犯比例")
    juvenile_share: Sourced = Field(description="未成年嫌疑人比例")
    juvenile_le_one_year: Sourced = Field(
        description="未成年人中可能判处三年以下者又可能判处一年以下的比例"
    )
    adult_age: AdultAge = Field(description="成年嫌疑人年龄")
    plea_leniency: PleaPath = Field(description="认罪认罚适用率随日期的变化")
    education: Education = Field(description="受教育程度")


class Ethnicity(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="来源")
    national: dict[str, float] = Field(description="全国民族构成（默认）")
    by_province: dict[str, dict[str, float]] = Field(description="民族地区各省的构成")


class Reasons(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="来源")
    shares: dict[Literal["无社会危险性", "证据不足", "不构成犯罪"], float] = Field(
        description="不批准逮捕理由构成"
    )


class NonProsecutionTypes(StrictModel):
    source: str = Field(pattern=SOURCE_LABEL, description="来源")
    adult: dict[Literal["酌定不起诉", "存疑不起诉", "法定不起诉"], float] = Field(
        description="成年人（及不符合附条件不起诉条件者）的不起诉类型构成"
    )
    juvenile_conditional_share: float = Field(
        ge=0, le=1, description="附条件不起诉占未成年人不起诉的比例"
    )


class ArrestedEffect(StrictModel):
    start: float = Field(description="已逮捕者不起诉的 logit 差（起始值）")
    calibrate: bool = Field(description="是否逐年校准到捕后不诉率目标")
    source: str = Field(pattern=SOURCE_LABEL, description="来源")


class Coefficients(StrictModel):
    plea_leniency: float = Field(description="认罪认罚")
    compensated_forgiven: float = Field(description="赔偿谅解")
    is_first_offense: float = Field(description="初犯")
    is_juvenile: float = Field(description="未成年人（校准年的起始值）")
    is_local: float = Field(description="本地户籍")
    minor_offense: float = Field(description="可能判处三年以下")


class DecisionModel(StrictModel):
    outcome: str = Field(description="结果类别（因变量为 1 的决定）")
    link: Literal["logit"] = Field(default="logit", description="连接函数")
    group: Literal["procuratorate_id"] = Field(
        default="procuratorate_id", description="随机截距分组"
    )
    group_sd: float = Field(ge=0, description="检察院随机截距的标准差（logit 尺度，总体）")
    group_sd_source: str = Field(default="", description="来源")
    coefficients: Coefficients = Field(description="协变量系数（logit 尺度）")
    coefficient_source: str = Field(pattern=SOURCE_LABEL, description="系数的来源")
    calibrate_year_intercepts: bool = Field(default=True, description="是否按目标校准年度截距")
    calibrate_juvenile: bool = Field(default=True, description="是否按未成年人目标校准 is_juvenile")
    year_intercepts: dict[int, float] = Field(
        default_factory=dict, description="关闭校准时给定的年度截距（年中节点，逐日线性插值）"
    )
    other_decision_share: Sourced = Field(description="“其他”决定的比例")
    reasons: Reasons | None = Field(default=None, description="不批准逮捕理由（审查逮捕）")
    types: NonProsecutionTypes | None = Field(default=None, description="不起诉类型（审查起诉）")
    arrested: ArrestedEffect | None = Field(default=None, description="已逮捕的效应（审查起诉）")

    def coefficient_dict(self) -> dict[str, float]:
        return {name: float(getattr(self.coefficients, name)) for name in COVARIATES}


class DatedPolicy(StrictModel):
    date: dt.date = Field(description="施行或印发日期")
    source: str = Field(pattern=SOURCE_LABEL, description="发布机关、文件名与日期")


class LenientPolicy(StrictModel):
    announced: dt.date = Field(description="“少捕慎诉慎押”确立为刑事司法政策的日期")
    source: str = Field(pattern=SOURCE_LABEL, description="来源")
    adoption_source: str = Field(pattern=SOURCE_LABEL, description="分省采纳时间表的来源")
    default_adoption: dt.date = Field(description="未列出省份的采纳日期")
    adoption: dict[str, dt.date] = Field(description="各省采纳日期")
    effect_arrest: Sourced = Field(description="采纳后不捕的 logit 增量（真值）")
    effect_prosecution: Sourced = Field(description="采纳后不诉的 logit 增量（真值）")

    def adopted_on(self, province: str) -> dt.date:
        return self.adoption.get(province, self.default_adoption)

    @model_validator(mode="after")
    def _not_before_announcement(self) -> LenientPolicy:
        early = sorted(p for p, d in self.adoption.items() if d < self.announced)
        if early or self.default_adoption < self.announced:
            raise ValueError(f"采纳日期早于政策确立日期：{early or ['default_adoption']}")
        return self


class Policies(StrictModel):
    revision_2018: DatedPolicy = Field(description="2018年刑事诉讼法修正（速裁程序自此适用）")
    plea_guidance_2019: DatedPolicy = Field(description="2019年认罪认罚从宽指导意见")
    lenient: LenientPolicy = Field(description="少捕慎诉慎押")


class Seasonality(StrictModel):
    month_weights: dict[int, float] = Field(description="各月相对权重（1–12）")
    month_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    spring_festival: dict[int, dt.date] = Field(description="各年春节（农历正月初一）日期")
    spring_festival_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    dip: Sourced = Field(description="春节前后办案量相对平日的倍数")
    dip_before_days: int = Field(ge=0, description="低谷始于春节前几日")
    dip_after_days: int = Field(ge=0, description="低谷止于春节后几日")

    @field_validator("month_weights")
    @classmethod
    def _twelve(cls, value: dict[int, float]) -> dict[int, float]:
        if sorted(value) != list(range(1, 13)):
            raise ValueError("须给出 1–12 月的权重")
        return value


class ProsecutionDays(StrictModel):
    fast_track: Range = Field(description="速裁、可能判处一年以下：十日以内")
    fast_track_long: Range = Field(description="速裁、可能判处一年以上：十五日以内")
    normal: Range = Field(description="普通案件：一个月以内")
    complex: Range = Field(description="重大复杂：一个月又十五日以内")
    source: str = Field(pattern=SOURCE_LABEL, description="来源")


class Timing(StrictModel):
    arrest_days_probs: dict[int, float] = Field(description="审查逮捕用时（日）分布，≤ 7")
    arrest_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    investigation_gap_days: SourcedRange = Field(description="批捕后到移送审查起诉的天数")
    prosecution_days: ProsecutionDays = Field(description="审查起诉用时")
    complex_share: Sourced = Field(description="重大复杂案件比例")
    returned_for_investigation_probs: dict[int, float] = Field(description="退回补充侦查次数分布")
    returned_source: str = Field(pattern=SOURCE_LABEL, description="来源")
    late_arrest_rate: Sourced = Field(description="XS-03 埋点比例")
    late_prosecution_rate: Sourced = Field(description="XS-04 埋点比例")
    late_extra_days: SourcedRange = Field(description="埋点超期天数")
    investigation_per_return_days: SourcedRange = Field(description="每次补充侦查天数")

    @field_validator("arrest_days_probs")
    @classmethod
    def _within_seven(cls, value: dict[int, float]) -> dict[int, float]:
        if any(d < 1 or d > 7 for d in value):
            raise ValueError("审查逮捕用时须在 1–7 日之间（刑事诉讼法第九十一条）")
        return value

    @field_validator("returned_for_investigation_probs")
    @classmethod
    def _at_most_twice(cls, value: dict[int, float]) -> dict[int, float]:
        if any(k not in (0, 1, 2) for k in value):
            raise ValueError("退回补充侦查以二次为限（刑事诉讼法第一百七十五条）")
        return value


class RandomEffects(StrictModel):
    corr_arrest_prosecution: Sourced = Field(description="两个环节随机截距的相关")


class Calibration(StrictModel):
    sample_size: int = Field(ge=1000, description="每年用于求解截距的蒙特卡罗样本量")


class CriminalParams(StrictModel):
    years: list[int] = Field(description="生成的年度")
    targets: Targets = Field(description="校准与核对目标")
    volumes: Volumes = Field(description="全国年审查人数")
    provinces: Provinces = Field(description="省份")
    procuratorates: Procuratorates = Field(description="检察院")
    crimes: Crimes = Field(description="罪名")
    suspects: Suspects = Field(description="犯罪嫌疑人协变量")
    ethnicity: Ethnicity = Field(description="民族构成")
    arrest: DecisionModel = Field(description="审查逮捕决定模型（结果 = 不批准逮捕）")
    prosecution: DecisionModel = Field(description="审查起诉决定模型（结果 = 不起诉）")
    policies: Policies = Field(description="有日期的政策变化")
    seasonality: Seasonality = Field(description="季节性")
    random_effects: RandomEffects = Field(description="随机效应")
    timing: Timing = Field(description="期限与用时")
    calibration: Calibration = Field(description="校准")

    @model_validator(mode="after")
    def _consistent(self) -> CriminalParams:
        t = self.targets
        for key in ("non_arrest_rate", "non_prosecution_rate", "post_arrest_non_prosecution_rate"):
            missing = [y for y in self.years if y not in getattr(t, key)]
            if missing:
                raise ValueError(f"targets.{key} 缺少 {missing} 年的目标值")
        for model in (self.arrest, self.prosecution):
            if not model.calibrate_year_intercepts:
                missing = [y for y in self.years if y not in model.year_intercepts]
                if missing:
                    raise ValueError(
                        f"{model.outcome}：关闭了年度截距校准，但 year_intercepts 缺少 {missing}"
                    )
        for crime in [*self.crimes.shares, self.crimes.other_label]:
            if crime not in self.crimes.properties:
                raise ValueError(f"crimes.properties 缺少罪名「{crime}」")
        if self.prosecution.types is None or self.arrest.reasons is None:
            raise ValueError("审查起诉须有 types，审查逮捕须有 reasons")
        return self

    def crime_props(self, crime: str) -> CrimeProps:
        return self.crimes.properties[crime]

    def digest(self) -> str:
        """Stable hash of the parameters, written to the manifest so two builds can be compared."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
