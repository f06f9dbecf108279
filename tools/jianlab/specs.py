"""The dataset manifest (`datasets/synthetic/manifest.yaml`): generators and named builds."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST_PATH = REPO_ROOT / "datasets" / "synthetic" / "manifest.yaml"
BUILD_ROOT = REPO_ROOT / "datasets" / "synthetic" / "build"


class GeneratorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    teaches: str
    tables: list[str]
    status: str | None = None


class BuildSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    generator: str
    title: str
    teaches: str
    seed: int
    scale: float
    years: str
    provinces: list[str] | None = None
    content_hash: str | None = None


class DatasetManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    generators: dict[str, GeneratorInfo]
    builds: dict[str, BuildSpec]


@lru_cache(maxsize=1)
def load_manifest(path: Path = MANIFEST_PATH) -> DatasetManifest:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return DatasetManifest.model_validate(data)
