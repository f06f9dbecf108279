"""Release checks (GB/T 37964 验证): residual scan, originals absent, key absent, and
re-identification risk on the declared quasi-identifiers. Failures are collected, not raised, so
the refusal message lists every reason at once."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.divisions import division_names
from desensitize.policy import Policy
from desensitize.recognizers.base import SEP, Doc
from desensitize.recognizers.person_name import ends_common_word
from desensitize.release.parties import is_common_word
from desensitize.release.record import Release
from desensitize.release.risk import measure
from desensitize.tables.columns import FREE_TEXT, KEY
from desensitize.tables.freetext import distinct_codes
from desensitize.text.desensitizer import Desensitizer
from desensitize.trie import trie_regex
from desensitize.types import Span

BATCH = 2000  # documents analyzed together by the residual scan


def _string_cells(frames: dict[str, pd.DataFrame]) -> list[tuple[str, str, pd.Series]]:
    cells = []
    for name, df in frames.items():
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                cells.append((name, str(col), df[col].dropna().astype(str)))
    return cells


class TableCells(Protocol):
    """The released tables as the checks read them: frames in memory, or the written files
    (``release.filechecks``) when the dataset is too large to hold."""

    def free_text(self, release: Release) -> Iterator[tuple[str, str, pa.ChunkedArray]]:
        """(table, column, the released column with its nulls) of every free-text column."""
        ...

    def leaks(self, release: Release, inputs: CheckInputs) -> list[str]:
        """``表.列（n 处）`` for every column holding an original value."""
        ...

    def key_hits(self, secret: str) -> list[str]:
        """``表.列`` for every column with a cell containing ``secret``."""
        ...

    def frame(self, table: str, columns: list[str]) -> pd.DataFrame | None:
        """These columns of a released table (None when there is no such table)."""
        ...


def _processed(release: Release, table: str, col: str) -> bool:
    plan = {p.column: p for p in release.tables[table]}.get(col)
    return plan is not None and plan.entity not in (None, KEY)


class FrameCells:
    """Released tables held as pandas frames."""

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = frames

    def free_text(self, release: Release) -> Iterator[tuple[str, str, pa.ChunkedArray]]:
        for name, col, _values in _string_cells(self.frames):
            plan = {p.column: p for p in release.tables[name]}.get(col)
            if plan is not None and plan.entity == FREE_TEXT:
                series = self.frames[name][col]
                cells = series.astype(str).where(series.notna(), None).to_numpy(dtype=object)
                yield name, col, pa.chunked_array([pa.array(cells, pa.string(), from_pandas=True)])

    def leaks(self, release: Release, inputs: CheckInputs) -> list[str]:
        identifiers, names = inputs.originals["OTHER"], inputs.originals["PERSON"]
        ids = pa.array(sorted(identifiers), type=pa.string())
        both = pa.array(sorted(identifiers | names), type=pa.string())
        hits = []
        for table, col, cells in _string_cells(self.frames):
            arr = pa.array(cells.to_numpy(dtype=object), type=pa.string())
            value_set = both if _processed(release, table, col) else ids
            n = pc.sum(pc.is_in(arr, value_set=value_set)).as_py() or 0
            if n:
                hits.append(f"{table}.{col}（{n} 处）")
        return hits

    def key_hits(self, secret: str) -> list[str]:
        return [
            f"{n}.{c}"
            for n, c, v in _string_cells(self.frames)
            if v.str.contains(secret, regex=False).any()
        ]

    def frame(self, table: str, columns: list[str]) -> pd.DataFrame | None:
        return self.frames.get(table)


@dataclass
class CheckInputs:
    """What the release checks read: the released tables and documents, the engine that found
    identifiers, and the originals and surrogates of this run."""

    tables: TableCells
    texts: dict[str, str]
    des: Desensitizer
    produced: set[str]
    originals: dict[str, set[str]]
    key: bytes
    qi_map: dict[str, list[str]]
    sensitive: dict[str, str]
    # document → names of its case's parties that are common words; None: no case linkage
    parties: dict[str, frozenset[str]] | None = None
    # the surrogates as Arrow arrays when ``produced`` was not built (a national release
    # issues ~10^8: free-text columns are then checked against them by ``_present``)
    produced_arrays: list[pa.Array] | None = None


def run_checks(release: Release, inputs: CheckInputs, policy: Policy) -> None:
    """Every check a release must pass; failures are recorded on ``release``."""
    edits = _edits(release)
    _check_residual(release, inputs, edits)
    leaked = inputs.tables.leaks(release, inputs) + _document_hits(inputs, edits)
    release.checks["原值不出现"] = not leaked
    if leaked:
        release.failures.append(f"输出中仍出现原始标识值：{'、'.join(leaked[:5])}")
    _check_key(release, inputs)
    _check_risk(release, inputs, policy)


def _check_residual(release: Release, inputs: CheckInputs, edits: dict[str, _Edits]) -> None:
    residual = []
    names = list(inputs.texts)
    for lo in range(0, len(names), BATCH):
        batch = names[lo : lo + BATCH]
        found = inputs.des.residual_many([inputs.texts[n] for n in batch], inputs.produced)
        for name, spans in zip(batch, found, strict=True):
            residual += [
                f"{name}@{s.start}:{s.entity}"
                for s in spans
                if not edits.get(name) or not edits[name].touches(s.start, s.end)
            ]
    for name, col, column in inputs.tables.free_text(release):
        residual += _column_residual(f"{name}.{col}", column, inputs)
    release.checks["残留扫描"] = not residual
    if residual:
        release.failures.append(f"残留扫描发现 {len(residual)} 处个人信息，例如 {residual[:3]}")


def _column_residual(where: str, column: pa.ChunkedArray, inputs: CheckInputs) -> list[str]:
    """Residual detections of a free-text column, ``表.列[行]:实体`` in row order. Analysis is
    per text, so each distinct value is scanned once (a national column of 60 million notes
    holds a few dozen values)."""
    valid = pc.is_valid(column).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(valid)
    values, codes = distinct_codes(column)
    distinct = values.to_pylist()
    found: list[list[Span]] = []
    for lo in range(0, len(distinct), BATCH):
        found += inputs.des.residual_many(distinct[lo : lo + BATCH], inputs.produced)
    if inputs.produced_arrays is not None:
        made = _present(found, distinct, inputs.produced_arrays)
        found = [
            [s for s in spans if text[s.start : s.end] not in made]
            for text, spans in zip(distinct, found, strict=True)
        ]
    per_value = np.array([len(f) for f in found], dtype=np.int64)
    out = []
    for i in np.flatnonzero(per_value[codes] if len(codes) else np.zeros(0, dtype=np.int64)):
        out += [f"{where}[{rows[i]}]:{s.entity}" for s in found[codes[i]]]
    return out


def _present(found: list[list[Span]], texts: list[str], produced: list[pa.Array]) -> set[str]:
    """Which detected strings are surrogates of this run: the few candidates are hashed and
    the surrogates scanned, not the other way round."""
    candidates = {t[s.start : s.end] for t, spans in zip(texts, found, strict=True) for s in spans}
    if not candidates:
        return set()
    value_set = pa.array(sorted(candidates), type=pa.string())
    made: set[str] = set()
    for arr in produced:
        made.update(arr.filter(pc.is_in(arr, value_set=value_set)).to_pylist())
    return made


def _check_key(release: Release, inputs: CheckInputs) -> None:
    secret = inputs.key.decode("latin-1")
    key_hits = [n for n, b in inputs.texts.items() if secret in b]
    key_hits += inputs.tables.key_hits(secret)
    release.checks["密钥不出现"] = not key_hits
    if key_hits:
        release.failures.append(f"密钥出现在 {key_hits[:3]}")


def _check_risk(release: Release, inputs: CheckInputs, policy: Policy) -> None:
    for table, cols in inputs.qi_map.items():
        sens = inputs.sensitive.get(table)
        df = inputs.tables.frame(table, [*cols, *([sens] if sens else [])])
        if df is None:
            release.failures.append(f"声明了准标识符的表 {table} 不存在")
            continue
        r = measure(df, cols, sens, policy.risk.k)
        release.risk[table] = r
        ok = r.k >= policy.risk.k and r.prosecutor_risk_max <= max(
            policy.risk.max_prosecutor_risk, 1 / policy.risk.k
        )
        if r.l_diversity is not None:
            ok = ok and r.l_diversity >= policy.risk.l
        release.checks[f"重识别风险：{table}"] = ok
        if not ok:
            release.failures.append(
                f"表 {table} 在准标识符 {'、'.join(cols)} 上 k = {r.k}（要求 ≥ {policy.risk.k}）"
                + (
                    f"，l = {r.l_diversity}（要求 ≥ {policy.risk.l}）"
                    if r.l_diversity is not None
                    else ""
                )
            )


class _Edits:
    """The replacements of one released document (offsets into the released text)."""

    def __init__(self, spans: list[tuple[int, int]], generated: _Edits | None = None) -> None:
        spans.sort()
        self.starts = [a for a, _ in spans]
        self.ends = list(accumulate((b for _, b in spans), max))
        # the replacements whose text the operator wrote (not `keep`): a name found wholly inside
        # one (the surrogate 葛婷洁 holds a real 葛婷) was made by the surrogate, not left over
        self.generated = generated

    def touches(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a replacement."""
        i = bisect_left(self.starts, end)
        return bool(i) and self.ends[i - 1] > start


