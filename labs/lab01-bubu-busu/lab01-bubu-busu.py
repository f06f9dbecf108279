# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验一：不捕率与不诉率——口径、区间、漏斗图与回归
#
# **预计用时**：3 小时（阅读背景 30 分钟，第 1—8 题约 2 小时，第 9 题论述 30 分钟）。
#
# **先修**：Python 与 pandas 基础（分组、合并、透视），统计学中的比例、置信区间、卡方检验与逻辑回归。
#
# **学习目标**——完成本实验后，你能够：
#
# 1. 按最高人民检察院的官方口径计算不捕率、不诉率、捕后不诉率与诉前羁押率，并说出每个比率的分母；
# 2. 用 Wilson 方法和精确（Clopper–Pearson）方法给比率加 95% 置信区间，并解释为什么不用“率 ± 1.96 × 标准误”；
# 3. 把不捕、不诉按法定理由分类，并对应到《刑事诉讼法》的条文；
# 4. 用精确二项界限画漏斗图，估计过度离散系数 φ，说明为什么不能用排行榜评价检察院；
# 5. 用卡方检验比较各省的不捕率；
# 6. 拟合逻辑回归，报告比值比及其区间，检查分离与校准，并比较按检察院聚类的稳健标准误与检察院随机截距模型；
# 7. 分析未成年人的不捕、不诉与附条件不起诉。
#
# **评分**：共 35 分。第 1—8 题自动评分（29 分），第 9 题由教师按评分细则人工评分（6 分）。
# 带“测试”字样的单元会自动评分：你能看到的测试只检查常见错误（会提示你该复查什么，不会告诉你答案）；
# 另有隐藏测试在评分程序中用你自己的数据重新计算并核对数值。每道题自成一体：某题空着或做错，不影响其他题，
# 所以每题都请直接从 `arrests`、`prosecutions`、`suspects` 出发计算，不要使用其他题的变量。
# 截止时间与迟交规则见课程大纲；截止后发布反馈，附“真值对照”一节（本实验最后一节的说明）。

# %% [markdown]
# ## 背景：法律规定与政策
#
# **逮捕的条件**（《中华人民共和国刑事诉讼法》，2018 年 10 月 26 日第十三届全国人民代表大会常务委员会第六次
# 会议修正，下称“刑事诉讼法”）：
#
# - **第八十一条第一款**：对有证据证明有犯罪事实，可能判处徒刑以上刑罚的犯罪嫌疑人，采取取保候审尚不足以防止
#   五类社会危险性的，应当予以逮捕。三个条件缺一不可，不捕的三种理由与之对应：**不构成犯罪**（没有犯罪事实）、
#   **证据不足**（不能证明有犯罪事实）、**无社会危险性**（即“无逮捕必要”）。第二款把犯罪的性质、情节和
#   **认罪认罚**情况作为判断社会危险性的考虑因素。
# - **第九十条**：人民检察院审查后，分别作出批准逮捕或者不批准逮捕的决定；**第九十一条第三款**：七日以内作出决定。
# - **第二百八十条**：对未成年犯罪嫌疑人、被告人应当严格限制适用逮捕措施。
#
# **不起诉的种类**：
#
# - **法定不起诉**（第一百七十七条第一款）：没有犯罪事实，或者有第十六条规定的不追究刑事责任的情形之一；
# - **酌定不起诉**（第一百七十七条第二款）：犯罪情节轻微，依照刑法规定不需要判处刑罚或者免除刑罚；
# - **存疑不起诉**（第一百七十五条第四款）：经过二次补充侦查，仍然认为证据不足、不符合起诉条件；
# - **附条件不起诉**（第二百八十二条）：未成年人涉嫌刑法分则第四章、第五章、第六章规定的犯罪，可能判处一年有期徒刑
#   以下刑罚，符合起诉条件但有悔罪表现；考验期六个月以上一年以下（第二百八十三条）。
#
# **少捕慎诉慎押**：2021 年 4 月，中央全面依法治国委员会在其 2021 年工作要点中把“少捕慎诉慎押”确立为刑事司法政策；
# 2021 年 6 月 15 日，中共中央《关于加强新时代检察机关法律监督工作的意见》要求严格依法适用逮捕羁押措施。
# 此前，两高三部《关于适用认罪认罚从宽制度的指导意见》（2019 年 10 月 24 日）要求对认罪认罚案件依法扩大相对不起诉
# 的适用。公布的全国不捕率从 2018 年的 22.1% 升到 2022 年的 43.4%，不诉率从 7.7% 升到 26.3%，诉前羁押率从 54.9% 降到
# 26.7%（最高人民检察院工作报告，2023 年 3 月 7 日，第十四届全国人民代表大会第一次会议）。
#
# **官方口径**（以人数计，按**决定作出的年份**归年）：
#
# | 指标 | 分子 | 分母 |
# |---|---|---|
# | 不捕率 | 不批准逮捕人数 | 批准逮捕人数 + 不批准逮捕人数 |
# | 不诉率 | 不起诉人数（含附条件不起诉） | 起诉人数 + 不起诉人数 |
# | 捕后不诉率 | 已逮捕者中不起诉的人数 | 已逮捕者的审查起诉审结（起诉 + 不起诉）人数 |
# | 诉前羁押率 | 当年批准逮捕人数 | 当年起诉人数 + 不起诉人数 |
#
# 审查中的“其他”决定（撤回、移送等）**不进入分子，也不进入分母**——这是最常见的口径错误。捕后不诉率的分母是
# “捕后审结人数”而不是当年批准逮捕人数，因为今年批捕的人多在明年才审查起诉（董坤、李佳倩，《检察日报》2020 年 11 月）；
# 诉前羁押率的口径见孙长永《诉前羁押实证研究报告》（《现代法学》2023 年第 3 期）。

