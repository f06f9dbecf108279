"""Documents assembled from fragments, recording each personal-information span as it is
appended: offsets are known by construction, never found by searching the finished text
(a name can recur inside an address or a company name, a search would mislabel it)."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
HALF_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


@dataclass(frozen=True)
class Pii:
    """A personal-information fragment: its text as printed, entity type and the role of the
    person it belongs to (申请执行人, 被执行人, 亲属, 法官 …)."""

    text: str
    entity: str
    role: str = ""


Frag: TypeAlias = "str | Pii | Sequence[Frag]"


@dataclass
class Span:
    start: int
    end: int
    entity: str
    text: str
    role: str


@dataclass
class Doc:
    """A growing document: append text, personal-information fragments or templates."""

    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    length: int = 0

    def add(self, frag: Frag) -> Doc:
        if isinstance(frag, Pii):
            self.spans.append(
                Span(self.length, self.length + len(frag.text), frag.entity, frag.text, frag.role)
            )
            self._put(frag.text)
        elif isinstance(frag, str):
            self._put(frag)
        else:
            for item in frag:
                self.add(item)
        return self

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def fill(self, template: str, fields: Mapping[str, Frag]) -> Doc:
        """Append ``template`` with ``{name}`` fields replaced by fragments (spans kept)."""
        for literal, name, _, _ in string.Formatter().parse(template):
            if literal:
                self._put(literal)
            if name is not None:
                if name not in fields:
                    raise KeyError(f"文书模板缺少字段 {name}：{template[:40]}…")
                self.add(fields[name])
        return self

    def line(self, template: str, fields: Mapping[str, Frag]) -> Doc:
        return self.fill(template, fields).add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def plain(frag: Frag) -> str:
    """A fragment's text without span information (for checks and short summaries)."""
    if isinstance(frag, Pii):
        return frag.text
    if isinstance(frag, str):
        return frag
    return "".join(plain(f) for f in frag)


_CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1–99 as Chinese numerals, the way judgments date themselves (二十八日)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + ("" if ones == 0 and tens else _CN_DIGITS[ones])


def cn_date(day: object) -> str:
    """二〇二一年十一月二十八日"""
    y, m, d = (int(x) for x in str(day)[:10].split("-"))
    year = "".join(_CN_DIGITS[int(c)] for c in str(y))
    return f"{year}年{cn_number(m)}月{cn_number(d)}日"


def ymd(day: object) -> str:
    """2021年6月24日"""
    y, m, d = (int(x) for x in str(day)[:10].split("-"))
    return f"{y}年{m}月{d}日"


def yuan(amount: float, grouped: bool) -> str:
    return f"{amount:,.2f}" if grouped else f"{amount:.2f}"


def cn_article(n: int) -> str:
    """Article numbers up to 999 in Chinese (五百一十七)."""
    hundreds, rest = divmod(n, 100)
    head = _CN_DIGITS[hundreds] + "百" if hundreds else ""
    if not rest:
        return head
    if hundreds and rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    tail = cn_number(rest)
    return head + ("一" + tail if hundreds and rest < 20 else tail)
