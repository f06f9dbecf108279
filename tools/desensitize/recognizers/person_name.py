"""Natural persons' names: the parser and reader every name recognizer uses (the role-word
recognizer itself is in ``person_anchored``), minority names with "·", names the caller already
knows (e.g. a dataset's ``persons`` table), and names that are
already masked (张某, 李某某1, 王某甲), which are reported so that they are left alone.

Chinese has no capitalisation or spaces, so a bare surname-list scan would flag 马上, 高消费
and 任何; every name here needs an anchor, a known list or the "·" of a transliterated name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from operator import itemgetter

import rjieba

from desensitize.divisions import division_names
from desensitize.lexicon import Lexicon, alternation, load_lexicon
from desensitize.recognizers.base import (
    CJK,
    Doc,
    HitRecognizer,
    Recognizer,
)
from desensitize.types import Hit, Span


def is_cjk(ch: str) -> bool:
    """``ch`` in the CJK range (a comparison: this runs for every character of every reading)."""
    return "\u4e00" <= ch <= "\u9fff"


# Recognizer name of a name read over a common word (证人和平、): the role word and the
# punctuation decide, so the common-word protection does not apply (allowlist.apply_protection).
OVER_WORD = "person_anchored_over_word"
# A later mention of such a name, ending where a name ends (…，文明申请查封): the engine's
# propagation marks it so, and the common-word protection lets it through as well.
PROPAGATED_OVER_WORD = "person_known_over_word"
_RELAXED_END = frozenset("，。；、,;:：（(）) \n\t与和及")
# Latin-letter names: two to four capitalized words (JOHN SMITH, Peter Müller, Nguyen Van Hung).
LATIN_NAME = r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'\-]+(?: [A-Z][A-Za-zÀ-ÖØ-öø-ÿ'\-]+){1,3}(?![A-Za-z0-9])"
PLACE_SUFFIXES = frozenset("省市县区旗盟州镇乡村街路道")
# Words that end an organization's name; the name parser, the segmenter and the Latin-name
# reader all ask "is this run of characters an organization?" with this one list.
ORG_SUFFIXES = (
    "公司|银行|合作社|信用社|商行|经营部|事务所|集团|工厂|厂|中心|协会|基金会|医院|学校|大学|学院"
    "|酒店|速运|快递"
)
# A run of Han characters that names an organization (ends in one of its suffixes).
_ORG_AHEAD = re.compile(f"[{CJK}]*?(?:{ORG_SUFFIXES})")


def address_form(lex: Lexicon) -> re.Pattern[str]:
    """Surname + a form of address (张总, 王经理): not a name, whatever anchor precedes it."""
    return re.compile(f"(?:{surname_class(lex)})(?:{alternation(lex.address_titles)})")


def surname_class(lex: Lexicon) -> str:
    return (
        alternation(sorted(lex.compound_surnames))
        + "|["
        + "".join(sorted(lex.single_surnames))
        + "]"
    )


class NameParser:
    """Reads one Han name at a position: surname + one or two given-name characters."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.common = re.compile(alternation(lex.common_words))
        self.followers = re.compile(alternation(lex.name_followers))
        self.places = division_names().short_forms
        self.verbs = frozenset(w for w in lex.name_followers if len(w) == 2)
        # the first two characters of every common word and the first of every follower: the
        # regexes run only where one of them starts (a batch parses thousands of names)
        self.common_heads = frozenset(w[:2] for w in lex.common_words)
        self.follower_heads = frozenset(w[0] for w in lex.name_followers)

    def _excluded(self, text: str, pos: int) -> bool:
        if (text[pos : pos + 2] in self.common_heads and self.common.match(text, pos)) or text[
            pos : pos + 3
        ] in self.places:
            return True
        head = text[pos : pos + 2]
        if head not in self.places or head in self.lex.compound_surnames:
            return False
        after = pos + 2
        if _ORG_AHEAD.match(text, pos):
            return True  # 湛江和泰建筑工程有限公司 (the organization pattern stops at 和)
        if after >= len(text) or self.followers.match(text, after):
            return False  # 田东（受送达人之父）, 其子彭阳开门
        ch = text[after]
        if not is_cjk(ch):
            return ch == "·"
        # one more character and a name boundary read as a three-character name (金秀芳开门,
        # 宁海燕了解), unless that character makes a place (温州市) or text runs on (金华人民)
        return ch in PLACE_SUFFIXES or not self.boundary(text, after + 1)

    def _yi_name(self, text: str, pos: int) -> bool:
        """A clan name and two given-name characters (沙马阿果指派, 吉克阿呷系): a Yi name has
        that form, so the reading does not depend on what follows."""
        given = text[pos + 2 : pos + 4]
        return len(given) == 2 and all(self._is_given(c) for c in given)

    def ending_at(
        self, text: str, end: int, longest: int = 4, min_score: float = 0.9
    ) -> Iterator[int]:
        """Starts of the strict readings that end exactly at ``end``, longest first: the name
        before a cue that follows it (…犯盗窃罪案, （公民身份号码…）, 先生, 外号叫“…”)."""
        for start in range(max(0, end - longest), end - 1):
            parsed = self.parse(text, start)
            if parsed is not None and parsed[0] == end and parsed[1] >= min_score:
                yield start

    def _is_given(self, ch: str) -> bool:
        return is_cjk(ch) and ch not in self.lex.name_stop_chars

    def boundary(self, text: str, pos: int) -> bool:
        if pos >= len(text) or not is_cjk(text[pos]):
            return True
        return text[pos] in self.follower_heads and self.followers.match(text, pos) is not None

    def parse(self, text: str, pos: int, strict: bool = True) -> tuple[int, float] | None:
        """(end, score) of the name at ``pos``, or None when no plausible name starts there.

        Strictly, no name starts with a common word (黄金, 马上) or a place name (金华, 黄平),
        except a compound surname (东方子涵), a place name followed by punctuation or a word
        that follows names (收件人签名：田东（…）, 其子彭阳开门) and one that reads as a
        three-character name (金秀芳开门). After an official's title nothing else follows, so the
        protector parses with ``strict=False`` (审判员黄金凤, 书记员黄平)."""
        if text[pos : pos + 2] in self.lex.yi_clan_names and self._yi_name(text, pos):
            return pos + 4, 0.9  # 沙马阿果: a Yi clan name and a two-character given name
        s = self.lex.is_surname_at(text, pos)
        if s == 0 or (strict and self._excluded(text, pos)):
            return None
        g1 = pos + s
        if g1 >= len(text) or text[g1] == "某" or not self._is_given(text[g1]):
            return None
        if text[g1 : g1 + 2] in self.verbs or (strict and text[pos : pos + 2] in self.verbs):
            # 被告曾承认借款: the "given name" is a verb that follows names; 被告人陈述：the
            # whole reading is one (陈 is a surname, 陈述 the verb)
            return None
        two = g1 + 1 < len(text) and self._is_given(text[g1 + 1])
        if two and self.boundary(text, g1 + 2):
            return g1 + 2, 0.9
        if self.boundary(text, g1 + 1):
            return g1 + 1, 0.9
        # a stop character right after one given-name character ends the name there
        return (g1 + 2, 0.75) if two else (g1 + 1, 0.85)


