"""Motor-vehicle plates: ordinary (5 after the authority letter) and new-energy (6)."""

from __future__ import annotations

import re

from desensitize.recognizers.base import PatternRecognizer

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"


class PlateRecognizer(PatternRecognizer):
    """Province + authority letter + optional "·" + body; no I/O letters, as GA 36 rules.

    With the "·" the plate is unmistakable, so after it any five or six letters and digits
    holding a digit count (粤B·D8K712): transcripts and seizure lists copy new-energy plates
    whose serial does not follow the D/F + four-digit rule, and leaving one because of its
    serial would leave the vehicle identifiable."""

    name = "cn_plate"
    entities = ("PLATE",)
    needs_digit = True
    pattern = re.compile(
        rf"[{PROVINCES}](?<![{_L}0-9][{PROVINCES}])[{_L}]"
        rf"(?:[·\s]?(?:[DF][{_L}0-9]\d{{4}}|\d{{5}}[DF]|[{_L}0-9]{{4}}[{_L}0-9挂学警港澳领使])"
        rf"|·(?=[{_L}0-9]{{0,5}}\d)[{_L}0-9]{{5,6}})"
        rf"(?![{_L}0-9])"
    )
    base_score = 0.9
