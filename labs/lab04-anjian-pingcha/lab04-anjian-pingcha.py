# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验四：案件质量评查——终本案件电子卷宗的评查、检察建议与案件反向审视
#
# **预计用时**：4 小时（阅读背景、检查清单与几份卷宗 40 分钟，第 1—3 题读卷宗约 1 小时，第 4、5 题逐项评查与评定
# 等级约 1 小时 20 分钟，第 6 题检察建议书 30 分钟，第 7、8 题模型评查与反向审视 30 分钟）。
#
# **先修**：实验二（终本的法律规定）、实验五的前两题（按终本日 T 筛选执行行为）；Python 的正则表达式
# （`re.search`）、pandas 的 `merge`、`groupby` 与集合运算。
#
# **学习目标**——完成本实验后，你能够：
#
# 1. 清点一件终本案件的电子卷宗，说出七类文书各自证明什么，发现缺少的文书；
# 2. 从文书正文中取出评查要用的事实（案号、立案日、裁定日、约谈笔录的五项告知内容），包括把“二〇二四年一月十日”
#    这样的中文日期转换为日期；
# 3. 按检查清单逐项评查，每一项发现写明规则编号与法律依据（文件、条、款、项），并区分**违规**、**监督线索**与
#    **考核节点**；
# 4. 按“只计违规”的规则把每件案件评为优质、合格、瑕疵或不合格；
# 5. 为问题最严重的案件起草一份格式规范的检察建议书；
# 6. 用规则引擎 `review` 评查同一批卷宗，比较人工评查与模型的差异，完成“案件反向审视”。
#
# **评分**：共 40 分。第 1、2、3、4、5、7 题自动评分（27 分），第 6、8 题由教师按评分细则人工评分（13 分）。
# 可见测试只检查常见错误（提示你复查什么，不给出答案）；隐藏测试在评分程序中用评分端的数据副本与**埋设的真值**
# 核对：第 4 题的发现以 F1 值计（不低于 0.9 得分），第 5 题的等级以准确率计（不低于 0.9 得分），其余各题逐案核对。
# 每道题自成一体：请从下面载入的表与卷宗出发重新计算，不要使用其他题的变量（第 5 题可以把第 4 题的代码复制过来）。
# 截止后发布反馈，附“真值对照”一节。

# %% [markdown]
# ## 背景：案件质量评查与终本案件
#
# **案件质量评查。** 最高人民检察院《人民检察院案件质量评查工作规定（试行）》（2017 年 12 月印发，2018 年 1 月 1 日起
# 试行）第二条规定，评查是对**已经办结**的案件的办理质量进行检查、评定；第三条要求人工评查与智能辅助相结合；
# 第五条规定评查原则上在统一业务应用系统中在线进行。评查结论分为**优质、合格、瑕疵、不合格**四等；实践中，
# “不合格”指影响案件结论的事实认定、法律适用错误或严重程序违法，“瑕疵”指不影响结论的证据、程序、文书等缺陷。
# 检察机关对法院执行活动的评查与监督，依据《中华人民共和国民事诉讼法》（2023 年修正）第二百四十六条（人民检察院有权
# 对民事执行活动实行法律监督）与最高人民检察院《人民检察院民事诉讼监督规则》（2021 年 6 月 26 日公布，2021 年 8 月
# 1 日施行）；发现违法情形的，以**检察建议**的形式向法院提出。检察建议书的内容、制发与回复另见最高人民检察院
# 《人民检察院检察建议工作规定》（2019 年 2 月 26 日公布施行）。
#
# **终本的条件。** 最高人民法院《关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373 号，2016 年 10 月 29 日
# 印发，2016 年 12 月 1 日施行，下称“终本规定”）第一条列出终本须同时具备的条件：（一）已向被执行人发出执行通知、
# 责令报告财产；（二）已发出限制消费令，并将符合条件的被执行人纳入失信名单；（三）已穷尽财产调查措施，未发现可供
# 执行的财产或者发现的财产不能处置；（四）自立案之日起已超过三个月；（五）被执行人下落不明的已依法查找、妨害执行的
# 已依法采取强制措施。第五条要求终本前告知申请执行人并听取其意见（约谈），第九条规定终本后每六个月查询一次财产、
# 发现财产及时恢复执行。其他依据：最高人民法院《关于民事执行中财产调查若干问题的规定》（法释〔2017〕8 号，下称
# “财产调查规定”）、《关于适用〈中华人民共和国民事诉讼法〉的解释》（2022 年修正，下称“民诉法解释”）、《关于公布
# 失信被执行人名单信息的若干规定》（2017 年修正，下称“失信规定”）等。
#
# **违规、线索与考核节点。** 检查清单中的每一项有一个类别：**违规**违反法律、司法解释的明文规定，计入评查等级；
# **监督线索**（ZB-04V 查封车辆未扣押仍在通行，ZB-04I 保单冻结未扣划）本身合法——终本规定第四条第（二）项明确登记
# 查封而未能扣押的车辆属于“财产不能处置”——但事实表明法院可以继续执行，是调查核实、制发检察建议的依据，单独列出，
# **不计入等级**；**考核节点**（ZB-03 立案后五日内启动网络查控）是 2017 年第三方评估的指标，不是法定义务，也不计入
# 等级。每条规则的法律解读见项目文档 `docs/rules.md`，数据的生成过程见 `docs/enforcement-data.md`。
#
# **案件反向审视。** 近年检察机关推行“一案三查”：承办人结案后自查，案件管理部门核查，评查部门抽查。第 7、8 题让你
# 用规则引擎重查自己评查过的同一批案件，再反过来审视两者为什么不同——这是把人工评查经验沉淀为模型、又用模型检验
# 人工评查的做法。

# %% [markdown]
# ## 数据
#
# 本实验使用**合成的**终本案件评查数据集 `enforcement-pingcha`（浙江省，2023 年立案的执行案件，约一百八十件以
# “终结本次执行程序”结案的案件，每件都有电子卷宗），并且是按项目的教学脱敏策略**发布后的版本**：当事人姓名、
# 身份证号、电话、号牌、权证号、银行卡号都换成了同一密钥下前后一致的仿真替身，详细住址删至区县；案号、案件编号、
# 金额与程序日期保留，所以评查结论不受影响。卷宗里看到的姓名不是原来的姓名，也无法还原。数据按已知的生成过程产生，哪些案件有哪些问题记录在评分端的答案（`_truth/`）中，你的副本里
# 没有。这里的数字是**已知的真值**，不是实证发现，不能用来推断真实法院的违规比例。完整的列说明与已知局限见
# `data/enforcement-pingcha/codebook.md`，脱敏的做法见 `release_report.md`。
#
# **电子卷宗**：`casefiles/<案件编号>/` 下每份文书一个文本文件，文件名是“序号_文书名.txt”，共七类文书：
#
# | 文书 | 证明什么 |
# |---|---|
# | 执行通知书 | 立案后责令被执行人履行（终本规定第一条第（一）项） |
# | 报告财产令 | 责令被执行人报告财产（同上；财产调查规定第三条：与执行通知同时发出） |
# | 送达回证 | 文书已送达（谁签收、是否由亲属代收） |
# | 网络查控反馈 | 网络执行查控系统对存款、车辆、不动产、保险、公积金的查询结果（首次与终本前最后一次） |
# | 财产线索核查记录 | 申请执行人提交的财产线索何时提交、何时核查、结果如何（财产调查规定第二条） |
# | 终本约谈笔录 | 终本前告知申请执行人并听取意见（终本规定第五条） |
# | 执行裁定书 | 终结本次执行程序的裁定：立案日、已采取的措施、到位金额、裁定日期 |
#
# **流程记录**（统一业务系统中的案件信息，评查时与卷宗互相印证）：
#
# | 变量 | 表 | 每行是 |
# |---|---|---|
# | `cases` | `enforcement_cases` | 一件执行案件：`case_id`（案件编号，即卷宗文件夹名）、`case_number`（案号）、立案日 `filing_date`、结案日 `closing_date`（终本日 T）、结案方式、申请与到位金额 |
# | `actions` | `enforcement_actions` | 一项执行行为：`action_type`（执行通知、报告财产令、网络查控、终本约谈、合议庭评议……）、日期、财产编号、措施期限 `term_end` |
# | `vehicles`、`vehicle_events` | 同名表 | 登记车辆；车辆的违法、通行、卡口记录 |
# | `estates`、`transfers` | `real_estate`、`ownership_transfers` | 不动产登记（估值、抵押担保金额、是否唯一住房）；车辆与不动产的过户 |
# | `accounts`、`policies` | `bank_accounts`、`insurance_policies` | 银行账户（余额与余额日期）；保单（现金价值） |
#
# 下面的单元载入这些表，列出本实验评查的案件 `LAB_IDS`（有卷宗的终本案件），并从规则目录读出**检查清单**
# `checklist`：每条规则的编号、标题、类别、严重程度、法律依据与判定条件。`AS_OF` 是数据截止日：截止日尚未届满的
# 期限不判违规。`LIMIT` 是判定条件中的法定期限与门槛（如 `LIMIT["zhongben_min_months"]` = 3 个月、
# `LIMIT["min_asset_value"]` = 1000 元），与规则引擎、数据生成器读同一个文件 `tools/legal/enforcement.yaml`：代码里
# 用它们，不要手写数字。还给出几个通用的小工具（`read_docs`、`before`、`has`、`first_after`、`spells`），后面各题都可以用。

