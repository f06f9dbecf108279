# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验三：理论检验——从假设到预注册
#
# **对象**：研究生与检察实务研究者。**预计用时**：4 小时（数据与背景 30 分钟，第 1—5 题 1.5 小时，
# 第 6—9 题 1.5 小时，第 10 题写作 30 分钟）。
#
# **先修**：实验一（不捕率、不诉率的口径与逻辑回归）；会用 pandas 分组汇总、statsmodels 拟合回归。
#
# ## 学习目标
#
# 完成本实验后，你能够：
#
# 1. 把一个实务判断（“本地户籍的嫌疑人更容易不捕”）写成可检验的假设，并用两比例检验给出结论与不确定性；
# 2. 在数据中识别辛普森悖论（检察院层面与个体层面的关联方向相反）和遗漏变量偏误，并用因果图（有向无环图）解释它们；
# 3. 用含检察院随机截距、并控制检察院背景的多层 logit 模型，找回个体层面的效应；
# 4. 用中断时间序列（分段回归、季节项、Newey–West 标准误）和交错双重差分（双向固定效应、组别—时期平均处理效应）
#    估计“少捕慎诉慎押”对不捕率的效应，并说明两种方法各自依赖的假设；
# 5. 设计并运行一个模拟研究，用偏差、区间覆盖率与检验功效（附蒙特卡罗误差）评价估计方法；
# 6. 按预注册（pre-registration）的格式写出研究方案：假设、估计量、数据、分析方案、判定规则与局限。
#
# ## 评分方式
#
# | 题目 | 内容 | 分值 | 评分 |
# |---|---|---|---|
# | 1 | 假设与朴素检验 | 3 | 自动 |
# | 2 | 辛普森悖论：检察院之间与检察院之内 | 4 | 自动 |
# | 3 | 因果图与解释 | 2 + 3 | 人工 |
# | 4 | 遗漏变量偏误：认罪认罚与不起诉 | 4 | 自动 |
# | 5 | 多层模型找回真值 | 5 | 自动 |
# | 6 | 中断时间序列 | 4 | 自动 |
# | 7 | 交错双重差分：双向固定效应 | 4 | 自动 |
# | 8 | 交错双重差分：组别—时期平均处理效应 | 4 | 自动 |
# | 9 | 模拟研究：偏差、覆盖率与功效 | 4 | 自动 |
# | 10 | 预注册式研究报告 | 8 | 人工 |
#
# 合计 45 分，其中自动评分 32 分、人工评分 13 分（评分细则见各题说明）。带“测试”的单元自动评分：
# 可见测试在你的笔记本里运行，专门捕捉常见错误（失败时提示你该重新检查什么，但不给出答案）；隐藏测试在
# 评分程序中单独运行，只读取各题要求保存的变量，并用**你自己那份数据**重新计算期望值。
# **每道题自成一体**：每题都从下面载入的 `arrests`、`prosecutions`、`suspects`、`procuratorates` 出发，
# 不要使用其他题目的变量；某题空着或做错，不影响其他题的得分。截止时间与迟交规则以课程页面为准。
#
# ## 背景：法律规定与政策
#
# **逮捕条件**。《中华人民共和国刑事诉讼法》（2018 年修正）第八十一条：对有证据证明有犯罪事实、可能判处徒刑以上
# 刑罚的犯罪嫌疑人，采取取保候审尚不足以防止发生社会危险性的，应当予以逮捕；批准或者决定逮捕，应当将犯罪嫌疑人
# 涉嫌犯罪的性质、情节，认罪认罚等情况，作为是否可能发生社会危险性的考虑因素。第十五条规定认罪认罚从宽：犯罪嫌疑人
# 自愿如实供述自己的罪行，承认指控的犯罪事实，愿意接受处罚的，可以依法从宽处理。
#
# **不起诉**。第一百七十七条第一款（法定不起诉：没有犯罪事实或有第十六条规定的情形）、第二款（酌定不起诉：犯罪情节
# 轻微，依照刑法规定不需要判处刑罚或者免除刑罚）；第一百七十五条第四款（存疑不起诉：二次退回补充侦查仍证据不足）；
# 第二百八十二条（未成年人附条件不起诉）。
#
# **认罪认罚从宽**。最高人民法院、最高人民检察院、公安部、国家安全部、司法部《关于适用认罪认罚从宽制度的指导意见》
# （2019 年 10 月 24 日）。
#
# **少捕慎诉慎押**。2021 年 4 月，中央全面依法治国委员会在其 2021 年工作要点中把“少捕慎诉慎押”确立为刑事司法政策；
# 中共中央《关于加强新时代检察机关法律监督工作的意见》（2021 年 6 月 15 日）要求严格依法适用逮捕羁押措施。
# 《最高人民检察院工作报告》（2023 年 3 月 7 日，第十四届全国人民代表大会第一次会议）回顾 2018—2022 年：
# 不捕率由 22.1% 升至 43.4%，不诉率由 7.7% 升至 26.3%，诉前羁押率由 54.9% 降至 26.7%。这些全国数字同时受政策、
# 案件结构（轻罪比例上升）与认罪认罚适用率变化的影响——这正是“政策效应”难以从一条全国时间序列中读出的原因。
#
# ## 数据
#
# 数据集 `criminal-teaching`（刑事检察教学数据集：浙江、广东、河南、四川四省，2018—2025 年）是**合成数据**：
# 由已知的数据生成过程模拟，年度不捕率、不诉率按公布数字校准，协变量系数是示意性的建模先验。因此本实验检验的是
# **方法能否找回已知的真值**，不是关于真实办案的发现。完整的编码手册在 `data/criminal-teaching/codebook.md`，
# 请先读其中的“口径定义”“说明”“已知局限”三节。本实验用到：
#
# | 表 | 观察单位 | 用到的列 |
# |---|---|---|
# | `arrest_reviews`（审查逮捕） | 一名犯罪嫌疑人的一次审查逮捕决定 | `suspect_id`、`procuratorate_id`、`province_code`、`decision_date`、`decision` |
# | `prosecution_reviews`（审查起诉） | 一名犯罪嫌疑人的一次审查起诉决定 | `suspect_id`、`decision_date`、`decision`、`arrested` |
# | `suspects`（犯罪嫌疑人） | 一名犯罪嫌疑人 | `plea_leniency`（认罪认罚）、`compensated_forgiven`（赔偿谅解）、`is_first_offense`（初犯）、`is_juvenile`（未成年人）、`is_local`（本地户籍）、`minor_offense`（可能判处三年以下） |
# | `procuratorates`（检察院） | 一个检察院 | `procuratorate_id`、`urban`（城区检察院） |
#
# **口径**（与实验一相同）：不捕率 = 不批准逮捕人数 ÷（批准逮捕人数 + 不批准逮捕人数），不诉率 = 不起诉人数 ÷
# （起诉人数 + 不起诉人数），“其他”决定既不进分子也不进分母；时间一律按**决定日期**。编码手册的已知局限提醒：
# 少捕慎诉慎押的分省采纳日期是教学用时间表（不是公布事实），年度截距的变化不能解读为检察院“变严”或“变宽”。

# %%
import json
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.api as sm
from research import (
    Scenario,
    adoption_indicator,
    fit_its,
    group_time_att,
    monthly_panel,
    random_intercept_logit,
    run_study,
    twfe_logit,
)
from statsmodels.stats.proportion import proportions_ztest
from synthgen import load_criminal_params, read_table

from jianlab.plotting import setup_cjk

setup_cjk()
warnings.filterwarnings("ignore", category=FutureWarning)
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
procuratorates = read_table(DATA, "procuratorates")

# 各省采纳“少捕慎诉慎押”的日期（教学时间表，见 docs/criminal-data.md 第 3 节），只取数据中出现的省份
_lenient = load_criminal_params().policies.lenient
ADOPTION = {
    code: str(_lenient.adoption.get(code, _lenient.default_adoption))
    for code in sorted(arrests["province_code"].unique())
}
ADOPTION

