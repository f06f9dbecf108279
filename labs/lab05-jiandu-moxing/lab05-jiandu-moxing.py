# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验五：大数据法律监督模型——车辆“查而不扣”、保单现金价值、带财终本与失信识别
#
# **预计用时**：3.5 小时（阅读背景与数据 30 分钟，第 1—7 题约 2 小时，第 8 题失信与失能 30 分钟，第 9 题成果转化清单 30 分钟）。
#
# **先修**：实验二（终本的法律规定与口径）；SQL 的 `JOIN`、`GROUP BY`、`NOT EXISTS`；pandas 的 `merge` 与 `groupby`。
#
# **学习目标**——完成本实验后，你能够：
#
# 1. 把一条监督规则（终本规定第四条第（二）项的“查封未扣押的车辆”）拆成可以核对的数据条件：哪些案件、哪个时点、
#    哪些行为、哪些记录；
# 2. 分别用 DuckDB 上的 SQL 和 pandas 写出同一个监督模型，并让两者的结果逐条一致；
# 3. 用精确率与召回率衡量一个模型，说明粗筛规则为什么会产生大量无用线索；
# 4. 写出保单现金价值模型与登记财产的带财终本筛查，按所有权历史判断“终本时属于被执行人的财产”；
# 5. 从公司股东名册中追查终本前转给亲属的股权，并说清数据能证明什么、不能证明什么；
# 6. 用限制消费令之后被执行人本人付款的高消费记录，区分“有能力而拒不履行”（失信）与“无履行能力”（失能），
#    并用精确率与召回率说明划线的代价；
# 7. 把模型写成一条成果转化清单，供检察院与法院试点使用。
#
# **评分**：共 36 分。第 1—8 题自动评分（30 分），第 9 题由教师按评分细则人工评分（6 分）。可见测试只检查常见错误
# （提示你复查什么，不给出答案）；隐藏测试在评分程序中用评分端的数据副本与**埋设的真值**核对你的清单——清单中每多
# 一条非线索（精确率低于 1）或少一条线索（召回率低于 1）都不得分；第 8 题是分类问题，名单的精确率与召回率须达到题中
# 给出的标准。每道题自成一体：请从下面载入的表出发重新计算，
# 不要使用其他题的变量。截止后发布反馈，附“真值对照”一节。

# %% [markdown]
# ## 背景：执行监督中的大数据模型
#
# **法律依据。**
#
# - 《中华人民共和国民事诉讼法》（2023 年 9 月 1 日第五次修正，2024 年 1 月 1 日施行）第二百四十六条：人民检察院有权对
#   民事执行活动实行法律监督（2012 年修正时增设，当时为第二百三十五条；2021、2023 年两次修正在其前面增加条文，序号
#   随之后移）；最高人民检察院《人民检察院民事诉讼监督规则》（2021 年 6 月 26 日公布，2021 年 8 月 1 日施行）规定了
#   执行监督的案件来源、调查核实与检察建议。
# - 最高人民法院《关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373 号，2016 年 10 月 29 日印发，
#   2016 年 12 月 1 日施行，下称“终本规定”）：
#   - **第一条第（三）项**：终本须“已穷尽财产调查措施，未发现被执行人有可供执行的财产或者发现的财产不能处置”；
#   - **第四条**：“发现的财产不能处置”包括（一）拍卖、变卖未成交，申请执行人不接受抵债；（二）**人民法院在登记机关
#     查封的被执行人车辆、船舶等财产，未能实际扣押**；
#   - **第九条第二款**：终本后五年内每六个月通过网络执行查控系统查询一次，发现可供执行财产的，应当及时恢复执行。
# - 最高人民法院《关于适用〈中华人民共和国民事诉讼法〉的解释》（2022 年修正）第四百八十五条：冻结存款不超过一年，
#   查封动产不超过二年，查封不动产、冻结其他财产权不超过三年（条文序号以 2022 年修正本为准）。
# - 最高人民法院《关于限制被执行人高消费及有关消费的若干规定》（2010 年发布；2015 年 7 月 6 日最高人民法院审判委员会
#   第 1657 次会议决定修正，2015 年 7 月 22 日起施行，下称“限制高消费规定”）：**第一条**，
#   被执行人未按执行通知书指定的期间履行的，人民法院可以采取限制消费措施，纳入失信被执行人名单的，应当采取；
#   **第三条第一款**，自然人被执行人被采取限制消费措施后，不得乘坐飞机、列车软卧、轮船二等以上舱位，不得在星级以上
#   宾馆、酒店、夜总会、高尔夫球场等场所高消费，不得旅游、度假，子女不得就读高收费私立学校，不得支付高额保费购买
#   保险理财产品，不得乘坐 G 字头动车组列车全部座位、其他动车组列车一等以上座位，等等（共九项）。违反限制消费令
#   消费的，经查证属实，可以罚款、拘留，构成犯罪的依法追究刑事责任。终本规定第一条第（二）项要求终本前已发出
#   限制消费令，所以终本之后它仍然有效。
# - 保险产品的现金价值可以执行：最高人民法院（2020）最高法执复 71 号执行裁定；江苏省高级人民法院
#   苏高法电〔2018〕506 号列明生存保险金、现金红利、退保现金价值等可以执行。
#
# **违规与线索。** 车辆只在登记机关查封、未实际扣押，依终本规定第四条第（二）项属于“财产不能处置”，据此终本本身
# **合法**。但查封之后、终本之前，这辆车还有交通违法、高速通行或卡口抓拍记录，说明它在路上、可以被拦截扣押——这是
# 检察机关调查核实、建议法院协调交管部门扣押并恢复执行的**监督线索**，不是终本违法。同理，保单冻结后从未扣划，
# 冻结使保单“受约束”，不属带财终本，但现金价值可以扣划，是另一类线索。**带财终本**则是违规：终本时被执行人名下
# 有不受任何控制措施约束的财产，或本院首封的不动产从未启动拍卖（终本规定第四条第（一）项要求的程序没有走）。
# 本实验的规则文字与 jianlab 规则目录一致（`docs/rules.md` 的 ZB-04、ZB-04V、ZB-04I）。
#
# **政策背景。** 2021 年 6 月 15 日中共中央《关于加强新时代检察机关法律监督工作的意见》印发后，各地检察机关推行
# “数字检察”：把执行案件与车辆登记、交通违法、不动产登记、保险等数据碰撞，批量发现线索。浙江省检察机关 2021 年以来
# 在民事执行监督中发出检察建议 14,202 件、被采纳 14,151 件，其涉车辆查封扣押专项监督经验由最高人民检察院推广
# （浙江省人民检察院发布，《检察日报》报道；项目文档 `docs/domain.md` 第 6 节列有出处）。这类模型的成果通常以
# “成果转化清单”记录：数据来源、规则、产出、试点方式与风险——第 9 题就写这样一条。

# %% [markdown]
# ## 数据
#
# 本实验使用**合成的**民事执行教学数据集 `enforcement-teaching`（浙江、广东、河南、四川，2021—2024 年立案）。数据
# 按已知的生成过程产生：哪些车辆查封后仍在通行、哪些保单冻结后未扣划、哪些不动产首封后未拍卖、哪些被执行人在立案
# 前后把股权转给亲属，都记录在评分端的答案（`_truth/`）中；你的数据副本里没有答案。因此这里的数字是**已知的真值**，
# 不是实证发现，不能用来推断真实的线索数量。完整的列说明与已知局限见 `data/enforcement-teaching/codebook.md`。
#
# 用到的表（每行的含义）：
#
# | 变量 | 表 | 每行是 |
# |---|---|---|
# | `cases` | `enforcement_cases` | 一件执行案件（首次执行或恢复执行），`closing_method` 为结案方式，`closing_date` 为结案日（终本日 T） |
# | `actions` | `enforcement_actions` | 一项执行行为：`action_type`（网络查控、查封、扣押、冻结、扣划、拍卖……）、日期、财产类型与编号、措施期限 `term_end` |
# | `vehicles` | `vehicles` | 一辆登记车辆：`owner_id` 是**数据截止日**的所有人，`owner_since` 是其取得之日 |
# | `vehicle_events` | `vehicle_events` | 一条交通违法、高速通行或卡口抓拍记录 |
# | `estates` | `real_estate` | 一处不动产：估值、抵押担保金额、是否唯一住房，`owner_id` 同样是截止日的权利人 |
# | `transfers` | `ownership_transfers` | 车辆或不动产的一次过户：原所有人、新所有人、日期、原因 |
# | `policies` | `insurance_policies` | 一份保单：投保人、现金价值 |
# | `shareholders` | `company_shareholders` | 一段持股：股东、比例、起止日期（`to_date` 为空表示至今） |
# | `persons` | `persons` | 一个自然人（本实验只用编号与姓名） |
# | `consumption` | `consumption_records` | 一条终本被执行人名下的高消费记录：类别、日期、金额、付款人类型 `payer_type`（本人、单位、他人）与付款人 `payer_id` |
#
# `actions` 只保留本实验用到的执行行为（`ACTION_TYPES`：网络查控、查封、轮候查封、续封、扣押、冻结、扣划、拍卖、
# 拍卖成交、变卖、以物抵债、限制消费令），执行通知、终本约谈等其他行为不载入，以节省内存与时间。`AS_OF` 是数据
# 截止日（`datapackage.json` 的 `as_of_date`）：此后发生的事不在数据中。
# 下面的单元载入这些表，在 DuckDB 中以同名视图注册（SQL 里直接写 `FROM cases`），并从编码手册中取出各列的说明。
# `MIN_VALUE` 是保单现金价值的门槛（元），从 jianlab 的法律参数文件读出，不要手写数字。

