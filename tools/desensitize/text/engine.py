"""Analyze (recognize → protect → propagate → resolve overlaps) and anonymize (operate).

Recognition and transformation are separate, as in Presidio, so the same spans can be
re-used by the residual scan, the audit log and the evaluation.

A batch of texts is analyzed as one string joined by ``SEP``, a character no pattern matches:
each compiled regex then runs once per batch instead of once per text, which is where a
per-text engine (Presidio's included) spends its time. Every step after recognition is local
to one text (protection, propagation, overlap resolution), so the batch gives exactly the spans
that analyzing each text alone gives; interval queries use sorted starts and running maxima of
ends so that a batch costs O(n log n), not O(n²).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

from desensitize.divisions import division_names
from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import SEP, Doc
from desensitize.recognizers.person_lists import ListExtender
from desensitize.recognizers.person_name import (
    PROPAGATED_OVER_WORD,
    KnownNamesRecognizer,
    ends_common_word,
    name_starts,
    pick_names,
)
from desensitize.recognizers.person_nickname import NicknameFinder
from desensitize.recognizers.person_short import NAME as SHORT_FORM
from desensitize.recognizers.person_short import SHORT_FORM_SCORE, ShortForms
from desensitize.recognizers.registry import RecognizerRegistry, default_registry
from desensitize.text.allowlist import Protection, protector
from desensitize.types import Hit, Span

PROPAGATED_SCORE = 0.85


def resolve_conflicts(spans: Iterable[Hit]) -> list[Hit]:
    """Keep non-overlapping spans: higher score first, then longer, then earlier.

    Spans that overlap nothing are kept as they are; only the overlapping ones go through the
    greedy choice (most of a batch is isolated, and the greedy step is the costly one)."""
    by_start = sorted(spans, key=lambda x: (x[0], x[1]))
    isolated: list[Hit] = []
    tangled: list[Hit] = []
    reach = -1  # largest end among earlier spans
    for i, s in enumerate(by_start):
        after = i + 1 < len(by_start) and by_start[i + 1][0] < s[1]
        (tangled if after or reach > s[0] else isolated).append(s)
        reach = max(reach, s[1])
    starts: list[int] = []
    ends: list[int] = []
    chosen = isolated
    for s in sorted(tangled, key=lambda x: (-x[3], x[0] - x[1], x[0])):
        i = bisect_left(starts, s[1])
        if i and ends[i - 1] > s[0]:
            continue  # chosen spans are disjoint, so the one starting last before s.end decides
        starts.insert(i, s[0])
        ends.insert(i, s[1])
        chosen.append(s)
    chosen.sort(key=lambda x: x[0])
    return chosen


def overlapping(spans: list[Hit], others: list[Hit]) -> list[bool]:
    """For each span, whether it overlaps any of ``others`` (which may overlap each other)."""
    if not others:
        return [False] * len(spans)
    order = sorted(others)
    starts = [o[0] for o in order]
    max_end = list(accumulate((o[1] for o in order), max))
    out = []
    for s in spans:
        i = bisect_left(starts, s[1])
        out.append(bool(i) and max_end[i - 1] > s[0])
    return out


def _names_by_text(doc: Doc, bounds: list[int], spans: list[Hit]) -> dict[int, set[str]]:
    """Index of each text → the person names detected in it."""
    names: dict[int, set[str]] = {}
    for s in spans:
        if s[2] == "PERSON":
            i = bisect_right(bounds, s[0]) - 1
            names.setdefault(i, set()).add(doc.original[s[0] : s[1]])
    return names


def _names_opening_organizations(
    text: str, bounds: list[int], names: dict[int, set[str]], protected: list[Hit]
) -> list[Hit]:
    """A name of the text at the start of what the allow-list read as an organization
    (鄢某某通过其中国农业银行账户…, 向亓某某中国建设银行账户): the organization pattern runs
    back over the payer's name to the line start or a delimiter, and its protection would
    keep the name. Only names the text already has elsewhere are taken."""
    out: list[Hit] = []
    for p in protected:
        if p[2] != "ORGANIZATION":
            continue
        group = names.get(bisect_right(bounds, p[0]) - 1, ())
        for name in group:
            if len(name) >= 2 and text.startswith(name, p[0]) and p[0] + len(name) < p[1]:
                out.append((p[0], p[0] + len(name), "PERSON", PROPAGATED_SCORE, "person_known"))
                break
    return out


def _bounds(texts: Sequence[str]) -> list[int]:
    """Start offset of each text in the joined string."""
    return list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))


class Analyzer:
    """Runs a registry of recognizers with the allow-list; builds everything once."""

    def __init__(
        self,
        registry: RecognizerRegistry | None = None,
        threshold: float = 0.5,
        protect_officials: bool = True,
    ) -> None:
        self.registry = registry or default_registry()
        self.threshold = threshold
        self.protect_officials = protect_officials
        self.protector = protector()
        self.lists = ListExtender()  # names continuing a 、-list of found names
        self.nicknames = NicknameFinder()  # “阿邦-五金” beside 伍振邦
        self.short = ShortForms(load_lexicon())  # 海燕 beside 何海燕

    def analyze(self, text: str, known: KnownNamesRecognizer | None = None) -> list[Span]:
        if not text:
            return []
        return self.analyze_many([text], known)[0]

    def analyze_many(
        self, texts: Sequence[str], known: KnownNamesRecognizer | None = None
    ) -> list[list[Span]]:
        """Spans of each text (offsets into that text), as ``analyze`` gives them one by one."""
        if not texts:
            return []
        bounds = _bounds(texts)
        out: list[list[Span]] = [[] for _ in texts]
        for h in self.analyze_joined(SEP.join(texts), bounds, known):
            i = bisect_right(bounds, h[0]) - 1
            base = bounds[i]
            out[i].append(Span(h[0] - base, h[1] - base, h[2], h[3], h[4]))
        return out

    def analyze_joined(
        self, text: str, bounds: list[int], known: KnownNamesRecognizer | None = None
    ) -> list[Hit]:
        """Hits over texts joined by ``SEP`` starting at ``bounds`` (offsets into the join),
        sorted by start."""
        doc = Doc(text, bounds)
        threshold = self.threshold
        recognizers = list(self.registry.recognizers)
        if known is not None:
            recognizers.append(known)
        spans = [h for r in recognizers for h in r.hits(doc) if h[3] >= threshold]
        protected = self.protector.find(doc)
        if not self.protect_officials:
            protected = [p for p in protected if p[2] != "OFFICIAL"]
        guard = Protection(protected)
        spans = guard.apply(spans)
        spans += guard.apply(self.nicknames.find(doc, bounds, spans))
        names = _names_by_text(doc, bounds, spans)
        spans += self._propagate(doc, bounds, names, spans, guard)
        spans += _names_opening_organizations(doc.original, bounds, names, protected)
        listed = guard.apply(self.lists.extend(doc.text, spans))
        spans += listed
        # a name found only as a list's continuation (熊美华、涂建新) is a name everywhere else
        more = _names_by_text(doc, bounds, listed)
        spans += self._propagate(doc, bounds, more, spans, guard)
        for i, group in more.items():
            names.setdefault(i, set()).update(group)
        spans += self._short_forms(doc, bounds, names, guard)
        places = division_names()
        spans = [
            s for s in spans
            if s[2] != "PERSON" or not places.overlaps(doc.text, s[0], s[1])
        ]  # fmt: skip
        return resolve_conflicts(spans)

    def _propagate(
        self,
        doc: Doc,
        bounds: list[int],
        names: dict[int, set[str]],
        spans: list[Hit],
        guard: Protection,
    ) -> list[Hit]:
        """A name found once (anchored) is a name everywhere else in the same text: ``names``
        (text → names found in it), where none of ``spans`` is already."""
        if not names:
            return []
        ends = [*bounds[1:], len(doc.original) + 1]
        text = doc.original
        found = []
        for i, group in names.items():
            lo, hi = bounds[i], ends[i] - 1
            valid = {n.strip() for n in group if len(n.strip()) >= 2}
            starts = name_starts(text, valid, lo, hi)
            found += pick_names(text, starts, lo, PROPAGATED_SCORE, KnownNamesRecognizer.name)
        # a weaker overlapping hit (a demoted known name inside this one) is left to the
        # conflict resolution, which prefers the higher score
        clash = overlapping(found, [s for s in spans if s[3] >= PROPAGATED_SCORE])
        extra = [self._over_word(doc.text, h) for h, c in zip(found, clash, strict=True) if not c]
        return guard.apply(extra)

    def _short_forms(
        self, doc: Doc, bounds: list[int], names: dict[int, set[str]], guard: Protection
    ) -> list[Hit]:
        """The short forms of the names found in each text (海燕 after 何海燕, 古丽娜尔 after
        古丽娜尔·阿不都拉, 财哥 after “财哥-稳赚”), outside the full names. Most occur only
        inside their full names, so occurrences are looked up with ``str.find`` and compared
        with the full names before anything else is tried; an overlap with another entity (an
        address on 海燕路) is left to the conflict resolution, where the lower score loses."""
        text = doc.original
        ends = [*bounds[1:], len(text) + 1]
        found: list[Hit] = []
        for i, group in names.items():
            lo, hi = bounds[i], ends[i] - 1
            for short, (bounded, fulls) in self.short.of(group).items():
                # a full name read twice, once cut short (亚历山大·彼得罗夫 and 历山大·彼得罗夫),
                # counts once
                outer = {f for f, _ in fulls if not any(f != g and f in g for g, _ in fulls)}
                if text.count(short, lo, hi) <= sum(text.count(f, lo, hi) for f in outer):
                    continue  # every occurrence is inside a full name (the common case)
                pos = text.find(short, lo, hi)
                while pos >= 0:
                    end = pos + len(short)
                    inside = any(text.startswith(f, pos - k, hi) for f, k in fulls if pos >= k)
                    if not inside and (not bounded or self.short.ends_as_name(doc.text, end)):
                        found.append((pos, end, "PERSON", SHORT_FORM_SCORE, SHORT_FORM))
                    pos = text.find(short, pos + 1, hi)
        places = division_names()
        found = [
            h
            for h in found
            if not places.match_at(text, h[0]) and not ends_common_word(text, h[0], 0)
        ]
        return guard.apply(found)

    def _over_word(self, text: str, hit: Hit) -> Hit:
        """A mention of a name that starts with a common word (a party called 文明 or 和平)
        counts over the word where it ends as a name ends (，文明申请查封; 江山称和平拖欠), not
        inside a longer word (文明城市)."""
        start, end = hit[0], hit[1]
        parser = self.lists.parser
        over_word = text[start : start + 2] in parser.common_heads and parser.common.match(
            text, start
        )
        if not over_word or not parser.boundary(text, end):
            return hit
        return (start, end, hit[2], hit[3], PROPAGATED_OVER_WORD)
