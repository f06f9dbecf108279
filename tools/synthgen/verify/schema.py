"""Per-table schema check built from the codebook with pandera.

Tables are compared in a canonical form: every documented column whose physical type belongs to
its codebook type (any integer width for ``integer``, date32/date64 for ``date`` …) is cast to one
Arrow type, and float NaN becomes null, so that a real dataset written by other tools passes as
long as it means the same thing. A column of the wrong kind (dates stored as strings, say) is left
alone and fails pandera's dtype check; its value checks are skipped to report the cause once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pdr
import pyarrow as pa
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from synthgen.codebook.model import TYPE_LABELS, Column, Table
from zhcodes import load_divisions

_CANONICAL: dict[str, pa.DataType] = {
    "string": pa.string(),
    "date": pa.date32(),
    "integer": pa.int64(),
    "boolean": pa.int64(),
    "number": pa.float64(),
}
_FAMILY: dict[str, Callable[[pa.DataType], bool]] = {
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "date": pa.types.is_date,
    "integer": pa.types.is_integer,
    "boolean": lambda t: pa.types.is_integer(t) or pa.types.is_boolean(t),
    "number": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
}
_BUILTIN = {
    "not_nullable": "为空（该列不允许为空）",
    "field_uniqueness": "主键值重复",
    "multiple_fields_uniqueness": "主键组合重复",
}
_DOMAIN_TEXT = {
    "division": "不在 GB/T 2260 区划代码表中",
    "county": "不是 GB/T 2260 县级区划代码",
    "province": "不是 GB/T 2260 省级代码",
}
_EXAMPLES = 3


@lru_cache(maxsize=4)
def domain_values(domain: str) -> tuple[str, ...]:
    div = load_divisions()
    if domain == "province":
        return tuple(div.provinces["province_code"].astype(str))
    frame = div.counties if domain == "county" else div.table
    return tuple(frame["code"].astype(str))


def canonical_table(table: pa.Table, spec: Table) -> tuple[pa.Table, set[str]]:
    """The table with documented columns cast to their canonical type, and the names of the
    columns whose physical type fits the codebook."""
    fitting: set[str] = set()
    for i, name in enumerate(table.column_names):
        col = spec.columns.get(name)
        if col is None or not _FAMILY[col.type](table.schema.field(i).type):
            continue
        fitting.add(name)
        values = table.column(i)
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        values = pc.cast(values, _CANONICAL[col.type])
        if col.type == "number":
            values = pc.if_else(pc.is_nan(values), pa.scalar(None, pa.float64()), values)
        table = table.set_column(i, name, values)
    return table, fitting


def _short(values: list[Any]) -> str:
    shown = "、".join(str(v) for v in values[:8])
    return shown + (f" 等 {len(values)} 个" if len(values) > 8 else "")


def _checks(col: Column) -> list[tuple[pdr.Check, str]]:
    out: list[tuple[pdr.Check, str]] = []
    if col.allowed is not None:
        out.append((pdr.Check.isin(col.allowed), f"不在允许取值（{_short(col.allowed)}）之内"))
    if col.pattern is not None:
        out.append((pdr.Check.str_matches(col.pattern), f"不符合格式 {col.pattern}"))
    if col.minimum is not None:
        out.append((pdr.Check.ge(col.minimum), f"小于最小值 {col.minimum:g}"))
    if col.maximum is not None:
        out.append((pdr.Check.le(col.maximum), f"大于最大值 {col.maximum:g}"))
    if col.domain is not None:
        out.append((pdr.Check.isin(domain_values(col.domain)), _DOMAIN_TEXT[col.domain]))
    return out


def pandera_schema(
    spec: Table, fitting: set[str]
) -> tuple[pdr.DataFrameSchema, dict[tuple[str, int], str]]:
    """The pandera schema of a table, and the Chinese text of each (column, check number)."""
    columns = {}
    texts: dict[tuple[str, int], str] = {}
    single_key = spec.primary_key[0] if len(spec.primary_key) == 1 else None
    for name, col in spec.columns.items():
        checks = _checks(col) if name in fitting else []
        texts.update({(name, i): text for i, (_, text) in enumerate(checks)})
        columns[name] = pdr.Column(
            pd.ArrowDtype(_CANONICAL[col.type]),
            checks=[c for c, _ in checks],
            nullable=col.nullable,
            unique=name == single_key,
        )
    composite = list(spec.primary_key) if single_key is None else None
    return pdr.DataFrameSchema(columns, strict=True, unique=composite), texts


def row_label(frame: pa.Table, row: int, keys: list[str], hive: bool) -> str:
    """Where a row is: its key values (and partition), plus its line for single-file tables."""
    values = frame.slice(row, 1).to_pylist()[0]
    where = "，".join(f"{k}={values[k]}" for k in dict.fromkeys(keys) if k in values)
    return where if hive else f"第 {row + 1} 行（{where}）"


def _example(frame: pa.Table, row: Any, keys: list[str], value: Any, hive: bool) -> str:
    shown = (
        "空值"
        if value is None or (not isinstance(value, str) and pd.isna(value))
        else f"值「{value}」"
    )
    if row is None or pd.isna(row):
        return shown
    return f"{row_label(frame, int(row), keys, hive)}：{shown}"


def _describe(
    check: str, column: str, number: Any, spec: Table, texts: dict[tuple[str, int], str]
) -> str:
    if check.startswith("dtype("):
        col = spec.columns[column]
        return f"类型应为{TYPE_LABELS[col.type]}（{_CANONICAL[col.type]}）"
    if check in _BUILTIN:
        return _BUILTIN[check]
    if number is not None and not pd.isna(number):
        return texts.get((column, int(number)), check)
    return check


def schema_problems(
    name: str, spec: Table, canon: pa.Table, fitting: set[str], raw: pa.Schema, hive: bool
) -> list[str]:
    """Chinese problems of one table (in canonical form) against its codebook entry."""
    schema, texts = pandera_schema(spec, fitting)
    try:
        schema.validate(canon.to_pandas(types_mapper=pd.ArrowDtype), lazy=True)
        return []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    keys = [*spec.primary_key, *(k for k in ("province_code", "year") if k not in spec.primary_key)]
    for check, name_only in (
        ("column_in_dataframe", "缺少列"),
        ("column_in_schema", "有编码手册中没有的列"),
    ):
        missing = cases.loc[cases["check"] == check, "failure_case"].tolist()
        if missing:
            problems.append(f"表 {name} {name_only}：{'、'.join(map(str, missing))}")
    cases = cases[~cases["check"].isin(["column_in_dataframe", "column_in_schema"])].copy()
    combined = cases["check"] == "multiple_fields_uniqueness"
    cases.loc[combined, "column"] = "+".join(spec.primary_key)
    cases = cases[~(combined & cases.duplicated(["check", "index"]))]
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        text = _describe(str(check), str(column), group["check_number"].iloc[0], spec, texts)
        label = spec.columns[str(column)].label if str(column) in spec.columns else ""
        if str(check).startswith("dtype("):
            actual = raw.field(str(column)).type
            problems.append(f"表 {name} 列 {column}（{label}）{text}，实际为 {actual}")
            continue
        examples = [
            _example(canon, row, keys, value, hive)
            for row, value in zip(
                group["index"][:_EXAMPLES], group["failure_case"][:_EXAMPLES], strict=True
            )
        ]
        problems.append(
            f"表 {name} 列 {column}（{label}）：{len(group)} 行{text}；例如 " + "；".join(examples)
        )
    return problems
