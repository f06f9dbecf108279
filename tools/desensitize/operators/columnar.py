"""Whole-column versions of the per-value steps of a pseudonym draw (docs/desensitize.md,
全国规模的发布): normalizing a column's values and formatting surrogate phones, bank cards,
plates and certificate numbers.

Why: ``keyed.normalize_value`` and the formatters of ``operators.surrogates`` run once per
value in Python. A national year holds about 10^8 identifiers, and these loops were most of
the release's time. Here the values whose result is certain without Python — the plain ones:
no foldable character, no whitespace at the edges, the characters the entity's rule expects —
are done with Arrow and numpy over the whole column; the rest (rare: full-width digits, stray
spaces, odd lengths) go through the per-value function itself. Results are equal value for
value (tests/desensitize/test_desensitize_columnar.py compares both on tricky inputs).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.keyed import as_uint, digests, normalize_value
from desensitize.normalize import FOLD_TABLE
from desensitize.operators.surrogates import (
    _MOBILE_PREFIXES,
    _PLATE_LETTERS,
    _keep_prefix_digits,
    ascii_strings,
    fixed_width_codes,
    format_arrow,
    surrogate_bank_card,
    surrogate_plate,
)

Digests = npt.NDArray[np.uint8]
ColumnFormatter = Callable[[Digests, pa.StringArray], pa.StringArray]
_Part = tuple[npt.NDArray[np.int64], pa.Array]  # row positions, the strings for those rows

# Characters ``str.isspace`` is true for (``str.strip`` removes them); a test checks the list
# against every code point.
PY_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _re2_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


_SPACE = _re2_class(PY_SPACE)
_EDGE_SPACE = f"^{_SPACE}|{_SPACE}$"
_FOLD_CHARS = "".join(chr(c) for c in sorted(FOLD_TABLE))
_FOLDABLE = _re2_class(_FOLD_CHARS)
_NOT_FOLDABLE = "[^" + _FOLDABLE[1:]
# entity → what a folded, stripped value may hold for the rest of its rule to be done in Arrow
# (``_finish``); other values of these entities go through ``normalize_value``
_PLAIN: dict[str, str] = {
    "PHONE": "^[0-9]*$",
    "BANK_CARD": "^[0-9]*$",
    "LANDLINE": "^[0-9]*$",
    "ID_CARD": "^[0-9A-Za-z]*$",
    "USCC": "^[0-9A-Za-z]*$",
    "PASSPORT": "^[0-9A-Za-z]*$",
    "VIN": "^[0-9A-Za-z]*$",
    "PLATE": "^[\\p{Han}0-9A-Z]*$",
    "EMAIL": "^[\\x00-\\x7f]*$",
}


def _fold_strip(values: pa.Array) -> pa.Array:
    """``value.translate(FOLD_TABLE).strip()`` of every value: each foldable character that
    occurs is replaced (folds are one code point to one, so order does not matter), then the
    characters ``str.isspace`` is true for are trimmed from both ends."""
    has = pc.fill_null(pc.match_substring_regex(values, _FOLDABLE), False)
    if pc.any(has).as_py():
        subset = values.filter(has)
        only = pc.replace_substring_regex(pc.unique(subset), _NOT_FOLDABLE, "")
        present = set("".join(v for v in pc.unique(only).to_pylist() if v))
        for ch in sorted(present):
            if FOLD_TABLE[ord(ch)] != ord(ch):
                subset = pc.replace_substring(subset, ch, chr(FOLD_TABLE[ord(ch)]))
        values = pc.replace_with_mask(values, has, subset)
    edges = pc.fill_null(pc.match_substring_regex(values, _EDGE_SPACE), False)
    if pc.any(edges).as_py():
        values = pc.if_else(edges, pc.utf8_trim(values, PY_SPACE), values)
    return values


def _finish(entity: str, values: pa.Array) -> pa.Array:
    """``normalize_value`` of folded and stripped values that hold only the characters the
    entity's rule expects (``_PLAIN``)."""
    if entity in {"ID_CARD", "USCC", "PASSPORT", "VIN"}:
        return pc.ascii_upper(values)
    if entity == "EMAIL":
        return pc.ascii_lower(values)
    if entity == "PHONE":
        long86 = pc.and_(pc.equal(pc.binary_length(values), 13), pc.starts_with(values, "86"))
        return pc.if_else(long86, pc.utf8_slice_codeunits(values, 2), values)
    return values


def normalize_array(entity: str, values: pa.Array) -> pa.Array:
    """``keyed.normalize_value`` of every value of a string array (nulls stay null)."""
    values = values.cast(pa.string()) if values.type != pa.string() else values
    folded = _fold_strip(values)
    rule = _PLAIN.get(entity)
    if rule is None:  # the rest of ``normalize_value`` leaves these entities as they are
        return folded
    plain = pc.fill_null(pc.match_substring_regex(folded, rule), True)
    out = _finish(entity, folded)
    if pc.all(plain).as_py():
        return out
    slow = pc.invert(plain)
    odd = values.filter(slow).to_pylist()
    fixed = pa.array([normalize_value(entity, v) for v in odd], type=pa.string())
    return pc.replace_with_mask(out, slow, fixed)


