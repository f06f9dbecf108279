# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验一：不捕率与不诉率
#
# 本实验使用**合成的**刑事检察教学数据集 `criminal-teaching`（审查逮捕与审查起诉，2018—2025 年，
# 四个省份的检察院）。数据由已知的数据生成过程模拟得到，**不是真实案件**，其中的回归系数是教学用的建模先验，
# 不是实证研究结论。
#
# 学习目标：
#
# 1. 按最高人民检察院的官方口径计算不捕率、不诉率；
# 2. 把样本比率与公布的全国数据对照，并说明来源；
# 3. 用漏斗图（funnel plot）判断各检察院的不捕率是否“异常”；
# 4. 用带检察院固定效应的逻辑回归分析不捕决定的影响因素。
#
# **口径**（以人数计，按决定作出的年份归年）：
#
# - 不捕率 = 不批准逮捕人数 ÷（批准逮捕人数 + 不批准逮捕人数）
# - 不诉率 = 不起诉人数 ÷（起诉人数 + 不起诉人数）
#
# “其他”决定（如撤回、移送）不进入分子，也不进入分母。
#
# 评分说明：带“测试”字样的单元会自动评分；其中一部分测试对学生隐藏，评分时在评分程序中单独运行，
# 只读取各题要求保存的变量（如第 1 题的 `non_arrest_rate`）。每道题自成一体：某题空着或做错，
# 不会影响其他题的得分，所以每题都请直接从 `arrests`、`prosecutions`、`suspects` 出发计算。
# 第 6 题由教师人工评分。

# %%
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from synthgen import read_table

from jianlab.plotting import setup_cjk

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

arrests = read_table(DATA, "arrest_reviews")
prosecutions = read_table(DATA, "prosecution_reviews")
suspects = read_table(DATA, "suspects")
arrests.head()

# %% [markdown]
# ## 第 1 题（自动评分，3 分）：逐年不捕率
#
# 用 `arrests` 表计算每个**决定年份**（`decision_date` 的年份）的不捕率，保存为 `pandas.Series`
# 变量 `non_arrest_rate`：索引为年份（整数），值为 0—1 之间的小数。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
non_arrest_rate = (_a["decision"] == "不批准逮捕").groupby(_a["decision_date"].dt.year).mean()
### END SOLUTION
non_arrest_rate

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 3} jianlab={"exports": {"non_arrest_rate": "series"}}
assert isinstance(non_arrest_rate, pd.Series), "non_arrest_rate 应为 pandas.Series"
assert non_arrest_rate.between(0, 1).all(), "比率应在 0 与 1 之间"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_ar = _ar[_ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_expected = (_ar["decision"] == "不批准逮捕").groupby(_ar["decision_date"].dt.year).mean()
_got = non_arrest_rate.sort_index()
assert [int(y) for y in _got.index] == [int(y) for y in _expected.index], "年份不完整或不正确"
assert np.allclose(_got.to_numpy(dtype=float), _expected.to_numpy(dtype=float)), "不捕率不正确"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，3 分）：逐年不诉率
#
# 用 `prosecutions` 表按同样的方法计算逐年不诉率，保存为 `non_prosecution_rate`。

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_pdecided = prosecutions[prosecutions["decision"].isin(["起诉", "不起诉"])]
non_prosecution_rate = (_pdecided["decision"] == "不起诉").groupby(
    _pdecided["decision_date"].dt.year
).mean()
### END SOLUTION
non_prosecution_rate

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 3} jianlab={"exports": {"non_prosecution_rate": "series"}}
assert isinstance(non_prosecution_rate, pd.Series), "non_prosecution_rate 应为 pandas.Series"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_pr = read_table(reference_dir("criminal-teaching"), "prosecution_reviews")
_pr = _pr[_pr["decision"].isin(["起诉", "不起诉"])]
_expected = (_pr["decision"] == "不起诉").groupby(_pr["decision_date"].dt.year).mean()
_got = non_prosecution_rate.sort_index()
assert [int(y) for y in _got.index] == [int(y) for y in _expected.index], "年份不完整或不正确"
assert np.allclose(_got.to_numpy(dtype=float), _expected.to_numpy(dtype=float)), "不诉率不正确"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，3 分）：与公布的全国数据对照
#
# 下表是公布的全国不捕率、不诉率（以人数计）：
#
# | 年份 | 不捕率 | 不诉率 | 来源 |
# |---|---|---|---|
# | 2018 | 22.1% | 7.7% | 最高人民检察院工作报告（2023-03-07，十四届全国人大一次会议，回顾 2018—2022 年） |
# | 2020 | 23.3% | 13.7% | 推算：2021 年数值减去同比变化（31.2−7.9；16.6−2.9），见下一行来源 |
# | 2021 | 31.2% | 16.6% | 最高人民检察院 2021 年全国检察机关主要办案数据（2022-03-08，中国新闻网报道） |
# | 2022 | 43.4% | 26.3% | 最高人民检察院工作报告（2023-03-07），同第一行 |
#
# 用 `published` 与样本数据构造 `DataFrame` 变量 `compare`：索引为上表的 4 个年份，
# 列依次为 `样本不捕率`、`公布不捕率`、`样本不诉率`、`公布不诉率`。样本比率按第 1、2 题的口径，
# 在本题中直接从 `arrests`、`prosecutions` 重新计算（不要用第 1、2 题的变量）。

