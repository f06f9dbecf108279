"""Values outside the domains the rules rely on stop the review (exit 2, Chinese report naming
table, column, count and examples) instead of being graded: one row per damaged dataset."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from review import run_review
from review.catalog import load_catalog
from review.domain import DomainError, declared_years, table_domains

CRIMINAL_FILES = [
    "criminal_cases.parquet", "suspects.parquet", "arrest_reviews.parquet",
    "prosecution_reviews.parquet", "manifest.json", "codebook.json",
]  # fmt: skip
AS_OF = dt.date(2024, 12, 31)


def _edit(root: Path, table: str, change: Callable[[pd.DataFrame], None]) -> None:
    path = root / f"{table}.parquet"
    frame = pd.read_parquet(path)
    change(frame)
    frame.to_parquet(path, index=False)


def _set(table: str, column: str, value: Any, rows: slice | None = None) -> Callable[[Path], None]:
    def change(frame: pd.DataFrame) -> None:
        if rows is None:
            frame[column] = pd.Series([value] * len(frame), dtype="object")
        else:
            frame[column] = frame[column].astype("object")
            frame.loc[frame.index[rows], column] = value

    return lambda root: _edit(root, table, change)


def _both(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for damage in damages:
            damage(root)

    return apply


CRIMINAL = [
    (
        "received 2999 and decision null",
        _both(
            _set("arrest_reviews", "received_date", dt.date(2999, 1, 1)),
            _set("arrest_reviews", "decision", None),
        ),
        [("arrest_reviews", "received_date", "2999-01-01"), ("arrest_reviews", "decision", "为空")],
    ),
    (
        "null suspect_id and decision 💥",
        _both(
            _set("suspects", "suspect_id", None, slice(0, 2)),
            _set("prosecution_reviews", "decision", "💥", slice(0, 5)),
        ),
        [("suspects", "suspect_id", "为空"), ("prosecution_reviews", "decision", "💥")],
    ),
    (
        "blank case_id",
        _set("criminal_cases", "case_id", "  ", slice(3, 4)),
        [("criminal_cases", "case_id", "为空")],
    ),
    (
        "decision before the period",
        _set("prosecution_reviews", "decision_date", dt.date(2017, 12, 31), slice(0, 1)),
        [("prosecution_reviews", "decision_date", "2017-12-31")],
    ),
    (
        "decision after the last year",
        _set("arrest_reviews", "decision_date", dt.date(2026, 1, 1), slice(0, 1)),
        [("arrest_reviews", "decision_date", "2026-01-01")],
    ),
    (
        "unknown arrest decision",
        _set("arrest_reviews", "decision", "批捕", slice(0, 3)),
        [("arrest_reviews", "decision", "批捕")],
    ),
]


def _said(text: str, output: str) -> bool:
    return re.sub(r"\s+", "", text) in re.sub(r"\s+", "", output)


@pytest.fixture
def criminal_copy(criminal_small: Path, tmp_path: Path) -> Path:
    root = tmp_path / "crim"
    root.mkdir()
    for name in CRIMINAL_FILES:
        shutil.copy2(criminal_small / name, root / name)
    return root


@pytest.mark.parametrize(("damage", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CRIMINAL])
def test_criminal_domain_violations_stop_the_review(
    criminal_copy: Path,
    tmp_path: Path,
    damage: Callable[[Path], None],
    expected: list[tuple[str, str, str]],
) -> None:
    damage(criminal_copy)
    with pytest.raises(DomainError) as info:
        run_review(criminal_copy)
    found = {(v.table, v.column) for v in info.value.violations}
    assert found == {(t, c) for t, c, _ in expected}
    for v in info.value.violations:
        assert v.count > 0 and v.examples
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(
        app, ["review", "run", str(criminal_copy), "--out", str(out / "f.parquet")]
    )
    assert result.exit_code == 2, result.output
    for table, column, example in expected:
        assert _said(f"数据表 {table} 的列 {column}", result.output)
        assert _said(example, result.output)
    assert "优质" not in result.output
    assert list(out.iterdir()) == []


def test_null_key_examples_name_file_and_row(criminal_copy: Path) -> None:
    _set("suspects", "suspect_id", None, slice(4, 6))(criminal_copy)
    with pytest.raises(DomainError) as info:
        run_review(criminal_copy)
    (violation,) = info.value.violations
    assert violation.count == 2
    assert violation.examples == [
        f"{criminal_copy / 'suspects.parquet'} 第 5 行",
        f"{criminal_copy / 'suspects.parquet'} 第 6 行",
    ]


def _enforcement(root: Path) -> Path:
    """Two small cases, typed like the generator's tables, with no build record (so the period
    is bounded by the as-of date only)."""
    root.mkdir()
    cases = pd.DataFrame({
        "case_id": ["C1", "C2"], "case_type": ["首次执行"] * 2, "origin_case_id": [None, None],
        "filing_date": [dt.date(2023, 1, 2)] * 2, "respondent_id": ["R1", "R2"],
        "respondent_type": ["自然人", "法人"], "priority_category": ["一般", "涉企"],
        "amount_claimed": [1000.0, 2000.0], "closing_date": [dt.date(2023, 3, 1), None],
        "closing_method": ["执行完毕", "未结"], "amount_recovered": [1000.0, 0.0],
    })  # fmt: skip
    actions = pd.DataFrame({
        "action_id": ["A1", "A2", "A3"], "case_id": ["C1", "C1", "C2"],
        "action_type": ["执行通知", "执行完毕", "执行通知"],
        "action_date": [dt.date(2023, 1, 3), dt.date(2023, 3, 1), dt.date(2023, 1, 3)],
        "asset_type": [None, None, None], "asset_id": [None, None, None],
        "amount": [None, None, None],
    })  # fmt: skip
    cases.to_parquet(root / "enforcement_cases.parquet", index=False)
    actions.astype({"asset_type": "object", "asset_id": "object", "amount": "float64"}).to_parquet(
        root / "enforcement_actions.parquet", index=False
    )
    return root


ENFORCEMENT = [
    ("clean", None, []),
    (
        "closing method outside the codebook",
        _set("enforcement_cases", "closing_method", "终本", slice(0, 1)),
        [("enforcement_cases", "closing_method")],
    ),
    (
        "action after the as-of date",
        _set("enforcement_actions", "action_date", dt.date(2025, 1, 1), slice(2, 3)),
        [("enforcement_actions", "action_date")],
    ),
    (
        "null case_id in actions",
        _set("enforcement_actions", "case_id", None, slice(0, 1)),
        [("enforcement_actions", "case_id")],
    ),
    (
        "null priority category",
        _set("enforcement_cases", "priority_category", None, slice(1, 2)),
        [("enforcement_cases", "priority_category")],
    ),
    (
        "unknown asset type (nullable column, non-null value)",
        _set("enforcement_actions", "asset_type", "比特币", slice(0, 1)),
        [("enforcement_actions", "asset_type")],
    ),
]


@pytest.mark.parametrize(
    ("damage", "expected"), [pytest.param(*c[1:], id=c[0]) for c in ENFORCEMENT]
)
def test_enforcement_domains(
    tmp_path: Path, damage: Callable[[Path], None] | None, expected: list[tuple[str, str]]
) -> None:
    root = _enforcement(tmp_path / "enf")
    if damage is not None:
        damage(root)
    if not expected:
        assert run_review(root, as_of=AS_OF).grades.num_rows == 2
        return
    with pytest.raises(DomainError) as info:
        run_review(root, as_of=AS_OF)
    assert {(v.table, v.column) for v in info.value.violations} == set(expected)


@pytest.mark.parametrize(
    ("files", "years"),
    [
        ({"manifest.json": '{"years": [2021, 2023, 2022]}'}, (2021, 2023)),
        ({"codebook.json": '{"dataset": {"build": {"years": "2018–2025"}}}'}, (2018, 2025)),
        ({"manifest.json": '{"years": "x"}', "codebook.json": "not json"}, None),
        ({}, None),
    ],
)
def test_declared_years(
    tmp_path: Path, files: dict[str, str], years: tuple[int, int] | None
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert declared_years(tmp_path) == years


@pytest.mark.parametrize("kind", ["criminal", "enforcement"])
def test_domains_cover_keys_and_vocabularies(kind: str) -> None:
    """The checks come from the codebook: every read table has its primary key checked, and
    the columns the rules compare with literals have vocabularies."""
    domains = {d.table: d for d in table_domains(kind, load_catalog())}  # type: ignore[arg-type]
    if kind == "criminal":
        assert domains["arrest_reviews"].vocabularies["decision"] == [
            "批准逮捕",
            "不批准逮捕",
            "其他",
        ]
        assert "suspect_id" in domains["arrest_reviews"].not_null
        assert domains["suspects"].not_null[:2] == ["suspect_id", "case_id"]
    else:
        assert "终结本次执行程序" in domains["enforcement_cases"].vocabularies["closing_method"]
        assert "case_id" in domains["enforcement_actions"].not_null
        assert "asset_type" not in domains["enforcement_actions"].not_null
