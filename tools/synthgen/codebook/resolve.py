"""Resolve a codebook's references into the parameters of a build: vocabularies (``values_from``)
and calibrated numbers with their sources.

Numbers and sources are looked up, never copied into the codebook, so a scenario build documents
the numbers it used and flags each one a scenario changed (its published source no longer holds).
"""

from __future__ import annotations

import re
from typing import Any, cast

from synthgen.codebook.documents import resolve_documents
from synthgen.codebook.model import Codebook, CodebookError, Grade, SourceEntry, SourceRef

_GRADE = re.compile(r"^\[(S|D|K)\]")


def get_path(tree: Any, path: str) -> Any:
    """``a.b.2021`` in nested dicts whose keys may be ints (years); KeyError when absent."""
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict):
            raise KeyError(path)
        if part in node:
            node = node[part]
        elif part.lstrip("-").isdigit() and int(part) in node:
            node = node[int(part)]
        else:
            raise KeyError(path)
    return node


def _lookup(tree: dict[str, Any], path: str) -> Any:
    try:
        return get_path(tree, path)
    except KeyError as exc:
        raise CodebookError(f"编码手册引用的参数 {path} 不存在") from exc


def _entry(path: str, value: Any, text: Any, text_path: str, note: str | None) -> SourceEntry:
    if not isinstance(text, str):
        raise CodebookError(f"参数 {text_path} 不是来源文字")
    match = _GRADE.match(text)
    grade = cast(Grade, match.group(1)) if match else None
    return SourceEntry(
        param=path, value=value, source=text, source_param=text_path, grade=grade, note=note
    )


def _resolve_ref(ref: SourceRef, params: dict[str, Any], years: list[int]) -> list[SourceEntry]:
    node = _lookup(params, ref.param)
    if ref.source is not None:
        return [_entry(ref.param, node, _lookup(params, ref.source), ref.source, ref.note)]
    if isinstance(node, dict) and "source" in node:
        rest = {k: v for k, v in node.items() if k != "source"}
        value = rest["value"] if set(rest) == {"value"} else rest
        return [_entry(ref.param, value, node["source"], f"{ref.param}.source", ref.note)]
    if isinstance(node, dict) and node and all(isinstance(v, dict) for v in node.values()):
        keys = [k for k in node if not isinstance(k, int) or k in years]
        sub = [SourceRef(param=f"{ref.param}.{k}", note=ref.note) for k in keys]
        return [e for r in sub for e in _resolve_ref(r, params, years)]
    raise CodebookError(f"参数 {ref.param} 没有 source 字段；请在编码手册中写明 source 路径")


def _vocabulary(paths: list[str], params: dict[str, Any]) -> list[str | int]:
    out: list[str | int] = []
    for path in paths:
        node = _lookup(params, path)
        out.extend(list(node) if isinstance(node, dict | list) else [node])
    return out


def resolve_codebook(
    codebook: Codebook, params: dict[str, Any], default: dict[str, Any]
) -> Codebook:
    """Fill vocabularies and calibrated numbers from ``params`` (a dumped CriminalParams); an
    entry whose value differs from ``default`` is marked as overridden by a scenario."""
    years = [int(y) for y in params["years"]]

    def entries(refs: list[SourceRef]) -> list[SourceEntry]:
        out = [e for r in refs for e in _resolve_ref(r, params, years)]
        for e in out:
            try:
                e.overridden = get_path(default, e.param) != get_path(params, e.param)
            except KeyError:
                e.overridden = True
        return out

    tables = {}
    for name, table in codebook.tables.items():
        columns = {
            col_name: col.model_copy(
                update={
                    "values": _vocabulary(col.values_from, params)
                    if col.values_from
                    else col.values,
                    "calibration": entries(col.sources),
                }
            )
            for col_name, col in table.columns.items()
        }
        tables[name] = table.model_copy(update={"columns": columns})
    ds = codebook.dataset
    dataset = ds.model_copy(
        update={
            "planted": {
                k: p.model_copy(update={"calibration": entries(p.sources)})
                for k, p in ds.planted.items()
            },
            "calibration": [
                g.model_copy(update={"calibration": entries(g.sources)}) for g in ds.calibration
            ],
            "documents": resolve_documents(ds.documents, entries),
        }
    )
    return Codebook(dataset=dataset, tables=tables)
