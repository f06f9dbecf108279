"""Check characters of Chinese identifiers.

The scalar functions serve validation of single strings (tests, desensitize scoring); the
vectorised ``gb11643_check_chars`` serves bulk generation, where a Python loop over millions
of ID numbers would dominate the run time.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

# GB 11643-1999: weights 2^(17-i) mod 11, check = (12 - S mod 11) mod 11, 10 -> "X".
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = "10X98765432"  # indexed by S mod 11
_ID_RE = re.compile(r"^[0-9]{17}[0-9Xx]$")  # ASCII only: str.isdigit accepts full-width

# GB 32100-2015: 31-character alphabet without I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def gb11643_check_char(body17: str) -> str:
    """Check character for the first 17 digits of a resident ID number."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise ValueError(f"身份证号前 17 位必须是数字：{body17!r}")
    s = sum(int(d) * int(w) for d, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[s % 11]


def gb11643_check_chars(digits: npt.NDArray[np.integer]) -> npt.NDArray[np.str_]:
    """Vectorised check characters; ``digits`` is an (n, 17) integer array."""
    s = (np.asarray(digits, dtype=np.int64) @ _ID_WEIGHTS) % 11
    return np.array(list(_ID_CHECK))[s]


def gb11643_valid(id_number: str) -> bool:
    """True for an 18-character ID whose check character matches (lowercase x accepted)."""
    if not _ID_RE.match(id_number):
        return False
    return gb11643_check_char(id_number[:17]) == id_number[17].upper()


def gb32100_check_char(body17: str) -> str:
    """Check character of a unified social credit code (统一社会信用代码)."""
    if len(body17) != 17 or any(c not in _USCC_VALUE for c in body17):
        raise ValueError(f"统一社会信用代码前 17 位含非法字符：{body17!r}")
    s = sum(_USCC_VALUE[c] * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - s % 31) % 31]


def gb32100_valid(code: str) -> bool:
    """True for an 18-character USCC whose check character matches."""
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_VALUE for c in code):
        return False
    return gb32100_check_char(code[:17]) == code[17]


def luhn_check_digit(body: str) -> str:
    """Luhn check digit to append to ``body`` (bank card numbers)."""
    if not (body.isascii() and body.isdigit()):
        raise ValueError(f"卡号必须是数字：{body!r}")
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """True when the last digit of ``number`` is its Luhn check digit."""
    number = number.replace(" ", "")
    if len(number) < 2 or not (number.isascii() and number.isdigit()):
        return False
    return luhn_check_digit(number[:-1]) == number[-1]
