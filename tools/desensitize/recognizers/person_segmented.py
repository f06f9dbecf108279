"""Names with no cue at all, found by a statistical word segmenter and confirmed by the name
parser.

Every other person recognizer needs an anchor: a role word, a list, a table column, a form
label. Text written outside the generator's templates keeps bringing layouts no anchor covers
(a name in a bare register row, a party after a word such as 控告 or 乘客), and each held-out
batch left 5–14 % of its identifiers that way (docs/desensitize-recall.md). The segmenter
(rjieba, the Rust port of jieba, with jieba's 349,000-word dictionary and its hidden-Markov
model of unknown words built in) gives evidence of a different kind: a run of characters that
no dictionary word explains, that the segmenter cuts out as one word and tags as a person's
name (``nr``). Nothing is downloaded; the dictionary ships inside the wheel.

The segmenter alone is noisy: its dictionary tags 陈述, 银行卡 and 顾客 as names. So only words
it does *not* know are taken (a known word that is a name is left to the rules), and each must
also pass the name parser (surname, given-name characters, no common word or place at the
start), must not run into a place, an organization or a document number (莘庄镇,
弘毅融资租赁有限公司, 郑金公（刑）立字〔2025〕6603号), must not be split off a word on its
left, and must not fill an official's label (侦查员 胡某、程某; 彭某（人民监督员）): officials
were never treated as private by the rules and the finder must not start to. A form field's
whole value is taken as well when the segmenter split it only because the given name is a word
(乘客：尉迟雪（实名认证）). A name found once is replaced everywhere in its text by the engine's
propagation, like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

import rjieba

from desensitize.lexicon import Lexicon, alternation, load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc, HitRecognizer
from desensitize.recognizers.person_name import (
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    NameParser,
    address_form,
)
from desensitize.types import Hit

NAME = "person_segmented"
SCORE = 0.6
# an organization's suffix shortly after the word: the word is part of its trade name
_ORG_AFTER = re.compile(f"[{CJK}]{{0,6}}?(?:{ORG_SUFFIXES})")
# a street or place right after the word (莱芜区鹏泉东大街, 王庄村): the word is a place name
_PLACE_AFTER = re.compile(f"[东西南北中]?(?:大街|大道|[{''.join(sorted(PLACE_SUFFIXES))}巷里])")
# a document number's issuer code (郑金公（刑）立字〔2025〕6603号): the word is an
# abbreviation of the issuing office
_DOC_NUMBER_AFTER = re.compile(r"(?:[（(][^）)\n]{1,6}[）)])?[^〔\[\n\s]{0,8}[〔\[]\d{4}")
_HAN_WORD = re.compile(f"[{CJK}]{{2,4}}")
# the value of a 姓名 field: two to four Han characters up to a delimiter
_NAME_FIELD = re.compile(
    f"(?:姓名|名字)[：:][ \u3000]*([{CJK}]{{2,4}})(?=[（(，,。；;、\\s]|$)", re.MULTILINE
)
# a form field's value that is a whole Han word (乘客：尉迟雪（实名认证）, 骑手：芮海波，): the
# segmenter may split it (尉迟|雪) because its given name is a dictionary word
_FIELD_VALUE = re.compile(f"[：:][ \u3000]*([{CJK}]{{2,4}})(?=[（(，,。；;、\\s]|$)", re.MULTILINE)
NAME_TAGS = frozenset({"nr", "nrfg"})
# how far back on its line a name looks for the label it fills
LABEL_WINDOW = 24


class SegmentedNameRecognizer(HitRecognizer):
    name = NAME
    entities = ("PERSON",)

    def __init__(self) -> None:
        self.lex: Lexicon = load_lexicon()
        self.parser = NameParser(self.lex)
        self.address_form = address_form(self.lex)  # 邵|阿姨, 王|经理: no name
        self.kin = frozenset(self.lex.kin_terms)  # 和|表弟: no name
        self.heads = self.lex.single_surnames | {c[0] for c in self.lex.compound_surnames}
        self.heads |= {c[0] for c in self.lex.yi_clan_names}
        roles = set(self.lex.official_anchors) - self.lex.case_file_roles
        officials = alternation(sorted({*roles, *self.lex.official_labels}))
        # the last label before a name on its line: an official's (not 被询问人) or a party's
        self.label = re.compile(
            f"(?:(?<![被受])(?P<official>{officials})|(?P<party>{alternation(self.lex.person_anchors)}))"
        )
        syllables = alternation(self.lex.tibetan_syllables)
        self.tibetan = re.compile(f"(?:{syllables}){{2}}")
        self.titled_after = re.compile(f"[（(](?:{officials})[）)]")

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        out = self._segmented(text)
        seen = {h[0] for h in out}
        for start, end in self._fields(text):
            if start not in seen:
                seen.add(start)
                out.append((start, end, "PERSON", SCORE, NAME))
        return out

    def _segmented(self, text: str) -> list[Hit]:
        """Unknown words the segmenter cuts out and tags as names, and a surname it cut off a
        given name that is itself a dictionary name (雒|文涛)."""
        out: list[Hit] = []
        words = rjieba.cut(text)
        offsets = list(accumulate(map(len, words), initial=0))
        heads = self.heads
        for i, word in enumerate(words):
            if word[0] not in heads:
                continue  # most words: no name starts with their first character
            start, end = offsets[i], offsets[i + 1]
            prev = words[i - 1] if i else ""
            if _HAN_WORD.fullmatch(word) and not rjieba.has_word(word):
                if self._confirmed(text, start, end, prev):
                    out.append((start, end, "PERSON", SCORE, NAME))
            elif i + 1 < len(words) and self._split_name(word, words[i + 1]):
                end = offsets[i + 2]
                if self._confirmed(text, start, end, prev, tag=False):
                    out.append((start, end, "PERSON", SCORE, NAME))
        return out

    def _fields(self, text: str) -> Iterator[tuple[int, int]]:
        """Two Tibetan name syllables in a row (次仁多吉, 扎西卓玛); the value of a 姓名 field,
        whatever the surname table knows (姓名：双某某); a form field's whole value that reads
        as a name (乘客：尉迟雪（已实名）)."""
        for m in self.tibetan.finditer(text):
            yield m.span()
        for m in _NAME_FIELD.finditer(text):
            if not rjieba.has_word(m[1]):
                yield m.span(1)
        for m in _FIELD_VALUE.finditer(text):
            if not rjieba.has_word(m[1]) and self._plausible(text, *m.span(1)):
                yield m.span(1)

    def _split_name(self, word: str, given: str) -> bool:
        """A lone surname the segmenter tags as a name, then a one- or two-character word it
        tags as a given name (雒|文涛, not 张|主任 or 和|表弟)."""
        return (
            len(word) == 1
            and word in self.lex.single_surnames
            and 1 <= len(given) <= 2
            and given not in self.kin
            and _tag(word) in NAME_TAGS
            and _tag(given) in NAME_TAGS
        )

    def _confirmed(self, text: str, start: int, end: int, prev: str, tag: bool = True) -> bool:
        """The parser reads exactly this word as a name, and nothing around it says it is part
        of a place, an organization, a number or the word before it."""
        if not self._plausible(text, start, end):
            return False
        if prev[-1:].isdigit() or text[end : end + 1].isdigit():
            return False  # 10时止, 不动产权第0187号
        # a one-character or unknown word before it whose last character joins its first into
        # a known word (其微|信拉黑 from 将其微信拉黑) means the segmenter split a word it should
        # have kept
        fragment = bool(prev) and (len(prev) == 1 or not rjieba.has_word(prev))
        if fragment and rjieba.has_word(prev[-1:] + text[start]):
            return False
        return not tag or _tag(text[start:end]) in NAME_TAGS

    def _plausible(self, text: str, start: int, end: int) -> bool:
        """The parser reads exactly ``text[start:end]`` as a name, and it does not run into a
        place, an organization or a document number."""
        parsed = self.parser.parse(text, start)
        if parsed is None or parsed[0] != end or self.address_form.fullmatch(text, start, end):
            return False
        if text[end - 1] in PLACE_SUFFIXES or _PLACE_AFTER.match(text, end):
            return False
        if _ORG_AFTER.match(text, end) or _DOC_NUMBER_AFTER.match(text, end):
            return False
        return not self._official(text, start, end)

    def _official(self, text: str, start: int, end: int) -> bool:
        """An official's or public participant's name: the nearest label before it on its line
        is an official one (侦查员 胡某、程某), or a bracketed title follows
        (彭某（人民监督员）)."""
        if self.titled_after.match(text, end):
            return True
        line = max(text.rfind("\n", 0, start), text.rfind(SEP, 0, start)) + 1
        lo = max(line, start - LABEL_WINDOW)
        last = None
        for m in self.label.finditer(text, lo, start):
            if m.group() not in self.lex.neutral_labels:
                last = m
        return last is not None and last.lastgroup == "official"


@lru_cache(maxsize=65536)
def _tag(word: str) -> str:
    """The segmenter's part of speech for a word it reads whole (``nr`` for a person's name)."""
    tagged = rjieba.tag(word)
    return tagged[0][1] if len(tagged) == 1 else ""
