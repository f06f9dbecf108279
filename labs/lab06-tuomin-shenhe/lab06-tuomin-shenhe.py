# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验六：数据脱敏与共享审查——标识符、k-匿名、发布检查与审核意见
#
# **预计用时**：3 小时（阅读背景与数据 30 分钟，第 1—6 题约 1 小时 50 分钟，第 7 题审核意见 40 分钟）。
#
# **先修**：实验二或实验五（执行案件的表与电子卷宗）；pandas 的 `groupby`、`merge` 与字符串方法；会读写 YAML。
#
# **学习目标**——完成本实验后，你能够：
#
# 1. 在一份原始摘录（中文表头的表格与电子卷宗）中区分**直接标识符**、**准标识符**、**敏感属性**与**关联键**，并说出
#    每一类的法律依据；
# 2. 在声明的准标识符上计算 k-匿名、l-多样性与样本唯一记录，解释它们各自防的是哪一种再识别；
# 3. 比较几种泛化方案的信息损失（抑制比例、平均等价类大小），为发布选定一种并说明代价；
# 4. 用项目的脱敏策略 YAML 和 `desensitize` 库发布整个数据集，读懂发布检查拒绝一份草稿的理由并修复它；
# 5. 证明发布后关联键仍能连接各表、案件内的日期间隔不变；
# 6. 写出检察院数据管理部门可以签发的**数据共享审核意见**。
#
# **评分**：共 30 分。第 1—6 题自动评分（23 分），第 7 题由教师按评分细则人工评分（7 分）。可见测试只检查常见错误
# （提示你复查什么，不给出答案）；隐藏测试在评分程序中、在你的内核之外，用评分端保存的原始数据重新计算：第 5 题的
# 隐藏测试**不看你的策略**，直接拿原始摘录中每一个个人标识值（表中的，以及卷宗中的每一处个人信息），在你发布的
# 每个单元格和每份文书里查找——全角折叠为半角、去掉空格与连字符之后再找。
# 每道题自成一体：请从下面载入的原始摘录出发，不要使用其他题的变量。截止后发布反馈，附“真值对照”一节。

# %% [markdown]
# ## 背景：可以共享什么、怎样处理、谁来审批
#
# **法律依据。**
#
# - 《中华人民共和国个人信息保护法》（2021 年 8 月 20 日第十三届全国人民代表大会常务委员会第三十次会议通过，
#   2021 年 11 月 1 日施行）：
#   - **第四条**：个人信息是已识别或者可识别的自然人的各种信息，**不包括匿名化处理后的信息**；
#   - **第七十三条第（三）项**：**去标识化**，是指个人信息经过处理，使其在不借助额外信息的情况下无法识别特定自然人
#     的过程；**第（四）项**：**匿名化**，是指个人信息经过处理无法识别特定自然人且不能复原的过程。用密钥生成的一致
#     代号可以由持钥人复原，所以本实验的发布是**去标识化**，发布物仍是个人信息；
#   - **第二十八条**：金融账户、行踪轨迹等是敏感个人信息；**第五十一条**：处理者应当采取加密、去标识化等安全技术措施；
#   - **第三十四条**：国家机关为履行法定职责处理个人信息，不得超出履行法定职责所必需的范围和限度；
#   - **第五十五条第（三）项**、**第五十六条**：向他人提供个人信息前，应当进行个人信息保护影响评估，评估处理目的与
#     方式是否合法、正当、必要，对个人权益的影响与安全风险，保护措施是否有效。
# - 《中华人民共和国数据安全法》（2021 年 6 月 10 日第十三届全国人民代表大会常务委员会第二十九次会议通过，2021 年
#   9 月 1 日施行）**第三十八条**：国家机关对在履行职责中知悉的个人隐私、个人信息等数据应当依法予以保密，不得泄露
#   或者非法向他人提供；**第三十九条**：国家机关应当建立健全数据安全管理制度，落实数据安全保护责任。
# - 最高人民法院《关于人民法院在互联网公布裁判文书的规定》（法释〔2016〕19 号，2016 年 8 月 29 日公布，2016 年
#   10 月 1 日施行）**第十条**：删除自然人的家庭住址、通讯方式、身份证号码、银行账号、健康状况、车牌号码、动产或者
#   不动产权属证书编号等个人信息；**第八条**、**第九条**规定哪些人的姓名隐名、怎样隐名（项目的 `court` 策略即按此
#   实现，见 `docs/desensitize.md`）。
# - 国家标准 GB/T 37964—2019《信息安全技术 个人信息去标识化指南》（国家市场监督管理总局、国家标准化管理委员会
#   2019 年 8 月 30 日发布，2020 年 3 月 1 日实施）：把标识符分为**直接标识符**（单独即可识别个人，如姓名、身份证号）
#   与**准标识符**（与其他信息结合才能识别个人，如性别、出生日期、住址所在地），规定去标识化的过程为**确定目标 →
#   识别标识 → 处理标识 → 验证审批 → 监控审查**，并以 K-匿名等模型衡量再识别风险。去标识化效果的分级评估见
#   GB/T 42460—2023《信息安全技术 个人信息去标识化效果评估指南》（2023 年 10 月 1 日实施）。
#
# **术语。** 本实验把 GB/T 37964 的术语用在一张表上：
#
# - **等价类**：在全部准标识符上取值都相同的一组记录；
# - **k-匿名**：最小等价类的记录数 k。k = 1 表示至少有一个人在这些属性上独一无二——知道他性别、生日和户籍的人能在
#   表中找到他（“样本唯一”）；
# - **l-多样性**：每个等价类中敏感属性至少有 l 个不同取值。k 再大，若一个等价类里的人结案方式全是“终结本次执行程序”，
#   知道某人在这个类里就知道了他的结案方式；
# - **信息损失**：为达到 k 而泛化（把出生日期变成年代、把区县变成地市）或抑制（把个别记录的准标识符置空）带来的损失。
#
# **项目的工具。** `desensitize` 库（`docs/desensitize.md`）按**策略 YAML** 发布整个数据集：先按表头和内容判断每一列的
# 角色，再对每类实体（`PERSON`、`ID_CARD`、`PHONE`……）施加策略指定的算子（`pseudonym` 带密钥的一致代号、`redact`
# 删除、`generalize` 泛化、`date_shift` 日期平移、`keep` 保留），最后做**发布检查**：残留扫描、原始值不出现、密钥不出现、
# 在声明的准标识符上 k 不低于目标。任何一项不通过，发布被拒绝（`ReleaseRefused`），输出目录里什么也不留下。策略的
# 全部字段见 `tools/desensitize/policies/` 中的三个内置策略（`teaching`、`court`、`research`）。

