# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验二：终本率与执行质效——比率、漏斗图、生存分析与多层模型
#
# **预计用时**：3 小时（阅读背景 30 分钟，第 1—8 题约 2 小时，第 9 题论述 30 分钟）。
#
# **先修**：实验一（比率的口径与区间、漏斗图、逻辑回归）；生存分析的基本概念（删失、生存函数、风险比）。
#
# **学习目标**——完成本实验后，你能够：
#
# 1. 按口径计算终本率，并按结案年度、被执行人类型给出 Wilson 与精确区间；
# 2. 用精确二项界限与过度离散系数 φ 比较各法院的终本率；
# 3. 计算实际执行率与执行到位率，说明两者衡量的是什么；
# 4. 用 Kaplan–Meier 方法估计“立案至终本”的时间，正确处理删失；用 Cox 模型估计风险比并检查比例风险假定；
# 5. 估计终本后恢复执行的比例与时间；
# 6. 用法院随机截距的多层逻辑回归估计法院之间的差异，并与数据生成过程中埋设的法院差异对照；
# 7. 说明这些指标能说明、不能说明“执行难”的哪些方面。
#
# **评分**：共 35 分。第 1—8 题自动评分（29 分），第 9 题由教师按评分细则人工评分（6 分）。可见测试只检查常见错误
# （提示你复查什么，不给出答案）；隐藏测试在评分程序中用你自己的数据重新计算。每道题自成一体，请直接从 `cases`
# 出发计算，不要使用其他题的变量。截止后发布反馈，附“真值对照”一节。

# %% [markdown]
# ## 背景：终本的法律规定与“执行难”
#
# **终结本次执行程序**（简称“终本”）是被执行人暂无财产可供执行时的结案方式：案件结案，但债权没有消灭，
# 发现财产后可以恢复执行。依据最高人民法院《关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373 号，
# 2016 年 10 月 29 日印发，2016 年 12 月 1 日施行，下称“终本规定”）：
#
# - **第一条**：终本须同时符合五项条件——已发出执行通知并责令报告财产；已向被执行人发出限制消费令，并将符合条件的
#   被执行人纳入失信被执行人名单；已穷尽财产调查措施，未发现可供执行的财产或发现的财产不能处置；自执行案件立案之日起
#   已超过**三个月**；被执行人下落不明的，已依法查找，有妨害执行行为的，已依法处罚。
# - **第四条**：“发现的财产不能处置”的情形（如拍卖流拍且申请执行人不接受抵债，已查封登记但未实际扣押的车辆）。
# - **第九条**：终本后，申请执行人发现财产可以申请恢复执行；人民法院在终本后五年内应当每六个月通过网络执行查控系统
#   查询一次被执行人的财产，发现财产的，应当及时恢复执行。
#
# 最高人民法院《关于民事执行中财产调查若干问题的规定》（法释〔2017〕8 号，2017 年 5 月 1 日施行）规定金钱债权执行中
# 报告财产令与执行通知同时发出。2016 年 3 月，最高人民法院在第十二届全国人民代表大会第四次会议上的工作报告提出
# “用两到三年时间基本解决执行难问题”；终本案件的比例与质量因此成为执行工作的核心考核指标，“违法终本”“带财终本”
# 也成为检察机关民事执行监督的重点。
#
# **口径**（本数据集编码手册“口径定义”一节）：
#
# | 指标 | 定义 |
# |---|---|
# | 终本率 | 以终本结案的首次执行案件数 ÷ 已结首次执行案件数；“未结”不进分母，恢复执行案件不计入 |
# | 实际执行率 | 以执行完毕或和解结案的首次执行案件数 ÷ 已结首次执行案件数 |
# | 执行到位率 | 执行到位金额之和 ÷ 申请执行标的额之和（已结首次执行案件） |
#
# 一个县级法院的研究（福建古田县人民法院，2020 年至 2024 年 6 月）报告首次执行结案中终本占 34.82%，91.77% 的终本案件
# 执行到位率不足 30%（见项目文档 `docs/domain.md` 第 2 节的出处）。

# %% [markdown]
# ## 数据
#
# 本实验使用**合成的**民事执行教学数据集 `enforcement-teaching`（浙江、广东、河南、四川，2021—2024 年立案，
# 数据截止日见 `datapackage.json` 的 `as_of_date`）。终本由已知的逻辑回归过程决定：被执行人是否有可处置财产
# （数据中看不到的潜在变量）、被执行人类型、标的额、地区、年度，以及**法院随机截距**。终本率 35%—45% 是建模假设，
# 不是公布的全国数字。完整说明见 `data/enforcement-teaching/codebook.md`，其中“已知局限”“说明”两节列出了这些数据
# 不能用来做什么；注意第一个结案年度只含立案当年结案的案件，最后一个结案年度只有半年。
#
# 本实验只用 `enforcement_cases`（`cases`）：每行一件执行案件（首次执行或恢复执行）。下面的单元从编码手册中取出
# 它的列说明作为数据字典，并读出数据截止日 `AS_OF`。

