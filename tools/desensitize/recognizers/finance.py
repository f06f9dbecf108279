"""Bank cards (Luhn raises confidence, never vetoes) and unified social credit codes."""

from __future__ import annotations

import re
from typing import ClassVar

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer
from zhcodes import gb32100_valid, luhn_valid


class BankCardRecognizer(PatternRecognizer):
    """16–19 digits, possibly in groups of four; some domestic debit cards fail Luhn."""

    name = "bank_card"
    entities = ("BANK_CARD",)
    needs_digit = True
    pattern = re.compile(  # first digit factored out of (?:\d{4}[ -]){3,4}\d{1,7} | \d{16,19}
        r"\d(?<![\dA-Za-z]\d)"
        r"(?:\d{3}[ -](?:\d{4}[ -]){2,3}\d{1,7}(?![\dA-Za-z])|\d{15,18}(?![\dA-Za-z]))"
    )
    base_score = 0.5
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["BANK_CARD"])
    context_boost = 0.15

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        digits = re.sub(r"\D", "", value)
        if not 16 <= len(digits) <= 19:
            return None
        return 0.8 if luhn_valid(digits) else self.base_score


class UsccRecognizer(PatternRecognizer):
    """18 characters of the GB 32100 alphabet; only a matching check character counts."""

    name = "cn_uscc"
    entities = ("USCC",)
    pattern = re.compile(
        r"[0-9A-HJ-NP-RT-UW-Y](?<![0-9A-Za-z][0-9A-HJ-NP-RT-UW-Y])"
        r"[0-9A-HJ-NP-RT-UW-Y]\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Za-z])"
    )

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        if value.isdigit():
            return None  # all-digit strings are IDs or accounts; their recognizers decide
        return 0.95 if gb32100_valid(value) else None
