"""The JSON Schemas in docs/schemas/ are exactly what the configuration models export, so the
documented keys and descriptions never drift from the code."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from configkit import schema_json
from jianlab.schemas import CONFIG_MODELS, SCHEMA_DIR


@pytest.mark.parametrize(("name", "model"), sorted(CONFIG_MODELS.items()))
def test_committed_schema_matches_model(name: str, model: type[BaseModel]) -> None:
    path = SCHEMA_DIR / f"{name}.schema.json"
    assert path.is_file(), f"缺少 {path}；运行 .venv/bin/python -m jianlab.schemas 生成"
    assert path.read_text(encoding="utf-8") == schema_json(model), (
        f"{path} 与模型不一致；运行 .venv/bin/python -m jianlab.schemas 重新生成"
    )


def test_every_schema_file_has_a_model() -> None:
    names = {p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")}
    assert names == set(CONFIG_MODELS)
