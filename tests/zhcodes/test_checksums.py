"""Check characters, table-driven: valid, invalid and tricky inputs."""

from __future__ import annotations

import numpy as np
import pytest

from zhcodes import (
    gb11643_check_char,
    gb11643_check_chars,
    gb11643_valid,
    gb32100_check_char,
    gb32100_valid,
    luhn_check_digit,
    luhn_valid,
)


@pytest.mark.parametrize(
    ("id_number", "valid"),
    [
        ("11010519491231002X", True),  # the example ID of GB 11643 itself
        ("11010519491231002x", True),  # lowercase x is the same check character
        ("110105194912310021", False),  # wrong check character
        ("440524188001010014", True),
        ("440524188001010015", False),
        ("44052418800101001", False),  # 17 characters
        ("4405241880010100145", False),  # 19 characters
        ("44052418800101001A", False),  # letter other than X
        ("４４０５２４１８８００１０１００１４", False),  # full-width digits are not an ID as such
        ("", False),
    ],
)
def test_gb11643_valid(id_number: str, valid: bool) -> None:
    assert gb11643_valid(id_number) is valid


@pytest.mark.parametrize("body", ["1101051949123100", "abcdefghijklmnopq", "1101051949123100２"])
def test_gb11643_check_char_rejects_bad_body(body: str) -> None:
    with pytest.raises(ValueError, match="前 17 位"):
        gb11643_check_char(body)


def test_vectorised_check_chars_match_scalar() -> None:
    rng = np.random.default_rng(0)
    digits = rng.integers(0, 10, size=(2000, 17))
    vector = gb11643_check_chars(digits)
    scalar = ["".join(map(str, row)) for row in digits]
    assert list(vector) == [gb11643_check_char(s) for s in scalar]
    assert {"X"} <= set(vector)  # the 10 -> X branch is exercised


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),
        ("91350100m000100y43", True),  # case-insensitive
        ("91350100M000100Y44", False),
        ("91350100M000100Y4", False),
        ("91350100M000100I43", False),  # I is not in the GB 32100 alphabet
        ("", False),
    ],
)
def test_gb32100_valid(code: str, valid: bool) -> None:
    assert gb32100_valid(code) is valid


def test_gb32100_check_char_roundtrip() -> None:
    body = "91330100MA27XL0E6"
    assert gb32100_valid(body + gb32100_check_char(body))
    with pytest.raises(ValueError, match="非法字符"):
        gb32100_check_char("91330100MA27XL0EO")  # O is excluded


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("6222020200000000009", False),
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),  # spaces as printed on cards
        ("4111111111111112", False),
        ("6", False),
        ("62220202abc", False),
    ],
)
def test_luhn_valid(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


def test_luhn_check_digit_completes_number() -> None:
    for body in ("622202020000000000", "62284800000000000", "411111111111111"):
        assert luhn_valid(body + luhn_check_digit(body))
