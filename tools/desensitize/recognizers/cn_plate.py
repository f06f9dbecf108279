"""Motor-vehicle plates: ordinary (5 after the authority letter) and new-energy (6)."""

from __future__ import annotations

import re

from desensitize.recognizers.base import PatternRecognizer

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"


class PlateRecognizer(PatternRecognizer):
    """Province + authority letter + optional "·" + body; no I/O letters, as GA 36 rules."""

    name = "cn_plate"
    entities = ("PLATE",)
    needs_digit = True
    pattern = re.compile(
        rf"[{PROVINCES}](?<![{_L}0-9][{PROVINCES}])[{_L}][·\s]?"
        rf"(?:[DF][{_L}0-9]\d{{4}}|\d{{5}}[DF]|[{_L}0-9]{{4}}[{_L}0-9挂学警港澳领使])"
        rf"(?![{_L}0-9])"
    )
    base_score = 0.9
