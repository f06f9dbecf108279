"""calibration.md (Chinese, for people) and calibration.json (the same numbers, for programs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthgen.report.fit import FitResult
from synthgen.report.load import DECISIONS, MODELS, Truth
from synthgen.report.plot import MODEL_TITLES, covariate_labels
from synthgen.report.rates import POPULATIONS, RATE_NAMES, TOLERANCE_PP, RateRow

SOURCE_LABELS = {
    "S": "公开来源原文数字",
    "D": "由公开数字推算",
    "K": "建模假设（课堂上只能当假设讲）",
}


def _yes(flag: bool | None) -> str:
    return "—" if flag is None else ("是" if flag else "**否**")


def _pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"


def _num(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _rate_table(rows: Sequence[RateRow], model: str) -> list[str]:
    favourable, hit = DECISIONS[model]
    name = RATE_NAMES[model]
    lines = [
        f"| 年度 | 人群 | {hit} | {favourable} | 其他 | 生成{name} | 95% CI（Wilson） "
        f"| 目标 | 来源 | 差值（百分点） | 差值在 ±{TOLERANCE_PP:g} 内 | 目标在 CI 内 |",
        "|---|---|--:|--:|--:|--:|---|--:|---|--:|---|---|",
    ]
    for r in rows:
        if r.model != model:
            continue
        diff = "—" if r.diff_pp is None else f"{r.diff_pp:+.2f}"
        lines.append(
            f"| {r.year} | {POPULATIONS[r.population]} "
            f"| {r.outcome:,} | {r.favourable:,} | {r.other:,} "
            f"| {_pct(r.rate, 2)} | {_pct(r.ci_low, 2)} – {_pct(r.ci_high, 2)} | {_pct(r.target)} "
            f"| {r.source or '—'} | {diff} | {_yes(r.within_tolerance)} | {_yes(r.target_in_ci)} |"
        )
    return lines


def _fit_section(fit: FitResult) -> list[str]:
    labels = covariate_labels()
    sel = fit.selection
    lines = [f"### {MODEL_TITLES[fit.model]}", ""]
    if sel.is_subset:
        lines.append(
            f"- **在子集上拟合**：全部 {sel.total_groups:,} 个检察院、{sel.total_rows:,} 人中，"
            f"取决定人数最多的 {len(sel.groups):,} 个检察院（{sel.rows:,} 人，"
            f"上限 {sel.max_groups} 个）"
            + (
                f"，再按 suspect_id 的哈希从每个检察院抽取同样 {sel.fraction:.1%} 的人"
                f"（上限 {sel.max_rows:,} 人）"
                if sel.fraction < 1.0
                else ""
            )
            + "。子集只按案件量与编号选取、不看决定结果，因此条件系数的估计仍无偏，只是精度降低。"
        )
    else:
        lines.append(f"- 在全部 {sel.total_groups:,} 个检察院、{sel.total_rows:,} 人上拟合。")
    lines.append(
        f"- 拟合用 {fit.groups:,} 个检察院、{fit.rows:,} 人（合并为 {fit.cells:,} 个二项单元）；"
        f"决定全部相同的检察院 {fit.constant_groups} 个不含信息，已剔除；"
        f"找不到犯罪嫌疑人记录的决定 {fit.rows_without_covariates} 条。"
    )
    status = "已收敛" if fit.converged else "**未收敛**"
    lines.append(
        f"- Newton 迭代 {fit.iterations if fit.iterations is not None else '—'} 次，{status}。"
    )
    for message in fit.warnings:
        lines.append(f"- 拟合警告：`{message}`")
    lines += [
        "",
        "| 协变量 | 中文 | 真值 | 估计值 | 标准误 | 95% CI | 真值在 CI 内 |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for c in fit.coefficients:
        ci = "—" if c.ci_low is None else f"{c.ci_low:.3f} – {c.ci_high:.3f}"
        lines.append(
            f"| {c.name} | {labels.get(c.name, c.name)} | {c.truth:.3f} | {_num(c.estimate)} "
            f"| {_num(c.se)} | {ci} | {_yes(c.inside)} |"
        )
    realized = (
        ""
        if fit.group_sd_realized is None
        else (f"；所拟合检察院真实随机截距的样本标准差 {fit.group_sd_realized:.3f}")
    )
    lines += [
        "",
        f"真值落在 95% CI 之外的系数：{fit.outside} 个（共 {len(fit.coefficients)} 个）。",
        "",
        f"检察院随机截距标准差：真值 group_sd = {fit.group_sd_truth:.3f}；"
        f"由固定效应的矩估计 √(var(û) − mean(SE²)) = {_num(fit.group_sd_estimate)}{realized}。",
        "",
    ]
    return lines


def render_markdown(
    dataset_name: str, truth: Truth, rates: Sequence[RateRow], fits: Sequence[FitResult]
) -> str:
    details = truth.details
    juvenile = details["targets"].get("juvenile", {})
    lines = [
        f"# 校准报告：{dataset_name}",
        "",
        "本报告检查合成数据是否兑现了它的两项承诺：各年不捕率、不诉率贴合公布的目标；"
        "用生成的数据重新拟合决定模型，能找回 `_truth/dgp.json` 中的系数。",
        "",
        "## 一、各年不捕率、不诉率与目标",
        "",
        "口径（docs/schema.md）：不捕率 = 不批准逮捕 ÷（批准逮捕 + 不批准逮捕），"
        "不诉率 = 不起诉 ÷（起诉 + 不起诉），按人数、按决定日期所在年度计；"
        "“其他”决定不进分母。",
        "",
    ]
    for model in MODELS:
        lines += [f"### {RATE_NAMES[model]}", "", *_rate_table(rates, model), ""]
    if juvenile:
        year = juvenile.get("year")
        if not any(r.population == "juvenile" for r in rates):
            lines += [f"数据中没有 {year} 年的决定，无法核对未成年人目标。", ""]
        else:
            lines += [
                f"未成年人一行是 {year} 年决定、案件受理时未满 18 周岁的犯罪嫌疑人，"
                f"对应未检白皮书的不捕率 {_pct(juvenile['non_arrest_rate']['value'])}、"
                f"不诉率 {_pct(juvenile['non_prosecution_rate']['value'])}"
                "（附条件不起诉按 schema 口径计入不起诉）。",
                "",
            ]
    lines += [
        "来源标签："
        + "；".join(f"[{k}] {v}" for k, v in SOURCE_LABELS.items())
        + "。95% CI 只反映生成样本的抽样误差；年度截距是在蒙特卡洛样本上求解的，本身也带抽样误差，"
        f"所以偶有目标落在 CI 之外而差值仍在 ±{TOLERANCE_PP:g} 个百分点之内。",
        "",
        "![生成的不捕率、不诉率与目标](rates.png)",
        "",
        "## 二、系数还原",
        "",
        "模型：决定结果（不批准逮捕 / 不起诉 = 1）对六个犯罪嫌疑人协变量的 logit，"
        "加年度固定效应与检察院固定效应。DGP 的系数以检察院随机截距为条件，"
        "以检察院固定效应为条件的 logit 估计的正是这些条件系数"
        "（边际模型的系数会向 0 收缩，不能直接与真值比较）。"
        "六个协变量都是 0/1，同一检察院、年度与协变量组合的行合并为二项单元后，"
        "用 statsmodels GLM（Binomial，Newton）拟合，似然、估计与标准误都与逐行 logit 相同。",
        "",
    ]
    for fit in fits:
        lines += _fit_section(fit)
    lines += [
        "![系数估计与真值](coefficients.png)",
        "",
        "## 三、读报告须知",
        "",
        f"- **系数是建模先验，不是研究发现。** 生成器的说明：{details.get('note', '')}",
    ]
    for model, source in details.get("coefficient_sources", {}).items():
        lines.append(f"- {MODEL_TITLES.get(model, model)}的系数来源：{source}")
    calibrated = details.get("calibrated", {})
    if any(block.get("is_juvenile") for block in calibrated.values()):
        lines.append(
            f"- is_juvenile 的真值由校准求得（使 {juvenile.get('year')} 年未成年人比率"
            "达到白皮书数字），因此与参数文件中的初值不同。"
        )
    lines += [
        "- 检察院标准差的矩估计忽略了固定效应之间的相关与 logit 的小样本偏差，只作量级核对。",
        "- 本目录中的 `_truth/` 是教师材料，不随学生版数据发放；本报告同样只供教师与研究者使用。",
        "",
    ]
    return "\n".join(lines)


def report_json(
    dataset: str, truth: Truth, rates: Sequence[RateRow], fits: Sequence[FitResult]
) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "tolerance_pp": TOLERANCE_PP,
        "rates": [r.as_dict() for r in rates],
        "fits": {f.model: f.as_dict() for f in fits},
        "note": truth.details.get("note"),
        "coefficient_sources": truth.details.get("coefficient_sources"),
        "figures": ["rates.png", "coefficients.png"],
    }
