"""Format keyed digests as replacements: opaque tokens or realistic surrogates.

Every formatter takes an (n, 32) digest array and the n normalized originals and returns n
strings, so a column of a million IDs and a single ID in a sentence go through the same code.
Surrogates keep only what is not identifying on its own and what teaching needs: an ID's birth
year and sex digit (area, month, day and sequence are drawn), a card's bank BIN and length, a
plate's province and authority letter, a landline's area code. Check characters come from
``zhcodes`` so that surrogates validate like real numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from desensitize.keyed import as_uint
from desensitize.lexicon import load_lexicon
from desensitize.recognizers.vin import ALPHABET as VIN_ALPHABET
from desensitize.recognizers.vin import vin_check_char
from zhcodes import gb32100_check_char, load_divisions, luhn_check_digit

Digests = npt.NDArray[np.uint8]
Formatter = Callable[[Digests, list[str]], list[str]]
ArrowFormatter = Callable[[Digests, pa.StringArray], pa.StringArray]

TOKEN_LABELS: dict[str, str] = {
    "PERSON": "人员",
    "ID_CARD": "证件",
    "PHONE": "电话",
    "LANDLINE": "座机",
    "BANK_CARD": "账户",
    "USCC": "机构",
    "PLATE": "车牌",
    "PROPERTY_CERT": "权证",
    "PASSPORT": "护照",
    "EMAIL": "邮箱",
    "ONLINE_ID": "账号",
    "ADDRESS": "地址",
    "KEY": "编号",
    "VIN": "车架",
}
_B32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: cannot be misread
_MOBILE_PREFIXES = np.array(
    [130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158,
     159, 166, 170, 171, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188,
     189, 191, 198, 199]
)  # fmt: skip
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _digits(d: Digests, start: int, count: int) -> npt.NDArray[np.int64]:
    return (d[:, start : start + count].astype(np.int64)) % 10


def _join_digits(arr: npt.NDArray[np.int64]) -> list[str]:
    codes = (arr + 48).astype(np.uint8)
    width = codes.shape[1]
    return list(np.ascontiguousarray(codes).view(f"S{width}").ravel().astype(f"U{width}"))


_B32_CODES = np.frombuffer(_B32.encode(), dtype=np.uint8)


def token_arrow(entity: str, d: Digests) -> pa.StringArray:
    """Label + 8 base-32 characters (40 bits) per digest, written straight into one UTF-8
    buffer of fixed-width rows."""
    label = np.frombuffer(TOKEN_LABELS.get(entity, "标识").encode(), dtype=np.uint8)
    n = d.shape[0]
    rows = np.empty((n, label.size + 8), dtype=np.uint8)
    rows[:, : label.size] = label
    rows[:, label.size :] = _B32_CODES[(as_uint(d, 0, 5)[:, None] >> np.arange(35, -1, -5)) & 31]
    return ascii_strings(rows)


def token(entity: str) -> Formatter:
    def fmt(d: Digests, originals: list[str]) -> list[str]:
        return token_arrow(entity, d).to_pylist()

    return fmt


@lru_cache(maxsize=1)
def _county_digits() -> npt.NDArray[np.uint8]:
    """(m, 6) digits of every county code, for drawing a surrogate's area."""
    counties = sorted(str(c) for c in load_divisions().counties["code"])
    return np.frombuffer("".join(counties).encode(), dtype=np.uint8).reshape(-1, 6) - 48


def fixed_width_codes(values: pa.StringArray, width: int) -> npt.NDArray[np.int32]:
    """(n, width) code points; zero-copy from Arrow when every value is ``width`` ASCII bytes."""
    n = len(values)
    if n and values.null_count == 0:
        offs = np.frombuffer(values.buffers()[1], dtype=np.int32)[
            values.offset : values.offset + n + 1
        ]
        if (np.diff(offs) == width).all():
            data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
            return data[offs[0] : offs[-1]].reshape(n, width).astype(np.int32)
    arr = np.array(values.to_pylist(), dtype=f"U{width}")
    return arr.view(np.uint32).reshape(n, width).astype(np.int32)


