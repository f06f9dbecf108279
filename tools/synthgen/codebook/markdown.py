"""Render a resolved codebook as Chinese Markdown: one section per table with a column table,
then the calibrated numbers of that table with their [S]/[D]/[K] sources.

The Markdown is for people (students open it beside the data); the same content as data is
``codebook.json``. Tables are described as they are in the folder (file, layout, rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synthgen.codebook.documents import render_documents
from synthgen.codebook.model import TYPE_LABELS, Codebook, Column, SourceEntry, Table
from synthgen.store.tablefiles import TableFiles, present_tables

_MAX_LISTED_VALUES = 12
_DOMAIN_LABELS = {
    "division": "GB/T 2260 区划代码",
    "county": "GB/T 2260 县级区划代码",
    "province": "GB/T 2260 省级代码",
}
_CHECKSUM_LABELS = {"gb11643": "GB 11643 校验码有效", "gb32100": "GB 32100 校验码有效"}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def format_value(value: Any) -> str | None:
    """Short text for a number, a flat mapping, or None when too nested to print inline."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        return format_value(next(iter(value.values())))
    if isinstance(value, dict) and len(value) <= _MAX_LISTED_VALUES:
        parts = [(k, format_value(v)) for k, v in value.items()]
        if all(isinstance(v, int | float | str) for v in value.values()):
            return "，".join(f"{k} = {v}" for k, v in parts)
    return None


def _entry_line(entry: SourceEntry) -> str:
    shown = format_value(entry.value)
    value = f" = {shown}" if shown is not None else "（数值见参数文件）"
    note = f"；{entry.note}" if entry.note else ""
    flag = "（已被情景文件改动，所列来源不再适用）" if entry.overridden else ""
    return f"`{entry.param}`{value}{flag} — {entry.source}{note}"


def _allowed(col: Column) -> str:
    parts = []
    values = col.allowed
    if values is not None:
        if len(values) <= _MAX_LISTED_VALUES:
            # crime names such as 走私、贩卖、运输、制造毒品 contain the list separator
            quote = "`" if any("、" in str(v) for v in values) else ""
            parts.append("、".join(f"{quote}{v}{quote}" for v in values))
        else:
            parts.append(f"{len(values)} 个取值（见 codebook.json）")
    if col.pattern:
        parts.append(f"格式 `{col.pattern}`")
    if col.minimum is not None:
        parts.append(f"≥ {col.minimum:g}")
    if col.maximum is not None:
        parts.append(f"≤ {col.maximum:g}")
    if col.domain:
        parts.append(_DOMAIN_LABELS[col.domain])
    if col.checksum:
        parts.append(_CHECKSUM_LABELS[col.checksum])
    if col.filled_when:
        values_text = "、".join(col.filled_when.values)
        parts.append(f"仅当 {col.filled_when.column} = {values_text} 时非空")
    return "；".join(parts) or "—"


def _file_text(files: TableFiles, directory: Path) -> str:
    rows = files.num_rows(directory)
    count = f"，{rows:,} 行" if rows is not None else ""
    if files.hive:
        return f"`{files.name}/`（hive 分区，{len(files.paths)} 个文件{count}）"
    return f"`{files.paths[0]}`（{files.format}{count}）"


def _table_section(name: str, table: Table, files: TableFiles, directory: Path) -> list[str]:
    flag = "（仅限教师）" if table.instructor_only else ""
    lines = [f"## 表 `{name}`：{table.label}{flag}", "", table.description, ""]
    lines.append(f"- 文件：{_file_text(files, directory)}")
    lines.append(f"- 主键：{'、'.join(f'`{k}`' for k in table.primary_key)}")
    for fk in table.foreign_keys:
        target = ", ".join(f"{fk.table}.{f}" for f in fk.ref_fields)
        lines.append(f"- 外键：`{', '.join(fk.fields)}` → `{target}`")
    for earlier, later in table.date_order:
        lines.append(f"- 日期顺序：`{earlier}` ≤ `{later}`")
    if table.decision_year:
        lines.append(f"- `year` = `{table.decision_year}` 所在年份")
    lines += [
        "",
        "| 列名 | 中文标签 | 类型 | 单位 | 取值 | 可空 | 说明 |",
        "|---|---|---|---|---|---|---|",
    ]
    for col_name, col in table.columns.items():
        cells = [
            f"`{col_name}`", col.label, TYPE_LABELS[col.type], col.unit or "—", _allowed(col),
            "是" if col.nullable else "否", col.description,
        ]  # fmt: skip
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    sourced = [(c, e) for c, col in table.columns.items() for e in col.calibration]
    if sourced:
        lines += ["", "校准数值与来源：", ""]
        lines += [f"- `{c}`：{_entry_line(e)}" for c, e in sourced]
    return [*lines, ""]


