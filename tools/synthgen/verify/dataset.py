"""`jianlab data verify`: is a dataset folder what its manifest and codebook say it is?

Checks, in order: content hashes (manifest), each table against its codebook entry (pandera:
types, vocabularies, nullability, keys), identifiers (GB 11643 check characters and their
consistency with hukou, birth date and sex; GB 32100 for companies), row rules (date order,
decision year, reason filled only for its decision), referential integrity, and the shape of
``_truth/dgp.json``. Every table is read once, whole, through Arrow; only the key columns stay
in memory for the cross-table checks, so a 1.5-million-suspect hive dataset verifies in seconds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from synthgen.codebook.files import dataset_codebook, shipped_codebook
from synthgen.codebook.model import Codebook, CodebookError, CodebookMissing, Table
from synthgen.criminal.params import ParamError
from synthgen.store.io import PARTITION_SCHEMA, DatasetError, read_arrow
from synthgen.store.manifest import check_manifest
from synthgen.store.tablefiles import TableFiles, present_tables, table_files
from synthgen.verify.ids import gb11643_bad_check, gb32100_bad_check, identity_mismatches
from synthgen.verify.legal import legal_problems
from synthgen.verify.schema import canonical_table, row_label, schema_problems

Progress = Callable[[str, int, int], None]
_READ_ERRORS = (pa.ArrowException, OSError, ValueError, DatasetError)
_EXAMPLES = 3
CHECKSUMS: dict[str, tuple[Callable[[Any], np.ndarray], str]] = {
    "gb11643": (gb11643_bad_check, "身份证号校验码错误（GB 11643）"),
    "gb32100": (gb32100_bad_check, "统一社会信用代码校验码错误（GB 32100）"),
}
# Shared tables of docs/schema.md that a dataset may carry before the codebook describes them; their
# identifiers are checked all the same.
EXTRA_CHECKSUMS: dict[str, dict[str, str]] = {"companies": {"uscc": "gb32100"}}


def _codebook(directory: Path, problems: list[str]) -> Codebook | None:
    """The dataset's codebook; the shipped one when the folder's copy is unusable; None for a
    dataset that has no codebook yet (only hashes and identifiers can be checked then)."""
    try:
        return dataset_codebook(directory)
    except CodebookMissing:
        return None
    except (CodebookError, ParamError, json.JSONDecodeError) as exc:
        problems.append(f"编码手册无法使用，改用随软件发布的编码手册：{exc}")
    try:
        return shipped_codebook(directory)
    except CodebookMissing:
        return None


def _rows_text(frame: pa.Table, mask: np.ndarray, keys: list[str], hive: bool) -> str:
    rows = np.flatnonzero(mask)[:_EXAMPLES]
    return "；".join(row_label(frame, int(r), keys, hive) for r in rows)


def _report(
    name: str, what: str, frame: pa.Table, mask: np.ndarray, spec: Table, hive: bool
) -> list[str]:
    count = int(mask.sum())
    if count == 0:
        return []
    keys = [*spec.primary_key, "province_code", "year"]
    return [f"表 {name}：{what}（{count} 行）；例如 {_rows_text(frame, mask, keys, hive)}"]


def _bools(values: Any) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def row_rule_problems(
    name: str, spec: Table, frame: pa.Table, fitting: set[str], hive: bool
) -> list[str]:
    """Identifier, date-order, decision-year and filled-when rules of one (canonical) table."""
    problems: list[str] = []
    has = fitting.__contains__
    for col_name, col in spec.columns.items():
        if col.checksum and has(col_name):
            check, text = CHECKSUMS[col.checksum]
            problems += _report(
                name, f"列 {col_name} {text}", frame, check(frame[col_name]), spec, hive
            )
        if col.filled_when and has(col_name) and has(col.filled_when.column):
            should = _bools(
                pc.is_in(frame[col.filled_when.column], pa.array(col.filled_when.values))
            )
            filled = _bools(pc.is_valid(frame[col_name]))
            when = f"{col.filled_when.column} = {'、'.join(col.filled_when.values)}"
            rule = f"列 {col_name} 应当仅在 {when} 时有值"
            problems += _report(name, rule, frame, should != filled, spec, hive)
    ident = spec.identity or {}
    if has(ident.get("id_number", "")):
        pick = {k: frame[c] if has(c) else None for k, c in ident.items() if k != "id_number"}
        found = identity_mismatches(
            frame[ident["id_number"]], pick.get("area"), pick.get("birth_date"), pick.get("gender")
        )
        for what, mask in found.items():
            problems += _report(name, f"身份证号{what}", frame, mask, spec, hive)
    for earlier, later in spec.date_order:
        if has(earlier) and has(later):
            mask = _bools(pc.less(frame[later], frame[earlier]))
            problems += _report(name, f"{later} 早于 {earlier}", frame, mask, spec, hive)
    if spec.decision_year and has(spec.decision_year) and has("year"):
        mask = _bools(pc.not_equal(pc.year(frame[spec.decision_year]), frame["year"]))
        problems += _report(
            name, f"year 与 {spec.decision_year} 的年份不一致", frame, mask, spec, hive
        )
    return problems


class KeyStore:
    """The columns that foreign keys join on, kept after each table is released."""

    def __init__(self, codebook: Codebook, present: set[str]) -> None:
        self.codebook = codebook
        self.links = [
            (name, fk) for name, t in codebook.tables.items() if name in present
            for fk in t.foreign_keys if fk.table in present
        ]  # fmt: skip
        self.needed = {(n, f) for n, fk in self.links for f in fk.fields}
        self.needed |= {(fk.table, f) for _, fk in self.links for f in fk.ref_fields}
        self.columns: dict[tuple[str, str], pa.ChunkedArray] = {}

    def collect(self, name: str, frame: pa.Table) -> None:
        for table, col in self.needed:
            if table == name and col in frame.column_names:
                self.columns[(table, col)] = frame[col]

    def _joined(self, table: str, cols: list[str]) -> pa.ChunkedArray | pa.Array | None:
        parts = [self.columns.get((table, c)) for c in cols]
        if any(p is None for p in parts):
            return None
        if len(parts) == 1:
            return parts[0]
        text = [pc.cast(p, pa.string()) for p in parts]
        return pc.binary_join_element_wise(*text, "\x1f")

    def problems(self) -> list[str]:
        out = []
        for name, fk in self.links:
            child, parent = self._joined(name, fk.fields), self._joined(fk.table, fk.ref_fields)
            if child is None or parent is None:
                continue
            # parents are primary keys (uniqueness is checked per table), so no pc.unique here
            known = parent.combine_chunks() if isinstance(parent, pa.ChunkedArray) else parent
            orphan = _bools(
                pc.and_(pc.is_valid(child), pc.invert(pc.is_in(child, value_set=known)))
            )
            if orphan.any():
                values = "、".join(
                    str(v) for v in pc.filter(child, pa.array(orphan)).to_pylist()[:_EXAMPLES]
                )
                out.append(
                    f"表 {name} 列 {'+'.join(fk.fields)}：{int(orphan.sum())} 行引用的 "
                    f"{fk.table}.{'+'.join(fk.ref_fields)} 不存在；例如 {values}"
                )
        return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _dgp_block(model: str, block: Any, codebook: Codebook, columns: list[str]) -> list[str]:
    spec = codebook.dataset.dgp
    assert spec is not None
    where = f"{spec.path} 的 {model}"
    if not isinstance(block, dict):
        return [f"{where} 不是对象"]
    problems = []
    if set(block) != set(spec.keys):
        problems.append(f"{where} 的键应为 {sorted(spec.keys)}，实际为 {sorted(block)}")
    target = spec.models[model]
    allowed = codebook.tables[target.table].columns[target.column].values or []
    if "outcome" in block and block["outcome"] not in allowed:
        problems.append(
            f"{where}.outcome「{block['outcome']}」不是 {target.table}.{target.column} 的取值"
        )
    if "link" in block and block["link"] != "logit":
        problems.append(f"{where}.link 应为 logit，实际为 {block['link']!r}")
    if "group" in block and block["group"] not in columns:
        problems.append(f"{where}.group「{block['group']}」不是 {spec.coefficients_table} 的列")
    if "group_sd" in block and not (_is_number(block["group_sd"]) and block["group_sd"] >= 0):
        problems.append(f"{where}.group_sd 应为非负数，实际为 {block['group_sd']!r}")
    coefs = block.get("coefficients", {})
    if not isinstance(coefs, dict) or not all(_is_number(v) for v in coefs.values()):
        problems.append(f"{where}.coefficients 应为“列名: 数值”的对象")
    elif unknown := sorted(set(coefs) - set(columns)):
        problems.append(f"{where}.coefficients 中的 {unknown} 不是 {spec.coefficients_table} 的列")
    intercepts = block.get("year_intercepts", {})
    years = codebook.tables[spec.coefficients_table].columns.get("year")
    expected = {str(y) for y in (years.values or [])} if years else set()
    if not isinstance(intercepts, dict) or not all(_is_number(v) for v in intercepts.values()):
        problems.append(f"{where}.year_intercepts 应为“年份: 数值”的对象")
    elif expected and set(intercepts) != expected:
        problems.append(
            f"{where}.year_intercepts 的年份 {sorted(intercepts)} "
            f"与数据年份 {sorted(expected)} 不符"
        )
    return problems


def dgp_problems(
    directory: Path, codebook: Codebook, columns_of: dict[str, list[str]]
) -> list[str]:
    """``_truth/dgp.json`` has exactly the contract's keys and names only columns of suspects."""
    spec = codebook.dataset.dgp
    if spec is None:
        return []
    path = directory / spec.path
    if not path.exists():
        return [f"缺少真值文件 {spec.path}"] if path.parent.is_dir() else []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [f"{spec.path} 不是合法 JSON：{exc}"]
    if not isinstance(data, dict):
        return [f"{spec.path} 的顶层应为对象"]
    problems = []
    if set(data) != set(spec.models):
        problems.append(f"{spec.path} 的顶层键应为 {sorted(spec.models)}，实际为 {sorted(data)}")
    table = spec.coefficients_table
    columns = columns_of.get(table, list(codebook.tables[table].columns))
    for model in spec.models:
        if model in data:
            problems += _dgp_block(model, data[model], codebook, columns)
    return problems


