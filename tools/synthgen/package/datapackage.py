"""A Frictionless Tabular Data Package (``datapackage.json``) describing the tables of a dataset
folder as they are: one resource per table, every part file of a hive-partitioned table listed.

Frictionless tools cannot derive hive partition keys from paths, so for a partitioned resource
the Table Schema lists the columns stored in the files, and the keys are described in the
resource's ``partitioning`` property (the path pattern, with their Table Schema fields).
``validate_datapackage`` checks the descriptor's structure without the ``frictionless`` package.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from synthgen.codebook.model import Codebook, Column, Table
from synthgen.store.tablefiles import TableFiles, present_tables

DATAPACKAGE = "datapackage.json"
_FIELD_TYPES = {"string": "string", "date": "date", "integer": "integer", "number": "number"}
_MEDIATYPES = {
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NAME = re.compile(r"^[a-z0-9._-]+$")
_TABLE_SCHEMA_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip
_HIVE_NOTE = (
    "本数据按 hive 风格分区：分区资源的 path 列出全部分片文件，分区键见各资源的 partitioning 属性。"
    "Frictionless 工具把多文件资源当作字节拼接读取，对 Parquet 分片只读到第一个文件，"
    "因此请用 `jianlab data verify` 做完整校验。"
)
_CONSTRAINTS = {
    "required",
    "unique",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "enum",
}


def resource_name(table: str) -> str:
    """Frictionless names allow lowercase letters, digits, '.', '-', '_' only:
    ``_truth/latent`` becomes ``truth.latent``."""
    return table.removeprefix("_").replace("/", ".")


def _field(name: str, col: Column, unique: bool) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not col.nullable}
    if unique:
        constraints["unique"] = True
    if col.allowed is not None:
        constraints["enum"] = list(col.allowed)
    if col.pattern is not None:
        constraints["pattern"] = col.pattern
    for key, bound in (("minimum", col.minimum), ("maximum", col.maximum)):
        if bound is not None:
            constraints[key] = int(bound) if col.type in ("integer", "boolean") else bound
    field: dict[str, Any] = {
        "name": name,
        "title": col.label,
        "description": col.description + ("（0/1 布尔：1 = 是）" if col.type == "boolean" else ""),
        "type": _FIELD_TYPES.get(col.type, "integer"),
        "format": "default",
        "constraints": constraints,
    }
    if col.unit:
        field["unit"] = col.unit
    return field


def _missing_values(table: Table, stored: list[str]) -> list[str]:
    """Nullable numbers are written as float NaN, which Frictionless reads as the text "nan"."""
    nan = any(table.columns[c].type == "number" and table.columns[c].nullable for c in stored)
    return ["", "NaN", "nan"] if nan else [""]


def _schema(name: str, table: Table, stored: list[str], present: set[str]) -> dict[str, Any]:
    unique_key = table.primary_key if len(table.primary_key) == 1 else []
    schema: dict[str, Any] = {
        "fields": [_field(c, table.columns[c], c in unique_key) for c in stored],
        "missingValues": _missing_values(table, stored),
    }
    if all(k in stored for k in table.primary_key):
        schema["primaryKey"] = list(table.primary_key)
    fks = [
        {
            "fields": list(fk.fields),
            "reference": {
                "resource": "" if fk.table == name else resource_name(fk.table),
                "fields": list(fk.ref_fields),
            },
        }
        for fk in table.foreign_keys
        if fk.table in present and all(f in stored for f in fk.fields)
    ]
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _resource(
    name: str, table: Table, files: TableFiles, present: set[str], keys: list[str]
) -> dict[str, Any]:
    hive_keys = [k for k in keys if k in table.columns] if files.hive else []
    stored = [c for c in table.columns if c not in hive_keys]
    resource: dict[str, Any] = {
        "profile": "tabular-data-resource",
        "name": resource_name(name),
        "title": table.label + ("（仅限教师）" if table.instructor_only else ""),
        "description": table.description,
        "path": files.paths if files.hive else files.paths[0],
        "format": files.format,
        "mediatype": _MEDIATYPES[files.format],
        "encoding": "utf-8",
        "schema": _schema(name, table, stored, present),
    }
    if files.format == "csv":
        resource["dialect"] = {"delimiter": ",", "header": True}
    if hive_keys:
        resource["partitioning"] = {
            "flavor": "hive",
            "pattern": "/".join(f"{k}={{{k}}}" for k in hive_keys) + "/part-0.parquet",
            "fields": [_field(k, table.columns[k], False) for k in hive_keys],
        }
    return resource


def build_datapackage(directory: Path, codebook: Codebook) -> dict[str, Any]:
    ds = codebook.dataset
    files = present_tables(directory, list(codebook.tables))
    keys = ds.layout.partition_keys
    hive_note = _HIVE_NOTE if any(f.hive for f in files.values()) else ""
    return {
        "profile": "tabular-data-package",
        "name": f"jianlab-{ds.name}",
        "title": ds.title,
        "description": ds.description + hive_note,
        "keywords": list(ds.keywords),
        "licenses": [ds.license.model_dump()],
        "sources": [s.model_dump(exclude_none=True) for s in ds.sources],
        "resources": [
            _resource(name, codebook.tables[name], f, set(files), keys) for name, f in files.items()
        ],
    }


def write_datapackage(directory: Path, codebook: Codebook) -> dict[str, Any]:
    descriptor = build_datapackage(directory, codebook)
    (directory / DATAPACKAGE).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return descriptor


def _check_path(path: Any, directory: Path | None) -> list[str]:
    if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/"):
        return [f"路径 {path!r} 必须是数据包内的相对路径"]
    if directory is not None and not (directory / path).is_file():
        return [f"路径 {path} 指向的文件不存在"]
    return []


def _check_fields(where: str, fields: Any) -> list[str]:
    if not isinstance(fields, list) or not fields:
        return [f"{where}：schema.fields 必须是非空列表"]
    problems = []
    for f in fields:
        if f.get("type") not in _TABLE_SCHEMA_TYPES:
            problems.append(
                f"{where}：字段 {f.get('name')} 的类型 {f.get('type')!r} 不是 Table Schema 类型"
            )
        unknown = set(f.get("constraints", {})) - _CONSTRAINTS
        if unknown:
            problems.append(f"{where}：字段 {f.get('name')} 有未知约束 {sorted(unknown)}")
        enum = f.get("constraints", {}).get("enum")
        if enum is not None and (not isinstance(enum, list) or not enum):
            problems.append(f"{where}：字段 {f.get('name')} 的 enum 必须是非空列表")
    names = [f.get("name") for f in fields]
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        problems.append(f"{where}：字段名必须是互不相同的非空字符串")
    return problems


def _check_keys(
    where: str, schema: dict[str, Any], fields_of: dict[str, set[str]], own: str
) -> list[str]:
    names = fields_of[own]
    problems = []
    missing_pk = [k for k in schema.get("primaryKey", []) if k not in names]
    if missing_pk:
        problems.append(f"{where}：primaryKey 含不存在的字段 {missing_pk}")
    for fk in schema.get("foreignKeys", []):
        ref = fk.get("reference", {})
        target = own if ref.get("resource") == "" else ref.get("resource")
        if target not in fields_of:
            problems.append(f"{where}：外键指向不存在的资源 {ref.get('resource')!r}")
            continue
        bad = [f for f in fk.get("fields", []) if f not in names]
        bad += [f for f in ref.get("fields", []) if f not in fields_of[target]]
        if bad or len(fk.get("fields", [])) != len(ref.get("fields", [])):
            problems.append(f"{where}：外键 {fk.get('fields')} → {target} 字段无效 {bad}")
    return problems


def validate_datapackage(descriptor: dict[str, Any], directory: Path | None = None) -> list[str]:
    """Structural problems of a tabular data package descriptor (Chinese), empty when valid."""
    problems = []
    if descriptor.get("profile") != "tabular-data-package":
        problems.append("profile 必须是 tabular-data-package")
    if not _NAME.match(str(descriptor.get("name", ""))):
        problems.append("数据包 name 只能含小写字母、数字与 . - _")
    for key, needed in (("licenses", ("name", "path")), ("sources", ("title",))):
        items = descriptor.get(key)
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and any(i.get(k) for k in needed) for i in items
        ):
            problems.append(f"{key} 必须是对象列表，每项至少有 {' 或 '.join(needed)}")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return [*problems, "resources 必须是非空列表"]
    fields_of = {
        str(r.get("name")): {f.get("name") for f in r.get("schema", {}).get("fields", [])}
        for r in resources
    }
    if len(fields_of) != len(resources):
        problems.append("资源名必须互不相同")
    for r in resources:
        where = f"资源 {r.get('name')}"
        if not _NAME.match(str(r.get("name", ""))):
            problems.append(f"{where}：name 只能含小写字母、数字与 . - _")
        if r.get("profile") != "tabular-data-resource":
            problems.append(f"{where}：profile 必须是 tabular-data-resource")
        paths = r.get("path")
        paths = paths if isinstance(paths, list) and paths else [paths]
        problems += [f"{where}：{p}" for path in paths for p in _check_path(path, directory)]
        if r.get("format") not in _MEDIATYPES:
            problems.append(f"{where}：format {r.get('format')!r} 不是 parquet/csv/xlsx")
        schema = r.get("schema", {})
        problems += _check_fields(where, schema.get("fields"))
        problems += _check_keys(where, schema, fields_of, str(r.get("name")))
    return problems