def ascii_strings(codes: npt.NDArray[np.integer]) -> pa.StringArray:
    """Arrow strings from an (n, width) array of UTF-8 bytes (ASCII codes), without a loop."""
    n, width = codes.shape
    data = pa.py_buffer(np.ascontiguousarray(codes, dtype=np.uint8).tobytes())
    offsets = pa.py_buffer(np.arange(0, (n + 1) * width, width, dtype=np.int32).tobytes())
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, data])


_ID_CHECK_CODES = np.frombuffer(b"10X98765432", dtype=np.uint8)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHT_VECTOR = np.array(_ID_WEIGHTS, dtype=np.int32)


def surrogate_id_card_arrow(d: Digests, originals: pa.StringArray) -> pa.StringArray:
    """Area, month, day and two sequence digits are drawn; birth year and sex parity kept.

    Works on (n, 18) uint8 digit columns; the check character is the GB 11643 weighted sum,
    one matrix-vector product over the 17 body digits."""
    n = len(originals)
    counties = _county_digits()
    chars = fixed_width_codes(originals, 18) - 48
    is18 = chars[:, 15] >= 0
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, :6] = counties[as_uint(d, 0) % len(counties)]
    out[:, 6:10] = chars[:, 6:10]
    if not is18.all():
        out[~is18, 6:8] = [1, 9]
        out[~is18, 8:10] = chars[~is18, 6:8]
    month = d[:, 4] % 12 + 1
    day = d[:, 5] % 28 + 1
    out[:, 10], out[:, 11] = month // 10, month % 10
    out[:, 12], out[:, 13] = day // 10, day % 10
    out[:, 14], out[:, 15] = d[:, 6] % 10, d[:, 7] % 10
    sex = np.where(is18, chars[:, 16], chars[:, 14]) % 2
    out[:, 16] = (d[:, 8] % 5) * 2 + sex
    total = out[:, :17].astype(np.int32) @ _ID_WEIGHT_VECTOR
    out[:, :17] += 48
    out[:, 17] = _ID_CHECK_CODES[total % 11]
    long_ids = ascii_strings(out)
    if is18.all():
        return long_ids
    short_ids = ascii_strings(np.concatenate([out[:, :6], out[:, 8:17]], axis=1))
    return pc.if_else(pa.array(is18), long_ids, short_ids)


def surrogate_id_card(d: Digests, originals: list[str]) -> list[str]:
    return surrogate_id_card_arrow(d, pa.array(originals, type=pa.string())).to_pylist()


def surrogate_phone(d: Digests, originals: list[str]) -> list[str]:
    prefix = _MOBILE_PREFIXES[as_uint(d, 0, 2) % len(_MOBILE_PREFIXES)]
    rest = _digits(d, 2, 8)
    return [str(p) + r for p, r in zip(prefix, _join_digits(rest), strict=True)]


def surrogate_landline(d: Digests, originals: list[str]) -> list[str]:
    out = []
    for row, original in zip(_join_digits(_digits(d, 0, 8)), originals, strict=True):
        area = original[:3] if original[:3] in {"010"} or original[1] == "2" else original[:4]
        out.append(f"{area}-{(int(row[0]) % 8) + 2}{row[1:]}")
    return out


def surrogate_bank_card(d: Digests, originals: list[str]) -> list[str]:
    middles = _join_digits(_digits(d, 0, 19))
    out = []
    for original, middle in zip(originals, middles, strict=True):
        body = original[:6] + middle[: max(len(original) - 7, 0)]
        out.append(body + luhn_check_digit(body))
    return out


def surrogate_plate(d: Digests, originals: list[str]) -> list[str]:
    out = []
    for row, original in zip(d, originals, strict=True):
        tail = list(original[2:])
        for i, ch in enumerate(tail):
            if ch.isdigit():
                tail[i] = str(row[i] % 10)
            elif ch in _PLATE_LETTERS and not (len(tail) == 6 and ch in "DF" and i in (0, 5)):
                tail[i] = _PLATE_LETTERS[row[10 + i] % len(_PLATE_LETTERS)]
        out.append(original[:2] + "".join(tail))
    return out


