"""Aliases and Latin-letter names: 绰号“小四”, 曾用名龙四海, 人称“三哥”, “黑皮”（真名晏国辉）,
约翰·史密斯（JOHN SMITH）.

An alias identifies its bearer as well as a name does (the circle around a defendant knows him
as 小四), yet it rarely looks like one: no surname, often a common word (疯子, 大头). Only the
word announcing it makes it recognizable, so every alias here needs one of the alias words of
``lexicon.yaml``; a quoted alias is taken whole, an unquoted one must read as a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, Candidate, CandidateFilter, Doc, HitRecognizer
from desensitize.recognizers.person_name import (
    LATIN_NAME,
    ORG_SUFFIXES,
    NameReader,
    address_form,
)
from desensitize.types import Hit

_OPEN, _CLOSE = "“\"「『‘'", "”\"」』’'"
_QUOTED = f"[{_OPEN}]([^{_CLOSE}\\n{_OPEN}]{{1,8}})[{_CLOSE}]"
_QUOTED_PLAIN = f"[{_OPEN}][^{_CLOSE}\\n{_OPEN}]{{1,8}}[{_CLOSE}]"
_LINK = "(?:为|是|叫|作|做)?[：:]?\\s*"
# Nationality or passport words after a Latin name in parentheses:
# 阮文雄（NGUYEN VAN HUNG），男，越南国籍
_FOREIGN_CONTEXT = re.compile("国籍|[国外]籍|护照|外国人|入境")


class AliasRecognizer(HitRecognizer):
    """Aliases after alias words; quoted nicknames after words that introduce them."""

    name = "person_alias"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.reader = NameReader(lex)
        self.alias = re.compile(f"(?:{alternation(lex.alias_anchors)}){_LINK}(?:{_QUOTED})?")
        # 人称“三哥”; unquoted (大家都叫他皮老三) the alias must read strictly as a name
        self.quoted = re.compile(f"(?:{alternation(lex.quote_anchors)}){_LINK}(?:{_QUOTED})?")
        # a kinship or relation word right before a short quote names a nickname (孙女“琪琪”,
        # 男友“老钱”), when the quote reads as one: two to four characters, none of which only
        # runs text on (其儿子“考上了大学” quotes words); single characters (女, 子) are too
        # common to count
        self.kin = frozenset(k for k in lex.kin_terms if len(k) >= 2)
        self.kin_lengths = sorted({len(k) for k in self.kin})
        given = f"[^{_CLOSE}{_OPEN}\\n{''.join(sorted(lex.name_stop_chars))}]"
        # the quote comes first, so the regex engine skips ahead to it; the kinship word
        # before it is looked up in a set
        self.short_quote = re.compile(f"[{_OPEN}]({given}{{2,4}})[{_CLOSE}]")
        # a quoted nickname glossed with the real name: “黑皮”（真名晏国辉）, used as one:
        # 以“客服小雅”的身份, named by an alias word after it: 使用“东哥”“阿东”等昵称, or
        # equated with a role: “刀疤”即被告人 (a regex of its own: it starts with a quote,
        # which the engine can skip ahead to, while an alternation with the words above could
        # not)
        aliases = alternation(lex.alias_anchors)
        self.glossed = re.compile(
            f"{_QUOTED}(?=[(（](?:{aliases})|的(?:身份|名义|名字|{aliases})"
            f"|(?:[、,，]?{_QUOTED_PLAIN})*等?(?:{aliases})|即(?:{alternation(lex.person_anchors)}))"
        )
        # “小胖”就是戴宇航: a quoted nickname equated with a name, kept only when one follows
        self.equated = re.compile(
            f"{_QUOTED}(?:即|就是|也就是)(?:{alternation(lex.person_anchors)})?[：:]?"
        )
        # a name, then 叫 and a quoted alias: 柏建军叫“小军” (the name before 叫 must read
        # strictly and end at 叫; a bare 叫 with a quote after it is too common to trust alone)
        self.called = re.compile(f"叫{_QUOTED}")
        self.filter = CandidateFilter(None)
        self.address_form = address_form(lex)  # 叫他尚总 names no one to an outsider
        # a bracket holding only an alias word and the alias (纳某某（经名尔萨）): the bracket
        # bounds it, so it needs no surname (经名, 曾用名 and 小名 often have none)
        self.bracketed = re.compile(
            f"[（(](?:{aliases})[：:]?([{CJK}·]{{2,8}}|{LATIN_NAME})[）)]"
            # or an alias field closed by a delimiter (小名：彤彤　学号…)
            f"|(?:{aliases})[：:][ \u3000]*([{CJK}]{{2,4}})(?=[\\s，,。；;（(]|$)"
        )
        # a nickname right before a bracketed real name: “小甘”（甘某某）, Tommy（真名邰某某）
        self.before_real = re.compile(
            f"(?:{_QUOTED}|(?<![A-Za-z])([A-Z][a-z]{{2,12}})|(?<![{CJK}])([小阿][{CJK}]))"
            f"[（(](?:真名|本名|即)?([{CJK}]{{2,4}})[）)，,]"
        )
        self.blanks = lex.alias_blanks
        # the bearer right before an alias word (燕某某，外号叫“黑子”; 厍某某（绰号“小六子”）)
        self.introduced = re.compile(f"[，,（(](?:{aliases}){_LINK}[{_OPEN}]")
        # a quoted nickname glossed with 即 and the name (“小葛阿姨”（即葛某某）)
        self.namely = re.compile(f"{_QUOTED}[（(]即([{CJK}]{{2,4}})[）)]")

    def hits(self, doc: Doc) -> list[Hit]:
        return self.filter.hits(doc.text, self._candidates(doc.text))

    def _candidates(self, text: str) -> Iterator[Candidate]:
        for m in self.alias.finditer(text):
            if m.group(1):
                yield m.start(1), m.end(1), 0.9, self.name
                continue
            read = self.reader.read(text, m.end())
            # an unquoted alias must read as a name on its own, not over a common word
            if read is not None and not read[2]:
                yield m.end(), read[0], read[1], self.name
        for m in chain(self.quoted.finditer(text), self.glossed.finditer(text)):
            if m.group(1):
                yield m.start(1), m.end(1), 0.85, self.name
                yield from self._bearer(text, m.end())
            else:
                yield from self._unquoted(text, m.end())
        yield from self._around_alias_words(text)
        for m in self.called.finditer(text):
            named = self._before(text, m.start())
            if named is not None:
                yield named
                yield m.start(1), m.end(1), 0.85, self.name
        for m in self.equated.finditer(text):
            bearer = list(self._unquoted(text, m.end()))
            if bearer:
                yield m.start(1), m.end(1), 0.85, self.name
                yield from bearer

    def _around_alias_words(self, text: str) -> Iterator[Candidate]:
        """The bearer before an alias word (燕某某，外号叫“黑子”), a quoted nickname glossed with
        即 (“小葛阿姨”（即葛某某）) and a bracketed alias without quotes (（经名尔萨）)."""
        for m in self.short_quote.finditer(text):
            q = m.start()
            if any(text[q - n : q] in self.kin for n in self.kin_lengths if q >= n):
                yield m.start(1), m.end(1), 0.85, self.name
        for m in self.introduced.finditer(text):
            named = self._before(text, m.start())
            if named is not None:
                yield named
        for m in self.namely.finditer(text):
            parsed = self.reader.parser.parse(text, m.start(2))
            if parsed is not None and parsed[0] == m.end(2):
                yield m.start(1), m.end(1), 0.85, self.name
                yield m.start(2), m.end(2), 0.85, self.name
        for m in self.bracketed.finditer(text):
            g = 1 if m[1] else 2
            if m[g] not in self.blanks:
                yield m.start(g), m.end(g), 0.85, self.name
                bearer = self._before(text, m.start()) if g == 1 else None
                if bearer is not None:  # 马某某（经名：尔撒）: the bearer before the bracket
                    yield bearer
        for m in self.before_real.finditer(text):
            parsed = self.reader.parser.parse(text, m.start(4))
            if parsed is not None and parsed[0] == m.end(4):
                g = next(i for i in (1, 2, 3) if m[i])
                yield m.start(g), m.end(g), 0.85, self.name
                yield m.start(4), m.end(4), 0.85, self.name

    def _unquoted(self, text: str, pos: int) -> Iterator[Candidate]:
        """An unquoted name after 个叫, 人称 …: read in every form a name takes (一个叫次仁旺堆的,
        a Tibetan name without a Han surname), but strictly, and not over a common word."""
        parsed = self.reader.read(text, pos)
        if (
            parsed is not None
            and parsed[1] >= 0.9
            and not parsed[2]
            and not self.address_form.fullmatch(text, pos, parsed[0])
        ):
            yield pos, parsed[0], 0.8, self.name

    def _before(self, text: str, end: int) -> Candidate | None:
        """The longest name reading that ends right at ``end`` (柏建军 in 柏建军叫); the parser
        scores it below a clean ending (叫 is no name boundary); the quoted alias makes up
        for it."""
        start = next(self.reader.parser.ending_at(text, end, min_score=0.7), None)
        return None if start is None else (start, end, 0.8, self.name)

    def _bearer(self, text: str, end: int) -> Iterator[Candidate]:
        """The name after a quoted nickname and 的: 人称“小六子”的马骏."""
        if text[end : end + 1] == "的":
            parsed = self.reader.parser.parse(text, end + 1)
            if parsed is not None and parsed[1] >= 0.9:
                yield end + 1, parsed[0], 0.8, self.name


_ORG_END = re.compile(f"(?:{ORG_SUFFIXES})$")


class LatinNameRecognizer(HitRecognizer):
    """A Latin-letter name in parentheses after a Chinese rendering of it, where the rendering
    holds "·" (伊万·彼得罗夫（Ivan Petrov）) or nationality or passport words follow."""

    name = "person_latin"
    entities = ("PERSON",)

    def __init__(self) -> None:
        self.pattern = re.compile(f"[(（](?<=[{CJK}][(（])({LATIN_NAME})[)）,，;；]")
        self.rendering = re.compile(f"[{CJK}·]{{2,8}}$")
        self.anchors = re.compile(alternation(load_lexicon().person_anchors))
        self.stops = load_lexicon().name_stop_chars
        # the other order, in registers and lists: KIM MINJUN（金敏俊）, a person's passport
        # name glossed with its Chinese rendering (no organization: Apple Inc（苹果公司）)
        self.glossed = re.compile(
            f"({LATIN_NAME})[(（](?:(?:中文)?(?:译名|姓名|名字)[：:为]?)?([{CJK}·]{{2,8}})[)）,，]"
        )

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out: list[Hit] = []
        for m in self.glossed.finditer(text):
            if not _ORG_END.search(m[2]):
                out.append((m.start(1), m.end(1), "PERSON", 0.9, self.name))
                out.append((m.start(2), m.end(2), "PERSON", 0.9, self.name))
        for m in self.pattern.finditer(text):
            before = text[max(0, m.start() - 12) : m.start()]
            after = text[m.end() - 1 : m.end() + 40]
            if "·" in before or _FOREIGN_CONTEXT.search(after):
                out.append((m.start(1), m.end(1), "PERSON", 0.9, self.name))
                out += self._rendering(text, m.start())
        return out

    def _rendering(self, text: str, paren: int) -> list[Hit]:
        """The Chinese rendering right before the parenthesis (田中健一（TANAKA KENICHI）),
        after the last role word in it; a surname reading of it stops short (田中健)."""
        m = self.rendering.search(text, max(0, paren - 8), paren)
        if m is None:
            return []
        start = m.start()
        for a in self.anchors.finditer(text, max(0, paren - 16), paren):
            start = max(start, a.end())
        stops = [i + 1 for i in range(start, paren) if text[i] in self.stops]
        start = max([start, *stops])
        if paren - start < 2:
            return []
        return [(start, paren, "PERSON", 0.95, self.name)]
