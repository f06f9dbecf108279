"""The pseudonym book of one run: normalized real value → replacement, per (entity, style).

Text meets values a few at a time; a table column brings a million at once. The book keeps
the first kind in a dict and the second as Arrow arrays (a million-entry dict costs about a
second to build), and answers both kinds of question — "what replaces these?" and "is this
replacement taken?" — over both parts, so a value pseudonymized in a column is replaced the
same way in the text of the same run, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Book:
    small: dict[str, str] = field(default_factory=dict)
    keys: list[pa.Array] = field(default_factory=list)
    values: list[pa.Array] = field(default_factory=list)
    _index: pd.Index | None = None
    _taken: set[str] | None = None

    def __len__(self) -> int:
        return len(self.small) + sum(len(k) for k in self.keys)

    def add(self, keys: list[str], values: list[str]) -> None:
        self.small.update(zip(keys, values, strict=True))
        if self._taken is not None:
            self._taken.update(values)

    def add_arrays(self, keys: pa.Array, values: pa.Array) -> None:
        self.keys.append(keys)
        self.values.append(values)
        self._index = None
        if self._taken is not None:
            self._taken.update(values.to_pylist())

    def _bulk(self) -> tuple[pd.Index, pa.Array] | None:
        if not self.keys:
            return None
        if self._index is None:
            self._index = pd.Index(pa.chunked_array(self.keys).to_pandas())
        return self._index, pa.concat_arrays(self.values)

    def drop_index(self) -> None:
        """Forget the lookup index of the bulk keys (rebuilt on the next look-up)."""
        self._index = None

    def get_many(self, values: list[str]) -> list[str | None]:
        """Replacements of normalized ``values`` (None where the book has none yet)."""
        out: list[str | None] = [self.small.get(v) for v in values]
        bulk = self._bulk()
        if bulk is not None and None in out:
            index, replacements = bulk
            missing = [i for i, r in enumerate(out) if r is None]
            pos = index.get_indexer(pd.Index([values[i] for i in missing]))
            found = [(i, int(p)) for i, p in zip(missing, pos, strict=True) if p >= 0]
            if found:
                taken = replacements.take(pa.array([p for _, p in found])).to_pylist()
                for (i, _), r in zip(found, taken, strict=True):
                    out[i] = r
        return out

    def lookup_array(self, uniques: pa.Array) -> tuple[pa.Array, np.ndarray]:
        """(replacements with nulls where unknown, mask of unknown) for distinct ``uniques``."""
        n = len(uniques)
        result = pa.nulls(n, pa.string())
        known = np.zeros(n, dtype=bool)
        if self.small:
            keys = pa.array(list(self.small), type=pa.string())
            idx = pc.index_in(uniques, value_set=keys)
            hit = idx.is_valid().to_numpy(zero_copy_only=False)
            if hit.any():
                vals = pa.array(list(self.small.values()), type=pa.string())
                result = pc.if_else(pa.array(hit), vals.take(idx), result)
                known |= hit
        bulk = self._bulk()
        if bulk is not None:
            index, replacements = bulk
            pos = index.get_indexer(uniques.to_pandas())
            hit = (pos >= 0) & ~known
            if hit.any():
                got = replacements.take(pa.array(np.where(hit, pos, 0)))
                result = pc.if_else(pa.array(hit), got, result)
                known |= hit
        return result, ~known

    def taken(self) -> set[str]:
        """Every replacement issued so far (built once, then kept up to date)."""
        if self._taken is None:
            self._taken = set(self.small.values())
            for v in self.values:
                self._taken.update(v.to_pylist())
        return self._taken

    def taken_array(self) -> pa.Array | None:
        parts = [pa.array(list(self.small.values()), type=pa.string()), *self.values]
        parts = [p for p in parts if len(p)]
        return pa.concat_arrays(parts) if parts else None

    def produced(self) -> set[str]:
        return set(self.taken())
