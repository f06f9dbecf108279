"""Resident ID numbers: 18-digit (GB 11643, check character) and first-generation 15-digit."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer
from zhcodes import gb11643_valid

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# Patterns start with a character class and check what precedes it afterwards: a leading
# look-behind would stop the regex engine from skipping ahead to candidate characters.


class ResidentId18Recognizer(PatternRecognizer):
    """A checksum hit is certain; a miss is likely a typo'd ID, kept only with context."""

    name = "cn_resident_id_18"
    entities = ("ID_CARD",)
    needs_digit = True
    pattern = re.compile(
        rf"[1-9](?<![0-9A-Za-z][1-9])\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[\dXx](?![0-9A-Za-z])"
    )
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["ID_CARD"])

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        return 1.0 if gb11643_valid(value) else 0.25


class ResidentId15Recognizer(PatternRecognizer):
    """Old IDs carry YYMMDD; the date must exist, which rejects most random 15-digit runs."""

    name = "cn_resident_id_15"
    entities = ("ID_CARD",)
    needs_digit = True
    pattern = re.compile(rf"[1-9](?<![0-9A-Za-z][1-9])\d{{5}}\d{{2}}{_DATE}\d{{3}}(?![0-9A-Za-z])")
    base_score = 0.6
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["ID_CARD"])

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        try:
            dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
        except ValueError:
            return None
        return self.base_score
