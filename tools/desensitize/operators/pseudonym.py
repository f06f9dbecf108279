"""Keyed consistent pseudonyms (HMAC-SHA256): the same real value gets the same replacement in
every table, document and run under the same key; optionally a realistic surrogate.

Collisions (two real values drawing the same replacement, or a replacement equal to some real
value of the run) are re-drawn with the next attempt number; the book remembers every choice so
text and tables of one run agree.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from desensitize.keyed import digests, normalize_value
from desensitize.operators.base import Operator, OperatorContext
from desensitize.surrogates import format_arrow, formatter

MAX_ATTEMPTS = 12


class PseudonymParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    style: Literal["token", "surrogate"] = "token"


SMALL_BATCH = 256


def _assign_small(
    entity: str, style: str, values: list[str], ctx: OperatorContext, key: bytes
) -> list[str]:
    """Same replacements as ``_assign`` for a handful of values, without Arrow/pandas overhead."""
    used = ctx.used.setdefault((entity, style), set())
    forbidden = ctx.originals.get(entity, set())
    fmt = formatter(entity, style)
    result: dict[str, str] = {}
    pending = list(values)
    for attempt in range(MAX_ATTEMPTS):
        if not pending:
            break
        drawn = fmt(digests(key, entity, pending, attempt), pending)
        counts: dict[str, int] = {}
        for o in drawn:
            counts[o] = counts.get(o, 0) + 1
        retry = []
        for v, o in zip(pending, drawn, strict=True):
            if counts[o] > 1 or o in used or o in forbidden:
                retry.append(v)
            else:
                result[v] = o
                used.add(o)
        pending = retry
    if pending:
        raise RuntimeError(f"{entity} 的假名在 {MAX_ATTEMPTS} 次重抽后仍冲突")
    return [result[v] for v in values]


def _assign(
    entity: str, style: str, values: list[str], ctx: OperatorContext, key: bytes
) -> list[str]:
    """Replacements for distinct normalized ``values`` not yet in the book, collision-free."""
    if len(values) <= SMALL_BATCH:
        return _assign_small(entity, style, values, ctx, key)
    used = ctx.used.setdefault((entity, style), set())
    forbidden = ctx.originals.get(entity, set())
    taken = used | forbidden if forbidden else used
    out = pd.Series(np.empty(len(values), dtype=object))
    pending = np.arange(len(values))
    for attempt in range(MAX_ATTEMPTS):
        if pending.size == 0:
            break
        batch = [values[i] for i in pending] if attempt else values
        arr = pa.array(batch, type=pa.string())
        drawn = format_arrow(entity, style, digests(key, entity, batch, attempt), arr)
        series = drawn.to_pandas()
        clash = np.array(series.duplicated(keep=False).to_numpy(), dtype=bool)
        if taken:
            clash |= series.isin(taken).to_numpy()
        ok = ~clash
        out.iloc[pending[ok]] = series[ok].to_numpy()
        taken = taken | set(series[ok]) if attempt else taken
        pending = pending[clash]
    if pending.size:
        raise RuntimeError(f"{entity} 的假名在 {MAX_ATTEMPTS} 次重抽后仍冲突")
    result = [str(v) for v in out.tolist()]
    used.update(result)
    return result


class Pseudonym(Operator):
    name = "pseudonym"
    params_model = PseudonymParams

    def prepare(
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> None:
        assert isinstance(params, PseudonymParams)
        self.map_values(entity, values, params, ctx)

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, PseudonymParams)
        return self.map_values(entity, [value], params, ctx)[0]

    def operate_many(
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> list[str]:
        assert isinstance(params, PseudonymParams)
        return self.map_values(entity, values, params, ctx)

    def map_values(
        self, entity: str, values: list[str], params: PseudonymParams, ctx: OperatorContext
    ) -> list[str]:
        key = ctx.require_key(self.name)
        book = ctx.book.setdefault((entity, params.style), {})
        norm = [normalize_value(entity, v) for v in values]
        new = sorted({v for v in norm if v not in book})
        if new:
            book.update(zip(new, _assign(entity, params.style, new, ctx, key), strict=True))
        return [book[v] for v in norm]

    def map_column(
        self,
        entity: str,
        column: pa.ChunkedArray | pa.Array,
        params: PseudonymParams,
        ctx: OperatorContext,
    ) -> pa.Array:
        """Vectorized: hash each distinct value once, then take replacements back per row."""
        arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        arr = normalize_column(entity, pc.cast(arr, pa.string()))
        encoded = pc.dictionary_encode(arr)
        uniques = encoded.dictionary
        book = ctx.book.setdefault((entity, params.style), {})
        key = ctx.require_key(self.name)
        if book:
            known = pc.is_in(uniques, value_set=pa.array(list(book), type=pa.string()))
            new = pc.filter(uniques, pc.invert(known)).to_pylist()
        else:
            new = uniques.to_pylist()
        if new:
            book.update(zip(new, _assign(entity, params.style, new, ctx, key), strict=True))
        keys = pa.array(list(book), type=pa.string())
        values = pa.array(list(book.values()), type=pa.string())
        mapped = pc.take(values, pc.index_in(uniques, value_set=keys))
        return pc.take(mapped, encoded.indices)


def normalize_column(entity: str, arr: pa.Array) -> pa.Array:
    """Arrow version of ``keyed.normalize_value`` for the common column entities."""
    arr = pc.utf8_trim_whitespace(arr)
    if entity in {"ID_CARD", "USCC", "PASSPORT"}:
        return pc.replace_substring(pc.utf8_upper(arr), " ", "")
    if entity in {"PHONE", "BANK_CARD", "LANDLINE"} or (entity != "PERSON" and entity != "KEY"):
        return pa.array(
            [normalize_value(entity, v) if v is not None else None for v in arr.to_pylist()],
            type=pa.string(),
        )
    return arr


def forbid_originals(ctx: OperatorContext, entity: str, values: list[str]) -> None:
    """Register real values that no replacement may equal (e.g. all real names of a dataset)."""
    ctx.originals.setdefault(entity, set()).update(normalize_value(entity, v) for v in values)


__all__ = ["Pseudonym", "PseudonymParams", "forbid_originals", "np"]