def _merge(n: int, parts: list[_Part]) -> pa.StringArray:
    """One array of ``n`` strings from (row positions, strings at those rows) parts."""
    if n == 0:
        return pa.array([], type=pa.string())
    rows = np.concatenate([p for p, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    values = pa.concat_arrays([a.cast(pa.string()) for _, a in parts]) if parts else None
    if values is None or len(rows) != n:
        raise ValueError("列格式化遗漏了部分取值")
    order = np.empty(n, dtype=np.int64)
    order[rows] = np.arange(n)
    return values.take(pa.array(order))


def _with_fallback(
    d: Digests,
    originals: pa.StringArray,
    fast: npt.NDArray[np.bool_],
    groups: Callable[[Digests, pa.StringArray, npt.NDArray[np.int64]], list[_Part]],
    slow: Callable[[Digests, list[str]], list[str]],
) -> pa.StringArray:
    """Fast rows by ``groups`` (vectorized), the others by the per-value formatter ``slow``."""
    n = len(originals)
    parts = groups(d, originals, np.flatnonzero(fast))
    rest = np.flatnonzero(~fast)
    if rest.size:
        values = originals.take(pa.array(rest)).to_pylist()
        parts.append((rest, pa.array(slow(d[rest], values), type=pa.string())))
    return _merge(n, parts)


def phone_column(d: Digests, originals: pa.StringArray) -> pa.StringArray:
    """``surrogates.surrogate_phone``: prefix from the first two bytes, eight drawn digits."""
    prefix = _MOBILE_PREFIXES[as_uint(d, 0, 2) % len(_MOBILE_PREFIXES)]
    out = np.empty((len(d), 11), dtype=np.uint8)
    out[:, 0], out[:, 1], out[:, 2] = prefix // 100, prefix // 10 % 10, prefix % 10
    out[:, 3:] = d[:, 2:10] % 10
    return ascii_strings(out + 48)


_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.uint8)  # 2d, less 9 past 9


def _luhn(body: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Luhn check digits of (m, k) digit rows (``zhcodes.luhn_check_digit``)."""
    k = body.shape[1]
    total = np.zeros(body.shape[0], dtype=np.uint16)
    for j in range(k):  # every other digit from the right, the last one first, is doubled
        total += _DOUBLED[body[:, j]] if (k - 1 - j) % 2 == 0 else body[:, j]
    return ((10 - total % 10) % 10).astype(np.uint8)


def _bank_groups(d: Digests, originals: pa.StringArray, rows: npt.NDArray[np.int64]) -> list[_Part]:
    lengths = pc.binary_length(originals).to_numpy(zero_copy_only=False)[rows]
    parts = []
    for width in np.unique(lengths).tolist():
        at = rows[lengths == width]
        codes = (fixed_width_codes(originals.take(pa.array(at)), width) - 48).astype(np.uint8)
        middle = d[at, : width - 7] % 10
        body = np.concatenate([codes[:, :6], middle], axis=1)
        digits = np.concatenate([body, _luhn(body)[:, None]], axis=1)
        parts.append((at, ascii_strings(digits + 48)))
    return parts


def bank_card_column(d: Digests, originals: pa.StringArray) -> pa.StringArray:
    """``surrogates.surrogate_bank_card``: the BIN kept, the middle drawn, a Luhn digit."""
    lengths = pc.binary_length(originals).to_numpy(zero_copy_only=False)
    digits = pc.match_substring_regex(originals, "^[0-9]*$").to_numpy(zero_copy_only=False)
    fast = np.asarray(digits, dtype=bool) & (lengths >= 7) & (lengths <= 26)
    return _with_fallback(d, originals, fast, _bank_groups, surrogate_bank_card)


_LETTER_CODES = np.frombuffer(_PLATE_LETTERS.encode(), dtype=np.uint8)
_IS_LETTER = np.zeros(256, dtype=bool)
_IS_LETTER[_LETTER_CODES] = True


def _plate_groups(
    d: Digests, originals: pa.StringArray, rows: npt.NDArray[np.int64]
) -> list[_Part]:
    subset = originals.take(pa.array(rows))
    tails = pc.utf8_slice_codeunits(subset, 2)
    heads = pc.utf8_slice_codeunits(subset, 0, 2)
    widths = pc.binary_length(tails).to_numpy(zero_copy_only=False)
    parts = []
    for width in np.unique(widths).tolist():
        sel = np.flatnonzero(widths == width)
        at = rows[sel]
        codes = fixed_width_codes(tails.take(pa.array(sel)), width).astype(np.uint8)
        rows_d = d[at]
        out = codes.copy()
        for j in range(width):
            ch = codes[:, j]
            digit = (ch >= 48) & (ch <= 57)
            letter = _IS_LETTER[ch]
            if width == 6 and j in (0, 5):
                letter &= (ch != ord("D")) & (ch != ord("F"))
            out[:, j] = np.where(digit, 48 + rows_d[:, j] % 10, out[:, j])
            drawn = _LETTER_CODES[rows_d[:, 10 + j] % len(_LETTER_CODES)]
            out[:, j] = np.where(letter, drawn, out[:, j])
        joined = pc.binary_join_element_wise(heads.take(pa.array(sel)), ascii_strings(out), "")
        parts.append((at, joined))
    return parts


def plate_column(d: Digests, originals: pa.StringArray) -> pa.StringArray:
    """``surrogates.surrogate_plate``: province and authority kept, the serial drawn."""
    tail_ok = pc.match_substring_regex(originals, "^(?s:..)[0-9A-Z]{1,22}$")
    fast = np.asarray(tail_ok.to_numpy(zero_copy_only=False), dtype=bool)
    return _with_fallback(d, originals, fast, _plate_groups, surrogate_plate)


SLICE = 1_000_000  # values per pass: the byte-level arrays below are 8 bytes per input byte


def _digits_after(prefix_len: int, d: Digests, values: pa.StringArray) -> pa.StringArray:
    """Every ASCII digit at character ``prefix_len`` or later replaced by ``d[i % 32] % 10``,
    on the UTF-8 bytes (a digit is one byte; the character index counts lead bytes)."""
    n = len(values)
    if values.offset:  # the buffers below are read from row 0
        values = values.take(pa.array(np.arange(n)))
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[: n + 1].astype(np.int64)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].copy()
    offsets -= offsets[0]
    lengths = np.diff(offsets)
    row = np.repeat(np.arange(n), lengths)
    lead = (data & 0xC0) != 0x80
    char = np.cumsum(lead) - 1
    chars_before = np.concatenate([[0], np.cumsum(pc.utf8_length(values).to_numpy())[:-1]])
    char -= chars_before[row]
    hit = (data >= 48) & (data <= 57) & (char >= prefix_len)
    data[hit] = 48 + d[row[hit], char[hit] % 32] % 10
    buffers = [None, pa.py_buffer(offsets.astype(np.int32).tobytes()), pa.py_buffer(data.tobytes())]
    return pa.Array.from_buffers(pa.string(), n, buffers)


def keep_prefix_column(prefix_len: int) -> ColumnFormatter:
    """``surrogates._keep_prefix_digits``: digits after the first ``prefix_len`` characters
    drawn. Values with characters other than ASCII and Han (where ``str.isdigit`` might hold
    for a non-ASCII digit) take the per-value path."""
    slow = _keep_prefix_digits(prefix_len)

    def groups(d: Digests, originals: pa.StringArray, rows: npt.NDArray[np.int64]) -> list[_Part]:
        parts = []
        for lo in range(0, len(rows), SLICE):
            at = rows[lo : lo + SLICE]
            parts.append((at, _digits_after(prefix_len, d[at], originals.take(pa.array(at)))))
        return parts

    def fmt(d: Digests, originals: pa.StringArray) -> pa.StringArray:
        plain = pc.match_substring_regex(originals, "^[\\x00-\\x7f\\p{Han}]*$")
        fast = np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)
        return _with_fallback(d, originals, fast, groups, slow)

    return fmt


COLUMN_SURROGATES: dict[str, ColumnFormatter] = {
    "PHONE": phone_column,
    "BANK_CARD": bank_card_column,
    "PLATE": plate_column,
    "PROPERTY_CERT": keep_prefix_column(8),
    "PASSPORT": keep_prefix_column(1),
}


def format_column(
    entity: str, style: str, d: Digests, originals: pa.StringArray, attempt: int = 0
) -> pa.StringArray:
    """``surrogates.format_arrow`` with the whole-column formatters above where there is one
    (these entities have no wide space, so the attempt does not change the formatter)."""
    column = COLUMN_SURROGATES.get(entity) if style == "surrogate" else None
    if column is None:
        return format_arrow(entity, style, d, originals, attempt)
    return column(d, originals)


DRAW_SLICE = 1_000_000  # values hashed and formatted together


def draw_column(
    key: bytes, entity: str, style: str, values: pa.StringArray, attempt: int
) -> pa.StringArray:
    """One draw for every value: keyed digests, formatted (``format_column``), a slice of
    values at a time. Each value's replacement depends on that value alone, so slicing changes
    nothing but the memory: 30 million digests are 1 GiB, and the formatters' temporaries
    several times that."""
    if len(values) <= DRAW_SLICE:
        return format_column(entity, style, digests(key, entity, values, attempt), values, attempt)
    parts = []
    for lo in range(0, len(values), DRAW_SLICE):
        part = values.slice(lo, DRAW_SLICE)
        parts.append(
            format_column(entity, style, digests(key, entity, part, attempt), part, attempt)
        )
    return pa.concat_arrays([p.cast(pa.string()) for p in parts])