# %%
published = pd.DataFrame(
    {"公布不捕率": [0.221, 0.233, 0.312, 0.434], "公布不诉率": [0.077, 0.137, 0.166, 0.263]},
    index=pd.Index([2018, 2020, 2021, 2022], name="年份"),
)
published

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_p = prosecutions[prosecutions["decision"].isin(["起诉", "不起诉"])]
_rate_a = (_a["decision"] == "不批准逮捕").groupby(_a["decision_date"].dt.year).mean()
_rate_p = (_p["decision"] == "不起诉").groupby(_p["decision_date"].dt.year).mean()
compare = pd.DataFrame(
    {
        "样本不捕率": _rate_a.reindex(published.index),
        "公布不捕率": published["公布不捕率"],
        "样本不诉率": _rate_p.reindex(published.index),
        "公布不诉率": published["公布不诉率"],
    }
)
### END SOLUTION
compare.round(3)

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 3} jianlab={"exports": {"compare": "dataframe"}}
assert list(compare.columns) == ["样本不捕率", "公布不捕率", "样本不诉率", "公布不诉率"], "列名或顺序不对"
assert [int(y) for y in compare.index] == [2018, 2020, 2021, 2022], "年份不对"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_years = [2018, 2020, 2021, 2022]
assert [int(y) for y in compare.index] == _years
assert np.allclose(compare["公布不捕率"].to_numpy(float), [0.221, 0.233, 0.312, 0.434])
assert np.allclose(compare["公布不诉率"].to_numpy(float), [0.077, 0.137, 0.166, 0.263])
_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_ar = _ar[_ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_pr = read_table(reference_dir("criminal-teaching"), "prosecution_reviews")
_pr = _pr[_pr["decision"].isin(["起诉", "不起诉"])]
_rate_a = (_ar["decision"] == "不批准逮捕").groupby(_ar["decision_date"].dt.year).mean()
_rate_p = (_pr["decision"] == "不起诉").groupby(_pr["decision_date"].dt.year).mean()
assert np.allclose(compare["样本不捕率"].to_numpy(float), _rate_a.reindex(_years).to_numpy(float))
assert np.allclose(compare["样本不诉率"].to_numpy(float), _rate_p.reindex(_years).to_numpy(float))
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，5 分）：2022 年各检察院不捕率的漏斗图
#
# 只看 **2022 年作出决定**的审查逮捕案件（不含“其他”）。对每个检察院计算审查人数 `n` 与不捕率 `rate`；
# 以全部检察院合计的 2022 年不捕率为中心线 $p_0$，95% 控制限为
# $p_0 \pm 1.96\sqrt{p_0(1-p_0)/n}$（截断到 0—1 之间）。
#
# 结果保存为 `DataFrame` 变量 `funnel`：索引为 `procuratorate_id`，列为 `n`、`rate`、`lower`、`upper`、
# `outside`（布尔值：不捕率落在控制限之外）。再画出漏斗图，把图对象保存为 `fig`：散点为各检察院，
# 两条曲线为控制限，横轴“审查逮捕人数”，纵轴“不捕率”，标题用中文。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_y2022 = _a[_a["decision_date"].dt.year == 2022]
_flag = (_y2022["decision"] == "不批准逮捕").astype(float)
funnel = _flag.groupby(_y2022["procuratorate_id"]).agg(n="size", rate="mean")
_p0 = _flag.mean()
_half = 1.96 * np.sqrt(_p0 * (1 - _p0) / funnel["n"])
funnel["lower"] = (_p0 - _half).clip(lower=0)
funnel["upper"] = (_p0 + _half).clip(upper=1)
funnel["outside"] = (funnel["rate"] < funnel["lower"]) | (funnel["rate"] > funnel["upper"])

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.scatter(funnel["n"], funnel["rate"], s=12, c=np.where(funnel["outside"], "tab:red", "tab:blue"))
_grid = np.linspace(funnel["n"].min(), funnel["n"].max(), 200)
_g_half = 1.96 * np.sqrt(_p0 * (1 - _p0) / _grid)
ax.plot(_grid, np.clip(_p0 + _g_half, 0, 1), color="gray", linestyle="--")
ax.plot(_grid, np.clip(_p0 - _g_half, 0, 1), color="gray", linestyle="--")
ax.axhline(_p0, color="black", linewidth=0.8)
ax.set_xlabel("审查逮捕人数")
ax.set_ylabel("不捕率")
ax.set_title("2022年各检察院不捕率漏斗图（95%控制限）")
### END SOLUTION
funnel["outside"].sum()

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 5} jianlab={"exports": {"funnel": "dataframe"}}
import matplotlib.figure

