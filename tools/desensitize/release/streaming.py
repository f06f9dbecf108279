"""Whole-dataset release one column at a time (docs/desensitize.md, 全国规模的发布).

The phases and every decision are those of ``release.inmemory`` — the same column roles, the
same originals no surrogate may equal, the same pseudonym draws in the same order (a column's
distinct values are assigned together, as before, so re-draws after a collision come out the
same), the same checks — and the released files are byte for byte the same. What changes is
where the data lives: a table is read column by column from Parquet, each released column is
spilled to disk, the Parquet file is written one row group at a time, the identifiers of the
tables are kept as Arrow arrays instead of Python sets, and the checks read the written files
with DuckDB (``release.filechecks``). Peak memory is about the largest column of the dataset
plus its distinct identifiers, not the whole dataset: a national enforcement year fits.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.io.sources import TableSource, open_table
from desensitize.io.tableshape import check_required_columns
from desensitize.operators.base import OperatorContext
from desensitize.operators.pseudonym import (
    Pseudonym,
    PseudonymParams,
    forbid_bulk,
    forbid_originals,
)
from desensitize.operators.registry import get_operator
from desensitize.policy import OperatorConfig, Policy
from desensitize.release import common as shared
from desensitize.release.checks import CheckInputs, run_checks
from desensitize.release.colout import OutColumn, from_arrow_text, from_series, untouched
from desensitize.release.colout import write_parquet as write_columns
from desensitize.release.filechecks import FileCells, produced_arrays, write_surrogate_hashes
from desensitize.release.parties import common_word_parties
from desensitize.release.record import Release, ReleaseRefused
from desensitize.release.report import SURROGATES_FILE, write_reports
from desensitize.tables.arrowscan import distinct_text, infer_source_columns, is_text, plain
from desensitize.tables.columns import (
    FREE_TEXT,
    KEY,
    ColumnPlan,
    apply_column,
    apply_free_text,
)
from desensitize.tables.freetext import free_text_arrow
from desensitize.tables.roles import load_roles, unruled_columns
from desensitize.text.desensitizer import Desensitizer

_NO_RULE = OperatorConfig(operator="keep")


@dataclass
class _Stream(shared.RunBase):
    """What the phases of one streaming release share."""

    sources: dict[str, TableSource]
    names: list[str]  # distinct names of the persons table, in order of first occurrence
    person: set[str] = field(default_factory=set)  # every original name (tables and documents)
    other: list[pa.Array] = field(default_factory=list)  # distinct identifiers of the tables
    overrides: dict[str, OperatorConfig] = field(default_factory=dict)


def release_streaming(
    in_dir: Path,
    out_dir: Path,
    policy: Policy,
    key: bytes,
    qi: dict[str, list[str]] | None = None,
    sensitive: dict[str, str] | None = None,
    progress: shared.Progress | None = None,
    steps: shared.Steps | None = None,
) -> Release:
    """Release ``in_dir`` into ``out_dir`` (see the module docstring)."""
    shared._check_dirs(in_dir, out_dir)
    tick = progress or (lambda _msg: None)
    release = Release(policy=policy.name)
    sources = _open_sources(in_dir, release)
    run = _Stream(policy, key, release, OperatorContext(key=key), sources, _names(sources))
    run.overrides = dict(policy.tables.columns)
    des = _plan(run, tick)
    doc_other: set[str] = set()
    found = {"PERSON": run.person, "OTHER": doc_other}
    docs = shared._analyze_casefiles(in_dir, des, release, found, tick)
    parties = common_word_parties(_party_frames(sources)) if docs else None
    shared._mark_parties(docs, parties)
    for kind, values in shared._detected(docs, des).items():
        forbid_originals(run.ctx, kind, values)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.work.", dir=out_dir.parent))
    try:
        files = _write_tables(run, des, tmp, work, tick, steps)
        texts = shared._anonymize_casefiles(docs, des, release, tick)
        _drop_drawing_state(run.ctx)
        cells = FileCells(files, work, [*run.other, pa.array(sorted(doc_other), pa.string())])
        inputs = _check_inputs(run, des, texts, cells, doc_other, qi, sensitive)
        if parties is not None:
            inputs.parties = {d.name: parties.get(d.case_id, frozenset()) for d in docs}
        tick("发布检查")
        run_checks(release, inputs, policy)
        if release.failures:
            raise ReleaseRefused(release.failures)
        _finish(in_dir, out_dir, tmp, work, run, texts, tick)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return release


def _open_sources(in_dir: Path, release: Release) -> dict[str, TableSource]:
    sources = {}
    for name, path in shared._tables(in_dir).items():
        src = open_table(name, path)
        release.encodings[name] = src.encoding
        check_required_columns(name, src.columns, path)
        sources[name] = src
    return sources


def _names(sources: dict[str, TableSource]) -> list[str]:
    persons = sources.get("persons")
    if persons is None or "name" not in persons.columns:
        return []
    return [str(v) for v in distinct_text(persons.arrow("name")).to_pylist()]


def _plan(run: _Stream, tick: shared.Progress) -> Desensitizer:
    """``inmemory._plan_columns``: roles, forbidden originals, the engine knowing every name."""
    des = run.desensitizer(run.names)
    forbid_originals(run.ctx, "PERSON", run.names)
    run.person = set(run.names)
    roles = load_roles()
    for name, src in run.sources.items():
        tick(f"识别 {name} 的列")
        plans = infer_source_columns(src, des, run.policy.tables.sample_rows)
        run.release.tables[name] = plans
        for plan in plans:
            forbidden = (
                plan.entity not in (None, KEY, FREE_TEXT)
                and plan.column not in run.overrides
                and run.policy.operator_for(plan.entity).operator != "keep"
            )
            if not forbidden and not roles.is_personal(plan.entity):
                continue
            assert plan.entity is not None
            distinct = distinct_text(src.arrow(plan.column))
            if plan.entity == "PERSON":
                values = [str(v) for v in distinct.to_pylist()]
                run.person.update(values)
                if forbidden:
                    forbid_originals(run.ctx, "PERSON", values)
            else:
                run.other.append(distinct)
                if forbidden:
                    forbid_bulk(run.ctx, plan.entity, distinct)
    unruled = unruled_columns(run.release.tables, run.policy)
    if unruled:
        raise ReleaseRefused(unruled)
    known = set(run.names)
    extra = sorted(v for v in run.person if v not in known)
    if extra:  # names under other headers (姓名 …) are known names of the documents too
        des = run.desensitizer([*run.names, *extra])
    return des


def _party_frames(sources: dict[str, TableSource]) -> dict[str, pd.DataFrame]:
    """The tables ``common_word_parties`` reads (only when there are case files to mark)."""
    frames = {}
    for name, src in sources.items():
        if name in ("persons", "companies") or "case_id" in src.columns:
            frames[name] = src.frame if src.frame is not None else src.whole().to_pandas()
    return frames


def _rule(run: _Stream, plan: ColumnPlan) -> tuple[str, OperatorConfig] | None:
    """(entity the operator sees, its configuration) for a column the release changes;
    the precedence of ``inmemory._transform_column``."""
    col, entity = plan.column, plan.entity
    if col in run.overrides:
        return col, run.overrides[col]
    if entity == KEY:
        if run.policy.tables.key_columns == "pseudonym":
            return KEY, OperatorConfig(operator="pseudonym", params={"style": "token"})
        return None
    if entity == FREE_TEXT:
        return FREE_TEXT, _NO_RULE
    if entity is not None:
        cfg = run.policy.operator_for(entity)
        return (entity, cfg) if cfg.operator != "keep" else None
    return None


def _write_tables(
    run: _Stream,
    des: Desensitizer,
    tmp: Path,
    work: Path,
    tick: shared.Progress,
    steps: shared.Steps | None,
) -> dict[str, Path]:
    files = {}
    for name, src in run.sources.items():
        tick(f"表 {name}")
        plans = run.release.tables[name]
        columns: list[OutColumn] = []
        for i, plan in enumerate(plans):
            if steps is not None:
                steps(name, i, len(plans) + 1)
            columns.append(_out_column(run, des, src, plan, work / f"{name}.{i}.arrow"))
        if steps is not None:
            steps(name, len(plans), len(plans) + 1)
        files[name] = tmp / f"{name}.parquet"
        write_columns(files[name], columns, src.num_rows)
        for c in columns:
            c.path.unlink()
        if steps is not None:
            steps(name, len(plans) + 1, len(plans) + 1)
    return files


def _out_column(
    run: _Stream, des: Desensitizer, src: TableSource, plan: ColumnPlan, path: Path
) -> OutColumn:
    col = plan.column
    rule = _rule(run, plan)
    if rule is None:
        if src.frame is not None:
            return from_series(src.frame[col], path)
        type_ = src.schema_type(col)
        if is_text(type_) or plain(type_):
            return untouched(col, type_, src.pieces(col), path)
        return from_series(src.series(col), path)
    entity, cfg = rule
    if entity != FREE_TEXT and cfg.operator == "pseudonym" and src.frame is None:
        arrow = src.arrow(col)
        if is_text(arrow.type) and arrow.null_count < len(arrow):
            run.release.counts[(src.name, col, "pseudonym")] += len(arrow) - arrow.null_count
            return from_arrow_text(col, _pseudonym_arrow(entity, cfg, arrow, des), path)
    if entity == FREE_TEXT and src.frame is None:
        arrow = src.arrow(col)
        if is_text(arrow.type) and arrow.null_count < len(arrow):
            out_arrow, found = free_text_arrow(arrow, des)
            for (ent, op), n in found.items():
                run.release.counts[(src.name, f"{col}:{ent}", op)] += n
            return from_arrow_text(col, out_arrow, path)
    series = src.series(col)
    if entity == FREE_TEXT:
        out, found = apply_free_text(series, des)
        for (ent, op), n in found.items():
            run.release.counts[(src.name, f"{col}:{ent}", op)] += n
    else:
        given = series.astype("string") if col in run.overrides else series
        out = apply_column(given, entity, cfg, des)
        run.release.counts[(src.name, col, cfg.operator)] += int(out.notna().sum())
    return from_series(out.rename(col), path)


def _pseudonym_arrow(
    entity: str, cfg: OperatorConfig, column: pa.ChunkedArray, des: Desensitizer
) -> pa.Array:
    """``apply_column`` for a pseudonymized text column without pandas: the non-null cells
    mapped in one ``map_column`` call (one draw over the column's distinct values)."""
    op = get_operator(cfg.operator)
    assert isinstance(op, Pseudonym)
    params = op.validate(cfg.params)
    assert isinstance(params, PseudonymParams)
    if not column.null_count:  # no cells to put back: the mapped column is the column
        return op.map_column(entity, column, params, des.context).cast(pa.string())
    valid = pc.is_valid(column).combine_chunks()
    mapped = op.map_column(entity, pc.drop_null(column), params, des.context)
    return pc.replace_with_mask(pa.nulls(len(column), pa.string()), valid, mapped.cast(pa.string()))


def _drop_drawing_state(ctx: OperatorContext) -> None:
    """Every replacement is drawn: the originals that forbade some and the books' keys (real
    values) are not needed by the checks, which read only the replacements (several GiB for a
    national year)."""
    ctx.bulk_originals.clear()
    for book in ctx.books.values():
        book.keys.clear()
        book.drop_index()


def _check_inputs(
    run: _Stream,
    des: Desensitizer,
    texts: dict[str, str],
    cells: FileCells,
    doc_other: set[str],
    qi: dict[str, list[str]] | None,
    sensitive: dict[str, str] | None,
) -> CheckInputs:
    """The checks' inputs; Python sets of every identifier and surrogate only when there are
    documents to search (a table-only national release never builds them: its free-text
    columns are checked against the surrogates as Arrow arrays)."""
    free_text = any(p.entity == FREE_TEXT for ps in run.release.tables.values() for p in ps)
    produced: set[str] = set()
    other = set(doc_other)
    if texts:
        produced = {str(v) for arr in produced_arrays(run.ctx) for v in arr.to_pylist()}
        other.update(str(v) for arr in run.other for v in arr.to_pylist())
    qi_map = qi if qi is not None else run.policy.risk.quasi_identifiers
    inputs = CheckInputs(
        cells,
        texts,
        des,
        produced,
        {"PERSON": run.person, "OTHER": other},
        run.key,
        qi_map,
        sensitive or run.policy.risk.sensitive,
    )
    if free_text and not texts:
        inputs.produced_arrays = produced_arrays(run.ctx)
    return inputs


def _finish(
    in_dir: Path,
    out_dir: Path,
    tmp: Path,
    work: Path,
    run: _Stream,
    texts: dict[str, str],
    tick: shared.Progress,
) -> None:
    """Documents, codebook, data package, reports and the surrogate hashes, then the rename."""
    for rel, body in texts.items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    for extra in ("codebook.md", "codebook.csv", "codebook.json"):
        if (in_dir / extra).is_file():
            shutil.copy2(in_dir / extra, tmp / extra)
    shared._write_datapackage(in_dir, tmp, set(run.sources))
    tick("写出假名摘要")
    run.release.surrogates_written = write_surrogate_hashes(
        tmp / SURROGATES_FILE, produced_arrays(run.ctx), work
    )
    write_reports(tmp, run.release)
    if out_dir.exists():
        out_dir.rmdir()
    tmp.rename(out_dir)


__all__ = ["release_streaming"]