# %% [markdown]
# ## 数据
#
# 本实验使用**合成的**民事执行小样本 `enforcement-extract`（浙江，2023 年立案，约 1,100 名人员、430 件执行案件、
# 80 余份电子卷宗）。姓名、身份证号、电话、账号都是生成的：身份证号符合 GB 11643 的校验规则但不属于任何真实的人。
# 哪些文字是个人信息，生成器逐处记录在评分端的答案（`_truth/pii_spans.jsonl`）中，你的数据副本里没有。完整的列说明
# 与已知局限见 `data/enforcement-extract/codebook.md`。
#
# 下面的单元把数据集导出为一份**原始摘录**（目录 `WORK / "原始摘录"`），就像业务系统交给数据管理部门的那样：每张表用中文
# 表名，每一列用编码手册中的中文名称（姓名、公民身份号码、手机号码……）作表头；系统生成的关联键（`person_id`、
# `case_id`、`owner_id` 等以 `_id` 结尾的列）保留系统字段名；电子卷宗原样放在 `原始摘录/casefiles/` 下。
#
# | 变量 | 摘录中的表 | 每行是 |
# |---|---|---|
# | `raw["人员"]` | `人员.parquet` | 一个自然人：当事人、亲属、企业法定代表人 |
# | `raw["执行案件"]` | `执行案件.parquet` | 一件执行案件；`respondent_id`、`applicant_id` 指向人员或企业 |
# | `raw["车辆"]` | `车辆.parquet` | 一辆登记车辆；`owner_id` 为所有人 |
# | `raw["银行账户"]` | `银行账户.parquet` | 一个存款或网络资金账户；`owner_id` 为户主 |
# | `raw["不动产"]` | `不动产.parquet` | 一处不动产；`owner_id` 为权利人 |
# | `raw_docs` | `casefiles/<案件编号>/*.txt` | 一份文书（执行通知书、报告财产令、约谈笔录、终本裁定书……） |
#
# `KEY` 是本次运行随机生成的 32 字节密钥：代号与日期平移都由它决定。真实工作中密钥由数据管理部门单独保管，不随数据
# 共享；本实验每次运行重新生成，所以两次运行的代号不同。`WORK` 是本次运行的临时工作目录（原始摘录、预处理与各次发布
# 都写在这里，不随作业提交，也不占评分时复制的时间；路径见下一单元的输出）；`fresh(名称)` 返回 `WORK / "发布" / 名称`
# 这个空目录，供一次发布写入。

# %%
import json
import secrets
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from IPython.display import Image, display

from desensitize import ReleaseRefused, desensitize_dataset, load_policy, measure
from jianlab.labs.extract import EXTRACT, labels, write_extract
from jianlab.plotting import setup_cjk

setup_cjk()
DATA = Path("data") / "enforcement-extract"
WORK = Path(tempfile.mkdtemp(prefix="lab06-"))
RAW = WORK / "原始摘录"
raw = write_extract(DATA, RAW)
raw_docs = {p.relative_to(RAW).as_posix(): p.read_text(encoding="utf-8") for p in sorted((RAW / "casefiles").rglob("*.txt"))}
KEY = secrets.token_bytes(32)
K_TARGET = 5


def fresh(name):
    """WORK/发布/<name>：一个空目录（已存在时先删除），供一次发布写入。"""
    out = WORK / "发布" / name
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def read_release(out):
    """读回一次发布：(表名 → DataFrame, 文书路径 → 文本)。"""
    tables = {p.stem: pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}
    docs = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted((out / "casefiles").rglob("*.txt"))}
    return tables, docs


def show(fig, alt):
    """显示图形并附上替代文字（读屏软件朗读的文字说明）。"""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), alt=alt))


print("工作目录：", WORK)
print({name: frame.shape for name, frame in raw.items()}, "文书", len(raw_docs), "份")
_codebook = json.loads((DATA / "codebook.json").read_text(encoding="utf-8"))["tables"]
_headers = {table: labels(DATA, table) for table in EXTRACT}
pd.DataFrame(
    [{"表": name, "列（表头）": _headers[table].get(column, column), "说明": spec.get("description", "")}
     for table, name in EXTRACT.items() for column, spec in _codebook[table]["columns"].items()
     if _headers[table].get(column, column) in raw[name].columns]
).style.hide(axis="index")

# %% [markdown]
# 先看一眼原始摘录：人员表的前几行，和一份执行通知书。

# %%
display(raw["人员"].head(3))
print(raw_docs[next(iter(raw_docs))][:400])

# %% [markdown]
# ## 第 1 题（自动评分，3 分）：哪些列是直接标识符
#
# 逐表检查原始摘录的每一列，找出全部**直接标识符**：单独一项就能指向一个自然人（或其名下的某项财产，从而指向这个
# 人）的列。保存为 `DataFrame` 变量 `direct_identifiers`，每列一行，列：`表`（如 `"人员"`）、`列`（表头，如 `"姓名"`）、
# `依据`（一句话：哪部法律或标准的哪一条要求处理它）。
#
# 提示：对照法释〔2016〕19 号第十条逐项找；以 `_id` 结尾的关联键是系统生成的编号，不在本题范围内（第 6 题讨论它们）；
# 出生日期、性别这类列单独指不出一个人，属于准标识符（第 2 题）。

# %% nbgrader={"grade_id": "q1_answer", "solution": true}
### BEGIN SOLUTION
direct_identifiers = pd.DataFrame(
    [
        ("人员", "姓名", "个人信息保护法第七十三条；法释〔2016〕19号第八、九条（隐名）"),
        ("人员", "公民身份号码", "法释〔2016〕19号第十条第（一）项：身份证号码"),
        ("人员", "手机号码", "法释〔2016〕19号第十条第（一）项：通讯方式"),
        ("车辆", "号牌号码", "法释〔2016〕19号第十条第（一）项：车牌号码"),
        ("银行账户", "账号", "法释〔2016〕19号第十条第（一）项：银行账号；个人信息保护法第二十八条：金融账户"),
        ("不动产", "不动产权证号", "法释〔2016〕19号第十条第（一）项：不动产权属证书编号"),
        ("不动产", "坐落", "法释〔2016〕19号第十条第（一）项：家庭住址（门牌号精确到户）"),
    ],
    columns=["表", "列", "依据"],
)
### END SOLUTION
direct_identifiers