# %% [markdown]
# ## 数据
#
# 本实验使用**合成的**刑事检察教学数据集 `criminal-teaching`：浙江、广东、河南、四川四省的检察院，2018—2025 年。
# 数据由已知的数据生成过程模拟：年度比率按公布的全国数字校准，决定由含检察院随机截距的逻辑回归产生，
# 2021 年各省在不同日期采纳少捕慎诉慎押（教学用时间表：浙江 5 月 1 日、广东 6 月 15 日、四川 8 月 1 日、
# 河南 10 月 1 日）。因此数据里的差异与系数是**建模先验**，不是实证发现；它的好处是真值已知，
# 截止后你能看到自己的估计离真值多远。完整说明见数据目录中的编码手册 `data/criminal-teaching/codebook.md`，
# 其中“已知局限”一节列出了这些数据不能用来做什么（例如不能用来比较真实的地区差异）。
#
# 本实验用到的表（每行的含义）：
#
# - `arrest_reviews`（`arrests`）：一名犯罪嫌疑人的一次审查逮捕决定；
# - `prosecution_reviews`（`prosecutions`）：一名犯罪嫌疑人的一次审查起诉决定；`arrested = 1` 表示此前已被批准逮捕；
# - `suspects`：犯罪嫌疑人特征，每人一行（以 `suspect_id` 与两张审查表关联）。
#
# 下面的单元从编码手册中取出这些表的列说明，作为本实验的数据字典。

# %%
import json
from io import BytesIO
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from IPython.display import Image, display
from scipy.stats import chi2_contingency
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM
from synthgen import read_table

from jianlab.plotting import setup_cjk
from research import (
    adjusted_limits,
    calibration_table,
    decision_rates,
    exact_limits,
    funnel_table,
    odds_ratio_table,
    proportion_interval,
    rate_table,
    separation_report,
)

setup_cjk()
DATA = Path("data") / "criminal-teaching"
COVARIATES = [
    "plea_leniency",
    "compensated_forgiven",
    "is_first_offense",
    "is_juvenile",
    "is_local",
    "minor_offense",
]


def show(fig, alt):
    """显示图形并附上替代文字（读屏软件朗读的文字说明）。"""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), alt=alt))


arrests = read_table(DATA, "arrest_reviews")
prosecutions = read_table(DATA, "prosecution_reviews")
suspects = read_table(DATA, "suspects")

_codebook = json.loads((DATA / "codebook.json").read_text(encoding="utf-8"))
pd.DataFrame(
    [
        {"表": table, "列": column, "含义": spec["label"], "说明": spec.get("description", "")}
        for table in ("arrest_reviews", "prosecution_reviews", "suspects")
        for column, spec in _codebook["tables"][table]["columns"].items()
    ]
).style.hide(axis="index")

# %% [markdown]
# 研究工具包 `research`（说明见项目文档 `docs/research-toolkit.md`）提供了本实验用到的几个函数，你可以直接调用，
# 也可以自己用 statsmodels / scipy 实现，结果相同即可：
#
# - `decision_rates(表, 分组列, 命中决定, 有利决定)`：按官方口径的比率与 Wilson、精确区间；
# - `proportion_interval(x, n, method="wilson" 或 "exact")`：比例的置信区间；
# - `funnel_table(x, n)`：漏斗图的精确二项界限、φ 调整界限与出界标志；
# - `odds_ratio_table(拟合结果, 变量)`、`separation_report(...)`、`calibration_table(...)`：比值比、分离与校准检查。