# %% [markdown]
# ## 第 1 题（自动评分，3 分）：把实务判断写成假设，并做朴素检验
#
# 实务中常听到：本地户籍的嫌疑人有固定住所、便于取保候审，因此更少被逮捕。写成假设：
#
# - H₀：本地户籍与外地户籍嫌疑人的不捕率相同；
# - H₁：两者不同（双侧检验，α = 0.05）。
#
# 用 `arrests`（去掉“其他”决定）按 `suspect_id` 合并 `suspects` 的 `is_local`，计算：
#
# - `local_rates`：`pandas.Series`，索引为 `is_local` 的取值 0、1，值为各组不捕率；
# - `naive_diff`：本地户籍不捕率减外地户籍不捕率（小数，不是百分点）；
# - `naive_p`：两比例 z 检验的双侧 p 值（`statsmodels.stats.proportion.proportions_ztest`）。
#
# 提示：`proportions_ztest(count, nobs)` 的 `count` 是各组不捕人数，`nobs` 是各组审查人数。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"] != "其他"].merge(suspects[["suspect_id", "is_local"]], on="suspect_id")
_flag = (_a["decision"] == "不批准逮捕").astype(int)
local_rates = _flag.groupby(_a["is_local"]).mean()
naive_diff = float(local_rates.loc[1] - local_rates.loc[0])
_counts = _flag.groupby(_a["is_local"]).agg(["sum", "size"])
naive_p = float(proportions_ztest(_counts["sum"].to_numpy(), _counts["size"].to_numpy())[1])
### END SOLUTION
local_rates, naive_diff, naive_p

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 3} jianlab={"exports": {"local_rates": "series", "naive_diff": "scalar", "naive_p": "scalar"}}
assert isinstance(local_rates, pd.Series), "local_rates 应为 pandas.Series"
assert sorted(int(i) for i in local_rates.index) == [0, 1], "local_rates 的索引应为 is_local 的取值 0 和 1"
assert local_rates.between(0, 1).all(), "不捕率应是 0—1 之间的小数"
assert abs(naive_diff - (local_rates.loc[1] - local_rates.loc[0])) < 1e-9, "naive_diff 应为“本地减外地”"
_check = arrests.merge(suspects[["suspect_id", "is_local"]], on="suspect_id")
_with_other = (_check["decision"] == "不批准逮捕").groupby(_check["is_local"]).mean()
assert not np.allclose(local_rates.sort_index().to_numpy(float), _with_other.sort_index().to_numpy(float)), (
    "分母里是否混入了“其他”决定？"
)
assert 0 <= naive_p <= 1, "p 值应在 0 与 1 之间"
### BEGIN HIDDEN TESTS
import numpy as np
from statsmodels.stats.proportion import proportions_ztest
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_su = read_table(reference_dir("criminal-teaching"), "suspects")
_m = _ar[_ar["decision"] != "其他"].merge(_su[["suspect_id", "is_local"]], on="suspect_id")
_y = (_m["decision"] == "不批准逮捕").astype(int)
_exp = _y.groupby(_m["is_local"]).mean()
_got = local_rates.sort_index()
assert np.allclose(_got.to_numpy(float), _exp.to_numpy(float)), "各组不捕率不正确"
assert abs(naive_diff - (_exp.loc[1] - _exp.loc[0])) < 1e-9, "差值不正确"
_c = _y.groupby(_m["is_local"]).agg(["sum", "size"])
_p = proportions_ztest(_c["sum"].to_numpy(), _c["size"].to_numpy())[1]
assert abs(naive_p - _p) < 1e-6 or (naive_p < 1e-12 and _p < 1e-12), "p 值不正确"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，4 分）：辛普森悖论——检察院之间与检察院之内
#
# 第 1 题的差值是把所有检察院混在一起算的。现在分两个层面看（同样去掉“其他”决定）：
#
# 1. **检察院之间**：对每个检察院计算审查人数 `n`、外地户籍比例 `nonlocal_share`（= 1 − 本院 `is_local` 的均值）
#    与不捕率 `rate`，只保留 `n ≥ 30` 的检察院，存为 `DataFrame` 变量 `by_proc`（索引为 `procuratorate_id`）。
#    以 `n` 为权重，用加权最小二乘把 `rate` 对 `nonlocal_share` 回归，斜率存为 `between_slope`。
# 2. **检察院之内**：在同时有本地与外地户籍嫌疑人的每个检察院（不限人数）内，计算“本地不捕率 − 外地不捕率”，
#    再以该院审查人数为权重求加权平均，存为 `within_diff`。
#
# 然后画散点图 `fig_between`：横轴“外地户籍比例”，纵轴“不捕率”，点的大小随审查人数变化，标题用中文。
#
# 提示：`np.polyfit(x, y, 1, w=np.sqrt(n))` 与以 `n` 为权重的加权最小二乘给出相同的斜率（polyfit 的权重作用于残差本身）。
# 想一想：如果 `between_slope` 与 `within_diff` 的“方向”讲的是相反的故事，哪一个回答了“同一检察院里，
# 户籍不同的两个人会不会被区别对待”？

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"] != "其他"].merge(suspects[["suspect_id", "is_local"]], on="suspect_id")
_a["y"] = (_a["decision"] == "不批准逮捕").astype(float)
_g = _a.groupby("procuratorate_id")
by_proc = pd.DataFrame({"n": _g.size(), "nonlocal_share": 1 - _g["is_local"].mean(), "rate": _g["y"].mean()})
by_proc = by_proc[by_proc["n"] >= 30]
between_slope = float(np.polyfit(by_proc["nonlocal_share"], by_proc["rate"], 1, w=np.sqrt(by_proc["n"]))[0])
_cell = _a.groupby(["procuratorate_id", "is_local"])["y"].mean().unstack().dropna()
_size = _g.size().reindex(_cell.index)
within_diff = float(np.average(_cell[1] - _cell[0], weights=_size))

fig_between, _ax = plt.subplots(figsize=(7, 4.5))
_ax.scatter(by_proc["nonlocal_share"], by_proc["rate"], s=by_proc["n"] / 10, alpha=0.5)
_ax.set_xlabel("外地户籍比例")
_ax.set_ylabel("不捕率")
_ax.set_title("各检察院外地户籍比例与不捕率（点的大小表示审查人数）")
### END SOLUTION
between_slope, within_diff

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 4} jianlab={"exports": {"by_proc": "dataframe", "between_slope": "scalar", "within_diff": "scalar"}}
import matplotlib.figure

assert isinstance(by_proc, pd.DataFrame), "by_proc 应为 DataFrame"
assert {"n", "nonlocal_share", "rate"} <= set(by_proc.columns), "by_proc 缺少列"
assert (by_proc["n"] >= 30).all(), "只保留审查人数不少于 30 的检察院"
assert by_proc["nonlocal_share"].between(0, 1).all(), "外地户籍比例应在 0—1 之间"
_refit = np.polyfit(by_proc["nonlocal_share"], by_proc["rate"], 1, w=np.sqrt(by_proc["n"]))[0]
assert abs(between_slope - _refit) < 1e-6, (
    "between_slope 与 by_proc 的加权回归斜率不一致：权重是否用了审查人数？横轴是否是“外地”比例？"
)
assert -1 <= within_diff <= 1, "within_diff 应是两个比率之差"
assert isinstance(fig_between, matplotlib.figure.Figure), "fig_between 应为 matplotlib 图对象"
assert fig_between.axes[0].get_xlabel() and fig_between.axes[0].get_title(), "图应有中文横轴标签与标题"
### BEGIN HIDDEN TESTS
import json

