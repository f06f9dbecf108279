"""Calendar dates, found so that a per-case date shift can move them like the tables."""

from __future__ import annotations

import datetime as dt
import re

from desensitize.recognizers.base import Doc, PatternRecognizer

DATE_RE = re.compile(
    r"(\d(?<!\d\d)\d{3})(?:年(\d{1,2})月(\d{1,2})日|-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2}))(?!\d)"
)


def parse_date(value: str) -> dt.date | None:
    m = DATE_RE.fullmatch(value)
    if m is None:
        return None
    year = int(m.group(1))
    month, day = (int(g) for g in [g for g in m.groups()[1:] if g is not None])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def format_like(original: str, new: dt.date) -> str:
    """Write ``new`` in the notation of ``original`` (年月日, ISO or slashes)."""
    if "年" in original:
        return f"{new.year}年{new.month}月{new.day}日"
    sep = "-" if "-" in original else "/"
    return f"{new.year:04d}{sep}{new.month:02d}{sep}{new.day:02d}"


class DateRecognizer(PatternRecognizer):
    name = "date"
    entities = ("DATE",)
    needs_digit = True
    pattern = DATE_RE
    gate = ("年-/",)
    base_score = 0.9

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        return self.base_score if parse_date(value) is not None else None
