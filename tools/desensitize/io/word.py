"""Word (.docx) documents: their text with offsets, and the same document written back with
the desensitized text.

A document is read as its paragraphs in reading order — body, table cells (nested tables
included), then headers and footers — joined by "\\n", so names found in one paragraph are
found in all (propagation works per document) while every paragraph keeps its own offsets.
Writing back rewrites only the paragraphs whose text changed: their runs (and hyperlinks) are
merged into one run carrying the first run's character formatting, because a replacement
rarely has the length or the run boundaries of what it replaces. Paragraph styles, tables,
headers and every unchanged paragraph are left exactly as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desensitize.errors import DesensitizeError
from desensitize.types import Hit, Result

PARAGRAPH_SEP = "\n"
LINE_BREAK = "\u2028"  # a <w:br/> inside a paragraph: python-docx reads it as "\n"


class DocxError(DesensitizeError):
    """A .docx that cannot be read or written (message in Chinese, names the file)."""


@dataclass
class DocxText:
    document: Any  # docx.document.Document
    paragraphs: list[Any]  # docx.text.paragraph.Paragraph, in reading order
    starts: list[int]

    @property
    def text(self) -> str:
        return PARAGRAPH_SEP.join(_text(p) for p in self.paragraphs)


def _text(paragraph: Any) -> str:
    return str(paragraph.text).replace("\n", LINE_BREAK)


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs of a body, cell, header or footer in order, descending into tables."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                        continue
                    seen.add(id(cell._tc))
                    yield from _blocks(cell)
        else:
            yield item


def _paragraphs(document: Any) -> list[Any]:
    out = list(_blocks(document))
    seen: set[int] = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            out.extend(_blocks(part))
    return out


def read_docx(path: Path) -> DocxText:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a project dependency
        raise DocxError(f"{path}：读取 .docx 需要 python-docx 包") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for broken files
        raise DocxError(f"{path}：不是有效的 .docx 文件（{exc}）") from exc
    paragraphs = _paragraphs(document)
    starts, pos = [], 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(_text(p)) + len(PARAGRAPH_SEP)
    return DocxText(document, paragraphs, starts)


def split_at_paragraphs(text: str, hits: list[Hit]) -> list[Hit]:
    """Cut any detection that spans a paragraph break into one piece per paragraph, so every
    piece is replaced and no replacement moves text between paragraphs."""
    out: list[Hit] = []
    for start, end, entity, score, recognizer in hits:
        cut = text.find(PARAGRAPH_SEP, start, end)
        while cut >= 0:
            if cut > start:
                out.append((start, cut, entity, score, recognizer))
            start = cut + 1
            cut = text.find(PARAGRAPH_SEP, start, end)
        if end > start:
            out.append((start, end, entity, score, recognizer))
    return out


def _set_text(paragraph: Any, text: str) -> None:
    from docx.oxml.ns import qn

    p = paragraph._p
    first = p.find(qn("w:r"))
    props = first.find(qn("w:rPr")) if first is not None else None
    for child in list(p):
        if child.tag in {qn("w:r"), qn("w:hyperlink"), qn("w:smartTag"), qn("w:ins")}:
            p.remove(child)
    run = paragraph.add_run(text)
    if props is not None:
        run._r.insert(0, copy.deepcopy(props))


def write_docx(source: DocxText, result: Result, path: Path) -> int:
    """Write ``source`` with the paragraphs of ``result.text`` to ``path`` (atomically);
    returns how many paragraphs changed."""
    new = result.text.split(PARAGRAPH_SEP)
    if len(new) != len(source.paragraphs):
        raise DocxError(f"{path}：脱敏后段落数 {len(new)} 与原文 {len(source.paragraphs)} 不符")
    changed = 0
    for paragraph, text in zip(source.paragraphs, new, strict=True):
        if _text(paragraph) != text:
            _set_text(paragraph, text.replace(LINE_BREAK, "\n"))
            changed += 1
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        source.document.save(str(tmp))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return changed
