"""The helper that builds the repository's named datasets on a fresh clone (labs check, grading
benchmarks): an existing build is reused byte for byte, an unknown name fails with the CLI's
Chinese error instead of a half-made folder."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import support.repo_datasets as repo_datasets


def test_existing_build_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repo_datasets, "datasets_build_dir", lambda: tmp_path)
    table = tmp_path / "criminal-teaching" / "suspects.parquet"
    table.parent.mkdir()
    pq.write_table(pa.table({"suspect_id": ["S1"]}), table)
    before = table.read_bytes()
    repo_datasets.ensure_built(["criminal-teaching", "criminal-teaching"])
    assert table.read_bytes() == before
    assert [p.name for p in table.parent.iterdir()] == ["suspects.parquet"]


def test_unknown_name_fails_with_the_cli_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo_datasets, "datasets_build_dir", lambda: tmp_path)
    with pytest.raises(AssertionError, match="nonesuch"):
        repo_datasets.ensure_built(["nonesuch"])
    assert not any((tmp_path / "nonesuch").rglob("*.parquet"))