# %%
import json
from io import BytesIO
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM
from synthgen import read_table

from jianlab.plotting import setup_cjk
from research import (
    adjusted_limits,
    cox_table,
    exact_limits,
    funnel_table,
    km_at,
    km_table,
    ph_test,
    rate_table,
)

setup_cjk()
DATA = Path("data") / "enforcement-teaching"
ZHONGBEN = "终结本次执行程序"
AS_OF = pd.Timestamp(json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])


def show(fig, alt):
    """显示图形并附上替代文字（读屏软件朗读的文字说明）。"""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), alt=alt))


_columns = ["case_id", "court_id", "case_type", "origin_case_id", "filing_date", "respondent_type",
            "amount_claimed", "closing_date", "closing_method", "amount_recovered", "province_code"]
cases = read_table(DATA, "enforcement_cases", _columns)
_codebook = json.loads((DATA / "codebook.json").read_text(encoding="utf-8"))
print("数据截止日：", AS_OF.date())
pd.DataFrame(
    [
        {"列": column, "含义": spec["label"], "说明": spec.get("description", "")}
        for column, spec in _codebook["tables"]["enforcement_cases"]["columns"].items()
        if column in _columns
    ]
).style.hide(axis="index")

# %% [markdown]
# ## 第 1 题（自动评分，3 分）：逐年终本率及其区间
#
# 按**结案年度**（`closing_date` 的年份）计算终本率，并给出 95% Wilson 区间与精确区间。保存为 `DataFrame` 变量
# `zb_year`：索引为结案年度（整数），列 `x`、`n`、`rate`、`wilson_low`、`wilson_high`、`exact_low`、`exact_high`。
# `rate_table(x, n)` 可以从计数直接得到这张表。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_closed = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] != "未结")]
_hit = (_closed["closing_method"] == ZHONGBEN).groupby(_closed["closing_date"].dt.year)
zb_year = rate_table(_hit.sum(), _hit.size())
zb_year.index = zb_year.index.astype(int)
### END SOLUTION
zb_year.round(4)

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 3} jianlab={"exports": {"zb_year": "dataframe"}}
_cols = ["x", "n", "rate", "wilson_low", "wilson_high", "exact_low", "exact_high"]
assert isinstance(zb_year, pd.DataFrame) and set(_cols) <= set(zb_year.columns), f"zb_year 应有列 {_cols}"
_first = cases[cases["case_type"] == "首次执行"]
_all_first = _first.groupby(_first["closing_date"].dt.year).size().reindex(zb_year.index)
_closed_any = cases[cases["closing_method"] != "未结"]
_with_restored = _closed_any.groupby(_closed_any["closing_date"].dt.year).size().reindex(zb_year.index)
assert not np.allclose(zb_year["n"], _with_restored), "恢复执行案件不计入终本率：只看首次执行案件"
assert zb_year.index.min() >= 2021 and zb_year.index.max() <= AS_OF.year, "年份超出数据范围：是否按结案日期归年？"
_filed = _first[_first["closing_method"] != "未结"]
_by_filing = _filed.groupby(_filed["filing_date"].dt.year).size()
assert not (set(_by_filing.index) == set(zb_year.index) and np.allclose(zb_year["n"], _by_filing.reindex(zb_year.index))), "终本率按结案年度计，不是立案年度"
assert zb_year["rate"].between(0, 1).all() and (zb_year["wilson_low"] <= zb_year["rate"]).all(), "比率与区间不合理"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import rate_table

_c = read_table(reference_dir("enforcement-teaching"), "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["closing_method"] != "未结")]
_h = (_c["closing_method"] == "终结本次执行程序").groupby(_c["closing_date"].dt.year)
_exp = rate_table(_h.sum(), _h.size())
_got = zb_year.sort_index()
assert [int(v) for v in _got.index] == [int(v) for v in _exp.index], "年份不正确"
for _k in ["x", "n", "rate", "wilson_low", "wilson_high", "exact_low", "exact_high"]:
    assert np.allclose(_got[_k].to_numpy(float), _exp[_k].to_numpy(float), atol=1e-6), _k
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，2 分）：按被执行人类型的终本率
#
# 对**结案年度 2022—2024 年**的已结首次执行案件，分别计算被执行人为自然人、法人的终本率及 95% Wilson 区间，保存为
# `DataFrame` 变量 `zb_type`：索引为 `["自然人", "法人"]`，列 `x`、`n`、`rate`、`wilson_low`、`wilson_high`。

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_done = cases["case_type"].eq("首次执行") & cases["closing_method"].ne("未结")
_closed = cases[_done & cases["closing_date"].dt.year.between(2022, 2024)]
_hit = (_closed["closing_method"] == ZHONGBEN).groupby(_closed["respondent_type"])
zb_type = rate_table(_hit.sum(), _hit.size(), methods=("wilson",)).reindex(["自然人", "法人"])
### END SOLUTION
zb_type.round(4)

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 2} jianlab={"exports": {"zb_type": "dataframe"}}
assert isinstance(zb_type, pd.DataFrame) and list(zb_type.index) == ["自然人", "法人"], "索引应为 [\"自然人\", \"法人\"]"
assert {"x", "n", "rate", "wilson_low", "wilson_high"} <= set(zb_type.columns), "zb_type 缺少列"
assert ((zb_type["wilson_low"] <= zb_type["rate"]) & (zb_type["rate"] <= zb_type["wilson_high"])).all(), "区间应包含点估计"
assert zb_type["n"].sum() < len(cases[cases["case_type"] == "首次执行"]), "分母是否包含了未结案件或其他年度？"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import rate_table