import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ar = read_table(reference_dir("criminal-teaching"), "arrest_reviews")
_su = read_table(reference_dir("criminal-teaching"), "suspects")
_m = _ar[_ar["decision"] != "其他"].merge(_su[["suspect_id", "is_local"]], on="suspect_id")
_m["y"] = (_m["decision"] == "不批准逮捕").astype(float)
_gg = _m.groupby("procuratorate_id")
_bp = _gg.agg(n=("y", "size"), rate=("y", "mean"), local=("is_local", "mean"))
_bp = _bp[_bp["n"] >= 30]
assert set(by_proc.index) == set(_bp.index), "检察院集合不对"
_got = by_proc.reindex(_bp.index)
assert np.allclose(_got["rate"].to_numpy(float), _bp["rate"].to_numpy(float)), "rate 列不正确"
assert np.allclose(_got["nonlocal_share"].to_numpy(float), 1 - _bp["local"].to_numpy(float)), "外地户籍比例不正确"
_slope = np.polyfit(1 - _bp["local"], _bp["rate"], 1, w=np.sqrt(_bp["n"]))[0]
assert abs(between_slope - _slope) < 1e-6, "检察院之间的斜率不正确"
_cell = _m.groupby(["procuratorate_id", "is_local"])["y"].mean().unstack().dropna()
_w = _gg.size().reindex(_cell.index)
assert abs(within_diff - np.average(_cell[1] - _cell[0], weights=_w)) < 1e-9, "检察院之内的差值不正确"
# 埋设的悖论（_truth/planted.json）：检察院之间正斜率，检察院之内本地户籍更常不捕
_planted = json.loads((truth_dir("criminal-teaching") / "planted.json").read_text(encoding="utf-8"))
_s = _planted["simpson_is_local_arrest"]
assert np.sign(between_slope) == np.sign(_s["between_procuratorates"]["slope_non_arrest_rate_on_non_local_share"])
assert np.sign(within_diff) == np.sign(_s["within_procuratorates_pp_local_minus_non_local"])
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（人工评分，2 + 3 分）：用因果图解释两个陷阱
#
# **(a) 画图（2 分）**。用 matplotlib 画一张有向无环图（DAG），节点用中文，至少包含：检察院背景（城区、案件量）、
# 检察院宽严（随机截距）、外地户籍、认罪认罚、可能判处三年以下（轻罪）、不批准逮捕、不起诉。用箭头表示你认为
# 存在的因果方向，把图对象保存为 `fig_dag`，标题用中文。提示：`ax.annotate("", xy=终点, xytext=起点,
# arrowprops={"arrowstyle": "->"})` 画箭头，`ax.text` 写节点名，`ax.axis("off")` 去掉坐标轴。
#
# **(b) 解释（3 分）**。结合你的图与第 1、2 题的结果，用 200—300 字回答：
#
# 1. 第 2 题中，检察院之间的斜率与检察院之内的差值说的是同一个方向吗？用你的图解释两者为什么可以方向相反
#    （或大小悬殊）：哪条路径是混杂（后门）路径？要估计户籍的个体效应，需要阻断哪条路径、可以怎样阻断？
# 2. 在审查起诉环节，如果回归中漏掉“可能判处三年以下”，认罪认罚的系数会偏向哪个方向？为什么？

# %% nbgrader={"grade_id": "q3_dag", "grade": true, "solution": true, "points": 2}
### BEGIN SOLUTION
_nodes = {
    "检察院背景\n（城区、案件量）": (0.15, 0.85),
    "检察院宽严\n（随机截距）": (0.5, 0.85),
    "外地户籍": (0.15, 0.45),
    "不批准逮捕": (0.5, 0.45),
    "可能判处\n三年以下": (0.85, 0.85),
    "认罪认罚": (0.85, 0.45),
    "不起诉": (0.7, 0.1),
}
_edges = [
    ("检察院背景\n（城区、案件量）", "检察院宽严\n（随机截距）"),
    ("检察院背景\n（城区、案件量）", "外地户籍"),
    ("检察院宽严\n（随机截距）", "不批准逮捕"),
    ("外地户籍", "不批准逮捕"),
    ("认罪认罚", "不批准逮捕"),
    ("可能判处\n三年以下", "认罪认罚"),
    ("可能判处\n三年以下", "不批准逮捕"),
    ("可能判处\n三年以下", "不起诉"),
    ("认罪认罚", "不起诉"),
]
fig_dag, _ax = plt.subplots(figsize=(8, 5.5))
for _name, (_x, _y) in _nodes.items():
    _ax.text(_x, _y, _name, ha="center", va="center", fontsize=11,
             bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "gray"})
for _src, _dst in _edges:
    _ax.annotate("", xy=_nodes[_dst], xytext=_nodes[_src],
                 arrowprops={"arrowstyle": "->", "shrinkA": 28, "shrinkB": 28, "color": "black"})
_ax.set_xlim(0, 1)
_ax.set_ylim(0, 1)
_ax.axis("off")
_ax.set_title("户籍、认罪认罚与不捕、不起诉的因果图（检察院背景是混杂因素，轻罪是遗漏变量）")
### END SOLUTION

# %% [markdown] nbgrader={"grade_id": "q3_explain", "grade": true, "solution": true, "points": 3}
# ### BEGIN SOLUTION
# 参考答案：检察院背景（城区、案件量大）同时导致外地户籍嫌疑人多、检察院更宽缓（随机截距高），于是出现后门路径
# “外地户籍 ← 检察院背景 → 检察院宽严 → 不批准逮捕”。检察院层面的正斜率主要反映这条路径：外地人多的检察院本来就
# 更少捕，并不说明外地户籍本身提高不捕概率（生态谬误）。在同一检察院内比较，后门路径被阻断，看到的是户籍的个体
# 效应：本地户籍更常不捕。阻断的办法是以检察院为条件：检察院固定效应，或随机截距加上检察院背景变量（城区、案件量、
# 外地户籍比例），也可以按检察院分层。汇总的个体回归把两个相反的关联混在一起，所以朴素差值被拉向 0。
# 审查起诉环节，“可能判处三年以下”同时提高认罪认罚的概率和不起诉的概率，是认罪认罚与不起诉的共同原因；漏掉它，
# 认罪认罚的系数会吸收轻罪的作用而被高估（偏向更大的正值）。纳入 `minor_offense` 即阻断这条后门路径。
# ### END SOLUTION

# %% [markdown]
# ## 第 4 题（自动评分，4 分）：遗漏变量偏误——认罪认罚与不起诉
#
# 取 **2020—2022 年**作出的审查起诉决定（`prosecutions`，去掉“其他”），按 `suspect_id` 合并 `suspects` 的 6 个特征，
# 因变量 `non_pros`（不起诉 = 1）。用 `statsmodels` 拟合两个 logit 模型，都含常数项、`arrested`（已批准逮捕）与决定
# 年份的虚拟变量（以 2020 年为基准）：
#
# - **朴素模型**：除 `minor_offense` 外的 5 个特征；
# - **调整模型**：全部 6 个特征。
#
# 把认罪认罚（`plea_leniency`）的系数（对数几率，不是比值比）分别存为 `plea_naive`、`plea_adjusted`，
# 调整模型中它的标准误存为 `plea_adjusted_se`。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_p = prosecutions[(prosecutions["decision"] != "其他") & prosecutions["decision_date"].dt.year.between(2020, 2022)]
_p = _p.merge(suspects[["suspect_id", *COVARIATES]], on="suspect_id")
_y = (_p["decision"] == "不起诉").astype(float)
_years = pd.get_dummies(_p["decision_date"].dt.year, prefix="year", drop_first=True, dtype=float)
_short = [c for c in COVARIATES if c != "minor_offense"]


def _logit_fit(columns: list[str]) -> sm.GLM:
    exog = sm.add_constant(pd.concat([_p[[*columns, "arrested"]].astype(float), _years], axis=1))
    return sm.GLM(_y, exog, family=sm.families.Binomial()).fit()


_naive = _logit_fit(_short)
_adjusted = _logit_fit(COVARIATES)
plea_naive = float(_naive.params["plea_leniency"])
plea_adjusted = float(_adjusted.params["plea_leniency"])
plea_adjusted_se = float(_adjusted.bse["plea_leniency"])
### END SOLUTION
plea_naive, plea_adjusted, plea_adjusted_se

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 4} jianlab={"exports": {"plea_naive": "scalar", "plea_adjusted": "scalar", "plea_adjusted_se": "scalar"}}
for _name, _value in {"plea_naive": plea_naive, "plea_adjusted": plea_adjusted}.items():
    assert np.isfinite(_value), f"{_name} 不是有限的数"
    assert abs(_value) < 5, f"{_name} 太大：是否把比值比（exp 之后）当成了系数？"
assert plea_naive != plea_adjusted, "两个模型的系数完全相同：调整模型是否真的加入了 minor_offense？"
assert 0 < plea_adjusted_se < 1, "标准误应为正且远小于 1（数万条记录）"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local", "minor_offense"]
_pr = read_table(reference_dir("criminal-teaching"), "prosecution_reviews")
_su = read_table(reference_dir("criminal-teaching"), "suspects")
_d = _pr[(_pr["decision"] != "其他") & _pr["decision_date"].dt.year.between(2020, 2022)]
_d = _d.merge(_su[["suspect_id", *_covs]], on="suspect_id")
_yy = (_d["decision"] == "不起诉").astype(float)
_yr = pd.get_dummies(_d["decision_date"].dt.year, prefix="year", drop_first=True, dtype=float)
_fits = {}
for _label, _cols in {"naive": _covs[:5], "adjusted": _covs}.items():
    _x = sm.add_constant(pd.concat([_d[[*_cols, "arrested"]].astype(float), _yr], axis=1))
    _fits[_label] = sm.GLM(_yy, _x, family=sm.families.Binomial()).fit()