# %%
import json
import re
from io import BytesIO
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from IPython.display import Image, display
from legal import threshold
from review import load_catalog

from jianlab.plotting import setup_cjk

setup_cjk()
pd.set_option("display.max_colwidth", 80)
DATA = Path("data") / "enforcement-pingcha"
FILES = DATA / "casefiles"
AS_OF = pd.Timestamp(json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["as_of_date"])
ZHONGBEN = "终结本次执行程序"
cases, actions, vehicles, vehicle_events, estates, transfers, accounts, policies = (
    pq.read_table(DATA / f"{name}.parquet").to_pandas(date_as_object=False)
    for name in ("enforcement_cases", "enforcement_actions", "vehicles", "vehicle_events", "real_estate",
                 "ownership_transfers", "bank_accounts", "insurance_policies")
)
LAB_IDS = sorted(p.name for p in FILES.iterdir() if p.is_dir())
zb = cases[cases["case_id"].isin(LAB_IDS)].set_index("case_id").sort_index()

CATALOG = load_catalog()
KIND_ZH = {"violation": "违规", "lead": "线索", "benchmark": "考核节点"}
checklist = pd.DataFrame(
    [
        {"规则": r.id, "标题": r.title, "类别": KIND_ZH[r.kind], "严重程度": r.severity or "—",
         "法律依据": r.basis, "判定条件": r.interpretation}
        for r in CATALOG.rules if r.dataset == "enforcement"
    ]
).set_index("规则")
ELEMENTS = CATALOG.rules[[r.id for r in CATALOG.rules].index("ZB-07")].parameters["elements"].value
EXCELLENT = CATALOG.grading.excellent
LIMIT = {name: threshold(name) for name in (
    "zhongben_min_months", "requery_months", "post_query_gap_months", "post_query_years", "lead_verify_days",
    "restore_days", "payout_days", "blacklist_delete_working_days", "network_query_benchmark_days",
    "overseal_ratio", "min_asset_value", "min_share_of_unpaid")}


def read_docs(case_id, kind):
    """某案卷宗中某类文书的全文列表（按序号）；kind 是文书名，如 "终本约谈笔录"。"""
    return [p.read_text(encoding="utf-8") for p in sorted((FILES / case_id).glob(f"*_{kind}.txt"))]


# 本实验案件在终本日 T（含）之前的执行行为，附 T（closing_date）
before = actions.merge(zb[["closing_date"]], left_on="case_id", right_index=True)
before = before[before["action_date"] <= before["closing_date"]]


def has(action_type):
    """T 前（含当日）有这种行为的本实验案件编号的集合。"""
    return set(before.loc[before["action_type"] == action_type, "case_id"])


def first_after(first, then, same_asset=False):
    """每一条 first 行为（全部案件、全部日期），附同案中日期不早于它的第一条 then 行为的日期（列 then，没有为空）；
    same_asset=True 时 then 须是同一财产（first 没有财产编号时任何一条都算）。"""
    a = actions.loc[actions["action_type"] == first, ["case_id", "action_date", "asset_id"]].reset_index(drop=True)
    b = actions.loc[actions["action_type"] == then, ["case_id", "action_date", "asset_id"]]
    m = a.reset_index().merge(b, on="case_id", how="left", suffixes=("", "_then"))
    keep = m["action_date_then"] >= m["action_date"]
    if same_asset:
        keep &= m["asset_id"].isna() | (m["asset_id"] == m["asset_id_then"])
    a["then"] = m[keep].groupby("index")["action_date_then"].min().reindex(a.index)
    return a


def spells(registry, key):
    """登记财产（vehicles 或 estates）的所有权各段：asset_id、owner、since（取得日）、until（转出日，空为至今）。
    owner_id 只是数据截止日的所有人；某日的所有人要看这一段段的历史（实验五第 6 题）。"""
    moves = transfers[transfers["asset_id"].isin(registry[key])].sort_values("transfer_date")
    first_owner = moves.groupby("asset_id")["from_owner_id"].first()
    start = pd.DataFrame({"asset_id": registry[key], "since": registry["registered_date"],
                          "owner": registry[key].map(first_owner).fillna(registry["owner_id"])})
    later = pd.DataFrame({"asset_id": moves["asset_id"], "owner": moves["to_owner_id"], "since": moves["transfer_date"]})
    out = pd.concat([start, later]).sort_values(["asset_id", "since"], ignore_index=True)
    out["until"] = out.groupby("asset_id")["since"].shift(-1)
    return out


def show(fig, alt):
    """显示图形并附上替代文字（读屏软件朗读的文字说明）。"""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), alt=alt))


print(f"本实验评查 {len(LAB_IDS)} 件终本案件，数据截止日 {AS_OF.date()}")
checklist[["标题", "类别", "严重程度", "法律依据"]]

# %% [markdown]
# 判定条件很长，先读几条（`checklist.loc["ZB-09", "判定条件"]`），再打开一两件案件的卷宗从头读一遍：
# `print("\n\n".join(read_docs(LAB_IDS[0], "终本约谈笔录")))`。评查等级的规则（`CATALOG.grading.rule_of`）与“优质”的
# 条件（`EXCELLENT["enforcement"]`）在第 5 题用到。

# %%
print(CATALOG.grading.rule_of)
print(EXCELLENT["enforcement"])
print(checklist.loc["ZB-07", "判定条件"])

# %% [markdown]
# ## 第 1 题（自动评分，3 分）：清点卷宗
#
# 评查从清点卷宗开始。遍历 `FILES` 下的每个案件文件夹，建 `DataFrame` 变量 `dossier`，每件案件一行，列：
#
# - `case_id`：文件夹名；`case_number`：案号，取自执行裁定书正文的第三行（如“（2023）浙0383执5号”，原样保留全角括号）；
# - `n_docs`：文书份数；`has_notice`、`has_order`、`has_interview`：是否有执行通知书、报告财产令、终本约谈笔录（布尔值）；
# - `n_inquiries`：网络查控反馈的份数。
#
# 再据此列出缺少执行通知书**或**报告财产令的案件编号（排好序的 `list`），保存为 `missing_notice`——这正是检查清单
# ZB-01 在卷宗上的表现。
#
# 提示：文件名去掉序号与扩展名就是文书名：`p.stem.split("_", 1)[1]`。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
_rows = []
for _folder in sorted(FILES.iterdir()):
    _kinds = [p.stem.split("_", 1)[1] for p in sorted(_folder.glob("*.txt"))]
    _ruling = read_docs(_folder.name, "执行裁定书")[0]
    _rows.append({
        "case_id": _folder.name,
        "case_number": _ruling.splitlines()[2].strip(),
        "n_docs": len(_kinds),
        "has_notice": "执行通知书" in _kinds,
        "has_order": "报告财产令" in _kinds,
        "has_interview": "终本约谈笔录" in _kinds,
        "n_inquiries": _kinds.count("网络查控反馈"),
    })
dossier = pd.DataFrame(_rows)
missing_notice = sorted(dossier.loc[~(dossier["has_notice"] & dossier["has_order"]), "case_id"])
### END SOLUTION
dossier.head(), len(missing_notice)

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 3} jianlab={"exports": {"dossier": "dataframe", "missing_notice": "json"}}
_cols = ["case_id", "case_number", "n_docs", "has_notice", "has_order", "has_interview", "n_inquiries"]
assert isinstance(dossier, pd.DataFrame) and set(_cols) <= set(dossier.columns), f"dossier 应有列 {_cols}"
assert sorted(dossier["case_id"]) == LAB_IDS, "每个案件文件夹一行，不多不少"
assert dossier["case_number"].str.fullmatch(r"（\d{4}）浙\d+执(恢)?\d+号").all(), "案号是裁定书的第三行，例如“（2023）浙0383执5号”：不要带“案号：”等前缀，也不要把全角括号改成半角"
for _c in ("has_notice", "has_order", "has_interview"):
    assert dossier[_c].dtype == bool, f"{_c} 应为布尔列"
assert (dossier["n_docs"] >= dossier["n_inquiries"] + 2).all(), "n_docs 是全部文书的份数（每件至少有裁定书与送达回证）"
assert isinstance(missing_notice, list) and missing_notice == sorted(missing_notice), "missing_notice 是排好序的案件编号列表"
assert set(missing_notice) <= set(LAB_IDS), "missing_notice 只列本实验的案件编号"
### BEGIN HIDDEN TESTS
import pandas as pd

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-pingcha")
_ids = sorted(p.name for p in (_ref / "casefiles").iterdir())
_want = pd.DataFrame({"case_id": _ids})
_want["n_docs"] = [len(list((_ref / "casefiles" / c).glob("*.txt"))) for c in _ids]
for _c, _kind in (("has_notice", "执行通知书"), ("has_order", "报告财产令"), ("has_interview", "终本约谈笔录")):
    _want[_c] = [any((_ref / "casefiles" / c).glob(f"*_{_kind}.txt")) for c in _ids]
_want["n_inquiries"] = [len(list((_ref / "casefiles" / c).glob("*_网络查控反馈.txt"))) for c in _ids]
_numbers = pd.read_parquet(_ref / "enforcement_cases.parquet", columns=["case_id", "case_number"]).set_index("case_id")["case_number"]
_want["case_number"] = _want["case_id"].map(_numbers)
_got = dossier.set_index("case_id").loc[_ids]
for _c in ("case_number", "n_docs", "has_notice", "has_order", "has_interview", "n_inquiries"):
    assert (_got[_c].to_numpy() == _want.set_index("case_id")[_c].to_numpy()).all(), _c
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
assert missing_notice == sorted(set(_truth.loc[_truth["rule_id"] == "ZB-01", "case_id"]) & set(_ids))
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，4 分）：终本约谈笔录是否形式化
#
# 终本规定第五条要求终本前把五项内容告知申请执行人并听取意见：执行情况、财产调查措施、财产情况、终本依据及法律
# 后果、申请执行人的意见。形式化的笔录常常只有“你还有什么要说的？——没有了”，缺了其中几项。`ELEMENTS` 是清单 ZB-07
# 为每一项给出的几种说法（出现任何一种就算告知了这一项）。
#
# 建 `interview_check`：本实验每件案件一行，列 `case_id`、`has_record`（卷宗中有没有终本约谈笔录）、五项要素各一列
# （列名就是 `ELEMENTS` 的键，布尔值：笔录中是否出现该项的任一说法；没有笔录时全为 `False`）、`zb07`（ZB-07 是否命中：
# 没有笔录，或笔录缺少任一项）。按清单的判定条件，比较前先去掉正文中的全部空白（包括全角空格“　”）。
#
# 说明：清单还要求“T 前有终本约谈行为”；本数据中笔录与约谈行为一一对应，所以只看卷宗即可。

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
def _elements(case_id):
    text = re.sub(r"\s", "", "".join(read_docs(case_id, "终本约谈笔录")))
    return {name: bool(text) and any(p in text for p in phrases) for name, phrases in ELEMENTS.items()}


interview_check = pd.DataFrame([
    {"case_id": c, "has_record": bool(read_docs(c, "终本约谈笔录")), **_elements(c)} for c in LAB_IDS
])
interview_check["zb07"] = ~interview_check["has_record"] | ~interview_check[list(ELEMENTS)].all(axis=1)
### END SOLUTION
interview_check["zb07"].sum(), interview_check[list(ELEMENTS)].mean().round(3)

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 4} jianlab={"exports": {"interview_check": "dataframe"}}
_cols = ["case_id", "has_record", *ELEMENTS, "zb07"]
assert isinstance(interview_check, pd.DataFrame) and set(_cols) <= set(interview_check.columns), f"interview_check 应有列 {_cols}"
assert sorted(interview_check["case_id"]) == LAB_IDS, "本实验每件案件一行"
for _c in ["has_record", *ELEMENTS, "zb07"]:
    assert interview_check[_c].dtype == bool, f"{_c} 应为布尔列"
_ic = interview_check.set_index("case_id")
assert _ic.loc[~_ic["has_record"], "zb07"].all(), "没有约谈笔录就是约谈缺失：ZB-07 同样命中"
assert not _ic.loc[~_ic["has_record"], list(ELEMENTS)].any().any(), "没有笔录时五项要素都应为 False"
assert (_ic["zb07"] == (~_ic["has_record"] | ~_ic[list(ELEMENTS)].all(axis=1))).all(), "zb07 = 没有笔录，或缺少任一项要素"
_variant = [c for c in LAB_IDS if "执行过程" in "".join(read_docs(c, "终本约谈笔录"))]
assert _ic.loc[_variant, "执行情况"].all(), "每项要素有几种说法：笔录中写“执行过程”也算告知了“执行情况”（见 ELEMENTS）"
### BEGIN HIDDEN TESTS
import pandas as pd
from review import load_catalog

from jianlab.grading.runtime import reference_dir, truth_dir

