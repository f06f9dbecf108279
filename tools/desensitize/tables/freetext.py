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


def free_text_arrow(
    column: pa.ChunkedArray, des: Desensitizer
) -> tuple[pa.Array, Counter[tuple[str, str]]]:
    """``apply_free_text`` for an Arrow column (see the module docstring)."""
    counts: Counter[tuple[str, str]] = Counter()
    cells = pc.drop_null(column).cast(pa.string()).combine_chunks()
    encoded = pc.dictionary_encode(cells)
    distinct = _Distinct(encoded.dictionary.to_pylist(), des)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    where: list[int] = []
    new: list[str] = []
    for lo in range(0, len(cells), TEXT_BATCH):
        batch = codes[lo : lo + TEXT_BATCH]
        hits = np.flatnonzero(distinct.hit[batch])
        if not hits.size:
            continue
        if all(distinct.known(int(c)) for c in np.unique(batch[hits])):
            for k in hits.tolist():
                text, found = distinct.result(int(batch[k]))
                counts.update(found)
                where.append(lo + k)
                new.append(text)
            continue
        for j, res in enumerate(des.text_many(cells.slice(lo, TEXT_BATCH).to_pylist())):
            counts.update((i.entity, i.operator) for i in res.items)
            where.append(lo + j)
            new.append(res.text)
    if where:
        mask = np.zeros(len(cells), dtype=bool)
        mask[where] = True
        cells = pc.replace_with_mask(cells, pa.array(mask), pa.array(new, type=pa.string()))
    valid = pc.is_valid(column)
    if isinstance(valid, pa.ChunkedArray):
        valid = valid.combine_chunks()
    return pc.replace_with_mask(pa.nulls(len(column), pa.string()), valid, cells), counts