assert abs(plea_naive - _fits["naive"].params["plea_leniency"]) < 2e-3, "朴素模型的系数不正确"
assert abs(plea_adjusted - _fits["adjusted"].params["plea_leniency"]) < 2e-3, "调整模型的系数不正确"
assert abs(plea_adjusted_se - _fits["adjusted"].bse["plea_leniency"]) < 2e-3, "标准误不正确"
# 真值（_truth/planted.json）：遗漏轻罪使认罪认罚系数偏大；调整后接近真值
_ovb = json.loads((truth_dir("criminal-teaching") / "planted.json").read_text(encoding="utf-8"))
_ovb = _ovb["omitted_variable_plea_prosecution"]
assert plea_naive > plea_adjusted
assert abs(plea_adjusted - _ovb["truth_plea"]) < 4 * plea_adjusted_se + 0.15
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，5 分）：多层模型找回户籍的个体效应
#
# 第 2 题说明：检察院的宽严与外地户籍比例相关。普通的（合并的）logit 把检察院之间与之内的关联混在一起；
# 只加随机截距也不够，因为随机截距模型假定截距与协变量无关。做法是**组内—组间模型**（Mundlak 方法）：在随机截距
# logit 中加入检察院层面的背景变量，让随机截距只代表“背景之外”的差异。
#
# 用 `arrests`（去掉“其他”决定）合并 `suspects` 的 6 个特征与 `procuratorates` 的 `urban`，因变量为不批准逮捕。
# 对每个检察院计算（用本院全部审查逮捕决定）：`nonlocal_share`（外地户籍比例）与 `log_n`（审查人数的自然对数）。
#
# 1. **合并模型**：`statsmodels` 的二项 GLM（logit），自变量为常数项、6 个特征、决定年份虚拟变量（2018 年为基准）；
#    `is_local` 的系数存为 `pooled_is_local`。
# 2. **多层模型**：`research.random_intercept_logit(y, X, groups)`（检察院随机截距，自适应高斯—埃尔米特求积），
#    `X` 为合并模型的全部自变量再加 `nonlocal_share`、`urban`、`log_n`，`groups` 为 `procuratorate_id`。
#    把 `is_local` 的系数存为 `ml_is_local`，其 95% 区间存为两个元素的列表 `ml_is_local_ci`，
#    检察院随机截距的标准差存为 `ml_group_sd`。
#
# 提示：结果的 `table` 是 DataFrame（列 `estimate`、`se`、`ci_low`、`ci_high`），`group_sd` 是标准差（不是方差）。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_a = arrests[arrests["decision"] != "其他"].merge(suspects[["suspect_id", *COVARIATES]], on="suspect_id")
_a = _a.merge(procuratorates[["procuratorate_id", "urban"]], on="procuratorate_id").reset_index(drop=True)
_y = (_a["decision"] == "不批准逮捕").astype(float)
_g = _a.groupby("procuratorate_id")
_a["nonlocal_share"] = 1 - _g["is_local"].transform("mean")
_a["log_n"] = np.log(_g["is_local"].transform("size"))
_years = pd.get_dummies(_a["decision_date"].dt.year, prefix="year", drop_first=True, dtype=float)
_x_pooled = sm.add_constant(pd.concat([_a[COVARIATES].astype(float), _years], axis=1))
pooled_is_local = float(sm.GLM(_y, _x_pooled, family=sm.families.Binomial()).fit().params["is_local"])
_x_ml = pd.concat([_x_pooled, _a[["nonlocal_share", "urban", "log_n"]].astype(float)], axis=1)
_ml = random_intercept_logit(_y, _x_ml, _a["procuratorate_id"])
ml_is_local = float(_ml.table.loc["is_local", "estimate"])
ml_is_local_ci = [float(_ml.table.loc["is_local", "ci_low"]), float(_ml.table.loc["is_local", "ci_high"])]
ml_group_sd = float(_ml.group_sd)
### END SOLUTION
pooled_is_local, ml_is_local, ml_is_local_ci, ml_group_sd

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 5} jianlab={"exports": {"pooled_is_local": "scalar", "ml_is_local": "scalar", "ml_is_local_ci": "json", "ml_group_sd": "scalar"}}
assert len(ml_is_local_ci) == 2 and ml_is_local_ci[0] < ml_is_local < ml_is_local_ci[1], (
    "ml_is_local_ci 应为包含估计值的 [下限, 上限]"
)
assert abs(ml_is_local - pooled_is_local) > 1e-6, "两个模型的估计完全相同：多层模型是否漏掉了检察院层面的部分？"
assert 0 < ml_group_sd < 3, "随机截距标准差应为正数（是否误存了方差或对数标准差？）"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm
from research import random_intercept_logit
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local", "minor_offense"]
_ref = reference_dir("criminal-teaching")
_d = read_table(_ref, "arrest_reviews")
_d = _d[_d["decision"] != "其他"].merge(read_table(_ref, "suspects")[["suspect_id", *_covs]], on="suspect_id")
_d = _d.merge(read_table(_ref, "procuratorates")[["procuratorate_id", "urban"]], on="procuratorate_id")
_d = _d.reset_index(drop=True)
_yy = (_d["decision"] == "不批准逮捕").astype(float)
_gg = _d.groupby("procuratorate_id")
_d["nonlocal_share"] = 1 - _gg["is_local"].transform("mean")
_d["log_n"] = np.log(_gg["is_local"].transform("size"))
_yr = pd.get_dummies(_d["decision_date"].dt.year, prefix="year", drop_first=True, dtype=float)
_xp = sm.add_constant(pd.concat([_d[_covs].astype(float), _yr], axis=1))
_pooled = sm.GLM(_yy, _xp, family=sm.families.Binomial()).fit()
assert abs(pooled_is_local - _pooled.params["is_local"]) < 2e-3, "合并模型的系数不正确"
_fit = random_intercept_logit(_yy, pd.concat([_xp, _d[["nonlocal_share", "urban", "log_n"]].astype(float)], axis=1), _d["procuratorate_id"])
_row = _fit.table.loc["is_local"]
assert abs(ml_is_local - _row["estimate"]) < 0.01, "多层模型的 is_local 系数不正确"
assert abs(ml_is_local_ci[0] - _row["ci_low"]) < 0.02 and abs(ml_is_local_ci[1] - _row["ci_high"]) < 0.02, "区间不正确"
assert abs(ml_group_sd - _fit.group_sd) < 0.02, "随机截距标准差不正确"
# 真值（_truth/dgp.json）：多层模型比合并模型更接近 is_local 的真值，且在其不确定性范围内
_truth = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))
_true = _truth["arrest"]["coefficients"]["is_local"]
assert abs(ml_is_local - _true) < abs(pooled_is_local - _true)
assert abs(ml_is_local - _true) < 4 * _row["se"] + 0.05
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（自动评分，4 分）：中断时间序列——浙江省的月度不捕率
#
# 浙江省于 `ADOPTION["33"]` 采纳“少捕慎诉慎押”。取浙江省（`province_code == "33"`）**2019 年 1 月至 2022 年 6 月**
# 作出的审查逮捕决定（去掉“其他”），按决定月份计算月度不捕率，得到一个以月份（`pandas.Period`）为索引的序列。
# 用分段回归估计采纳当月的**水平变化**与之后的**斜率变化**：
#
# $$y_t = \beta_0 + \beta_1 t + \beta_2\,\text{采纳后}_t + \beta_3\,(t - t_0)\,\text{采纳后}_t + \text{月份虚拟变量} + \varepsilon_t$$
#
# 用 `research.fit_its(序列, 采纳月份, seasonal=True, maxlags=3)`（OLS，Newey–West 标准误，最大滞后 3 阶）。
# 把水平变化存为 `its_level`、其 95% 区间存为列表 `its_level_ci`、斜率变化存为 `its_slope`。
# 再画图 `fig_its`：月度不捕率（点）、模型拟合值（实线）、没有政策时的反事实（`counterfactual()`，虚线），
# 横轴“决定月份”，纵轴“不捕率”，中文标题，并在采纳月画一条竖线。
#
# 提示：水平变化的单位是“比率”（0.05 即 5 个百分点）。想一想：这条序列上还有什么别的事情在同一时期发生？
# 中断时间序列把采纳前的趋势外推为反事实，它依赖什么假设？

