"""The readable Chinese review report: summary tables first, then violations by priority group,
then supervision leads (监督线索) with the evidence for each, then assessment benchmarks — the
last two never enter a grade."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc

from review.catalog import KIND_ZH, Catalog
from review.engine import ReviewResult

DATASET_ZH = {"criminal": "刑事检察（审查逮捕、审查起诉）", "enforcement": "民事执行（终本）"}
_SECTIONS = {
    "lead": "监督线索（不计入评查等级；可据以调查核实，必要时制发检察建议）",
    "benchmark": "考核节点（评估标准，不是法定义务；不计入评查等级）",
}


def _cell(value: object) -> str:
    text = "" if value is None or str(value) in {"<NA>", "nan", "None"} else str(value)
    return text.replace("|", "｜").replace("\n", " ")


def render_report(result: ReviewResult, catalog: Catalog, limit: int = 50) -> str:
    kinds = "、".join(DATASET_ZH[k] for k in result.kinds)
    f = result.findings
    counts = f["kind"].value_counts().to_dict() if not f.empty else {}
    lines = [
        "# 案件质量评查报告",
        "",
        f"- 数据集：`{result.root}`（{kinds}）",
        f"- 数据截止日：{result.as_of.isoformat() if result.as_of else '—'}",
        f"- 违规 {counts.get('violation', 0)} 条（计入评查等级）；监督线索 "
        f"{counts.get('lead', 0)} 条；考核节点 {counts.get('benchmark', 0)} 条；"
        f"评查案件数：{result.grades.num_rows}",
        "- 处理顺序：涉民生（农民工工资、赡养费、抚养费、抚恤金、人身损害赔偿）优先，"
        "其次涉企，再次一般；组内先列不合格，后列瑕疵。",
        "",
        "## 规则执行情况",
        "",
        "| 规则 | 标题 | 类别 | 严重程度 | 发现数 | 用时（秒） | 说明 |",
        "|---|---|---|---|---:|---:|---|",
    ]
    for run in result.runs:
        rule = catalog.rule(run.rule_id)
        secs = f"{run.seconds:.2f}" if run.ran else "—"
        lines.append(
            f"| {run.rule_id} | {run.title} | {KIND_ZH[rule.kind]} | {rule.severity or '—'} "
            f"| {run.findings} | {secs} | {run.note} |"
        )
    for table, cols in result.filled_columns.items():
        lines.append(f"\n> 数据表 {table} 缺少可选列 {'、'.join(cols)}，已按目录默认值补齐。")
    lines += _grade_lines(result, catalog)
    lines += _violation_sections(f[f["kind"] == "violation"] if not f.empty else f, catalog, limit)
    for kind, heading in _SECTIONS.items():
        part = f[f["kind"] == kind] if not f.empty else f
        if not part.empty:
            lines += _evidence_section(part, heading, limit)
    return "\n".join(lines) + "\n"


def _grade_lines(result: ReviewResult, catalog: Catalog) -> list[str]:
    lines = ["", "## 评查等级分布", "", "| 等级 | 案件数 |", "|---|---:|"]
    counts = (
        pc.value_counts(result.grades.column("grade")).to_pylist() if result.grades.num_rows else []
    )
    by_grade = {c["values"]: c["counts"] for c in counts}
    for level in catalog.grading.levels:
        lines.append(f"| {level} | {by_grade.get(level, 0)} |")
    lines += ["", f"> 等级规则：{catalog.grading.rule_of}"]
    excellent = catalog.grading.excellent
    for kind in result.kinds:
        lines.append(f"> 优质（教学选择，{DATASET_ZH[kind]}）：{excellent[kind]}")
    return lines


def _violation_sections(f: pd.DataFrame, catalog: Catalog, limit: int) -> list[str]:
    lines: list[str] = []
    for group in catalog.priority.order:
        part = f[f["priority_group"] == group]
        if part.empty:
            continue
        lines += ["", f"## 违规：{group}（{len(part)} 条）", ""]
        if len(part) > limit:
            lines += [f"（仅列前 {limit} 条，完整清单见 Parquet 文件。）", ""]
        lines += ["| 类别 | 严重程度 | 规则 | 案件 | 当事人/财产 | 详情 | 依据 |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        for row in part.head(limit).itertuples(index=False):
            who = _cell(row.suspect_id) or _cell(row.asset_id)
            lines.append(
                f"| {_cell(row.priority_category)} | {row.severity} | {row.rule_id} {row.title} "
                f"| {row.case_id} | {who} | {_cell(row.detail)} | {row.basis} |"
            )
    if f.empty:
        lines += ["", "## 违规", "", "未发现违反规则目录的情形。"]
    return lines


def _evidence_section(part: pd.DataFrame, heading: str, limit: int) -> list[str]:
    lines = ["", f"## {heading}（{len(part)} 条）", ""]
    if len(part) > limit:
        lines += [f"（仅列前 {limit} 条，完整清单见 Parquet 文件。）", ""]
    lines += ["| 规则 | 案件 | 财产 | 证据 | 依据 |", "|---|---|---|---|---|"]
    for row in part.head(limit).itertuples(index=False):
        lines.append(
            f"| {row.rule_id} {row.title} | {row.case_id} | {_cell(row.asset_id)} "
            f"| {_cell(row.detail)} | {row.basis} |"
        )
    return lines