assert isinstance(funnel, pd.DataFrame), "funnel 应为 DataFrame"
assert {"n", "rate", "lower", "upper", "outside"} <= set(funnel.columns), "funnel 缺少列"
assert isinstance(fig, matplotlib.figure.Figure), "fig 应为 matplotlib 图对象"
assert len(fig.axes[0].collections) >= 1 and len(fig.axes[0].lines) >= 2, "图中应有散点和两条控制限"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_ar = _ar[_ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_a22 = _ar[_ar["decision_date"].dt.year == 2022]
_f = (_a22["decision"] == "不批准逮捕").astype(float)
_exp = _f.groupby(_a22["procuratorate_id"]).agg(n="size", rate="mean")
_c = _f.mean()
_w = 1.96 * np.sqrt(_c * (1 - _c) / _exp["n"])
_exp["lower"] = (_c - _w).clip(lower=0)
_exp["upper"] = (_c + _w).clip(upper=1)
_exp["outside"] = (_exp["rate"] < _exp["lower"]) | (_exp["rate"] > _exp["upper"])
_got = funnel.reindex(_exp.index)
assert _got["n"].notna().all() and len(funnel) == len(_exp), "检察院集合不对"
for _col in ["n", "rate", "lower", "upper"]:
    assert np.allclose(_got[_col].to_numpy(float), _exp[_col].to_numpy(float)), f"{_col} 列不正确"
assert (_got["outside"].astype(bool) == _exp["outside"]).all(), "outside 列不正确"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，5 分）：不捕决定的逻辑回归
#
# 只用**浙江省**（`province_code == "33"`）的审查逮捕决定（不含“其他”）。把 `arrests` 与 `suspects`
# 按 `suspect_id` 合并，定义因变量 `non_arrest`（不批准逮捕 = 1），用 `statsmodels` 拟合逻辑回归：
#
# `non_arrest ~ plea_leniency + compensated_forgiven + is_first_offense + is_juvenile + is_local + minor_offense + C(decision_year) + C(procuratorate_id)`
#
# 其中 `decision_year` 为决定年份，`C(procuratorate_id)` 是检察院固定效应。把拟合结果保存为 `model`，
# 把 6 个嫌疑人特征（`COVARIATES`）的系数保存为 `pandas.Series` 变量 `coef`（索引为特征名）。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
_zj = _a[_a["province_code"] == "33"].merge(
    suspects[["suspect_id", *COVARIATES]], on="suspect_id"
)
_zj["non_arrest"] = (_zj["decision"] == "不批准逮捕").astype(int)
_zj["decision_year"] = _zj["decision_date"].dt.year
_formula = "non_arrest ~ " + " + ".join(COVARIATES) + " + C(decision_year) + C(procuratorate_id)"
model = smf.logit(_formula, data=_zj).fit(disp=0)
coef = model.params[COVARIATES]
### END SOLUTION
coef.round(3)

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 5} jianlab={"exports": {"coef": "series"}}
assert isinstance(coef, pd.Series), "coef 应为 pandas.Series"
assert sorted(coef.index) == sorted(COVARIATES), "coef 的索引应为 6 个特征名"
### BEGIN HIDDEN TESTS
import warnings

