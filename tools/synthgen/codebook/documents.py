"""The codebook's document sets (case files and their span answer key): filled from the template
file the generator writes them with, and rendered as Chinese Markdown for the folder at hand.

Titles, the number of wordings and the ZB-07 phrase lists are read from the templates at build
time, never copied into the codebook YAML, so the description follows the generator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthgen.codebook.model import (
    Codebook,
    CodebookError,
    DocumentDefect,
    DocumentKind,
    DocumentSet,
    SourceEntry,
    SourceRef,
)
from synthgen.core.shipped import shipped_yaml

Entries = Callable[[list[SourceRef]], list[SourceEntry]]


def _template_file(name: str) -> dict[str, Any]:
    try:
        return shipped_yaml(name)
    except FileNotFoundError as exc:
        raise CodebookError(f"编码手册引用的文书模板 {name} 不存在") from exc


def _wordings(node: Any, where: str) -> int:
    """How many alternative wordings a template part offers (a list, or lists by element)."""
    if isinstance(node, list) and node:
        return len(node)
    if isinstance(node, dict) and node and all(isinstance(v, list) for v in node.values()):
        return sum(len(v) for v in node.values())
    raise CodebookError(f"文书模板中的 {where} 不是写法列表")


def _kind(kind: DocumentKind, templates: dict[str, Any], file: str) -> DocumentKind:
    block = templates.get(kind.template)
    if not isinstance(block, dict) or "title" not in block:
        raise CodebookError(f"文书模板 {file} 中没有文书 {kind.template}")
    wordings = {}
    for part, label in kind.parts.items():
        if part not in block:
            raise CodebookError(f"文书模板 {file} 中没有 {kind.template}.{part}")
        wordings[label] = _wordings(block[part], f"{kind.template}.{part}")
    return kind.model_copy(update={"title": str(block["title"]), "wordings": wordings})


def _defect(defect: DocumentDefect, templates: dict[str, Any], entries: Entries) -> DocumentDefect:
    elements = defect.elements
    if defect.elements_from is not None:
        node = templates.get(defect.elements_from)
        if not isinstance(node, dict):
            raise CodebookError(f"文书模板中没有要素短语表 {defect.elements_from}")
        elements = {str(k): [str(p) for p in v] for k, v in node.items()}
    return defect.model_copy(update={"elements": elements, "calibration": entries(defect.sources)})


def resolve_documents(
    documents: dict[str, DocumentSet], entries: Entries
) -> dict[str, DocumentSet]:
    """Titles, wordings and phrase lists from the templates; rates and sources from the build's
    parameters (through ``entries``, as for tables)."""
    out = {}
    for name, docs in documents.items():
        file = docs.templates
        templates = _template_file(file) if file is not None else {}
        kinds = {k: _kind(v, templates, str(file)) for k, v in docs.kinds.items()}
        defects = [_defect(d, templates, entries) for d in docs.defects]
        out[name] = docs.model_copy(update={"kinds": kinds, "defects": defects})
    return out


def _count_text(docs: DocumentSet, directory: Path) -> str:
    files = sorted(directory.glob(docs.glob))
    if docs.count is None:
        return f"{len(files):,} 个文件"
    lines = 0
    if "{lines" in docs.count:
        for path in files:
            with path.open("rb") as fh:
                lines += sum(1 for _ in fh)
    folders = len({p.parent for p in files})
    return docs.count.format(files=len(files), folders=folders, lines=lines)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _kinds_table(docs: DocumentSet) -> list[str]:
    lines = [
        "| 文书（文件名） | 文书标题 | 何时有、落款日期 | 与表的对应 | 模板写法 |",
        "|---|---|---|---|---|",
    ]
    for name, kind in docs.kinds.items():
        wordings = "、".join(f"{label} {n} 种" for label, n in kind.wordings.items())
        cells = [f"`{name}`", kind.title or "—", kind.when, kind.content, wordings or "—"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*lines, ""]


def _defect_lines(defect: DocumentDefect, entry_line: Callable[[SourceEntry], str]) -> list[str]:
    lines = [f"### {defect.label}（{defect.rule}）", "", *(f"- {t}" for t in defect.text), ""]
    if defect.elements:
        lines += ["| 要素 | 认定短语（去掉空白后出现任一即视为具备） |", "|---|---|"]
        lines += [f"| {e} | {'、'.join(p)} |" for e, p in defect.elements.items()]
        lines.append("")
    if defect.calibration:
        lines += ["比例与来源：", "", *(f"- {entry_line(e)}" for e in defect.calibration), ""]
    return lines


def _set_section(
    docs: DocumentSet, directory: Path, entry_line: Callable[[SourceEntry], str]
) -> list[str]:
    flag = "（仅限教师）" if docs.instructor_only else ""
    lines = [f"## {docs.label} `{docs.path}`{flag}", "", docs.description, ""]
    lines.append(f"- 本数据：{_count_text(docs, directory)}")
    lines += [f"- {note}" for note in docs.notes]
    lines.append("")
    if docs.kinds:
        lines += _kinds_table(docs)
    for defect in docs.defects:
        lines += _defect_lines(defect, entry_line)
    if docs.fields:
        lines += ["| 字段 | 说明 |", "|---|---|"]
        lines += [f"| `{k}` | {_cell(v)} |" for k, v in docs.fields.items()]
        lines.append("")
    if docs.values:
        lines += ["| 实体类型 `entity` | 含义 |", "|---|---|"]
        lines += [f"| `{k}` | {_cell(v)} |" for k, v in docs.values.items()]
        lines.append("")
    if docs.roles:
        lines += ["| 所属的人 `role` | 含义 |", "|---|---|"]
        lines += [f"| {k} | {_cell(v)} |" for k, v in docs.roles.items()]
        lines.append("")
    return lines


def render_documents(
    cb: Codebook, directory: Path, entry_line: Callable[[SourceEntry], str]
) -> list[str]:
    """One section per document set that has files in ``directory``; nothing otherwise."""
    present = cb.present_documents(directory)
    out: list[str] = []
    for name, docs in cb.dataset.documents.items():
        if name in present:
            out += _set_section(docs, directory, entry_line)
    return out
