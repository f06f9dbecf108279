"""Column work that never concatenates a column's chunks (a national text column passes the
2 GiB one Arrow string array can hold): the results are those of the whole-array operations."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from desensitize import load_policy
from desensitize.tables.arrowscan import take_rows, validate_arrow
from desensitize.tables.columns import FREE_TEXT, apply_free_text
from desensitize.tables.freetext import distinct_codes, free_text_arrow
from desensitize.text.desensitizer import Desensitizer

KEY = b"chunked-test-key-0123456789abcdef"


def _chunked(values: list[str | None], cuts: list[int]) -> pa.ChunkedArray:
    arr = pa.array(values, type=pa.string())
    bounds = [0, *cuts, len(values)]
    return pa.chunked_array([arr.slice(a, b - a) for a, b in pairwise(bounds)])


@pytest.mark.parametrize(
    ("rows", "cuts"),
    [
        ([0, 5, 9, 3, 3], [4]),  # repeats and out of order across two chunks
        ([9], [2, 2, 7]),  # an empty chunk on the way
        ([], [5]),  # nothing taken
        (list(range(10)), []),  # one chunk, everything
    ],
)
def test_take_rows_is_take(rows: list[int], cuts: list[int]) -> None:
    values = [f"v{i}" for i in range(10)]
    got = take_rows(_chunked(values, cuts), np.array(rows, dtype=np.int64))
    assert got.to_pylist() == [values[r] for r in rows]


def test_distinct_codes_is_dictionary_encode_of_non_null_cells() -> None:
    values = ["b", None, "a", "b", None, "c", "a", "a"]
    distinct, codes = distinct_codes(_chunked(values, [3, 5]))
    encoded = pa.array([v for v in values if v is not None]).dictionary_encode()
    assert distinct.to_pylist() == encoded.dictionary.to_pylist()
    assert codes.tolist() == encoded.indices.to_pylist()


def test_validate_counts_matches_over_every_chunk() -> None:
    ids = ["11010119900307123X"] * 6 + ["not an id", None, " 110101199003071234 "]
    one = validate_arrow(pa.chunked_array([pa.array(ids)]), "ID_CARD")
    assert validate_arrow(_chunked(ids, [2, 7]), "ID_CARD") == one
    assert validate_arrow(_chunked(["x"] * 5 + ids[:2], [3]), "ID_CARD") == FREE_TEXT


def _notes(n: int) -> list[str | None]:
    names = ["李晓梅", "王建国", "欧阳娜娜", "黄建平"]
    out: list[str | None] = []
    for i in range(n):
        if i % 13 == 0:
            out.append(None)
        elif i % 7 == 0:
            out.append(f"被执行人{names[i % 4]}未到庭")
        elif i > 9_000 and i % 11 == 0:
            out.append(f"申请执行人{names[(i // 11) % 4]}提交财产线索，电话13812345678")
        else:
            out.append("已向申请执行人送达执行通知书及财产报告令")
    return out


@pytest.mark.parametrize("cuts", [[], [4_999, 5_001, 11_000], [1, 2, 3]])
def test_free_text_over_chunks_is_apply_free_text(cuts: list[int]) -> None:
    notes = _notes(12_000)
    policy = load_policy("teaching")
    old_des, new_des = Desensitizer(policy, key=KEY), Desensitizer(policy, key=KEY)
    want, want_counts = apply_free_text(pd.Series(notes, dtype=object), old_des)
    got, counts = free_text_arrow(_chunked(notes, cuts), new_des)
    assert got.to_pylist() == [None if pd.isna(v) else v for v in want.tolist()]
    assert counts == want_counts
    assert sum(counts.values()) > 1_000  # names and phones were replaced