# %% nbgrader={"grade_id": "q6_answer", "solution": true}
### BEGIN SOLUTION
_z = arrests[(arrests["decision"] != "其他") & (arrests["province_code"] == "33")]
_z = _z[(_z["decision_date"] >= "2019-01-01") & (_z["decision_date"] < "2022-07-01")]
_monthly = (_z["decision"] == "不批准逮捕").groupby(_z["decision_date"].dt.to_period("M")).mean()
_start = pd.Period(ADOPTION["33"], freq="M")
_its = fit_its(_monthly, _start, seasonal=True, maxlags=3)
its_level = _its.level_change
its_level_ci = [float(_its.table.loc["level_change", "ci_low"]), float(_its.table.loc["level_change", "ci_high"])]
its_slope = _its.slope_change

fig_its, _ax = plt.subplots(figsize=(8, 4.5))
_t = _monthly.index.to_timestamp()
_ax.plot(_t, _monthly.to_numpy(), "o", markersize=3, label="月度不捕率")
_ax.plot(_t, _its.fit.fittedvalues, "-", label="分段回归拟合值")
_ax.plot(_t, _its.counterfactual().to_numpy(), "--", label="反事实（无政策）")
_ax.axvline(_start.to_timestamp(), color="gray", linewidth=0.8)
_ax.set_xlabel("决定月份")
_ax.set_ylabel("不捕率")
_ax.set_title("浙江省月度不捕率的中断时间序列（竖线为采纳少捕慎诉慎押的月份）")
_ax.legend()
### END SOLUTION
its_level, its_level_ci, its_slope

# %% nbgrader={"grade_id": "q6_tests", "grade": true, "points": 4} jianlab={"exports": {"its_level": "scalar", "its_level_ci": "json", "its_slope": "scalar"}}
import matplotlib.figure

assert abs(its_level) < 1, "水平变化应以比率为单位：是否用了人数，或乘了 100？"
assert len(its_level_ci) == 2 and its_level_ci[0] < its_level < its_level_ci[1], "its_level_ci 应为包含估计值的 [下限, 上限]"
assert abs(its_slope) < 0.1, "斜率变化是每月的变化，数值应很小：时间变量是否以月为单位？"
assert isinstance(fig_its, matplotlib.figure.Figure), "fig_its 应为 matplotlib 图对象"
assert len(fig_its.axes[0].lines) >= 3, "图中应有观测值、拟合值与反事实三条线"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("criminal-teaching")
_details = json.loads((truth_dir("criminal-teaching") / "dgp_details.json").read_text(encoding="utf-8"))
_adopt = pd.Timestamp(_details["policies"]["lenient"]["adoption"]["33"])
_ar = read_table(_ref, "arrest_reviews")
_z = _ar[(_ar["decision"] != "其他") & (_ar["province_code"] == "33")]
_z = _z[(_z["decision_date"] >= "2019-01-01") & (_z["decision_date"] < "2022-07-01")]
_y = (_z["decision"] == "不批准逮捕").groupby(_z["decision_date"].dt.to_period("M")).mean()
_t = np.arange(len(_y), dtype=float)
_since = np.array([(m - _adopt.to_period("M")).n for m in _y.index], dtype=float)
_x = pd.DataFrame({"const": 1.0, "t": _t, "post": (_since >= 0) * 1.0, "slope": np.maximum(_since, 0)})
_x = pd.concat([_x, pd.get_dummies(_y.index.month, prefix="m", drop_first=True, dtype=float)], axis=1)
_fit = sm.OLS(_y.to_numpy(), _x).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
assert abs(its_level - _fit.params["post"]) < 1e-6, "水平变化不正确"
assert abs(its_slope - _fit.params["slope"]) < 1e-6, "斜率变化不正确"
_ci = _fit.conf_int().loc["post"]
assert abs(its_level_ci[0] - _ci[0]) < 1e-4 and abs(its_level_ci[1] - _ci[1]) < 1e-4, "区间不正确"
# 真值：采纳后前三个月，浙江省审查逮捕决定的不捕概率因政策而上升的平均幅度（_truth/latent 与 policy_effect）
_dgp = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))
_lat = pd.read_parquet(truth_dir("criminal-teaching") / "latent.parquet", columns=["suspect_id", "eta_arrest"])
_w = _z[(_z["decision_date"] >= _adopt) & (_z["decision_date"] < _adopt + pd.DateOffset(months=3))]
_eta = _w.merge(_lat, on="suspect_id")["eta_arrest"].to_numpy()
_truth = np.mean(1 / (1 + np.exp(-_eta)) - 1 / (1 + np.exp(-(_eta - _dgp["arrest"]["policy_effect"]))))
assert abs(its_level - _truth) < 4 * _fit.bse["post"] + 0.03
### END HIDDEN TESTS

# %% [markdown]
# ## 第 7 题（自动评分，4 分）：交错双重差分——双向固定效应
#
# 四个省份在不同日期采纳政策（`ADOPTION`），先采纳的省份以尚未采纳的省份为对照。取 **2020 年 7 月 1 日至
# 2022 年 6 月 30 日**作出的审查逮捕决定（去掉“其他”），合并 `suspects` 的 6 个特征，定义：
#
# - `y`：不批准逮捕 = 1；
# - `post`：决定日期不早于本省采纳日期 = 1（`research.adoption_indicator`）；
# - `month`：决定月份（字符串，如 `"2021-05"`）。
#
# 用 `research.twfe_logit(数据, "y", "post", ["province_code", "month"], COVARIATES, cluster="procuratorate_id")`
# 拟合双向固定效应 logit（省份固定效应 + 月份固定效应 + 6 个特征，标准误按检察院聚类），把结果存为字典
# `did_twfe`，键为 `estimate`、`ci_low`、`ci_high`（logit 尺度）。
#
# 提示：为什么标准误要按检察院聚类？同一检察院的决定共享同一个随机截距，彼此并不独立。

# %% nbgrader={"grade_id": "q7_answer", "solution": true}
### BEGIN SOLUTION
_w = arrests[(arrests["decision"] != "其他") & (arrests["decision_date"] >= "2020-07-01")]
_w = _w[_w["decision_date"] < "2022-07-01"].merge(suspects[["suspect_id", *COVARIATES]], on="suspect_id")
_w["y"] = (_w["decision"] == "不批准逮捕").astype(float)
_w["post"] = adoption_indicator(_w["decision_date"], _w["province_code"], ADOPTION)
_w["month"] = _w["decision_date"].dt.to_period("M").astype(str)
_res = twfe_logit(_w, "y", "post", ["province_code", "month"], COVARIATES, cluster="procuratorate_id")
did_twfe = {k: float(_res[k]) for k in ("estimate", "ci_low", "ci_high")}
### END SOLUTION
did_twfe