# %% nbgrader={"grade_id": "q1_tests", "grade": true, "points": 3} jianlab={"exports": {"direct_identifiers": "dataframe"}}
assert isinstance(direct_identifiers, pd.DataFrame) and {"表", "列", "依据"} <= set(direct_identifiers.columns), "应为含 表、列、依据 三列的 DataFrame"
_pairs1 = set(zip(direct_identifiers["表"], direct_identifiers["列"], strict=True))
_unknown1 = [f"{t}.{c}" for t, c in _pairs1 if t not in raw or c not in raw[t].columns]
assert not _unknown1, f"原始摘录中没有这些表或列：{_unknown1}（表名与表头要逐字一致）"
assert not [c for _, c in _pairs1 if c.endswith("_id")], "以 _id 结尾的是系统生成的关联键，不是直接标识符（见第 6 题）"
assert not {c for _, c in _pairs1} & {"出生日期", "性别", "民族", "文化程度"}, "出生日期、性别、民族、文化程度单独指不出一个人：它们是准标识符"
assert ("人员", "姓名") in _pairs1, "姓名是最直接的标识符"
assert direct_identifiers["依据"].astype(str).str.len().min() >= 4, "每一列都要写出依据"
### BEGIN HIDDEN TESTS
from jianlab.grading.runtime import reference_dir
from jianlab.labs.extract import identifier_headers

_columns = {"persons": ["name", "id_number", "phone"], "vehicles": ["plate"], "bank_accounts": ["account_number"],
            "real_estate": ["certificate_number", "address"]}
_want = identifier_headers(reference_dir("enforcement-extract"), _columns)
_got = set(zip(direct_identifiers["表"], direct_identifiers["列"], strict=True))
assert not (_want - _got), "漏掉了直接标识符"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 2 题（自动评分，4 分）：原始摘录的再识别风险
#
# 人员表的**准标识符**取 `QI`（下一单元给出）：性别、出生日期、民族、文化程度、户籍地区划代码、现住地区划代码——
# 它们都可能从别处（户籍、判决书、社交网络）得知。**敏感属性**取执行案件的 `结案方式`：被执行人是否被“终结本次执行
# 程序”（通常意味着无财产可供执行）正是不应被他人推知的信息。
#
# 1. 在原始的 `raw["人员"]` 上计算：k（最小等价类的记录数）、等价类个数、样本唯一记录数（独自成类的记录）及其占全部
#    记录的比例。保存为字典 `raw_risk`，键 `"k"`、`"classes"`、`"sample_uniques"`、`"sample_unique_share"`。
# 2. **被执行人视图**：执行案件中被执行人为自然人的每一件案件一行（`respondent_id` 连接 `人员.person_id`），带上该
#    被执行人的准标识符和本案的 `结案方式`。在这个视图上计算 l-多样性（每个等价类中 `结案方式` 不同取值的个数，取
#    最小值），保存为整数 `raw_l`。
# 3. 准标识符是一个一个叠加起作用的。保存 `pandas.Series` 变量 `uniques_by_qi`：索引依次为 `QI` 中的六个列名，第 i 个
#    值是只用 `QI` 的**前 i 个**准标识符时人员表中样本唯一的人数（只用性别、用性别和出生日期……直到全部六个）。画一张
#    柱状图 `fig`（横轴“依次加入的准标识符”，纵轴“样本唯一的人数”，中文标题），用 `show` 显示，替代文字保存为 `fig_alt`。
#
# 提示：`desensitize.measure(表, 准标识符列表, 敏感列)` 返回 k、等价类数、样本唯一数与 l-多样性（`docs/desensitize.md`）；
# 也可以直接用 `groupby(QI)` 计算。

# %%
QI = ["性别", "出生日期", "民族", "文化程度", "户籍地区划代码", "现住地区划代码"]

# %% nbgrader={"grade_id": "q2_answer", "solution": true}
### BEGIN SOLUTION
_r = measure(raw["人员"], QI)
raw_risk = {"k": _r.k, "classes": _r.classes, "sample_uniques": _r.sample_uniques,
            "sample_unique_share": _r.sample_uniques / _r.rows}
_cases = raw["执行案件"]
_view = _cases.loc[_cases["被执行人类型"] == "自然人", ["respondent_id", "结案方式"]].merge(
    raw["人员"], left_on="respondent_id", right_on="person_id")
raw_l = measure(_view, QI, "结案方式").l_diversity
uniques_by_qi = pd.Series(
    {column: measure(raw["人员"], QI[: i + 1]).sample_uniques for i, column in enumerate(QI)})
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.bar([f"+{c}" for c in uniques_by_qi.index], uniques_by_qi.to_numpy(), color="tab:red")
for _x, _v in enumerate(uniques_by_qi.to_numpy()):
    ax.text(_x, _v, f"{_v:,}", ha="center", va="bottom", fontsize=8)
ax.tick_params(axis="x", labelrotation=20)
ax.set_xlabel("依次加入的准标识符")
ax.set_ylabel("样本唯一的人数")
ax.set_title("准标识符逐个叠加时，人员表中独一无二的人数")
fig_alt = "；".join(f"加入{c}后样本唯一 {v} 人" for c, v in uniques_by_qi.items()) + f"（共 {len(raw['人员'])} 人）。"
show(fig, fig_alt)
### END SOLUTION
raw_risk, raw_l

# %% nbgrader={"grade_id": "q2_tests", "grade": true, "points": 4} jianlab={"exports": {"raw_risk": "json", "raw_l": "scalar", "uniques_by_qi": "series"}}
import matplotlib.figure

assert isinstance(raw_risk, dict) and set(raw_risk) == {"k", "classes", "sample_uniques", "sample_unique_share"}, "raw_risk 的键应为 k、classes、sample_uniques、sample_unique_share"
_n2 = len(raw["人员"])
assert 1 <= raw_risk["k"] <= _n2 and raw_risk["sample_uniques"] <= raw_risk["classes"] <= _n2, "k、等价类数、样本唯一数的大小关系不对"
assert abs(raw_risk["sample_unique_share"] - raw_risk["sample_uniques"] / _n2) < 1e-9, "样本唯一比例的分母是人员表的记录数"
_distinct2 = raw["执行案件"].loc[raw["执行案件"]["被执行人类型"] == "自然人", "结案方式"].nunique()
assert isinstance(raw_l, int | float) and 1 <= raw_l < _distinct2, "l 是每个等价类内不同结案方式个数的最小值，不是全表不同结案方式的个数"
assert isinstance(uniques_by_qi, pd.Series) and list(uniques_by_qi.index) == QI, "uniques_by_qi 的索引应依次为 QI 中的六个列名"
assert uniques_by_qi.is_monotonic_increasing, "多加一个准标识符，等价类只会更细：样本唯一的人数不应减少（是否每次只用了一个准标识符，而不是前 i 个？）"
assert uniques_by_qi.iloc[-1] == raw_risk["sample_uniques"], "用全部六个准标识符时，样本唯一人数应与 raw_risk 一致"
assert isinstance(fig, matplotlib.figure.Figure) and any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_title()), "图要有中文标题"
assert isinstance(fig_alt, str) and len(fig_alt) >= 20, "请用 fig_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
from jianlab.labs.extract import read as read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("enforcement-extract")
_qi = ["gender", "birth_date", "ethnicity", "education", "hukou_division_code", "residence_division_code"]
_p = read_table(_ref, "persons", ["person_id", *_qi])
_s = _p.groupby(_qi, dropna=False)["gender"].transform("size")
assert raw_risk["k"] == int(_s.min())
assert raw_risk["classes"] == len(_p[_qi].drop_duplicates())
assert raw_risk["sample_uniques"] == int((_s == 1).sum())
assert abs(raw_risk["sample_unique_share"] - float((_s == 1).mean())) < 1e-9
_c = read_table(_ref, "enforcement_cases", ["respondent_id", "respondent_type", "closing_method"])
_v = _c[_c["respondent_type"] == "自然人"].merge(_p, left_on="respondent_id", right_on="person_id")
assert raw_l == int(_v.groupby(_qi, dropna=False)["closing_method"].nunique(dropna=False).min())
for _i, _col in enumerate(["性别", "出生日期", "民族", "文化程度", "户籍地区划代码", "现住地区划代码"]):
    _u = _p.groupby(_qi[: _i + 1], dropna=False)["gender"].transform("size")
    assert int(uniques_by_qi[_col]) == int((_u == 1).sum()), f"只用前 {_i + 1} 个准标识符时的样本唯一人数不对"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 3 题（自动评分，4 分）：泛化方案与信息损失