_c = read_table(reference_dir("enforcement-teaching"), "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["closing_method"] != "未结") & _c["closing_date"].dt.year.between(2022, 2024)]
_h = (_c["closing_method"] == "终结本次执行程序").groupby(_c["respondent_type"])
_exp = rate_table(_h.sum(), _h.size(), methods=("wilson",)).reindex(["自然人", "法人"])
for _k in ["x", "n", "rate", "wilson_low", "wilson_high"]:
    assert np.allclose(zb_type[_k].to_numpy(float), _exp[_k].to_numpy(float), atol=1e-6), _k
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，5 分）：各法院终本率的漏斗图
#
# 对**结案年度 2023 年**的已结首次执行案件，计算每个法院（`court_id`）的终本率，以全部法院合计的终本率为中心线，
# 给出 95% 与 99.8% 的精确二项界限和过度离散系数 φ（两端各缩尾 10%），以及 φ 调整后的 99.8% 界限——`funnel_table`
# 的输出即可。保存：
#
# - `funnel`（索引 `court_id`，列至少包括 `n`、`rate`、`lower95`、`upper95`、`lower998`、`upper998`、`outside95`、
#   `outside998`、`adj_outside998`）；
# - `phi`（浮点数）；
# - `fig` 与 `fig_alt`：漏斗图（横轴“已结首次执行案件数”，纵轴“终本率”，中文标题，画出两组精确界限与 φ 调整界限），
#   用 `show` 函数显示（第二个参数 `alt` 是替代文字）。

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
_done = cases["case_type"].eq("首次执行") & cases["closing_method"].ne("未结")
_closed = cases[_done & cases["closing_date"].dt.year.eq(2023)]
_hit = (_closed["closing_method"] == ZHONGBEN).groupby(_closed["court_id"])
funnel, _over = funnel_table(_hit.sum(), _hit.size())
phi = _over.phi
_p0 = funnel.attrs["theta0"]

fig, ax = plt.subplots(figsize=(7.5, 4.8))
ax.scatter(funnel["n"], funnel["rate"], s=12, c=np.where(funnel["outside998"], "tab:red", "tab:blue"), label="法院")
_grid = np.arange(max(int(funnel["n"].min()), 1), int(funnel["n"].max()) + 1)
for _level, _style, _name in ((0.95, "--", "95% 精确界限"), (0.998, ":", "99.8% 精确界限")):
    _lo, _hi = exact_limits(_p0, _grid, _level)
    ax.plot(_grid, _hi, _style, color="gray", label=_name)
    ax.plot(_grid, _lo, _style, color="gray")
_alo, _ahi = adjusted_limits(_p0, _grid, 0.998, _over)
ax.plot(_grid, _ahi, "-", color="darkorange", label=f"φ 调整 99.8% 界限（φ = {phi:.2f}）")
ax.plot(_grid, _alo, "-", color="darkorange")
ax.axhline(_p0, color="black", linewidth=0.8)
ax.set_xscale("log")
ax.set_xlabel("已结首次执行案件数")
ax.set_ylabel("终本率")
ax.set_title("2023 年各法院终本率漏斗图")
ax.legend(fontsize=8)
fig_alt = (
    f"漏斗图：横轴为 2023 年各法院已结首次执行案件数（对数刻度），纵轴为终本率，中心线 {_p0:.1%}。"
    f"{len(funnel)} 个法院中 {int(funnel['outside95'].sum())} 个在 95% 精确界限外、"
    f"{int(funnel['outside998'].sum())} 个在 99.8% 精确界限外；φ = {phi:.2f}，调整后 "
    f"{int(funnel['adj_outside998'].sum())} 个在 99.8% 界限外。"
)
show(fig, alt=fig_alt)
### END SOLUTION
funnel[["outside95", "outside998", "adj_outside998"]].sum(), round(phi, 2)

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 5} jianlab={"exports": {"funnel": "dataframe", "phi": "scalar"}}
import matplotlib.figure