# %% nbgrader={"grade_id": "q7_tests", "grade": true, "points": 4} jianlab={"exports": {"did_twfe": "json"}}
assert isinstance(did_twfe, dict) and {"estimate", "ci_low", "ci_high"} <= set(did_twfe), "did_twfe 应为含 estimate、ci_low、ci_high 的字典"
assert did_twfe["ci_low"] < did_twfe["estimate"] < did_twfe["ci_high"], "区间应包含估计值"
assert did_twfe["estimate"] < 3, "估计值太大：是否把比值比（exp 之后）当成了 logit 系数？"
_mid = (did_twfe["ci_high"] + did_twfe["ci_low"]) / 2
assert abs(_mid - did_twfe["estimate"]) < 1e-6, "logit 尺度的 Wald 区间以估计值为中心：是否对区间或估计取了 exp？"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_covs = ["plea_leniency", "compensated_forgiven", "is_first_offense", "is_juvenile", "is_local", "minor_offense"]
_ref = reference_dir("criminal-teaching")
_details = json.loads((truth_dir("criminal-teaching") / "dgp_details.json").read_text(encoding="utf-8"))
_adopt = _details["policies"]["lenient"]["adoption"]
_d = read_table(_ref, "arrest_reviews")
_d = _d[(_d["decision"] != "其他") & (_d["decision_date"] >= "2020-07-01") & (_d["decision_date"] < "2022-07-01")]
_d = _d.merge(read_table(_ref, "suspects")[["suspect_id", *_covs]], on="suspect_id")
_d["post"] = (_d["decision_date"] >= pd.to_datetime(_d["province_code"].map(_adopt))).astype(float)
_x = pd.concat(
    [_d[["post", *_covs]].astype(float),
     pd.get_dummies(_d["province_code"], prefix="p", drop_first=True, dtype=float),
     pd.get_dummies(_d["decision_date"].dt.to_period("M").astype(str), prefix="m", drop_first=True, dtype=float)],
    axis=1,
)
_fit = sm.GLM((_d["decision"] == "不批准逮捕").astype(float), sm.add_constant(_x), family=sm.families.Binomial()).fit(
    cov_type="cluster", cov_kwds={"groups": pd.factorize(_d["procuratorate_id"])[0]}
)
assert abs(did_twfe["estimate"] - _fit.params["post"]) < 2e-3, "估计值不正确"
_ci = _fit.conf_int().loc["post"]
assert abs(did_twfe["ci_low"] - _ci[0]) < 5e-3 and abs(did_twfe["ci_high"] - _ci[1]) < 5e-3, "区间不正确（是否按检察院聚类？）"
# 真值（_truth/dgp.json 的 policy_effect，logit 尺度）
_dgp = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))
assert abs(did_twfe["estimate"] - _dgp["arrest"]["policy_effect"]) < 4 * _fit.bse["post"] + 0.05
### END HIDDEN TESTS

# %% [markdown]
# ## 第 8 题（自动评分，4 分）：交错双重差分——组别—时期平均处理效应
#
# 双向固定效应在交错采纳时会把“已经采纳的省份”当作后采纳省份的对照；若效应随时间变化，这种比较会带来偏误。
# 组别—时期平均处理效应 ATT(g, t) 只用**尚未采纳**的省份作对照，以采纳前一个月为基期做长差分，再加权平均。
#
# 用与第 7 题相同的时间窗与 `y`（本题自己重新构造），在**省 × 月**的汇总数据上计算：
#
# 1. `panel = research.monthly_panel(数据, "province_code", "decision_date", "y")`（每行一个省份月份：`n`、`y`、`var`）；
# 2. 每个省的采纳批次为采纳日期所在月份：`{省: pd.Period(日期, "M")}`；
# 3. `table, overall = research.group_time_att(panel, "province_code", "month", 批次)`。
#
# 保存：字典 `att_overall`（键 `att`、`se`、`ci_low`、`ci_high`，单位为比率）；`DataFrame` 变量 `att_table`，列为
# `cohort`、`time`（两者都转成 `"YYYY-MM"` 字符串）、`event_time`、`att`、`se`。再画事件研究图 `fig_event`：
# 横轴“相对采纳的月数”，纵轴“平均处理效应（不捕率）”，每个批次一组点并画 95% 区间，中文标题。
#
# 提示：`event_time < 0` 的各点是**安慰剂检验**：采纳之前不应有“效应”。注意与第 7 题的单位不同：这里是比率
# （百分点/100），第 7 题是 logit 系数。

# %% nbgrader={"grade_id": "q8_answer", "solution": true}
### BEGIN SOLUTION
_w = arrests[(arrests["decision"] != "其他") & (arrests["decision_date"] >= "2020-07-01")]
_w = _w[_w["decision_date"] < "2022-07-01"].copy()
_w["y"] = (_w["decision"] == "不批准逮捕").astype(float)
_panel = monthly_panel(_w, "province_code", "decision_date", "y")
_cohorts = {code: pd.Period(day, freq="M") for code, day in ADOPTION.items()}
_table, _overall = group_time_att(_panel, "province_code", "month", _cohorts)
att_overall = {k: float(_overall[k]) for k in ("att", "se", "ci_low", "ci_high")}
att_table = _table.assign(cohort=_table["cohort"].astype(str), time=_table["time"].astype(str))[
    ["cohort", "time", "event_time", "att", "se"]
]

fig_event, _ax = plt.subplots(figsize=(8, 4.5))
for _k, (_c, _block) in enumerate(_table.groupby("cohort")):
    _ax.errorbar(_block["event_time"] + 0.12 * _k, _block["att"], yerr=1.96 * _block["se"], fmt="o",
                 markersize=3, capsize=2, label=f"{_c} 采纳")
_ax.axhline(0, color="black", linewidth=0.8)
_ax.axvline(-0.5, color="gray", linestyle="--", linewidth=0.8)
_ax.set_xlabel("相对采纳的月数")
_ax.set_ylabel("平均处理效应（不捕率）")
_ax.set_title("少捕慎诉慎押的事件研究图：组别—时期平均处理效应与95%区间")
_ax.legend()
### END SOLUTION
att_overall

# %% nbgrader={"grade_id": "q8_tests", "grade": true, "points": 4} jianlab={"exports": {"att_overall": "json", "att_table": "dataframe"}}
import matplotlib.figure

assert isinstance(att_overall, dict) and {"att", "se", "ci_low", "ci_high"} <= set(att_overall), "att_overall 的键不全"
assert abs(att_overall["att"]) < 1, "ATT 的单位应为比率（不是百分点，也不是人数）"
assert att_overall["ci_low"] < att_overall["att"] < att_overall["ci_high"], "区间应包含估计值"
assert {"cohort", "time", "event_time", "att", "se"} <= set(att_table.columns), "att_table 缺少列"
assert (att_table["event_time"] < 0).any(), "att_table 应包含采纳前的安慰剂时期"
assert isinstance(fig_event, matplotlib.figure.Figure), "fig_event 应为 matplotlib 图对象"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from research import group_time_att, monthly_panel
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("criminal-teaching")
_details = json.loads((truth_dir("criminal-teaching") / "dgp_details.json").read_text(encoding="utf-8"))
_adopt = _details["policies"]["lenient"]["adoption"]
_d = read_table(_ref, "arrest_reviews")
_d = _d[(_d["decision"] != "其他") & (_d["decision_date"] >= "2020-07-01") & (_d["decision_date"] < "2022-07-01")].copy()
_d["y"] = (_d["decision"] == "不批准逮捕").astype(float)
_tab, _ov = group_time_att(
    monthly_panel(_d, "province_code", "decision_date", "y"), "province_code", "month",
    {k: pd.Period(v, freq="M") for k, v in _adopt.items()},
)
assert abs(att_overall["att"] - _ov["att"]) < 1e-6, "总体 ATT 不正确"
assert abs(att_overall["se"] - _ov["se"]) < 1e-6, "标准误不正确"
_key = ["cohort", "time"]
_exp = _tab.assign(cohort=_tab["cohort"].astype(str), time=_tab["time"].astype(str)).set_index(_key).sort_index()
_got = att_table.assign(cohort=att_table["cohort"].astype(str), time=att_table["time"].astype(str))
_got = _got.set_index(_key).sort_index()
assert list(_got.index) == list(_exp.index), "组别—时期的集合不对（对照是否只用尚未采纳的省份？）"
assert np.allclose(_got["att"].to_numpy(float), _exp["att"].to_numpy(float)), "ATT(g, t) 不正确"
# 真值：采纳后各组别—时期中，政策使不捕概率上升的平均幅度（_truth/latent 与 policy_effect），按人数加权
_dgp = json.loads((truth_dir("criminal-teaching") / "dgp.json").read_text(encoding="utf-8"))
_lat = pd.read_parquet(truth_dir("criminal-teaching") / "latent.parquet", columns=["suspect_id", "eta_arrest"])
_d = _d.merge(_lat, on="suspect_id")
_d["post"] = (_d["decision_date"] >= pd.to_datetime(_d["province_code"].map(_adopt))).astype(float)
_delta = _dgp["arrest"]["policy_effect"]
_d["gain"] = _d["post"] * (1 / (1 + np.exp(-_d["eta_arrest"])) - 1 / (1 + np.exp(-(_d["eta_arrest"] - _delta))))
_d["cell"] = list(zip(_d["province_code"].map(lambda c: str(pd.Period(_adopt[c], freq="M"))), _d["decision_date"].dt.to_period("M").astype(str), strict=True))
_post_cells = set(_exp[_exp["event_time"] >= 0].index)
_truth = _d.loc[_d["cell"].isin(_post_cells), "gain"].mean()
assert abs(att_overall["att"] - _truth) < 4 * _ov["se"] + 0.02
### END HIDDEN TESTS