# %%
import json
from io import BytesIO
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from IPython.display import Image, display
from legal import ZHONGBEN, threshold
from synthgen import read_arrow, read_table

from jianlab.plotting import setup_cjk

setup_cjk()
DATA = Path("data") / "enforcement-teaching"
MIN_VALUE = float(threshold("min_asset_value"))
_columns = {
    "enforcement_cases": ["case_id", "case_type", "origin_case_id", "filing_date", "respondent_id",
                          "respondent_type", "closing_date", "closing_method"],
    "enforcement_actions": ["case_id", "action_type", "action_date", "asset_type", "asset_id", "term_end"],
    "vehicles": ["vehicle_id", "owner_id", "registered_date", "owner_since"],
    "vehicle_events": ["event_id", "vehicle_id", "event_date", "event_type"],
    "real_estate": ["property_id", "owner_id", "est_value", "registered_date", "owner_since",
                    "mortgage_amount", "sole_residence"],
    "ownership_transfers": ["asset_type", "asset_id", "from_owner_id", "to_owner_id", "transfer_date", "reason"],
    "insurance_policies": ["policy_id", "holder_id", "cash_value", "start_date"],
    "company_shareholders": ["company_id", "holder_id", "holder_type", "share_pct", "from_date", "to_date"],
    "persons": ["person_id", "name"],
    "consumption_records": ["record_id", "person_id", "category", "record_date", "amount", "payer_type", "payer_id"],
}
ACTION_TYPES = ["网络查控", "查封", "轮候查封", "续封", "扣押", "冻结", "扣划", "拍卖", "拍卖成交", "变卖", "以物抵债",
                "限制消费令"]
AS_OF = pd.Timestamp(json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
cases, vehicles, vehicle_events, estates, transfers, policies, shareholders, persons, consumption = (
    read_table(DATA, table, columns) for table, columns in _columns.items() if table != "enforcement_actions"
)
_actions = read_arrow(DATA, "enforcement_actions", _columns["enforcement_actions"])
actions = _actions.filter(pc.is_in(_actions["action_type"], pa.array(ACTION_TYPES))).to_pandas(date_as_object=False)
con = duckdb.connect()
for _name, _frame in {"cases": cases, "actions": actions, "vehicles": vehicles, "vehicle_events": vehicle_events,
                      "estates": estates, "transfers": transfers, "policies": policies,
                      "shareholders": shareholders, "persons": persons, "consumption": consumption}.items():
    con.register(_name, _frame)


def show(fig, alt):
    """显示图形并附上替代文字（读屏软件朗读的文字说明）。"""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), alt=alt))


def check_list(frame, columns, key):
    """可见测试共用的形式检查：是 DataFrame、有要求的列、每个键只出现一次、只含终本案件。"""
    assert isinstance(frame, pd.DataFrame), "结果应为 pandas.DataFrame（SQL 结果用 .df() 取出）"
    assert set(columns) <= set(frame.columns), f"应有列 {columns}"
    assert not frame.duplicated(key).any(), f"{key} 有重复行：JOIN 之后是否忘了去重或汇总？"
    zb_ids = cases.loc[cases["closing_method"] == ZHONGBEN, "case_id"]
    assert frame["case_id"].isin(zb_ids).all(), "清单中有非终本案件：本模型只看以终结本次执行程序结案的案件"


_codebook = json.loads((DATA / "codebook.json").read_text(encoding="utf-8"))["tables"]
pd.DataFrame(
    [
        {"表": table, "列": column, "含义": spec["label"], "说明": spec.get("description", "")}
        for table, columns in _columns.items()
        for column, spec in _codebook[table]["columns"].items()
        if column in columns
    ]
).style.hide(axis="index")

# %% [markdown]
# **术语。** 终本日 T = 终本案件的 `closing_date`。“本案终本前”= 本案件的执行行为中日期不晚于 T 的行为。
# “查封日”= 本案对该车辆的**第一次**查封（`action_type == "查封"`，`asset_type == "车辆"`）。“扣押”“冻结”“扣划”都
# 以本案终本前的行为为准：别的案件扣押了这辆车，不等于本案扣押。

