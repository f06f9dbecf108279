"""Nicknames of persons already found: 阿, 老 or 小 and a character of the person's name, where a
chat log or a transcript puts a display name or an alias.

A transcribed WeChat chat names its speakers by display name (“阿邦-五金”（被执行人伍振邦…）);
removing 伍振邦 and leaving 阿邦 leaves the person recognizable to everyone who knows him. On its
own 阿邦 has no surname and could be anything, and 老家, 小心, 老规矩 have the same shape, so two
cues are both required: a character of a name found in the same text, and a position where
aliases stand, namely

* a quoted string the nickname opens, cut off by a suffix or a gloss (“阿邦-五金”, “小娟（代购）”),
  or followed by a gloss in parentheses, a colon, a clock time or an alias word in the same
  clause (“阿梅”系其妻子苗春梅的微信昵称), or preceded by a calling word (大家都叫我“老强”);
* the start of a line in a chat log, before a colon or a date and time (小芳 2023-08-14 20:31).

A quoted phrase in speech (说了句“小心”) is in neither position. The engine runs this after the
recognizers and before propagation, so every other mention of the nickname is taken as well.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from desensitize.recognizers.base import CJK, SEP, Doc
from desensitize.types import Hit

NICKNAME_SCORE = 0.85
NAME = "person_nickname"
_PREFIXES = "阿老小"
_OPEN = "“\"「『‘'"
_CLOSE = "”\"」』’'"
# 阿/老/小 + one character, opening a quote or a line
# (the prefix comes first, which the regex engine can skip ahead to; the negative look-behind
# also holds at the very start of the text)
_CANDIDATE = re.compile(f"[{_PREFIXES}](?<![^{_OPEN}\\n{SEP}][{_PREFIXES}])([{CJK}])")
_HAN = re.compile(f"[{CJK}]+")
# X哥/X姐 with X a character of the name (波哥 for 訾海波), opening a quote
_SUFFIXED = re.compile(f"[{_OPEN}]([{CJK}])[哥姐](?=[{_CLOSE}])")
# 老X or X哥/X姐 right after a calling word, without quotes, up to a clause break (都叫我老周，);
# not 小X, which reads as a word there (他叫我小心，)
_CALLED = re.compile(f"(?:叫|喊|称呼)[我他她你](?:老([{CJK}])|([{CJK}])[哥姐])(?=[,，。;；、\\s])")
# inside the quote, the nickname is cut off by a suffix or a gloss: “阿邦-五金”, “小娟(代购)”
_SUFFIX_IN_QUOTE = re.compile(f"[-·_ (][^{_CLOSE}\\n]{{0,10}}[{_CLOSE}]|[{_CLOSE}]")
# after the closing quote: a gloss, a colon, another quoted item or 等 (a list of quoted names:
# 记有“老某”“某哥”等字样), a clock time, or an alias word in the same clause
_AFTER_QUOTE = re.compile(
    f"[(:{_OPEN}]|等|\\s*\\d{{1,2}}:\\d{{2}}"
    "|[^。;\\n]{0,24}?(?:昵称|微信名|网名|备注名?|绰号|外号|化名|别名)"
)
# before the opening quote: a word calling someone by it (大家都叫我“老强”)
_CALLING = re.compile("(?:叫|喊|称|称呼|叫做|备注|昵称|微信名|网名)[我他她你]?$")
# at a line start: a colon, or a date and time, after the nickname
_LINE_END = re.compile("[:]|[ \\t]+(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}[ \\t]+)?\\d{1,2}:\\d{2}")


class NicknameFinder:
    """Nicknames (阿X, 老X, 小X) of the names found in each text, in alias positions."""

    def find(self, doc: Doc, bounds: list[int], spans: list[Hit]) -> list[Hit]:
        places = _places(doc)
        if not places:
            return []
        names = sorted((s[0], s[1]) for s in spans if s[2] == "PERSON" and s[1] - s[0] >= 2)
        starts = [a for a, _ in names]
        ends = [*bounds[1:], len(doc.text) + 1]
        out: list[Hit] = []
        for start, end, char in places:
            i = bisect_right(bounds, start) - 1
            lo, hi = bisect_left(starts, bounds[i]), bisect_left(starts, ends[i])
            held = (doc.original[a:b] for a, b in names[lo:hi])
            if any(char in n and _HAN.fullmatch(n) for n in held):
                out.append((start, end, "PERSON", NICKNAME_SCORE, NAME))
        return out


def _places(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, name character) of each nickname in an alias position: 阿/老/小 + X opening
    a quote or a line, X哥/X姐 opening a quote, or either right after a calling word."""
    text = doc.text
    out = [
        (m.start(), m.end(), m.group(1))
        for m in doc.finditer(_CANDIDATE, (_PREFIXES,))
        if _in_alias_position(text, m.start(), m.end())
    ]
    out += [
        (m.start() + 1, m.end(), m.group(1))
        for m in doc.finditer(_SUFFIXED, ("哥姐",))
        if _in_alias_position(text, m.start() + 1, m.end())
    ]
    for m in doc.finditer(_CALLED, ("叫喊称",)):
        group = 1 if m.group(1) else 2
        out.append((m.end() - 2, m.end(), m.group(group)))
    return out


def _in_alias_position(text: str, start: int, end: int) -> bool:
    if start == 0 or text[start - 1] in f"\n{SEP}":
        return _LINE_END.match(text, end) is not None
    inside = _SUFFIX_IN_QUOTE.match(text, end)
    if inside is None:
        return False
    if text[end] not in _CLOSE:
        return True  # “阿邦-五金”: a display name with a suffix
    lo = max(0, start - 1 - 6, text.rfind(SEP, 0, start) + 1)
    return (
        _AFTER_QUOTE.match(text, inside.end()) is not None
        or _CALLING.search(text, lo, start - 1) is not None
    )