class NameReader:
    """Reads the name that a role word announces, in the forms names take: already masked
    (score 0), transliterated with "·", Latin letters, Tibetan/Mongolian/Yi names without a
    Han surname, and surname + given name. A surname reading that starts with a common word or
    place (和平, 向阳) is accepted only when punctuation or a list joiner follows at once: after
    a role word "证人和平、" names a person, "被告人马上退赔" does not."""

    def __init__(self, lex: Lexicon) -> None:
        self.parser = NameParser(lex)
        self.minority = re.compile(f"[{CJK}]{{1,8}}(?:·[{CJK}]{{1,8}})+")
        self.followers = re.compile(alternation(lex.name_followers))
        self.masked = MaskedNameRecognizer().pattern
        self.latin = re.compile(LATIN_NAME)
        self.heads = re.compile(f"(?:{alternation(lex.minority_name_heads)})[{CJK}]{{0,4}}")
        self.head_starts = frozenset(h[:2] for h in lex.minority_name_heads)
        self.places = division_names()

    def read(self, text: str, pos: int) -> tuple[int, float, bool] | None:
        """(end, score, read over a common word) of the name at ``pos``; score 0 for a name
        that is already masked."""
        if pos >= len(text):
            return None  # an alias word closing the text (…的微信昵称) announces nothing
        # each form is tried only when its telltale character is there (a batch reads
        # thousands of names, and most are plain surname + given name)
        masked = self.masked.match(text, pos) if "某" in text[pos + 1 : pos + 3] else None
        if masked is not None:
            return masked.end(), 0.0, False
        m = self.minority.match(text, pos) if "·" in text[pos + 1 : pos + 9] else None
        if m is not None:
            return minority_end(text, m.start(), m.end(), self.followers), 0.95, False
        m = self.latin.match(text, pos) if "A" <= text[pos] <= "Z" else None
        if m is not None:
            return m.end(), 0.9, False
        end = self._headed(text, pos) if text[pos : pos + 2] in self.head_starts else 0
        if end:
            return end, 0.9, False
        parsed = self.parser.parse(text, pos)
        return (*parsed, False) if parsed is not None else self._relaxed(text, pos)

    def _headed(self, text: str, pos: int) -> int:
        """End of a surname-less minority name (斯琴图雅证实 → 斯琴图雅), 0 if none."""
        m = self.heads.match(text, pos)
        if m is None:
            return 0
        return next((e for e in range(pos + 2, m.end() + 1) if self.parser.boundary(text, e)), 0)

    def _relaxed(self, text: str, pos: int) -> tuple[int, float, bool] | None:
        """A name that starts with a common word, right after a role word: listed (证人和平、,
        证人：和平), or ending where a name ends (申请执行人文明申请…, 被告和平房屋租赁…) unless
        the word opens a predicate (被告人马上退赔, 被执行人曾经多次) or is a noun (被告单位的)."""
        parsed = self.parser.parse(text, pos, strict=False)
        if parsed is None or self.places.match_at(text, pos):
            return None
        end = parsed[0]
        relaxed_end = end >= len(text) or text[end] in _RELAXED_END
        listed = (end < len(text) and text[end] == "、") or text[pos - 1] in "、:："
        if (listed and relaxed_end) or (parsed[1] >= 0.9 and not self._predicate(text, pos, end)):
            return end, 0.8, True
        return None

    def _predicate(self, text: str, pos: int, end: int) -> bool:
        """Whether the common word at ``pos`` is no name: it opens a predicate (马上, 曾经), or
        a given-name character of the reading is one names are not made of (单位, 信息)."""
        lex = self.parser.lex
        m = self.parser.common.match(text, pos)
        if m is None or m.group() in lex.predicate_words:
            return True
        given = text[pos + lex.is_surname_at(text, pos) : end]
        return not all(c in lex.name_chars for c in given)


