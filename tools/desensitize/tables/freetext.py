"""Free-text columns of a table in Arrow, without a Python object per cell
(docs/desensitize.md, 全国规模的发布).

``columns.apply_free_text`` replaces the cells ``TEXT_BATCH`` at a time with ``text_many``. A
national column holds 60 million short notes but a few dozen distinct values, so here:

- analysis is per text (``text.engine``): each distinct value is analyzed once, and a batch none
  of whose cells has a detection comes out of ``text_many`` unchanged, touching no operator
  state: it is skipped;
- a batch whose detections are all values the run has already replaced, by operators whose
  output depends on the value alone (a pseudonym already in the book, keep, redact, replace,
  mask), gives each cell the result that cell's value gives alone: that result is computed once
  per distinct value;
- any other batch (a value seen for the first time, whose pseudonym is drawn together with the
  other new values of its batch; ``surname_mou`` numbering per batch) is the same ``text_many``
  call on the same cells as before.

So the output, the counts and every pseudonym draw are those of ``apply_free_text``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.keyed import normalize_value
from desensitize.operators.pseudonym import PseudonymParams
from desensitize.tables.columns import TEXT_BATCH
from desensitize.text.desensitizer import Desensitizer
from desensitize.types import Span

VALUE_ONLY = {"keep", "redact", "replace", "mask"}  # output depends on the value alone


class _Distinct:
    """The distinct cell values of a column, their detections and cached results."""

    def __init__(self, values: list[str], des: Desensitizer) -> None:
        self.values = values
        self.des = des
        self.spans: list[list[Span]] = []
        for lo in range(0, len(values), TEXT_BATCH):
            self.spans += des.analyze_many(values[lo : lo + TEXT_BATCH])
        self.hit = np.array([bool(s) for s in self.spans], dtype=bool)
        self.results: dict[int, tuple[str, Counter[tuple[str, str]]]] = {}

    def known(self, code: int) -> bool:
        """Every detection of this value would be replaced without drawing anything."""
        text = self.values[code]
        for s in self.spans[code]:
            _op, params, name = self.des._operator(s.entity)
            if name in VALUE_ONLY:
                continue
            if name != "pseudonym" or not isinstance(params, PseudonymParams):
                return False
            book = self.des.context.book(s.entity, params.style)
            value = normalize_value(s.entity, text[s.start : s.end])
            if book.get_many([value])[0] is None:
                return False
        return True

    def result(self, code: int) -> tuple[str, Counter[tuple[str, str]]]:
        if code not in self.results:
            res = self.des.text_many([self.values[code]])[0]
            self.results[code] = (res.text, Counter((i.entity, i.operator) for i in res.items))
        return self.results[code]


def distinct_codes(column: pa.ChunkedArray) -> tuple[pa.Array, npt.NDArray[np.int32]]:
    """(distinct non-null values in order of first occurrence, the code of every non-null cell)
    — ``dictionary_encode`` of the non-null cells, chunk by chunk: a national column's text
    passes 2 GiB, past what one Arrow string array can hold."""
    cells = pc.drop_null(column) if column.null_count else column
    distinct = pc.unique(cells).cast(pa.string())
    parts = [
        pc.index_in(chunk, value_set=distinct).to_numpy(zero_copy_only=False).astype(np.int32)
        for chunk in cells.chunks
    ]
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return distinct, codes


OUT_SLICE = 1024 * 1024  # output rows per Arrow chunk


class _Output:
    """Where each non-null cell's released text comes from: its own value (code ``c``), the
    result of its value alone (``len(values) + c``) or a batch result (``2 * len(values) + i``)."""

    def __init__(self, codes: npt.NDArray[np.int32], n: int) -> None:
        self.n = n
        self.codes = codes.copy()
        self.batch: list[str] = []

    def from_batch(self, lo: int, texts: list[str]) -> None:
        first = 2 * self.n + len(self.batch)
        self.codes[lo : lo + len(texts)] = np.arange(first, first + len(texts), dtype=np.int32)
        self.batch += texts

    def column(self, column: pa.ChunkedArray, distinct: _Distinct) -> pa.ChunkedArray:
        """The released column, nulls where the input has them, one chunk per ``OUT_SLICE``."""
        alone = [distinct.results[c][0] if c in distinct.results else v
                 for c, v in enumerate(distinct.values)]  # fmt: skip
        table = pa.array([*distinct.values, *alone, *self.batch], type=pa.string())
        valid = pc.is_valid(column).to_numpy(zero_copy_only=False)
        full = np.full(len(column), -1, dtype=np.int32)
        full[valid] = self.codes
        chunks = []
        for lo in range(0, len(full), OUT_SLICE):
            part = full[lo : lo + OUT_SLICE]
            chunks.append(table.take(pa.array(part, mask=part < 0)))
        return pa.chunked_array(chunks, type=pa.string())


def free_text_arrow(
    column: pa.ChunkedArray, des: Desensitizer
) -> tuple[pa.ChunkedArray, Counter[tuple[str, str]]]:
    """``apply_free_text`` for an Arrow column (see the module docstring): the same batches of
    ``TEXT_BATCH`` non-null cells, decided on the cells' codes."""
    counts: Counter[tuple[str, str]] = Counter()
    values, codes = distinct_codes(column)
    distinct = _Distinct(values.to_pylist(), des)
    out = _Output(codes, len(distinct.values))
    for lo in range(0, len(codes), TEXT_BATCH):
        batch = codes[lo : lo + TEXT_BATCH]
        hits = np.flatnonzero(distinct.hit[batch])
        if not hits.size:
            continue
        seen, times = np.unique(batch[hits], return_counts=True)
        if all(distinct.known(int(c)) for c in seen):
            for c, m in zip(seen.tolist(), times.tolist(), strict=True):
                counts.update({k: v * m for k, v in distinct.result(c)[1].items()})
            out.codes[lo + hits] = out.n + batch[hits]
            continue
        results = des.text_many([distinct.values[c] for c in batch.tolist()])
        for res in results:
            counts.update((i.entity, i.operator) for i in res.items)
        out.from_batch(lo, [res.text for res in results])
    return out.column(column, distinct), counts