# %% [markdown]
# ## 第 1 题（自动评分，4 分）：逐年不捕率及其置信区间
#
# 用 `arrests` 计算每个**决定年份**（`decision_date` 的年份）的不捕率，并给出 95% 的 Wilson 区间与精确区间。
# 结果保存为 `DataFrame` 变量 `arrest_rates`：索引为年份（整数），列为
# `x`（不批准逮捕人数）、`n`（分母人数）、`rate`、`wilson_low`、`wilson_high`、`exact_low`、`exact_high`。
#
# 提示：先想清楚分母里有哪些决定；`decision_rates` 一步就能得到这张表。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests.assign(decision_year=arrests["decision_date"].dt.year)
arrest_rates = decision_rates(_a, "decision_year", "不批准逮捕", "批准逮捕")
### END SOLUTION
arrest_rates.round(4)

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 4} jianlab={"exports": {"arrest_rates": "dataframe"}}
_cols = ["x", "n", "rate", "wilson_low", "wilson_high", "exact_low", "exact_high"]
assert isinstance(arrest_rates, pd.DataFrame), "arrest_rates 应为 DataFrame"
assert set(_cols) <= set(arrest_rates.columns), f"arrest_rates 应有列 {_cols}"
assert arrest_rates["rate"].between(0, 1).all(), "比率应在 0 与 1 之间"
_all = arrests.groupby(arrests["decision_date"].dt.year).size().reindex(arrest_rates.index)
assert not np.allclose(arrest_rates["n"], _all), "分母里是否混入了“其他”决定？"
_recv = arrests[arrests["decision"] != "其他"]
_recv = _recv.groupby(_recv["received_date"].dt.year).size().reindex(arrest_rates.index)
assert not np.allclose(arrest_rates["n"], _recv.fillna(0)), "是否按受理日期而不是决定日期归年？"
_wald = arrest_rates["rate"] - 1.96 * np.sqrt(arrest_rates["rate"] * (1 - arrest_rates["rate"]) / arrest_rates["n"])
assert not np.allclose(arrest_rates["wilson_low"], _wald), "Wilson 区间不是“率 ± 1.96 × 标准误”（那是 Wald 区间）"
assert (arrest_rates["wilson_low"] <= arrest_rates["rate"]).all() and (arrest_rates["rate"] <= arrest_rates["exact_high"]).all(), "区间应包含点估计"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import decision_rates

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_ar = _ar.assign(decision_year=_ar["decision_date"].dt.year)
_exp = decision_rates(_ar, "decision_year", "不批准逮捕", "批准逮捕")
_got = arrest_rates.sort_index()
assert [int(y) for y in _got.index] == [int(y) for y in _exp.index], "年份不完整或不正确"
for _c in ["x", "n", "rate", "wilson_low", "wilson_high", "exact_low", "exact_high"]:
    assert np.allclose(_got[_c].to_numpy(float), _exp[_c].to_numpy(float), atol=1e-6), _c
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，4 分）：不诉率、捕后不诉率与诉前羁押率
#
# 按“背景”一节的口径，逐个**决定年份**计算三个比率，保存为 `DataFrame` 变量 `custody`：索引为年份（整数），
# 列为 `不诉率`、`捕后不诉率`、`诉前羁押率`（0—1 之间的小数）。只保留 `prosecutions` 中出现的年份。
#
# 提示：捕后不诉率只看 `arrested == 1` 的审查起诉决定；诉前羁押率的分子来自 `arrests`，分母来自 `prosecutions`。

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_p = prosecutions[prosecutions["decision"].isin(["起诉", "不起诉"])]
_p_year = _p["decision_date"].dt.year
_non_pros = (_p["decision"] == "不起诉").groupby(_p_year).mean()
_after = _p[_p["arrested"] == 1]
_post = (_after["decision"] == "不起诉").groupby(_after["decision_date"].dt.year).mean()
_approved = arrests[arrests["decision"] == "批准逮捕"]
_approved_n = _approved.groupby(_approved["decision_date"].dt.year).size()
_detention = _approved_n.reindex(_non_pros.index, fill_value=0) / _p.groupby(_p_year).size()
custody = pd.DataFrame({"不诉率": _non_pros, "捕后不诉率": _post, "诉前羁押率": _detention})
custody.index = custody.index.astype(int)
### END SOLUTION
custody.round(4)

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 4} jianlab={"exports": {"custody": "dataframe"}}
assert isinstance(custody, pd.DataFrame), "custody 应为 DataFrame"
assert list(custody.columns) == ["不诉率", "捕后不诉率", "诉前羁押率"], "列名或顺序不对"
assert custody.notna().all().all() and ((custody >= 0) & (custody <= 1)).all().all(), "比率应在 0 与 1 之间且无缺失"
_by_year = lambda frame, mask: mask.groupby(frame["decision_date"].dt.year).sum()
_np_after = _by_year(prosecutions, (prosecutions["decision"] == "不起诉") & (prosecutions["arrested"] == 1))
_approved_all = _by_year(arrests, arrests["decision"] == "批准逮捕")
_wrong_post = (_np_after / _approved_all).reindex(custody.index)
assert not np.allclose(custody["捕后不诉率"], _wrong_post), "捕后不诉率的分母应是已逮捕者的审查起诉审结人数，而不是当年批准逮捕人数"
_decided_a = _by_year(arrests, arrests["decision"].isin(["批准逮捕", "不批准逮捕"]))
_wrong_det = (_approved_all / _decided_a).reindex(custody.index)
assert not np.allclose(custody["诉前羁押率"], _wrong_det), "诉前羁押率的分母是审查起诉的人数，不是审查逮捕的人数"
assert (custody["捕后不诉率"] < custody["不诉率"]).mean() > 0.5, "捕后不诉率通常远低于不诉率：是否选错了 arrested 的取值？"
### BEGIN HIDDEN TESTS
import numpy as np
import pandas as pd
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("criminal-teaching")
_ar = read_table(_ref, "arrest_reviews")
_pr = read_table(_ref, "prosecution_reviews")
_pr = _pr[_pr["decision"].isin(["起诉", "不起诉"])]
_y = _pr["decision_date"].dt.year
_e1 = (_pr["decision"] == "不起诉").groupby(_y).mean()
_af = _pr[_pr["arrested"] == 1]
_e2 = (_af["decision"] == "不起诉").groupby(_af["decision_date"].dt.year).mean().reindex(_e1.index)
_ap = _ar[_ar["decision"] == "批准逮捕"]
_e3 = _ap.groupby(_ap["decision_date"].dt.year).size().reindex(_e1.index, fill_value=0) / _pr.groupby(_y).size()
_got = custody.sort_index()
assert [int(v) for v in _got.index] == [int(v) for v in _e1.index], "年份不正确"
assert np.allclose(_got["不诉率"].to_numpy(float), _e1.to_numpy(float))
assert np.allclose(_got["捕后不诉率"].to_numpy(float), _e2.to_numpy(float))
assert np.allclose(_got["诉前羁押率"].to_numpy(float), _e3.to_numpy(float))
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，3 分）：按法定理由分类
#
# 对**全部年份**，把不批准逮捕按 `non_arrest_reason`、不起诉按 `non_prosecution_type` 分类，保存为 `DataFrame`
# 变量 `grounds`，每个理由一行，列为：
#
# - `决定`：`"不批准逮捕"` 或 `"不起诉"`；
# - `理由`：理由或类型的名称（取数据中的原值）；
# - `人数`；
# - `占比`：该理由人数占同一决定总人数的比例；
# - `法条`：该理由的法律依据，写出刑事诉讼法的条（款）号，例如 `"刑事诉讼法第九十条"`（按“背景”一节自己判断，
#   不要照抄这个例子）。

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
_statute = {
    "无社会危险性": "刑事诉讼法第八十一条第一款（不足以防止社会危险性的条件不满足）",
    "证据不足": "刑事诉讼法第八十一条第一款（不能证明有犯罪事实）",
    "不构成犯罪": "刑事诉讼法第八十一条第一款（没有犯罪事实）",
    "法定不起诉": "刑事诉讼法第一百七十七条第一款",
    "酌定不起诉": "刑事诉讼法第一百七十七条第二款",
    "存疑不起诉": "刑事诉讼法第一百七十五条第四款",
    "附条件不起诉": "刑事诉讼法第二百八十二条",
}
_parts = []
for _decision, _frame, _col in (
    ("不批准逮捕", arrests, "non_arrest_reason"),
    ("不起诉", prosecutions, "non_prosecution_type"),
):
    _counts = _frame.loc[_frame["decision"] == _decision, _col].value_counts()
    _parts.append(
        pd.DataFrame(
            {"决定": _decision, "理由": _counts.index, "人数": _counts.to_numpy(), "占比": (_counts / _counts.sum()).to_numpy()}
        )
    )
