"""Names placed by a list rather than by a role word of their own.

Three list shapes name persons without announcing each one: a payment or loss list whose items
are "name + amount" (转账：鄢志宏32万元、钮海燕18万元), the 、-list that continues after a name
already found (户名分别为莫文涛、甘淑贤、莫小川: the first two are known from earlier in the
text), and the speaker lines of a chat log or transcript ("桂芳菲 2023-05-01 21:05"). None reads
a lone clause opening; each needs the layout around it. Names before 先生/女士/您好 are here too:
the cue follows the name instead of announcing it.
"""

from __future__ import annotations

import re

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc, HitRecognizer
from desensitize.recognizers.person_name import LATIN_NAME, NameParser
from desensitize.types import Hit

# an item of a ledger list: a short Han run between a list delimiter and an amount
_LEDGER_ITEM = re.compile(f"[：:、，,；;\\n]([{CJK}]{{2,4}})\\d+(?:\\.\\d+)?万?元")
MIN_ITEMS = 2
# the end of a speaker line: a clock time closing the line (the colon is a literal the regex
# engine can skip ahead to)
_CLOCK = re.compile(f":(?<=[ \\t\\d]\\d:)\\d{{2}}(?::\\d{{2}})?[ \\t]*(?=[\\n{SEP}]|$)")
_SPEAKER = re.compile(
    f"([{CJK}]{{2,8}}(?:·[{CJK}]{{1,10}})*|{LATIN_NAME})[ \\t]*(?P<account>[(（]\\d{{5,12}}[)）])?"
    "[ \\t]+(?:\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}日?[ \\t]+)?\\d{1,2}:"
)
# what follows a name and nothing else: 殷建平先生, 卫丽芳女士, 储晓光您好
_RIGHT_CUE = re.compile("先生|女士|同志|您好|你好")
LISTED = "person_listed"


# an aside after a listed name, before the next 、: （公民身份号码4201…）, （系其表弟）
_LIST_ASIDE = re.compile(r"[（(][^()（）\n]{1,40}[)）](?=、)")


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


class SpeakerNameRecognizer(HitRecognizer):
    """The speaker opening a line that ends in a clock time (a chat log's "陶志远 21:03"): a
    "·" name, a Latin one, or a Han run that reads strictly as a name in full (时间 21:03 is
    turned away by the common-word list)."""

    name = "person_speaker"
    entities = ("PERSON",)
    needs_digit = True

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def hits(self, doc: Doc) -> list[Hit]:
        if not doc.has_digit:
            return []
        text = doc.text
        out: list[Hit] = []
        for m in doc.finditer(_CLOCK, (":",)):
            lo = max(text.rfind("\n", 0, m.start()), text.rfind(SEP, 0, m.start())) + 1
            line = _SPEAKER.fullmatch(text, lo, m.start() + 1)
            if line is None:
                continue
            a, b = line.span(1)
            parsed = self.parser.parse(text, a)
            named = parsed is not None and parsed[0] == b and parsed[1] >= 0.9
            # a display name with its account number (寒江雪(28817366)) is an identifier
            if named or line.group("account") or "·" in text[a:b] or text[a].isascii():
                out.append((a, b, "PERSON", 0.85, self.name))
        return out


class TitledNameRecognizer(HitRecognizer):
    """A full name right before 先生, 女士, 同志 or a greeting (尊敬的殷建平先生, 储晓光您好):
    the longest strict reading that ends at the cue. A bare surname (王先生) is no name."""

    name = "person_titled"
    entities = ("PERSON",)

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out: list[Hit] = []
        for m in doc.finditer(_RIGHT_CUE, ("先女同您你",)):
            start = next(self.parser.ending_at(text, m.start()), None)
            if start is not None:
                out.append((start, m.start(), "PERSON", 0.85, self.name))
        return out


class ListExtender:
    """Names that continue a 、-list after a name already found: each must read strictly as a
    name (no common word or place at its start) and end where a name ends."""

    def __init__(self) -> None:
        self.parser = NameParser(load_lexicon())

    def extend(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Each item may carry a short aside in parentheses before the next 、 (令狐建新（公民身份
        号码…）、伍彩霞): the list goes on after it."""
        taken = {h[0] for h in hits if h[2] == "PERSON"}
        out: list[Hit] = []
        for h in hits:
            end = _past_aside(text, h[1])
            if h[2] != "PERSON" or end >= len(text) or text[end] != "、":
                continue
            while end < len(text) and text[end] == "、" and end + 1 not in taken:
                parsed = self.parser.parse(text, end + 1)
                if parsed is None or parsed[1] < 0.9:
                    break
                out.append((end + 1, parsed[0], "PERSON", 0.8, LISTED))
                taken.add(end + 1)
                end = _past_aside(text, parsed[0])
        return out


def _past_aside(text: str, end: int) -> int:
    """``end``, or past a parenthesized aside there that a 、 follows."""
    if text[end : end + 1] not in ("（", "("):
        return end
    aside = _LIST_ASIDE.match(text, end)
    return end if aside is None else aside.end()
