"""Property certificate numbers and passports / travel permits."""

from __future__ import annotations

import re
from typing import ClassVar

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import CJK, Doc, PatternRecognizer
from desensitize.recognizers.cn_plate import PROVINCES


class PropertyCertificateRecognizer(PatternRecognizer):
    """不动产权证 (浙(2021)杭州市不动产权第0123456号) and older 房权证/土地证 numbers."""

    name = "cn_property_certificate"
    entities = ("PROPERTY_CERT",)
    needs_digit = True
    pattern = re.compile(
        rf"[{PROVINCES}]\(\d{{4}}\)[{CJK}]{{1,12}}?不动产权第\d{{4,10}}号"
        rf"|[{CJK}]{{1,8}}?(?:房权证|房产证|土地证|国用)[{CJK}0-9()]{{0,12}}?字?第\d{{3,12}}号"
    )
    base_score = 0.95
    gate = ("号", "权产土国")


class PassportRecognizer(PatternRecognizer):
    """E-series passports are distinctive; other letters need a context word."""

    name = "cn_passport"
    entities = ("PASSPORT",)
    needs_digit = True
    pattern = re.compile(
        r"[EGDSPCHM](?<![0-9A-Za-z][EGDSPCHM])"
        r"(?:(?<=E)[A-HJ-NP-Z0-9]\d{7}|(?<=[GDSPCHM])\d{8})(?![0-9A-Za-z])"
    )
    base_score = 0.45
    context_words: ClassVar[tuple[str, ...]] = tuple(load_lexicon().context["PASSPORT"])
    context_boost = 0.45

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        return 0.6 if value.startswith("E") else self.base_score


class PassportNumberRecognizer(PatternRecognizer):
    """Any country's passport number right after 护照/护照号码 (532718846, PAA123456,
    C01X00T47, 75 4128093): formats differ by country, the word before them does not. In a
    register row the word is the certificate-type cell and the number the next cell
    (| 护照 | C4729183 |), so a "|" may stand between them; in a form it is the next field
    (证件类型：护照　证件号码：533918274). A foreigner's residence permit (居留许可证号码E31K28475)
    is numbered the same way and identifies as much."""

    name = "passport_number"
    entities = ("PASSPORT",)
    needs_digit = True
    # some countries print the number in two groups (Russia: 75 4128093); a second group of
    # digits after one space belongs to it unless a date unit follows (…E1234567 2020年)
    pattern = re.compile(
        r"(?:护照|居留许可证?|居留证)(?:号码|号|编号)?(?:为|是)?[:：\s|]*(?:证件(?:号码|号)[:：]\s*)?"
        r"([A-Z0-9]{5,12}(?![0-9A-Za-z])|[A-Z0-9]{2,4} \d{5,9}(?![0-9A-Za-z年月日]))"
    )
    group = 1
    base_score = 0.9

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        return self.base_score if any(c.isdigit() for c in value) else None