grounds = pd.concat(_parts, ignore_index=True)
grounds["法条"] = grounds["理由"].map(_statute)
### END SOLUTION
grounds

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 3} jianlab={"exports": {"grounds": "dataframe"}}
assert isinstance(grounds, pd.DataFrame), "grounds 应为 DataFrame"
assert list(grounds.columns) == ["决定", "理由", "人数", "占比", "法条"], "列名或顺序不对"
assert set(grounds["决定"]) == {"不批准逮捕", "不起诉"}, "决定列应只有“不批准逮捕”与“不起诉”"
assert np.allclose(grounds.groupby("决定")["占比"].sum(), 1.0), "占比应在同一决定内合计为 1"
assert grounds["法条"].notna().all() and grounds["法条"].astype(str).str.contains("条").all(), "每个理由都应写出法条"
assert not grounds["法条"].astype(str).str.contains("第九十条").all(), "第九十条只规定作出决定，不是不捕的理由"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("criminal-teaching")
_expected_article = {
    "无社会危险性": "第八十一条", "证据不足": "第八十一条", "不构成犯罪": "第八十一条",
    "法定不起诉": "第一百七十七条第一款", "酌定不起诉": "第一百七十七条第二款",
    "存疑不起诉": "第一百七十五条", "附条件不起诉": "第二百八十二条",
}
_rows = 0
for _dec, _table, _col in (("不批准逮捕", "arrest_reviews", "non_arrest_reason"), ("不起诉", "prosecution_reviews", "non_prosecution_type")):
    _t = read_table(_ref, _table)
    _c = _t.loc[_t["decision"] == _dec, _col].value_counts()
    _g = grounds[grounds["决定"] == _dec].set_index("理由")
    assert set(_g.index) == set(_c.index), f"{_dec} 的理由不完整"
    assert np.allclose(_g.loc[_c.index, "人数"].to_numpy(float), _c.to_numpy(float))
    assert np.allclose(_g.loc[_c.index, "占比"].to_numpy(float), (_c / _c.sum()).to_numpy(float))
    for _reason in _c.index:
        assert _expected_article[_reason] in str(_g.loc[_reason, "法条"]), f"{_reason} 的法条不正确"
    _rows += len(_c)
assert len(grounds) == _rows
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，5 分）：2022 年各检察院不捕率的漏斗图
#
# 只看 **2022 年作出决定**的审查逮捕（不含“其他”）。以全部检察院合计的 2022 年不捕率为中心线 $p_0$。
# 单个检察院一年只有几十人，$n p_0 < 5$ 很常见，正态近似的控制限 $p_0 \pm 1.96\sqrt{p_0(1-p_0)/n}$ 在这里不可靠，
# 所以用**精确二项界限**（95% 与 99.8%），再估计过度离散系数 $\varphi$（两端各缩尾 10% 的 z 分数平方均值，
# Spiegelhalter 2005）并给出 $\varphi$ 调整后的界限。
#
# 结果保存为：
#
# - `funnel`（`DataFrame`，索引 `procuratorate_id`）：列 `n`、`rate`、`lower95`、`upper95`、`lower998`、`upper998`、
#   `outside95`、`outside998`、`adj_lower998`、`adj_upper998`、`adj_outside998`（`funnel_table` 的输出已包含这些列）；
# - `phi`：过度离散系数（浮点数）；
# - `fig`：漏斗图（散点为各检察院，画出 95%、99.8% 精确界限和 φ 调整后的 99.8% 界限，横轴“审查逮捕人数”，
#   纵轴“不捕率”，中文标题），并用 `show(fig, alt=...)` 显示，`fig_alt` 为图的中文替代文字（说明图里画了什么、
#   多少检察院出界）。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_a22 = arrests[(arrests["decision_date"].dt.year == 2022) & arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_hit = (_a22["decision"] == "不批准逮捕").groupby(_a22["procuratorate_id"])
funnel, _over = funnel_table(_hit.sum(), _hit.size())
phi = _over.phi
_p0 = funnel.attrs["theta0"]

fig, ax = plt.subplots(figsize=(7.5, 4.8))
ax.scatter(funnel["n"], funnel["rate"], s=12, c=np.where(funnel["outside998"], "tab:red", "tab:blue"), label="检察院")
_grid = np.arange(max(int(funnel["n"].min()), 1), int(funnel["n"].max()) + 1)
for _level, _style, _name in ((0.95, "--", "95% 精确界限"), (0.998, ":", "99.8% 精确界限")):
    _lo, _hi = exact_limits(_p0, _grid, _level)
    ax.plot(_grid, _hi, _style, color="gray", label=_name)
    ax.plot(_grid, _lo, _style, color="gray")
_alo, _ahi = adjusted_limits(_p0, _grid, 0.998, _over)
ax.plot(_grid, _ahi, "-", color="darkorange", label=f"φ 调整 99.8% 界限（φ = {phi:.2f}）")
ax.plot(_grid, _alo, "-", color="darkorange")
ax.axhline(_p0, color="black", linewidth=0.8)
ax.set_xlabel("审查逮捕人数")
ax.set_ylabel("不捕率")
ax.set_title("2022 年各检察院不捕率漏斗图")
ax.legend(fontsize=8)
fig_alt = (
    f"漏斗图：横轴为 2022 年各检察院审查逮捕人数，纵轴为不捕率，中心线 {_p0:.1%}。"
    f"{len(funnel)} 个检察院中，{int(funnel['outside95'].sum())} 个落在 95% 精确界限外，"
    f"{int(funnel['outside998'].sum())} 个落在 99.8% 精确界限外；按 φ = {phi:.2f} 调整后，"
    f"{int(funnel['adj_outside998'].sum())} 个落在 99.8% 界限外。"
)
show(fig, alt=fig_alt)
### END SOLUTION
funnel[["outside95", "outside998", "adj_outside998"]].sum()

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 5} jianlab={"exports": {"funnel": "dataframe", "phi": "scalar"}}
import matplotlib.figure

