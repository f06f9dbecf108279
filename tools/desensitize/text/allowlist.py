"""Spans that must never change: statutes and articles, 案号, names of courts, procuratorates,
companies and agencies, amounts, procedural dates, crime names, ethnic groups, officials'
names and common words that begin with a surname character.

A detection that falls inside a protected span is dropped; one that only overlaps it survives
only when a checksum or format makes it near-certain (score ≥ ``CERTAIN``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from desensitize.divisions import DivisionNames, division_names
from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc
from desensitize.recognizers.person_layout import ProfileNameRecognizer, TableNameRecognizer
from desensitize.recognizers.person_name import (
    OVER_WORD,
    PROPAGATED_OVER_WORD,
    KnownNamesRecognizer,
    NameParser,
)
from desensitize.recognizers.person_rows import LedgerRowNameRecognizer
from desensitize.types import Hit

CERTAIN = 0.9
_NUM = "0-9零〇一二三四五六七八九十百千"
# Patterns run on folded text, where ，；：（） are already , ; : ( ); both forms are listed.
# Column separators (| ｜ / ／) end an organization body: "岑大勇｜农业银行" is two cells, and
# so does the "·" of a transliterated name (姐姐古丽娜尔·阿不力孜一次性转入甲方中国农业银行 is no
# organization).
_ORG_BODY = f'[^\\s{SEP}，。；：,;:、的在系于与诉向和及被（）()“”"|｜/／·{_NUM[:3]}]'
_ARTICLE = f"第[{_NUM}]+条(?:之[{_NUM}]+)?(?:第[{_NUM}]+款)?(?:第[{_NUM}]+项)?"
_PLACE_ORG_BODY = _ORG_BODY.replace("和", "")
# 银行 before 卡 is a bank card, not an institution: "三哥说有人高价收银行卡" names no bank, and
# protecting it as one hid the nickname inside it.
_ORG_SUFFIXES = (
    r"(?:人民法院|人民检察院|法院|检察院|公安局|公安分局|"
    r"派出所|看守所|监狱|司法局|管理局|税务局|登记中心|车辆管理所|人民政府|委员会|"
    r"有限责任公司|股份有限公司|有限公司|分公司|合作社|信用社|商业银行|银行(?!卡)|支行|分行|"
    r"分理处|营业部|营业所|储蓄所|信用联社|"
    r"事务所|集团|厂|商行|经营部|保险公司|公司)"
)
# The units below a bank or a credit union, chained after its name: 中国农业银行洛阳西工支行,
# 交通银行平顶山分行营业部. Without the chain the lazy body stops at 银行 and the branch's own
# name is left bare, where 西工 reads as a job title (…工) and 支行 as a surname 支 and a name.
# (only after a bank's, a union's or a post office's name: the look-behind fails at once after
# 公司 or 法院, most organization matches)
_BRANCH = (
    f"(?:(?<=[行社局]){_ORG_BODY}{{0,12}}?(?:支行|分行|分理处|营业部|营业所|营业室|储蓄所|信用社"
    "|信用分社|分社|支局|分中心))*"
)
# The lazy organization body tries the suffix after every character; a look-ahead on the
# suffixes' first characters fails most of those tries in one step (same matches).
_ORG_SUFFIX = "(?=[{}])".format("".join(sorted({w[0] for w in _ORG_SUFFIXES[3:-1].split("|")})))
_ORG_SUFFIX += _ORG_SUFFIXES
_OFFICIAL_JOINERS = "、和及"
# Names whose layout or role word outweighs a common word (证人和平、, a 姓名 cell 江山).
_OVER_COMMON_WORDS = frozenset(
    {
        OVER_WORD,
        PROPAGATED_OVER_WORD,
        ProfileNameRecognizer.name,
        TableNameRecognizer.name,
        LedgerRowNameRecognizer.name,
    }
)
_PARTY_PREFIX = "被受"
_START = f'(?:(?<=[{SEP}，。；：,;:、（(\\s“"|｜/／人系为与诉在向由被的告至到经])|^)'

# Characters every match needs (one of each string): texts without them are not scanned.
# a landline as notices print it: area code, local number, optional extension
# A telephone field and the landline in it, and an official's title ending the text before the
# field (联系人：检察官助理    联系电话：029-88452200): the office's number, published with it.
_PHONE_FIELD = re.compile(
    r"电话(?:号码)?[：:]?[ \t]*(\(?0\d{2,3}\)?[- ]?\d{7,8}(?:转\d{1,5})?)(?!\d)"
)

_GATES: dict[str, tuple[str, ...]] = {
    "CASE_NUMBER": ("号", "(（〔["),
    "ORGANIZATION": ("院局所狱府会心司社行厂部团处",),
    "AMOUNT": ("元",),
    "DATE": ("年",),
    "CRIME": ("罪",),
    "ETHNIC_GROUP": ("族",),
}


@dataclass(frozen=True)
class Protector:
    patterns: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]
    official_anchor: re.Pattern[str]
    case_file_roles: frozenset[str]
    official_context: re.Pattern[str]
    private_record: re.Pattern[str]
    parser: NameParser
    breakers: re.Pattern[str]
    person_anchor: re.Pattern[str]
    official_field: re.Pattern[str]

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        spans: list[Hit] = [
            (self._start(text, kind, m), m.end(), kind, 1.0, "allowlist")
            for kind, pattern, gate in self.patterns
            for m in doc.finditer(pattern, gate)
            if m.end() > m.start()
        ]
        spans += _place_organizations(doc)
        spans += self._institution_phones(text)
        case_files: dict[int, bool] = {}
        for a in self.official_anchor.finditer(text):
            if a.start() and text[a.start() - 1] in _PARTY_PREFIX:
                continue  # 被约谈人, 受送达人 are parties
            if _role(a) in self.case_file_roles and not self._case_file(doc, a.start(), case_files):
                continue  # the 记录人 of a company's minutes is no official
            pos = a.end()
            while (parsed := self.parser.parse(text, pos, strict=False)) is not None:
                spans.append((pos, parsed[0], "OFFICIAL", 1.0, "allowlist"))
                if parsed[0] >= len(text) or text[parsed[0]] not in _OFFICIAL_JOINERS:
                    break
                pos = parsed[0] + 1  # 送达人：何建军、东方明
        return spans

    def _institution_phones(self, text: str) -> list[Hit]:
        """Landlines in a telephone field right after an official's title on the same line:
        found from each 电话, looking back to the line start (most texts have no 电话)."""
        out: list[Hit] = []
        pos = text.find("电话")
        while pos >= 0:
            m = _PHONE_FIELD.match(text, pos)
            if m is not None:
                lo = max(text.rfind("\n", 0, pos), text.rfind(SEP, 0, pos), pos - 40) + 1
                if self.official_field.search(text, lo, pos):
                    out.append((m.start(1), m.end(1), "INSTITUTION_PHONE", 1.0, "allowlist"))
            pos = text.find("电话", pos + 2)
        return out

    def _case_file(self, doc: Doc, pos: int, seen: dict[int, bool]) -> bool:
        """Whether the text holding ``pos`` reads as an agency's case file (笔录, 送达, 法院 …)
        and not as a lawyer's own record (会见笔录, whose 记录人 is a lawyer); searched in that
        text only, once per text."""
        i = bisect_right(doc.bounds, pos) - 1
        if i not in seen:
            lo = doc.bounds[i]
            hi = doc.bounds[i + 1] if i + 1 < len(doc.bounds) else len(doc.text)
            seen[i] = (
                self.official_context.search(doc.text, lo, hi) is not None
                and self.private_record.search(doc.text, lo, hi) is None
            )
        return seen[i]

    def _start(self, text: str, kind: str, m: re.Match[str]) -> int:
        """Where a protected span starts: a crime after the last 涉嫌 in it; an organization
        begins after the last clause word
        inside the match (申屠宏亮另控制金华市宏亮物流有限公司 → 金华市宏亮物流有限公司), and
        after the last role word and the name it announces, when that name ends cleanly
        (法定代表人之妻钱淑芬拒绝透露公司 → 拒绝透露公司: the generic 公司 ends a clause about a
        person; 被执行人金星建材经营部 stays whole)."""
        if kind != "ORGANIZATION":
            # 高峰、朱文明、金星涉嫌抢劫罪, 欧阳俊杰、上官婷犯故意伤害罪: a crime after a list's 、
            # starts after 涉嫌 or the verb 犯 (not the 犯 of 侵犯著作权罪), not at the last name
            if kind != "CRIME":
                return m.start()
            cuts = [c.end() for c in _CRIME_VERB.finditer(text, m.start(), m.end())]
            return cuts[-1] if cuts else m.start()
        start = m.start()
        for b in self.breakers.finditer(text, m.start(), m.end()):
            start = b.end()
        for a in self.person_anchor.finditer(text, start, m.end()):
            parsed = self.parser.parse(text, a.end())
            if parsed is not None and parsed[1] >= CERTAIN:  # not 被执行人金星建材经营部
                start = min(parsed[0], m.end())
        return start


_CRIME_VERB = re.compile("涉嫌|(?<!侵)犯(?!罪)")
_HE_ORG = re.compile(f"和{_PLACE_ORG_BODY}{{0,20}}?{_ORG_SUFFIX}")
_HE_GATE = ("和", "院局所狱府会心司社行厂部团")
_BODY_CHAR = re.compile(_PLACE_ORG_BODY)


def _place_organizations(doc: Doc) -> list[Hit]:
    """Names that start with a place and hold 和 (湛江和泰建筑工程有限公司, 乌鲁木齐润和餐饮
    管理有限公司, 和田瑞华食品有限公司). The general pattern stops at 和 so as not to swallow
    "张三和李四公司"; here a GB/T 2260 name must end at most six characters before the 和 (or
    begin with it), which a person's name never does. Found from each 和 that an organization
    suffix follows, looking back for the place: a regex led by three thousand place names
    would try them at every character."""
    text = doc.text
    names = division_names()
    out: list[Hit] = []
    for m in doc.finditer(_HE_ORG, _HE_GATE):
        start = _place_before(text, m.start(), names)
        if start is not None:
            out.append((start, m.end(), "ORGANIZATION", 1.0, "allowlist"))
    return out


def _place_before(text: str, he: int, names: DivisionNames) -> int | None:
    """Start of the earliest place name that holds the 和 at ``he`` (和田, 呼和浩特) or ends at
    most six body characters before it."""
    for k in range(max(0, he - 12), he + 1):
        size = names.match_at(text, k, he + 8) or _short_form_at(text, k, names.short_forms)
        end = k + size
        gap_ok = end > he or (he - end <= 6 and all(_BODY_CHAR.match(c) for c in text[end:he]))
        if size and gap_ok:
            return k
    return None


def _short_form_at(text: str, pos: int, short_forms: frozenset[str]) -> int:
    for size in (6, 5, 4, 3, 2):
        if text[pos : pos + size] in short_forms:
            return size
    return 0


def _role(anchor: re.Match[str]) -> str:
    """The role word of an official-anchor match, without its colon and spacing."""
    return "".join(c for c in anchor.group() if not c.isspace() and c not in "：:")


def _official_anchor(words: tuple[str, ...]) -> re.Pattern[str]:
    """Official titles, also spaced out as judgments print them (审　判　长 folds to 审 判 长).

    The plain titles come first as literals, which lets the regex engine skip ahead to their
    first characters; a title preceded by 被 or 受 names a party (被约谈人, 受送达人) and is
    dropped by the caller rather than by a look-behind, which would disable that skipping."""
    spaced = [r"\s".join(map(re.escape, w)) for w in sorted(set(words), key=lambda w: -len(w))]
    return re.compile(f"(?:{alternation(words)}|{'|'.join(spaced)})(?:[：:]|\\s)*")


@lru_cache(maxsize=1)
def protector() -> Protector:
    lex = load_lexicon()
    ethnic = alternation(lex.ethnic_groups)
    patterns = {
        "STATUTE": rf"《[^》\n{SEP}]{{1,60}}》(?:{_ARTICLE})?|{_ARTICLE}",
        "CASE_NUMBER": rf"[（(]\d{{4}}[）)](?![^号\n{SEP}]{{0,20}}不动产)"
        rf"[{CJK}]{{0,8}}\d{{0,6}}[{CJK}]{{1,6}}(?:字第|第)?\d{{1,6}}(?:-\d+)?号"
        rf"|[{CJK}]{{1,10}}[〔\[]\d{{4}}[〕\]]\d{{1,6}}号",
        "ORGANIZATION": rf"{_START}{_ORG_BODY}{{2,30}}?{_ORG_SUFFIX}{_BRANCH}",
        # a match inside a digit run implies one at the run's start, which the scan meets first
        "AMOUNT": r"(?:人民币\d|\d(?<!\d\d))\d*(?:,\d{3})*(?:\.\d+)?(?:余)?(?:万|亿)?元",
        "DATE": r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}年度?",
        "CRIME": r"(?:(?<=涉嫌)|(?<=犯)|(?<=以)|(?<=构成)|(?<=、))"
        rf"[^\s{SEP}，。；：,;:、的在系于与诉向和及被人某（）()“”0-9]{{2,12}}?罪",
        "ETHNIC_GROUP": rf"(?:{ethnic})族",
        "COMMON_WORD": alternation(lex.common_words),
    }
    return Protector(
        patterns=tuple((k, re.compile(v), _GATES.get(k, ())) for k, v in patterns.items()),
        official_anchor=_official_anchor(lex.official_anchors),
        case_file_roles=lex.case_file_roles,
        official_context=re.compile(alternation(lex.official_context)),
        private_record=re.compile(alternation(lex.private_records)),
        parser=NameParser(lex),
        breakers=re.compile(alternation(lex.organization_breakers)),
        person_anchor=re.compile(alternation(lex.person_anchors)),
        # an official's title, perhaps a name, then a field separator and (联系) before 电话
        official_field=re.compile(
            f"(?:{alternation(lex.official_anchors)})[：:]?[{CJK}]{{0,4}}[ \t\u3000,，]+(?:联系)?$"
        ),
    )


def apply_protection(spans: list[Hit], protected: list[Hit]) -> list[Hit]:
    """Drop detections covered by protected spans (DATE detections are exempt); see
    ``Protection``, which answers many such calls against the same protected spans."""
    return Protection(protected).apply(spans)


class _Index:
    """Protected spans as sorted starts with a running maximum of ends: "inside one?" and
    "touching one?" by bisection."""

    def __init__(self, protected: list[Hit]) -> None:
        order = sorted(protected)
        self.starts = [p[0] for p in order]
        self.max_end = list(accumulate((p[1] for p in order), max))


class Protection:
    """The protected spans of a batch, indexed once for every detection step of an analysis.

    Common words (马上, 和平, 劳动) only keep a name from starting there: they protect against
    PERSON detections, not against the address 和平路3号 or a number next to them.
    Protected spans may overlap each other; the indexes answer by bisection, so a whole batch
    costs O(n log n) once rather than a sort per step.
    """

    def __init__(self, protected: list[Hit]) -> None:
        words = [p for p in protected if p[2] == "COMMON_WORD"]
        others = [p for p in protected if p[2] != "COMMON_WORD"] if words else protected
        self.words = _Index(words)
        self.others = _Index(others)

    def apply(self, spans: list[Hit]) -> list[Hit]:
        if not spans:
            return spans
        kept = _unprotected(spans, self.others, lambda s: True)
        return _unprotected(
            kept,
            self.words,
            lambda s: s[2] == "PERSON" and s[4] not in _OVER_COMMON_WORDS,
            starts_only=lambda s: s[4] == KnownNamesRecognizer.name,
        )


def _unprotected(
    spans: list[Hit],
    index: _Index,
    applies: Callable[[Hit], bool],
    starts_only: Callable[[Hit], bool] = lambda s: False,
) -> list[Hit]:
    """``spans`` less those a protected span covers. A weak span for which ``starts_only``
    holds (a name already found in the text, met again) is dropped only when it starts inside a
    common word: 尚未 after 高尚 in "高尚未到庭" keeps no known name from ending there. A fresh
    reading that runs into a common word is still dropped (建设工程施工 does not hold 程施工)."""
    starts, max_end = index.starts, index.max_end
    if not starts:
        return spans
    kept = []
    for s in spans:
        if s[2] != "DATE" and applies(s):
            if s[3] >= CERTAIN:  # only dropped when wholly inside a protected span
                i = bisect_right(starts, s[0])
                if i and max_end[i - 1] >= s[1]:
                    continue
            else:  # dropped when it touches (or, for common words, starts in) a protected span
                i = bisect_right(starts, s[0]) if starts_only(s) else bisect_left(starts, s[1])
                if i and max_end[i - 1] > s[0]:
                    continue
        kept.append(s)
    return kept
