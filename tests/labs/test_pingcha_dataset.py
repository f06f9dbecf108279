"""The dataset of lab04 (案件质量评查): the pinned bytes, small enough for a fast labs check, and
every rule of the checklist present in the answer key of the cases the students review."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.specs import load_manifest
from review import grade_findings, load_catalog, run_review

NAME = "enforcement-pingcha"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pingcha") / NAME
    result = CliRunner().invoke(app, ["data", "build", NAME, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _lab_cases(root: Path) -> set[str]:
    return {p.name for p in (root / "casefiles").iterdir()}


@pytest.mark.slow  # one enforcement build with every 终本 case's file (~20 s)
def test_content_hash_matches_the_manifest(built: Path) -> None:
    spec = load_manifest().builds[NAME]
    header = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert header["build_name"] == NAME
    assert spec.content_hash == header["content_hash"], (
        f"{NAME} 的内容哈希与 manifest.yaml 不符；确认改动有意后更新为 {header['content_hash']}"
    )


@pytest.mark.slow
def test_every_case_file_and_every_rule(built: Path) -> None:
    cases = pd.read_parquet(built / "enforcement_cases.parquet")
    zhongben = set(cases.loc[cases["closing_method"] == "终结本次执行程序", "case_id"])
    ids = _lab_cases(built)
    assert ids == zhongben and 120 <= len(ids) <= 260  # every 终本 case, a lab-sized set
    assert sum(1 for _ in (built / "casefiles").glob("*/*.txt")) < 2_000
    truth = pd.read_parquet(built / "_truth" / "violations.parquet")
    truth = truth[truth["case_id"].isin(ids)]
    rules = {r.id for r in load_catalog().rules if r.dataset == "enforcement"}
    # the checklist is taught on real hits: every rule but ZB-21, which only a fully performed
    # (执行完毕) case can break, never a 终本 one
    assert set(truth["rule_id"]) == rules - {"ZB-21"}


@pytest.mark.slow
def test_engine_grades_equal_the_truth_grades(built: Path) -> None:
    ids = sorted(_lab_cases(built))
    truth = pd.read_parquet(built / "_truth" / "violations.parquet")
    want = grade_findings(built, truth[["case_id", "rule_id"]]).set_index("case_id")["grade"]
    got = run_review(built).grades.to_pandas().set_index("case_id")["grade"]
    assert got.loc[ids].equals(want.loc[ids])
    assert set(want.loc[ids]) == {"优质", "合格", "瑕疵", "不合格"}
