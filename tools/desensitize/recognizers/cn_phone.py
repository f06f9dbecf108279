"""Mainland mobile numbers and landlines (area code required, extension optional)."""

from __future__ import annotations

import re
from typing import ClassVar

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer

_PHONE_CONTEXT = tuple(load_lexicon().context["PHONE"])
# 7 or 8 local digits, as written in case files: 7654321, 76543210, 7654 321, 7654 3210, 765 4321
_LOCAL = r"[2-9](?:\d{6,7}|\d{2,3} \d{4}|\d{3} \d{3})"
# extension: 0571-7654321转123, -123, 分机123, " 分机 123"
_EXTENSION = r"(?:(?:转|-| ?分机 ?|ext\.?)\d{1,5})?"


class MobileRecognizer(PatternRecognizer):
    """11 digits 13x–19x, optionally +86/0086 (also bracketed: （+86）) and 3-4-4 grouping with
    spaces or hyphens; the country code is part of the span, as it is of the number."""

    name = "cn_mobile"
    entities = ("PHONE",)
    needs_digit = True
    pattern = re.compile(  # (?<![\d+])(?:(?:\+|00)86[- ]?)?1..., first character factored out
        r"\((?<![\d+]\()(?:\+|00)86\)[- ]?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
        r"|\+(?<![\d+]\+)86[- ]?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
        r"|0(?<![\d+]0)086[- ]?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
        r"|1(?<![\d+]1)[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
    )
    base_score = 0.85
    context_words: ClassVar[tuple[str, ...]] = _PHONE_CONTEXT
    context_boost = 0.1


class LandlineRecognizer(PatternRecognizer):
    """0 + 2–3 digit area code, 7–8 digit number (possibly split by a space); ``转``/``-``/
    ``分机`` extension included."""

    name = "cn_landline"
    entities = ("LANDLINE",)
    needs_digit = True
    pattern = re.compile(  # (?<![\d-])(?:\(0..\)|0..)..., first character factored out
        rf"\((?<![\d-]\()0\d{{2,3}}\)[- ]?{_LOCAL}{_EXTENSION}(?!\d)"
        rf"|0(?<![\d-]0)(?:10|2\d|[3-9]\d{{2}})[- ]?{_LOCAL}{_EXTENSION}(?!\d)"
    )
    base_score = 0.7
    context_words: ClassVar[tuple[str, ...]] = _PHONE_CONTEXT
    context_boost = 0.25

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        digits = re.sub(r"\D", "", value)
        # A bare 11–12 digit run starting with 0 and no separator is often an account number.
        if "-" not in value and "(" not in value and " " not in value and len(digits) > 12:
            return None
        return self.base_score


class InternationalPhoneRecognizer(PatternRecognizer):
    """A foreign number written with "+" and its country code (+82 10-4417-2093, +7 912 345 67
    89, +4915112345678): foreign guests' and suspects' phones in registers and records. The "+"
    and the country code make it a phone number without a context word; +86 is left to
    ``MobileRecognizer``, which checks the mainland format."""

    name = "intl_phone"
    entities = ("PHONE",)
    needs_digit = True
    pattern = re.compile(
        r"\+(?<![\d+]\+)(?!86)[1-9]\d{0,2}(?:(?:[ -]\d{1,8}){1,5}|\d{7,12})(?![\d-])"
    )
    gate = ("+",)
    base_score = 0.85

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        digits = sum(c.isdigit() for c in value)
        return self.base_score if 8 <= digits <= 15 else None
