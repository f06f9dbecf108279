"""Spans that must never change: statutes and articles, 案号, names of courts, procuratorates,
companies and agencies, amounts, procedural dates, crime names, ethnic groups, officials'
names and common words that begin with a surname character.

A detection that falls inside a protected span is dropped; one that only overlaps it survives
only when a checksum or format makes it near-certain (score ≥ ``CERTAIN``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, SEP, Doc
from desensitize.recognizers.person_name import NameParser
from desensitize.types import Hit

CERTAIN = 0.9
_NUM = "0-9零〇一二三四五六七八九十百千"
_ORG_BODY = f'[^\\s{SEP}，。；：:、的在系于与诉向和及被（）()“”"{_NUM[:3]}]'
_ARTICLE = f"第[{_NUM}]+条(?:之[{_NUM}]+)?(?:第[{_NUM}]+款)?(?:第[{_NUM}]+项)?"
_START = f'(?:(?<=[{SEP}，。；：:、（(\\s“"人系为与诉在向由被的告至到经])|^)'

# Characters every match needs (one of each string): texts without them are not scanned.
_GATES: dict[str, tuple[str, ...]] = {
    "CASE_NUMBER": ("号", "(（〔["),
    "ORGANIZATION": ("院局所狱府会心司社行厂部团",),
    "AMOUNT": ("元",),
    "DATE": ("年",),
    "CRIME": ("罪",),
    "ETHNIC_GROUP": ("族",),
}


@dataclass(frozen=True)
class Protector:
    patterns: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]
    official_anchor: re.Pattern[str]
    parser: NameParser

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        spans: list[Hit] = [
            (m.start(), m.end(), kind, 1.0, "allowlist")
            for kind, pattern, gate in self.patterns
            for m in doc.finditer(pattern, gate)
            if m.end() > m.start()
        ]
        for a in self.official_anchor.finditer(text):
            parsed = self.parser.parse(text, a.end())
            if parsed is not None:
                spans.append((a.end(), parsed[0], "OFFICIAL", 1.0, "allowlist"))
        return spans


@lru_cache(maxsize=1)
def protector() -> Protector:
    lex = load_lexicon()
    ethnic = alternation(lex.ethnic_groups)
    patterns = {
        "STATUTE": rf"《[^》\n{SEP}]{{1,60}}》(?:{_ARTICLE})?|{_ARTICLE}",
        "CASE_NUMBER": rf"[（(]\d{{4}}[）)](?![^号\n{SEP}]{{0,20}}不动产)"
        rf"[{CJK}]{{0,8}}\d{{0,6}}[{CJK}]{{1,6}}(?:字第|第)?\d{{1,6}}(?:-\d+)?号"
        rf"|[{CJK}]{{1,10}}[〔\[]\d{{4}}[〕\]]\d{{1,6}}号",
        "ORGANIZATION": rf"{_START}{_ORG_BODY}{{2,30}}?"
        r"(?:人民法院|人民检察院|法院|检察院|公安局|公安分局|"
        r"派出所|看守所|监狱|司法局|管理局|税务局|登记中心|车辆管理所|人民政府|委员会|"
        r"有限责任公司|股份有限公司|有限公司|分公司|合作社|信用社|商业银行|银行|支行|分行|"
        r"事务所|集团|厂|商行|经营部|保险公司|公司)",
        # a match inside a digit run implies one at the run's start, which the scan meets first
        "AMOUNT": r"(?:人民币\d|\d(?<!\d\d))\d*(?:,\d{3})*(?:\.\d+)?(?:余)?(?:万|亿)?元",
        "DATE": r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}年度?",
        "CRIME": r"(?:(?<=涉嫌)|(?<=犯)|(?<=以)|(?<=构成)|(?<=、))"
        rf"[^\s{SEP}，。；：:、的在系于与诉向和及被人某（）()“”0-9]{{2,12}}?罪",
        "ETHNIC_GROUP": rf"(?:{ethnic})族",
        "COMMON_WORD": alternation(lex.common_words),
    }
    return Protector(
        patterns=tuple((k, re.compile(v), _GATES.get(k, ())) for k, v in patterns.items()),
        official_anchor=re.compile(f"(?:{alternation(lex.official_anchors)})(?:[：:]|\\s)*"),
        parser=NameParser(lex),
    )


def apply_protection(spans: list[Hit], protected: list[Hit]) -> list[Hit]:
    """Drop detections covered by protected spans (DATE detections are exempt).

    Protected spans may overlap each other; sorted starts with a running maximum of ends answer
    "inside one?" and "touching one?" by bisection, so a whole batch costs O(n log n).
    """
    if not protected:
        return spans
    order = sorted(protected)
    starts = [p[0] for p in order]
    max_end = list(accumulate((p[1] for p in order), max))
    kept = []
    for s in spans:
        if s[2] != "DATE":
            if s[3] >= CERTAIN:  # only dropped when wholly inside a protected span
                i = bisect_right(starts, s[0])
                if i and max_end[i - 1] >= s[1]:
                    continue
            else:  # dropped when it touches any protected span
                i = bisect_left(starts, s[1])
                if i and max_end[i - 1] > s[0]:
                    continue
        kept.append(s)
    return kept