#
# 为了提高 k，要把准标识符变粗（泛化），剩下仍然太小的等价类，把其中记录的准标识符置空（局部抑制）。比较三种方案
# （都作用在 `raw["人员"]` 的 `QI` 上）：
#
# - **甲**：出生日期 → 出生年份（如 `"1978"`），其余不变；
# - **乙**：出生日期 → 出生年代（年份向下取整到 10 的倍数，如 `"1970年代"`）；民族 → `"汉族"` 或 `"少数民族"`；
#   户籍地区划代码与现住地区划代码 → 地市级（前 4 位加 `"00"`，如 `"330782"` → `"330700"`）；文化程度不变；
# - **丙**：乙，再去掉文化程度这一列（发布时整列删除）。
#
# 对每种方案，在泛化后的准标识符上计算：`k`；`等价类数`；`低于k的记录数`（所在等价类小于 `K_TARGET` 的**记录**数，
# 即要达到 k ≥ 5 必须局部抑制的记录）；`抑制比例`（低于 k 的记录数 ÷ 人员表的记录数）；`平均等价类大小`（记录数 ÷
# 等价类数 ÷ `K_TARGET`，即 LeFevre 等人的 C_avg：越接近 1，泛化越没有浪费）。保存为 `DataFrame` 变量 `loss_table`，
# 索引为 `"甲"`、`"乙"`、`"丙"`，列为上述五项。
#
# 再画一张横向条形图 `fig`，每种方案一根条，长度为抑制比例，横轴“需要局部抑制的记录比例”，中文标题；用 `show` 显示，
# 替代文字保存为 `fig_alt`。

# %% nbgrader={"grade_id": "q3_answer", "solution": true}
### BEGIN SOLUTION
def generalize(people, scheme):
    """按方案 甲/乙/丙 泛化准标识符，返回只含准标识符的新表。"""
    q = people[QI].copy()
    year = pd.to_datetime(q["出生日期"]).dt.year
    if scheme == "甲":
        q["出生日期"] = year.astype(str)
        return q
    q["出生日期"] = (year // 10 * 10).astype(str) + "年代"
    q["民族"] = q["民族"].where(q["民族"] == "汉族", "少数民族")
    for column in ("户籍地区划代码", "现住地区划代码"):
        q[column] = q[column].str[:4] + "00"
    return q.drop(columns="文化程度") if scheme == "丙" else q


_rows = {}
for _scheme in ("甲", "乙", "丙"):
    _q = generalize(raw["人员"], _scheme)
    _r = measure(_q, list(_q.columns), k_target=K_TARGET)
    _rows[_scheme] = {"k": _r.k, "等价类数": _r.classes, "低于k的记录数": _r.records_below_k,
                      "抑制比例": _r.records_below_k / _r.rows, "平均等价类大小": _r.rows / _r.classes / K_TARGET}
loss_table = pd.DataFrame.from_dict(_rows, orient="index")
fig, ax = plt.subplots(figsize=(6.5, 2.6))
ax.barh(loss_table.index[::-1], loss_table["抑制比例"].to_numpy()[::-1], color="tab:blue")
for _y, _v in enumerate(loss_table["抑制比例"].to_numpy()[::-1]):
    ax.text(_v, _y, f" {_v:.1%}", va="center", fontsize=8)
ax.set_xlim(0, 1.12)
ax.set_xlabel("需要局部抑制的记录比例")
ax.set_title(f"三种泛化方案要达到 k ≥ {K_TARGET} 须抑制的记录")
fig_alt = "；".join(f"方案{s}：k = {r['k']}，须抑制 {r['抑制比例']:.1%} 的记录" for s, r in loss_table.iterrows())
show(fig, fig_alt)
### END SOLUTION
loss_table.round(3)

# %% nbgrader={"grade_id": "q3_tests", "grade": true, "points": 4} jianlab={"exports": {"loss_table": "dataframe"}}
_cols3 = ["k", "等价类数", "低于k的记录数", "抑制比例", "平均等价类大小"]
assert isinstance(loss_table, pd.DataFrame) and list(loss_table.index) == ["甲", "乙", "丙"], "loss_table 的索引应为 甲、乙、丙"
assert set(_cols3) <= set(loss_table.columns), f"loss_table 应有列 {_cols3}"
_n3 = len(raw["人员"])
assert ((loss_table["抑制比例"] - loss_table["低于k的记录数"] / _n3).abs() < 1e-9).all(), "抑制比例的分母是人员表的记录数"
assert ((loss_table["平均等价类大小"] - _n3 / loss_table["等价类数"] / K_TARGET).abs() < 1e-9).all(), "平均等价类大小 = 记录数 ÷ 等价类数 ÷ K_TARGET"
assert loss_table["等价类数"].is_monotonic_decreasing, "方案越粗，等价类只会越少：甲、乙、丙的等价类数应依次减少"
assert loss_table.loc["甲", "低于k的记录数"] > loss_table.loc["甲", "等价类数"] / 2, "低于 k 的是记录数，不是等价类个数"
assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes[0].patches) == 3, "图中应有三根条"
assert any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_xlabel() + fig.axes[0].get_title()), "横轴与标题应为中文"
assert isinstance(fig_alt, str) and len(fig_alt) >= 20, "请用 fig_alt 写出图的中文替代文字"
### BEGIN HIDDEN TESTS
import pandas as pd
from jianlab.labs.extract import read as read_table

from jianlab.grading.runtime import reference_dir

_p = read_table(reference_dir("enforcement-extract"), "persons",
                ["gender", "birth_date", "ethnicity", "education", "hukou_division_code", "residence_division_code"])
