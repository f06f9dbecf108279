"""Whole-column normalizing and surrogate formatting (``operators.columnar``) give, value for
value, what the per-value functions give: on ordinary values (the vectorized path) and on odd
ones (full-width digits, stray spaces, unusual lengths, non-ASCII digits: the per-value path)."""

from __future__ import annotations

import re
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from desensitize.keyed import digests, normalize_value
from desensitize.operators import columnar
from desensitize.operators.columnar import (
    COLUMN_SURROGATES,
    PY_SPACE,
    draw_column,
    format_column,
    normalize_array,
)
from desensitize.operators.surrogates import SURROGATES, format_arrow

KEY = b"columnar-test-key-0123456789abcdef"

NORMALIZE_CASES: list[tuple[str, list[str | None]]] = [
    ("PHONE", ["13812345678", "8613812345678", "86138123456789", "138 1234 5678",
               "１３８１２３４５６７８", " 13812345678", "+86-138-1234-5678", "", None,
               "8612345678901", "861234"]),
    ("BANK_CARD", ["6222021234567890123", "6222 0212 3456 7890", "６２２２", "62-22", "", None]),
    ("LANDLINE", ["01012345678", "010-12345678", "（010）12345678", "0755 1234567"]),
    ("ID_CARD", ["11010119900307123x", "11010119900307123X", "110101 19900307123X", "１１０１０１",
                 "\u300011010119900307123X", "110101199003071234\u2003", "ß11", ""]),
    ("PASSPORT", ["e12345678", "E12345678", "Ｅ12345678", "E 1234"]),
    ("VIN", ["lsvaa4182e2123456", "LSVAA4182E2123456"]),
    ("USCC", ["91110000100000000a", "91110000100000000A"]),
    ("PLATE", ["京A12345", "京a12345", "京A·12345", "京A 12345", "京A・12345", "粤BD12345", "Ωa1"]),
    ("EMAIL", ["Zhang.San@Example.COM", "ＡＢ@example.com", "İx@a.cn", " a@b.cn "]),
    ("PROPERTY_CERT", ["京(2023)朝阳区不动产权第0012345号", "京（2023）朝阳区不动产权第0012345号",
                       " 京(2023)\t", "\x1c京", "京\x85"]),
    ("ADDRESS", ["北京市朝阳区建国路1号", "北京市朝阳区 建国路１号", "\u2028北京", "\u3000 ",
                 "　北京市－朝阳区・建国路１０号（东）　", None, "·北京·", "Ｂ座\x85"]),
    ("PERSON", ["张三", " 张三 ", "张\u3000三"]),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "values"), NORMALIZE_CASES)
def test_normalize_array_is_normalize_value(entity: str, values: list[str | None]) -> None:
    got = normalize_array(entity, pa.array(values, type=pa.string())).to_pylist()
    want = [None if v is None else normalize_value(entity, v) for v in values]
    assert got == want


def test_space_list_is_what_str_strip_removes() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert sorted(PY_SPACE) == every


def test_no_han_character_is_a_digit() -> None:
    """The certificate formatter treats ASCII and Han values on the byte path, where only
    ASCII digits are digits: no character RE2 calls Han may be one for ``str.isdigit``."""
    chars = [chr(c) for c in range(0x2E80, 0x32000) if not 0xD800 <= c < 0xE000]
    han = pc.match_substring_regex(pa.array(chars), "^\\p{Han}$").to_pylist()
    assert not [c for c, h in zip(chars, han, strict=True) if h and c.isdigit()]
    assert sum(han) > 80_000  # the class is the large one, not empty


def _random_cards(rng: np.random.Generator, n: int) -> list[str]:
    lengths = rng.choice([7, 12, 16, 19, 26], size=n)
    return ["".join(map(str, rng.integers(0, 10, size=k))) for k in lengths]


