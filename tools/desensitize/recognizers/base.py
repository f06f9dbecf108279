"""Recognizer contract and the regex-with-validation recognizer most detections use.

As in Presidio, a regex gives medium confidence and a ``validate`` hook promotes (checksum
holds) or demotes it; context words shortly before a hit add confidence. Unlike Presidio the
context is looked up on the folded characters directly, because Chinese has no lemmas.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import ClassVar

import numpy as np

from desensitize.normalize import fold
from desensitize.types import Hit, Span

CJK = "\u4e00-\u9fff"
# Joins the texts of a batch: no pattern matches it, so no detection or context crosses texts.
SEP = "\x00"
# Gated patterns scan text by text only when fewer than 1/WHOLE_SCAN_SHARE of the texts qualify;
# one pass over the whole join is cheaper than many short scans.
WHOLE_SCAN_SHARE = 4
_DIGIT = re.compile(r"\d")


@dataclass
class Doc:
    """Texts under analysis (one, or a batch joined by ``SEP`` starting at ``bounds``): the
    original, its folded copy, and which texts contain which characters (for gating)."""

    original: str
    bounds: list[int] = field(default_factory=lambda: [0])
    text: str = field(init=False)
    has_digit: bool = field(init=False)
    _gates: dict[tuple[str, ...], list[tuple[int, int]] | None] = field(
        init=False, default_factory=dict
    )
    _texts: dict[str, set[int]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.text = fold(self.original).text
        self.has_digit = _DIGIT.search(self.text) is not None

    def ranges(self, gate: tuple[str, ...]) -> list[tuple[int, int]] | None:
        """(start, end) of the texts holding, for every string of ``gate``, one of its
        characters; None when scanning the whole join in one pass is cheaper (most texts
        qualify). Texts without the characters hold no match, so either way finds the same."""
        if not gate:
            return None
        if gate not in self._gates:
            self._gates[gate] = self._compute(gate)
        return self._gates[gate]

    def _texts_with(self, chars: str) -> set[int]:
        """Indexes of the texts containing one of ``chars`` (cached per character set)."""
        if chars not in self._texts and len(self.bounds) == 1:
            self._texts[chars] = {0} if _char_class(chars).search(self.text) else set()
        elif chars not in self._texts:
            starts = [m.start() for m in _char_class(chars).finditer(self.text)]
            found = np.unique(np.searchsorted(self.bounds, starts, side="right") - 1)
            self._texts[chars] = set(found.tolist())
        return self._texts[chars]

    def _compute(self, gate: tuple[str, ...]) -> list[tuple[int, int]] | None:
        bounds = self.bounds
        keep = set.intersection(*(self._texts_with(chars) for chars in gate))
        if len(keep) * WHOLE_SCAN_SHARE > len(bounds):
            return None
        ends = [b - 1 for b in bounds[1:]] + [len(self.text)]
        return [(bounds[i], ends[i]) for i in sorted(keep)]

    def finditer(
        self, pattern: re.Pattern[str], gate: tuple[str, ...] = ()
    ) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` in the texts that pass ``gate``; no match crosses ``SEP``, so
        scanning only those texts finds exactly what scanning the whole join finds."""
        spans = self.ranges(gate)
        if spans is None:
            return pattern.finditer(self.text)
        text = self.text
        return chain.from_iterable(pattern.finditer(text, lo, hi) for lo, hi in spans)