def surrogate_vin(d: Digests, originals: list[str]) -> list[str]:
    """Maker (WMI, first three) and model year (tenth) kept; the vehicle descriptor and the
    serial are drawn, and the ninth character is the ISO 3779 check digit of the result."""
    out = []
    for row, original in zip(d, originals, strict=True):
        chars = list(original.upper())
        for i in (3, 4, 5, 6, 7, 10):
            chars[i] = VIN_ALPHABET[row[i] % len(VIN_ALPHABET)]
        for i in range(11, 17):
            chars[i] = str(row[i] % 10)
        out.append("".join(chars[:8]) + vin_check_char("".join(chars)) + "".join(chars[9:]))
    return out


def surrogate_uscc(d: Digests, originals: list[str]) -> list[str]:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    out = []
    for row, original in zip(d, originals, strict=True):
        body = original[:8] + "".join(alphabet[b % 31] for b in row[:9])
        out.append(body + gb32100_check_char(body))
    return out


@lru_cache(maxsize=1)
def _surname_table() -> tuple[list[str], npt.NDArray[np.float64]]:
    lex = load_lexicon()
    surnames = sorted(lex.surname_weights, key=lambda s: (-lex.surname_weights[s], s))
    return surnames, np.cumsum([lex.surname_weights[s] for s in surnames])


def surrogate_person(d: Digests, originals: list[str]) -> list[str]:
    lex = load_lexicon()
    surnames, cum = _surname_table()
    pick = np.searchsorted(cum, (as_uint(d, 0) / 2**32) * cum[-1], side="right")
    given = np.array(lex.given_name_chars)
    g1 = given[d[:, 4] % len(given)]
    g2 = given[d[:, 5] % len(given)]
    two = d[:, 6] % 4 != 0
    family = _surname_array()[np.minimum(pick, len(surnames) - 1)]
    return list(np.char.add(np.char.add(family, g1), np.where(two, g2, "")).tolist())


@lru_cache(maxsize=1)
def _surname_array() -> npt.NDArray[np.str_]:
    return np.array(_surname_table()[0])


@lru_cache(maxsize=1)
def _wide_given_chars() -> npt.NDArray[np.str_]:
    """The wide space's given-name characters, less those of the common space."""
    raw = yaml.safe_load(
        resources.files("desensitize")
        .joinpath("data/surrogate_names.yaml")
        .read_text(encoding="utf-8")
    )
    common = set(load_lexicon().given_name_chars)
    chars = dict.fromkeys(c for c in str(raw["given_name_chars"]) if not c.isspace())
    return np.array([c for c in chars if c not in common])


def surrogate_person_wide(d: Digests, originals: list[str]) -> list[str]:
    """Surname (by frequency) + two given-name characters over a wide character set: about
    320,000 given names per surname, so re-draws succeed even when a dataset holds nearly every
    common-space name (see ``operators.pseudonym``)."""
    surnames, cum = _surname_table()
    pick = np.minimum(
        np.searchsorted(cum, (as_uint(d, 0) / 2**32) * cum[-1], side="right"), len(surnames) - 1
    )
    given = _wide_given_chars()
    g1 = given[as_uint(d, 4, 3) % len(given)]
    g2 = given[as_uint(d, 7, 3) % len(given)]
    family = _surname_array()[pick]
    return list(np.char.add(np.char.add(family, g1), g2).tolist())


def embeds_original(entity: str, drawn: Sequence[str], forbidden: AbstractSet[str]) -> list[bool]:
    """Whether each surrogate name holds a real name of the run inside it (覃宇想 holds 覃宇):
    a search for the real name would find the surrogate. Only names need this; other
    surrogates have their original's length, and one equal to a real value is re-drawn anyway."""
    if entity != "PERSON" or not forbidden:
        return [False] * len(drawn)
    return [
        any(
            v[i:j] in forbidden
            for i in range(len(v) - 1)
            for j in range(i + 2, len(v) + 1)
            if j - i < len(v)
        )
        for v in drawn
    ]