_need = {"n", "rate", "lower95", "upper95", "lower998", "upper998", "outside95", "outside998", "adj_lower998", "adj_upper998", "adj_outside998"}
assert isinstance(funnel, pd.DataFrame) and _need <= set(funnel.columns), f"funnel 应有列 {sorted(_need)}"
_p0_student = float((funnel["rate"] * funnel["n"]).sum() / funnel["n"].sum())
_normal = np.clip(_p0_student - 1.96 * np.sqrt(_p0_student * (1 - _p0_student) / funnel["n"]), 0, 1)
assert not np.allclose(funnel["lower95"], _normal, atol=1e-4), "控制限是否用了正态近似？小样本检察院应使用精确二项界限"
assert (funnel["lower998"] <= funnel["lower95"] + 1e-12).all(), "99.8% 界限应比 95% 界限更宽"
assert funnel["outside998"].sum() <= funnel["outside95"].sum(), "出界数应随界限变宽而减少"
assert isinstance(phi, float) and phi > 0, "phi 应为正的浮点数"
assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes[0].lines) >= 4, "图中应有散点与至少两组界限"
assert any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_xlabel()), "横轴标签应为中文"
assert isinstance(fig_alt, str) and len(fig_alt) >= 20, "请用 fig_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import funnel_table

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_a = _ar[(_ar["decision_date"].dt.year == 2022) & _ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_h = (_a["decision"] == "不批准逮捕").groupby(_a["procuratorate_id"])
_exp, _ov = funnel_table(_h.sum(), _h.size())
_got = funnel.reindex(_exp.index)
assert len(funnel) == len(_exp) and _got["n"].notna().all(), "检察院集合不对"
for _c in ["n", "rate", "lower95", "upper95", "lower998", "upper998", "adj_lower998", "adj_upper998"]:
    assert np.allclose(_got[_c].to_numpy(float), _exp[_c].to_numpy(float), atol=1e-6), _c
for _c in ["outside95", "outside998", "adj_outside998"]:
    assert (_got[_c].astype(bool) == _exp[_c]).all(), _c
assert abs(phi - _ov.phi) < 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，2 分）：各省不捕率的卡方检验
#
# 对 2022 年的审查逮捕决定，构造“省份 × 决定（批准逮捕、不批准逮捕）”的列联表，用 `scipy.stats.chi2_contingency`
# 检验四省不捕率是否相同。保存 `chi2_stat`（统计量）、`chi2_p`（p 值）与 `chi2_dof`（自由度，整数）。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_a22 = arrests[(arrests["decision_date"].dt.year == 2022) & arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_table = pd.crosstab(_a22["province_code"], _a22["decision"])
chi2_stat, chi2_p, chi2_dof, _expected = chi2_contingency(_table)
chi2_stat, chi2_p, chi2_dof = float(chi2_stat), float(chi2_p), int(chi2_dof)
### END SOLUTION
chi2_stat, chi2_p, chi2_dof

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 2} jianlab={"exports": {"chi2_stat": "scalar", "chi2_p": "scalar", "chi2_dof": "scalar"}}
_k = arrests.loc[arrests["decision_date"].dt.year == 2022, "province_code"].nunique()
assert chi2_dof != 2 * (_k - 1), "列联表是否混入了“其他”决定？"
assert chi2_dof == _k - 1, "自由度 = (行数 − 1) × (列数 − 1)：每个省一行，两种决定两列"
assert 0 <= chi2_p <= 1 and chi2_stat >= 0, "统计量应非负，p 值在 0 与 1 之间"
### BEGIN HIDDEN TESTS
import pandas as pd
from scipy.stats import chi2_contingency
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_a = _ar[(_ar["decision_date"].dt.year == 2022) & _ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_s, _pv, _d, _ = chi2_contingency(pd.crosstab(_a["province_code"], _a["decision"]))
assert abs(chi2_stat - _s) < 1e-6 * max(1.0, _s) and abs(chi2_p - _pv) < 1e-9 and int(chi2_dof) == int(_d)
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（自动评分，4 分）：逻辑回归、比值比与模型检查
#
# 只用**浙江省**（`province_code == "33"`）的审查逮捕决定（不含“其他”）。把 `arrests` 与 `suspects` 按 `suspect_id`
# 合并，因变量 `non_arrest`（不批准逮捕 = 1），拟合
#
# `non_arrest ~ plea_leniency + compensated_forgiven + is_first_offense + is_juvenile + is_local + minor_offense + C(decision_year)`
#
# 其中 `decision_year` 为决定年份。同一检察院的决定并不独立，所以标准误要**按 `procuratorate_id` 聚类**
# （`fit(cov_type="cluster", cov_kwds={"groups": ...})`，groups 用检察院编号的整数编码）。保存：
#
# - `odds`：`DataFrame`，索引为 6 个特征（`COVARIATES`），列 `odds_ratio`、`or_low`、`or_high`（95% 区间）；
# - `n_separated`：6 个特征的各取值中，结局全为 0 或全为 1 的取值个数（完全分离检查，整数）；
# - `hl_p`：按预测概率十等分的 Hosmer–Lemeshow 校准检验 p 值（`calibration_table`，浮点数）。
#
# 注意：比值比是几率（odds）之比，不是概率之比。

# %% nbgrader={"grade_id": "q6_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[(arrests["province_code"] == "33") & arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_zj = _a.merge(suspects[["suspect_id", *COVARIATES]], on="suspect_id")
_zj["non_arrest"] = (_zj["decision"] == "不批准逮捕").astype(int)
_zj["decision_year"] = _zj["decision_date"].dt.year
_formula = "non_arrest ~ " + " + ".join(COVARIATES) + " + C(decision_year)"
_groups = pd.factorize(_zj["procuratorate_id"])[0]
_fit = smf.logit(_formula, data=_zj).fit(disp=0, cov_type="cluster", cov_kwds={"groups": _groups})
odds = odds_ratio_table(_fit, COVARIATES)[["odds_ratio", "or_low", "or_high"]]
n_separated = int(separation_report(_zj, "non_arrest", COVARIATES)["separated"].sum())
_cal, _hl, hl_p = calibration_table(_zj["non_arrest"], _fit.predict(_zj))
### END SOLUTION
odds.round(3), n_separated, round(hl_p, 3)

# %% nbgrader={"grade_id": "q6_tests", "grade": true, "points": 4} jianlab={"exports": {"odds": "dataframe", "n_separated": "scalar", "hl_p": "scalar"}}
assert isinstance(odds, pd.DataFrame) and sorted(odds.index) == sorted(COVARIATES), "odds 的索引应为 6 个特征名"
assert {"odds_ratio", "or_low", "or_high"} <= set(odds.columns), "odds 缺少列"
assert (odds["odds_ratio"] > 0).all(), "比值比必为正数：是否报告了系数而不是 exp(系数)？"
assert ((odds["or_low"] < odds["odds_ratio"]) & (odds["odds_ratio"] < odds["or_high"])).all(), "区间应包含比值比：区间也要取指数"
assert isinstance(n_separated, int) and n_separated >= 0, "n_separated 应为非负整数"
assert 0 <= hl_p <= 1, "hl_p 应在 0 与 1 之间"
### BEGIN HIDDEN TESTS
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import calibration_table

_cov = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local", "minor_offense"]
_ref = reference_dir("criminal-teaching")
_ar = read_table(_ref, "arrest_reviews")
_ar = _ar[(_ar["province_code"] == "33") & _ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_d = _ar.merge(read_table(_ref, "suspects")[["suspect_id", *_cov]], on="suspect_id")
_d["non_arrest"] = (_d["decision"] == "不批准逮捕").astype(int)
_d["decision_year"] = _d["decision_date"].dt.year
_f = smf.logit("non_arrest ~ " + " + ".join(_cov) + " + C(decision_year)", data=_d).fit(
    disp=0, cov_type="cluster", cov_kwds={"groups": pd.factorize(_d["procuratorate_id"])[0]}
)
_ci = _f.conf_int().loc[_cov]
assert np.allclose(odds.loc[_cov, "odds_ratio"].to_numpy(float), np.exp(_f.params[_cov]).to_numpy(), rtol=1e-3), "比值比不正确"
assert np.allclose(odds.loc[_cov, "or_low"].to_numpy(float), np.exp(_ci[0]).to_numpy(), rtol=1e-3), "区间下限不正确（是否按检察院聚类？）"
assert np.allclose(odds.loc[_cov, "or_high"].to_numpy(float), np.exp(_ci[1]).to_numpy(), rtol=1e-3), "区间上限不正确（是否按检察院聚类？）"
_sep = sum(int(((_g["sum"] == 0) | (_g["sum"] == _g["size"])).sum()) for _g in (_d.groupby(_c)["non_arrest"].agg(["sum", "size"]) for _c in _cov))
assert int(n_separated) == _sep
assert abs(hl_p - calibration_table(_d["non_arrest"], _f.predict(_d))[2]) < 1e-4
### END HIDDEN TESTS

# %% [markdown]
# ## 第 7 题（自动评分，4 分）：检察院随机截距模型
#
# 聚类稳健标准误只修正区间，系数仍是“总体平均”的；检察院随机截距模型
# $\text{logit}\,P(\text{不捕}) = X\beta + u_j,\ u_j \sim N(0, \sigma^2)$ 给出“同一检察院内”的条件效应，并估计检察院之间的
# 标准差 $\sigma$。
#
# 只用**浙江省 2022—2025 年**作出的审查逮捕决定（此时浙江已采纳少捕慎诉慎押，政策状态一致），因变量与协变量同第 6 题，
# 另加 `C(decision_year)`。用 `BinomialBayesMixedGLM.from_formula` 建模（随机效应写成
# `{"procuratorate": "0 + C(procuratorate_id)"}`），再调用模型的 `fit_vb` 方法拟合（变分贝叶斯近似，数秒），保存：
#
# - `re_coef`：6 个特征的系数（logit 尺度，`pandas.Series`，索引为特征名；取 `fe_mean`，按 `model.exog_names` 对应）；
# - `re_se`：这些系数的后验标准差（`fe_sd`，`pandas.Series`）；
# - `re_sd`：检察院随机截距的标准差 $\hat\sigma$（`vcp_mean` 是它的**对数**）。

# %% nbgrader={"grade_id": "q7_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[
    (arrests["province_code"] == "33")
    & (arrests["decision_date"].dt.year >= 2022)
    & arrests["decision"].isin(["批准逮捕", "不批准逮捕"])
]
_zj = _a.merge(suspects[["suspect_id", *COVARIATES]], on="suspect_id")
_zj["non_arrest"] = (_zj["decision"] == "不批准逮捕").astype(int)
_zj["decision_year"] = _zj["decision_date"].dt.year
_formula = "non_arrest ~ " + " + ".join(COVARIATES) + " + C(decision_year)"
_mixed = BinomialBayesMixedGLM.from_formula(_formula, {"procuratorate": "0 + C(procuratorate_id)"}, _zj).fit_vb()
_names = _mixed.model.exog_names
re_coef = pd.Series(_mixed.fe_mean, index=_names)[COVARIATES]
re_se = pd.Series(_mixed.fe_sd, index=_names)[COVARIATES]
re_sd = float(np.exp(_mixed.vcp_mean[0]))
### END SOLUTION
pd.DataFrame({"系数": re_coef, "后验标准差": re_se}).round(3), round(re_sd, 3)

# %% nbgrader={"grade_id": "q7_tests", "grade": true, "points": 4} jianlab={"exports": {"re_coef": "series", "re_se": "series", "re_sd": "scalar"}}
assert isinstance(re_coef, pd.Series) and sorted(re_coef.index) == sorted(COVARIATES), "re_coef 的索引应为 6 个特征名"
assert isinstance(re_se, pd.Series) and (re_se > 0).all(), "re_se 应为正的标准差"
assert re_sd > 0, "re_sd 是标准差，应为正数"
assert re_sd < 3, "vcp_mean 是对数标准差：是否忘了取指数，或取成了方差？"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_cov = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local", "minor_offense"]
_ref = reference_dir("criminal-teaching")
_ar = read_table(_ref, "arrest_reviews")
_ar = _ar[(_ar["province_code"] == "33") & (_ar["decision_date"].dt.year >= 2022) & _ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_d = _ar.merge(read_table(_ref, "suspects")[["suspect_id", *_cov]], on="suspect_id")
_d["non_arrest"] = (_d["decision"] == "不批准逮捕").astype(int)
_d["decision_year"] = _d["decision_date"].dt.year
_f = "non_arrest ~ " + " + ".join(_cov) + " + C(decision_year)"
_m = BinomialBayesMixedGLM.from_formula(_f, {"procuratorate": "0 + C(procuratorate_id)"}, _d).fit_vb()
_mean = pd.Series(_m.fe_mean, index=_m.model.exog_names)[_cov]
assert np.allclose(re_coef[_cov].to_numpy(float), _mean.to_numpy(), atol=0.02), "系数不正确"
assert abs(float(re_sd) - float(np.exp(_m.vcp_mean[0]))) < 0.02, "随机截距标准差不正确"
_sd = pd.Series(_m.fe_sd, index=_m.model.exog_names)[_cov]
assert np.allclose(re_se[_cov].to_numpy(float), _sd.to_numpy(), rtol=0.05), "后验标准差不正确"
# the planted truth: every coefficient within four posterior SDs, σ within a factor of two
_truth = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))["arrest"]
_true = pd.Series(_truth["coefficients"])[_cov]
assert (abs(_mean - _true) <= 4 * _sd + 0.05).all()
assert 0.5 * _truth["group_sd"] <= float(np.exp(_m.vcp_mean[0])) <= 2 * _truth["group_sd"]
### END HIDDEN TESTS