# %% [markdown]
# ## 第 1 题（自动评分，4 分）：车辆“查而不扣”模型（SQL）
#
# 用 DuckDB 的 SQL 找出全部车辆线索：**终本案件**中，本案终本前查封、本案终本前**没有扣押**的车辆，且在**查封日之后、
# 终本日之前（含 T 当日）**有至少一条通行或违法记录。保存为 `DataFrame` 变量 `vehicle_leads_sql`，每个（案件、车辆）
# 一行，列：`case_id`、`vehicle_id`、`seal_date`（本案第一次查封日）、`n_events`（查封日之后至 T 的记录条数）。
#
# 提示：用 `WITH` 分步写——终本案件、本案终本前的查封（取最早日期）、本案终本前的扣押；用 `NOT EXISTS` 或
# `LEFT JOIN … WHERE … IS NULL` 去掉已扣押的；最后连接 `vehicle_events` 并 `GROUP BY`。参数可以用 `?` 传入：
# `con.execute(sql, [ZHONGBEN]).df()`。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_sql = """
WITH zb AS (
    SELECT case_id, closing_date FROM cases WHERE closing_method = ?
),
seal AS (
    SELECT a.case_id, a.asset_id AS vehicle_id, MIN(a.action_date) AS seal_date, ANY_VALUE(zb.closing_date) AS t
    FROM actions a JOIN zb USING (case_id)
    WHERE a.action_type = '查封' AND a.asset_type = '车辆' AND a.action_date <= zb.closing_date
    GROUP BY a.case_id, a.asset_id
),
seized AS (
    SELECT DISTINCT a.case_id, a.asset_id
    FROM actions a JOIN zb USING (case_id)
    WHERE a.action_type = '扣押' AND a.action_date <= zb.closing_date
)
SELECT s.case_id, s.vehicle_id, s.seal_date, COUNT(*) AS n_events
FROM seal s
JOIN vehicle_events e ON e.vehicle_id = s.vehicle_id AND e.event_date > s.seal_date AND e.event_date <= s.t
WHERE NOT EXISTS (SELECT 1 FROM seized k WHERE k.case_id = s.case_id AND k.asset_id = s.vehicle_id)
GROUP BY s.case_id, s.vehicle_id, s.seal_date
ORDER BY s.case_id, s.vehicle_id
"""
vehicle_leads_sql = con.execute(_sql, [ZHONGBEN]).df()
### END SOLUTION
len(vehicle_leads_sql), vehicle_leads_sql.head()

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 4} jianlab={"exports": {"vehicle_leads_sql": "dataframe"}}
check_list(vehicle_leads_sql, ["case_id", "vehicle_id", "seal_date", "n_events"], ["case_id", "vehicle_id"])
_v1 = vehicle_leads_sql.astype({"case_id": str, "vehicle_id": str})
_t1 = cases.set_index("case_id")["closing_date"]
_acts1 = actions[actions["case_id"].isin(_v1["case_id"])]
_acts1 = _acts1[_acts1["action_date"] <= _acts1["case_id"].map(_t1)]
_sealed1 = _acts1[_acts1["action_type"].eq("查封") & _acts1["asset_type"].eq("车辆")].groupby(["case_id", "asset_id"])["action_date"].min()
_keys1 = pd.MultiIndex.from_frame(_v1[["case_id", "vehicle_id"]])
assert _keys1.isin(_sealed1.index).all(), "每一行都应是本案终本前查封的车辆"
assert (pd.to_datetime(_v1["seal_date"]).to_numpy() == _sealed1.reindex(_keys1).to_numpy()).all(), "seal_date 应是本案第一次查封的日期"
assert not _keys1.isin(pd.MultiIndex.from_frame(_acts1.loc[_acts1["action_type"].eq("扣押"), ["case_id", "asset_id"]])).any(), "本案终本前已扣押的车辆不是“查而不扣”"
_ev1 = _v1[["case_id", "vehicle_id"]].merge(vehicle_events, on="vehicle_id")
_from1 = _sealed1.reindex(pd.MultiIndex.from_frame(_ev1[["case_id", "vehicle_id"]])).to_numpy()
_ev1 = _ev1[(_ev1["event_date"].to_numpy() > _from1) & (_ev1["event_date"] <= _ev1["case_id"].map(_t1))]
_n1 = _ev1.groupby(["case_id", "vehicle_id"]).size().reindex(_keys1).fillna(0)
assert (_n1 > 0).all(), "只算查封之后、终本之前的记录：查封前的通行不说明查封后车辆还在路上"
assert (_n1.to_numpy() == _v1["n_events"].to_numpy()).all(), "n_events 应只数查封日之后至终本日（含）的记录"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import truth_dir

_truth = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_truth = _truth[_truth["rule_id"] == "ZB-04V"]
_want = set(zip(_truth["case_id"], _truth["asset_id"], strict=True))
_got = set(zip(vehicle_leads_sql["case_id"].astype(str), vehicle_leads_sql["vehicle_id"].astype(str), strict=True))
assert not (_got - _want), "清单中有不是线索的车辆（精确率低于 1）"
assert not (_want - _got), "漏掉了线索（召回率低于 1）"
assert (vehicle_leads_sql["n_events"] > 0).all()
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，3 分）：同一个模型用 pandas 写
#
# 不用 SQL，只用 pandas（`merge`、`groupby`、布尔筛选）重写第 1 题的模型，结果保存为 `vehicle_leads_pd`，列与第 1 题
# 相同。两种写法应当逐条一致；如果你做了第 1 题，可以自己比较两者（不计分）。
#
# 提示：“去掉已扣押的”在 pandas 里可以写成 `merge(…, how="left", indicator=True)` 后保留 `_merge == "left_only"`。

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[cases["closing_method"] == ZHONGBEN, ["case_id", "closing_date"]]
_own = actions[actions["case_id"].isin(_zb["case_id"])].merge(_zb, on="case_id")
_own = _own[_own["action_date"] <= _own["closing_date"]]
_seal = (
    _own[(_own["action_type"] == "查封") & (_own["asset_type"] == "车辆")]
    .groupby(["case_id", "asset_id"], as_index=False)
    .agg(seal_date=("action_date", "min"), t=("closing_date", "first"))
)
_seized = _own.loc[_own["action_type"] == "扣押", ["case_id", "asset_id"]].drop_duplicates()
_open = _seal.merge(_seized, how="left", indicator=True)
_open = _open[_open["_merge"] == "left_only"].drop(columns="_merge")
_ev = _open.merge(vehicle_events, left_on="asset_id", right_on="vehicle_id")
_ev = _ev[(_ev["event_date"] > _ev["seal_date"]) & (_ev["event_date"] <= _ev["t"])]
vehicle_leads_pd = (
    _ev.groupby(["case_id", "vehicle_id", "seal_date"], as_index=False)
    .agg(n_events=("event_id", "size"))
    .sort_values(["case_id", "vehicle_id"], ignore_index=True)
)
### END SOLUTION
len(vehicle_leads_pd), vehicle_leads_pd.head()

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 3} jianlab={"exports": {"vehicle_leads_pd": "dataframe"}}
check_list(vehicle_leads_pd, ["case_id", "vehicle_id", "seal_date", "n_events"], ["case_id", "vehicle_id"])
_v2 = vehicle_leads_pd.astype({"case_id": str, "vehicle_id": str})
_acts2 = actions[actions["case_id"].isin(_v2["case_id"])]
_acts2 = _acts2[_acts2["action_date"] <= _acts2["case_id"].map(cases.set_index("case_id")["closing_date"])]
_keys2 = pd.MultiIndex.from_frame(_v2[["case_id", "vehicle_id"]])
assert not _keys2.isin(pd.MultiIndex.from_frame(_acts2.loc[_acts2["action_type"].eq("扣押"), ["case_id", "asset_id"]])).any(), "本案终本前已扣押的车辆不是“查而不扣”"
_first2 = _acts2[_acts2["action_type"].eq("查封") & _acts2["asset_type"].eq("车辆")].groupby(["case_id", "asset_id"])["action_date"].min()
assert _keys2.isin(_first2.index).all(), "每一行都应是本案终本前查封的车辆"
_last2 = vehicle_events.groupby("vehicle_id")["event_date"].max().reindex(_v2["vehicle_id"]).to_numpy()
assert not (_last2 <= _first2.reindex(_keys2).to_numpy()).any(), "有的车辆最后一条记录不晚于查封日：只算查封之后的记录"
assert (vehicle_leads_pd["n_events"] > 0).all(), "n_events 应为正数"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import truth_dir

_truth = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_truth = _truth[_truth["rule_id"] == "ZB-04V"]
_want = set(zip(_truth["case_id"], _truth["asset_id"], strict=True))
_got = set(zip(vehicle_leads_pd["case_id"].astype(str), vehicle_leads_pd["vehicle_id"].astype(str), strict=True))
assert not (_got - _want), "清单中有不是线索的车辆（精确率低于 1）"
assert not (_want - _got), "漏掉了线索（召回率低于 1）"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，4 分）：模型的每一步筛掉了什么？粗筛规则的精确率与召回率
#
# 一个常见的“粗筛”做法是：**任何案件**中查封过、且**任何时候**有过通行记录的车辆，都当作线索。它不看结案方式、
# 不看是否扣押、不看记录发生在查封前还是终本后。
#
# 1. 保存 `pandas.Series` 变量 `vehicle_steps`，索引依次为 `"终本前查封的车辆"`、`"其中本案未扣押"`、
#    `"其中查封后至终本有记录"`，值为（案件、车辆）对的个数——即第 1 题模型逐步筛选后剩下的数量。
# 2. 粗筛清单按（案件、车辆）对计：全部案件中有过查封（`查封`、`车辆`）、且该车辆在 `vehicle_events` 中有任何记录的对。
#    以完整模型的清单为参照，计算粗筛清单的精确率 `rough_precision`（粗筛清单中属于参照清单的比例）与召回率
#    `rough_recall`（参照清单中被粗筛找到的比例），都是浮点数。
# 3. 画一张横向条形图 `fig`：四根条依次为粗筛清单与三个筛选步骤的数量，横轴“（案件，车辆）对的个数”，中文标题；用
#    `show` 函数显示，第二个参数是说明图中数字的中文替代文字，保存为 `fig_alt`。
#
# 本题请重新计算完整模型的清单（可以复制第 1 或第 2 题的代码），不要使用前面题目的变量。

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[cases["closing_method"] == ZHONGBEN, ["case_id", "closing_date"]]
_own = actions[actions["case_id"].isin(_zb["case_id"])].merge(_zb, on="case_id")
_own = _own[_own["action_date"] <= _own["closing_date"]]
_seal = (
    _own[(_own["action_type"] == "查封") & (_own["asset_type"] == "车辆")]
    .groupby(["case_id", "asset_id"], as_index=False)
    .agg(seal_date=("action_date", "min"), t=("closing_date", "first"))
)
_seized = _own.loc[_own["action_type"] == "扣押", ["case_id", "asset_id"]].drop_duplicates()
_open = _seal.merge(_seized, how="left", indicator=True)
_open = _open[_open["_merge"] == "left_only"]
_ev = _open.merge(vehicle_events, left_on="asset_id", right_on="vehicle_id")
_ev = _ev[(_ev["event_date"] > _ev["seal_date"]) & (_ev["event_date"] <= _ev["t"])]
_model = set(zip(_ev["case_id"], _ev["asset_id"], strict=True))
vehicle_steps = pd.Series(
    {"终本前查封的车辆": len(_seal), "其中本案未扣押": len(_open), "其中查封后至终本有记录": len(_model)}
)
_any_seal = actions.loc[(actions["action_type"] == "查封") & (actions["asset_type"] == "车辆"), ["case_id", "asset_id"]]
_any_seal = _any_seal.drop_duplicates()
_any_seal = _any_seal[_any_seal["asset_id"].isin(vehicle_events["vehicle_id"])]
_rough = set(zip(_any_seal["case_id"], _any_seal["asset_id"], strict=True))
rough_precision = len(_rough & _model) / len(_rough)
rough_recall = len(_rough & _model) / len(_model)

_bars = pd.concat([pd.Series({"粗筛：任一案件查封且有记录": len(_rough)}), vehicle_steps])
fig, ax = plt.subplots(figsize=(7.5, 3.2))
ax.barh(_bars.index[::-1], _bars.to_numpy()[::-1], color=["tab:red", "tab:blue", "tab:blue", "tab:gray"])
for _y, _v in enumerate(_bars.to_numpy()[::-1]):
    ax.text(_v, _y, f" {_v:,}", va="center", fontsize=8)
ax.set_xlabel("（案件，车辆）对的个数")
ax.set_title("车辆“查而不扣”模型的逐步筛选与粗筛规则")
fig_alt = (
    f"横向条形图：粗筛规则（任一案件查封且有任何通行记录）得到 {len(_rough):,} 对；完整模型逐步筛选，终本前查封的车辆 "
    f"{vehicle_steps.iloc[0]:,} 对，其中本案未扣押 {vehicle_steps.iloc[1]:,} 对，其中查封后至终本有记录 "
    f"{vehicle_steps.iloc[2]:,} 对。粗筛的精确率 {rough_precision:.1%}，召回率 {rough_recall:.1%}。"
)
show(fig, fig_alt)
### END SOLUTION
vehicle_steps, round(rough_precision, 3), round(rough_recall, 3)

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 4} jianlab={"exports": {"vehicle_steps": "series", "rough_precision": "scalar", "rough_recall": "scalar"}}
import matplotlib.figure

_labels = ["终本前查封的车辆", "其中本案未扣押", "其中查封后至终本有记录"]
assert isinstance(vehicle_steps, pd.Series) and list(vehicle_steps.index) == _labels, f"vehicle_steps 的索引应为 {_labels}"
assert vehicle_steps.is_monotonic_decreasing, "每一步只会去掉对，数量不应增加"
_all_seals = actions[(actions["action_type"] == "查封") & (actions["asset_type"] == "车辆")].drop_duplicates(["case_id", "asset_id"])
assert vehicle_steps.iloc[0] < len(_all_seals), "第一步只数终本案件、且在终本前查封的车辆"
for _v in (rough_precision, rough_recall):
    assert isinstance(_v, float) and 0 <= _v <= 1, "精确率与召回率都是 0 到 1 之间的浮点数"
assert rough_precision < 1, "粗筛清单比完整模型宽得多：精确率应低于 1"
assert rough_recall > rough_precision, "粗筛规则只会多找、不会少找：召回率是否与精确率算反了？"
assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes[0].patches) == 4, "图中应有四根条"
assert any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_xlabel() + fig.axes[0].get_title()), "横轴与标题应为中文"
assert isinstance(fig_alt, str) and len(fig_alt) >= 30, "请用 fig_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-teaching")
_c = read_table(_ref, "enforcement_cases", ["case_id", "closing_date", "closing_method"])
_a = read_table(_ref, "enforcement_actions", ["case_id", "action_type", "action_date", "asset_type", "asset_id"])
_e = read_table(_ref, "vehicle_events", ["vehicle_id"])
_zb = _c[_c["closing_method"] == "终结本次执行程序"]
_o = _a.merge(_zb, on="case_id")
_o = _o[_o["action_date"] <= _o["closing_date"]]
_s = _o[(_o["action_type"] == "查封") & (_o["asset_type"] == "车辆")].drop_duplicates(["case_id", "asset_id"])
_k = _o[_o["action_type"] == "扣押"].drop_duplicates(["case_id", "asset_id"])[["case_id", "asset_id"]]
_u = _s.merge(_k, how="left", indicator=True)
_n_open = int((_u["_merge"] == "left_only").sum())
_v = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_model = set(zip(*[_v.loc[_v["rule_id"] == "ZB-04V", c] for c in ("case_id", "asset_id")], strict=True))
_r = _a[(_a["action_type"] == "查封") & (_a["asset_type"] == "车辆")].drop_duplicates(["case_id", "asset_id"])
_r = _r[_r["asset_id"].isin(set(_e["vehicle_id"]))]
_rough = set(zip(_r["case_id"], _r["asset_id"], strict=True))
assert [int(x) for x in vehicle_steps.to_numpy()] == [len(_s), _n_open, len(_model)], "筛选步骤的数量不正确"
assert abs(rough_precision - len(_rough & _model) / len(_rough)) < 1e-9, "精确率不正确"
assert abs(rough_recall - len(_rough & _model) / len(_model)) < 1e-9, "召回率不正确"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，3 分）：保单现金价值模型（SQL）
#
# 终本规定第一条第（三）项要求处置已发现的财产；保单现金价值可以扣划（（2020）最高法执复 71 号）。用 SQL 找出：
# **终本案件**中，本案终本前**冻结**了被执行人的保单（`action_type == "冻结"`，`asset_type == "保险"`），本案终本前
# 从未**扣划**该保单，且保单现金价值不低于 `MIN_VALUE` 元。保存为 `policy_leads_sql`，每个（案件、保单）一行，列：
# `case_id`、`policy_id`、`cash_value`。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_sql = """
WITH zb AS (SELECT case_id, closing_date FROM cases WHERE closing_method = ?),
own AS (
    SELECT a.* FROM actions a JOIN zb USING (case_id) WHERE a.action_date <= zb.closing_date
),
frozen AS (SELECT DISTINCT case_id, asset_id FROM own WHERE action_type = '冻结' AND asset_type = '保险'),
taken AS (SELECT DISTINCT case_id, asset_id FROM own WHERE action_type = '扣划')
SELECT f.case_id, f.asset_id AS policy_id, p.cash_value
FROM frozen f JOIN policies p ON p.policy_id = f.asset_id
WHERE p.cash_value >= ?
  AND NOT EXISTS (SELECT 1 FROM taken t WHERE t.case_id = f.case_id AND t.asset_id = f.asset_id)