FORMAT_CASES: list[tuple[str, list[str]]] = [
    ("PHONE", ["13812345678", "15900000000", "", "1"]),
    ("BANK_CARD", ["6222021234567890123", "622202123456", "6222021", "622202", "1",
                   "62220212345678901234567890", "622202123456789012345678901"]),
    ("PLATE", ["京A12345", "京AD1234", "粤BD1234F", "沪A1234D", "京AIO123", "京A", "京", "京AB-123",
               "京A1234567890123456789012", "京A12345678901234567890123", "京a12345"]),
    ("PROPERTY_CERT", ["京(2023)朝阳区不动产权第0012345号", "京(2023)朝阳", "12345678901",
                       "京(2023)朝阳区第٣٤号", "X" * 40 + "123", "😀(2023)12345678", ""]),
    ("PASSPORT", ["E12345678", "G1234", "E", "E１２３", "EE٣"]),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "originals"), FORMAT_CASES)
def test_column_formatter_is_per_value_formatter(entity: str, originals: list[str]) -> None:
    arr = pa.array(originals, type=pa.string())
    for attempt in (0, 3):
        d = digests(KEY, entity, arr, attempt)
        assert COLUMN_SURROGATES[entity](d, arr).to_pylist() == SURROGATES[entity](d, originals)


@pytest.mark.parametrize("entity", sorted(COLUMN_SURROGATES))
def test_no_values_give_no_replacements(entity: str) -> None:
    empty = pa.array([], type=pa.string())
    d = np.zeros((0, 32), dtype=np.uint8)
    assert COLUMN_SURROGATES[entity](d, empty).to_pylist() == []
    assert normalize_array(entity, empty).to_pylist() == []


@pytest.mark.parametrize("entity", sorted(COLUMN_SURROGATES))
def test_bulk_column_matches_format_arrow(entity: str) -> None:
    """Many values with the digests DuckDB computes (the bulk path of ``keyed.digests``)."""
    rng = np.random.default_rng(7)
    samples = {
        "PHONE": [f"1{n:010d}" for n in rng.integers(0, 10**10, size=60_000)],
        "BANK_CARD": _random_cards(rng, 60_000),
        "PLATE": [f"京{'ABCDEFGHJKLMN'[n % 13]}{n:05d}"[:7] for n in range(60_000)],
        "PROPERTY_CERT": [f"京({2000 + n % 24})朝阳区不动产权第{n:07d}号" for n in range(60_000)],
        "PASSPORT": [f"E{n:08d}" for n in range(60_000)],
    }
    arr = pa.array(samples[entity], type=pa.string())
    d = digests(KEY, entity, arr, 0)
    got = format_column(entity, "surrogate", d, arr)
    assert got.equals(format_arrow(entity, "surrogate", d, arr))


@pytest.mark.parametrize(
    ("entity", "style"), [("PHONE", "token"), ("PERSON", "surrogate"), ("ID_CARD", "surrogate")]
)
def test_other_entities_and_tokens_are_format_arrow(entity: str, style: str) -> None:
    originals = ["13812345678", "11010119900307123X", "张三"]
    arr = pa.array(originals, type=pa.string())
    d = digests(KEY, entity, arr, 0)
    if entity == "ID_CARD":
        arr = pa.array(["11010119900307123X"] * 3, type=pa.string())
    got = format_column(entity, style, d, arr).to_pylist()
    assert got == format_arrow(entity, style, d, arr).to_pylist()
    assert all(isinstance(v, str) and not re.search(r"\s", v) for v in got)


@pytest.mark.parametrize(
    ("entity", "originals"),
    [
        ("PERSON", [f"{s}{g}" for s in "王李张刘陈" for g in ("伟", "芳", "建国", "秀英")]),
        ("ID_CARD", [f"11010119900307{n:03d}X" for n in range(23)]),
        ("BANK_CARD", [f"62220212345678{n:05d}" for n in range(23)]),
        ("PLATE", [f"京A{n:05d}" for n in range(23)]),
    ],
)
def test_drawing_in_slices_is_drawing_at_once(
    entity: str, originals: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    arr = pa.array(originals, type=pa.string())
    whole = format_column(entity, "surrogate", digests(KEY, entity, arr, 2), arr, 2)
    monkeypatch.setattr(columnar, "DRAW_SLICE", 7)
    assert draw_column(KEY, entity, "surrogate", arr, 2).equals(whole)
    assert draw_column(KEY, entity, "surrogate", arr.slice(5), 2).equals(whole.slice(5))
