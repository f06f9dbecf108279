"""Names placed by a layout rather than by a role word: table columns headed 姓名 or 收款人,
and the "name，sex，birth date" profile that opens every party entry of a judgment or a
witness list (原告：次仁多吉，男，1978年出生 / 1. 熊德明，男，系被害人邻居).

Both layouts tell where a name is without reading it, so they also find names a surname
parser cannot (扎西卓玛, 江山, a surname missing from the lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, SEP, Candidate, CandidateFilter, Doc, HitRecognizer
from desensitize.recognizers.person_name import LATIN_NAME, MaskedNameRecognizer, NameParser
from desensitize.types import Hit

# A cell or a profile entry that can be a name: Han characters (with "·" between the parts
# of a transliterated name) or Latin words.
_NAME_CELL = re.compile(f"[{CJK}]{{2,6}}(?:·[{CJK}]{{1,10}})*|{LATIN_NAME}")
# Where a profile entry starts: line start, punctuation, a space, a list number.
_ENTRY_START = re.compile(f"\\d[.、．]\\s*|[\\n{SEP}:：,，;；。、(（\\s|]")
# The sex after a name: 男 or 女 between delimiters; the search starts at 男/女 (which the regex
# engine can skip ahead to) and the delimiter before it is checked by the look-behind.
_SEX = re.compile(r"[男女](?<=[,，、(（ \t][男女])(?=[,，、)）;；。\s]|$)")
_DELIMITER_BEFORE = re.compile(r"(?:[,，、(（]|[ \t]+)$")
_ROW_SEP = re.compile(r"\||\t| {2,}")
_HEADER_END = re.compile(f"(?:姓名|名字|户名|签名|签字|机主|户主|对方|昵称|(?<=[{CJK}])人)$")
# a remark after the name in a form's value cell: 龚建平（受送达人之父）
_VALUE_REMARK = re.compile(r"[(（][^()（）\n]*[)）]?$")
# a name cell holding a Han rendering and, after a space, the Latin name of a passport
_HAN_THEN_LATIN = re.compile(f"([{CJK}]{{2,6}}(?:·[{CJK}]{{1,10}})*)[ \u3000]+({LATIN_NAME})")
_NOT_PERSONS = frozenset({"法人", "单位", "个人", "人数", "本人"})
# a cell that names an organization or is already masked is not a person's name
_ORG_CELL = re.compile(
    f"[{CJK}]*(?:某|公司|银行|法院|检察院|公安局|局|委员会|中心|厂|店|所|部|社)[{CJK}]*"
)


class ProfileNameRecognizer(HitRecognizer):
    """The entry before ", 男" / ", 女": a name, once the role word before it is cut off."""

    name = "person_profile"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        # role words and alias words both end the entry's lead (犯罪嫌疑人富国安，曾用名富安，男)
        self.anchors = re.compile(alternation([*lex.person_anchors, *lex.alias_anchors]))
        self.filter = name_cell_filter()

    def hits(self, doc: Doc) -> list[Hit]:
        return self.filter.hits(doc.text, self._candidates(doc.text))

    def _candidates(self, text: str) -> Iterator[Candidate]:
        for m in _SEX.finditer(text):
            lead = _DELIMITER_BEFORE.search(text, max(0, m.start() - 8), m.start())
            end = lead.start() if lead is not None else m.start() - 1
            yield self._entry_start(text, end), end, 0.9, self.name

    def _entry_start(self, text: str, end: int) -> int:
        """Start of the entry ending at ``end``: after the last delimiter within 24 characters,
        then after the last role word between it and ``end`` (被告人龙小平，男)."""
        lo = max(0, end - 24)
        start = lo
        for pos in range(end - 1, lo - 1, -1):
            m = _ENTRY_START.match(text, pos)
            if m is not None:
                start = m.end()
                break
        last = None
        for a in self.anchors.finditer(text, start, end):
            last = a
        if last is not None:
            start = last.end()
            while start < end and text[start] in ":： \t":
                start += 1
        return start


_HEADER_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")


class TableNameRecognizer(HitRecognizer):
    """Cells under a header naming persons (| 姓名 |, 收款人, 车主) in rows split by "|", tabs or
    runs of spaces, down to the first line that is not a row."""

    name = "person_table"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.headers = lex.table_name_headers
        self.header_word = re.compile(
            f"{alternation(sorted(self.headers))}|姓名|名字|户名|机主|户主|对方|昵称|人"
        )
        self.anchors = re.compile(alternation(lex.person_anchors))
        self.parser = NameParser(lex)
        self.filter = name_cell_filter()

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        lines = _row_lines(text)
        out = self._form_values(text, lines)
        done = -1  # end of the last row read
        for lo, hi in lines:
            if lo < done or self.header_word.search(text, lo, hi) is None:
                continue
            cells = _header_cells(text, _cells(text, lo, hi))
            columns = [i for i, (a, b) in enumerate(cells) if self._names_persons(text[a:b])]
            if columns and self._holds_value(text, cells):
                continue  # 受送达人      被告人杭玉山: a label and its value, not a header row
            if len(cells) >= 2 and columns and hi < len(text) and text[hi] != SEP:
                found, done = self._rows(text, hi + 1, len(cells), columns)
                out += found
        return self.filter.hits(text, out)

    def _holds_value(self, text: str, cells: list[tuple[int, int]]) -> bool:
        """Whether a cell that is no header holds a role word and a name after it (被告人杭玉山):
        such a row fills a form in; it heads no columns."""
        for a, b in cells:
            role = self.anchors.match(text, a, b)
            if role is None or b - role.end() < 2 or self._names_persons(text[a:b]):
                continue
            parsed = self.parser.parse(text, role.end())  # 签收日期 is a header
            if parsed is not None and parsed[0] == b and parsed[1] >= 0.9:
                return True
        return False

    def _form_values(self, text: str, lines: list[tuple[int, int]]) -> list[Candidate]:
        """Key–value forms (a 送达回证, a registration form): consecutive rows of which at least
        two open with a label naming persons (代收人, 见证人) are "label, value" pairs, not a
        header over columns; the cell after each person label is a name, less a remark in
        parentheses (龚建平（受送达人之父）), unless it is a label itself (当事人 | 姓名)."""
        out: list[Candidate] = []
        for block in _blocks(text, lines):
            if len(block) < 2:
                continue
            labels = sum(self._names_persons(_first_cell(text, lo, hi)) for lo, hi in block)
            if labels < 2:
                continue
            for cells in (_cells(text, lo, hi) for lo, hi in block):
                for (a, b), (c, d) in pairwise(cells):
                    if self._names_persons(text[a:b]) and not self._names_persons(text[c:d]):
                        out.append(self._value(text, c, d))
        return out

    def _value(self, text: str, start: int, end: int) -> Candidate:
        remark = _VALUE_REMARK.search(text, start, end)
        if remark is not None and remark.start() > start:
            end = remark.start()
        return self._cell(text, start, end)

    def _cell(self, text: str, start: int, end: int) -> Candidate:
        """A name cell, after the role word it may open with (原告晋红英)."""
        role = self.anchors.match(text, start, end)
        if role is not None and end - role.end() >= 2:
            start = role.end()
        return start, end, 0.9, self.name

    def _cell_names(self, text: str, start: int, end: int) -> list[Candidate]:
        """The names in a name-column cell: a foreign guest's register row writes the Chinese
        rendering and the passport's Latin name in one cell (金某某 KIM MINJUN); each is a name.
        """
        both = _HAN_THEN_LATIN.fullmatch(text, start, end)
        if both is None:
            return [self._cell(text, start, end)]
        return [
            (start, both.end(1), 0.9, self.name),
            (both.start(2), end, 0.9, self.name),
        ]

    def _names_persons(self, cell: str) -> bool:
        """A header naming persons: a listed one (车主, 收款人), or any short header ending in
        姓名/名字/户名 or in 人 (员工姓名, 出借人, 受送达人); cells under it are checked by the
        name filter, which turns away a company (温州某某公司) in a 受送达人 column."""
        return cell in self.headers or (
            len(cell) <= 6 and _HEADER_END.search(cell) is not None and cell not in _NOT_PERSONS
        )

    def _rows(
        self, text: str, pos: int, width: int, columns: list[int]
    ) -> tuple[list[Candidate], int]:
        """Cells of the name columns in the rows from ``pos`` on, and where the rows end. A
        column holding labels that name persons (代收人, 见证人 under 受送达人) is the label
        column of a key–value form, not names (``_form_values`` reads those)."""
        found: dict[int, list[Candidate]] = {i: [] for i in columns}
        labels: set[int] = set()
        while pos < len(text):
            end = min(_line_end(text, pos, "\n"), _line_end(text, pos, SEP))
            cells = _cells(text, pos, end)
            if len(cells) < 2:
                break
            for i in columns if len(cells) >= width - 1 else ():
                if i < len(cells):
                    a, b = cells[i]
                    if self._names_persons(text[a:b]):
                        labels.add(i)
                    found[i] += self._cell_names(text, a, b)
            if end >= len(text) or text[end] == SEP:
                pos = end
                break
            pos = end + 1
        return [c for i in columns if i not in labels for c in found[i]], pos


def name_cell_filter() -> CandidateFilter:
    """Layout cells (a table column, a profile entry) must look like a name and not be masked."""
    return CandidateFilter(
        _NAME_CELL, (MaskedNameRecognizer().pattern, _ORG_CELL), load_lexicon().profile_non_names
    )


def _row_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines holding a column separator, in order. Found with str.find,
    one hit per line: a regex for "|, tab or two spaces" has no literal to skip ahead to and
    crawled through case files that hold none."""
    lines: dict[int, int] = {}
    for token in ("|", "\t", "  "):
        pos = text.find(token)
        while pos >= 0:
            lo = max(text.rfind("\n", 0, pos), text.rfind(SEP, 0, pos)) + 1
            hi = min(_line_end(text, pos, "\n"), _line_end(text, pos, SEP))
            lines[lo] = hi
            pos = text.find(token, hi)
    return sorted(lines.items())


