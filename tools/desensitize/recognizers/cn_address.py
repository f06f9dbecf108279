"""Detailed addresses below the county: street/town, road + number, building, unit, room.

The county and everything above it stay (the 2016 court rule keeps a party's county of
domicile), so the span starts after the leading GB/T 2260 names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desensitize.divisions import division_names
from desensitize.recognizers.base import CJK, Doc, Recognizer
from desensitize.types import Span

_TRIGGER = re.compile(
    r"(?:户籍所在地|经常居住地|住所地|户籍地|居住于|居住在|住址|住所|家住|现住|暂住|地址|位于|坐落|住(?![房宿院建]))"
    r"[：:为在于]?"
)
_BODY = re.compile(rf"[{CJK}A-Za-z0-9#\-·]{{3,60}}")
_BODY_STOP = re.compile(r"的|附近|门口|一带|家中|处|内|被|并|系")
# A remainder is a detailed address only if it ends in one of these units.
_DETAIL_END = re.compile(
    rf"(?:[0-9一二三四五六七八九十百零]+(?:号楼|号|室|幢|栋|单元|楼|层|组|弄|座|户)"
    rf"|[{CJK}]{{2,}}(?:村|社区|小区|花园|公寓|大厦|苑|新村|家园|街道|镇|乡))"
)
_ROAD = re.compile(
    rf"(?<=[在于至到从往住的，、。；：,;:\s区县市旗省镇乡道])"
    rf"(?:[{CJK}]{{2,8}}(?:街道|镇|乡))?[{CJK}A-Za-z0-9]{{1,10}}?(?:大道|路|街|巷|弄|胡同)"
    rf"(?:[东南西北中一二三四五六七八九]段)?[0-9]+(?:-[0-9]+)?号院?"
    rf"(?:(?:[{CJK}]{{2,6}}?)?[0-9A-Za-z]+(?:幢|栋|号楼|座))?"
    rf"(?:[0-9]+单元)?(?:[0-9]+(?:室|层))?"
)  # an estate name may sit between the number and the building: 人民路3号翠苑小区28幢; a road
# may have a section (建设路东段12号) and the number a compound (56号院3号楼)

_ROAD_GATE = ("号", "道路街巷弄同")


def _detail_end(remainder: str) -> int:
    """End of the last detail unit in ``remainder`` (0 when there is none)."""
    end = 0
    for m in _DETAIL_END.finditer(remainder):
        end = m.end()
    return end


class AddressRecognizer(Recognizer):
    name = "cn_address"
    entities = ("ADDRESS",)

    def analyze(self, doc: Doc) -> Iterator[Span]:
        text = doc.text
        names = division_names()
        for trig in _TRIGGER.finditer(text):
            body = _BODY.match(text, trig.end())
            if body is None:
                continue
            stop = _BODY_STOP.search(text, body.start(), body.end())
            body_end = stop.start() if stop else body.end()
            start = names.strip_prefix(text, body.start(), body_end)
            end = start + _detail_end(text[start:body_end])
            if end - start >= 3:
                yield Span(start, end, "ADDRESS", 0.9, self.name)
        for m in doc.finditer(_ROAD, _ROAD_GATE):
            start = names.strip_prefix(text, m.start(), m.end())
            if m.end() - start >= 4:
                yield Span(start, m.end(), "ADDRESS", 0.75, self.name)
