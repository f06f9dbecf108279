"""Names opening the rows of a ledger written one person per line: the payee, a separator ("/",
"|", "——", a comma, a tab, a space before digits), then an account, an ID number or an amount::

    收款人 / 账号 / 金额
    胡春生 / 622202610531783929 / 4,200元
    1. 聂长根，账号6222021208001234，返还2万元；

No role word stands before these names and the header, when there is one, may be far above or
split by other separators than a table's; the rows themselves are the cue. At least two rows in
a row are needed, so a single prose line that happens to open with a name and hold a number is
not read, unless the line above is a header naming persons (收款人 / 账号 / 金额). The same rows
also mark the numbers beside the names as accounts: a housing-fund or ledger account (8–15
digits, no Luhn digit) has no label of its own there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser
from desensitize.types import Hit

# a row: line start, an optional item number, the name cell, a separator, and later on the same
# line a run of six digits (account, card, ID) or an amount in 元
_ROW_BODY = (
    f"[ \\t]*(?:\\d{{1,3}}[ \\t]*[.、．/|｜][ \\t]*)?([{CJK}]{{2,4}}(?:·[{CJK}]{{1,10}})*)"
    "[ \\t]*(?:[/／|｜，,；;\\t]|—{1,2}|-{1,2}| {2,}| (?=\\d))"
    f"[^\\n{SEP}]*?(?:\\d{{6}}|\\d元)"
)
_ROW = re.compile(f"[\\n{SEP}]{_ROW_BODY}")
_SEPARATOR = re.compile("[/／|｜，,；;\\t]|—|-| {2}")
_FIRST_ROW = re.compile(_ROW_BODY)
MIN_ROWS = 2
# a number in a row that is no amount (4,200元, 2万) nor part of a longer token
_ROW_NUMBER = re.compile(r"(?<![\d.,A-Za-z])\d{8,22}(?![\d.,A-Za-z元万])")
# lengths other recognizers own: bank cards (16–19 digits) score higher with a Luhn digit or
# context; a row number of these lengths is left to them
_CARD_LENGTHS = range(16, 20)
ACCOUNT_SCORE = 0.55  # below an ID number, a mobile number or a bank card on the same digits


class LedgerRowNameRecognizer(HitRecognizer):
    """The name cell of each row of a run of at least two ledger rows."""

    name = "person_ledger_row"
    entities = ("PERSON", "ACCOUNT_NUMBER")
    needs_digit = True

    def __init__(self) -> None:
        self.lex = load_lexicon()
        self.parser = NameParser(self.lex)
        self.header = re.compile(alternation(sorted(self.lex.table_name_headers)))

    def hits(self, doc: Doc) -> list[Hit]:
        if not doc.has_digit:
            return []
        text = doc.text
        out: list[Hit] = []
        run: list[tuple[int, int, int]] = []  # (name start, name end, line end)
        line_end = -1
        for m in self._rows(doc):
            if m.start() != line_end:  # not the line right after the previous row
                out += self._row_hits(text, run)
                run = []
            line_end = _line_end(text, m.end())
            run.append((*m.span(1), line_end))
        return out + self._row_hits(text, run)

    def _rows(self, doc: Doc) -> Iterator[re.Match[str]]:
        first = _FIRST_ROW.match(doc.text)
        if first is not None:
            yield first
        yield from doc.finditer(_ROW, ("元0123456789",))

    def _row_hits(self, text: str, run: list[tuple[int, int, int]]) -> list[Hit]:
        """The names of a run of rows, and the account numbers beside them."""
        if not run or (len(run) < MIN_ROWS and not self._header_above(text, run[0][0])):
            return []
        out: list[Hit] = [
            (a, b, "PERSON", 0.85, self.name) for a, b, _ in run if self._is_name(text, a, b)
        ]
        for _, b, end in run:
            out += [
                (n.start(), n.end(), "ACCOUNT_NUMBER", ACCOUNT_SCORE, self.name)
                for n in _ROW_NUMBER.finditer(text, b, end)
                if n.end() - n.start() not in _CARD_LENGTHS
            ]
        return out

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

    def _header_above(self, text: str, pos: int) -> bool:
        """Whether the line above the one holding ``pos`` is a header row naming persons: a
        separator and a header word (收款人, 姓名, 户名) in it."""
        start = max(text.rfind("\n", 0, pos), text.rfind(SEP, 0, pos))
        if start <= 0 or text[start] != "\n":
            return False
        above = max(text.rfind("\n", 0, start), text.rfind(SEP, 0, start)) + 1
        separated = _SEPARATOR.search(text, above, start) is not None
        return separated and self.header.search(text, above, start) is not None


def _line_end(text: str, pos: int) -> int:
    ends = [e for e in (text.find("\n", pos), text.find(SEP, pos)) if e >= 0]
    return min(ends) if ends else len(text)