@lru_cache(maxsize=256)
def _char_class(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


class Recognizer(ABC):
    """Finds spans of its entities; ``needs_digit`` lets the engine skip digit-free texts."""

    name: ClassVar[str]
    entities: ClassVar[tuple[str, ...]]
    needs_digit: ClassVar[bool] = False

    @abstractmethod
    def analyze(self, doc: Doc) -> Iterator[Span]:
        """Yield spans with offsets into ``doc.original``."""

    def hits(self, doc: Doc) -> list[Hit]:
        """The same detections as plain tuples: a batch makes tens of thousands of them."""
        return [(s.start, s.end, s.entity, s.score, s.recognizer) for s in self.analyze(doc)]


class HitRecognizer(Recognizer):
    """A recognizer that computes plain hits; ``analyze`` wraps them in spans."""

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for h in self.hits(doc):
            yield Span(*h)

    @abstractmethod
    def hits(self, doc: Doc) -> list[Hit]:
        """Detections as (start, end, entity, score, recognizer) into ``doc.original``."""


# A candidate a recognizer proposes: (start, end, score, recognizer name); score 0 marks one
# read but not to be reported (an already-masked name is left to the masked recognizer).
Candidate = tuple[int, int, float, str]


@dataclass(frozen=True)
class CandidateFilter:
    """The one check every person recognizer applies to the spans it proposes (anchored,
    alias, profile, table): the span has the shape of a name, is not already masked (张某,
    李某某1) and is not a word that fills a name slot without being one (性别, 某某).

    ``shape`` None accepts any span (the reader has checked the form already)."""

    shape: re.Pattern[str] | None
    rejects: tuple[re.Pattern[str], ...] = ()
    words: frozenset[str] = frozenset()
    entity: str = "PERSON"
    # when set, the rejects can only match spans ending in one of these characters, and are
    # not tried on others (a batch proposes thousands of names)
    reject_ends: frozenset[str] | None = None

    def accepts(self, text: str, start: int, end: int) -> bool:
        if end <= start or (self.words and text[start:end] in self.words):
            return False
        if self.shape is not None and self.shape.fullmatch(text, start, end) is None:
            return False
        if self.reject_ends is not None and text[end - 1] not in self.reject_ends:
            return True
        return not any(r.fullmatch(text, start, end) for r in self.rejects)

    def hits(self, text: str, candidates: Iterable[Candidate]) -> list[Hit]:
        entity = self.entity
        return [
            (a, b, entity, score, name)
            for a, b, score, name in candidates
            if score > 0 and self.accepts(text, a, b)
        ]


def context_before(text: str, start: int, words: tuple[str, ...], window: int = 16) -> bool:
    """True when one of ``words`` lies within ``window`` characters before ``start`` (never
    reaching back past a ``SEP`` into the previous text of a batch)."""
    lo = max(0, start - window, text.rfind(SEP, max(0, start - window), start) + 1)
    return _words_re(words).search(text, lo, start) is not None


@lru_cache(maxsize=64)
def _words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


class PatternRecognizer(HitRecognizer):
    """Regex hits scored ``base_score``; ``validate`` returns a new score or None to drop."""

    pattern: ClassVar[re.Pattern[str]]
    base_score: ClassVar[float] = 0.5
    context_words: ClassVar[tuple[str, ...]] = ()
    context_boost: ClassVar[float] = 0.3
    group: ClassVar[int] = 0
    # Every string here must have a character in a text for the pattern to match there.
    gate: ClassVar[tuple[str, ...]] = ()

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        """Score of a hit whose regex matched; override for checksums and sanity checks."""
        return self.base_score

    def validate_many(self, values: list[str], doc: Doc, starts: list[int]) -> list[float | None]:
        """``validate`` for all hits of a batch at once; override to vectorize a checksum."""
        return [self.validate(v, doc, s) for v, s in zip(values, starts, strict=True)]

    def hits(self, doc: Doc) -> list[Hit]:
        if self.needs_digit and not doc.has_digit:
            return []
        g = self.group
        found = [(m.start(g), m.end(g), m.group(g)) for m in doc.finditer(self.pattern, self.gate)]
        if not found:
            return []
        starts = [f[0] for f in found]
        scores = self.validate_many([f[2] for f in found], doc, starts)
        words = self.context_words
        text, entity, boost, name = doc.text, self.entities[0], self.context_boost, self.name
        out = []
        for (start, end, _), score in zip(found, scores, strict=True):
            if score is None:
                continue
            if words and context_before(text, start, words):
                # validators return constants; only the boosted sum needs rounding
                score = round(min(1.0, score + boost), 4)
            out.append((start, end, entity, score, name))
        return out
