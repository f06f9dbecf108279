"""Vectorised USCC and card numbers against the scalar reference checks in zhcodes, and against
an independent GB 11714 organisation-code check written here."""

from __future__ import annotations

import numpy as np
import pytest

from synthgen.enforcement.ids import USCC_ALPHABET, digit_strings, luhn_numbers, uscc_codes
from zhcodes.checksums import gb32100_valid, luhn_valid


def _org_check(body8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


@pytest.mark.parametrize("division", [110101, 330702, 440300, 654326, 542621])
def test_uscc_codes_are_valid_and_carry_division(division: int) -> None:
    codes = uscc_codes(np.random.default_rng(division), np.full(2000, division)).to_pylist()
    assert all(gb32100_valid(c) for c in codes)
    assert all(c[:2] == "91" and c[2:8] == str(division) for c in codes)
    assert all(_org_check(c[8:16]) == c[16] for c in codes)
    assert len(set(codes)) > 1990


def test_uscc_with_a_changed_character_is_invalid() -> None:
    codes = uscc_codes(np.random.default_rng(1), np.full(500, 330702)).to_pylist()
    for code in codes:
        pos = 9
        other = USCC_ALPHABET[(USCC_ALPHABET.index(code[pos]) + 1) % len(USCC_ALPHABET)]
        assert not gb32100_valid(code[:pos] + other + code[pos + 1 :])


@pytest.mark.parametrize(("bin_", "length"), [(622202, 19), (621700, 19), (622848, 16)])
def test_card_numbers_pass_luhn(bin_: int, length: int) -> None:
    cards = luhn_numbers(np.random.default_rng(bin_), np.full(3000, bin_), length).to_pylist()
    assert all(len(c) == length and c.startswith(str(bin_)) for c in cards)
    assert all(luhn_valid(c) for c in cards)
    # a single changed digit always breaks the Luhn check
    broken = [c[:-2] + str((int(c[-2]) + 1) % 10) + c[-1] for c in cards]
    assert not any(luhn_valid(c) for c in broken)


def test_plain_account_numbers_keep_prefix_and_length() -> None:
    numbers = digit_strings(np.random.default_rng(0), np.full(100, 2088), 4, 16).to_pylist()
    assert all(len(n) == 16 and n.startswith("2088") and n.isdigit() for n in numbers)
