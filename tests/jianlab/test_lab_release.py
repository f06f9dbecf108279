"""`release:` of a lab dataset: the student copy is a desensitize release of the build, keyed by
the same case ids and dates (so the grader joins truth by case id), never holding `_truth/`."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from jianlab.labs.datasets import DatasetError, copy_tables
from support.builds import shared_build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("enforcement_casefiles", tmp_path_factory)


@pytest.mark.slow  # one desensitize release of ~1,900 documents
@pytest.mark.parametrize("documents", [True, False])
def test_release_copy_keeps_keys_and_replaces_names(
    built: Path, tmp_path: Path, documents: bool
) -> None:
    dest = tmp_path / "data" / "e"
    copy_tables(built, dest, casefiles=documents, release="teaching")
    assert not (dest / "_truth").exists()
    assert (dest / "casefiles").is_dir() == documents
    cols = ["case_id", "case_number", "filing_date", "closing_date"]
    raw, out = (pd.read_parquet(d / "enforcement_cases.parquet")[cols] for d in (built, dest))
    assert (
        out.sort_values("case_id")
        .reset_index(drop=True)
        .equals(raw.sort_values("case_id").reset_index(drop=True))
    )
    names = set(pd.read_parquet(built / "persons.parquet")["name"])
    assert not names & set(pd.read_parquet(dest / "persons.parquet")["name"])
    if documents:
        folders = {p.name for p in (built / "casefiles").iterdir()}
        assert {p.name for p in (dest / "casefiles").iterdir()} == folders
        for original in sorted((built / "casefiles").glob("*/*_执行裁定书.txt"))[:20]:
            party = re.search(r"被执行人：([^，（]+)，[男女]", original.read_text("utf-8"))
            released = dest / original.relative_to(built)
            if party is not None:  # a natural person respondent: the name is replaced
                assert party.group(1) not in released.read_text("utf-8")


@pytest.mark.parametrize("policy", ["research", "nope"])
def test_release_copy_refuses_policies_that_break_the_join(tmp_path: Path, policy: str) -> None:
    with pytest.raises(DatasetError, match="策略"):
        copy_tables(tmp_path / "missing", tmp_path / "out", release=policy)
