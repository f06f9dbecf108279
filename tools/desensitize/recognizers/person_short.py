"""Short forms of names already found in a text: the given name used alone (何海燕 → 海燕,
温雅琴 → 雅琴), the first part of a transliterated name (古丽娜尔·阿不都拉 → 古丽娜尔), the
part of a surname-less Tibetan name that people call its bearer by (次仁旺堆 → 旺堆) and the
head of a chat display name before its suffix (“财哥-稳赚” → 财哥).

A transcript names a person in full once and then as family and friends call them; replacing
the full name and leaving 海燕 or 古丽娜尔 leaves the person recognizable to everyone around
them. On its own a two-character given name is an ordinary word as often as not (建国, 文明,
海涛), so a short form counts only in the text where its full name was found, and a Han given
name only where a name ends after it (海燕名下, 雅琴：); the engine also drops any that touches
a common word (朱文明 does not make every 文明 a name).
"""

from __future__ import annotations

import re

from desensitize.lexicon import Lexicon
from desensitize.recognizers.person_name import NameParser, is_cjk

SHORT_FORM_SCORE = 0.8
NAME = "person_short_form"
# separators between a display name and its suffix (财哥-稳赚, 阿邦_五金, 小娟·代购)
_DISPLAY_SUFFIX = re.compile("[-_—–·]")


class ShortForms:
    """Derives the short forms of a text's names and says where one may stand."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.parser = NameParser(lex)
        self.heads = frozenset(lex.minority_name_heads)
        # one-character forms of address (哥, 姐, 叔 …) after a given name: 春生哥
        self.address_suffixes = frozenset(t for t in lex.address_titles if len(t) == 1)
        # a corpus names the same persons often
        self._cache: dict[str, list[tuple[str, int, bool]]] = {}

    def of(self, names: set[str]) -> dict[str, tuple[bool, list[tuple[str, int]]]]:
        """Short form → (whether it must end where a name ends, [(full name, offset of the
        short form in it)]) for ``names``: a two-character given name or transliterated part
        needs that boundary, a display name's head (财哥 in “财哥-稳赚”, said as 财哥你…) and a
        longer part (古丽娜尔) do not. A short form that is itself a name of the text is none."""
        out: dict[str, tuple[bool, list[tuple[str, int]]]] = {}
        for name in names:
            if name not in self._cache:
                self._cache[name] = self._shorts(name)
            for short, offset, needs_boundary in self._cache[name]:
                if short not in names:
                    bounded, fulls = out.get(short, (False, []))
                    out[short] = (bounded or needs_boundary, [*fulls, (name, offset)])
        return out

    def _shorts(self, name: str) -> list[tuple[str, int, bool]]:
        """Every short form of one name: ``_short``'s, the part after its last "·", and the rest
        of a given name opening with 阿不都 (阿不都热合曼·吐尔逊 → 热合曼); the last two need a
        name boundary after them."""
        found = [s for s in [self._short(name)] if s[0]]
        head, dot, last = name.rpartition("·")
        if dot and head and len(last) >= 2 and all(is_cjk(c) for c in last):
            # the part after the last "·": a foreigner's surname (谢尔盖·伊万诺夫 → 伊万诺夫), a
            # Manchu given name (爱新觉罗·承泽 → 承泽)
            found.append((last, len(head) + 1, True))
        for prefix in self.lex.servant_prefixes:
            rest = name.split("·", 1)[0][len(prefix) :]
            if name.startswith(prefix) and len(rest) >= 2 and all(is_cjk(c) for c in rest):
                found.append((rest, len(prefix), True))
        return found

    def _short(self, name: str) -> tuple[str, int, bool]:
        """(short form, its offset in ``name``, whether it must end at a name boundary) of one
        name; "" if it has none."""
        parts = _DISPLAY_SUFFIX.split(name, maxsplit=1)
        head = parts[0]
        if len(parts) > 1:
            if len(head) < 2 or not all(is_cjk(c) for c in head):
                return "", 0, False
            return head, 0, "·" in name and len(head) == 2
        if not all(is_cjk(c) for c in name):
            return "", 0, False
        surname = self.lex.is_surname_at(name, 0)
        if surname and len(name) - surname == 2:
            given = name[surname:]  # 何海燕 → 海燕, 欧阳振华 → 振华
            # a doubled character (婷婷) is no word, so it needs no boundary after it
            doubled = given[0] == given[1] and given not in self.lex.reduplicated_words
            return given, surname, not doubled
        if not surname and len(name) == 4 and name[2:] in self.heads:
            return name[2:], 2, False  # 次仁旺堆 → 旺堆
        if len(name) == 4 and name[:2] in self.lex.yi_clan_names:
            return name[2:], 2, True  # 吉克阿呷 → 阿呷
        return "", 0, False

    def ends_as_name(self, text: str, end: int) -> bool:
        """A name boundary, or a kinship suffix that makes the given name a form of address
        (春生哥, 秀兰姐: the given name is still the person's)."""
        return self.parser.boundary(text, end) or text[end : end + 1] in self.address_suffixes