_names = list(next(r for r in load_catalog().rules if r.id == "ZB-07").parameters["elements"].value)
_ids = sorted(p.name for p in (reference_dir("enforcement-pingcha") / "casefiles").iterdir())
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
_t7 = _truth[(_truth["rule_id"] == "ZB-07") & _truth["case_id"].isin(_ids)]
_ic = interview_check.set_index("case_id")
assert set(_ic.index[_ic["zb07"]]) == set(_t7["case_id"]), "ZB-07 的案件与真值不符"
for _case, _detail in zip(_t7["case_id"], _t7["detail"].fillna(""), strict=True):
    if _detail.startswith("终本约谈笔录缺少："):
        _missing = set(_detail.removeprefix("终本约谈笔录缺少：").split("、"))
        assert _missing == {k for k in _names if not _ic.loc[_case, k]}, _case
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，4 分）：从裁定书读出立案日与裁定日
#
# 终本规定第一条第（四）项要求“自执行案件立案之日起已超过三个月”。只读执行裁定书，建 `ruling_dates`：本实验每件
# 案件一行，列 `case_id`、`filing_date`（正文中“于……立案”或“于……向本院申请执行”的日期）、`ruling_date`（落款处的
# 中文日期，如“二〇二四年一月十日”）、`zb05`（裁定日不晚于立案日加三个日历月即命中——恰好满三个月之日终本也命中，
# 因为须“已超过”三个月）。两个日期列为 `datetime64`。
#
# 提示：裁定书开头的当事人信息里有出生日期，不要误取；`pd.DateOffset(months=3)` 按日历月相加、月末截断。中文数字：
# 年份逐字对应（〇一二……九），月、日里的“十”要单独处理（“十”=10，“十二”=12，“二十”=20，“三十一”=31）。

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _cn_number(text):
    if "十" not in text:
        return int("".join(str(_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _ruling_row(case_id):
    text = read_docs(case_id, "执行裁定书")[0]
    filed = re.search(r"于(\d{4})年(\d{1,2})月(\d{1,2})日(?:立案|向本院申请)", text)
    signed = re.search(r"([〇一二三四五六七八九]{4})年([一二三四五六七八九十]+)月([一二三四五六七八九十]+)日", text)
    return {
        "case_id": case_id,
        "filing_date": pd.Timestamp(*map(int, filed.groups())),
        "ruling_date": pd.Timestamp(*(_cn_number(g) for g in signed.groups())),
    }


ruling_dates = pd.DataFrame([_ruling_row(c) for c in LAB_IDS])
ruling_dates["zb05"] = ruling_dates["ruling_date"] <= ruling_dates["filing_date"] + pd.DateOffset(months=LIMIT["zhongben_min_months"])
### END SOLUTION
ruling_dates.head(), ruling_dates["zb05"].sum()

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 4} jianlab={"exports": {"ruling_dates": "dataframe"}}
assert isinstance(ruling_dates, pd.DataFrame) and {"case_id", "filing_date", "ruling_date", "zb05"} <= set(ruling_dates.columns), "ruling_dates 应有列 case_id、filing_date、ruling_date、zb05"
assert sorted(ruling_dates["case_id"]) == LAB_IDS, "本实验每件案件一行"
assert pd.api.types.is_datetime64_any_dtype(ruling_dates["filing_date"]) and pd.api.types.is_datetime64_any_dtype(ruling_dates["ruling_date"]), "两个日期列应为 datetime64（pd.Timestamp 或 pd.to_datetime）"
assert (ruling_dates["filing_date"].dt.year >= 2015).all(), "立案日早得不合理：是否取成了当事人的出生日期？"
assert (ruling_dates["ruling_date"] > ruling_dates["filing_date"]).all(), "裁定日应晚于立案日：中文日期的“十”“二十”是否换算正确？"
_edge = ruling_dates["ruling_date"] == ruling_dates["filing_date"] + pd.DateOffset(months=LIMIT["zhongben_min_months"])
assert ruling_dates.loc[_edge, "zb05"].all(), "恰好满三个月之日终本也命中：须“已超过”三个月"
assert not ruling_dates.loc[ruling_dates["ruling_date"] > ruling_dates["filing_date"] + pd.DateOffset(months=LIMIT["zhongben_min_months"] + 1), "zb05"].any(), "立案四个月以后才终本的案件不命中 ZB-05"
### BEGIN HIDDEN TESTS
import pandas as pd

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-pingcha")
_ids = sorted(p.name for p in (_ref / "casefiles").iterdir())
_c = pd.read_parquet(_ref / "enforcement_cases.parquet", columns=["case_id", "filing_date", "closing_date"]).set_index("case_id").loc[_ids]
_r = ruling_dates.set_index("case_id").loc[_ids]
assert (pd.to_datetime(_r["filing_date"]).to_numpy() == pd.to_datetime(_c["filing_date"]).to_numpy()).all(), "立案日"
assert (pd.to_datetime(_r["ruling_date"]).to_numpy() == pd.to_datetime(_c["closing_date"]).to_numpy()).all(), "裁定日"
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
assert set(_r.index[_r["zb05"].astype(bool)]) == set(_truth.loc[_truth["rule_id"] == "ZB-05", "case_id"]) & set(_ids)
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，8 分）：按检查清单逐项评查
#
# 对本实验的每件案件，按 `checklist` 的**每一条**规则评查（ZB-01 至 ZB-21 中的违规、两条线索 ZB-04V 与 ZB-04I、考核
# 节点 ZB-03），把所有发现放进 `findings`：每条发现一行，列
#
# - `case_id`；`rule_id`（如 `"ZB-09"`）；`asset_id`：按财产计的规则（ZB-04、ZB-04V、ZB-04I、ZB-12，以及提交时指明了财产
#   的 ZB-13）写财产编号，其余为空（`None`）；
# - `kind`：`"违规"`、`"线索"` 或 `"考核节点"`，与清单的类别一致；
# - `basis`：法律依据，写到文件与条、款、项，如“终本规定第一条第（一）项、第二条第一款”（可以照抄清单的“法律依据”）。
#
# 判定条件以 `checklist` 的“判定条件”为准，日期都以 T（`closing_date`）为界。能从卷宗读出的（约谈笔录的要素、文书是否
# 齐全、裁定日）可以读卷宗，也可以用流程记录；要看登记簿与过户历史的（ZB-04）、终本之后的（ZB-11、ZB-12）只能用
# 流程记录与登记表。按全部案件定义的规则（ZB-13、ZB-16、ZB-17、ZB-21）只保留本实验的案件；ZB-21 说的是执行完毕后
# 未及时删除失信信息，本实验的终本案件都没有“执行完毕”，不会命中——清单仍要逐条过一遍，评查记录中写明“不适用”的理由。
#
# 评分：隐藏测试按（案件、规则、财产）比较你的发现与真值，F1 值（精确率与召回率的调和平均）不低于 0.9 得分。建议一条
# 规则写一小段代码、写完就看一下命中的件数是否合理，把难的 ZB-04、ZB-17 放在最后。

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
def run_checklist():
    """本实验案件按检查清单的全部发现：(case_id, rule_id, asset_id)。"""
    ids, rows = set(LAB_IDS), []

    def add(found, rule):
        rows.extend((c, rule, None) for c in found if c in ids)

    def add_assets(pairs, rule):
        rows.extend((c, rule, a) for c, a in pairs if c in ids)

    unreported = ids - has("被执行人报告财产")
    add(ids - (has("执行通知") & has("报告财产令")), "ZB-01")
    add((ids - has("限制消费令")) | (unreported - has("纳入失信")), "ZB-02")
    add(unreported - has("罚款") - has("拘留"), "ZB-06")
    add(ids - has("申请执行人同意终本") - (has("合议庭评议") & has("院长审批")), "ZB-08")
    add(zb.index[zb["closing_date"] <= zb["filing_date"] + pd.DateOffset(months=LIMIT["zhongben_min_months"])], "ZB-05")
    recent = before[(before["action_type"] == "网络查控") & (before["action_date"] >= before["closing_date"] - pd.DateOffset(months=LIMIT["requery_months"]))]
    add((ids - set(recent["case_id"])) | (ids - has("传统查控")) | (has("申请悬赏") - has("悬赏公告"))
        | (has("申请审计") - has("审计")), "ZB-09")
    flat = {c: re.sub(r"\s", "", "".join(read_docs(c, "终本约谈笔录"))) for c in has("终本约谈")}
    add((ids - has("终本约谈")) | {c for c, t in flat.items() if not all(any(p in t for p in ps) for ps in ELEMENTS.values())}, "ZB-07")
    first_q = actions[actions["action_type"] == "网络查控"].groupby("case_id")["action_date"].min().reindex(zb.index)
    add(zb.index[(first_q - zb["filing_date"] > pd.Timedelta(days=LIMIT["network_query_benchmark_days"])) | (first_q.isna() & (zb["filing_date"] + pd.Timedelta(days=LIMIT["network_query_benchmark_days"]) < zb["closing_date"]))], "ZB-03")
    add_assets(zb04(), "ZB-04")
    add_assets(leads_vehicles(), "ZB-04V")
    add_assets(leads_policies(), "ZB-04I")
    add(zb11(), "ZB-11")
    add_assets(zb12(), "ZB-12")
    late13 = first_after("财产线索提交", "财产线索核查", same_asset=True)
    late13 = late13[late(late13, LIMIT["lead_verify_days"])]
    rows.extend((c, "ZB-13", a if isinstance(a, str) else None) for c, a in zip(late13["case_id"], late13["asset_id"]) if c in ids)
    paid = first_after("案款到账", "案款发放")
    add(set(paid.loc[late(paid, LIMIT["payout_days"]), "case_id"]), "ZB-16")
    add(zb17(), "ZB-17")
    add(zb21(), "ZB-21")
    return pd.DataFrame(rows, columns=["case_id", "rule_id", "asset_id"]).drop_duplicates(ignore_index=True)


def late(frame, days):
    """first_after 的结果中超期的行：后续行为晚于 days 日，或没有后续行为且期限在截止日之前届满。"""
    gap = pd.Timedelta(days=days)
    return (frame["then"].notna() & (frame["then"] - frame["action_date"] > gap)) | (
        frame["then"].isna() & (frame["action_date"] + gap < AS_OF))


def bound_pairs():
    """T 时受有效措施约束、或 T 前已扣划处置的（案件、财产）。"""
    b = before[before["asset_id"].notna()]
    live = b["action_type"].isin(["查封", "轮候查封", "续封", "扣押", "冻结"]) & (b["term_end"].isna() | (b["term_end"] >= b["closing_date"]))
    sel = b[live | b["action_type"].isin(["扣划", "拍卖成交", "变卖", "以物抵债"])]
    return set(zip(sel["case_id"], sel["asset_id"]))


def zb04():
    z = zb.reset_index()
    q = before[before["action_type"] == "网络查控"].groupby("case_id")["action_date"].max()
    z["q"] = z["case_id"].map(q).fillna(z["filing_date"])
    z["unpaid"] = z["amount_claimed"] - z["amount_recovered"].fillna(0)
    acc = z.merge(accounts, left_on="respondent_id", right_on="owner_id")
    acc = acc[acc["balance_date"].between(acc["filing_date"], acc["closing_date"]) & (acc["opened_date"] <= acc["q"])]
    acc = acc.sort_values("balance_date").groupby(["case_id", "account_id"]).tail(1)
    acc = acc[(acc["balance"] >= LIMIT["min_asset_value"]) & (acc["balance"] > LIMIT["min_share_of_unpaid"] * acc["unpaid"])]
    pol = z.merge(policies, left_on="respondent_id", right_on="holder_id")
    pol = pol[(pol["cash_value"] >= LIMIT["min_asset_value"]) & (pol["start_date"] <= pol["q"])]
    held = set(zip(acc["case_id"], acc["account_id"])) | set(zip(pol["case_id"], pol["policy_id"]))
    for registry, key in ((estates, "property_id"), (vehicles, "vehicle_id")):
        m = z[["case_id", "respondent_id", "q"]].merge(spells(registry, key), left_on="respondent_id", right_on="owner")
        m = m[(m["since"].isna() | (m["since"] <= m["q"])) & (m["until"].isna() | (m["until"] > m["q"]))]
        if key == "property_id":
            m = m.merge(estates, left_on="asset_id", right_on="property_id")
            m = m[(m["est_value"] > m["mortgage_amount"]) & ~m["sole_residence"]]
        held |= set(zip(m["case_id"], m["asset_id"]))
    found = held - bound_pairs()
    seals = before[(before["action_type"] == "查封") & (before["asset_type"] == "不动产")]
    seals = seals.drop_duplicates(["case_id", "asset_id"])[["case_id", "asset_id", "closing_date"]]
    seals["origin"] = seals["case_id"].map(zb["origin_case_id"])
    tries = actions[actions["action_type"].isin(["拍卖", "变卖", "以物抵债"])].merge(seals, on="asset_id", suffixes=("", "_s"))
    tries = tries[(tries["action_date"] <= tries["closing_date"]) & ((tries["case_id"] == tries["case_id_s"]) | (tries["case_id"] == tries["origin"]))]
    open_seals = seals.merge(tries[["case_id_s", "asset_id"]].rename(columns={"case_id_s": "case_id"}).drop_duplicates(), how="left", indicator=True)
    open_seals = open_seals[open_seals["_merge"] == "left_only"].merge(estates, left_on="asset_id", right_on="property_id")
    open_seals = open_seals[(open_seals["est_value"] > open_seals["mortgage_amount"]) & ~open_seals["sole_residence"]]
    return found | set(zip(open_seals["case_id"], open_seals["asset_id"]))


def leads_vehicles():
    seal = before[(before["action_type"] == "查封") & (before["asset_type"] == "车辆")]
    seal = seal.groupby(["case_id", "asset_id"], as_index=False).agg(s=("action_date", "min"), t=("closing_date", "first"))
    seen = seal.merge(vehicle_events, left_on="asset_id", right_on="vehicle_id")
    seen = seen[(seen["event_date"] > seen["s"]) & (seen["event_date"] <= seen["t"])]
    seized = set(zip(*[before.loc[before["action_type"] == "扣押", c] for c in ("case_id", "asset_id")]))
    return set(zip(seen["case_id"], seen["asset_id"])) - seized


def leads_policies():
    frozen = before[before["action_type"] == "冻结"].merge(policies, left_on="asset_id", right_on="policy_id")
    frozen = frozen[frozen["cash_value"] >= LIMIT["min_asset_value"]]
    taken = set(zip(*[before.loc[before["action_type"] == "扣划", c] for c in ("case_id", "asset_id")]))
    return set(zip(frozen["case_id"], frozen["asset_id"])) - taken


def restorations():
    own = actions.loc[actions["action_type"] == "恢复执行", ["case_id", "action_date"]].rename(columns={"action_date": "r"})
    kids = cases[cases["origin_case_id"].notna()]
    return pd.concat([own, pd.DataFrame({"case_id": kids["origin_case_id"], "r": kids["filing_date"]})])


def zb11():
    z = zb[zb["closing_date"] <= AS_OF].copy()
    r = restorations().merge(z[["closing_date"]], left_on="case_id", right_index=True)
    r = r[r["r"] > r["closing_date"]].groupby("case_id")["r"].min()
    z["e"] = pd.concat([z["closing_date"] + pd.DateOffset(years=LIMIT["post_query_years"]), r.reindex(z.index)], axis=1).min(axis=1).clip(upper=AS_OF)
    q = actions[actions["action_type"] == "终本后查询"].merge(z[["closing_date", "e"]], left_on="case_id", right_index=True)
    q = q[(q["action_date"] > q["closing_date"]) & (q["action_date"] <= q["e"])]
    nodes = pd.concat([pd.DataFrame({"case_id": z.index, "d": z["closing_date"]}),
                       pd.DataFrame({"case_id": q["case_id"], "d": q["action_date"]}),
                       pd.DataFrame({"case_id": z.index, "d": z["e"]})]).sort_values(["case_id", "d"])
    nodes["next"] = nodes.groupby("case_id")["d"].shift(-1)
    nodes = nodes[nodes["next"].notna()]
    return set(nodes.loc[nodes["next"] > nodes["d"] + pd.DateOffset(months=LIMIT["post_query_gap_months"]), "case_id"])


def zb12():
    a = actions[actions["action_type"].isin(["终本后查询", "财产线索提交"]) & actions["asset_id"].notna()]
    a = a.merge(zb[["closing_date"]], left_on="case_id", right_index=True)
    found = a[a["action_date"] > a["closing_date"]].groupby(["case_id", "asset_id"], as_index=False)["action_date"].min()
    m = found.merge(restorations(), on="case_id", how="left")
    m["ok"] = (m["r"] >= m["action_date"]) & (m["r"] <= m["action_date"] + pd.Timedelta(days=LIMIT["restore_days"]))
    ok = m.groupby(["case_id", "asset_id"])["ok"].any()
    f = found.set_index(["case_id", "asset_id"])["action_date"]
    bad = ~ok.reindex(f.index).fillna(False).astype(bool) & (f + pd.Timedelta(days=LIMIT["restore_days"]) < AS_OF)
    return set(f.index[bad.to_numpy()])


def zb17():
    est = estates[["property_id", "owner_id", "est_value"]]
    seals = actions[(actions["action_type"] == "查封") & actions["asset_id"].isin(est["property_id"])]
    per = seals.groupby(["case_id", "asset_id"], as_index=False)["action_date"].min().merge(est, left_on="asset_id", right_on="property_id")
    agg = per.groupby("case_id").agg(d=("action_date", "max"), n=("asset_id", "size"), total=("est_value", "sum"))
    paid = actions[actions["action_type"] == "案款到账"].merge(agg[["d"]], left_on="case_id", right_index=True)
    got = paid[paid["action_date"] <= paid["d"]].groupby("case_id")["amount"].sum()
    c = cases.set_index("case_id").loc[agg.index]
    agg["left"] = c["amount_claimed"] - got.reindex(agg.index).fillna(0)
    agg["respondent_id"] = c["respondent_id"]
    over = agg[agg["total"] > LIMIT["overseal_ratio"] * agg["left"]]
    alt = over.reset_index().merge(est, left_on="respondent_id", right_on="owner_id")
    alt = alt[alt["est_value"].between(alt["left"], LIMIT["overseal_ratio"] * alt["left"])]
    sealed = set(zip(per["case_id"], per["asset_id"]))
    alt = alt[[(c, a) not in sealed for c, a in zip(alt["case_id"], alt["property_id"])]]
    return set(over.index[over["n"] >= 2]) | set(alt["case_id"])


def zb21():
    fin = cases.set_index("case_id")
    done = actions[actions["action_type"] == "执行完毕"].groupby("case_id")["action_date"].min().reindex(fin.index)
    c = done.fillna(fin["closing_date"].where(fin["closing_method"] == "执行完毕")).dropna()
    marks = actions[actions["action_type"].isin(["纳入失信", "删除失信"])].merge(c.rename("c"), left_on="case_id", right_index=True)
    upto = marks[marks["action_date"] <= marks["c"]]
    st = pd.DataFrame({
        "c": c,
        "last_in": upto[upto["action_type"] == "纳入失信"].groupby("case_id")["action_date"].max(),
        "last_del": upto[upto["action_type"] == "删除失信"].groupby("case_id")["action_date"].max(),
        "next": marks[(marks["action_date"] > marks["c"]) & (marks["action_type"] == "删除失信")].groupby("case_id")["action_date"].min(),
    })
    st = st[st["last_in"].notna() & (st["last_del"].isna() | (st["last_in"] > st["last_del"]))]
    due = st["c"] + pd.offsets.BDay(LIMIT["blacklist_delete_working_days"])
    return set(st.index[(st["next"].notna() & (st["next"] > due)) | (st["next"].isna() & (due < AS_OF))])


findings = run_checklist()
findings["kind"] = findings["rule_id"].map(checklist["类别"])
findings["basis"] = findings["rule_id"].map(checklist["法律依据"])
### END SOLUTION
findings.groupby(["kind", "rule_id"]).size()

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 8} jianlab={"exports": {"findings": "dataframe"}}
assert isinstance(findings, pd.DataFrame) and {"case_id", "rule_id", "asset_id", "kind", "basis"} <= set(findings.columns), "findings 应有列 case_id、rule_id、asset_id、kind、basis"
assert findings["case_id"].isin(LAB_IDS).all(), "只列本实验的案件（有卷宗的终本案件）：ZB-13、ZB-16 等按全部案件定义的规则也只保留这些案件"
assert findings["rule_id"].isin(checklist.index).all(), "rule_id 应是检查清单中的编号，如 ZB-09"
assert not findings.duplicated(["case_id", "rule_id", "asset_id"]).any(), "同一（案件、规则、财产）只记一次"
_kind = findings["rule_id"].map(checklist["类别"])
assert (findings.loc[findings["rule_id"].isin(["ZB-04V", "ZB-04I"]), "kind"] == "线索").all(), "查封车辆未扣押、保单冻结未扣划是监督线索，不是违规：终本规定第四条第（二）项使终本本身合法"
assert (findings.loc[findings["rule_id"] == "ZB-03", "kind"] == "考核节点").all(), "ZB-03 是考核节点（第三方评估指标），不是法定义务"
assert (findings["kind"] == _kind).all(), "kind 应与检查清单的类别一致（违规、线索、考核节点）"
_per_asset = findings["rule_id"].isin(["ZB-04", "ZB-04V", "ZB-04I", "ZB-12"])
assert findings.loc[_per_asset, "asset_id"].notna().all(), "ZB-04、ZB-04V、ZB-04I、ZB-12 按财产计：asset_id 写财产编号"
assert findings.loc[findings["rule_id"].isin(["ZB-01", "ZB-02", "ZB-05", "ZB-07", "ZB-08", "ZB-09", "ZB-11"]), "asset_id"].isna().all(), "按案件计的规则 asset_id 为空"
_cite = checklist["法律依据"].str.extract(r"^([^第（；]+)(第[^条]+条)")
for _rule, _text in zip(findings["rule_id"], findings["basis"].fillna("")):
    _doc, _art = _cite.loc[_rule]
    assert isinstance(_doc, float) or (_doc in _text and _art in _text), f"{_rule} 的法律依据应写明文件与条文，如“{_doc}{_art}……”"
### BEGIN HIDDEN TESTS
import pandas as pd

from jianlab.grading.runtime import reference_dir, truth_dir

_ids = set(p.name for p in (reference_dir("enforcement-pingcha") / "casefiles").iterdir())
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
_truth = _truth[_truth["case_id"].isin(_ids)]
_key = lambda f: set(zip(f["case_id"].astype(str), f["rule_id"].astype(str), f["asset_id"].map(lambda a: a if isinstance(a, str) else "")))
_want, _got = _key(_truth), _key(findings)
_hit = len(_want & _got)
_f1 = 2 * _hit / (len(_want) + len(_got))
assert _f1 >= 0.9, f"F1 = {_f1:.3f}，低于 0.9"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，5 分）：评定每件案件的等级
#
# 按规则目录的评定规则（`CATALOG.grading.rule_of`）给本实验的每件案件评定等级：**只计违规**——任一“不合格”级违规 →
# 不合格；只有“瑕疵”级违规 → 瑕疵；没有违规 → 合格；没有违规且满足优质条件（`EXCELLENT["enforcement"]`：首次执行
# 通知与首次网络查控都在立案后 3 日内，每笔案款到账都在 15 日内发放）→ 优质。线索与考核节点不影响等级。
#
# 1. 保存 `grades`：每件案件一行，列 `case_id`、`grade`（优质、合格、瑕疵、不合格之一）。本题请重新计算评查发现
#    （可以把第 4 题的代码复制过来），不要使用第 4 题的变量。
# 2. 保存 `grade_counts`：`pandas.Series`，索引依次为“优质”“合格”“瑕疵”“不合格”，值为案件数。
# 3. 画一张条形图 `fig` 显示 `grade_counts`，中文标题保存为 `fig_title`，纵轴“案件数”；用 `show(fig, 替代文字)` 显示。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
_unreported = set(LAB_IDS) - has("被执行人报告财产")
_v = {
    "ZB-01": set(LAB_IDS) - (has("执行通知") & has("报告财产令")),
    "ZB-02": (set(LAB_IDS) - has("限制消费令")) | (_unreported - has("纳入失信")),
    "ZB-06": _unreported - has("罚款") - has("拘留"),
    "ZB-08": set(LAB_IDS) - has("申请执行人同意终本") - (has("合议庭评议") & has("院长审批")),
    "ZB-05": set(zb.index[zb["closing_date"] <= zb["filing_date"] + pd.DateOffset(months=LIMIT["zhongben_min_months"])]),
}
_recent = before[(before["action_type"] == "网络查控") & (before["action_date"] >= before["closing_date"] - pd.DateOffset(months=LIMIT["requery_months"]))]
_v["ZB-09"] = ((set(LAB_IDS) - set(_recent["case_id"])) | (set(LAB_IDS) - has("传统查控"))
               | (has("申请悬赏") - has("悬赏公告")) | (has("申请审计") - has("审计")))
_flat = {c: re.sub(r"\s", "", "".join(read_docs(c, "终本约谈笔录"))) for c in has("终本约谈")}
_v["ZB-07"] = (set(LAB_IDS) - has("终本约谈")) | {
    c for c, t in _flat.items() if not all(any(p in t for p in ps) for ps in ELEMENTS.values())}


def _late(frame, days):
    gap = pd.Timedelta(days=days)
    return (frame["then"].notna() & (frame["then"] - frame["action_date"] > gap)) | (
        frame["then"].isna() & (frame["action_date"] + gap < AS_OF))


_l13 = first_after("财产线索提交", "财产线索核查", same_asset=True)
_v["ZB-13"] = set(_l13.loc[_late(_l13, LIMIT["lead_verify_days"]), "case_id"])
_paid = first_after("案款到账", "案款发放")
_v["ZB-16"] = set(_paid.loc[_late(_paid, LIMIT["payout_days"]), "case_id"])

# 带财终本（ZB-04）：Q 日属于被执行人、T 时不受约束的财产，以及首封未处置的不动产
_z = zb.reset_index()
_z["q"] = _z["case_id"].map(before[before["action_type"] == "网络查控"].groupby("case_id")["action_date"].max()).fillna(_z["filing_date"])
_z["unpaid"] = _z["amount_claimed"] - _z["amount_recovered"].fillna(0)
_acc = _z.merge(accounts, left_on="respondent_id", right_on="owner_id")
_acc = _acc[_acc["balance_date"].between(_acc["filing_date"], _acc["closing_date"]) & (_acc["opened_date"] <= _acc["q"])]
_acc = _acc.sort_values("balance_date").groupby(["case_id", "account_id"]).tail(1)
_acc = _acc[(_acc["balance"] >= LIMIT["min_asset_value"]) & (_acc["balance"] > LIMIT["min_share_of_unpaid"] * _acc["unpaid"])]
_pol = _z.merge(policies, left_on="respondent_id", right_on="holder_id")
_pol = _pol[(_pol["cash_value"] >= LIMIT["min_asset_value"]) & (_pol["start_date"] <= _pol["q"])]
_held = set(zip(_acc["case_id"], _acc["account_id"])) | set(zip(_pol["case_id"], _pol["policy_id"]))
for _reg, _key in ((estates, "property_id"), (vehicles, "vehicle_id")):
    _m = _z[["case_id", "respondent_id", "q"]].merge(spells(_reg, _key), left_on="respondent_id", right_on="owner")
    _m = _m[(_m["since"].isna() | (_m["since"] <= _m["q"])) & (_m["until"].isna() | (_m["until"] > _m["q"]))]
    if _key == "property_id":
        _m = _m.merge(estates, left_on="asset_id", right_on="property_id")
        _m = _m[(_m["est_value"] > _m["mortgage_amount"]) & ~_m["sole_residence"]]
    _held |= set(zip(_m["case_id"], _m["asset_id"]))
_b = before[before["asset_id"].notna()]
_live = _b["action_type"].isin(["查封", "轮候查封", "续封", "扣押", "冻结"]) & (_b["term_end"].isna() | (_b["term_end"] >= _b["closing_date"]))
_bound = _b[_live | _b["action_type"].isin(["扣划", "拍卖成交", "变卖", "以物抵债"])]
_zb04 = {c for c, _a in _held - set(zip(_bound["case_id"], _bound["asset_id"]))}
_seals = before[(before["action_type"] == "查封") & (before["asset_type"] == "不动产")].drop_duplicates(["case_id", "asset_id"])
_seals = _seals[["case_id", "asset_id", "closing_date"]].assign(origin=lambda f: f["case_id"].map(zb["origin_case_id"]))
_tries = actions[actions["action_type"].isin(["拍卖", "变卖", "以物抵债"])].merge(_seals, on="asset_id", suffixes=("", "_s"))
_tries = _tries[(_tries["action_date"] <= _tries["closing_date"]) & ((_tries["case_id"] == _tries["case_id_s"]) | (_tries["case_id"] == _tries["origin"]))]
_open = _seals[~pd.MultiIndex.from_frame(_seals[["case_id", "asset_id"]]).isin(pd.MultiIndex.from_frame(_tries[["case_id_s", "asset_id"]]))]
_open = _open.merge(estates, left_on="asset_id", right_on="property_id")
_zb04 |= set(_open.loc[(_open["est_value"] > _open["mortgage_amount"]) & ~_open["sole_residence"], "case_id"])
_v["ZB-04"] = _zb04

# 终本后：ZB-11 未定期查询、ZB-12 发现财产未及时恢复执行
_own = actions.loc[actions["action_type"] == "恢复执行", ["case_id", "action_date"]].rename(columns={"action_date": "r"})
_kids = cases[cases["origin_case_id"].notna()]
_rest = pd.concat([_own, pd.DataFrame({"case_id": _kids["origin_case_id"], "r": _kids["filing_date"]})])
_zz = zb[zb["closing_date"] <= AS_OF].copy()
_r = _rest.merge(_zz[["closing_date"]], left_on="case_id", right_index=True)
_r = _r[_r["r"] > _r["closing_date"]].groupby("case_id")["r"].min()
_zz["e"] = pd.concat([_zz["closing_date"] + pd.DateOffset(years=LIMIT["post_query_years"]), _r.reindex(_zz.index)], axis=1).min(axis=1).clip(upper=AS_OF)
_q = actions[actions["action_type"] == "终本后查询"].merge(_zz[["closing_date", "e"]], left_on="case_id", right_index=True)
_q = _q[(_q["action_date"] > _q["closing_date"]) & (_q["action_date"] <= _q["e"])]
_nodes = pd.concat([pd.DataFrame({"case_id": _zz.index, "d": _zz["closing_date"]}), pd.DataFrame({"case_id": _q["case_id"], "d": _q["action_date"]}),
                    pd.DataFrame({"case_id": _zz.index, "d": _zz["e"]})]).sort_values(["case_id", "d"])
_nodes["next"] = _nodes.groupby("case_id")["d"].shift(-1)
_v["ZB-11"] = set(_nodes.loc[_nodes["next"] > _nodes["d"] + pd.DateOffset(months=LIMIT["post_query_gap_months"]), "case_id"])
_a = actions[actions["action_type"].isin(["终本后查询", "财产线索提交"]) & actions["asset_id"].notna()].merge(zb[["closing_date"]], left_on="case_id", right_index=True)
_found = _a[_a["action_date"] > _a["closing_date"]].groupby(["case_id", "asset_id"], as_index=False)["action_date"].min()
_fm = _found.merge(_rest, on="case_id", how="left")
_fm["ok"] = (_fm["r"] >= _fm["action_date"]) & (_fm["r"] <= _fm["action_date"] + pd.Timedelta(days=LIMIT["restore_days"]))
_ok = _fm.groupby(["case_id", "asset_id"])["ok"].any()
_fd = _found.set_index(["case_id", "asset_id"])["action_date"]
_bad = ~_ok.reindex(_fd.index).fillna(False).astype(bool) & (_fd + pd.Timedelta(days=LIMIT["restore_days"]) < AS_OF)
_v["ZB-12"] = {c for c, _a in _fd.index[_bad.to_numpy()]}

# 超标的查封（ZB-17）与失信信息未及时删除（ZB-21）
_est = estates[["property_id", "owner_id", "est_value"]]
_per = actions[(actions["action_type"] == "查封") & actions["asset_id"].isin(_est["property_id"])]
_per = _per.groupby(["case_id", "asset_id"], as_index=False)["action_date"].min().merge(_est, left_on="asset_id", right_on="property_id")
_agg = _per.groupby("case_id").agg(d=("action_date", "max"), n=("asset_id", "size"), total=("est_value", "sum"))
_in = actions[actions["action_type"] == "案款到账"].merge(_agg[["d"]], left_on="case_id", right_index=True)
_agg["left"] = cases.set_index("case_id").loc[_agg.index, "amount_claimed"] - _in[_in["action_date"] <= _in["d"]].groupby("case_id")["amount"].sum().reindex(_agg.index).fillna(0)
_agg["respondent_id"] = cases.set_index("case_id").loc[_agg.index, "respondent_id"]
_over = _agg[_agg["total"] > LIMIT["overseal_ratio"] * _agg["left"]]
_alt = _over.reset_index().merge(_est, left_on="respondent_id", right_on="owner_id")
_alt = _alt[_alt["est_value"].between(_alt["left"], LIMIT["overseal_ratio"] * _alt["left"])]
_alt = _alt[[(c, a) not in set(zip(_per["case_id"], _per["asset_id"])) for c, a in zip(_alt["case_id"], _alt["property_id"])]]
_v["ZB-17"] = set(_over.index[_over["n"] >= 2]) | set(_alt["case_id"])
_fin = cases.set_index("case_id")
_c = actions[actions["action_type"] == "执行完毕"].groupby("case_id")["action_date"].min().reindex(_fin.index)
_c = _c.fillna(_fin["closing_date"].where(_fin["closing_method"] == "执行完毕")).dropna()
_marks = actions[actions["action_type"].isin(["纳入失信", "删除失信"])].merge(_c.rename("c"), left_on="case_id", right_index=True)
_upto = _marks[_marks["action_date"] <= _marks["c"]]
_st = pd.DataFrame({"c": _c, "last_in": _upto[_upto["action_type"] == "纳入失信"].groupby("case_id")["action_date"].max(),
                    "last_del": _upto[_upto["action_type"] == "删除失信"].groupby("case_id")["action_date"].max(),
                    "next": _marks[(_marks["action_date"] > _marks["c"]) & (_marks["action_type"] == "删除失信")].groupby("case_id")["action_date"].min()})
_st = _st[_st["last_in"].notna() & (_st["last_del"].isna() | (_st["last_in"] > _st["last_del"]))]
_due = _st["c"] + pd.offsets.BDay(LIMIT["blacklist_delete_working_days"])
_v["ZB-21"] = set(_st.index[(_st["next"].notna() & (_st["next"] > _due)) | (_st["next"].isna() & (_due < AS_OF))])

# 只计违规：不合格级 → 不合格；瑕疵级 → 瑕疵；否则看优质条件
_severity = checklist["严重程度"]
_worst = {}
for _rule, _ids in _v.items():
    for _case in _ids & set(LAB_IDS):
        _worst[_case] = "不合格" if _severity[_rule] == "不合格" or _worst.get(_case) == "不合格" else "瑕疵"
_firsts = actions[actions["action_type"].isin(["执行通知", "网络查控"])].pivot_table(index="case_id", columns="action_type", values="action_date", aggfunc="min")
_firsts = _firsts.reindex(zb.index)
_timely = ((_firsts["执行通知"] - zb["filing_date"]).dt.days <= EXCELLENT["notice_days"]) & ((_firsts["网络查控"] - zb["filing_date"]).dt.days <= EXCELLENT["network_query_days"])
_pay = first_after("案款到账", "案款发放")
_slow_pay = set(_pay.loc[_pay["then"].isna() | ((_pay["then"] - _pay["action_date"]).dt.days > EXCELLENT["payout_days"]), "case_id"])
grades = pd.DataFrame({"case_id": LAB_IDS})
grades["grade"] = [
    _worst.get(c, "优质" if bool(_timely.get(c, False)) and c not in _slow_pay else "合格") for c in LAB_IDS
]
grade_counts = grades["grade"].value_counts().reindex(["优质", "合格", "瑕疵", "不合格"], fill_value=0)
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.bar(grade_counts.index, grade_counts.to_numpy(), color=["tab:green", "tab:blue", "tab:orange", "tab:red"])
for _i, _n in enumerate(grade_counts.to_numpy()):
    ax.text(_i, _n, str(_n), ha="center", va="bottom", fontsize=9)
ax.set_ylabel("案件数")
fig_title = "终本案件评查等级（人工评查，浙江 2023 年立案）"
ax.set_title(fig_title)
show(fig, "条形图：" + "，".join(f"{g} {n} 件" for g, n in grade_counts.items()) + f"，共 {len(LAB_IDS)} 件终本案件。")
### END SOLUTION
grade_counts

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 5} jianlab={"exports": {"grades": "dataframe", "grade_counts": "series", "fig_title": "scalar"}}
_levels = ["优质", "合格", "瑕疵", "不合格"]
assert isinstance(grades, pd.DataFrame) and {"case_id", "grade"} <= set(grades.columns), "grades 应有列 case_id、grade"
assert sorted(grades["case_id"]) == LAB_IDS, "本实验每件案件一行"
assert grades["grade"].isin(_levels).all(), f"等级只取 {_levels}"
assert (grades["grade"] == "优质").any(), "没有一件优质案件：没有违规、且办理及时的案件是优质（见 EXCELLENT），不只是合格"
assert (grades["grade"] == "合格").any(), "没有一件合格案件：没有违规只是合格，优质还须满足 EXCELLENT 的及时性条件"
assert isinstance(grade_counts, pd.Series) and list(grade_counts.index) == _levels, f"grade_counts 的索引应依次为 {_levels}"
assert (grade_counts.to_numpy() == grades["grade"].value_counts().reindex(_levels, fill_value=0).to_numpy()).all(), "grade_counts 应与 grades 一致"
assert isinstance(fig_title, str) and re.search(r"[\u4e00-\u9fff]", fig_title), "图要有中文标题"
### BEGIN HIDDEN TESTS
import pandas as pd
from review import grade_findings

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-pingcha")
_ids = sorted(p.name for p in (_ref / "casefiles").iterdir())
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
_want = grade_findings(_ref, _truth[["case_id", "rule_id"]]).set_index("case_id")["grade"].loc[_ids]
_got = grades.set_index("case_id")["grade"].reindex(_ids)
_accuracy = float((_got.to_numpy() == _want.to_numpy()).mean())
assert _accuracy >= 0.9, f"等级准确率 {_accuracy:.3f}，低于 0.9"
_by_grade = grades["grade"].value_counts()
assert all(int(grade_counts.get(g, 0)) == int(_by_grade.get(g, 0)) for g in ("优质", "合格", "瑕疵", "不合格"))
assert isinstance(fig_title, str) and any("\u4e00" <= ch <= "\u9fff" for ch in fig_title)
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（人工评分，7 分）：为问题最严重的案件起草检察建议书
#
# 从你的评查结果中选出问题最严重的一件案件（不合格级违规最多；相同时看违规总数），为它起草一份**检察建议书**，
# 送该案的执行法院。按检察机关法律文书的格式，依次写出：
#
# 1. **标题与文号**：“××市人民检察院 检察建议书”，文号如“×检民（行）执监〔2025〕×号”（格式须完整，数字可以虚拟）；
# 2. **主送单位**：该案的执行法院（卷宗中的法院名称）；
# 3. **案件来源与基本情况**：案号、当事人（用卷宗中的脱敏姓名）、执行标的、立案与终本日期；
# 4. **发现的问题**：逐条写出你发现的违规事实，每条附证据（哪份文书、哪条流程记录、日期），并把线索与违规分开写；
# 5. **依据**：每个问题对应的法律依据写到条、款、项，并写明提出建议的依据（民事诉讼法第二百四十六条、《人民检察院
#    民事诉讼监督规则》）；
# 6. **建议**：具体、可执行（如恢复执行、补正约谈、依法扣划、纳入或删除失信名单、加强终本案件管理），不越俎代庖；
# 7. **回复期限**：写明法院书面回复的期限及其依据（实践中多为收到检察建议书之日起两个月内；请以《人民检察院检察建议
#    工作规定》等规定的原文为准）；落款与日期。
#
# 篇幅 600—1000 字。

