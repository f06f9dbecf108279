"""JSON Schemas of the configuration models, exported to ``docs/schemas/`` so that editors can
complete and check the YAML files and readers see every key with its description."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel


def schema_json(model: type[BaseModel]) -> str:
    return (
        json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def export_schemas(models: dict[str, type[BaseModel]], folder: Path) -> list[Path]:
    """One ``<name>.schema.json`` per model; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in sorted(models.items()):
        path = folder / f"{name}.schema.json"
        path.write_text(schema_json(model), encoding="utf-8")
        written.append(path)
    return written