def _first_cell(text: str, lo: int, hi: int) -> str:
    """The first cell of a row line, found without splitting the whole line."""
    line = text[lo:hi].lstrip(" \u3000|")
    sep = _ROW_SEP.search(line)
    return (line if sep is None else line[: sep.start()]).strip(" \u3000")


def _blocks(text: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of consecutive row lines (each starting on the line after the previous one)."""
    blocks: list[list[tuple[int, int]]] = []
    for lo, hi in lines:
        last = blocks[-1][-1][1] if blocks else -2
        if lo == last + 1 and text[last] == "\n":
            blocks[-1].append((lo, hi))
        else:
            blocks.append([(lo, hi)])
    return blocks


def _line_end(text: str, pos: int, char: str) -> int:
    end = text.find(char, pos)
    return len(text) if end < 0 else end


def _header_cells(text: str, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A header's cells, split once more at a single space between Han labels: a header typed
    with one full-width space where its rows use two (序号　姓名　　村民小组 over
    01　　纳某某　　一组) would otherwise shift every column by one."""
    out = []
    for a, b in cells:
        cut = a
        for m in _HEADER_GAP.finditer(text, a, b):
            out.append((cut, m.start()))
            cut = m.end()
        out.append((cut, b))
    return out


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the stripped cells of the row ``text[start:end]``; a leading and a
    trailing "|" open and close the row rather than bound empty cells."""
    line = text[start:end]
    if not _ROW_SEP.search(line):
        return []
    bounds = [(m.start(), m.end()) for m in _ROW_SEP.finditer(line)]
    edges = [0] + [e for _, e in bounds]
    stops = [s for s, _ in bounds] + [len(line)]
    cells = []
    for a, b in zip(edges, stops, strict=True):
        while a < b and line[a] in " \u3000":
            a += 1
        while b > a and line[b - 1] in " \u3000":
            b -= 1
        cells.append((start + a, start + b))
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells
