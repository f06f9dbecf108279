"""The hand-written recall hard set: loading its YAML files and scoring an analyzer on them.

The generator's gold spans (``desensitize.evaluation.gold``) measure the recognizers on texts built
from the generator's own templates. The hard set is written by hand in other layouts (问/答
transcripts, table rows, witness and payment lists, company descriptions, aliases, foreign
names, the party lists of published rulings …; docs/desensitize-recall.md), one YAML file per
layout::

    layout: interview
    documents:
      - text: "…"
        persons: [邝文斌, 阿斌]          # every occurrence is a gold PERSON span
        identifiers: {VIN: [LSVAU218XN2183294]}
        keep: [城东派出所, 高兴]          # must come out unchanged

Gold spans are the leftmost-longest occurrences of the listed strings, so a file lists each
name once however often the text repeats it. Scoring is exact, per entity, as for the
generator's gold set: a detection of a scored entity that is not exactly a gold span is a false
positive. Entities the hard set does not annotate (addresses, dates) are not scored, but no
detection of any entity may touch a ``keep`` string.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from desensitize.evaluation.gold import Evaluation, Expected, Score, analyze_documents, evaluate
from desensitize.text.desensitizer import Desensitizer
from desensitize.types import Span

# Detections that never count against a keep string: masked names are kept on purpose, and a
# date the policy keeps is not changed.
HARMLESS = frozenset({"MASKED_PERSON", "DATE"})


class HardDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: str = Field(min_length=1)
    persons: list[str] = Field(default_factory=list)
    identifiers: dict[str, list[str]] = Field(default_factory=dict)
    keep: list[str] = Field(default_factory=list)


class HardLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    layout: str = Field(min_length=1)
    documents: list[HardDocument] = Field(min_length=1)


@dataclass(frozen=True)
class HardCase:
    """One document with its gold spans ``(start, end, entity)`` and keep spans."""

    doc: str
    layout: str
    text: str
    gold: tuple[tuple[int, int, str], ...]
    keep: tuple[tuple[int, int], ...]


def _occurrences(text: str, wanted: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping occurrences of the (string, entity) pairs."""
    found = sorted(
        ((pos, pos + len(s), e) for s, e in wanted for pos in _positions(text, s)),
        key=lambda h: (h[0], h[0] - h[1]),
    )
    out: list[tuple[int, int, str]] = []
    for h in found:
        if not out or h[0] >= out[-1][1]:
            out.append(h)
    return out


def _positions(text: str, s: str) -> list[int]:
    out, pos = [], text.find(s)
    while pos >= 0:
        out.append(pos)
        pos = text.find(s, pos + 1)
    return out


def _case(doc: str, layout: str, d: HardDocument) -> HardCase:
    wanted = [(p, "PERSON") for p in d.persons]
    wanted += [(v, e) for e, values in d.identifiers.items() for v in values]
    missing = [s for s, _ in wanted + [(k, "") for k in d.keep] if s not in d.text]
    if missing:
        raise ValueError(f"{doc}：标注的字符串不在文本中：{'、'.join(missing)}")
    gold = _occurrences(d.text, wanted)
    lost = {s for s, _ in wanted} - {d.text[a:b] for a, b, _ in gold}
    if lost:
        raise ValueError(f"{doc}：标注的字符串被更长的标注覆盖：{'、'.join(sorted(lost))}")
    keep = [(p, p + len(k)) for k in d.keep for p in _positions(d.text, k)]
    clash = [d.text[a:b] for a, b in keep if any(a < e and s < b for s, e, _ in gold)]
    if clash:
        raise ValueError(f"{doc}：须保留的字符串与标识符重叠：{'、'.join(clash)}")
    return HardCase(doc, layout, d.text, tuple(gold), tuple(sorted(set(keep))))


def load_hard_set(root: Path) -> list[HardCase]:
    """Every document of every ``*.yaml`` under ``root``, checked (a listed string that is not
    in its text, or a keep string inside a gold span, is an error in the set, not a miss)."""
    cases = []
    for path in sorted(root.glob("*.yaml")):
        layout = HardLayout.model_validate(yaml.safe_load(path.read_text("utf-8")))
        for i, d in enumerate(layout.documents, start=1):
            cases.append(_case(f"{path.stem}/{i}", layout.layout, d))
    if not cases:
        raise ValueError(f"{root} 下没有难例文件（*.yaml）")
    return cases


@dataclass
class HardSetEvaluation:
    evaluation: Evaluation
    by_layout: dict[str, Score]  # PERSON only
    names: int  # distinct gold person strings
    keep_total: int
    keep_touched: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, kept, entity)
    keep_changed: list[tuple[str, str]] = field(default_factory=list)  # (doc, kept)


def _touching(case: HardCase, spans: list[Span]) -> list[tuple[str, str, str]]:
    return [
        (case.doc, case.text[a:b], s.entity)
        for a, b in case.keep
        for s in spans
        if s.entity not in HARMLESS and s.start < b and a < s.end
    ]


def _changed(case: HardCase, released: str) -> list[tuple[str, str]]:
    wanted = Counter(case.text[a:b] for a, b in case.keep)
    return [(case.doc, k) for k, n in wanted.items() if released.count(k) < n]


def evaluate_hard_set(des: Desensitizer, cases: list[HardCase]) -> HardSetEvaluation:
    """Exact per-entity scores over the annotated entities, PERSON recall per layout, and the
    keep check twice: no detection touches a keep string, and the released text holds each."""
    texts = {c.doc: c.text for c in cases}
    scored = {e for c in cases for _, _, e in c.gold}
    expected = [Expected(c.doc, a, b, frozenset({e}), (e,)) for c in cases for a, b, e in c.gold]
    detections = analyze_documents(des, texts)
    ev = evaluate(
        texts, expected, {d: [s for s in ss if s.entity in scored] for d, ss in detections.items()}
    )
    by_layout: dict[str, Score] = {}
    for c in cases:
        part = evaluate(
            {c.doc: c.text},
            [e for e in expected if e.doc == c.doc and "PERSON" in e.accepted],
            {c.doc: [s for s in detections[c.doc] if s.entity == "PERSON"]},
        ).score("PERSON")
        total = by_layout.setdefault(c.layout, Score())
        total.tp, total.fp, total.fn = total.tp + part.tp, total.fp + part.fp, total.fn + part.fn
    released = des.text_many([c.text for c in cases])
    return HardSetEvaluation(
        evaluation=ev,
        by_layout=by_layout,
        names=len({c.text[a:b] for c in cases for a, b, e in c.gold if e == "PERSON"}),
        keep_total=sum(len(c.keep) for c in cases),
        keep_touched=[t for c in cases for t in _touching(c, detections[c.doc])],
        keep_changed=[x for c, r in zip(cases, released, strict=True) for x in _changed(c, r.text)],
    )