def _extra_checksum_problems(directory: Path, codebook: Codebook | None) -> list[str]:
    problems = []
    for name, columns in EXTRA_CHECKSUMS.items():
        if (codebook and name in codebook.tables) or table_files(directory, name) is None:
            continue
        try:
            frame = read_arrow(directory, name, list(columns))
        except _READ_ERRORS as exc:
            problems.append(f"无法读取表 {name}：{exc}")
            continue
        for col, standard in columns.items():
            check, text = CHECKSUMS[standard]
            mask = check(frame[col])
            if mask.any():
                bad = "、".join(pc.filter(frame[col], pa.array(mask)).to_pylist()[:_EXAMPLES])
                problems.append(f"表 {name}：列 {col} {text}（{int(mask.sum())} 行）；例如 {bad}")
    return problems


def _read_whole(directory: Path, name: str, files: TableFiles) -> pa.Table:
    """Like ``io.read_arrow`` but without sorting hive partitions: row order does not matter
    here, and sorting 1.5 million rows per table costs more than checking them."""
    if not files.hive:
        return read_arrow(directory, name)
    part = ds.partitioning(PARTITION_SCHEMA, flavor="hive")
    return ds.dataset(directory / name, format="parquet", partitioning=part).to_table()


def _check_table(
    directory: Path,
    name: str,
    files: TableFiles,
    codebook: Codebook,
    keys: KeyStore,
    columns_of: dict[str, list[str]],
) -> list[str]:
    spec = codebook.tables[name]
    raw = _read_whole(directory, name, files)
    frame, fitting = canonical_table(raw, spec)
    columns_of[name] = raw.column_names
    keys.collect(name, frame)
    return [
        *schema_problems(name, spec, frame, fitting, raw.schema, files.hive),
        *row_rule_problems(name, spec, frame, fitting, files.hive),
    ]


