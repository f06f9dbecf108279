"""Lab06 (数据脱敏与共享审查): the raw extract students receive, and its independent residual check.

The extract is the dataset as an office's business system would export it: each table under a
Chinese name, every column under its codebook label (姓名, 公民身份号码, 手机号码 …) except the
join keys (`*_id`), which keep their system field names, plus the case files as they are.

Why the residual check is a module of its own: the lab's hidden test must not trust the
student's policy, column roles or the release checks of `desensitize` (a policy that keeps a
column, or a column the roles missed, would pass a check that only looks where the policy
looked). It takes every original identifier value of the raw extract straight from the grader's
reference copy of the dataset (the identifier columns of the tables and the gold spans of the
case files) and searches the student's released cells and documents for each of them, after
folding full-width forms and dropping separators on both sides, so that `１３９ 1234-5678` still
counts as `13912345678` (docs/desensitize.md, 实验六).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

# Dataset table → the extract's table name; the partition columns are not exported.
EXTRACT: dict[str, str] = {
    "persons": "人员",
    "enforcement_cases": "执行案件",
    "vehicles": "车辆",
    "bank_accounts": "银行账户",
    "real_estate": "不动产",
}
PARTITION_COLUMNS = ("province_code", "year")
CASEFILES = "casefiles"
KEY_SUFFIX = "_id"
# Which columns are identifiers is the answer to the lab's question 1: the hidden tests pass it
# in (`columns`, dataset table → English column names); this module, which the student's kernel
# can read, does not hold it.
Columns = dict[str, list[str]]
# Officials' names stay in published documents (SPC, 2026-01-07, docs/desensitize.md): not
# counted, and neither is a party's name that equals an official's (it is there as the official).
OFFICIAL_ROLES = frozenset({"执行员", "书记员", "审判员", "审判长", "法官助理", "检察官"})
SPANS_FILE = "pii_spans.jsonl"
MIN_LENGTH = 2  # a one-character value (a lone surname) is not an identifier
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_·・.,，、/\\|:：;；()（）\[\]【】'\"“”‘’*＊]+")


def read(dataset: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One table of a dataset (one Parquet file or a hive-partitioned folder), dates as
    datetime64. Plain pyarrow rather than `synthgen.read_table`: importing `synthgen` loads its
    builders and statsmodels, seconds of the student's kernel time and of every grading run."""
    path = dataset / f"{table}.parquet"
    source = path if path.is_file() else dataset / table
    return pq.read_table(source, columns=columns).to_pandas(date_as_object=False)


def labels(dataset: Path, table: str) -> dict[str, str]:
    """Column → Chinese header of the extract: the codebook label, join keys unchanged."""
    codebook = json.loads((dataset / "codebook.json").read_text(encoding="utf-8"))
    columns = codebook["tables"][table]["columns"]
    return {c: spec["label"] for c, spec in columns.items() if not c.endswith(KEY_SUFFIX)}


def write_extract(dataset: Path, dest: Path) -> dict[str, pd.DataFrame]:
    """Write the raw extract of `dataset` to `dest` (replaced if present); return its tables."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    tables: dict[str, pd.DataFrame] = {}
    for table, name in EXTRACT.items():
        frame = read(dataset, table)
        frame = frame.drop(columns=[c for c in PARTITION_COLUMNS if c in frame.columns])
        tables[name] = frame.rename(columns=labels(dataset, table))
        tables[name].to_parquet(dest / f"{name}.parquet", index=False)
    if (dataset / CASEFILES).is_dir():
        shutil.copytree(dataset / CASEFILES, dest / CASEFILES)
    return tables


def fold(text: str) -> str:
    """Full-width forms folded (NFKC), upper case, every separator removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper())


def identifier_headers(dataset: Path, columns: Columns) -> set[tuple[str, str]]:
    """(extract table, header) of each of `columns`, as the raw extract names them."""
    return {
        (EXTRACT[table], labels(dataset, table)[column])
        for table, names in columns.items()
        for column in names
    }


def span_values(truth: Path) -> tuple[set[str], set[str]]:
    """(identifier values of the case files' gold spans, officials' names) from `_truth/`."""
    values: set[str] = set()
    officials: set[str] = set()
    path = truth / SPANS_FILE
    if not path.is_file():
        return values, officials
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        span = json.loads(line)
        target = officials if span.get("role") in OFFICIAL_ROLES else values
        target.add(str(span["text"]))
    return values, officials


def original_values(reference: Path, truth: Path, columns: Columns) -> set[str]:
    """Every identifier value of the raw extract: the values of `columns` plus the case files'
    spans, minus the officials' names; folded, at least `MIN_LENGTH` characters long."""
    found, officials = span_values(truth)
    for table, names in columns.items():
        frame = read(reference, table, names)
        for column in names:
            found.update(frame[column].dropna().astype(str))
    kept = {fold(v) for v in officials}
    return {f for f in map(fold, found) if len(f) >= MIN_LENGTH and f not in kept}


def released_texts(tables: Iterable[pd.DataFrame], documents: Iterable[str]) -> list[str]:
    """Every string cell of the released tables and every released document, folded."""
    out = [fold(d) for d in documents]
    for frame in tables:
        for column in frame.columns:
            cells = frame[column].dropna()
            out += [fold(str(v)) for v in cells if isinstance(v, str)]
    return out


def residual_hits(originals: Iterable[str], texts: list[str]) -> dict[str, int]:
    """Folded original value → how often it occurs in the folded texts (only values found).

    One C-level substring search per value over all texts joined by a character that no folded
    value holds, so a value never spans two texts."""
    joined = "\x00".join(texts)
    counts = {value: joined.count(value) for value in originals if value}
    return {value: n for value, n in counts.items() if n}