_year = pd.to_datetime(_p["birth_date"]).dt.year
_coarse = pd.DataFrame({"g": _p["gender"], "b": (_year // 10 * 10).astype(str), "e": _p["ethnicity"] == "汉族",
                        "h": _p["hukou_division_code"].str[:4], "r": _p["residence_division_code"].str[:4]})
_schemes = {"甲": _p.assign(birth_date=_year), "乙": _coarse.assign(d=_p["education"]), "丙": _coarse}
for _name, _q in _schemes.items():
    _size = _q.groupby(list(_q.columns), dropna=False)[_q.columns[0]].transform("size")
    _classes = len(_q.drop_duplicates())
    assert int(loss_table.loc[_name, "k"]) == int(_size.min()), f"方案{_name}的 k 不对"
    assert int(loss_table.loc[_name, "等价类数"]) == _classes, f"方案{_name}的等价类数不对"
    assert int(loss_table.loc[_name, "低于k的记录数"]) == int((_size < 5).sum()), f"方案{_name}低于 k 的记录数不对"
    assert abs(float(loss_table.loc[_name, "抑制比例"]) - float((_size < 5).mean())) < 1e-9
    assert abs(float(loss_table.loc[_name, "平均等价类大小"]) - len(_q) / _classes / 5) < 1e-9
### END HIDDEN TESTS

# %% [markdown]
# ## 第 4 题（自动评分，2 分）：读懂发布检查的拒绝
#
# 业务部门交来一份策略草稿 `DRAFT_POLICY`（下一单元）。它给每类实体都指定了算子，但为了“方便回访”保留了手机号码，
# 也没有处理准标识符，只在 `risk` 中声明了人员表的准标识符。用它发布原始摘录：
# `desensitize_dataset(RAW, fresh("草稿"), 策略, KEY)`，策略用 `load_policy(YAML 文件路径)` 读入。发布会被拒绝：捕获
# `ReleaseRefused`，把它的 `failures`（拒绝理由的列表，每条一句中文）保存为 `draft_failures`。读一读每条理由：它指出了
# 哪张表、哪一列、哪项检查？第 5 题要逐条修复。

# %%
DRAFT_POLICY = """
name: draft
description: 业务部门的草稿：保留手机号码以便回访，准标识符未处理
entities:
  PERSON: {operator: pseudonym}
  MASKED_PERSON: {operator: keep}
  ID_CARD: {operator: pseudonym, params: {style: token}}
  PHONE: {operator: keep}
  LANDLINE: {operator: keep}
  BANK_CARD: {operator: pseudonym, params: {style: token}}
  PLATE: {operator: pseudonym, params: {style: token}}
  PROPERTY_CERT: {operator: pseudonym, params: {style: token}}
  PASSPORT: {operator: redact}
  VIN: {operator: redact}
  EMAIL: {operator: redact}
  ONLINE_ID: {operator: redact}
  ACCOUNT_NUMBER: {operator: redact}
  ADDRESS: {operator: generalize, params: {to: county}}
  USCC: {operator: keep}
  DATE: {operator: keep}
risk:
  k: 5
  quasi_identifiers:
    人员: [性别, 出生日期, 民族, 文化程度, 户籍地区划代码, 现住地区划代码]
"""

# %% nbgrader={"grade_id": "q4_answer", "solution": true}
### BEGIN SOLUTION
_path = WORK / "草稿策略.yaml"
_path.write_text(DRAFT_POLICY, encoding="utf-8")
try:
    desensitize_dataset(RAW, fresh("草稿"), load_policy(_path), KEY)
    draft_failures = []
except ReleaseRefused as refused:
    draft_failures = list(refused.failures)
### END SOLUTION
draft_failures

# %% nbgrader={"grade_id": "q4_tests", "grade": true, "points": 2} jianlab={"exports": {"draft_failures": "json"}}
assert isinstance(draft_failures, list) and all(isinstance(f, str) for f in draft_failures), "draft_failures 应为字符串列表（ReleaseRefused 的 failures）"
assert draft_failures, "草稿应当被拒绝：是否用 DRAFT_POLICY 发布了 RAW，并捕获了 ReleaseRefused？"
assert len(draft_failures) >= 2, "草稿有不止一处问题：保存 failures 的全部条目，而不只是第一条或异常的文字"
### BEGIN HIDDEN TESTS
_text = "\n".join(draft_failures)
assert "原始标识值" in _text and "手机号码" in _text
assert "k = 1" in _text and "人员" in _text
### END HIDDEN TESTS

# %% [markdown]
# ## 第 5 题（自动评分，6 分）：修复并发布
#
# 写出你的策略（YAML 文本，保存为字符串 `POLICY_YAML`），必要时先对原始摘录做准标识符的预处理（按第 3 题选定的方案
# 泛化，再对仍小于 k 的等价类做局部抑制，写到 `WORK` 下的一个新目录，如 `WORK / "预处理"`），然后发布到 `fresh("修复稿")`。要求：
#
# - 发布检查全部通过（不被拒绝），人员表在你声明的准标识符上 k ≥ `K_TARGET`；
# - 每张表的**行数不变**（不能靠删人达到 k）；
# - 电子卷宗一并发布。
#
# 读回发布（`read_release`），把五张表分别保存为 `rel_persons`、`rel_cases`、`rel_vehicles`、`rel_accounts`、
# `rel_estates`（`DataFrame`），把文书保存为字典 `rel_docs`（文书路径 → 文本），把你在发布后的人员表上自己测得的 k
# 保存为 `release_k`。
#
# 隐藏测试独立于你的策略：它取原始摘录中的每一个标识值，在这些表的每个单元格与每份文书中查找（全角折叠、去掉分隔符）；
# 再在 `rel_persons` 上按第 2 题的六个准标识符（你删去的列不计）重新计算 k。
#
# 提示：策略的写法照抄 `tools/desensitize/policies/research.yaml`；第 4 题的拒绝理由就是要修的清单。预处理后的出生
# 日期是“1970年代”这样的文字，不再是日期；置空的准标识符在 k 的计算中算作同一个值“空”。

# %% nbgrader={"grade_id": "q5_answer", "solution": true}
### BEGIN SOLUTION
POLICY_YAML = """
name: lab06-repair
description: 修复稿：直接标识符换成带密钥的代号或删除，坐落泛化到区县，关联键换成代号，按案件平移日期
entities:
  PERSON: {operator: pseudonym}
  MASKED_PERSON: {operator: keep}
  ID_CARD: {operator: pseudonym, params: {style: token}}
  PHONE: {operator: pseudonym, params: {style: token}}
  LANDLINE: {operator: pseudonym, params: {style: token}}
  BANK_CARD: {operator: pseudonym, params: {style: token}}
  PLATE: {operator: pseudonym, params: {style: token}}
  PROPERTY_CERT: {operator: pseudonym, params: {style: token}}
  PASSPORT: {operator: redact}
  VIN: {operator: redact}
  EMAIL: {operator: redact}
  ONLINE_ID: {operator: redact}
  ACCOUNT_NUMBER: {operator: redact}
  ADDRESS: {operator: generalize, params: {to: county}}
  USCC: {operator: keep}
  DATE: {operator: date_shift}
tables:
  key_columns: pseudonym
  date_shift: true
  max_shift_weeks: 8
risk:
  k: 5
  quasi_identifiers:
    人员: [性别, 出生日期, 民族, 户籍地区划代码, 现住地区划代码]
"""
_qi5 = yaml.safe_load(POLICY_YAML)["risk"]["quasi_identifiers"]["人员"]
_prep = WORK / "预处理"
shutil.rmtree(_prep, ignore_errors=True)
shutil.copytree(RAW, _prep)
_people = raw["人员"].drop(columns="文化程度")
_year = pd.to_datetime(_people["出生日期"]).dt.year
_people["出生日期"] = (_year // 10 * 10).astype(str) + "年代"
_people["民族"] = _people["民族"].where(_people["民族"] == "汉族", "少数民族")
for _column in ("户籍地区划代码", "现住地区划代码"):
    _people[_column] = _people[_column].str[:4] + "00"
_small = _people.groupby(_qi5, dropna=False)["性别"].transform("size") < K_TARGET
_people.loc[_small, _qi5] = None
_people.to_parquet(_prep / "人员.parquet", index=False)
(WORK / "修复稿策略.yaml").write_text(POLICY_YAML, encoding="utf-8")
_out = fresh("修复稿")
desensitize_dataset(_prep, _out, load_policy(WORK / "修复稿策略.yaml"), KEY)
_tables5, rel_docs = read_release(_out)
rel_persons, rel_cases, rel_vehicles, rel_accounts, rel_estates = (
    _tables5[name] for name in ("人员", "执行案件", "车辆", "银行账户", "不动产"))
release_k = measure(rel_persons, _qi5).k
### END SOLUTION
release_k, len(rel_docs)

# %% nbgrader={"grade_id": "q5_tests", "grade": true, "points": 6} jianlab={"exports": {"rel_persons": "dataframe", "rel_cases": "dataframe", "rel_vehicles": "dataframe", "rel_accounts": "dataframe", "rel_estates": "dataframe", "rel_docs": "json", "release_k": "scalar"}}
_rel5 = {"人员": rel_persons, "执行案件": rel_cases, "车辆": rel_vehicles, "银行账户": rel_accounts, "不动产": rel_estates}
for _name, _frame in _rel5.items():
    assert isinstance(_frame, pd.DataFrame), f"{_name} 的发布应为 DataFrame（read_release 读回的表）"
    assert len(_frame) == len(raw[_name]), f"{_name} 的行数变了：不能靠删除记录达到 k，请用泛化与局部抑制"
assert isinstance(rel_docs, dict) and len(rel_docs) == len(raw_docs), "电子卷宗要一并发布：rel_docs 应含每一份文书"
for _name, _frame in _rel5.items():
    for _column in raw[_name].columns:
        _orig = raw[_name][_column]
        if _column.endswith("_id") or _column == "案号" or _column not in _frame.columns or _orig.dtype.kind in "iufbM":
            continue
        _orig = _orig.dropna().astype(str)
        if len(_orig) and _orig.nunique() >= 0.9 * len(_orig) and _orig.str.len().min() >= 6:
            assert not _frame[_column].astype(str).isin(set(_orig)).any(), f"发布的 {_name}.{_column} 中仍有原始值：策略是否把这类实体设成了 keep？"
assert isinstance(release_k, int | float) and release_k >= K_TARGET, "发布后的 k 低于目标：准标识符还要再泛化，或对小等价类做局部抑制"
_qi5t = [c for c in QI if c in rel_persons.columns]
_k5 = rel_persons[_qi5t].astype("string").fillna("〈空〉").groupby(_qi5t).size().min()
assert _k5 >= K_TARGET, f"按第 2 题的准标识符（{'、'.join(_qi5t)}）重算，发布后的 k = {_k5}：是否漏声明了某个准标识符（如文化程度）？"
### BEGIN HIDDEN TESTS
import pandas as pd

from jianlab.grading.runtime import reference_dir, truth_dir
from jianlab.labs.extract import original_values, released_texts, residual_hits

_ref = reference_dir("enforcement-extract")
_tables = [rel_persons, rel_cases, rel_vehicles, rel_accounts, rel_estates]
_columns = {"persons": ["name", "id_number", "phone"], "vehicles": ["plate"], "bank_accounts": ["account_number"],
            "real_estate": ["certificate_number", "address"]}
_originals = original_values(_ref, truth_dir("enforcement-extract"), _columns)
_hits = residual_hits(_originals, released_texts(_tables, rel_docs.values()))
assert not _hits, f"发布中仍有 {len(_hits)} 个原始标识值"
_qi = [c for c in ["性别", "出生日期", "民族", "文化程度", "户籍地区划代码", "现住地区划代码"] if c in rel_persons.columns]
_k = rel_persons[_qi].astype("string").fillna("〈空〉").groupby(_qi).size().min() if _qi else len(rel_persons)
assert _k >= 5, f"独立重算的 k = {_k}"
assert _k <= release_k <= len(rel_persons), "你测得的 k 应在独立重算的 k（六个准标识符）与人数之间"
from jianlab.labs.extract import read as read_table

_keys = {"persons": "person_id", "enforcement_cases": "case_id", "vehicles": "vehicle_id",
         "bank_accounts": "account_id", "real_estate": "property_id"}
for (_t, _key), _frame in zip(_keys.items(), _tables, strict=True):
    assert len(_frame) == len(read_table(_ref, _t, [_key])), f"{_t} 行数不同"
### END HIDDEN TESTS

# %% [markdown]
# ## 第 6 题（自动评分，4 分）：关联与日期间隔是否保住了
#
# 共享出去的数据要能用：研究者要把案件连到被执行人、把车辆和账户连到户主，要算立案到结案用了多少天。用内置的
# `research` 策略（关联键换成带密钥的代号，按案件平移日期）发布原始摘录：
# `desensitize_dataset(RAW, fresh("研究"), load_policy("research"), KEY, qi={})`（`qi={}`：本题不做风险检查，
# `research` 声明的准标识符属于英文表名的 `persons`，不适用于本摘录）。然后：
#
# 1. 保存 `DataFrame` 变量 `join_check`，索引为下面三条关联，列 `原始可关联`、`发布后可关联`（外键值能在目标表中找到
#    的**行数**）、`原始行数`、`发布后行数`：
#    - `"执行案件.respondent_id→人员"`：被执行人类型为自然人的案件；
#    - `"车辆.owner_id→人员"`：所有人类型为自然人的车辆；
#    - `"银行账户.owner_id→人员"`：户主类型为自然人的账户。
# 2. 保存 `DataFrame` 变量 `interval_check`，每件案件一行，列 `案号`、`原始间隔`、`发布间隔`（结案日期 − 立案日期的
#    天数，未结案为空）、`平移天数`（发布的立案日期 − 原始的立案日期）。案号在发布中保留（最高人民法院要求裁判文书
#    公开案号），可以用它把发布的案件与原始案件对上。
# 3. 把发布的人员、执行案件、车辆、银行账户表保存为 `res_persons`、`res_cases`、`res_vehicles`、`res_accounts`。

# %% nbgrader={"grade_id": "q6_answer", "solution": true}
### BEGIN SOLUTION
_out6 = fresh("研究")
desensitize_dataset(RAW, _out6, load_policy("research"), KEY, qi={})
_t6, _ = read_release(_out6)
res_persons, res_cases, res_vehicles, res_accounts = (_t6[n] for n in ("人员", "执行案件", "车辆", "银行账户"))


def resolved(frame, key, kind_column, persons):
    """自然人外键的行数与其中能在人员表找到的行数。"""
    rows = frame[frame[kind_column] == "自然人"]
    return int(rows[key].isin(persons["person_id"]).sum()), len(rows)


_links = {
    "执行案件.respondent_id→人员": ("执行案件", "respondent_id", "被执行人类型", res_cases),
    "车辆.owner_id→人员": ("车辆", "owner_id", "所有人类型", res_vehicles),
    "银行账户.owner_id→人员": ("银行账户", "owner_id", "户主类型", res_accounts),
}
_rows6 = {}
for _label, (_table, _key, _kind, _released) in _links.items():
    _a, _n = resolved(raw[_table], _key, _kind, raw["人员"])
    _b, _m = resolved(_released, _key, _kind, res_persons)
    _rows6[_label] = {"原始可关联": _a, "发布后可关联": _b, "原始行数": _n, "发布后行数": _m}
join_check = pd.DataFrame.from_dict(_rows6, orient="index")


def intervals(cases):
    filed, closed = pd.to_datetime(cases["立案日期"]), pd.to_datetime(cases["结案日期"])
    return pd.DataFrame({"案号": cases["案号"], "立案": filed, "间隔": (closed - filed).dt.days})


_pair = intervals(raw["执行案件"]).merge(intervals(res_cases), on="案号", suffixes=("_原", "_发"))
interval_check = pd.DataFrame({
    "案号": _pair["案号"], "原始间隔": _pair["间隔_原"], "发布间隔": _pair["间隔_发"],
    "平移天数": (_pair["立案_发"] - _pair["立案_原"]).dt.days,
})
### END SOLUTION
display(join_check)
interval_check["平移天数"].describe()

# %% nbgrader={"grade_id": "q6_tests", "grade": true, "points": 4} jianlab={"exports": {"join_check": "dataframe", "interval_check": "dataframe", "res_persons": "dataframe", "res_cases": "dataframe", "res_vehicles": "dataframe", "res_accounts": "dataframe"}}
_labels6 = ["执行案件.respondent_id→人员", "车辆.owner_id→人员", "银行账户.owner_id→人员"]
assert isinstance(join_check, pd.DataFrame) and list(join_check.index) == _labels6, f"join_check 的索引应为 {_labels6}"
assert {"原始可关联", "发布后可关联", "原始行数", "发布后行数"} <= set(join_check.columns), "join_check 缺列"
assert (join_check["原始可关联"] <= join_check["原始行数"]).all(), "可关联的行数不会多于行数：是否把法人户主也算进来了？"
assert not res_persons["person_id"].isin(raw["人员"]["person_id"]).any(), "发布的 person_id 与原始相同：research 策略把关联键换成代号，是否用了 research 策略？"
assert isinstance(interval_check, pd.DataFrame) and {"案号", "原始间隔", "发布间隔", "平移天数"} <= set(interval_check.columns), "interval_check 缺列"
assert len(interval_check) == len(raw["执行案件"]), "每件案件一行：用案号把发布的案件与原始案件一一对上"
assert (interval_check["平移天数"] != 0).any(), "平移天数全为 0：是否拿原始表和它自己比较了？"
### BEGIN HIDDEN TESTS
import pandas as pd
from jianlab.labs.extract import read as read_table

from jianlab.grading.runtime import reference_dir

_ref = reference_dir("enforcement-extract")
_p = read_table(_ref, "persons", ["person_id"])
for _label, _t, _key, _kind, _kind_zh, _rel in (
    ("执行案件.respondent_id→人员", "enforcement_cases", "respondent_id", "respondent_type", "被执行人类型", res_cases),
    ("车辆.owner_id→人员", "vehicles", "owner_id", "owner_type", "所有人类型", res_vehicles),
    ("银行账户.owner_id→人员", "bank_accounts", "owner_id", "owner_type", "户主类型", res_accounts),
):
    _o = read_table(_ref, _t, [_key, _kind])
    _o = _o[_o[_kind] == "自然人"]
    _r = _rel[_rel[_kind_zh] == "自然人"]
    assert len(_r) == len(_o) and len(_rel) == len(read_table(_ref, _t, [_key]))
    assert int(_r[_key].isin(res_persons["person_id"]).sum()) == int(_o[_key].isin(_p["person_id"]).sum())
    assert int(join_check.loc[_label, "原始可关联"]) == int(_o[_key].isin(_p["person_id"]).sum())
    assert int(join_check.loc[_label, "发布后可关联"]) == int(_r[_key].isin(res_persons["person_id"]).sum())
assert not res_persons["person_id"].isin(_p["person_id"]).any()
_c = read_table(_ref, "enforcement_cases", ["case_number", "filing_date", "closing_date"])
_m = _c.merge(res_cases[["案号", "立案日期", "结案日期"]], left_on="case_number", right_on="案号")
assert len(_m) == len(_c)
_orig = (pd.to_datetime(_m["closing_date"]) - pd.to_datetime(_m["filing_date"])).dt.days
_rel = (pd.to_datetime(_m["结案日期"]) - pd.to_datetime(_m["立案日期"])).dt.days
assert _orig.fillna(-1).equals(_rel.fillna(-1))
_ic = interval_check.set_index("案号").reindex(_m["案号"])
assert (_ic["原始间隔"].fillna(-1).to_numpy() == _orig.fillna(-1).to_numpy()).all()
_shift = (pd.to_datetime(_m["立案日期"]) - pd.to_datetime(_m["filing_date"])).dt.days
assert (_ic["平移天数"].to_numpy() == _shift.to_numpy()).all()
### END HIDDEN TESTS

# %% [markdown]
# ## 第 7 题（人工评分，7 分）：数据共享审核意见
#
# 设想某高校研究团队向本院申请使用这份执行数据，研究终本案件的特点。请以本院**数据管理部门**（案件管理部门）的名义，
# 就你在第 5 题发布的数据写一份**数据共享审核意见**，800—1200 字，用下列小标题：
#
# 1. **基本情况**：申请单位、用途、数据范围（哪些表、多少条、哪一段时间、是否含卷宗）；
# 2. **合法性与必要性**：依据（个人信息保护法第三十四条、第五十五条，数据安全法第三十八条等），说明为什么这是
#    **去标识化**而不是匿名化，以及数据最小化：哪些列对研究用途不必要、应当不提供；
# 3. **处理措施**：直接标识符各用什么算子处理（引用你的策略），准标识符怎样泛化与抑制，关联键与日期怎样处理；
# 4. **风险评估**：引用你测得的数字——原始 k 与样本唯一比例（第 2 题）、各方案的信息损失（第 3 题）、发布后的 k、
#    l-多样性的情况、关联与日期间隔（第 6 题）；剩余风险（如案号可在裁判文书网检索、卷宗中的罕见情节、小地市的
#    样本）；
# 5. **审核结论与条件**：同意、有条件同意或不同意；若有条件，写明条件（用途限定、不得再识别、不得向第三方提供、
#    密钥不随数据提供、存储与销毁期限、成果发表前审核、违约责任），以及审批人签字栏。

# %% [markdown] nbgrader={"grade_id": "q7_essay", "grade": true, "solution": true, "points": 7}
# ### BEGIN SOLUTION
# **参考答案（教师范文）：关于向××大学法学院提供民事执行案件数据的审核意见**
#
# **一、基本情况。** ××大学法学院课题组申请使用本院 2023 年立案的民事执行案件数据，用于“终结本次执行程序案件特点”
# 的学术研究。拟提供人员、执行案件、车辆、银行账户、不动产五张表（约 1,100 名人员、430 件案件）及 80 余份电子卷宗的
# 去标识化副本。
#
# **二、合法性与必要性。** 本院为履行法律监督职责收集上述数据（个人信息保护法第三十四条、数据安全法第三十八条），
# 向科研单位提供属于向他人提供个人信息，须先做个人信息保护影响评估（个人信息保护法第五十五条第（三）项、第五十六条），
# 本意见即评估结论。发布用本院保管的密钥生成一致代号，持钥人可以复原，属于第七十三条第（三）项的**去标识化**而非匿名化，
# 发布物仍是个人信息，须按个人信息管理。按最小必要原则，银行账户的账号、不动产的权证号与门牌对研究终本特点没有必要，
# 已删除或换成代号；文化程度在本样本上使大量记录独一无二，已整列不提供。
#
# **三、处理措施。** 姓名、公民身份号码、手机号码、号牌、权证号换成带密钥的代号（同一人在各表和卷宗中代号一致）；
# 账号、电子邮箱删除；坐落泛化到区县；关联键换成代号；日期按案件平移（案内间隔不变）。准标识符：出生日期泛化到年代，
# 民族合并为汉族与少数民族，户籍地与现住地泛化到地市，删除文化程度；仍小于 5 人的等价类局部抑制（准标识符置空）。
#
# **四、风险评估。** 原始人员表在六个准标识符上 k = 1，每一个人都样本唯一（精确到日的出生日期加性别与户籍区县几乎
# 唯一确定一个人）；按方案甲（出生年份）全部记录仍须抑制，方案乙约三分之二，方案丙约 17%——本样本太小，达到 k ≥ 5
# 的代价是删去文化程度并抑制约 17% 记录的准标识符。
# 发布后 k = 5，独立残留检查未发现任何原始标识值。原始被执行人视图上 l-多样性为 1：部分等价类的结案方式单一，知道某人
# 在该类即可推知其是否终本，这是剩余风险。关联键代号一致，三条外键关联在发布前后完全相同；日期平移后每件案件的立案至
# 结案间隔不变。案号按最高人民法院要求保留，可在中国裁判文书网检索到当事人实名，是最主要的再识别途径。
#
# **五、审核结论。** 有条件同意。条件：（1）仅用于上述研究，不得尝试再识别任何个人，不得与案号检索结果关联；
# （2）不得向第三方提供，成果只发表汇总结果，单元格小于 5 的不发表；（3）密钥由本院保管，不随数据提供；（4）数据存于
# 课题组指定的加密设备，研究结束或两年届满时销毁并书面报告；（5）成果发表前送本院审核；（6）违反约定的，本院终止提供
# 并依法追究责任。建议另行评估删除案号或改为仅提供年份与法院层级的可行性。
#
# 审核人：______　　部门负责人：______　　分管检察长：______　　日期：______
# ### END SOLUTION

# %% [markdown]
# ## 真值对照（截止后随反馈发布）
#
# 生成器把卷宗中每一处个人信息的位置和类别记在评分端的 `_truth/pii_spans.jsonl` 里（你的数据副本中没有）。截止之后，
# 教师运行本节：按类别列出原始卷宗中有多少处个人信息、你的第 5 题发布中还剩多少，以及承办人员（执行员、书记员、
# 审判员）的姓名——它们按最高人民法院 2026 年 1 月的要求**不隐去**，所以不计为残留。合成数据的真值是完整的；
# 真实卷宗没有这样的答案，只能靠抽样人工复核来估计漏检率（GB/T 37964 的“验证审批”与“监控审查”两步）。

# %% tags=["instructor"]
# 教师版：卷宗中的个人信息（真值）与学生发布中的残留，按类别。
from jianlab.grading.runtime import reference_dir, truth_dir
from jianlab.labs.extract import OFFICIAL_ROLES, fold, original_values, released_texts, residual_hits

try:
    _truth_path = truth_dir("enforcement-extract")
except FileNotFoundError as _missing:
    print(_missing)
else:
    _spans = pd.DataFrame([json.loads(line) for line in (_truth_path / "pii_spans.jsonl").read_text(encoding="utf-8").splitlines() if line])
    _spans["承办人员"] = _spans["role"].isin(OFFICIAL_ROLES)
    if "rel_docs" in globals():
        _texts = released_texts([rel_persons, rel_cases, rel_vehicles, rel_accounts, rel_estates], rel_docs.values())
        _columns = {"persons": ["name", "id_number", "phone"], "vehicles": ["plate"],
                    "bank_accounts": ["account_number"], "real_estate": ["certificate_number", "address"]}
        _left = residual_hits(original_values(reference_dir("enforcement-extract"), _truth_path, _columns), _texts)
        _spans["发布后仍在"] = _spans["text"].map(lambda v: fold(v) in _left)
    else:
        _spans["发布后仍在"] = float("nan")
    display(_spans.groupby(["entity", "承办人员"]).agg(原始卷宗中的处数=("text", "size"), 不同取值=("text", "nunique"),
                                                    发布后仍在=("发布后仍在", "sum")))
