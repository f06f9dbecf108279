"""Names placed by a list rather than by a role word of their own.

Two list shapes name persons without announcing each one: a payment or loss list whose items
are "name + amount" (转账：鄢志宏32万元、钮海燕18万元), and the 、-list that continues after a
name already found (户名分别为莫文涛、甘淑贤、莫小川: the first two are known from earlier in the
text). Neither reads a lone clause opening; each needs the list around it.
"""

from __future__ import annotations

import re

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import CJK, Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser
from desensitize.types import Hit

# an item of a ledger list: a short Han run between a list delimiter and an amount
_LEDGER_ITEM = re.compile(f"[：:、，,；;\\n]([{CJK}]{{2,4}})\\d+(?:\\.\\d+)?万?元")
MIN_ITEMS = 2
LISTED = "person_listed"


class LedgerNameRecognizer(HitRecognizer):
    """Names before amounts in a list of at least two such items (A32万元、B18万元)."""

    name = "person_ledger"
    entities = ("PERSON",)
    needs_digit = True

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def hits(self, doc: Doc) -> list[Hit]:
        if not doc.has_digit:
            return []
        text = doc.text
        out: list[Hit] = []
        run: list[tuple[int, int]] = []
        last_end = -1
        for m in doc.finditer(_LEDGER_ITEM, ("元",)):
            if m.start() != last_end:  # a new list starts
                out += self._names(text, run)
                run = []
            run.append(m.span(1))
            last_end = m.end()
        return out + self._names(text, run)

    def _names(self, text: str, run: list[tuple[int, int]]) -> list[Hit]:
        names = [(a, b) for a, b in run if self._is_name(text, a, b)]
        if len(names) < MIN_ITEMS:
            return []
        return [(a, b, "PERSON", 0.8, self.name) for a, b in names]

    def _is_name(self, text: str, start: int, end: int) -> bool:
        parsed = self.parser.parse(text, start)
        return parsed is not None and parsed[0] == end and parsed[1] >= 0.9


class ListExtender:
    """Names that continue a 、-list after a name already found: each must read strictly as a
    name (no common word or place at its start) and end where a name ends."""

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def extend(self, text: str, hits: list[Hit]) -> list[Hit]:
        taken = {h[0] for h in hits if h[2] == "PERSON"}
        out: list[Hit] = []
        for h in hits:
            end = h[1]
            if h[2] != "PERSON" or end >= len(text) or text[end] != "、":
                continue
            while end < len(text) and text[end] == "、" and end + 1 not in taken:
                parsed = self.parser.parse(text, end + 1)
                if parsed is None or parsed[1] < 0.9:
                    break
                out.append((end + 1, parsed[0], "PERSON", 0.8, LISTED))
                taken.add(end + 1)
                end = parsed[0]
        return out