class MinorityNameRecognizer(Recognizer):
    """Transliterated names joined by "·" anywhere (阿卜杜热依木·买买提)."""

    name = "person_minority"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.pattern = re.compile(f"(?<![{CJK}《“])[{CJK}]{{2,6}}(?:·[{CJK}]{{2,8}})+")
        self.followers = re.compile(alternation(lex.name_followers))

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for m in doc.finditer(self.pattern, ("·",)):
            end = minority_end(doc.text, m.start(), m.end(), self.followers)
            yield Span(m.start(), end, "PERSON", 0.7, self.name)


def minority_end(text: str, start: int, end: int, followers: re.Pattern[str]) -> int:
    """End of a transliterated name matched as ``text[start:end]``: the regex runs on through
    the Han characters after it, so the name stops at the first follower word (称, 了解, 开门)
    at least two characters after its last "·" (努尔兰·买买提称不清楚 → 努尔兰·买买提)."""
    last_dot = text.rfind("·", start, end)
    tail = followers.search(text, last_dot + 3, end)
    end = tail.start() if tail is not None else end
    return _before_long_word(text, last_dot + 3, end)


def _before_long_word(text: str, lo: int, end: int) -> int:
    """``end``, or the start of the first dictionary word of three or more characters after
    ``lo`` (古丽娜尔·阿不力孜一次性转入 → 古丽娜尔·阿不力孜): no follower word announces 一次性,
    but no transliterated name holds one. Shorter words are not trusted (不力 in 阿不力孜)."""
    pos = lo - 2
    for word in rjieba.cut(text[pos:end]):
        if pos >= lo and len(word) >= 3 and rjieba.has_word(word):
            return pos
        pos += len(word)
    return end


class MaskedNameRecognizer(Recognizer):
    """Already-masked names; reported as MASKED_PERSON so that policies keep them."""

    name = "person_masked"
    entities = ("MASKED_PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.pattern = re.compile(
            f"(?:{surname_class(lex)})某{{1,2}}(?:[甲乙丙丁戊己庚辛壬癸]|\\d{{1,2}})?"
            "(?!年|月|日|时|处|地|种|些|个|项|次|天|公司|单位|银行|市|县|区|镇|村)"
        )

    def analyze(self, doc: Doc) -> Iterator[Span]:
        for m in doc.finditer(self.pattern, ("某",)):
            yield Span(m.start(), m.end(), "MASKED_PERSON", 0.95, self.name)


