"""The default teaching dataset: same bytes on every machine with the lockfile, right size."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.specs import load_manifest
from support.rederive import custody, rates, targets
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


@pytest.mark.parametrize(
    ("target", "column", "tolerance"),
    [
        ("non_arrest_rate", "non_arrest", 0.01),
        ("non_prosecution_rate", "non_pros", 0.01),
        ("detention_rate", "detention", 0.02),
    ],
)
def test_every_year_meets_its_target(
    teaching: Path, target: str, column: str, tolerance: float
) -> None:
    """On the very data the labs read, re-derived from the raw tables with code independent of
    the generator and the report (tests/support/rederive.py): 不捕率 and 不诉率 within ±1 pp of the
    published series, 诉前羁押率 within ±2 pp, in every year by year of decision."""
    frame = pd.concat([rates(teaching), custody(teaching)], axis=1)
    want = pd.Series(targets(target))
    got = frame[column].reindex(want.index)
    gap_pp = (100 * (got - want)).round(2)
    assert got.notna().all(), got.to_dict()
    assert (gap_pp.abs() <= 100 * tolerance).all(), gap_pp.to_dict()


def test_post_arrest_non_prosecution_in_band(teaching: Path) -> None:
    post = custody(teaching)["post_arrest_np"]
    assert len(post) == 8
    assert post.between(0.015, 0.04).all(), post.round(4).to_dict()
