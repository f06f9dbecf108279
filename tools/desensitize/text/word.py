"""Desensitizing a Word document as one text: the paragraphs read by ``io.word``, analyzed
together (so a name found in one paragraph is found in all), cut at paragraph breaks and written
back paragraph by paragraph."""

from __future__ import annotations

from pathlib import Path

from desensitize.io.word import read_docx, split_at_paragraphs, write_docx
from desensitize.text.desensitizer import Desensitizer
from desensitize.types import Result, Span


def desensitize_docx(des: Desensitizer, source: Path, target: Path) -> Result:
    """Desensitize a whole .docx as one document and write it to ``target``."""
    doc = read_docx(source)
    text = doc.text
    found = [(s.start, s.end, s.entity, s.score, s.recognizer) for s in des.analyze(text)]
    spans = [Span(*h) for h in split_at_paragraphs(text, found)]
    result = des.anonymize(text, spans)
    write_docx(doc, result, target)
    return result