# %% [markdown] nbgrader={"grade_id": "q6_essay", "grade": true, "solution": true, "points": 7}
# ### BEGIN SOLUTION
# **参考答案（教师范文，以评查得出的一件不合格案件为例；数字与姓名为示例，学生应以本人数据为准）**
#
# **龙港市人民检察院 检察建议书**
#
# 龙检民（行）执监〔2025〕3号
#
# **龙港市人民法院：**
#
# 本院在开展终结本次执行程序案件专项评查中，对你院办理的申请执行人钱某某与被执行人何某某民间借贷纠纷执行一案
# （（2023）浙0383执5号）进行了审查。该案执行标的 20377.28 元，2023 年 9 月 28 日立案，2024 年 1 月 10 日裁定终结本次
# 执行程序，执行到位 0 元。经调阅电子卷宗、核对执行流程记录，发现以下问题：
#
# **一、终本时被执行人名下有可供执行的财产（违规）。** 2023 年 12 月 11 日网络查控反馈显示，被执行人在某银行的账户
# 余额 5,120.00 元，至终本日未冻结、未扣划，超过未履行金额的 5%。依据《最高人民法院关于严格规范终结本次执行程序
# 的规定（试行）》第一条第（三）项，终本须“未发现被执行人有可供执行的财产或者发现的财产不能处置”，该案不符合终本
# 条件。
#
# **二、终本约谈形式化（违规）。** 2024 年 1 月 6 日终本约谈笔录未告知已采取的财产调查措施，以“你还有什么要说的”
# 代替，不符合终本规定第五条告知申请执行人并听取意见的要求。
#
# **三、终本后未按期查询（违规）。** 终本后至数据截止日超过六个月无网络查询记录，不符合终本规定第九条第二款。
#
# **另：监督线索。** 该案查封的车辆在查封后仍有高速通行记录（终本规定第四条第（二）项、第九条第二款），具备扣押
# 条件，建议一并核查。该事项不属违法，单列供你院参考。
#
# 根据《中华人民共和国民事诉讼法》第二百四十六条、《人民检察院民事诉讼监督规则》关于执行监督的规定与《人民检察院
# 检察建议工作规定》，提出如下建议：
#
# 1. 依法对上述存款采取冻结、扣划措施，恢复该案执行；
# 2. 对该案终本约谈补正告知内容并听取申请执行人意见，规范终本约谈笔录；
# 3. 按期开展终本后财产查询并告知申请执行人；对查封车辆协调交管部门布控扣押；
# 4. 对同类终本案件开展自查，健全终本案件的合议评议与院长审批管理。
#
# 请你院在收到本检察建议书之日起两个月内将采纳情况书面回复本院。
#
# 龙港市人民检察院
#
# 2025 年 7 月 15 日
# ### END SOLUTION

