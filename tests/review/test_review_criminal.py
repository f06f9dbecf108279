"""Criminal rules: the engine equals the generator's planted truth exactly, and the boundaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from review import run_review

KEY = ["case_id", "rule_id", "suspect_id"]


def _keys(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    return set(map(tuple, frame[KEY].astype(str).to_numpy()))


@pytest.mark.parametrize("fixture", ["criminal_small", "criminal_hive"])
def test_findings_equal_planted_truth(fixture: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(fixture)
    truth = pd.read_parquet(root / "_truth" / "violations.parquet")
    result = run_review(root)
    assert len(truth) > 0
    assert _keys(result.findings) == _keys(truth)
    merged = result.findings.merge(truth, on=KEY)
    assert (merged["detail_x"] == merged["detail_y"]).all()
    cases = root / "criminal_cases.parquet"
    n_cases = len(pd.read_parquet(cases if cases.exists() else root / "criminal_cases"))
    assert result.grades.num_rows == n_cases


def _write(root: Path, arrest: list[tuple[str, str, str]],
           pros: list[tuple[str, str, str, int]]) -> Path:  # fmt: skip
    root.mkdir()
    ids = sorted({a[0] for a in arrest} | {p[0] for p in pros})
    pd.DataFrame({"case_id": [f"K{s}" for s in ids]}).to_parquet(root / "criminal_cases.parquet")
    pd.DataFrame({"suspect_id": ids, "case_id": [f"K{s}" for s in ids]}).to_parquet(
        root / "suspects.parquet"
    )
    d = dt.date.fromisoformat
    pd.DataFrame(
        [{"suspect_id": s, "received_date": d(r), "decision_date": d(x)} for s, r, x in arrest],
        columns=["suspect_id", "received_date", "decision_date"],
    ).astype({"received_date": "datetime64[s]", "decision_date": "datetime64[s]"}).to_parquet(
        root / "arrest_reviews.parquet"
    )
    pd.DataFrame(
        [
            {
                "suspect_id": s,
                "received_date": d(r),
                "decision_date": d(x),
                "returned_for_investigation": n,
            }
            for s, r, x, n in pros
        ]
    ).to_parquet(root / "prosecution_reviews.parquet")
    return root


def test_boundaries(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        arrest=[("S1", "2024-03-01", "2024-03-08"), ("S2", "2024-03-01", "2024-03-09"),
                ("S5", "2024-03-01", "2024-03-04")],
        pros=[("S3", "2024-01-31", "2024-03-15", 0), ("S4", "2024-01-31", "2024-03-16", 0),
              ("S6", "2024-01-31", "2024-04-20", 1)],
    )  # fmt: skip
    result = run_review(root)
    assert set(zip(result.findings["rule_id"], result.findings["suspect_id"], strict=True)) == {
        ("XS-03", "S2"), ("XS-04", "S4"),
    }  # fmt: skip
    grades = {g["case_id"]: g["grade"] for g in result.grades.to_pylist()}
    assert grades == {"KS1": "合格", "KS2": "不合格", "KS3": "合格", "KS4": "瑕疵",
                      "KS5": "优质", "KS6": "合格"}  # fmt: skip


def test_missing_return_column_counts_as_none(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", arrest=[], pros=[("S4", "2024-01-31", "2024-03-16", 0)])
    frame = pd.read_parquet(root / "prosecution_reviews.parquet")
    frame.drop(columns="returned_for_investigation").to_parquet(
        root / "prosecution_reviews.parquet"
    )
    result = run_review(root)
    assert result.findings["rule_id"].tolist() == ["XS-04"]
    assert result.filled_columns == {"prosecution_reviews": ["returned_for_investigation"]}
