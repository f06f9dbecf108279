"""Bad input: a typed error naming table and column from the library, exit code 2 from the CLI,
and no output written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from review import (
    ColumnTypeError,
    DatasetNotFoundError,
    MissingColumnError,
    MissingTableError,
    ReviewInputError,
    run_review,
)
from support.review_world import AS_OF, World


def _drop_table(root: Path) -> None:
    (root / "enforcement_actions.parquet").unlink()


def _drop_column(root: Path) -> None:
    path = root / "enforcement_actions.parquet"
    pd.read_parquet(path).drop(columns="action_date").to_parquet(path)


def _bad_date(root: Path) -> None:
    path = root / "enforcement_cases.parquet"
    frame = pd.read_parquet(path)
    frame["filing_date"] = frame["filing_date"].astype(str)
    frame.loc[1, "filing_date"] = "2023年13月1日"
    frame.to_parquet(path)


def _bad_amount(root: Path) -> None:
    path = root / "enforcement_cases.parquet"
    frame = pd.read_parquet(path)
    frame["amount_claimed"] = frame["amount_claimed"].astype(str)
    frame.loc[0, "amount_claimed"] = "十万元"
    frame.to_parquet(path)


def _int_date(root: Path) -> None:
    path = root / "bank_accounts.parquet"
    pd.DataFrame({"account_id": ["B1"], "owner_id": ["R-C1"], "balance": [1.0],
                  "balance_date": [20240101]}).to_parquet(path)  # fmt: skip


ERRORS = [
    ("missing table", _drop_table, MissingTableError, "enforcement_actions", None),
    ("missing column", _drop_column, MissingColumnError, "enforcement_actions", "action_date"),
    ("unparsable date", _bad_date, ColumnTypeError, "enforcement_cases", "filing_date"),
    ("non-numeric amount", _bad_amount, ColumnTypeError, "enforcement_cases", "amount_claimed"),
    ("integer in a date column", _int_date, ColumnTypeError, "bank_accounts", "balance_date"),
]


@pytest.fixture
def dataset(world: World, write_world: Callable[[World], Path]) -> Path:
    world.compliant_zb("C1")
    world.compliant_zb("C2")
    return write_world(world)


@pytest.mark.parametrize(("damage", "error", "table", "column"),
                         [pytest.param(*e[1:], id=e[0]) for e in ERRORS])  # fmt: skip
def test_library_raises_typed_error(
    dataset: Path, damage: Callable[[Path], None], error: type[ReviewInputError], table: str,
    column: str | None,
) -> None:  # fmt: skip
    damage(dataset)
    with pytest.raises(error) as info:
        run_review(dataset, as_of=AS_OF)
    assert info.value.table == table
    assert table in str(info.value)
    if column:
        assert info.value.column == column
        assert column in str(info.value)


def test_bad_value_location_is_reported(dataset: Path) -> None:
    _bad_date(dataset)
    with pytest.raises(ColumnTypeError, match=r"第 2 行.*2023年13月1日"):
        run_review(dataset, as_of=AS_OF)


@pytest.mark.parametrize(("damage", "error", "table", "column"),
                         [pytest.param(*e[1:], id=e[0]) for e in ERRORS])  # fmt: skip
def test_cli_exits_non_zero_and_writes_nothing(
    dataset: Path, tmp_path: Path, damage: Callable[[Path], None], error: type[ReviewInputError],
    table: str, column: str | None,
) -> None:  # fmt: skip
    damage(dataset)
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(
        app, ["review", "run", str(dataset), "--out", str(out / "f.parquet")]
    )
    assert result.exit_code == 2
    assert table in result.output
    if column:
        assert column in result.output
    assert list(out.iterdir()) == []


def test_parsable_strings_are_accepted(dataset: Path) -> None:
    clean = run_review(dataset, as_of=AS_OF)
    path = dataset / "enforcement_cases.parquet"
    frame = pd.read_parquet(path)
    frame["filing_date"] = frame["filing_date"].astype(str)
    frame["amount_claimed"] = frame["amount_claimed"].astype(str)
    frame.to_parquet(path)
    again = run_review(dataset, as_of=AS_OF)
    assert again.grades.equals(clean.grades)


def test_missing_directory_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError):
        run_review(tmp_path / "nowhere")
    with pytest.raises(MissingTableError, match="enforcement_cases"):
        run_review(tmp_path)


def test_cli_writes_findings_grades_and_report(
    world: World, write_world: Callable[[World], Path], tmp_path: Path
) -> None:
    world.compliant_zb("C1", priority_category="抚养费")
    world.drop("C1", "限制消费令")
    world.compliant_zb("C2")
    root = write_world(world)
    out = tmp_path / "r" / "审查.parquet"
    out.parent.mkdir()
    args = ["review", "run", str(root), "--out", str(out), "--as-of", AS_OF.isoformat()]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    findings = pd.read_parquet(out)
    assert findings[["case_id", "rule_id", "priority_group"]].values.tolist() == [
        ["C1", "ZB-02", "涉民生"]
    ]
    grades = pd.read_parquet(out.with_name("审查_grades.parquet"))
    assert dict(zip(grades["case_id"], grades["grade"], strict=True)) == {
        "C1": "瑕疵",
        "C2": "优质",
    }
    report = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "# 案件质量评查报告" in report and "ZB-02" in report
    assert "## 违规：涉民生（1 条）" in report
    assert f"数据截止日：{AS_OF.isoformat()}" in report


def test_as_of_comes_from_datapackage(world: World, write_world: Callable[[World], Path]) -> None:
    world.case("C9", dt.date(2024, 1, 1))  # open case, never queried: ZB-03 depends on the end
    root = write_world(world)
    assert run_review(root).as_of == dt.date(2024, 1, 1)
    assert run_review(root).findings.empty
    (root / "datapackage.json").write_text('{"as_of_date": "2024-02-01"}', encoding="utf-8")
    result = run_review(root)
    assert result.as_of == dt.date(2024, 2, 1)
    assert result.findings["rule_id"].tolist() == ["ZB-03"]
