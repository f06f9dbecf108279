"""The default teaching dataset: same bytes on every machine with the lockfile, right size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.specs import load_manifest
from synthgen import read_table


@pytest.fixture(scope="module")
def teaching(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("teaching") / "criminal-teaching"
    result = CliRunner().invoke(app, ["data", "build", "criminal-teaching", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_content_hash_matches_committed_manifest(teaching: Path) -> None:
    spec = load_manifest().builds["criminal-teaching"]
    built = json.loads((teaching / "manifest.json").read_text(encoding="utf-8"))
    assert built["build_name"] == "criminal-teaching"
    assert spec.content_hash == built["content_hash"], (
        "教学数据集的内容哈希与 datasets/synthetic/manifest.yaml 不符：生成器或锁文件变了？"
        "确认改动有意后，把 content_hash 更新为 " + built["content_hash"]
    )


def test_size_suits_labs_and_funnel_plots(teaching: Path) -> None:
    suspects = read_table(teaching, "suspects", ["procuratorate_id"])
    per_proc = suspects["procuratorate_id"].value_counts()
    assert 60_000 <= len(suspects) <= 150_000  # a lab reads it in seconds
    assert (per_proc >= 30).sum() >= 300  # several hundred procuratorates for funnel plots
    assert per_proc.max() / per_proc.median() >= 5  # of clearly varied size