# %% [markdown]
# ## 第 9 题（自动评分，4 分）：模拟研究——这个设计能否可靠地发现政策效应？
#
# 第 7、8 题各给出一个估计值。要知道这个设计（四个省、两年、交错采纳）**平均而言**是否无偏、区间是否可信、
# 能否发现较小的效应，需要做模拟研究：在真值已知的条件下重复“生成数据—估计”很多次。为了在一分钟内跑完，
# 我们**从拟合好的模型中模拟**，而不是重新生成整个数据集：
#
# 1. 用第 8 题同样的数据构造省 × 月面板（本题重新构造），并加一列 `treated`：该省该月的决定中 `post = 1` 的比例；
# 2. 在面板上拟合二项 GLM（logit）：常数项 + `treated` + 省份虚拟变量 + 月份虚拟变量（按人数加权，即以
#    “不捕人数、批捕人数”两列为因变量）；
# 3. 每次重复：把 `treated` 的系数换成情景的真值 δ，其余系数保持拟合值，按各格的人数（乘以情景的样本比例，四舍五入，
#    至少 1 人）抽二项分布的不捕人数，重新拟合同一 GLM，记录 `treated` 的估计与 95% 区间；
# 4. 用 `research.run_study(重复函数, 情景列表, n_sims=100, seed=2026)` 运行 4 个情景（`research.Scenario(名称, 真值, {"n_scale": 比例})`）：
#
# | 名称 | 真值 δ | 样本比例 `n_scale` |
# |---|---|---|
# | `无效应` | 0 | 1.0 |
# | `效应0.20` | 0.20 | 1.0 |
# | `效应0.45` | 0.45 | 1.0 |
# | `效应0.20半样本` | 0.20 | 0.5 |
#
# 把 `run_study` 返回的表（索引为情景名称，列含 `n_sim`、`bias`、`bias_mcse`、`coverage`、`coverage_mcse`、`power`、
# `power_mcse`）存为 `sim_summary`。
#
# 提示：`无效应` 情景的 `power` 就是第一类错误率，应接近 0.05；每个指标都附有蒙特卡罗标准误（MCSE），
# 100 次重复时覆盖率的 MCSE 约为 0.022，不要把 0.93 与 0.95 的差别读成“区间偏窄”。

# %% nbgrader={"grade_id": "q9_answer", "solution": true}
### BEGIN SOLUTION
_w = arrests[(arrests["decision"] != "其他") & (arrests["decision_date"] >= "2020-07-01")]
_w = _w[_w["decision_date"] < "2022-07-01"].copy()
_w["y"] = (_w["decision"] == "不批准逮捕").astype(float)
_w["post"] = adoption_indicator(_w["decision_date"], _w["province_code"], ADOPTION)
_panel = monthly_panel(_w, "province_code", "decision_date", "y")
_share = _w.groupby(["province_code", _w["decision_date"].dt.to_period("M").rename("month")])["post"].mean()
_panel = _panel.merge(_share.rename("treated").reset_index(), on=["province_code", "month"])
_exog = sm.add_constant(pd.concat([
    _panel[["treated"]],
    pd.get_dummies(_panel["province_code"], prefix="p", drop_first=True, dtype=float),
    pd.get_dummies(_panel["month"].astype(str), prefix="m", drop_first=True, dtype=float),
], axis=1))
_counts = np.column_stack([_panel["x"], _panel["n"] - _panel["x"]])
_fitted = sm.GLM(_counts, _exog, family=sm.families.Binomial()).fit()
_treated = _panel["treated"].to_numpy(float)
_base = _exog.to_numpy(float) @ _fitted.params.to_numpy() - _fitted.params["treated"] * _treated
# 400 次重复拟合：用 NumPy 数组（省去 pandas 的标签开销）并从拟合值起步，结果不变、快约一倍
_exog_np = _exog.to_numpy(float)
_j = list(_exog.columns).index("treated")


def _replicate(scenario: Scenario, rng: np.random.Generator) -> tuple[float, float, float]:
    n = np.maximum(1, np.round(_panel["n"].to_numpy(float) * scenario.params["n_scale"])).astype(int)
    x = rng.binomial(n, 1 / (1 + np.exp(-(_base + scenario.truth * _treated))))
    start = _fitted.params.to_numpy().copy()
    start[_j] = scenario.truth
    fit = sm.GLM(np.column_stack([x, n - x]), _exog_np, family=sm.families.Binomial()).fit(start_params=start)
    low, high = fit.conf_int()[_j]
    return float(fit.params[_j]), float(low), float(high)


_scenarios = [
    Scenario("无效应", 0.0, {"n_scale": 1.0}),
    Scenario("效应0.20", 0.20, {"n_scale": 1.0}),
    Scenario("效应0.45", 0.45, {"n_scale": 1.0}),
    Scenario("效应0.20半样本", 0.20, {"n_scale": 0.5}),
]
sim_summary = run_study(_replicate, _scenarios, n_sims=100, seed=2026)
### END SOLUTION
sim_summary[["bias", "bias_mcse", "coverage", "coverage_mcse", "power", "power_mcse"]].round(3)

# %% nbgrader={"grade_id": "q9_tests", "grade": true, "points": 4} jianlab={"exports": {"sim_summary": "dataframe"}}
assert isinstance(sim_summary, pd.DataFrame), "sim_summary 应为 DataFrame（run_study 的返回值）"
assert set(sim_summary.index) == {"无效应", "效应0.20", "效应0.45", "效应0.20半样本"}, "情景名称应与表中一致"
assert {"n_sim", "bias", "bias_mcse", "coverage", "coverage_mcse", "power", "power_mcse"} <= set(sim_summary.columns), "缺少指标列"
assert (sim_summary["n_sim"] == 100).all(), "每个情景应重复 100 次（且没有失败的拟合）"
assert sim_summary["coverage"].between(0, 1).all() and sim_summary["power"].between(0, 1).all(), "覆盖率与功效是比例"
assert (sim_summary["coverage_mcse"] > 0).all(), "覆盖率的蒙特卡罗标准误不应为 0"
### BEGIN HIDDEN TESTS
import numpy as np

_s = sim_summary
_n = _s["n_sim"].astype(float)
assert np.allclose(_s["coverage_mcse"], np.sqrt(_s["coverage"] * (1 - _s["coverage"]) / _n), atol=1e-9)
assert np.allclose(_s["power_mcse"], np.sqrt(_s["power"] * (1 - _s["power"]) / _n), atol=1e-9)
# 从拟合模型模拟、用同一模型估计：近似无偏，区间覆盖率接近 95%，功效随效应与样本量增加
assert (np.abs(_s["bias"]) < 4 * _s["bias_mcse"] + 0.05).all(), "偏差过大"
assert (_s["coverage"] > 0.85).all(), "覆盖率过低"
assert _s.loc["无效应", "power"] < 0.15, "无效应时的拒绝率（第一类错误）过高"
assert _s.loc["效应0.20", "power"] < _s.loc["效应0.45", "power"], "功效应随效应增大"
assert _s.loc["效应0.20半样本", "power"] < _s.loc["效应0.20", "power"], "功效应随样本减少而下降"
assert abs(_s.loc["效应0.45", "bias"] + 0.45 - _s.loc["效应0.45", "mean_estimate"]) < 1e-9
### END HIDDEN TESTS