# %% [markdown]
# ## 第 7 题（自动评分，3 分）：用规则引擎评查同一批卷宗
#
# 规则引擎 `review` 把同一份检查清单写成了 DuckDB 查询（命令行是 `jianlab review run data/enforcement-pingcha`）。在本笔记本
# 里调用它：`from review import run_review`，`result = run_review(DATA)`；`result.grades` 是每件案件的等级（Arrow 表，
# 用 `.to_pandas()` 转换），`result.findings` 是全部发现（含 `kind`：violation、lead、benchmark）。
#
# 保存 `model_grades`：本实验每件案件一行，列 `case_id`、`grade`（引擎评定的等级）；`model_leads`：引擎报告的本实验
# 案件的监督线索条数（整数）。

# %% nbgrader={"grade_id": "q7_answer", "solution": true}
### BEGIN SOLUTION
import review

_result = review.run_review(DATA)
model_grades = _result.grades.to_pandas()[["case_id", "grade"]]
model_grades = model_grades[model_grades["case_id"].isin(LAB_IDS)].sort_values("case_id", ignore_index=True)
_leads = _result.of_kind("lead")
model_leads = int(_leads["case_id"].isin(LAB_IDS).sum())
### END SOLUTION
model_grades["grade"].value_counts(), model_leads