def verify_dataset(directory: Path, on_progress: Progress | None = None) -> list[str]:
    """Chinese descriptions of every problem found in a dataset folder; empty when it is sound."""
    report = on_progress or (lambda stage, done, total: None)
    report("核对内容哈希", 0, 1)
    problems = check_manifest(directory)
    report("核对内容哈希", 1, 1)
    codebook = _codebook(directory, problems)
    if codebook is None:
        return problems + _extra_checksum_problems(directory, None)
    present = present_tables(directory, list(codebook.tables))
    has_truth = (directory / "_truth").is_dir()
    for name, spec in codebook.tables.items():
        if name not in present and (has_truth or not spec.instructor_only):
            problems.append(f"缺少表 {name}（{spec.label}）")
    keys = KeyStore(codebook, set(present))
    columns_of: dict[str, list[str]] = {}
    for i, (name, files) in enumerate(present.items()):
        report("逐表检查", i, len(present))
        try:
            problems += _check_table(directory, name, files, codebook, keys, columns_of)
        except DatasetError as exc:
            problems.append(f"无法读取表 {name}：{exc}")
        except _READ_ERRORS as exc:
            problems.append(f"无法读取表 {name}（文件可能已损坏）：{exc}")
    report("逐表检查", len(present), len(present))
    report("参照完整性与真值", 0, 1)
    problems += keys.problems()
    problems += _extra_checksum_problems(directory, codebook)
    problems += dgp_problems(directory, codebook, columns_of)
    if codebook.dataset.name == "criminal":
        problems += legal_problems(directory)
    report("参照完整性与真值", 1, 1)
    return problems