def _edits(release: Release) -> dict[str, _Edits]:
    spans: dict[str, list[tuple[int, int]]] = {}
    written: dict[str, list[tuple[int, int]]] = {}
    for item in release.audit:
        start, end = item["start"], item["end"]
        assert isinstance(start, int) and isinstance(end, int)
        spans.setdefault(str(item["file"]), []).append((start, end))
        if item["operator"] != "keep":
            written.setdefault(str(item["file"]), []).append((start, end))
    return {name: _Edits(s, _Edits(written.get(name, []))) for name, s in spans.items()}


def _inside(edits: _Edits, start: int, end: int) -> bool:
    """Lies wholly inside one replacement."""
    i = bisect_right(edits.starts, start)
    return bool(i) and edits.ends[i - 1] >= end


def _document_hits(inputs: CheckInputs, edits: dict[str, _Edits]) -> list[str]:
    """Where an original value survives in a document. In tables, identifiers count anywhere
    and names in processed or free-text columns (a name such as 高中 may equal an unrelated
    category elsewhere): ``TableCells.leaks``."""
    hits: list[str] = []
    identifiers, names = inputs.originals["OTHER"], inputs.originals["PERSON"]
    if not inputs.texts:  # a national table-only release holds ~10^8 values: no regex of them
        return hits
    pattern = trie_regex(v for v in identifiers | names if len(v) >= 2)
    for doc, body in inputs.texts.items():
        n = len(_document_leaks(doc, body, pattern, inputs, edits.get(doc)))
        if n:
            hits.append(f"{doc}（{n} 处）")
    return hits