# %% [markdown]
# ## 第 8 题（自动评分，3 分）：未成年人与附条件不起诉
#
# 对 **2021 年**作出的决定，把审查逮捕、审查起诉决定与 `suspects` 的 `is_juvenile` 合并，分别对未成年人与成年人计算：
# 不捕率、不诉率（附条件不起诉计入不起诉），以及附条件不起诉占审查起诉（起诉 + 不起诉）人数的比例。
# 保存为 `DataFrame` 变量 `juvenile`：索引为 `["未成年人", "成年人"]`，列为 `不捕率`、`不诉率`、`附条件不起诉占比`。
#
# 对照：《未成年人检察工作白皮书（2021）》（最高人民检察院，2022 年 6 月）公布 2021 年未成年人不捕率 50.4%、
# 不诉率 39.1%（后者的分母不含附条件不起诉，与本数据口径不同，见编码手册“说明”一节）。

# %% nbgrader={"grade_id": "q8_answer", "solution": true}
### BEGIN SOLUTION
_flag = suspects.set_index("suspect_id")["is_juvenile"]
_a = arrests[(arrests["decision_date"].dt.year == 2021) & arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_p = prosecutions[(prosecutions["decision_date"].dt.year == 2021) & prosecutions["decision"].isin(["起诉", "不起诉"])]
_label = {1: "未成年人", 0: "成年人"}
_ga = _a["suspect_id"].map(_flag).map(_label)
_gp = _p["suspect_id"].map(_flag).map(_label)
juvenile = pd.DataFrame(
    {
        "不捕率": (_a["decision"] == "不批准逮捕").groupby(_ga).mean(),
        "不诉率": (_p["decision"] == "不起诉").groupby(_gp).mean(),
        "附条件不起诉占比": (_p["non_prosecution_type"] == "附条件不起诉").groupby(_gp).mean(),
    }
).reindex(["未成年人", "成年人"])
### END SOLUTION
juvenile.round(3)

# %% nbgrader={"grade_id": "q8_tests", "grade": true, "points": 3} jianlab={"exports": {"juvenile": "dataframe"}}
assert isinstance(juvenile, pd.DataFrame), "juvenile 应为 DataFrame"
assert list(juvenile.index) == ["未成年人", "成年人"], "索引应为 [\"未成年人\", \"成年人\"]"
assert list(juvenile.columns) == ["不捕率", "不诉率", "附条件不起诉占比"], "列名或顺序不对"
assert juvenile.loc["成年人", "附条件不起诉占比"] == 0, "附条件不起诉只适用于未成年人（刑事诉讼法第二百八十二条）：成年人一行应为 0"
assert juvenile.loc["未成年人", "附条件不起诉占比"] <= juvenile.loc["未成年人", "不诉率"], "附条件不起诉计入不起诉，占比不会超过不诉率"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("criminal-teaching")
_f = read_table(_ref, "suspects").set_index("suspect_id")["is_juvenile"]
_ar = read_table(_ref, "arrest_reviews")
_pr = read_table(_ref, "prosecution_reviews")
_ar = _ar[(_ar["decision_date"].dt.year == 2021) & _ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_pr = _pr[(_pr["decision_date"].dt.year == 2021) & _pr["decision"].isin(["起诉", "不起诉"])]
for _label, _v in (("未成年人", 1), ("成年人", 0)):
    _aa = _ar[_ar["suspect_id"].map(_f) == _v]
    _pp = _pr[_pr["suspect_id"].map(_f) == _v]
    _exp = [(_aa["decision"] == "不批准逮捕").mean(), (_pp["decision"] == "不起诉").mean(), (_pp["non_prosecution_type"] == "附条件不起诉").mean()]
    assert np.allclose(juvenile.loc[_label, ["不捕率", "不诉率", "附条件不起诉占比"]].to_numpy(float), _exp), _label
### END HIDDEN TESTS

# %% [markdown]
# ## 第 9 题（人工评分，6 分）：解释与反思
#
# 用 400—600 字回答，引用你在前面各题得到的数字（含区间）：
#
# 1. 本数据的不捕率、不诉率、诉前羁押率随年份怎样变化？与“背景”中公布的全国数字相比如何？为什么这里只能比较走势，
#    不能把数据当作对公布数字的“检验”？
# 2. 如果把 2022 年各检察院按不捕率从高到低排成“排行榜”，会误导读者什么？漏斗图、精确界限与 φ 各纠正了哪一点？
#    落在 99.8% 界限之外的检察院，能否直接认定其办案异常？
# 3. 解释 `plea_leniency` 的比值比（用“几率”而不是“概率”表述）。聚类稳健标准误与随机截距模型的系数有何不同、为什么？
#    这些系数能否说明认罪认罚“导致”不捕？

# %% [markdown] nbgrader={"grade_id": "q9_essay", "grade": true, "solution": true, "points": 6}
# ### BEGIN SOLUTION
# **参考答案（教师范文）**：不捕率从 2018 年约 22% 升至 2022 年约 43%，之后回落；不诉率与之同向，诉前羁押率由五成多降到
# 三成以下，与最高人民检察院工作报告公布的走势一致。但年度比率正是生成器校准的目标，样本与公布数相近是构造使然，
# 不是独立证据；能学到的是口径（“其他”不进分母、按决定年份归年、捕后不诉率以捕后审结人数为分母）与抽样误差
# （单省单年的 Wilson 区间宽约 1—2 个百分点）。
#
# 排行榜把抽样误差当成了差异：审查人数少的检察院不捕率波动大，最高和最低的位置多半被小检察院占据。漏斗图用随 n
# 收窄的精确二项界限纠正了这一点（小样本时正态界限偏窄、会多报异常）；即使界限正确，数百个检察院中也约有 5% 会偶然
# 落在 95% 界限外。φ 明显大于 1，说明检察院之间还有超出二项误差的差异（案件结构、地方做法），按 φ 调整后出界的检察院
# 少得多；落在 99.8% 界限外只是“值得核查”的信号，还要看罪名结构、认罪认罚比例、数据质量，不能直接认定违法或异常。
#
# 认罪认罚的比值比约为 2.5：在其他特征、年份相同时，认罪认罚者不捕的几率约为未认罪认罚者的 2.5 倍，不是概率的 2.5 倍。
# 聚类稳健标准误只放宽区间，系数是总体平均效应；随机截距模型的系数是同一检察院内的条件效应，绝对值略大
# （logit 模型的不可压缩性），并给出检察院之间的标准差约 0.4。认罪认罚本身受案情与办案过程影响，存在遗漏变量与选择，
# 这些系数只能解释为条件相关；在合成数据中它们是建模先验，能检验的只是方法能否找回已知真值。
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止后随反馈发布）
#
# 合成数据的生成过程是已知的。截止日期之后，教师用评分端的真值（`_truth/`，学生的数据副本中没有）运行本节，
# 把下面的对照表随反馈发给每位同学：你的估计（第 6、7 题）与数据生成过程中的真值并列，并说明差异的来源——
# 抽样误差（区间应在大约 95% 的情况下覆盖真值）、模型设定（第 6 题的总体平均系数比条件系数更接近 0）、
# 以及政策与年份的混杂（第 7 题只用政策状态一致的年份）。第 7 题的隐藏测试也核对参考模型在你的数据上能找回真值。

# %% tags=["instructor"]
# 教师版：估计与真值对照（学生版不含本单元；真值只在评分端提供）。
from jianlab.grading.runtime import truth_dir

try:
    _truth_path = truth_dir("criminal-teaching")
except FileNotFoundError as _missing:
    print(_missing)
else:
    _dgp = json.loads((_truth_path / "dgp.json").read_text(encoding="utf-8"))["arrest"]
    _true = pd.Series(_dgp["coefficients"]).reindex(COVARIATES)
    _truth_table = pd.DataFrame(
        {
            "真值": _true,
            "聚类稳健 logit（第 6 题）": np.log(odds["odds_ratio"]) if "odds" in globals() else np.nan,
            "随机截距（第 7 题）": re_coef if "re_coef" in globals() else np.nan,
            "随机截距 95% 下限": re_coef - 1.96 * re_se if "re_coef" in globals() else np.nan,
            "随机截距 95% 上限": re_coef + 1.96 * re_se if "re_coef" in globals() else np.nan,
        }
    )
    _truth_table["真值在区间内"] = (_truth_table["真值"] >= _truth_table["随机截距 95% 下限"]) & (
        _truth_table["真值"] <= _truth_table["随机截距 95% 上限"]
    )
    _effects = pd.read_parquet(_truth_path / "procuratorate_effects.parquet").set_index("procuratorate_id")
    print("检察院随机截距标准差：真值", _dgp["group_sd"], "；估计", round(re_sd, 3) if "re_sd" in globals() else "—")
    print("少捕慎诉慎押政策效应（logit，真值）：", _dgp["policy_effect"])
    if "funnel" in globals():
        _u = _effects["u_arrest"].reindex(funnel.index)
        print("99.8% 界限外检察院的真实截距均值：", round(float(_u[funnel["outside998"]].abs().mean()), 3),
              "；界限内：", round(float(_u[~funnel["outside998"]].abs().mean()), 3))
    display(_truth_table.round(3))
