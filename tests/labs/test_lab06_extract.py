"""lab06's data: the pinned `enforcement-extract` build, and the independent residual check on it.

The check must be able to fail (the raw extract holds every original value it collects) and must
not fail a correct release (the shipped `research` policy on the same extract); both are what
the lab's hidden test of question 5 relies on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from desensitize import desensitize_dataset, load_policy
from jianlab.labs.extract import (
    EXTRACT,
    original_values,
    released_texts,
    residual_hits,
    write_extract,
)
from jianlab.specs import load_manifest

KEY = bytes(range(32))
COLUMNS = {  # the identifier columns, as the lab's hidden tests pass them
    "persons": ["name", "id_number", "phone"],
    "vehicles": ["plate"],
    "bank_accounts": ["account_number"],
    "real_estate": ["certificate_number", "address"],
}


def _texts(folder: Path) -> list[str]:
    tables = [pd.read_parquet(folder / f"{name}.parquet") for name in EXTRACT.values()]
    docs = [p.read_text(encoding="utf-8") for p in sorted((folder / "casefiles").rglob("*.txt"))]
    return released_texts(tables, docs)


def test_build_matches_the_pinned_content_hash(enforcement_extract: Path) -> None:
    spec = load_manifest().builds["enforcement-extract"]
    built = json.loads((enforcement_extract / "manifest.json").read_text(encoding="utf-8"))
    assert spec.content_hash == built["content_hash"], (
        "enforcement-extract 的内容哈希与 datasets/synthetic/manifest.yaml 不符："
        "生成器或锁文件变了？确认改动有意后，把 content_hash 更新为 " + built["content_hash"]
    )


def test_raw_extract_holds_every_original(enforcement_extract: Path, tmp_path: Path) -> None:
    originals = original_values(enforcement_extract, enforcement_extract / "_truth", COLUMNS)
    raw = tmp_path / "原始摘录"
    tables = write_extract(enforcement_extract, raw)
    assert len(tables["人员"]) > 1000 and 50 <= len(list(raw.rglob("*.txt"))) <= 200
    assert set(residual_hits(originals, _texts(raw))) == originals


@pytest.mark.slow  # a whole release of the extract: seconds alone, much longer on a loaded machine
def test_research_release_leaves_no_original(enforcement_extract: Path, tmp_path: Path) -> None:
    raw = tmp_path / "原始摘录"
    write_extract(enforcement_extract, raw)
    out = tmp_path / "发布"
    desensitize_dataset(raw, out, load_policy("research"), KEY, qi={})
    originals = original_values(enforcement_extract, enforcement_extract / "_truth", COLUMNS)
    assert residual_hits(originals, _texts(out)) == {}
