"""Keyed consistent pseudonyms (HMAC-SHA256): the same real value gets the same replacement in
every table, document and run under the same key; optionally a realistic surrogate.

Collisions (two real values drawing the same replacement, or a replacement equal to some real
value of the run) are re-drawn with the next attempt number; the book remembers every choice so
text and tables of one run agree.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from desensitize.errors import DesensitizeError
from desensitize.keyed import digests, normalize_value
from desensitize.operators.base import Operator, OperatorContext
from desensitize.operators.book import Book
from desensitize.operators.columnar import draw_column, normalize_array
from desensitize.operators.surrogates import (
    COMMON_ATTEMPTS,
    embeds_original,
    embeds_original_arrow,
    formatter,
    has_wide_space,
)

# A name draw clashes often (surname + one character): ~0.4 per attempt in the common space;
# after ``COMMON_ATTEMPTS`` draws the wide space takes over (see ``operators.surrogates``).
MAX_ATTEMPTS = COMMON_ATTEMPTS + 32
HOPELESS = 10.0
SMALL_BATCH = 256


def next_attempt(entity: str, style: str, attempt: int, tried: int, left: int) -> int:
    """The draw after ``attempt``, which placed ``tried - left`` of ``tried`` values.

    Normally ``attempt + 1``. When the common space is hopeless (at this draw's acceptance
    rate, more than ``HOPELESS`` values would still be unplaced after its remaining draws, so a
    run restricted to it would fail), skip straight to the wide space: a national-scale name
    set would otherwise spend 32 futile draws on every name. The jump happens only when the
    common space would almost surely fail, so runs it can finish keep their replacements."""
    nxt = attempt + 1
    if nxt >= COMMON_ATTEMPTS or not left or not has_wide_space(entity, style):
        return nxt
    miss = left / tried
    return COMMON_ATTEMPTS if left * miss ** (COMMON_ATTEMPTS - nxt) > HOPELESS else nxt


class PseudonymExhausted(DesensitizeError):
    """No collision-free replacement within ``MAX_ATTEMPTS`` draws (message in Chinese): the
    release stops instead of emitting a replacement that equals or holds a real value."""


def _exhausted(entity: str, pending: int) -> PseudonymExhausted:
    return PseudonymExhausted(
        f"{entity} 的假名在 {MAX_ATTEMPTS} 次重抽后仍有 {pending} 个与真实值冲突"
        "（常用姓名空间与宽姓名空间都已抽尽，真实值过于密集）；"
        "请改用 token 样式（style: token）或缩小数据范围"
    )


class PseudonymParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    style: Literal["token", "surrogate"] = "token"


def _assign_small(
    entity: str, style: str, values: list[str], ctx: OperatorContext, key: bytes, book: Book
) -> list[str]:
    """Same replacements as ``_assign_arrow`` for a handful of values, without Arrow."""
    used = book.taken()
    forbidden = ctx.originals.get(entity, set())
    bulk = ctx.bulk_originals.get(entity, [])
    result: dict[str, str] = {}
    accepted: set[str] = set()
    pending = list(values)
    attempt = 0
    while attempt < MAX_ATTEMPTS and pending:
        fmt = formatter(entity, style, attempt)
        drawn = fmt(digests(key, entity, pending, attempt), pending)
        counts: dict[str, int] = {}
        for o in drawn:
            counts[o] = counts.get(o, 0) + 1
        retry = []
        inside = embeds_original(entity, drawn, forbidden)
        real = _among_any(pa.array(drawn, type=pa.string()), bulk)
        for v, o, held, hit in zip(pending, drawn, inside, real, strict=True):
            if held or hit or counts[o] > 1 or o in used or o in accepted or o in forbidden:
                retry.append(v)
            else:
                result[v] = o
                accepted.add(o)
        attempt = next_attempt(entity, style, attempt, len(pending), len(retry))
        pending = retry
    if pending:
        raise _exhausted(entity, len(pending))
    return [result[v] for v in values]


def _among(drawn: pa.Array, taken: pa.Array | None) -> npt.NDArray[np.bool_]:
    """Which of ``drawn`` occur in ``taken``; hashes the smaller side (retries are small)."""
    if taken is None or len(taken) == 0:
        return np.zeros(len(drawn), dtype=bool)
    if len(drawn) * 8 < len(taken):
        hits = set(taken.filter(pc.is_in(taken, value_set=drawn)).to_pylist())
        return np.array([v in hits for v in drawn.to_pylist()], dtype=bool)
    return np.asarray(pc.is_in(drawn, value_set=taken).to_numpy(zero_copy_only=False), dtype=bool)


def _among_any(drawn: pa.Array, parts: list[pa.Array]) -> npt.NDArray[np.bool_]:
    """``_among`` over several arrays without concatenating them (a national run's real values
    and issued pseudonyms are GiBs: a concatenated copy each draw doubles them)."""
    found = np.zeros(len(drawn), dtype=bool)
    for part in parts:
        found |= _among(drawn, part)
    return found


def _assign_arrow(
    entity: str, style: str, values: pa.Array, ctx: OperatorContext, key: bytes, book: Book
) -> pa.Array:
    """Collision-free replacements for distinct normalized ``values``, column-wise: hash,
    format, find duplicates by dictionary codes and clashes with issued pseudonyms or real
    values by hash sets; only the (rare) clashing values are drawn again."""
    forbidden = ctx.originals.get(entity)
    forbidden_arr = pa.array(sorted(forbidden or ()), type=pa.string())
    parts = [book.taken_array(), forbidden_arr, *ctx.bulk_originals.get(entity, [])]
    taken = [p for p in parts if p is not None and len(p)]
    first: pa.Array | None = None
    fixed: dict[int, str] = {}
    pending = np.arange(len(values))
    attempt = 0
    while attempt < MAX_ATTEMPTS and pending.size:
        batch = values if attempt == 0 else values.take(pa.array(pending))
        drawn = draw_column(key, entity, style, batch, attempt)
        codes = pc.dictionary_encode(drawn).indices.to_numpy(zero_copy_only=False)
        clash = np.bincount(codes)[codes] > 1
        clash |= _among_any(drawn, taken)
        if entity == "PERSON" and forbidden:
            clash |= embeds_original_arrow(drawn, forbidden_arr)
        ok = pa.array(~clash)
        if attempt == 0:
            first = drawn
        else:
            fixed.update(zip(pending[~clash].tolist(), drawn.filter(ok).to_pylist(), strict=True))
        taken.append(drawn.filter(ok))
        attempt = next_attempt(entity, style, attempt, pending.size, int(clash.sum()))
        pending = pending[clash]
    if pending.size:
        raise _exhausted(entity, int(pending.size))
    assert first is not None
    if not fixed:
        return first
    mask = np.zeros(len(values), dtype=bool)
    order = sorted(fixed)
    mask[order] = True
    return pc.replace_with_mask(first, pa.array(mask), pa.array([fixed[i] for i in order]))


def _assign(
    entity: str, style: str, values: list[str], ctx: OperatorContext, key: bytes, book: Book
) -> list[str]:
    if len(values) <= SMALL_BATCH:
        return _assign_small(entity, style, values, ctx, key, book)
    arr = pa.array(values, type=pa.string())
    return [str(v) for v in _assign_arrow(entity, style, arr, ctx, key, book).to_pylist()]


class Pseudonym(Operator):
    name = "pseudonym"
    params_model = PseudonymParams
    operate_many_prepares = True

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
        book = ctx.book(entity, params.style)
        norm = [normalize_value(entity, v) for v in values]
        distinct = list(dict.fromkeys(norm))
        known = dict(zip(distinct, book.get_many(distinct), strict=True))
        new = sorted(v for v, r in known.items() if r is None)
        if new:
            replacements = _assign(entity, params.style, new, ctx, key, book)
            book.add(new, replacements)
            known.update(zip(new, replacements, strict=True))
        return [str(known[v]) for v in norm]

    def map_column(
        self,
        entity: str,
        column: pa.ChunkedArray | pa.Array,
        params: PseudonymParams,
        ctx: OperatorContext,
    ) -> pa.Array:
        """Vectorized: factorize, hash each distinct value once, take replacements back by code."""
        arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        arr = normalize_column(entity, pc.cast(arr, pa.string()))
        encoded = pc.dictionary_encode(arr)
        uniques = encoded.dictionary
        book = ctx.book(entity, params.style)
        key = ctx.require_key(self.name)
        if len(book):
            mapped, unknown = book.lookup_array(uniques)
        else:
            mapped, unknown = None, np.ones(len(uniques), dtype=bool)
        if unknown.any():
            new = uniques if unknown.all() else uniques.filter(pa.array(unknown))
            replacements = _assign_arrow(entity, params.style, new, ctx, key, book)
            book.add_arrays(new, replacements)
            if mapped is None or unknown.all():
                mapped = replacements
            else:
                mapped = pc.replace_with_mask(mapped, pa.array(unknown), replacements)
        assert mapped is not None
        return pc.take(mapped, encoded.indices)


def normalize_column(entity: str, arr: pa.Array) -> pa.Array:
    """Arrow version of ``keyed.normalize_value`` for the common column entities."""
    arr = pc.utf8_trim_whitespace(arr)
    if entity in {"ID_CARD", "USCC", "PASSPORT", "VIN"}:
        arr = pc.utf8_upper(arr)
        inner_space = pc.any(pc.match_substring(arr, " ")).as_py()
        return pc.replace_substring(arr, " ", "") if inner_space else arr
    if entity in {"PHONE", "BANK_CARD", "LANDLINE"} or (entity != "PERSON" and entity != "KEY"):
        return normalize_array(entity, arr)  # ``normalize_value`` of each value
    return arr


def forbid_originals(ctx: OperatorContext, entity: str, values: list[str]) -> None:
    """Register real values that no replacement may equal (e.g. all real names of a dataset)."""
    ctx.originals.setdefault(entity, set()).update(normalize_value(entity, v) for v in values)


NORMALIZE_SLICE = 1_000_000


def forbid_bulk(ctx: OperatorContext, entity: str, values: pa.Array) -> None:
    """``forbid_originals`` for the distinct values of a whole column, kept as one Arrow array
    (a national persons table holds 28 million ID numbers: as a Python set, 3 GiB). Values are
    normalized as ``normalize_value`` does (``columnar.normalize_array``), a slice at a time, so
    the set is the same."""
    parts = [
        normalize_array(entity, values.slice(lo, NORMALIZE_SLICE))
        for lo in range(0, len(values), NORMALIZE_SLICE)
    ]
    if parts:
        normalized = pc.unique(pa.concat_arrays(parts))
        # already normalized (ID numbers, phones as digits): share the caller's buffers
        same = normalized.type == values.type and normalized.equals(values)
        ctx.bulk_originals.setdefault(entity, []).append(values if same else normalized)


__all__ = [
    "Pseudonym",
    "PseudonymExhausted",
    "PseudonymParams",
    "forbid_bulk",
    "forbid_originals",
]