_need = {"n", "rate", "lower95", "upper95", "lower998", "upper998", "outside95", "outside998", "adj_outside998"}
assert isinstance(funnel, pd.DataFrame) and _need <= set(funnel.columns), f"funnel 应有列 {sorted(_need)}"
_p0_student = float((funnel["rate"] * funnel["n"]).sum() / funnel["n"].sum())
_normal = np.clip(_p0_student + 1.96 * np.sqrt(_p0_student * (1 - _p0_student) / funnel["n"]), 0, 1)
assert not np.allclose(funnel["upper95"], _normal, atol=1e-4), "控制限是否用了正态近似？应使用精确二项界限"
assert funnel["outside998"].sum() <= funnel["outside95"].sum(), "99.8% 界限外的法院不应多于 95% 界限外"
assert isinstance(phi, float) and phi > 0, "phi 应为正的浮点数"
assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes[0].lines) >= 4, "图中应有散点与至少两组界限"
assert any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_ylabel()), "纵轴标签应为中文"
assert isinstance(fig_alt, str) and len(fig_alt) >= 20, "请用 fig_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import funnel_table

_c = read_table(reference_dir("enforcement-teaching"), "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["closing_method"] != "未结") & (_c["closing_date"].dt.year == 2023)]
_h = (_c["closing_method"] == "终结本次执行程序").groupby(_c["court_id"])
_exp, _ov = funnel_table(_h.sum(), _h.size())
_got = funnel.reindex(_exp.index)
assert len(funnel) == len(_exp) and _got["n"].notna().all(), "法院集合不对"
for _k in ["n", "rate", "lower95", "upper95", "lower998", "upper998"]:
    assert np.allclose(_got[_k].to_numpy(float), _exp[_k].to_numpy(float), atol=1e-6), _k
for _k in ["outside95", "outside998", "adj_outside998"]:
    assert (_got[_k].astype(bool) == _exp[_k]).all(), _k
assert abs(phi - _ov.phi) < 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，3 分）：实际执行率与执行到位率
#
# 按结案年度，对已结首次执行案件计算 `实际执行率`、`执行到位率`，以及终本案件中执行到位率（该案到位金额 ÷ 标的额）
# 不足 30% 的比例 `终本到位不足三成`。保存为 `DataFrame` 变量 `performance`：索引为结案年度（整数），列依次为这三个指标。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_closed = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] != "未结")]
_year = _closed["closing_date"].dt.year
_zb = _closed[_closed["closing_method"] == ZHONGBEN]
performance = pd.DataFrame(
    {
        "实际执行率": _closed["closing_method"].isin(["执行完毕", "和解"]).groupby(_year).mean(),
        "执行到位率": _closed.groupby(_year)["amount_recovered"].sum() / _closed.groupby(_year)["amount_claimed"].sum(),
        "终本到位不足三成": (_zb["amount_recovered"] / _zb["amount_claimed"] < 0.3).groupby(_zb["closing_date"].dt.year).mean(),
    }
)
performance.index = performance.index.astype(int)
### END SOLUTION
performance.round(3)

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 3} jianlab={"exports": {"performance": "dataframe"}}
assert isinstance(performance, pd.DataFrame), "performance 应为 DataFrame"
assert list(performance.columns) == ["实际执行率", "执行到位率", "终本到位不足三成"], "列名或顺序不对"
assert ((performance >= 0) & (performance <= 1)).all().all(), "三个指标都应在 0 与 1 之间"
_c = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] != "未结")]
_wrong = (_c["closing_method"] != "终结本次执行程序").groupby(_c["closing_date"].dt.year).mean().reindex(performance.index)
assert not np.allclose(performance["实际执行率"], _wrong), "实际执行率只计执行完毕与和解：终结执行、不予执行、驳回申请都不是实际执行"
_mean_ratio = (_c["amount_recovered"] / _c["amount_claimed"]).groupby(_c["closing_date"].dt.year).mean().reindex(performance.index)
assert not np.allclose(performance["执行到位率"], _mean_ratio), "执行到位率是金额之和的比，不是各案比例的平均"
### BEGIN HIDDEN TESTS
import numpy as np
from synthgen import read_table

from jianlab.grading.runtime import reference_dir

