"""Whole-dataset release held in memory: every table and case file under one key, then the
release checks (GB/T 37964 验证审批). Used when the policy shifts dates or generalizes
quasi-identifiers, steps that look at whole tables at once; other releases stream
(``release.streaming``, docs/desensitize.md 全国规模的发布). Output is built in a temporary
folder next to OUT_DIR and renamed into place only when every check passes; on refusal nothing
is left in OUT_DIR.

Policy decisions (documented in the report): ``*_id`` join keys are kept under ``teaching`` and
``court`` (they are generated identifiers, not personal data) and replaced by keyed tokens under
``research``; the same token replaces a key in every table, so joins survive. Dates are shifted
only when the policy asks (``research``): by case for tables that carry ``case_id`` or reach it
through a key (suspect_id → suspects.case_id), by one dataset-wide offset otherwise.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desensitize.io.readers import read_table
from desensitize.io.tableshape import check_required_columns
from desensitize.operators.base import OperatorContext
from desensitize.operators.pseudonym import forbid_originals
from desensitize.policy import OperatorConfig, Policy
from desensitize.release import common as shared
from desensitize.release.checks import CheckInputs, FrameCells, run_checks
from desensitize.release.parties import common_word_parties
from desensitize.release.quasi import generalize_to_k, shift_dates
from desensitize.release.record import Release, ReleaseRefused
from desensitize.release.report import surrogate_hash, write_reports
from desensitize.tables.columns import FREE_TEXT, KEY, ColumnPlan, apply_column, apply_free_text
from desensitize.tables.roles import identifier_values, infer_columns, unruled_columns
from desensitize.text.desensitizer import Desensitizer


@dataclass
class _Run(shared.RunBase):
    """What the phases of one release share."""

    frames: dict[str, pd.DataFrame]
    names: list[str]
    originals: dict[str, set[str]] = field(default_factory=dict)
    overrides: dict[str, OperatorConfig] = field(default_factory=dict)
    parties: dict[str, frozenset[str]] | None = None  # case → common-word party names


def release_in_memory(
    in_dir: Path,
    out_dir: Path,
    policy: Policy,
    key: bytes,
    qi: dict[str, list[str]] | None = None,
    sensitive: dict[str, str] | None = None,
    progress: shared.Progress | None = None,
) -> Release:
    """Release ``in_dir`` into ``out_dir``: read, find every identifier column and value, draw
    surrogates that equal no original, transform tables and case files, check, then write."""
    shared._check_dirs(in_dir, out_dir)
    tick = progress or (lambda _msg: None)
    release = Release(policy=policy.name)
    frames = _read_frames(in_dir, release)
    names = _person_names(frames)
    run = _Run(policy, key, release, OperatorContext(key=key), frames, names)
    run.overrides = dict(policy.tables.columns)
    des = _plan_columns(run)
    run.parties = common_word_parties(frames)  # before any key column is replaced
    # Case files are analyzed before any replacement is drawn, so that no surrogate equals or
    # holds a name or number that only a document mentions (a relative, an agent).
    docs = shared._analyze_casefiles(in_dir, des, release, run.originals, tick)
    shared._mark_parties(docs, run.parties)
    for kind, values in shared._detected(docs, des).items():
        forbid_originals(run.ctx, kind, values)
    if policy.tables.date_shift:
        shift_dates(frames, key, policy.tables.max_shift_weeks, set(run.overrides))
    for name, df in frames.items():
        tick(f"表 {name}")
        for plan in release.tables[name]:
            _transform_column(run, des, name, df, plan)
    texts = shared._anonymize_casefiles(docs, des, release, tick)
    qi_map = qi if qi is not None else policy.risk.quasi_identifiers
    if policy.risk.generalize_to_k:
        for table, cols in qi_map.items():
            if table in frames:
                generalize_to_k(frames[table], cols, policy.risk.k)
    produced = run.ctx.produced()
    release.produced_sha256 = sorted(surrogate_hash(v) for v in produced)
    inputs = CheckInputs(
        FrameCells(frames),
        texts,
        des,
        produced,
        run.originals,
        key,
        qi_map,
        sensitive or policy.risk.sensitive,
    )
    if run.parties is not None:
        inputs.parties = {d.name: run.parties.get(d.case_id, frozenset()) for d in docs}
    run_checks(release, inputs, policy)
    _write(out_dir, frames, texts, release, in_dir, tick)
    return release


def _read_frames(in_dir: Path, release: Release) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for name, path in shared._tables(in_dir).items():
        frames[name], release.encodings[name] = read_table(path)
        check_required_columns(name, list(frames[name].columns), path)
    return frames


def _person_names(frames: dict[str, pd.DataFrame]) -> list[str]:
    persons = frames.get("persons")
    if persons is None or "name" not in persons:
        return []
    return list(persons["name"].dropna().astype(str).tolist())


def _plan_columns(run: _Run) -> Desensitizer:
    """Every column's role (header and content), the originals no surrogate may equal, and the
    engine that knows every real name of the dataset (also those under other headers)."""
    des = run.desensitizer(run.names)
    forbid_originals(run.ctx, "PERSON", run.names)
    run.originals = {"PERSON": set(run.names), "OTHER": set()}
    for name, df in run.frames.items():
        plans = infer_columns(name, df, des, run.policy.tables.sample_rows, {})
        run.release.tables[name] = plans
        for plan in plans:
            if (
                plan.entity not in (None, KEY, FREE_TEXT)
                and plan.column not in run.overrides
                and run.policy.operator_for(plan.entity).operator != "keep"
            ):
                bucket = "PERSON" if plan.entity == "PERSON" else "OTHER"
                values = df[plan.column].dropna().astype(str).tolist()
                run.originals[bucket].update(values)
                forbid_originals(run.ctx, plan.entity, values)
    unruled = unruled_columns(run.release.tables, run.policy)
    if unruled:
        raise ReleaseRefused(unruled)
    run.originals["PERSON"] |= set(run.names)
    for bucket, found in identifier_values(run.frames, run.release.tables).items():
        run.originals[bucket] |= found
    extra = sorted(run.originals["PERSON"] - set(run.names))
    if extra:  # names under other headers (姓名 …) are known names of the documents too
        des = run.desensitizer([*run.names, *extra])
    return des


def _transform_column(
    run: _Run, des: Desensitizer, name: str, df: pd.DataFrame, plan: ColumnPlan
) -> None:
    """One column by its role: an explicit column rule first, then keys, free text, entities."""
    col, entity, counts = plan.column, plan.entity, run.release.counts
    if col in run.overrides:
        cfg = run.overrides[col]
        df[col] = apply_column(df[col].astype("string"), col, cfg, des)
        counts[(name, col, cfg.operator)] += int(df[col].notna().sum())
    elif entity == KEY:
        if run.policy.tables.key_columns == "pseudonym":
            cfg = OperatorConfig(operator="pseudonym", params={"style": "token"})
            df[col] = apply_column(df[col], KEY, cfg, des)
            counts[(name, col, "pseudonym")] += int(df[col].notna().sum())
    elif entity == FREE_TEXT:
        df[col], found = apply_free_text(df[col], des)
        for (ent, op), n in found.items():
            counts[(name, f"{col}:{ent}", op)] += n
    elif entity is not None:
        cfg = run.policy.operator_for(entity)
        if cfg.operator != "keep":
            df[col] = apply_column(df[col], entity, cfg, des)
            counts[(name, col, cfg.operator)] += int(df[col].notna().sum())


def _write(
    out_dir: Path,
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    release: Release,
    in_dir: Path,
    tick: shared.Progress,
) -> None:
    if release.failures:
        raise ReleaseRefused(release.failures)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name, df in frames.items():
            tick(f"写出 {name}")
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp / f"{name}.parquet")
        for rel, body in texts.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        for extra in ("codebook.md", "codebook.csv", "codebook.json"):
            if (in_dir / extra).is_file():
                shutil.copy2(in_dir / extra, tmp / extra)
        shared._write_datapackage(in_dir, tmp, set(frames))
        write_reports(tmp, release)
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


__all__ = ["release_in_memory"]