def _dataset_sections(cb: Codebook) -> list[str]:
    ds = cb.dataset
    lines = ["## 口径定义", ""]
    lines += [f"- **{term}**：{text}" for term, text in ds.definitions.items()]
    lay = ds.layout
    lines += ["", "## 文件布局与读取", ""]
    lines.append(f"- 分区键：{'、'.join(f'`{k}`' for k in lay.partition_keys)}")
    lines += [f"- 单文件布局：{lay.single}", f"- hive 分区布局：{lay.hive}"]
    lines += [f"- {reader}：`{text}`" for reader, text in lay.readers.items()]
    lines += ["", "## 说明", "", *(f"- {note}" for note in ds.notes)]
    if ds.limitations:
        lines += ["", "## 已知局限（这些数据不能用来做什么）", ""]
        lines += [f"- {item}" for item in ds.limitations]
    lines += [
        "",
        "## 埋点违规",
        "",
        "| 规则 | 名称 | 判定 | 位置 | 埋点比例与来源 |",
        "|---|---|---|---|---|",
    ]
    for rule_id, p in ds.planted.items():
        rates = "；".join(_entry_line(e) for e in p.calibration)
        lines.append(
            "| " + " | ".join(_cell(c) for c in (rule_id, p.label, p.rule, p.where, rates)) + " |"
        )
    for group in ds.calibration:
        flag = "（仅限教师）" if group.instructor_only else ""
        lines += ["", f"## {group.title}{flag}", ""]
        lines += [f"- {_entry_line(e)}" for e in group.calibration]
    if ds.dgp is not None:
        lines += ["", f"## 真值文件 `{ds.dgp.path}`（仅限教师）", "", ds.dgp.description, ""]
        lines += [f"- `{key}`：{text}" for key, text in ds.dgp.keys.items()]
    return [*lines, ""]


def _document_labels(cb: Codebook, directory: Path) -> str:
    present = cb.present_documents(directory)
    docs = cb.dataset.documents
    return "、".join(f"{d.label} `{d.path}`" for n, d in docs.items() if n in present)


def render_markdown(cb: Codebook, directory: Path) -> str:
    ds = cb.dataset
    files = present_tables(directory, list(cb.tables))
    lines = [f"# 编码手册：{ds.title}", "", ds.description, ""]
    lines.append(f"许可：[{ds.license.title}]({ds.license.path})。")
    if ds.build:
        lines.append("生成参数：" + "，".join(f"{k} = {v}" for k, v in ds.build.items()) + "。")
    lines += ["", "来源文献：", "", *(f"- {s.title}" for s in ds.sources), ""]
    lines += [
        "来源标签：[S] 公开来源的原文数字；[D] 由 [S] 数字推算；"
        "[K] 建模假设（只能当假设讲，不是发现）。",
        "",
    ]
    lines += ["## 表一览", "", "| 表 | 中文名 | 文件 |", "|---|---|---|"]
    for name, f in files.items():
        lines.append(f"| `{name}` | {cb.tables[name].label} | {_cell(_file_text(f, directory))} |")
    documents = render_documents(cb, directory, _entry_line)
    if documents:
        lines += [
            "",
            "表之外的文书与答案文件见文末各节（" + _document_labels(cb, directory) + "）。",
        ]
    lines += ["", *_dataset_sections(cb)]
    for name, f in files.items():
        lines += _table_section(name, cb.tables[name], f, directory)
    lines += documents
    return "\n".join(lines).rstrip() + "\n"
