"""Resident ID numbers: 18-digit (GB 11643, check character) and first-generation 15-digit."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

import numpy as np

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer
from zhcodes import gb11643_check_chars, gb11643_valid

VECTOR_MIN = 32  # below this a numpy call costs more than the scalar checks

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# Patterns start with a character class and check what precedes it afterwards: a leading
# look-behind would stop the regex engine from skipping ahead to candidate characters.


class ResidentId18Recognizer(PatternRecognizer):
    """A checksum hit is certain; a miss is likely a typo'd ID, kept only with context."""

    name = "cn_resident_id_18"
    entities = ("ID_CARD",)
    needs_digit = True
    pattern = re.compile(
        # a letter may precede it (全国学籍号 G + the pupil's number); digits may not
        rf"[1-9](?<![0-9][1-9])\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[\dXx](?![0-9A-Za-z])"
    )
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["ID_CARD"])

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        return 1.0 if gb11643_valid(value) else 0.25

    def validate_many(self, values: list[str], doc: Doc, starts: list[int]) -> list[float | None]:
        """All check characters of a batch in one matrix product (ASCII values; a Unicode
        digit that ``\\d`` admits is left to the scalar check, which rejects it)."""
        plain = [v for v in values if v.isascii()]
        if len(plain) < VECTOR_MIN:
            return super().validate_many(values, doc, starts)
        body = np.frombuffer("".join(v[:17] for v in plain).encode(), dtype=np.uint8)
        checks = gb11643_check_chars(body.reshape(-1, 17).astype(np.int64) - 48).tolist()
        given = iter(checks)
        return [
            (1.0 if next(given) == v[17].upper() else 0.25) if v.isascii() else 0.25 for v in values
        ]


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
