"""The defendant named in a case's title: 刘长青故意伤害案, （王建东等三人诈骗一案）.

Prosecution papers open with the case's title and then speak of the defendant by name with no
role word (邻桌的刘长青嫌他们吵, 刘长青又踢了几脚). The title is the one place that says who he
is: a name, then a crime as titles print it (without 罪) and 案. The name must read strictly and
end right where the crime begins, and stand after a delimiter or a word that governs the title
(审理, 关于); the engine's propagation takes the other mentions.
"""

from __future__ import annotations

import re

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser, ends_common_word, is_cjk
from desensitize.types import Hit

# "等三人", "等人", then optionally 涉嫌, before the crime: 王建东等三人诈骗一案
_CO_DEFENDANTS = f"(?:等[{CJK}]{{0,2}}人)?(?:涉嫌)?"
# characters that may stand right before the name: it governs the title (审理…, 关于…)
_BEFORE_NAME = frozenset("的了对就于将由在与和及理")
# characters a title may take before its 案: 等三人涉嫌 + the longest crime + 罪一
_LONGEST_TITLE = 32


class CaseTitleNameRecognizer(HitRecognizer):
    """A name right before ``crime`` + 案 (刘长青故意伤害案)."""

    name = "person_case_title"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.parser = NameParser(lex)
        self.title = re.compile(f"{_CO_DEFENDANTS}(?:{alternation(lex.case_title_crimes)})罪?一?案")
        self.tails = frozenset(c[-1] for c in lex.case_title_crimes) | {"罪", "一"}

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out: list[Hit] = []
        # from each 案, the title that ends there (the pattern has no literal to skip ahead to)
        tails = self.tails
        pos = text.find("案")
        while pos >= 0:
            # most 案 (本案, 案号, 案件) follow no crime: one look at the character before
            if pos and text[pos - 1] not in tails:
                pos = text.find("案", pos + 1)
                continue
            for m in self.title.finditer(text, max(0, pos - _LONGEST_TITLE), pos + 1):
                start = self._name_before(text, m.start()) if m.end() == pos + 1 else None
                if start is not None:
                    out.append((start, m.start(), "PERSON", 0.9, self.name))
                    break
            pos = text.find("案", pos + 1)
        return out

    def _name_before(self, text: str, end: int) -> int | None:
        """Start of the longest strict name reading that ends at ``end``."""
        # the crime after it is the boundary the parser does not know (晏国梁寻衅滋事案)
        for start in self.parser.ending_at(text, end, min_score=0.75):
            before = text[start - 1] if start else "\n"
            if (not is_cjk(before) or before in _BEFORE_NAME) and not ends_common_word(
                text, start, 0
            ):
                return start
        return None