def _document_leaks(
    doc: str, body: str, pattern: re.Pattern[str], inputs: CheckInputs, edited: _Edits | None
) -> set[str]:
    """Original values left in one released document.

    Text the policy keeps on purpose is blanked before the search: officials' names (a judge is
    often namesake of some party), courts and companies (湛江华瑞装饰 holds the name 江华),
    statutes, case numbers. A name inside a place name (a person called 黄岩, the district 黄岩区)
    is the place, and one that straddles a replacement (the surrogate 邹坤雷 before 建设工程
    spells 雷建) is an accident of the replacement, not the original value; so is one wholly inside
    a surrogate the operator wrote (葛婷洁 holds a real 葛婷), but not one inside text an operator
    kept. A name that is also
    a common word (a person 权利, "财产性权利") counts only in documents of a case the tables
    give that person as a party (``release.parties``)."""
    places = division_names()
    parties = inputs.parties
    own = parties.get(doc, frozenset()) if parties is not None else frozenset()
    found = set()
    for m in pattern.finditer(_blank_kept(body, inputs.des)):
        value = m.group()
        if value in inputs.originals["OTHER"]:
            found.add(value)
            continue
        if (
            places.overlaps(body, m.start(), m.end())
            or _names_organization(body, value, m.end(), places.short_forms)
            or ends_common_word(body, m.start(), 0)  # 于平 in 关于平顶山: not a name
            or (edited is not None and _straddles(edited, m.start(), m.end()))
            or (edited is not None and _made_by_surrogate(edited, m.start(), m.end()))
            or (parties is not None and is_common_word(value) and value not in own)
        ):
            continue
        found.add(value)
    return found


# An organization whose name starts with a place's short form (宁波村镇银行, 桂林银行): the
# short form there is the place, not a person who happens to be called 宁波.
_ORGANIZATION_AFTER = re.compile(
    r"[^\s，。、；：:（）()“”]{0,10}?"
    r"(?:银行|公司|法院|检察院|公安局|分局|支行|分行|信用社|合作社|集团|大学|学院|医院|委员会|中心)"
)


def _names_organization(body: str, name: str, end: int, short_forms: frozenset[str]) -> bool:
    return name in short_forms and _ORGANIZATION_AFTER.match(body, end) is not None


def _straddles(edits: _Edits, start: int, end: int) -> bool:
    """Overlaps a replacement without lying inside one."""
    return edits.touches(start, end) and not _inside(edits, start, end)


def _made_by_surrogate(edits: _Edits, start: int, end: int) -> bool:
    return edits.generated is not None and _inside(edits.generated, start, end)


def _blank_kept(text: str, des: Desensitizer) -> str:
    """``text`` with the spans the allow-list keeps blanked (officials only when the policy
    protects them); common words are not blanked, they only stop a name from starting."""
    spans = [
        p
        for p in des.analyzer.protector.find(Doc(text))
        if p[2] != "COMMON_WORD" and (p[2] != "OFFICIAL" or des.policy.protect_officials)
    ]
    if not spans:
        return text
    chars = list(text)
    for start, end, *_ in spans:
        chars[start:end] = SEP * (end - start)
    return "".join(chars)