class KnownNamesRecognizer(HitRecognizer):
    """Every occurrence of names the caller lists (a persons table, an earlier detection)."""

    name = "person_known"
    entities = ("PERSON",)
    FEW = 8  # up to this many names, str.find beats a regex over head characters

    DEMOTED = 0.8  # a known name that may be the head or tail of a longer name (see ``find``)

    def __init__(self, names: Iterable[str], score: float = 0.95) -> None:
        by_head: dict[str, set[str]] = {}
        for raw in names:
            name = raw.strip()
            if len(name) >= 2:
                by_head.setdefault(name[0], set()).add(name)
        self.by_head = {h: tuple(sorted(v, key=len, reverse=True)) for h, v in by_head.items()}
        self.score = score
        self.places = division_names()
        self.lex = load_lexicon()
        self.parser = NameParser(self.lex)
        self.count = sum(len(v) for v in self.by_head.values())
        heads = "".join(sorted(self.by_head))
        many = heads and self.count > self.FEW
        self.head_re = re.compile(f"[{re.escape(heads)}]") if many else None

    def _starts(self, text: str, lo: int, hi: int) -> list[tuple[int, str]]:
        """(position, name) of candidate starts, longest name first at a position."""
        if self.head_re is not None:
            return [
                (m.start(), name)
                for m in self.head_re.finditer(text, lo, hi)
                for name in self.by_head[m.group()]
                if text.startswith(name, m.start(), hi)
            ]
        return name_starts(text, [n for names in self.by_head.values() for n in names], lo, hi)

    def find(self, text: str, lo: int = 0, hi: int | None = None) -> list[Hit]:
        """Leftmost-longest, non-overlapping occurrences in ``text[lo:hi]`` outside place names.

        The persons table lists parties, not their relatives or agents: 张玉 is known, but in
        "收件人签名：张玉兰" it is the head of another name, and 马丽 in 司马丽华 its tail. Such
        hits keep a lower score, so an anchored reading of the longer name wins the overlap."""
        hi = len(text) if hi is None else hi
        hits = pick_names(text, self._starts(text, lo, hi), lo, self.score, self.name)
        return [
            (h[0], h[1], h[2], self.DEMOTED, h[4]) if self._inside_longer(text, h[0], h[1]) else h
            for h in hits
        ]

    def _inside_longer(self, text: str, start: int, end: int) -> bool:
        if start and text[start - 1 : start + 1] in self.lex.compound_surnames:
            return True
        for back in (1, 2):
            # 海燕 (surname 海) as the given name of 傅海燕 or 司徒海燕: a reading from the
            # surname before it ends at the same place
            if end - start == 2 and self.lex.is_surname_at(text, max(0, start - back)) == back:
                before = self.parser.parse(text, start - back, strict=False)
                if before is not None and before[0] == end and before[1] >= 0.9:
                    return True
        parsed = self.parser.parse(text, start)
        return parsed is not None and parsed[0] > end and parsed[1] >= 0.9

    def hits(self, doc: Doc) -> list[Hit]:
        return self.find(doc.original) if self.by_head else []


def name_starts(text: str, names: Iterable[str], lo: int, hi: int) -> list[tuple[int, str]]:
    """(position, name) of every occurrence of a few names, longest first at a position."""
    hits = []
    for name in sorted(names, key=len, reverse=True):
        pos = text.find(name, lo, hi)
        while pos >= 0:
            hits.append((pos, name))
            pos = text.find(name, pos + 1, hi)
    hits.sort(key=itemgetter(0))  # stable: the longest name stays first at a position
    return hits


@lru_cache(maxsize=1)
def _common_inner() -> dict[str, tuple[tuple[int, str], ...]]:
    """Character → (offset, word) for every common word holding it at offset 1 or later."""
    inner: dict[str, list[tuple[int, str]]] = {}
    for word in load_lexicon().common_words:
        for i in range(1, len(word)):
            inner.setdefault(word[i], []).append((i, word))
    return {ch: tuple(v) for ch, v in inner.items()}


def ends_common_word(text: str, pos: int, lo: int) -> bool:
    """Whether the character at ``pos`` belongs to a common word that starts before it (关于 in
    "关于雷峰申请执行"): a known name starting there (于雷) is not a name, and taking it would hide
    the overlapping real one (雷峰) from the leftmost-longest choice."""
    for i, word in _common_inner().get(text[pos], ()):
        start = pos - i
        if start >= lo and text.startswith(word, start):
            return True
    return False


def pick_names(
    text: str, starts: list[tuple[int, str]], lo: int, score: float, recognizer: str
) -> list[Hit]:
    """Leftmost-longest, non-overlapping names among ``starts``, skipping place names."""
    places = division_names()
    out: list[Hit] = []
    last_end = lo
    for pos, name in starts:
        if pos < last_end or places.match_at(text, pos) or ends_common_word(text, pos, lo):
            continue
        last_end = pos + len(name)
        out.append((pos, last_end, "PERSON", score, recognizer))
    return out

    def hits(self, doc: Doc) -> list[Hit]:
        return self.find(doc.original) if self.by_head else []