def embeds_original_arrow(
    drawn: pa.StringArray, forbidden: pa.StringArray
) -> npt.NDArray[np.bool_]:
    """``embeds_original`` for a column of surrogate names: one Arrow pass per (start, end)
    window instead of a Python loop over every name (a release draws one per distinct name)."""
    n = len(drawn)
    held = np.zeros(n, dtype=bool)
    if n == 0 or len(forbidden) == 0:
        return held
    lengths = pc.utf8_length(drawn).to_numpy(zero_copy_only=False)
    longest = int(lengths.max())
    for i in range(longest - 1):
        for j in range(i + 2, longest + 1):
            fits = (lengths >= j) & (lengths > j - i)  # name[i:j] exists and is a proper part
            if not fits.any():
                continue
            window = pc.utf8_slice_codeunits(drawn, i, j)
            found = pc.is_in(window, value_set=forbidden).to_numpy(zero_copy_only=False)
            held |= fits & np.asarray(found, dtype=bool)
    return held


def _keep_prefix_digits(prefix_len: int) -> Formatter:
    def fmt(d: Digests, originals: list[str]) -> list[str]:
        out = []
        for row, original in zip(d, originals, strict=True):
            chars = list(original)
            for i in range(prefix_len, len(chars)):
                if chars[i].isdigit():
                    chars[i] = str(row[i % 32] % 10)
            out.append("".join(chars))
        return out

    return fmt


def surrogate_email(d: Digests, originals: list[str]) -> list[str]:
    label = len(TOKEN_LABELS["EMAIL"])
    return [f"user{t[label:].lower()}@example.com" for t in token("EMAIL")(d, originals)]


SURROGATES: dict[str, Formatter] = {
    "PERSON": surrogate_person,
    "ID_CARD": surrogate_id_card,
    "PHONE": surrogate_phone,
    "LANDLINE": surrogate_landline,
    "BANK_CARD": surrogate_bank_card,
    "PLATE": surrogate_plate,
    "USCC": surrogate_uscc,
    "PASSPORT": _keep_prefix_digits(1),
    "PROPERTY_CERT": _keep_prefix_digits(8),
    "EMAIL": surrogate_email,
    "VIN": surrogate_vin,
}


# Surrogate spaces used once the common space has had ``COMMON_ATTEMPTS`` draws for a value.
WIDE_SURROGATES: dict[str, Formatter] = {"PERSON": surrogate_person_wide}
COMMON_ATTEMPTS = 32


def format_arrow(
    entity: str, style: str, d: Digests, originals: pa.StringArray, attempt: int = 0
) -> pa.StringArray:
    """Column path: vectorized for IDs and tokens, per-value for the rarer entities."""
    if style != "surrogate" or entity not in SURROGATES:
        return token_arrow(entity, d)
    if entity == "ID_CARD":
        return surrogate_id_card_arrow(d, originals)
    fmt = formatter(entity, style, attempt)
    return pa.array(fmt(d, originals.to_pylist()), type=pa.string())


def has_wide_space(entity: str, style: str) -> bool:
    return style == "surrogate" and entity in WIDE_SURROGATES


def formatter(entity: str, style: str, attempt: int = 0) -> Formatter:
    """Surrogate when one exists for ``entity`` and ``style == "surrogate"``, else a token.

    Draws ``0 … COMMON_ATTEMPTS - 1`` use the common space (so every value that found a
    replacement there keeps it, byte for byte); later draws use the wide space if there is one."""
    if style == "surrogate" and entity in SURROGATES:
        if attempt >= COMMON_ATTEMPTS and entity in WIDE_SURROGATES:
            return WIDE_SURROGATES[entity]
        return SURROGATES[entity]
    return token(entity)
