"""Natural persons' names: anchored on roles and relations, minority names with "·",
names the caller already knows (e.g. a dataset's ``persons`` table), and names that are
already masked (张某, 李某某1, 王某甲), which are reported so that they are left alone.

Chinese has no capitalisation or spaces, so a bare surname-list scan would flag 马上, 高消费
and 任何; every name here needs an anchor, a known list or the "·" of a transliterated name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from desensitize.divisions import division_names
from desensitize.lexicon import Lexicon, alternation, load_lexicon
from desensitize.recognizers.base import CJK, Doc, Recognizer
from desensitize.types import Hit, Span

_CJK_RE = re.compile(f"[{CJK}]")
_LIST_JOINERS = "、和及与"


def _surname_class(lex: Lexicon) -> str:
    return (
        alternation(sorted(lex.compound_surnames))
        + "|["
        + "".join(sorted(lex.single_surnames))
        + "]"
    )


class NameParser:
    """Reads one Han name at a position: surname + one or two given-name characters."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.common = re.compile(alternation(lex.common_words))
        self.followers = re.compile(alternation(lex.name_followers))
        self.places = division_names().short_forms

    def _is_given(self, ch: str) -> bool:
        return bool(_CJK_RE.match(ch)) and ch not in self.lex.name_stop_chars

    def _boundary(self, text: str, pos: int) -> bool:
        if pos >= len(text) or not _CJK_RE.match(text[pos]):
            return True
        return self.followers.match(text, pos) is not None

    def parse(self, text: str, pos: int) -> tuple[int, float] | None:
        """(end, score) of the name at ``pos``, or None when no plausible name starts there."""
        if self.common.match(text, pos) or text[pos : pos + 2] in self.places:
            return None
        if text[pos : pos + 3] in self.places:
            return None
        s = self.lex.is_surname_at(text, pos)
        if s == 0:
            return None
        g1 = pos + s
        if g1 >= len(text) or text[g1] == "某" or not self._is_given(text[g1]):
            return None
        two = g1 + 1 < len(text) and self._is_given(text[g1 + 1])
        if two and self._boundary(text, g1 + 2):
            return g1 + 2, 0.9
        if self._boundary(text, g1 + 1):
            return g1 + 1, 0.9
        # a stop character right after one given-name character ends the name there
        return (g1 + 2, 0.75) if two else (g1 + 1, 0.85)


class AnchoredNameRecognizer(Recognizer):
    """Names right after a role word (被告人, 证人, 其妻 …), and names listed after it (、和)."""

    name = "person_anchored"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.parser = NameParser(lex)
        self.anchor = re.compile(f"(?:{alternation(lex.person_anchors)})(?:[：:]|\\s)*")
        self.minority = re.compile(f"[{CJK}]{{1,8}}(?:·[{CJK}]{{1,8}})+")
        self.trim = re.compile(f"(?:{alternation(lex.name_followers)})$")
        self.masked = MaskedNameRecognizer().pattern

    def _minority_at(self, text: str, pos: int) -> int:
        m = self.minority.match(text, pos)
        if m is None:
            return 0
        end = m.end()
        tail = self.trim.search(text, m.start(), end)
        while tail is not None and tail.start() > text.rfind("·", pos, end) + 2:
            end = tail.start()
            tail = self.trim.search(text, m.start(), end)
        return end

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for h in self.hits(doc):
            yield Span(*h)

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out: list[Hit] = []
        for a in self.anchor.finditer(text):
            pos = a.end()
            first = True
            while pos < len(text):
                masked = self.masked.match(text, pos)
                end = self._minority_at(text, pos)
                if masked is not None:
                    end = masked.end()
                elif end:
                    out.append((pos, end, "PERSON", 0.95, self.name))
                else:
                    parsed = self.parser.parse(text, pos)
                    if parsed is None:
                        break
                    end, score = parsed
                    out.append((pos, end, "PERSON", score if first else score - 0.05, self.name))
                first = False
                if end < len(text) and text[end] in _LIST_JOINERS:
                    pos = end + 1
                else:
                    break
        return out


