"""Open a dataset directory as typed DuckDB views, failing early with a message naming table
and column, so that every rule can assume clean types and never re-validates."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from review.catalog import Catalog, ColumnKind, Dataset
from review.errors import (
    ColumnTypeError,
    DatasetNotFoundError,
    MissingColumnError,
    MissingTableError,
    ReviewInputError,
)

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}
_INTEGER |= {"UINTEGER", "UBIGINT", "UHUGEINT"}
_NUMERIC = _INTEGER | {"FLOAT", "DOUBLE", "REAL"}
_TARGET = {"date": "DATE", "number": "DOUBLE", "integer": "BIGINT", "string": "VARCHAR"}
_KIND_ZH = {"date": "日期", "number": "数值", "integer": "整数", "string": "文本"}


@dataclass(frozen=True)
class TableSource:
    name: str
    reader: str  # a DuckDB table function call that reads the whole table
    shown: str  # path shown to users
    is_csv: bool


@dataclass
class OpenDataset:
    root: Path
    con: duckdb.DuckDBPyConnection
    kinds: list[Dataset]
    sources: dict[str, TableSource]
    as_of: dt.date | None = None
    filled: dict[str, list[str]] = field(default_factory=dict)

    def has(self, table: str) -> bool:
        return table in self.sources


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def find_source(root: Path, table: str) -> TableSource | None:
    single = root / f"{table}.parquet"
    if single.is_file():
        return TableSource(table, f"read_parquet({_quote(str(single))})", str(single), False)
    folder = root / table
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        glob = _quote(str(folder / "**" / "*.parquet"))
        reader = f"read_parquet({glob}, hive_partitioning = true, union_by_name = true)"
        return TableSource(table, reader, str(folder), False)
    csv = root / f"{table}.csv"
    if csv.is_file():
        reader = f"read_csv({_quote(str(csv))}, all_varchar = true, header = true)"
        return TableSource(table, reader, str(csv), True)
    return None


def open_dataset(
    root: Path, catalog: Catalog, as_of: dt.date | None = None, threads: int | None = None
) -> OpenDataset:
    """Discover tables, decide which datasets are present, and create the typed views."""
    if not root.is_dir():
        raise DatasetNotFoundError(f"数据集目录不存在：{root}")
    sources = {t: s for t in catalog.tables if (s := find_source(root, t)) is not None}
    kinds: list[Dataset] = []
    for kind, spec in catalog.datasets.items():
        present = [t for t in spec.core if t in sources]
        if not present:
            continue
        missing = [t for t in spec.core if t not in sources]
        if missing:
            raise MissingTableError(
                f"数据集缺少数据表 {missing[0]}（{kind} 数据集必需；"
                f"应为 {root}/{missing[0]}.parquet "
                f"或分区目录 {root}/{missing[0]}/）",
                table=missing[0],
            )
        kinds.append(kind)
    if not kinds:
        wanted = "、".join(spec.core[0] for spec in catalog.datasets.values())
        raise MissingTableError(f"目录 {root} 中没有可评查的数据表（至少需要 {wanted} 之一）")
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    ds = OpenDataset(root=root, con=con, kinds=kinds, sources=sources)
    needed = _needed_columns(catalog, ds)
    for table, cols in needed.items():
        _create_view(ds, catalog, table, cols)
    if "enforcement" in kinds:
        ds.as_of = as_of or declared_as_of(root) or _observed_as_of(con)
    return ds


def _needed_columns(catalog: Catalog, ds: OpenDataset) -> dict[str, dict[str, ColumnKind]]:
    """Columns read by the rules that will run; tables only optional rules read may be absent."""
    needed: dict[str, dict[str, ColumnKind]] = {}
    for rule in catalog.rules:
        if rule.dataset not in ds.kinds:
            continue
        if not all(ds.has(t) for t in rule.reads):
            continue
        reads = {**rule.reads, **{t: c for t, c in rule.optional_reads.items() if ds.has(t)}}
        for table, cols in reads.items():
            for col in cols:
                needed.setdefault(table, {})[col] = catalog.tables[table][col]
    for kind in ds.kinds:
        spec = catalog.datasets[kind]
        for col in spec.case_columns:
            needed.setdefault(spec.case_table, {})[col] = catalog.tables[spec.case_table][col]
    return needed


def _create_view(
    ds: OpenDataset, catalog: Catalog, table: str, cols: dict[str, ColumnKind]
) -> None:
    src = ds.sources[table]
    try:
        described = ds.con.execute(f"DESCRIBE SELECT * FROM {src.reader}").fetchall()
    except duckdb.Error as exc:
        raise ReviewInputError(
            f"无法读取数据表 {table}（文件 {src.shown}）：{exc}", table=table
        ) from exc
    types = {str(row[0]): str(row[1]).upper() for row in described}
    replace: list[str] = []
    added: list[str] = []
    defaults = catalog.optional_columns.get(table, {})
    for col, kind in cols.items():
        if col not in types:
            if col in defaults:
                added.append(f"CAST({defaults[col]} AS {_TARGET[kind]}) AS {col}")
                ds.filled.setdefault(table, []).append(col)
                continue
            raise MissingColumnError(
                f"数据表 {table} 缺少列 {col}（{_KIND_ZH[kind]}型，文件 {src.shown}）",
                table=table,
                column=col,
            )
        expr = _conversion(ds, src, col, types[col], kind)
        if expr is not None:
            replace.append(f"{expr} AS {col}")
    select = "*" if not replace else f"* REPLACE ({', '.join(replace)})"
    extra = "".join(f", {a}" for a in added)
    ds.con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {select}{extra} FROM {src.reader}")


def _conversion(
    ds: OpenDataset, src: TableSource, col: str, typ: str, kind: ColumnKind
) -> str | None:
    """A cast expression when the stored type differs but converts losslessly; else an error."""
    target = _TARGET[kind]
    if kind == "string":
        return None if typ == "VARCHAR" else f"CAST({col} AS VARCHAR)"
    base = typ.split("(")[0].strip('"')
    if base == "NULL":  # an all-null column (e.g. an empty table written from pandas)
        return f"CAST({col} AS {target})"
    if kind == "date" and base == "DATE":
        return None
    if kind == "date" and base.startswith("TIMESTAMP"):
        return f"CAST({col} AS DATE)"
    if kind == "number" and (base in _NUMERIC or base == "DECIMAL"):
        return None if base == "DOUBLE" else f"CAST({col} AS DOUBLE)"
    if kind == "integer" and (base in _INTEGER or base == "BOOLEAN"):
        return None if base == "BIGINT" else f"CAST({col} AS BIGINT)"
    if base == "VARCHAR":
        _check_parsable(ds, src, col, kind)
        return f"CAST(NULLIF(TRIM({col}), '') AS {target})"
    raise ColumnTypeError(
        f"数据表 {src.name} 的列 {col} 类型为 {typ}，应为{_KIND_ZH[kind]}型（文件 {src.shown}）",
        table=src.name,
        column=col,
    )


def _check_parsable(ds: OpenDataset, src: TableSource, col: str, kind: ColumnKind) -> None:
    target = _TARGET[kind]
    value = f"NULLIF(TRIM({col}), '')"
    where = f"{value} IS NOT NULL AND TRY_CAST({value} AS {target}) IS NULL"
    if src.is_csv:
        sql = (
            f"SELECT row_no + 1, {col} FROM (SELECT row_number() OVER () AS row_no, {col} "
            f"FROM {src.reader}) WHERE {where} LIMIT 1"
        )
        where_txt = "第 {} 行（不含表头）"
    else:
        reader = src.reader[:-1] + ", filename = true, file_row_number = true)"
        sql = (
            f"SELECT filename || ' 第 ' || (file_row_number + 1), {col} FROM {reader} WHERE {where}"
        )
        sql += " LIMIT 1"
        where_txt = "{} 行"
    bad = ds.con.execute(sql).fetchone()
    if bad is not None:
        raise ColumnTypeError(
            f"数据表 {src.name} 的列 {col} 应为{_KIND_ZH[kind]}型，"
            f"但{where_txt.format(bad[0])}的值 "
            f"“{bad[1]}”无法转换（文件 {src.shown}）",
            table=src.name,
            column=col,
        )


def declared_as_of(root: Path) -> dt.date | None:
    path = root / "datapackage.json"
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("as_of_date")
    except (json.JSONDecodeError, AttributeError):
        return None
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ColumnTypeError(
            f"datapackage.json 的 as_of_date “{value}”不是 YYYY-MM-DD 日期", column="as_of_date"
        ) from exc


def _observed_as_of(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    row = con.execute(
        "SELECT greatest((SELECT max(filing_date) FROM enforcement_cases), "
        "(SELECT max(closing_date) FROM enforcement_cases), "
        "(SELECT max(action_date) FROM enforcement_actions))"
    ).fetchone()
    return None if row is None else row[0]