_c = read_table(reference_dir("enforcement-teaching"), "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["closing_method"] != "未结")]
_y = _c["closing_date"].dt.year
_z = _c[_c["closing_method"] == "终结本次执行程序"]
_e = [
    _c["closing_method"].isin(["执行完毕", "和解"]).groupby(_y).mean(),
    _c.groupby(_y)["amount_recovered"].sum() / _c.groupby(_y)["amount_claimed"].sum(),
    (_z["amount_recovered"] / _z["amount_claimed"] < 0.3).groupby(_z["closing_date"].dt.year).mean(),
]
_got = performance.sort_index()
assert [int(v) for v in _got.index] == [int(v) for v in _e[0].index]
for _k, _s in zip(["实际执行率", "执行到位率", "终本到位不足三成"], _e):
    assert np.allclose(_got[_k].to_numpy(float), _s.reindex(_e[0].index).to_numpy(float)), _k
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，4 分）：立案至终本的时间（Kaplan–Meier）
#
# 对**全部**首次执行案件（含未结），以立案日为起点、终本为事件：终本案件在结案日发生事件；以其他方式结案的案件在
# 结案日**删失**；未结案件在数据截止日 `AS_OF` 删失。用 Kaplan–Meier 方法估计立案后 90、180、365、730 天内的累计
# 终本比例 1 − S(t)，保存为 `pandas.Series` 变量 `km_share`（索引为这四个天数，整数）。再画出 1 − S(t) 的曲线及
# 95% 区间（`km_table`），保存为 `km_fig`，中文替代文字为 `km_alt`，用 `show` 显示。
#
# 思考：终本规定第一条第（四）项要求立案超过三个月才能终本，曲线在 90 天附近应是什么形状？

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_first = cases[cases["case_type"] == "首次执行"]
_end = _first["closing_date"].fillna(AS_OF)
_days = (_end - _first["filing_date"]).dt.days.to_numpy(float)
_event = (_first["closing_method"] == ZHONGBEN).to_numpy(int)
km_share = pd.Series(km_at(_days, _event, [90, 180, 365, 730]), index=[90, 180, 365, 730])
_km = km_table(_days, _event)
km_fig, _ax = plt.subplots(figsize=(6.5, 4))
_ax.step(_km["time"], 1 - _km["surv"], where="post", color="tab:blue", label="累计终本比例")
_ax.fill_between(_km["time"], 1 - _km["upper"], 1 - _km["lower"], step="post", alpha=0.3, color="tab:blue", label="95% 区间")
_ax.axvline(90, color="gray", linestyle="--", linewidth=0.8)
_ax.set_xlabel("立案后天数")
_ax.set_ylabel("累计终本比例（1 − S(t)）")
_ax.set_title("首次执行案件立案至终本的时间（Kaplan–Meier）")
_ax.legend(fontsize=8)
km_alt = (
    "Kaplan–Meier 曲线：横轴为立案后天数，纵轴为累计终本比例。90 天（三个月）之前几乎没有终本，"
    f"之后迅速上升；一年内累计终本比例约 {km_share[365]:.0%}，两年内约 {km_share[730]:.0%}。"
)
show(km_fig, alt=km_alt)
### END SOLUTION
km_share.round(3)

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 4} jianlab={"exports": {"km_share": "series"}}
assert isinstance(km_share, pd.Series) and [int(v) for v in km_share.index] == [90, 180, 365, 730], "km_share 的索引应为 [90, 180, 365, 730]"
assert km_share.is_monotonic_increasing and km_share.between(0, 1).all(), "累计比例应在 0—1 之间且随时间不减"
_f = cases[cases["case_type"] == "首次执行"]
_closed_f = _f[_f["closing_method"] != "未结"]
_naive = np.array([((_closed_f["closing_method"] == "终结本次执行程序") & ((_closed_f["closing_date"] - _closed_f["filing_date"]).dt.days <= d)).mean() for d in (90, 180, 365, 730)])
assert not np.allclose(km_share.to_numpy(float), _naive, atol=1e-3), "直接数“多少天内终本”的比例忽略了删失：请用 Kaplan–Meier"
_any = (_f["closing_method"] != "未结").to_numpy(int)
_t = (_f["closing_date"].fillna(AS_OF) - _f["filing_date"]).dt.days.to_numpy(float)
assert not np.allclose(km_share.to_numpy(float), km_at(_t, _any, [90, 180, 365, 730]), atol=1e-3), "事件只是终本：其他结案方式应当删失"
assert isinstance(km_alt, str) and len(km_alt) >= 20, "请用 km_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import km_at

