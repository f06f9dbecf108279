"""The readable Chinese review report: summary tables first, then findings by priority group."""

from __future__ import annotations

import pyarrow.compute as pc

from review.catalog import Catalog
from review.engine import ReviewResult

KIND_ZH = {"criminal": "刑事检察（审查逮捕、审查起诉）", "enforcement": "民事执行（终本）"}


def _cell(value: object) -> str:
    text = "" if value is None or str(value) in {"<NA>", "nan", "None"} else str(value)
    return text.replace("|", "｜").replace("\n", " ")


def render_report(result: ReviewResult, catalog: Catalog, limit: int = 50) -> str:
    kinds = "、".join(KIND_ZH[k] for k in result.kinds)
    lines = [
        "# 案件质量评查报告",
        "",
        f"- 数据集：`{result.root}`（{kinds}）",
        f"- 数据截止日：{result.as_of.isoformat() if result.as_of else '—'}",
        f"- 发现总数：{len(result.findings)}；评查案件数：{result.grades.num_rows}",
        "- 处理顺序：涉民生（农民工工资、赡养费、抚养费、抚恤金、人身损害赔偿）优先，"
        "其次涉企，再次一般；"
        "组内先列不合格，后列瑕疵。",
        "",
        "## 规则执行情况",
        "",
        "| 规则 | 标题 | 严重程度 | 发现数 | 用时（秒） | 说明 |",
        "|---|---|---|---:|---:|---|",
    ]
    for run in result.runs:
        sev = catalog.rule(run.rule_id).severity
        secs = f"{run.seconds:.2f}" if run.ran else "—"
        lines.append(
            f"| {run.rule_id} | {run.title} | {sev} | {run.findings} | {secs} | {run.note} |"
        )
    for table, cols in result.filled_columns.items():
        lines.append(f"\n> 数据表 {table} 缺少可选列 {'、'.join(cols)}，已按目录默认值补齐。")
    lines += ["", "## 评查等级分布", "", "| 等级 | 案件数 |", "|---|---:|"]
    counts = (
        pc.value_counts(result.grades.column("grade")).to_pylist() if result.grades.num_rows else []
    )
    by_grade = {c["values"]: c["counts"] for c in counts}
    for level in catalog.grading.levels:
        lines.append(f"| {level} | {by_grade.get(level, 0)} |")
    lines += ["", f"> 等级规则：{catalog.grading.rule_of}"]
    excellent = catalog.grading.excellent
    for kind in result.kinds:
        lines.append(f"> 优质（教学选择，{KIND_ZH[kind]}）：{excellent[kind]}")
    lines += _findings_sections(result, catalog, limit)
    return "\n".join(lines) + "\n"


def _findings_sections(result: ReviewResult, catalog: Catalog, limit: int) -> list[str]:
    lines: list[str] = []
    f = result.findings
    for group in catalog.priority.order:
        part = f[f["priority_group"] == group]
        if part.empty:
            continue
        lines += ["", f"## {group}（{len(part)} 条）", ""]
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
        lines += ["", "## 发现", "", "未发现违反规则目录的情形。"]
    return lines
