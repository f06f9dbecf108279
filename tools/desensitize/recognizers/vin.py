"""Vehicle identification numbers (VIN, 车辆识别代号): 17 characters without I, O and Q, whose
ninth character is a check digit (ISO 3779; GB 16735 makes it mandatory for vehicles made in
China): letters are transliterated to numbers, weighted 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2,
summed modulo 11, and 10 is written X.

A checked VIN is certain. A 17-character code whose check digit fails is kept only after a
context word (车架号, 车辆识别代号): VINs of cars built for markets without the check digit
exist, while an order or serial number that happens to have 17 characters is not a VIN.
"""

from __future__ import annotations

import re
from typing import ClassVar

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer

ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VALUE = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_CHAR = "[A-HJ-NPR-Z0-9]"


def vin_check_char(vin: str) -> str:
    """The check character of a 17-character VIN (its own ninth character is ignored)."""
    total = sum(_VALUE[c] * w for c, w in zip(vin.upper(), WEIGHTS, strict=True))
    r = total % 11
    return "X" if r == 10 else str(r)


def vin_valid(vin: str) -> bool:
    v = vin.upper()
    return len(v) == 17 and all(c in _VALUE for c in v) and v[8] == vin_check_char(v)


class VinRecognizer(PatternRecognizer):
    name = "vin"
    entities = ("VIN",)
    needs_digit = True
    # the look-behind follows the first character so the regex engine can skip ahead
    pattern = re.compile(
        f"{_CHAR}(?<![0-9A-Za-z]{_CHAR}){_CHAR}{{16}}(?![0-9A-Za-z])", re.IGNORECASE
    )
    base_score = 0.3
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["VIN"])
    context_boost = 0.45

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        if value.isdigit() or value.isalpha():
            return None  # a VIN mixes the maker's letters with a serial number
        return 1.0 if vin_valid(value) else self.base_score