ORDER BY f.case_id, f.asset_id
"""
policy_leads_sql = con.execute(_sql, [ZHONGBEN, MIN_VALUE]).df()
### END SOLUTION
len(policy_leads_sql), policy_leads_sql.head()

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 3} jianlab={"exports": {"policy_leads_sql": "dataframe"}}
check_list(policy_leads_sql, ["case_id", "policy_id", "cash_value"], ["case_id", "policy_id"])
assert (policy_leads_sql["cash_value"] >= MIN_VALUE).all(), "现金价值低于门槛 MIN_VALUE 的保单不计入"
_p = policy_leads_sql.astype({"case_id": str, "policy_id": str})
_acts_p = actions[actions["case_id"].isin(_p["case_id"])]
_acts_p = _acts_p[_acts_p["action_date"] <= _acts_p["case_id"].map(cases.set_index("case_id")["closing_date"])]
_keys_p = pd.MultiIndex.from_frame(_p[["case_id", "policy_id"]])
assert _keys_p.isin(pd.MultiIndex.from_frame(_acts_p.loc[_acts_p["action_type"].eq("冻结"), ["case_id", "asset_id"]])).all(), "每一行都应是本案终本前冻结的保单：终本后的冻结不算"
assert not _keys_p.isin(pd.MultiIndex.from_frame(_acts_p.loc[_acts_p["action_type"].eq("扣划"), ["case_id", "asset_id"]])).any(), "已经扣划的保单不是线索"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import truth_dir

_truth = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_truth = _truth[_truth["rule_id"] == "ZB-04I"]
_want = set(zip(_truth["case_id"], _truth["asset_id"], strict=True))
_got = set(zip(policy_leads_sql["case_id"].astype(str), policy_leads_sql["policy_id"].astype(str), strict=True))
assert not (_got - _want), "清单中有不是线索的保单（精确率低于 1）"
assert not (_want - _got), "漏掉了线索（召回率低于 1）"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，3 分）：保单现金价值模型（pandas）
#
# 用 pandas 重写第 4 题，结果保存为 `policy_leads_pd`，列与第 4 题相同。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[cases["closing_method"] == ZHONGBEN, ["case_id", "closing_date"]]
_own = actions[actions["case_id"].isin(_zb["case_id"])].merge(_zb, on="case_id")
_own = _own[_own["action_date"] <= _own["closing_date"]]
_frozen = _own.loc[(_own["action_type"] == "冻结") & (_own["asset_type"] == "保险"), ["case_id", "asset_id"]]
_taken = _own.loc[_own["action_type"] == "扣划", ["case_id", "asset_id"]].drop_duplicates()
_left = _frozen.drop_duplicates().merge(_taken, how="left", indicator=True)
_left = _left[_left["_merge"] == "left_only"].drop(columns="_merge")
policy_leads_pd = _left.merge(policies[["policy_id", "cash_value"]], left_on="asset_id", right_on="policy_id")
policy_leads_pd = policy_leads_pd.loc[policy_leads_pd["cash_value"] >= MIN_VALUE, ["case_id", "policy_id", "cash_value"]]
policy_leads_pd = policy_leads_pd.sort_values(["case_id", "policy_id"], ignore_index=True)
### END SOLUTION
len(policy_leads_pd), policy_leads_pd.head()

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 3} jianlab={"exports": {"policy_leads_pd": "dataframe"}}
check_list(policy_leads_pd, ["case_id", "policy_id", "cash_value"], ["case_id", "policy_id"])
assert (policy_leads_pd["cash_value"] >= MIN_VALUE).all(), "现金价值低于门槛 MIN_VALUE 的保单不计入"
_p = policy_leads_pd.astype({"case_id": str, "policy_id": str})
_acts_p = actions[actions["case_id"].isin(_p["case_id"])]
_acts_p = _acts_p[_acts_p["action_date"] <= _acts_p["case_id"].map(cases.set_index("case_id")["closing_date"])]
_keys_p = pd.MultiIndex.from_frame(_p[["case_id", "policy_id"]])
assert _keys_p.isin(pd.MultiIndex.from_frame(_acts_p.loc[_acts_p["action_type"].eq("冻结"), ["case_id", "asset_id"]])).all(), "每一行都应是本案终本前冻结的保单：终本后的冻结不算"
assert not _keys_p.isin(pd.MultiIndex.from_frame(_acts_p.loc[_acts_p["action_type"].eq("扣划"), ["case_id", "asset_id"]])).any(), "已经扣划的保单不是线索"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import truth_dir

_truth = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_truth = _truth[_truth["rule_id"] == "ZB-04I"]
_want = set(zip(_truth["case_id"], _truth["asset_id"], strict=True))
_got = set(zip(policy_leads_pd["case_id"].astype(str), policy_leads_pd["policy_id"].astype(str), strict=True))
assert not (_got - _want), "清单中有不是线索的保单（精确率低于 1）"
assert not (_want - _got), "漏掉了线索（召回率低于 1）"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（自动评分，4 分）：登记财产的带财终本筛查
#
# 带财终本是**违规**（终本规定第一条第（三）项）。本题只筛登记财产（车辆、不动产），SQL 或 pandas 任选。一个
# （终本案件、财产）对命中，如果符合下列**任一**条：
#
# - **（甲）未受约束的登记财产**：在本案终本前**最后一次网络查控之日 Q**（本案没有网络查控时取立案日）该财产属于
#   被执行人；在 T 时本案对它没有有效控制措施（本案终本前的查封、轮候查封、续封、扣押、冻结，且 `term_end` 为空或
#   不早于 T），本案终本前也没有扣划、拍卖成交、变卖、以物抵债；不动产另须估值高于抵押担保金额、且不是唯一住房。
# - **（乙）首封不动产未处置**：本案终本前**查封**（`查封`，`不动产`）的不动产，在 T 前本案或其原案（恢复执行案件的
#   `origin_case_id`）从未拍卖、变卖或以物抵债（`action_type` 为 `拍卖`、`变卖`、`以物抵债`）；估值高于抵押担保金额、
#   且不是唯一住房（无益拍卖与唯一住房是两种法定例外）。
#
# **某日的所有人**：`vehicles`、`estates` 的 `owner_id` 是**数据截止日**的所有人，不是 Q 日的所有人。Q 日的所有人 =
# 该财产在 Q 日（含）前最后一次过户（`transfers`）的新所有人；Q 日前没有过户时，是首次登记的所有人（该财产最早一次
# 过户的原所有人；从未过户时就是 `owner_id`）。立案前已过户给别人（包括亲属）的财产，终本时不是被执行人的财产。
#
# 保存为 `zb_registry`：每个（案件、财产）一行，列 `case_id`、`asset_id`、`basis`（`"甲"` 或 `"乙"`；两条都符合时写
# `"乙"`）。

# %% nbgrader={"grade_id": "q6_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[cases["closing_method"] == ZHONGBEN,
                ["case_id", "respondent_id", "filing_date", "closing_date", "origin_case_id"]]
_own = actions[actions["case_id"].isin(_zb["case_id"])].merge(_zb[["case_id", "closing_date"]], on="case_id")
_own = _own[_own["action_date"] <= _own["closing_date"]]
_q = _own[_own["action_type"] == "网络查控"].groupby("case_id")["action_date"].max()
_zb = _zb.assign(q=_zb["case_id"].map(_q))
_zb["q"] = _zb["q"].fillna(_zb["filing_date"])

# 所有权的各段：首次登记的所有人，以及每次过户后的新所有人
_registry = pd.concat([
    vehicles.rename(columns={"vehicle_id": "asset_id"}).assign(kind="车辆"),
    estates.rename(columns={"property_id": "asset_id"}).assign(kind="不动产"),
])
_moves = transfers.sort_values("transfer_date")
_first_owner = _moves.groupby("asset_id")["from_owner_id"].first()
_spells = pd.concat([
    pd.DataFrame({"asset_id": _registry["asset_id"],
                  "owner": _registry["asset_id"].map(_first_owner).fillna(_registry["owner_id"]),
                  "since": _registry["registered_date"]}),
    pd.DataFrame({"asset_id": _moves["asset_id"], "owner": _moves["to_owner_id"], "since": _moves["transfer_date"]}),
]).sort_values(["asset_id", "since"])
_spells["until"] = _spells.groupby("asset_id")["since"].shift(-1)
_held = _zb.merge(_spells, left_on="respondent_id", right_on="owner")
_held = _held[(_held["since"] <= _held["q"]) & (_held["until"].isna() | (_held["until"] > _held["q"]))]
_held = _held.merge(_registry[["asset_id", "kind", "est_value", "mortgage_amount", "sole_residence"]], on="asset_id")
_est = _held["kind"] == "不动产"
_held = _held[~_est | ((_held["est_value"] > _held["mortgage_amount"]) & ~_held["sole_residence"].astype(bool))]
_live = _own["action_type"].isin(["查封", "轮候查封", "续封", "扣押", "冻结"]) & (
    _own["term_end"].isna() | (_own["term_end"] >= _own["closing_date"]))
_bound = _own.loc[_live | _own["action_type"].isin(["扣划", "拍卖成交", "变卖", "以物抵债"]), ["case_id", "asset_id"]]
_a = _held[["case_id", "asset_id"]].merge(_bound.drop_duplicates(), how="left", indicator=True)
_a = _a.loc[_a["_merge"] == "left_only", ["case_id", "asset_id"]].assign(basis="甲")

_seals = _own.loc[(_own["action_type"] == "查封") & (_own["asset_type"] == "不动产"), ["case_id", "asset_id", "closing_date"]]
_seals = _seals.drop_duplicates(["case_id", "asset_id"]).merge(_zb[["case_id", "origin_case_id"]], on="case_id")
_tries = actions.loc[actions["action_type"].isin(["拍卖", "变卖", "以物抵债"]), ["case_id", "asset_id", "action_date"]]
_hit = _tries.merge(_seals, on="asset_id", suffixes=("_try", ""))
_hit = _hit[(_hit["action_date"] <= _hit["closing_date"])
            & ((_hit["case_id_try"] == _hit["case_id"]) | (_hit["case_id_try"] == _hit["origin_case_id"]))]
_b = _seals.merge(_hit[["case_id", "asset_id"]].drop_duplicates(), how="left", indicator=True)
_b = _b[_b["_merge"] == "left_only"].merge(estates, left_on="asset_id", right_on="property_id")
_b = _b.loc[(_b["est_value"] > _b["mortgage_amount"]) & ~_b["sole_residence"].astype(bool), ["case_id", "asset_id"]]
zb_registry = pd.concat([_a, _b.assign(basis="乙")]).drop_duplicates(["case_id", "asset_id"], keep="last")
zb_registry = zb_registry.sort_values(["case_id", "asset_id"], ignore_index=True)
### END SOLUTION
zb_registry["basis"].value_counts()

# %% nbgrader={"grade_id": "q6_tests", "grade": true, "points": 4} jianlab={"exports": {"zb_registry": "dataframe"}}
check_list(zb_registry, ["case_id", "asset_id", "basis"], ["case_id", "asset_id"])
assert set(zb_registry["basis"]) <= {"甲", "乙"}, "basis 只取 “甲” 或 “乙”"
_est = estates.set_index("property_id")
_rows = zb_registry[zb_registry["asset_id"].isin(_est.index)]
assert not _est.loc[_rows["asset_id"], "sole_residence"].astype(bool).any(), "唯一住房可以查封、不得拍卖：不计入带财终本"
assert (_est.loc[_rows["asset_id"], "est_value"] > _est.loc[_rows["asset_id"], "mortgage_amount"]).all(), "抵押担保额不低于估值的不动产属无益拍卖：不计入"
_rel = transfers[transfers["reason"].isin(["赠与", "买卖"])]
_resp = zb_registry.merge(cases[["case_id", "respondent_id", "filing_date"]], on="case_id")
_gone = _resp.merge(_rel, left_on=["asset_id", "respondent_id"], right_on=["asset_id", "from_owner_id"])
assert not (_gone["transfer_date"] < _gone["filing_date"]).any(), "立案前已过户给他人的财产，终本时不属于被执行人：按所有权历史判断 Q 日的所有人，不要看“曾经登记在谁名下”"
assert zb_registry["asset_id"].isin(pd.concat([vehicles["vehicle_id"], estates["property_id"]])).all(), "本题只筛车辆与不动产"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-teaching")
_reg = set(read_table(_ref, "vehicles", ["vehicle_id"])["vehicle_id"]) | set(read_table(_ref, "real_estate", ["property_id"])["property_id"])
_truth = read_table(truth_dir("enforcement-teaching").parent, "_truth/violations")
_truth = _truth[(_truth["rule_id"] == "ZB-04") & _truth["asset_id"].isin(_reg)]
_want = set(zip(_truth["case_id"], _truth["asset_id"], strict=True))
_got = set(zip(zb_registry["case_id"].astype(str), zb_registry["asset_id"].astype(str), strict=True))
assert not (_got - _want), "清单中有不是带财终本的财产（精确率低于 1）"
assert not (_want - _got), "漏掉了带财终本的财产（召回率低于 1）"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 7 题（自动评分，3 分）：终本前转给亲属的股权
#
# 被执行人在立案前后把自己持有的公司股权转给亲属，终本时名下已无股权，却可能是规避执行（可以考虑债权人撤销权诉讼，
# 情节严重的拒不执行判决、裁定罪线索）。`shareholders` 记录每段持股：一次转让表现为原股东的一段持股在某日结束
# （`to_date`），另一名自然人股东在**同一日**开始持有**同一公司、同一比例**的股份（`from_date`）。
#
# 找出**终本案件**的自然人被执行人在**终本日（含）之前**转出的全部股权，保存为 `equity_moves`：每个（案件、公司、受让人）
# 一行，列 `case_id`、`company_id`、`to_person_id`、`transfer_date`、`share_pct`、`same_surname`（受让人与被执行人
# 姓名的第一个字相同，布尔值）。同一被执行人在几件终本案件中，每件案件各列一次。
#
# 数据没有亲属关系表：`same_surname` 只是佐证——父母、子女、兄弟姐妹通常同姓，配偶通常不同姓，复姓与改姓也会让它出错。
# 认定“亲属”需要户籍、婚姻登记等数据（见第 9 题）。

# %% nbgrader={"grade_id": "q7_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[(cases["closing_method"] == ZHONGBEN) & (cases["respondent_type"] == "自然人"),
                ["case_id", "respondent_id", "closing_date"]]
_out = shareholders[shareholders["to_date"].notna()].merge(_zb, left_on="holder_id", right_on="respondent_id")
_out = _out[_out["to_date"] <= _out["closing_date"]]
_in = shareholders.loc[shareholders["holder_type"] == "自然人", ["company_id", "holder_id", "share_pct", "from_date"]]
_in = _in.rename(columns={"holder_id": "to_person_id", "from_date": "to_date"})
equity_moves = _out.merge(_in, on=["company_id", "to_date", "share_pct"])
equity_moves = equity_moves[equity_moves["to_person_id"] != equity_moves["respondent_id"]]
_names = persons.set_index("person_id")["name"]
equity_moves = equity_moves.assign(
    transfer_date=equity_moves["to_date"],
    same_surname=equity_moves["respondent_id"].map(_names).str[0] == equity_moves["to_person_id"].map(_names).str[0],
)[["case_id", "company_id", "to_person_id", "transfer_date", "share_pct", "same_surname"]]
equity_moves = equity_moves.drop_duplicates(["case_id", "company_id", "to_person_id"]).sort_values(["case_id", "company_id"], ignore_index=True)
### END SOLUTION
len(equity_moves), equity_moves["same_surname"].mean()

# %% nbgrader={"grade_id": "q7_tests", "grade": true, "points": 3} jianlab={"exports": {"equity_moves": "dataframe"}}
check_list(equity_moves, ["case_id", "company_id", "to_person_id", "transfer_date", "share_pct", "same_surname"],
           ["case_id", "company_id", "to_person_id"])
_m = equity_moves.merge(cases[["case_id", "closing_date", "respondent_id"]], on="case_id")
assert (pd.to_datetime(_m["transfer_date"]) <= _m["closing_date"]).all(), "只看终本日（含）之前的转让"
assert (_m["to_person_id"] != _m["respondent_id"]).all(), "受让人不能是被执行人自己"
assert equity_moves["same_surname"].dtype == bool, "same_surname 应为布尔列"
assert 0 < equity_moves["same_surname"].mean() < 1, "配偶通常不同姓：same_surname 不应全真或全假，是否比较了正确的两个人？"
### BEGIN HIDDEN TESTS
from synthgen import read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-teaching")
_c = read_table(_ref, "enforcement_cases", ["case_id", "respondent_id", "closing_date", "closing_method"])
_c = _c[_c["closing_method"] == "终结本次执行程序"]
_t = read_table(truth_dir("enforcement-teaching").parent, "_truth/equity_transfers")
_t = _t.merge(_c, left_on="from_person_id", right_on="respondent_id", suffixes=("_truth", ""))
_t = _t[_t["transfer_date"] <= _t["closing_date"]]
_want = set(zip(_t["case_id"], _t["company_id"], _t["to_person_id"], strict=True))
_got = set(zip(*[equity_moves[c].astype(str) for c in ("case_id", "company_id", "to_person_id")], strict=True))
assert not (_got - _want), "清单中有不是转给亲属的股权（精确率低于 1）"
assert not (_want - _got), "漏掉了转给亲属的股权（召回率低于 1）"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 8 题（自动评分，6 分）：失信还是失能？限制消费令之后的高消费
#
# 终本的自然人被执行人中，有的隐匿财产、**有能力而拒不履行**（口语中的“失信”），有的确实**没有履行能力**（“失能”）。
# 对前者，检察机关可以建议法院恢复执行、对违反限制消费令的消费依法罚款拘留，情节严重的还是
# 拒不执行判决、裁定罪的线索；对后者，继续强制只会浪费执行力量。`consumption` 是终本被执行人名下的高消费记录
# （民航、铁路、住宿、学校、保险数据；类别对应限制高消费规定第三条第一款各项）。
#
# **人群**：以终本结案的**首次执行**案件中，被执行人为自然人、且本案在终本日（含）前发出过限制消费令的案件，每案一行。
# **令日 O** = 本案第一次限制消费令的日期（`actions` 中 `action_type == "限制消费令"`）。
#
# **信号**：
#
# - 只算令日**之后**（消费日期晚于 O；数据中令日当天没有记录）：限制消费令之前坐飞机、住宾馆都是合法的，也说明不了
#   现在有没有钱；
# - 只算**被执行人本人付款**（`payer_id` 等于被执行人编号）：单位因公出差买的机票、亲属代付的费用，说明不了被执行人
#   自己有隐匿的财产。`person_id` 是记录登记在谁名下（乘机人、住客），不是谁付的钱；
# - `years` = 令日至数据截止日 `AS_OF` 的天数 ÷ 365.25，`rate` = `n_own_after` ÷ `years`（每年次数），让令日早晚
#   不同的人可以相互比较。
#
# 1. 保存 `spend_signals`：每案一行，列 `case_id`、`respondent_id`、`order_date`（O）、`n_own_after`（令日之后本人
#    付款的记录数，没有记录的为 0）、`years`、`rate`。（3 分）
# 2. 选一条划线 `RATE_CUT`（浮点数，每年次数），把 `rate` 不低于它的被执行人列为“有能力而拒不履行”的嫌疑名单，保存为
#    `shixin_list`（列 `case_id`、`respondent_id`）。隐藏测试用埋设的真值检查名单：**精确率不低于 0.75、召回率不低于
#    0.6** 才得分。你看不到真值，只能从数据判断：先画 `rate` 的直方图（很多人是 0，另一群人每年几次），再想清楚两种
#    错误的代价——把失能者列进名单（浪费核查力量、误伤），与漏掉失信者。（3 分）
#
# 提示：`groupby(...).size()` 之后用 `reindex(..., fill_value=0)` 让没有记录的人得到 0；名单只是**线索**，列入名单
# 的人还要逐一调查核实（资金流水、付款账户），才能认定拒不履行。

# %% nbgrader={"grade_id": "q8a_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[(cases["closing_method"] == ZHONGBEN) & (cases["respondent_type"] == "自然人")
                & (cases["case_type"] == "首次执行"), ["case_id", "respondent_id", "closing_date"]]
_orders = actions[actions["action_type"] == "限制消费令"].merge(_zb, on="case_id")
_orders = (
    _orders[_orders["action_date"] <= _orders["closing_date"]]
    .groupby(["case_id", "respondent_id"], as_index=False)["action_date"].min()
    .rename(columns={"action_date": "order_date"})
)
_rec = consumption.merge(_orders, left_on="person_id", right_on="respondent_id")
_rec = _rec[(_rec["record_date"] > _rec["order_date"]) & (_rec["payer_id"] == _rec["respondent_id"])]
spend_signals = _orders.assign(
    n_own_after=_rec.groupby("case_id").size().reindex(_orders["case_id"], fill_value=0).to_numpy(),
    years=(AS_OF - _orders["order_date"]).dt.days / 365.25,
)
spend_signals["rate"] = spend_signals["n_own_after"] / spend_signals["years"]
### END SOLUTION
len(spend_signals), spend_signals["rate"].describe().round(2)

# %% nbgrader={"grade_id": "q8a_tests", "grade": true, "points": 3} jianlab={"exports": {"spend_signals": "dataframe"}}
assert isinstance(spend_signals, pd.DataFrame), "spend_signals 应为 pandas.DataFrame"
_cols8 = ["case_id", "respondent_id", "order_date", "n_own_after", "years", "rate"]
assert set(_cols8) <= set(spend_signals.columns), f"应有列 {_cols8}"
assert not spend_signals.duplicated("case_id").any(), "每案一行：合并之后是否忘了汇总？"
_pop8 = cases[(cases["closing_method"] == ZHONGBEN) & (cases["respondent_type"] == "自然人") & (cases["case_type"] == "首次执行")]
assert spend_signals["case_id"].isin(_pop8["case_id"]).all(), "只看以终本结案的首次执行案件中的自然人被执行人"
_first8 = actions[actions["action_type"] == "限制消费令"].groupby("case_id")["action_date"].min()
assert (pd.to_datetime(spend_signals["order_date"]).to_numpy() == spend_signals["case_id"].map(_first8).to_numpy()).all(), "order_date 应是本案第一次限制消费令的日期"
_s8 = spend_signals.astype({"case_id": str, "respondent_id": str}).assign(order_date=pd.to_datetime(spend_signals["order_date"]))
_r8 = consumption.merge(_s8[["case_id", "respondent_id", "order_date"]], left_on="person_id", right_on="respondent_id")
_after8 = _r8[_r8["record_date"] > _r8["order_date"]].groupby("case_id").size().reindex(_s8["case_id"], fill_value=0).to_numpy()
_own8 = _r8[_r8["payer_id"] == _r8["person_id"]].groupby("case_id").size().reindex(_s8["case_id"], fill_value=0).to_numpy()
assert (_s8["n_own_after"].to_numpy() <= _after8).all(), "是否把限制消费令之前的记录也算进去了？令前的消费是合法的，不是信号"
assert (_s8["n_own_after"].to_numpy() <= _own8).all(), "是否把单位或他人付款的记录也算作被执行人本人的消费？看 payer_id，不看 person_id"
assert (_s8["years"] > 0).all() and np.allclose(_s8["years"], (AS_OF - _s8["order_date"]).dt.days / 365.25), "years 应为令日至数据截止日 AS_OF 的天数 ÷ 365.25"
assert np.allclose(_s8["rate"], _s8["n_own_after"] / _s8["years"]), "rate 应为 n_own_after ÷ years"
### BEGIN HIDDEN TESTS
import json

import numpy as np
import pandas as pd
from synthgen import read_arrow, read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("enforcement-teaching")
_end = pd.Timestamp(json.loads((_ref / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
_c = read_table(_ref, "enforcement_cases", ["case_id", "case_type", "respondent_id", "respondent_type", "closing_date", "closing_method"])
_c = _c[(_c["closing_method"] == "终结本次执行程序") & (_c["respondent_type"] == "自然人") & (_c["case_type"] == "首次执行")]
_a = read_arrow(_ref, "enforcement_actions", ["case_id", "action_type", "action_date"]).to_pandas(date_as_object=False)
_o = _a[_a["action_type"] == "限制消费令"].merge(_c, on="case_id")
_o = _o[_o["action_date"] <= _o["closing_date"]].groupby(["case_id", "respondent_id"], as_index=False)["action_date"].min()
_r = read_table(_ref, "consumption_records", ["person_id", "record_date", "payer_id"]).merge(_o, left_on="person_id", right_on="respondent_id")
_n = _r[(_r["record_date"] > _r["action_date"]) & (_r["payer_id"] == _r["person_id"])].groupby("case_id").size()
_want = _o.assign(n=_o["case_id"].map(_n).fillna(0), y=(_end - _o["action_date"]).dt.days / 365.25).set_index("case_id")
_got = spend_signals.assign(case_id=spend_signals["case_id"].astype(str)).set_index("case_id")
assert set(_got.index) == set(_want.index), "人群不对：应是终本首次执行案件中发出过限制消费令的自然人被执行人"
_got = _got.loc[_want.index]
assert (_got["n_own_after"].to_numpy() == _want["n"].to_numpy()).all(), "n_own_after 不正确"
assert np.allclose(_got["years"].to_numpy(float), _want["y"].to_numpy()), "years 不正确"
assert np.allclose(_got["rate"].to_numpy(float), (_want["n"] / _want["y"]).to_numpy()), "rate 不正确"
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "q8b_answer", "solution": true}
### BEGIN SOLUTION
_zb = cases.loc[(cases["closing_method"] == ZHONGBEN) & (cases["respondent_type"] == "自然人")
                & (cases["case_type"] == "首次执行"), ["case_id", "respondent_id", "closing_date"]]
_orders = actions[actions["action_type"] == "限制消费令"].merge(_zb, on="case_id")
_orders = _orders[_orders["action_date"] <= _orders["closing_date"]].groupby(["case_id", "respondent_id"], as_index=False)["action_date"].min()
_rec = consumption.merge(_orders, left_on="person_id", right_on="respondent_id")
_rec = _rec[(_rec["record_date"] > _rec["action_date"]) & (_rec["payer_id"] == _rec["respondent_id"])]
_rate = _rec.groupby("case_id").size().reindex(_orders["case_id"], fill_value=0).to_numpy() / (
    (AS_OF - _orders["action_date"]).dt.days.to_numpy() / 365.25)
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.hist(np.minimum(_rate, 12), bins=48, color="tab:blue")
ax.set_xlabel("限制消费令之后本人付款的高消费（次/年，12 以上并入最后一格）")
ax.set_ylabel("被执行人数")
ax.set_title("终本被执行人令后本人高消费的分布")
# 失能者令后几乎不自费高消费（大多为 0，偶有一两次），失信者每年几次：每年 1 次的划线把前者大多留在线下，
# 又不会漏掉太多后者；划得更低会把偶尔出行一次的失能者列进名单，划得更高会漏掉消费较少的失信者。
RATE_CUT = 1.0
ax.axvline(RATE_CUT, color="tab:red", linestyle="--", label=f"划线：每年 {RATE_CUT:g} 次")
ax.legend()
show(fig, f"直方图：{len(_rate):,} 名终本被执行人限制消费令之后本人付款的高消费次数（每年），{(_rate == 0).mean():.0%} 为 0；"
          f"红色虚线为划线每年 {RATE_CUT:g} 次，线上 {(_rate >= RATE_CUT).sum():,} 人。")
shixin_list = _orders.loc[_rate >= RATE_CUT, ["case_id", "respondent_id"]].reset_index(drop=True)
### END SOLUTION
RATE_CUT, len(shixin_list)

# %% nbgrader={"grade_id": "q8b_tests", "grade": true, "points": 3} jianlab={"exports": {"shixin_list": "dataframe"}}
assert isinstance(RATE_CUT, float) and RATE_CUT > 0, "RATE_CUT 应为正的浮点数（每年次数）"
assert isinstance(shixin_list, pd.DataFrame) and {"case_id", "respondent_id"} <= set(shixin_list.columns), "shixin_list 应为含 case_id、respondent_id 列的 DataFrame"
assert not shixin_list.duplicated("case_id").any(), "每案只列一次"
_ord9 = actions[actions["action_type"] == "限制消费令"].groupby("case_id")["action_date"].min().rename("order_date")
_pop9 = cases[(cases["closing_method"] == ZHONGBEN) & (cases["respondent_type"] == "自然人") & (cases["case_type"] == "首次执行")]
_pop9 = _pop9.join(_ord9, on="case_id").dropna(subset=["order_date"])
_l9 = shixin_list.astype({"case_id": str, "respondent_id": str})
assert _l9["case_id"].isin(_pop9["case_id"]).all(), "名单只含终本首次执行案件中发出过限制消费令的自然人被执行人"
assert 0.05 <= len(_l9) / len(_pop9) <= 0.8, "名单几乎为空或几乎包括所有人：划线是否合理？先看 rate 的分布"
_r9 = consumption.merge(_pop9[["case_id", "respondent_id", "order_date"]], left_on="person_id", right_on="respondent_id")
_r9 = _r9[(_r9["record_date"] > _r9["order_date"]) & (_r9["payer_id"] == _r9["person_id"])]
assert _l9["case_id"].isin(_r9["case_id"]).all(), "名单中有人在限制消费令之后没有任何本人付款的高消费记录：是否把令前的记录或他人付款的记录也算进去了？"
### BEGIN HIDDEN TESTS
from synthgen import read_arrow, read_table

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-teaching")
_a = read_arrow(_ref, "enforcement_actions", ["case_id", "action_type"]).to_pandas()
_ordered = set(_a.loc[_a["action_type"] == "限制消费令", "case_id"])
_t = read_table(truth_dir("enforcement-teaching").parent, "_truth/payment_ability", ["case_id", "able"])
_t = _t[_t["case_id"].isin(_ordered)]  # without a 限制消费令 there is no signal to read
_able = set(_t.loc[_t["able"].astype(bool), "case_id"])
_got = set(shixin_list["case_id"].astype(str))
_hit = len(_got & _able)
assert _got and _hit / len(_got) >= 0.75, "名单的精确率低于 0.75：列入了太多无履行能力的人"
assert _hit / len(_able) >= 0.6, "名单的召回率低于 0.6：漏掉了太多有能力而拒不履行的人"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 9 题（人工评分，6 分）：成果转化清单
#
# 把本实验的车辆“查而不扣”模型（可以连同保单模型、带财终本筛查一起）写成一条**成果转化清单**，供检察院与法院的
# 检校（检法）协同项目试点，600—1000 字，用下列五个小标题：
#
# 1. **数据来源**：每类数据来自哪个单位、通过什么渠道取得、多久更新一次、涉及哪些个人信息以及如何脱敏；
# 2. **规则**：用你在第 1、4、6 题写的条件，逐条写出，并注明法律依据（条、款、项）；说明哪些是线索、哪些是违规；
# 3. **产出**：清单的字段、每条线索附哪些证据、在本数据上的数量（引用你算出的数字）、粗筛与完整模型的差别（第 3 题）；
# 4. **试点方式**：在哪一级院、哪个部门、多长时间试点，线索如何移送与核实（调查核实、检察建议、回复期限），用什么
#    指标评价（核实属实率、恢复执行与执行到位金额）；
# 5. **风险**：数据延迟与错误（过户登记滞后、号牌识别错误）、真实数据中的精确率不会是合成数据上的 1、个人信息保护、
#    对法院正常执行工作的干扰；第 7 题的股权线索、第 8 题的失信名单还缺什么数据才能认定。

# %% [markdown] nbgrader={"grade_id": "q9_essay", "grade": true, "solution": true, "points": 6}
# ### BEGIN SOLUTION
# **参考答案（教师范文）：成果转化清单——终本案件车辆“查而不扣”与保单现金价值监督模型**
#
# **一、数据来源。** 法院执行案件信息（案件、结案方式、执行行为及措施期限），经检法数据共享协议按月取得；公安交管的
# 机动车登记与交通违法、卡口记录，高速公路通行记录，经政法数据共享平台按月取得；不动产登记信息与保单信息经
# 网络查控系统的查询结果取得。数据含被执行人姓名、身份证号、号牌，建模前以编号替换，号牌与身份证号只在线索移送时
# 由承办检察官在内网还原。
#
# **二、规则。** （1）车辆线索：终本案件中，本案终本前查封、未扣押的车辆，查封后至终本日有通行或违法记录。终本规定
# 第四条第（二）项使这类终本本身合法，所以是监督线索：依第九条第二款应当及时恢复执行。（2）保单线索：终本前冻结、
# 从未扣划、现金价值不低于 1000 元的保单（（2020）最高法执复 71 号）。（3）带财终本（违规）：Q 日属于被执行人、T 时
# 不受约束的登记财产，以及首封后从未启动拍卖的不动产（终本规定第一条第（三）项、第四条第（一）项），按所有权历史判断
# 归属，排除唯一住房与无益拍卖。
#
# **三、产出。** 每条线索一行：案号、法院、车辆或保单编号、查封日、查封后至终本的记录条数与最近一条的时间地点、
# 终本日。本数据上车辆线索约两千条、保单线索约四千七百条、登记财产带财终本近千条。粗筛规则（任一案件查封且有记录）
# 得到的清单大数倍，精确率不足两成：不经逐条条件筛选的模型会把核实力量浪费在无效线索上。
#
# **四、试点方式。** 选一个地市级院的民事检察部门，联合两个基层院试点六个月；线索按法院分批移送，承办检察官在
# 15 日内调查核实（调阅卷宗、向交管核实车辆位置），属实的制发检察建议，要求法院在两个月内回复并恢复执行。评价指标：
# 线索核实属实率、检察建议采纳率、恢复执行件数与执行到位金额。
#
# **五、风险。** 真实数据有登记滞后与号牌识别错误，精确率不会是合成数据上的 1，须人工核实后才能制发建议；通行记录与
# 身份信息属敏感个人信息，只在内网处理、最小必要使用；线索集中移送可能干扰法院正常执行，应按法院分批、设定上限。
# 股权线索只有同姓这一弱证据，认定亲属需要户籍与婚姻登记，认定规避执行还需转让对价与资金流水。
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止后随反馈发布）
#
# 数据中每一条车辆线索（ZB-04V）、保单线索（ZB-04I）与带财终本（ZB-04）都记录在评分端的 `_truth/violations.parquet`，
# 转给亲属的股权记录在 `_truth/equity_transfers.parquet`（含亲属关系）；学生的数据副本中没有。截止日期之后，教师运行
# 本节，把每个清单相对真值的精确率与召回率随反馈发给每位同学。完整模型在合成数据上应当两者都是 1：规则与生成过程
# 逐条对应，没有测量误差。粗筛规则的精确率说明了为什么模型必须逐条写出时点与行为条件；股权一节的“同姓”与真实亲属
# 关系的对照说明了同姓只是弱证据（配偶几乎都不同姓）。第 8 题的失信名单对照 `_truth/payment_ability.parquet` 中每名
# 被执行人的潜在状态（有能力而拒不履行 / 无履行能力）：它不是逐条对应的规则，两类人的消费有重叠，任何划线都有误判，
# 下表列出几条划线各自的精确率与召回率。真实数据中的精确率只能靠逐条核实来估计。

# %% tags=["instructor"]
# 教师版：各清单相对真值的精确率与召回率（学生版不含本单元；真值只在评分端提供）。
from jianlab.grading.runtime import truth_dir

try:
    _truth_path = truth_dir("enforcement-teaching")
except FileNotFoundError as _missing:
    print(_missing)
else:
    _v = read_table(_truth_path.parent, "_truth/violations")
    _rows = []
    for _label, _name, _rule, _cols in (
        ("车辆线索（SQL）", "vehicle_leads_sql", "ZB-04V", ["case_id", "vehicle_id"]),
        ("车辆线索（pandas）", "vehicle_leads_pd", "ZB-04V", ["case_id", "vehicle_id"]),
        ("保单线索（SQL）", "policy_leads_sql", "ZB-04I", ["case_id", "policy_id"]),
        ("保单线索（pandas）", "policy_leads_pd", "ZB-04I", ["case_id", "policy_id"]),
        ("登记财产带财终本", "zb_registry", "ZB-04", ["case_id", "asset_id"]),
    ):
        _want = _v[_v["rule_id"] == _rule]
        if _rule == "ZB-04":
            _want = _want[_want["asset_id"].isin(set(vehicles["vehicle_id"]) | set(estates["property_id"]))]
        _want = set(zip(_want["case_id"], _want["asset_id"], strict=True))
        _got = set(zip(*[globals()[_name][c] for c in _cols], strict=True)) if _name in globals() else set()
        _hit = len(_got & _want)
        _rows.append({"清单": _label, "清单条数": len(_got), "真值条数": len(_want),
                      "精确率": _hit / len(_got) if _got else np.nan, "召回率": _hit / len(_want) if _want else np.nan})
    _rough = actions.loc[(actions["action_type"] == "查封") & (actions["asset_type"] == "车辆"), ["case_id", "asset_id"]]
    _rough = _rough[_rough["asset_id"].isin(vehicle_events["vehicle_id"])].drop_duplicates()
    _rough = set(zip(_rough["case_id"], _rough["asset_id"], strict=True))
    _veh = set(zip(*[_v.loc[_v["rule_id"] == "ZB-04V", c] for c in ("case_id", "asset_id")], strict=True))
    _rows.append({"清单": "粗筛规则（任一案件查封且有记录）", "清单条数": len(_rough), "真值条数": len(_veh),
                  "精确率": len(_rough & _veh) / len(_rough), "召回率": len(_rough & _veh) / len(_veh)})
    display(pd.DataFrame(_rows).set_index("清单").round(3))
    _eq = read_table(_truth_path.parent, "_truth/equity_transfers")
    if "equity_moves" in globals():
        _pair = equity_moves.merge(_eq[["company_id", "to_person_id", "relation"]], on=["company_id", "to_person_id"], how="left")
        display(_pair.groupby("relation")["same_surname"].agg(["size", "mean"]).rename(columns={"size": "转让数", "mean": "同姓比例"}).round(3))
    _pa = read_table(_truth_path.parent, "_truth/payment_ability", ["case_id", "state", "able"])
    _pa = _pa[_pa["case_id"].isin(set(actions.loc[actions["action_type"] == "限制消费令", "case_id"]))]
    _able = set(_pa.loc[_pa["able"].astype(bool), "case_id"])
    _lists = {}
    if "shixin_list" in globals():
        _lists[f"你的名单（RATE_CUT = {globals().get('RATE_CUT')}）"] = set(shixin_list["case_id"].astype(str))
    if "spend_signals" in globals():
        for _cut in (0.5, 1.0, 1.5, 2.0):
            _lists[f"你的 rate 按每年 {_cut:g} 次划线"] = set(spend_signals.loc[spend_signals["rate"] >= _cut, "case_id"].astype(str))
    display(pd.DataFrame([{"失信名单": k, "人数": len(v), "精确率": len(v & _able) / len(v) if v else np.nan,
                           "召回率": len(v & _able) / len(_able)} for k, v in _lists.items()]).set_index("失信名单").round(3))
    if "spend_signals" in globals():
        _by = spend_signals.assign(case_id=spend_signals["case_id"].astype(str)).merge(_pa, on="case_id")
        display(_by.groupby("state")["rate"].describe()[["count", "mean", "25%", "50%", "75%"]].round(2))
