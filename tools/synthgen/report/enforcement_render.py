"""The enforcement report's files: calibration.md (tables in Chinese), calibration.json, the
funnel plot of court 终本率 (funnel.png) and the Kaplan–Meier curve of time to 终本 (km.png)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cjkplot import setup_cjk
from research import exact_limits
from synthgen.report.enforcement import TARGET, EnforcementReport

FILES = ("calibration.md", "calibration.json", "funnel.png", "km.png")
TERMS = {"found": "找到可处置财产", "company": "法人被执行人", "lamt": "log10 标的额（中心化）"}


def write_enforcement_files(report: EnforcementReport, name: str, folder: Path) -> None:
    (folder / "calibration.md").write_text(render(report, name), encoding="utf-8")
    (folder / "calibration.json").write_text(report.to_json(), encoding="utf-8")
    with matplotlib.rc_context():
        setup_cjk()
        _funnel(report, folder / "funnel.png")
        _km(report, folder / "km.png")


def _funnel(report: EnforcementReport, path: Path) -> None:
    fig = Figure(figsize=(7, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = np.array([c["n"] for c in report.courts], float)
    rate = np.array([c["rate"] for c in report.courts], float)
    p = report.overdispersion["overall"]
    ax.scatter(n, rate, s=10, alpha=0.6, color="#1f4e79", label="法院")
    grid = (
        np.unique(np.geomspace(max(n.min(), 5), n.max(), 200).round())
        if n.size
        else np.array([5.0, 10.0])
    )
    for level, style in ((0.95, "--"), (0.998, ":")):
        low, high = exact_limits(p, grid, level)
        ax.plot(grid, high, style, color="#c0392b")
        ax.plot(grid, low, style, color="#c0392b", label=f"精确二项 {level:.1%} 界限")
    ax.axhline(p, color="grey", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("已结首次执行案件数")
    ax.set_ylabel("终本率")
    ax.set_title("各法院终本率漏斗图")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=120, bbox_inches="tight")


def _km(report: EnforcementReport, path: Path) -> None:
    fig = Figure(figsize=(6, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.step([0] + [k["days"] for k in report.km], [0] + [k["share_zhongben"] for k in report.km],
            where="post", color="#1f4e79")  # fmt: skip
    ax.set_xlabel("立案后天数")
    ax.set_ylabel("累计终本比例（Kaplan–Meier）")
    ax.set_title("立案至终本的时间")
    fig.savefig(path, dpi=120, bbox_inches="tight")


def render(r: EnforcementReport, name: str) -> str:
    o = r.overdispersion
    lines = [f"# 执行数据校准报告：{name}", "", "## 终本率（已结首次执行案件，按立案年度）", "",
             f"| 年度 | 已结 | 终本率 | 在目标 {TARGET[0]:.0%}–{TARGET[1]:.0%} 内 |",
             "|---|---:|---:|:---:|"]  # fmt: skip
    lines += [f"| {int(y['year'])} | {int(y['n'])} | {y['rate']:.1%} | "
              f"{'是' if y['in_target'] else '否'} |" for y in r.by_year]  # fmt: skip
    lines += ["", "## 法院间差异（漏斗图见 funnel.png）", "",
              f"- 已结案件不少于100件的法院：{int(o['courts'])} 个；终本率标准差 {o['sd']:.3f}，"
              f"二项抽样误差的期望 {o['binomial_sd']:.3f}，比值 {o['ratio']:.1f}（目标至少 2）。",
              f"- 过度离散系数 φ（全部法院，缩尾 10% 的 z 分数平方均值，research.overdispersion）："
              f"{o['phi']:.2f}；φ > 1 说明法院间差异超出二项抽样误差。",
              "", "## 立案至终本的时间（Kaplan–Meier，其他结案与未结为删失；见 km.png）", "",
              "| 立案后天数 | 累计终本比例 |", "|---:|---:|"]  # fmt: skip
    lines += [f"| {int(k['days'])} | {k['share_zhongben']:.1%} |" for k in r.km]
    s = r.restoration
    lines += ["", "## 终本后恢复执行", "",
              f"- 终本案件中已恢复执行：{s['restored_share']:.1%}；终本至恢复中位数 "
              f"{s['median_days_to_restore']:.0f} 日；"
              f"恢复后执行完毕 {s['restored_completed']:.1%}，"
              f"再次终本 {s['restored_zhongben_again']:.1%}。",
              "", "## 终本案件平均每案的财产调查与控制措施", "",
              "| 措施 | 每案次数 |", "|---|---:|"]  # fmt: skip
    lines += [f"| {k} | {v:.2f} |" for k, v in r.measures.items()]
    p = r.performance
    lines += ["", "## 执行效果", "",
              f"- 实际执行率（执行完毕与和解占已结首次执行案件）：{p['actual_execution_rate']:.1%}",
              f"- 执行到位率（到位金额 / 申请金额）：{p['recovery_rate']:.1%}",
              f"- 终本案件中执行到位率不足30%的比例：{p['zhongben_under_30pct']:.1%}"
              "（古田县法院：91.77%，docs/enforcement-data.md）"]  # fmt: skip
    if r.recovery:
        lines += ["", "## 终本模型的还原（logit，法院固定截距，最后一个立案年度除外）", "",
                  "| 协变量 | 真值 | 估计 | 95% CI | 覆盖 |",
                  "|---|---:|---:|---|---|"]  # fmt: skip
        lines += [f"| {TERMS[c['term']]} | {c['truth']:.2f} | {c['estimate']:.2f} | "
                  f"[{c['ci_low']:.2f}, {c['ci_high']:.2f}] | {'是' if c['inside'] else '否'} |"
                  for c in r.recovery]  # fmt: skip
    return "\n".join(lines) + "\n"