class MinorityNameRecognizer(Recognizer):
    """Transliterated names joined by "·" anywhere (阿卜杜热依木·买买提)."""

    name = "person_minority"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.pattern = re.compile(f"(?<![{CJK}《“])[{CJK}]{{2,6}}(?:·[{CJK}]{{2,8}})+")
        self.trim = re.compile(f"(?:{alternation(lex.name_followers)})$")

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for m in doc.finditer(self.pattern, ("·",)):
            end = m.end()
            last_dot = doc.text.rfind("·", m.start(), end)
            tail = self.trim.search(doc.text, last_dot + 1, end)
            while tail is not None and tail.start() >= last_dot + 3:
                end = tail.start()
                tail = self.trim.search(doc.text, last_dot + 1, end)
            yield Span(m.start(), end, "PERSON", 0.7, self.name)


class MaskedNameRecognizer(Recognizer):
    """Already-masked names; reported as MASKED_PERSON so that policies keep them."""

    name = "person_masked"
    entities = ("MASKED_PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.pattern = re.compile(
            f"(?:{_surname_class(lex)})某{{1,2}}(?:[甲乙丙丁戊己庚辛壬癸]|\\d{{1,2}})?"
            "(?!年|月|日|时|处|地|种|些|个|项|次|天|公司|单位|银行|市|县|区|镇|村)"
        )

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for m in doc.finditer(self.pattern, ("某",)):
            yield Span(m.start(), m.end(), "MASKED_PERSON", 0.95, self.name)


class KnownNamesRecognizer(Recognizer):
    """Every occurrence of names the caller lists (a persons table, an earlier detection)."""

    name = "person_known"
    entities = ("PERSON",)
    FEW = 8  # up to this many names, str.find beats a regex over head characters

    def __init__(self, names: Iterable[str], score: float = 0.95) -> None:
        by_head: dict[str, set[str]] = {}
        for raw in names:
            name = raw.strip()
            if len(name) >= 2:
                by_head.setdefault(name[0], set()).add(name)
        self.by_head = {h: tuple(sorted(v, key=len, reverse=True)) for h, v in by_head.items()}
        self.score = score
        self.places = division_names()
        self.count = sum(len(v) for v in self.by_head.values())
        heads = "".join(sorted(self.by_head))
        many = heads and self.count > self.FEW
        self.head_re = re.compile(f"[{re.escape(heads)}]") if many else None

    def _starts(self, text: str, lo: int, hi: int) -> list[tuple[int, str]]:
        """(position, name) of candidate starts, longest name first at a position."""
        if self.head_re is not None:
            return [
                (m.start(), name)
                for m in self.head_re.finditer(text, lo, hi)
                for name in self.by_head[m.group()]
                if text.startswith(name, m.start(), hi)
            ]
        return name_starts(text, [n for names in self.by_head.values() for n in names], lo, hi)

    def find(self, text: str, lo: int = 0, hi: int | None = None) -> list[Hit]:
        """Leftmost-longest, non-overlapping occurrences in ``text[lo:hi]`` outside place names."""
        hi = len(text) if hi is None else hi
        return pick_names(text, self._starts(text, lo, hi), lo, self.score, self.name)

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for h in self.hits(doc):
            yield Span(*h)

    def hits(self, doc: Doc) -> list[Hit]:
        return self.find(doc.original) if self.by_head else []


def name_starts(text: str, names: Iterable[str], lo: int, hi: int) -> list[tuple[int, str]]:
    """(position, name) of every occurrence of a few names, longest first at a position."""
    hits = []
    for name in names:
        pos = text.find(name, lo, hi)
        while pos >= 0:
            hits.append((pos, name))
            pos = text.find(name, pos + 1, hi)
    hits.sort(key=lambda h: (h[0], -len(h[1])))
    return hits


def pick_names(
    text: str, starts: list[tuple[int, str]], lo: int, score: float, recognizer: str
) -> list[Hit]:
    """Leftmost-longest, non-overlapping names among ``starts``, skipping place names."""
    places = division_names()
    out: list[Hit] = []
    last_end = lo
    for pos, name in starts:
        if pos < last_end or places.match_at(text, pos):
            continue
        last_end = pos + len(name)
        out.append((pos, last_end, "PERSON", score, recognizer))
    return out

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for h in self.hits(doc):
            yield Span(*h)

    def hits(self, doc: Doc) -> list[Hit]:
        return self.find(doc.original) if self.by_head else []
