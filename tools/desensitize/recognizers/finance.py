"""Bank cards (Luhn raises confidence, never vetoes), unified social credit codes, insurance
policy numbers and other accounts named by a label (公积金账号, 社保个人账号)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import Doc, PatternRecognizer
from desensitize.types import Hit
from zhcodes import gb32100_valid, load_divisions, luhn_valid

VECTOR_MIN = 32  # below this a numpy call costs more than the scalar checks


class BankCardRecognizer(PatternRecognizer):
    """16–19 digits, possibly in groups of four; some domestic debit cards fail Luhn."""

    name = "bank_card"
    entities = ("BANK_CARD",)
    needs_digit = True
    pattern = re.compile(  # first digit factored out of (?:\d{4}[ -]){3,4}\d{1,7} | \d{16,19}
        r"\d(?<![\dA-Za-z第]\d)"  # 第5101…号 numbers a document, not a card
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

    def validate_many(self, values: list[str], doc: Doc, starts: list[int]) -> list[float | None]:
        """Luhn for a whole batch: numbers of one length at a time, as a digit matrix."""
        digits = [v.replace(" ", "").replace("-", "") for v in values]
        if len(values) < VECTOR_MIN or not all(d.isascii() for d in digits):
            return super().validate_many(values, doc, starts)
        out: list[float | None] = [None] * len(values)
        by_length: dict[int, list[int]] = {}
        for i, d in enumerate(digits):
            if 16 <= len(d) <= 19:
                by_length.setdefault(len(d), []).append(i)
        for length, idx in by_length.items():
            ok = luhn_valid_many("".join(digits[i] for i in idx), length)
            for i, good in zip(idx, ok.tolist(), strict=True):
                out[i] = 0.8 if good else self.base_score
        return out


def luhn_valid_many(joined: str, length: int) -> npt.NDArray[np.bool_]:
    """``zhcodes.luhn_valid`` for numbers of one ``length`` given back to back."""
    d = np.frombuffer(joined.encode(), dtype=np.uint8).reshape(-1, length).astype(np.int64) - 48
    doubled = d[:, length - 2 :: -2] * 2  # every second digit from the right, check digit aside
    d[:, length - 2 :: -2] = np.where(doubled > 9, doubled - 9, doubled)
    return np.asarray(d.sum(axis=1) % 10 == 0)


class UsccRecognizer(PatternRecognizer):
    """18 characters of the GB 32100 alphabet; only a matching check character counts."""

    name = "cn_uscc"
    entities = ("USCC",)
    pattern = re.compile(
        r"[0-9A-HJ-NP-RT-UW-Y](?<![0-9A-Za-z][0-9A-HJ-NP-RT-UW-Y])"
        r"[0-9A-HJ-NP-RT-UW-Y]\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Za-z])"
    )

    def validate(self, value: str, doc: Doc, start: int) -> float | None:
        if value.isdigit() and not _plausible_numeric_uscc(value):
            return None  # other all-digit strings are IDs or accounts; their recognizers decide
        return 0.95 if gb32100_valid(value) else None


def _plausible_numeric_uscc(value: str) -> bool:
    """About one code in ten is all digits (913304115866636601). With a valid check character
    (1 in 31 of random strings), a registration authority of 1/5/9 and a real GB/T 2260 code
    in places 3–8 a random 18-digit account passes about once in a million; an ID number never
    does, because its places 3–8 are county digits followed by 19 or 20."""
    return value[0] in "159" and value[2:8] in _division_codes()


@lru_cache(maxsize=1)
def _division_codes() -> frozenset[str]:
    return frozenset(str(c) for c in load_divisions().table["code"])


class InsurancePolicyRecognizer(PatternRecognizer):
    """Insurance policy numbers (an account of the insured, 法释〔2016〕19号 art. 10): formats
    differ by insurer, so only a number right after 保单号 and the like counts."""

    name = "insurance_policy"
    entities = ("ACCOUNT_NUMBER",)
    needs_digit = True
    pattern = re.compile(
        rf"(?:{alternation(load_lexicon().context['ACCOUNT_NUMBER'])})码?[：:\s]*"
        r"([A-Z]{0,4}\d{8,22})(?![0-9A-Za-z])"
    )
    group = 1
    base_score = 0.9
    gate = ("号",)


class LabeledAccountRecognizer(PatternRecognizer):
    """A number right after 账号, 帐户, 卡号 and the like that is not a bank card: housing-fund
    (公积金), social-insurance and bank ledger accounts have 8 to 15 digits and no Luhn digit,
    so only the label marks them (docs/desensitize-recall.md). Scored below a bank card with
    its context word, so a 16–19 digit card after 账号 stays a BANK_CARD."""

    name = "labeled_account"
    entities = ("ACCOUNT_NUMBER",)
    needs_digit = True
    pattern = re.compile(
        rf"(?:{alternation(load_lexicon().context['ACCOUNT_LABEL'])})码?(?:分别)?(?:是|为)?[：:\s(（]*"
        r"(\d{6,22})(?![0-9A-Za-z])"
    )
    group = 1
    base_score = 0.6
    gate = ("号户",)

    def hits(self, doc: Doc) -> list[Hit]:
        """The labelled numbers, and those listed after them (账号分别为…、…、…)."""
        out = super().hits(doc)
        text = doc.text
        for h in list(out):
            end = h[1]
            while (m := _LISTED_ACCOUNT.match(text, end)) is not None:
                out.append((m.start(1), m.end(1), h[2], h[3], h[4]))
                end = m.end()
        return out


_LISTED_ACCOUNT = re.compile(r"[、，,和及]\s*(\d{6,22})(?![0-9A-Za-z])")
