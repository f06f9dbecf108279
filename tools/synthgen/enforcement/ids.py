"""Vectorised identifiers of the enforcement world: unified social credit codes (GB 32100, with
a GB 11714 organisation code inside), Luhn-valid bank card numbers, and sequential ids.

zhcodes holds the scalar reference checks; these functions compute the same check characters
for a million rows at once, and the tests compare both."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
# GB 11714 values letters by their place in the Latin alphabet (A = 10 … Z = 35)
_ORG_VALUE = np.array(
    [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in USCC_ALPHABET], dtype=np.int64
)
_CHARS = np.array(list(USCC_ALPHABET))


def seq_ids(prefix: str, n: int, width: int, start: int = 1) -> pa.Array:
    num = pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), num, "")


def _rows_to_strings(chars: npt.NDArray[np.str_]) -> pa.Array:
    width = chars.shape[1]
    joined = np.ascontiguousarray(chars.astype("<U1")).view(f"<U{width}").ravel()
    return pa.array(joined, type=pa.string())


def uscc_codes(rng: np.random.Generator, division: Ints) -> pa.Array:
    """'91' (market regulator, enterprise) + registration division + 9-character organisation
    code (8 characters and its GB 11714 check) + the GB 32100 check character."""
    n = division.size
    idx = np.zeros((n, 18), dtype=np.int64)
    idx[:, 0], idx[:, 1] = 9, 1
    rest = division.copy()
    for pos in range(7, 1, -1):
        rest, idx[:, pos] = np.divmod(rest, 10)
    digits_only = rng.random(n) < 0.7  # older codes are all digits
    body = rng.integers(0, len(USCC_ALPHABET), size=(n, 8))
    body = np.where(digits_only[:, None], body % 10, body)
    idx[:, 8:16] = body
    c9 = 11 - (_ORG_VALUE[body] * _ORG_WEIGHTS).sum(axis=1) % 11
    idx[:, 16] = np.where(c9 == 10, USCC_ALPHABET.index("X"), np.where(c9 == 11, 0, c9))
    s = (idx[:, :17] * _USCC_WEIGHTS).sum(axis=1)
    idx[:, 17] = (31 - s % 31) % 31
    return _rows_to_strings(_CHARS[idx])


def luhn_numbers(rng: np.random.Generator, bins: Ints, length: int) -> pa.Array:
    """Card numbers of ``length`` digits: 6-digit BIN, random account digits, Luhn check."""
    n = bins.size
    digits = np.zeros((n, length), dtype=np.int64)
    rest = bins.copy()
    for pos in range(5, -1, -1):
        rest, digits[:, pos] = np.divmod(rest, 10)
    digits[:, 6 : length - 1] = rng.integers(0, 10, size=(n, length - 7))
    body = digits[:, : length - 1]
    # double every second digit counting from the right of the body (the rightmost included)
    doubled = (np.arange(length - 1)[::-1] % 2) == 0
    vals = np.where(doubled, body * 2, body)
    vals = np.where(vals > 9, vals - 9, vals)
    digits[:, length - 1] = (10 - vals.sum(axis=1) % 10) % 10
    return _rows_to_strings(digits.astype(np.str_))


def digit_strings(rng: np.random.Generator, prefix: Ints, prefix_len: int, length: int) -> pa.Array:
    """Account numbers without a check digit (corporate accounts, payment accounts)."""
    n = prefix.size
    digits = np.zeros((n, length), dtype=np.int64)
    rest = prefix.copy()
    for pos in range(prefix_len - 1, -1, -1):
        rest, digits[:, pos] = np.divmod(rest, 10)
    digits[:, prefix_len:] = rng.integers(0, 10, size=(n, length - prefix_len))
    return _rows_to_strings(digits.astype(np.str_))