# %% nbgrader={"grade_id": "q7_tests", "grade": true, "points": 3} jianlab={"exports": {"model_grades": "dataframe", "model_leads": "scalar"}}
assert isinstance(model_grades, pd.DataFrame) and {"case_id", "grade"} <= set(model_grades.columns), "model_grades 应有列 case_id、grade"
assert len(model_grades) < len(cases), "引擎评定了数据中的全部案件（包括执行完毕等），只保留本实验的终本案件"
assert sorted(model_grades["case_id"]) == LAB_IDS, "本实验每件案件一行"
assert model_grades["grade"].isin(["优质", "合格", "瑕疵", "不合格"]).all(), "等级只取优质、合格、瑕疵、不合格"
assert isinstance(model_leads, (int, np.integer)) and model_leads > 0, "model_leads 是本实验案件的线索条数（kind == 'lead'）"
### BEGIN HIDDEN TESTS
import pandas as pd
from review import grade_findings

from jianlab.grading.runtime import reference_dir, truth_dir

_ref = reference_dir("enforcement-pingcha")
_ids = sorted(p.name for p in (_ref / "casefiles").iterdir())
_truth = pd.read_parquet(truth_dir("enforcement-pingcha") / "violations.parquet")
_want = grade_findings(_ref, _truth[["case_id", "rule_id"]]).set_index("case_id")["grade"].loc[_ids]
assert (model_grades.set_index("case_id")["grade"].reindex(_ids).to_numpy() == _want.to_numpy()).all()
_lead_rules = {"ZB-04V", "ZB-04I"}
assert model_leads == int((_truth["rule_id"].isin(_lead_rules) & _truth["case_id"].isin(_ids)).sum())
### END HIDDEN TESTS

