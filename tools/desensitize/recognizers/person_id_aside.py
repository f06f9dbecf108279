"""A name right before a parenthesis giving its bearer's identity number: 令狐建新（公民身份号码
4201…）、伍彩霞：本院受理….

Notices served by publication (公告送达), seizure lists and registration extracts address people
by bare name with their number in parentheses and no role word. Only a person carries a
公民身份号码, 身份证号 or 护照号, so the parenthesis is the cue. The name must read strictly, end
right at the parenthesis and stand after a delimiter (line start, 、，：); the engine's list
extension and propagation take the names listed beside it and its other mentions.
"""

from __future__ import annotations

import re

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser, ends_common_word, is_cjk
from desensitize.types import Hit

# the opening parenthesis of an identity-number aside; the regex engine skips ahead to （/(
_ID_ASIDE = re.compile(r"[（(](?=公民身份号码|身份号码|身份证|证件号|护照号)")
# a parenthesis giving sex or age first (乜某某（女，68岁）, 欧某某（八十二岁）): only a person has
# one; the name may follow
# any character (步行过斑马线的乜某某（女…）), since the gloss itself is the cue
_SEX_ASIDE = re.compile(r"[（(](?=[男女][，,、）)]|[0-9一二三四五六七八九十]{1,4}[岁周])")
_LONGEST_NAME = 6  # 令狐建新, 乌云其木格: compound surnames and Mongolian names
_SCORE = 0.9


class IdAsideNameRecognizer(HitRecognizer):
    """A name right before （公民身份号码…） or （身份证号…）."""

    name = "person_id_aside"
    entities = ("PERSON",)

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out: list[Hit] = []
        for aside, entry in ((_ID_ASIDE, True), (_SEX_ASIDE, False)):
            for m in aside.finditer(text):
                start = self._name_before(text, m.start(), entry)
                if start is not None:
                    out.append((start, m.start(), "PERSON", _SCORE, self.name))
        return out

    def _name_before(self, text: str, end: int, entry: bool = True) -> int | None:
        """Start of the longest strict name reading that ends at ``end`` and, when ``entry``,
        opens an entry (nothing Chinese before it: 住所地某某村张三 is no entry)."""
        for start in self.parser.ending_at(text, end, _LONGEST_NAME, min_score=0.75):
            if entry and start and is_cjk(text[start - 1]):
                continue
            if not ends_common_word(text, start, 0):
                return start
        return None