_ref = reference_dir("enforcement-teaching")
_asof = pd.Timestamp(json.loads((_ref / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
_c = read_table(_ref, "enforcement_cases")
_c = _c[_c["case_type"] == "首次执行"]
_d = (_c["closing_date"].fillna(_asof) - _c["filing_date"]).dt.days.to_numpy(float)
_exp = km_at(_d, (_c["closing_method"] == "终结本次执行程序").to_numpy(int), [90, 180, 365, 730])
assert np.allclose(km_share.sort_index().to_numpy(float), _exp, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（自动评分，4 分）：Cox 模型与比例风险检查
#
# 对**浙江省**（`province_code == "33"`）的全部首次执行案件，按第 5 题的方式定义时间与事件，拟合 Cox 模型
# `days ~ company + lamt`：`company` 为被执行人是法人（1）或自然人（0），`lamt = log10(标的额) − log10(42000)`。
# 可以用 `cox_table(公式, 数据, 事件列)`（statsmodels `PHReg`）。保存：
#
# - `hr`：`DataFrame`，索引 `["company", "lamt"]`，列 `hazard_ratio`、`hr_low`、`hr_high`；
# - `ph_p`：`pandas.Series`，两个协变量比例风险检查（`ph_test`）的 p 值。

# %% nbgrader={"grade_id": "q6_answer", "solution": true}
### BEGIN SOLUTION
_zj = cases[(cases["case_type"] == "首次执行") & (cases["province_code"] == "33")].copy()
_zj["days"] = (_zj["closing_date"].fillna(AS_OF) - _zj["filing_date"]).dt.days.astype(float)
_zj["zb"] = (_zj["closing_method"] == ZHONGBEN).astype(int)
_zj["company"] = (_zj["respondent_type"] == "法人").astype(int)
_zj["lamt"] = np.log10(_zj["amount_claimed"]) - np.log10(42000)
_cox, _table = cox_table("days ~ company + lamt", _zj, "zb")
hr = _table[["hazard_ratio", "hr_low", "hr_high"]]
ph_p = ph_test(_cox)["p"]
### END SOLUTION
hr.round(3), ph_p.round(4)

# %% nbgrader={"grade_id": "q6_tests", "grade": true, "points": 4} jianlab={"exports": {"hr": "dataframe", "ph_p": "series"}}
assert isinstance(hr, pd.DataFrame) and sorted(hr.index) == ["company", "lamt"], "hr 的索引应为 company、lamt"
assert (hr["hazard_ratio"] > 0).all(), "风险比必为正数：是否报告了系数而不是 exp(系数)？"
assert ((hr["hr_low"] < hr["hazard_ratio"]) & (hr["hazard_ratio"] < hr["hr_high"])).all(), "区间应包含风险比"
assert isinstance(ph_p, pd.Series) and ph_p.between(0, 1).all(), "ph_p 应为 0—1 之间的 p 值"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import cox_table, ph_test

_ref = reference_dir("enforcement-teaching")
_asof = pd.Timestamp(json.loads((_ref / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
_c = read_table(_ref, "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["province_code"] == "33")].copy()
_c["days"] = (_c["closing_date"].fillna(_asof) - _c["filing_date"]).dt.days.astype(float)
_c["zb"] = (_c["closing_method"] == "终结本次执行程序").astype(int)
_c["company"] = (_c["respondent_type"] == "法人").astype(int)
_c["lamt"] = np.log10(_c["amount_claimed"]) - np.log10(42000)
_r, _t = cox_table("days ~ company + lamt", _c, "zb")
for _k in ["hazard_ratio", "hr_low", "hr_high"]:
    assert np.allclose(hr.loc[["company", "lamt"], _k].to_numpy(float), _t.loc[["company", "lamt"], _k].to_numpy(), rtol=1e-3), _k
assert np.allclose(ph_p.loc[["company", "lamt"]].to_numpy(float), ph_test(_r).loc[["company", "lamt"], "p"].to_numpy(), atol=1e-4)
### END HIDDEN TESTS

# %% [markdown]
# ## 第 7 题（自动评分，3 分）：终本后的恢复执行
#
# 恢复执行案件的 `origin_case_id` 指向它恢复的终本案件。对以终本结案的首次执行案件：
#
# - `restored_share`：已恢复执行（至少有一件恢复执行案件指向它）的比例；
# - `restore_share_365`：终本后 365 天内恢复执行的 Kaplan–Meier 累计比例（起点为终本日，事件为最早一件恢复执行案件的
#   立案日，未恢复的在 `AS_OF` 删失）。

# %% nbgrader={"grade_id": "q7_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases[(cases["case_type"] == "首次执行") & (cases["closing_method"] == ZHONGBEN)].set_index("case_id")
_restored = cases[cases["case_type"] == "恢复执行"].groupby("origin_case_id")["filing_date"].min()
_again = _restored.reindex(_zb.index)
restored_share = float(_again.notna().mean())
_t = (_again.fillna(AS_OF) - _zb["closing_date"]).dt.days.clip(lower=0).to_numpy(float)
restore_share_365 = float(km_at(_t, _again.notna().to_numpy(int), [365])[0])
### END SOLUTION
round(restored_share, 4), round(restore_share_365, 4)

# %% nbgrader={"grade_id": "q7_tests", "grade": true, "points": 3} jianlab={"exports": {"restored_share": "scalar", "restore_share_365": "scalar"}}
assert 0 < restored_share < 1 and 0 < restore_share_365 < 1, "两个比例都应在 0 与 1 之间"
_first = cases[cases["case_type"] == "首次执行"]
_wrong = _first["case_id"].isin(cases["origin_case_id"]).mean()
assert abs(restored_share - _wrong) > 1e-9, "分母是终本案件，不是全部首次执行案件"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from synthgen import read_table

from jianlab.grading.runtime import reference_dir
from research import km_at

_ref = reference_dir("enforcement-teaching")
_asof = pd.Timestamp(json.loads((_ref / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
_c = read_table(_ref, "enforcement_cases")
_z = _c[(_c["case_type"] == "首次执行") & (_c["closing_method"] == "终结本次执行程序")].set_index("case_id")
_a = _c[_c["case_type"] == "恢复执行"].groupby("origin_case_id")["filing_date"].min().reindex(_z.index)
assert abs(restored_share - _a.notna().mean()) < 1e-9
_t = (_a.fillna(_asof) - _z["closing_date"]).dt.days.clip(lower=0).to_numpy(float)
assert abs(restore_share_365 - km_at(_t, _a.notna().to_numpy(int), [365])[0]) < 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## 第 8 题（自动评分，5 分）：法院随机截距的多层模型
#
# 第 3 题的 φ 说明法院之间的差异超出了二项抽样误差。用多层逻辑回归估计这部分差异：对**浙江省、结案年度 2023 年**的
# 已结首次执行案件，因变量 `zb`（终本 = 1），协变量 `company`、`lamt`（定义同第 6 题），加法院随机截距：用
# `BinomialBayesMixedGLM.from_formula` 建模（固定效应公式 `zb ~ company + lamt`，随机效应 `{"court": "0 + C(court_id)"}`），
# 再调用模型的 `fit_vb` 方法拟合。保存：
#
# - `ml_coef`：`company`、`lamt` 的系数（`fe_mean`，`pandas.Series`）；
# - `court_sd`：法院随机截距的标准差（`vcp_mean` 是它的对数）；
# - `court_effects`：各法院随机截距的后验均值（`vc_mean`，`pandas.Series`，索引为 `court_id`；
#   `model.vc_names` 形如 `C(court_id)[FY330100]`，取方括号中的编号）。

# %% nbgrader={"grade_id": "q8_answer", "solution": true}
### BEGIN SOLUTION
_done = cases["case_type"].eq("首次执行") & cases["closing_method"].ne("未结")
_d = cases[_done & cases["province_code"].eq("33") & cases["closing_date"].dt.year.eq(2023)].copy()
_d["zb"] = (_d["closing_method"] == ZHONGBEN).astype(int)
_d["company"] = (_d["respondent_type"] == "法人").astype(int)
_d["lamt"] = np.log10(_d["amount_claimed"]) - np.log10(42000)
_fit = BinomialBayesMixedGLM.from_formula("zb ~ company + lamt", {"court": "0 + C(court_id)"}, _d).fit_vb()
ml_coef = pd.Series(_fit.fe_mean, index=_fit.model.exog_names)[["company", "lamt"]]
court_sd = float(np.exp(_fit.vcp_mean[0]))
court_effects = pd.Series(_fit.vc_mean, index=[name.split("[")[1].rstrip("]") for name in _fit.model.vc_names])
### END SOLUTION
ml_coef.round(3), round(court_sd, 3), len(court_effects)

# %% nbgrader={"grade_id": "q8_tests", "grade": true, "points": 5} jianlab={"exports": {"ml_coef": "series", "court_sd": "scalar", "court_effects": "series"}}
assert isinstance(ml_coef, pd.Series) and sorted(ml_coef.index) == ["company", "lamt"], "ml_coef 的索引应为 company、lamt"
assert 0 < court_sd < 3, "court_sd 是标准差：vcp_mean 是对数标准差，要取指数"
assert isinstance(court_effects, pd.Series) and court_effects.index.astype(str).str.startswith("FY").all(), "court_effects 的索引应为法院编号（如 FY330100）"
assert abs(court_effects.mean()) < 0.5, "随机截距的均值应接近 0"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-teaching")
_c = read_table(_ref, "enforcement_cases")
_c = _c[(_c["case_type"] == "首次执行") & (_c["province_code"] == "33") & (_c["closing_method"] != "未结") & (_c["closing_date"].dt.year == 2023)].copy()
_c["zb"] = (_c["closing_method"] == "终结本次执行程序").astype(int)
_c["company"] = (_c["respondent_type"] == "法人").astype(int)
_c["lamt"] = np.log10(_c["amount_claimed"]) - np.log10(42000)
_m = BinomialBayesMixedGLM.from_formula("zb ~ company + lamt", {"court": "0 + C(court_id)"}, _c).fit_vb()
_coef = pd.Series(_m.fe_mean, index=_m.model.exog_names)[["company", "lamt"]]
assert np.allclose(ml_coef[["company", "lamt"]].to_numpy(float), _coef.to_numpy(), atol=0.02), "系数不正确"
_sd = float(np.exp(_m.vcp_mean[0]))
assert abs(float(court_sd) - _sd) < 0.02, "法院标准差不正确"
_ids = [n.split("[")[1].rstrip("]") for n in _m.model.vc_names]
_eff = pd.Series(_m.vc_mean, index=_ids)
assert np.allclose(court_effects.reindex(_ids).to_numpy(float), _eff.to_numpy(), atol=0.02), "各法院的随机截距不正确"
# the planted court variation: estimated intercepts track the true ones and σ̂ is of the true size
_true = pd.read_parquet(truth_dir("enforcement-teaching") / "court_effects.parquet").set_index("court_id")["effect"]
assert np.corrcoef(_eff.to_numpy(), _true.reindex(_ids).to_numpy())[0, 1] > 0.6
_truth_sd = float(json.loads((truth_dir("enforcement-teaching") / "zhongben_model.json").read_text(encoding="utf-8"))["court_sd"])
assert 0.4 * _truth_sd <= _sd <= 1.5 * _truth_sd
### END HIDDEN TESTS

# %% [markdown]
# ## 第 9 题（人工评分，6 分）：这些指标能说明“执行难”的什么？
#
# 用 500—800 字回答，引用你在前面各题得到的数字（含区间）：
#
# 1. 终本率高说明了什么，不能说明什么？它与“被执行人无财产可供执行”“法院消极执行”“带财终本”各有什么关系？
# 2. 实际执行率、执行到位率与终本后恢复执行的比例，分别回答了关于执行效果的哪一个问题？为什么执行到位率要用金额之和
#    而不是各案比例的平均？
# 3. 第 3 题漏斗图中终本率偏高的法院，是否就是“违法终本”多的法院？第 8 题的模型控制了什么，又遗漏了什么（提示：
#    数据中看不到被执行人是否真的有可处置财产）？要判断终本是否合法，还需要哪些数据（参考终本规定第一条）？
# 4. 如果把终本率作为考核指标，可能产生什么激励？

# %% [markdown] nbgrader={"grade_id": "q9_essay", "grade": true, "solution": true, "points": 6}
# ### BEGIN SOLUTION
# **参考答案（教师范文）**：终本率约四成，说明相当一部分首次执行案件在穷尽调查后仍无可供执行的财产；但它只是结案方式的
# 构成，不区分“确无财产”与“未尽调查”。高终本率可能来自被执行人结构（自然人、小额、无财产者多），也可能来自消极执行或
# 带财终本；比率本身无法区分这三者。
#
# 实际执行率回答“多少案件得到了履行”，执行到位率回答“申请人拿回了多少钱”；后者要用金额之和，因为各案比例的平均给
# 小额案件与大额案件同样的权重，回答的是另一个问题。终本案件九成以上到位不足三成，恢复执行的比例与时间说明终本后
# 每六个月查询（终本规定第九条）能找回一部分财产，但多数终本案件并未恢复。
#
# 漏斗图中偏高的法院先要扣除二项误差与过度离散（φ）才值得关注；第 8 题的模型控制了被执行人类型与标的额，法院截距仍有
# 明显差异，但模型遗漏了被执行人是否有可处置财产这一最重要的因素：法院之间被执行人财产状况不同，也会表现为截距差异。
# 判断终本是否合法要逐案核对终本规定第一条的五项条件：执行通知与报告财产令、限制消费令与失信名单、网络与传统查控
# （终本前三个月内）、立案满三个月、约谈与合议庭评议——这正是评查规则（`jianlab review run`）做的事，统计指标只能指出
# 值得评查的法院和案件。
#
# 以终本率为考核指标，可能促使法院压低终本率而久拖不结，或以“执行完毕”“终结执行”替代终本；以结案率为考核指标则可能
# 促使不当终本。指标应与执行到位率、恢复执行率和评查结果一起使用。
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止后随反馈发布）
#
# 数据的终本模型是已知的：系数、法院随机截距的标准差 σ 与每个法院的截距都在评分端的 `_truth/` 中（学生的数据副本中
# 没有）。截止日期之后，教师运行本节，把对照表随反馈发给每位同学：第 8 题的估计与真值并列，并说明差异的来源——
# 模型遗漏了“是否有可处置财产”（真值系数 −2.6），逻辑回归的系数与方差在遗漏一个与其他变量独立的强预测变量时
# 也会向 0 收缩，所以 σ̂ 通常略小于真值；各法院估计截距与真实截距的相关说明模型找回了埋设的法院差异。
# 第 8 题的隐藏测试也核对了这一点。

# %% tags=["instructor"]
# 教师版：估计与真值对照（学生版不含本单元；真值只在评分端提供）。
from jianlab.grading.runtime import truth_dir

try:
    _truth_path = truth_dir("enforcement-teaching")
except FileNotFoundError as _missing:
    print(_missing)
else:
    _model = json.loads((_truth_path / "zhongben_model.json").read_text(encoding="utf-8"))
    _true_u = pd.read_parquet(_truth_path / "court_effects.parquet").set_index("court_id")["effect"]
    _rows = {"法院截距标准差 σ": (_model["court_sd"], court_sd if "court_sd" in globals() else np.nan)}
    for _name, _key in (("company", "company"), ("lamt", "log10_amount_centred")):
        _rows[f"系数 {_name}"] = (_model["coefficients"][_key], ml_coef[_name] if "ml_coef" in globals() else np.nan)
    display(pd.DataFrame(_rows, index=["真值", "估计"]).T.round(3))
    if "court_effects" in globals():
        _pair = pd.DataFrame({"估计": court_effects, "真值": _true_u.reindex(court_effects.index)})
        print("各法院估计截距与真实截距的相关系数：", round(float(_pair.corr().iloc[0, 1]), 3))
    print("数据中看不到的潜在变量“找到可处置财产”的真值系数：", _model["coefficients"]["assets_found"])
