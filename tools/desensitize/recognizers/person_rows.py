"""Names opening the rows of a ledger written one person per line: the payee, then a separator
("/", "|", "——", a comma, a tab), then an account, an ID number or an amount::

    收款人 / 账号 / 金额
    胡春生 / 622202610531783929 / 4,200元
    1. 聂长根，账号6222021208001234，返还2万元；

No role word stands before these names and the header, when there is one, may be far above or
split by other separators than a table's; the rows themselves are the cue. At least two rows in
a row are needed, so a single prose line that happens to open with a name and hold a number is
not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser
from desensitize.types import Hit

# a row: line start, an optional item number, the name cell, a separator, and later on the same
# line a run of six digits (account, card, ID) or an amount in 元
_ROW_BODY = (
    f"[ \\t]*(?:\\d{{1,3}}[.、．/][ \\t]*)?([{CJK}]{{2,4}}(?:·[{CJK}]{{1,10}})*)"
    "[ \\t]*(?:[/／|｜，,；;\\t]|—{1,2}|-{1,2}| {2,})"
    f"[^\\n{SEP}]*?(?:\\d{{6}}|\\d元)"
)
_ROW = re.compile(f"[\\n{SEP}]{_ROW_BODY}")
_FIRST_ROW = re.compile(_ROW_BODY)
MIN_ROWS = 2


class LedgerRowNameRecognizer(HitRecognizer):
    """The name cell of each row of a run of at least two ledger rows."""

    name = "person_ledger_row"
    entities = ("PERSON",)
    needs_digit = True

    def __init__(self) -> None:
        self.lex = load_lexicon()
        self.parser = NameParser(self.lex)

    def hits(self, doc: Doc) -> list[Hit]:
        if not doc.has_digit:
            return []
        text = doc.text
        out: list[Hit] = []
        run: list[tuple[int, int]] = []
        line_end = -1
        for m in self._rows(doc):
            if m.start() != line_end:  # not the line right after the previous row
                out += self._names(text, run)
                run = []
            run.append(m.span(1))
            line_end = _line_end(text, m.end())
        return out + self._names(text, run)

    def _rows(self, doc: Doc) -> Iterator[re.Match[str]]:
        first = _FIRST_ROW.match(doc.text)
        if first is not None:
            yield first
        yield from doc.finditer(_ROW, ("元0123456789",))

    def _names(self, text: str, run: list[tuple[int, int]]) -> list[Hit]:
        if len(run) < MIN_ROWS:
            return []
        return [(a, b, "PERSON", 0.85, self.name) for a, b in run if self._is_name(text, a, b)]

    def _is_name(self, text: str, start: int, end: int) -> bool:
        """A "·" name, a strict reading of the whole cell, or one over a common word whose
        given-name characters are name characters (文明华, not 合计)."""
        if "·" in text[start:end]:
            return True
        strict = self.parser.parse(text, start)
        if strict is not None:
            return strict[0] == end and strict[1] >= 0.9
        loose = self.parser.parse(text, start, strict=False)
        if loose is None or loose[0] != end or loose[1] < 0.9:
            return False
        given = text[start + self.lex.is_surname_at(text, start) : end]
        return all(c in self.lex.name_chars for c in given)


def _line_end(text: str, pos: int) -> int:
    ends = [e for e in (text.find("\n", pos), text.find(SEP, pos)) if e >= 0]
    return min(ends) if ends else len(text)