# %% [markdown]
# ## 第 8 题（人工评分，6 分）：案件反向审视
#
# 把你在第 5 题评定的等级与第 7 题引擎的等级逐案比较（可以在下面的空白单元里做，不计分），再写一段 500—800 字的反向
# 审视，回答：
#
# 1. 两者在多少件案件上一致？不一致的案件各是哪一条规则造成的，是你的理解与清单的判定条件不同，还是代码的错误？
#    举两件具体案件（案号）说明；
# 2. 人工评查能看到而规则引擎看不到的问题：例如约谈笔录中的短语都在、但内容敷衍；执行通知书与裁定书中执行依据的
#    文号不一致；送达回证由亲属代收是否有效；失信的其他条件（有履行能力而拒不履行）需要判断；
# 3. 规则引擎能做到而人工难以做到的：全部案件、全部期限、终本后多年的查询间隔、登记簿的所有权历史；
# 4. 线索（ZB-04V、ZB-04I）为什么要人工核实后才能写进检察建议书，考核节点（ZB-03）为什么不能写成违法；
# 5. 合成数据上模型与真值完全一致，真实数据上不会：说出两种可能使模型出错的数据问题，以及“一案三查”中评查部门
#    应当怎样使用模型的结果。

# %%
# 比较第 5 题与第 7 题的等级（不计分）：例如
# pd.crosstab(grades.set_index("case_id")["grade"], model_grades.set_index("case_id")["grade"])

# %% [markdown] nbgrader={"grade_id": "q8_essay", "grade": true, "solution": true, "points": 6}
# ### BEGIN SOLUTION
# **参考答案（教师范文）**
#
# **一致程度与差异来源。** 参考答案按检查清单逐条实现后，人工评查与引擎在全部案件上的等级一致，发现逐条相同。学生
# 的答案中常见的差异有三类：把线索（保单冻结未扣划）当作违规，使本应优质或合格的案件降为瑕疵或不合格；把“超过
# 三个月”理解为“满三个月”，漏掉恰好满三个月之日终本的案件；按“曾经登记在被执行人名下”判断财产归属，把立案前已过户
# 给亲属的房产算作带财终本。前两类是对法条的理解问题，第三类是对登记数据含义的误读，都应回到判定条件逐字核对。
#
# **人工能看到而模型看不到的。** 规则引擎只检查约谈笔录中五项要素的短语是否出现，笔录写了“财产调查措施”却只有一句
# 空话，模型仍判合规；执行通知书与裁定书记载的执行依据文号不一致（如“民初5654号”与“民初338号”），模型不读；送达
# 回证由亲属代收、被执行人是否真正知悉，失信的其他条件（有履行能力而拒不履行），都需要评查人员结合卷宗判断。
#
# **模型能做到而人工难以做到的。** 一百多件案件、每件十几项期限，人工逐件核对既慢又容易漏；终本后五年内每六个月的
# 查询间隔、过户历史中“Q 日的所有人”、多案之间的原案与恢复执行关系，都是模型的长处。
#
# **线索与考核节点。** 车辆查封未扣押、保单冻结未扣划，依终本规定第四条第（二）项终本本身合法；线索只说明“可能可以
# 继续执行”，车辆是否还在、保单能否退保，须调查核实后才能写进检察建议书，否则建议缺乏事实依据。五日网络查控是
# 2017 年第三方评估的指标，不是法律或司法解释的要求，不能作为违法事实提出。
#
# **真实数据与“一案三查”。** 真实数据中，流程节点漏录或补录（如约谈做了但系统未登记）、登记簿的过户滞后、号牌识别
# 错误，都会使模型出现误报与漏报；合成数据上 F1 为 1，真实数据只能靠抽样核实估计精确率。评查部门应把模型的结果作为
# 筛查与排序的工具：先按模型把不合格与涉民生案件排在前面，再由评查人员逐件阅卷确认，把人工发现的新问题反馈给规则
# 目录，形成“人工—模型—人工”的闭环，而不是直接以模型结论定案。
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止后随反馈发布）
#
# 数据中每一条违规、线索与考核节点都记录在评分端的 `_truth/violations.parquet`，每件案件的“真值等级”由这些记录按
# 同一评定规则得出；学生的数据副本中没有。截止日期之后，教师运行本节，把你的发现逐条规则的精确率与召回率、你的等级
# 与真值等级的对照随反馈发给每位同学。检查清单的每一条与生成过程逐条对应，完整的参考答案两者都是 1；真实数据中没有
# 这样的答案，只能靠抽样阅卷估计。

# %% tags=["instructor"]
# 教师版：发现与等级相对真值的对照（学生版不含本单元；真值只在评分端提供）。
from review import grade_findings

from jianlab.grading.runtime import reference_dir, truth_dir

try:
    _truth_path = truth_dir("enforcement-pingcha")
except FileNotFoundError as _missing:
    print(_missing)
else:
    _v = pd.read_parquet(_truth_path / "violations.parquet")
    _v = _v[_v["case_id"].isin(LAB_IDS)]
    _want = set(zip(_v["case_id"], _v["rule_id"], _v["asset_id"].fillna("")))
    _mine = findings if "findings" in globals() and isinstance(findings, pd.DataFrame) else pd.DataFrame(columns=["case_id", "rule_id", "asset_id"])
    _got = set(zip(_mine["case_id"], _mine["rule_id"], _mine["asset_id"].fillna("")))
    _rows = []
    for _rule in checklist.index:
        _w = {k for k in _want if k[1] == _rule}
        _g = {k for k in _got if k[1] == _rule}
        _rows.append({"规则": _rule, "类别": checklist.loc[_rule, "类别"], "真值条数": len(_w), "你的条数": len(_g),
                      "精确率": len(_w & _g) / len(_g) if _g else np.nan, "召回率": len(_w & _g) / len(_w) if _w else np.nan})
    display(pd.DataFrame(_rows).set_index("规则").round(3))
    _f1 = 2 * len(_want & _got) / (len(_want) + len(_got)) if _want or _got else 1.0
    print(f"全部发现的 F1 = {_f1:.3f}")
    _truth_grades = grade_findings(reference_dir("enforcement-pingcha"), _v[["case_id", "rule_id"]]).set_index("case_id")["grade"].reindex(LAB_IDS)
    if "grades" in globals() and isinstance(grades, pd.DataFrame):
        _mine_g = grades.set_index("case_id")["grade"].reindex(LAB_IDS)
        print(f"等级准确率 = {(_mine_g == _truth_grades).mean():.3f}")
        display(pd.crosstab(_mine_g.rename("你的等级"), _truth_grades.rename("真值等级")))
    else:
        display(_truth_grades.value_counts().rename("真值等级的案件数"))