import numpy as np
import statsmodels.formula.api as smf
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

COVARIATES = [
    "plea_leniency",
    "compensated_forgiven",
    "is_first_offense",
    "is_juvenile",
    "is_local",
    "minor_offense",
]
_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_ar = _ar[_ar["decision"].isin(["批准逮捕", "不批准逮捕"])]
_sus = read_table(reference_dir("criminal-teaching"), "suspects")
_d = _ar[_ar["province_code"] == "33"].merge(_sus[["suspect_id", *COVARIATES]], on="suspect_id")
_d["non_arrest"] = (_d["decision"] == "不批准逮捕").astype(int)
_d["decision_year"] = _d["decision_date"].dt.year
_fml = "non_arrest ~ " + " + ".join(COVARIATES) + " + C(decision_year) + C(procuratorate_id)"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _ref = smf.logit(_fml, data=_d).fit(disp=0)
assert np.allclose(coef[COVARIATES].to_numpy(float), _ref.params[COVARIATES].to_numpy(float), atol=1e-3), "系数不正确"
### END HIDDEN TESTS

# %% tags=["instructor"]
# 教师版：把估计系数与数据生成过程（_truth/dgp.json）中的真值对照。学生版不含本单元。
import json

from jianlab.grading.runtime import truth_dir

_truth = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))
_true = pd.Series(_truth["arrest"]["coefficients"]).reindex(COVARIATES)
_ci = model.conf_int().loc[COVARIATES]
_table = pd.DataFrame(
    {"估计值": coef, "95%下限": _ci[0], "95%上限": _ci[1], "真值": _true}
)
_table["真值在区间内"] = (_table["真值"] >= _table["95%下限"]) & (_table["真值"] <= _table["95%上限"])
print("检察院随机截距标准差（真值）：", _truth["arrest"]["group_sd"])
_table.round(3)

# %% [markdown]
# ## 第 6 题（人工评分，6 分）：解释与反思
#
# 用 300—500 字回答：
#
# 1. 样本不捕率、不诉率与公布的全国数据有何异同？可能的原因是什么（口径、样本、合成数据）？
# 2. 漏斗图中落在控制限之外的检察院，能否直接认定其办案“异常”？还需要考虑什么？
# 3. `plea_leniency`（认罪认罚）与 `compensated_forgiven`（赔偿谅解）的系数说明了什么？
#    为什么这里只能说“相关”，不能说“因果”？

# %% [markdown] nbgrader={"grade_id": "q6_essay", "grade": true, "solution": true, "points": 6}
# ### BEGIN SOLUTION
# 参考要点：样本比率的走势与公布数据一致（2021—2022 年“少捕慎诉慎押”后明显上升），但数值不同，
# 原因包括合成数据只覆盖四省、按决定年份归年、公布数据的分母可能包含其他审结情形。
# 漏斗图控制限只反映二项抽样误差，落在限外说明差异难以用随机波动解释，还要看案件结构（罪名、轻罪比例、
# 认罪认罚比例）、多重比较（上百个检察院约有 5% 会偶然落在限外）与数据质量，不能直接认定违法或异常。
# 认罪认罚、赔偿谅解的系数为正，即在控制其他特征、年份和检察院后不捕的对数几率更高；
# 但这些特征本身受案件情节和办案过程影响，存在遗漏变量与选择问题，只能解释为条件相关。
# ### END SOLUTION
