"""Which codebook a dataset folder has: its own ``codebook.json``, or the shipped one resolved with
the default parameters of the dataset and years its manifest names (older builds, real data); and
writing a resolved codebook as JSON for programs and Markdown for people."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthgen.codebook.markdown import render_markdown
from synthgen.codebook.model import (
    CODEBOOK_JSON,
    CODEBOOK_MD,
    Codebook,
    CodebookMissing,
    load_codebook,
    read_codebook_json,
)
from synthgen.codebook.resolve import resolve_codebook
from synthgen.criminal.params import ParamError, load_criminal_params
from synthgen.enforcement.params import load_enforcement_params


def _criminal_params(years: list[int] | None) -> dict[str, Any]:
    return load_criminal_params(None, years).model_dump()


def _enforcement_params(years: list[int] | None) -> dict[str, Any]:
    return load_enforcement_params(None, years).data


# Where each dataset's codebook references point: its default parameters, as a plain dict.
DEFAULT_PARAMS: dict[str, Callable[[list[int] | None], dict[str, Any]]] = {
    "criminal": _criminal_params,
    "enforcement": _enforcement_params,
}


def shipped_codebook(directory: Path) -> Codebook:
    """The codebook shipped with synthgen, resolved with the default parameters for the dataset
    and years that the folder's manifest names (all years when it names none)."""
    name, years = "criminal", None
    try:
        header = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        name, years = header.get("dataset", name), header.get("years")
    except (OSError, ValueError, AttributeError):
        pass
    codebook = load_codebook(name)
    defaults = DEFAULT_PARAMS.get(name)
    if defaults is None:
        raise CodebookMissing(f"数据集「{name}」没有默认参数，无法解析其编码手册")
    try:
        params = defaults(years)
    except ParamError:
        params = defaults(None)
    return resolve_codebook(codebook, params, params)


def dataset_codebook(directory: Path) -> Codebook:
    """The codebook a dataset folder was written with, or the shipped one for folders without
    ``codebook.json`` (older builds, real data)."""
    path = directory / CODEBOOK_JSON
    return read_codebook_json(path) if path.exists() else shipped_codebook(directory)


def write_codebook(directory: Path, codebook: Codebook) -> None:
    """``codebook.json`` (the resolved data) and ``codebook.md`` (for people) in ``directory``."""
    payload = codebook.model_dump(mode="json", exclude_defaults=True)
    (directory / CODEBOOK_JSON).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (directory / CODEBOOK_MD).write_text(render_markdown(codebook, directory), encoding="utf-8")