# %% [markdown]
# ## 第 10 题（人工评分，8 分）：预注册式研究报告
#
# 假设你要在一份**真实的**脱敏数据（与本数据同一表结构）上研究“少捕慎诉慎押对不捕率的效应”，并在看到结果之前
# 把方案公开登记（预注册）。用 600—900 字，按以下标题写出方案（可以引用本实验的结果作为“试点分析”）：
#
# 1. **研究问题与假设**：主假设与次要假设，写明方向与检验水准；
# 2. **估计量**：你要估计的是什么（logit 尺度的条件效应，还是不捕率的平均处理效应？对谁、在哪段时间？）；
# 3. **数据与样本**：表、时间窗、纳入与排除（“其他”决定、数据窗口）、单位（决定还是人）；
# 4. **分析方案**：主分析（交错双重差分的哪一种，为什么）、辅助分析（中断时间序列）、检察院聚类或多层结构、
#    协变量（哪些是混杂、哪些不能控制，参照第 3 题的因果图）；
# 5. **功效与判定规则**：根据第 9 题的模拟结果，说明多大的效应能以多大把握被发现，事先写下“什么结果算支持假设”；
# 6. **局限与偏离**：平行趋势、同时发生的其他变化（认罪认罚适用率上升、案件结构变化）、合成数据与真实数据的差别，
#    以及如果实际分析偏离方案，你会如何报告。

# %% [markdown] nbgrader={"grade_id": "q10_prereg", "grade": true, "solution": true, "points": 8}
# ### BEGIN SOLUTION
# 参考答案（要点）：
# 1. 主假设：各省采纳“少捕慎诉慎押”后，审查逮捕的不批准逮捕概率上升（单侧方向写明，检验用双侧 α = 0.05）；次要
#    假设：效应在采纳后数月内逐步形成（事件研究中 event_time ≥ 0 的效应为正且不随时间减弱），采纳前无效应。
# 2. 估计量：主估计量为采纳省份在采纳后（至最后一批省份采纳前）的平均处理效应 ATT，单位为不捕率（百分点）；
#    次估计量为 logit 尺度的条件效应（双向固定效应 logit 的 post 系数，控制嫌疑人特征）。两者不可直接比较：
#    logit 系数不可压缩，汇总比率上的效应与个体 logit 效应数值不同。
# 3. 数据：arrest_reviews 中决定日期在政策前后各一年的审查逮捕决定，排除“其他”决定；单位为一名嫌疑人的一次决定；
#    按决定日期归月；嫌疑人特征取自 suspects；检察院背景取自 procuratorates。
# 4. 分析：主分析用组别—时期 ATT（只用尚未采纳的省份为对照，采纳前一月为基期），因为它在交错采纳、效应随时间
#    变化时不产生“已处理单位作对照”的偏误；辅助分析为双向固定效应 logit（省份、月份固定效应、检察院聚类标准误）
#    与各省的中断时间序列（季节项、Newey–West 标准误）。协变量：认罪认罚、赔偿谅解、初犯、未成年、户籍、轻罪为决定
#    之前的特征，可以控制；不控制政策之后才产生的变量（如是否羁押听证）。检察院之间的差异用随机截距或聚类处理。
# 5. 功效：试点模拟显示，在四省两年的规模下，logit 尺度 0.45 的效应几乎必然被发现，0.20 的效应功效约一半，样本减半
#    时更低；第一类错误接近 5%，覆盖率接近 95%（各有约 0.02 的蒙特卡罗误差）。判定规则：主估计量 95% 区间不含 0
#    且采纳前安慰剂效应均不显著，才算支持假设；否则报告为“未能发现”，并给出可排除的效应大小。
# 6. 局限：平行趋势无法直接检验，只能看采纳前的安慰剂效应；同期认罪认罚适用率、轻罪比例变化会混入中断时间序列，
#    双重差分只在这些变化在各省同步时才被月份固定效应吸收；省份只有四个，聚类到省时推断不可靠；本实验是合成数据，
#    效应是埋设的真值，真实数据中采纳日期本身可能是内生的。任何偏离方案之处都在报告中单列并说明理由。
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止日期后随反馈发布）
#
# 合成数据的好处是真值已知。截止日期之后，教师把**你那份数据**的真值目录 `_truth/`（数据生成过程 `dgp.json`、
# 埋设结构 `planted.json`、每名嫌疑人的线性预测值 `latent.parquet`）随反馈一起发给你。把它放到
# `data/criminal-teaching/_truth/` 后重新运行下面的单元，就会得到“你的估计 — 真值”对照表。读表时想一想：
#
# - 估计与真值的差别有多少能用抽样误差（你的区间）解释？
# - 合并模型、朴素模型偏离真值的**方向**是否与第 3 题因果图的预测一致？
# - 为什么第 7 题（logit 尺度，条件效应）与第 8 题（比率尺度，平均处理效应）的“真值”不是同一个数？
# - 多层模型的随机截距标准差为什么小于真值 `group_sd`？（提示：检察院背景变量已经解释了截距的一部分，
#   对照表给出“背景之外”的真值。）

# %%
def truth_comparison(truth_path: Path) -> pd.DataFrame:
    """你的估计与数据生成过程的真值并列；没有作答的题目显示为空。"""
    dgp = json.loads((truth_path / "dgp.json").read_text(encoding="utf-8"))
    details = json.loads((truth_path / "dgp_details.json").read_text(encoding="utf-8"))
    planted = json.loads((truth_path / "planted.json").read_text(encoding="utf-8"))
    mine = globals()
    delta = dgp["arrest"]["policy_effect"]
    adoption = details["policies"]["lenient"]["adoption"]
    loading = details["procuratorate_context"]["arrest_loading"]["value"]
    latent = pd.read_parquet(truth_path / "latent.parquet", columns=["suspect_id", "eta_arrest"])
    decided = arrests[arrests["decision"] != "其他"].merge(latent, on="suspect_id")
    start = pd.to_datetime(decided["province_code"].map(adoption))
    eta = decided["eta_arrest"]
    gain = 1 / (1 + np.exp(-eta)) - 1 / (1 + np.exp(-(eta - delta)))
    zj_first = (decided["province_code"] == "33") & (decided["decision_date"] >= start) & (
        decided["decision_date"] < start + pd.DateOffset(months=3)
    )
    # 组别—时期 ATT 的采纳后时期：本省采纳之后、最后一批省份采纳之前（此后没有尚未采纳的对照）
    last = pd.Period(max(adoption.values()), freq="M").to_timestamp()
    att_cells = (decided["decision_date"] >= start) & (decided["decision_date"] < last)
    rows = [
        ("检察院之间斜率", mine.get("between_slope"),
         planted["simpson_is_local_arrest"]["between_procuratorates"]["slope_non_arrest_rate_on_non_local_share"]),
        ("检察院之内差值（比率）", mine.get("within_diff"),
         planted["simpson_is_local_arrest"]["within_procuratorates_pp_local_minus_non_local"] / 100),
        ("认罪认罚系数：朴素模型", mine.get("plea_naive"), planted["omitted_variable_plea_prosecution"]["truth_plea"]),
        ("认罪认罚系数：调整模型", mine.get("plea_adjusted"), planted["omitted_variable_plea_prosecution"]["truth_plea"]),
        ("本地户籍系数：合并模型", mine.get("pooled_is_local"), dgp["arrest"]["coefficients"]["is_local"]),
        ("本地户籍系数：多层模型", mine.get("ml_is_local"), dgp["arrest"]["coefficients"]["is_local"]),
        ("随机截距标准差（背景之外）", mine.get("ml_group_sd"), dgp["arrest"]["group_sd"] * np.sqrt(1 - loading**2)),
        ("中断时间序列水平变化（比率）", mine.get("its_level"), float(gain[zj_first].mean())),
        ("双向固定效应 logit 系数", (mine.get("did_twfe") or {}).get("estimate"), delta),
        ("组别—时期 ATT（比率）", (mine.get("att_overall") or {}).get("att"),
         float(gain[att_cells].mean())),
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=["量", "你的估计", "真值"]).set_index("量")
    table["差"] = table["你的估计"].astype(float) - table["真值"].astype(float)
    return table


if (DATA / "_truth").is_dir():
    display(truth_comparison(DATA / "_truth").round(3))
else:
    print("真值尚未发布：截止日期后，把随反馈发给你的 _truth/ 放到 data/criminal-teaching/_truth/ 再运行本单元。")

# %% tags=["instructor"]
# 教师版：用评分端的参考数据（含 _truth/）生成对照表，随反馈发布；学生版不含本单元。
from jianlab.grading.runtime import truth_dir

try:
    _truth_path = truth_dir("criminal-teaching")
except FileNotFoundError as _exc:
    print(f"本机没有真值目录，跳过对照表：{_exc}")
else:
    display(truth_comparison(_truth_path).round(3))
