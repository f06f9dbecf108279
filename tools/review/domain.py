"""Value domains checked before any rule runs, so the engine never grades garbage.

The rules assume what the generator's codebook promises: keys are never null, categorical
columns hold one of the listed values, and dates fall inside the data's period and not after
its as-of date. A dataset that breaks this (every received_date 2999-01-01, a null suspect_id, a
decision "💥") would otherwise be graded as if nothing were wrong — deadline rules simply find
nothing. Every violation is reported at once (table, column, count, examples) and the review
stops with exit code 2. Vocabularies come from the leaf package ``legal`` (the values the
rules compare with); keys, and which dates are bounded and how, from ``domains.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from configkit import StrictModel, read_yaml, validate
from legal import vocabulary
from review.catalog import Catalog, Dataset
from review.dataset import OpenDataset
from review.errors import ReviewInputError

DOMAINS_PATH = Path(__file__).with_name("domains.yaml")
EARLIEST = dt.date(1979, 1, 1)  # no period declared: nothing before the first 刑事诉讼法
EXAMPLES = 3


class PeriodSpec(StrictModel):
    not_null: dict[str, list[str]] = Field(description="表 → 不得为空的键与必填列")
    nullable: dict[str, list[str]] = Field(
        default_factory=dict, description="表 → 可以为空、非空时须在词表内的列"
    )
    period_end: Literal["as_of", "last_year"] = Field(description="数据期间的终点怎样确定")
    period_dates: dict[str, list[str]] = Field(description="表 → 须落在数据期间内的日期列")
    not_after_end: dict[str, list[str]] = Field(description="表 → 不得晚于期间终点的日期列")


class Domains(StrictModel):
    criminal: PeriodSpec = Field(description="刑事审查数据集")
    enforcement: PeriodSpec = Field(description="执行数据集")


@dataclass(frozen=True)
class Violation:
    table: str
    column: str
    problem: str
    count: int
    examples: list[str]

    def line(self) -> str:
        shown = f"（例：{'、'.join(self.examples)}）" if self.examples else ""
        return f"数据表 {self.table} 的列 {self.column}：{self.problem} {self.count:,} 行{shown}"


class DomainError(ReviewInputError):
    """Values outside the domains the rules rely on; ``violations`` lists every one."""

    def __init__(self, violations: list[Violation]) -> None:
        lines = "\n".join(f"  - {v.line()}" for v in violations)
        super().__init__(
            f"数据集的取值不符合评查规则依赖的取值范围，未评查"
            f"（共 {len(violations)} 处）：\n{lines}",
            table=violations[0].table,
            column=violations[0].column,
        )
        self.violations = violations


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    why_end: str


@lru_cache(maxsize=1)
def load_domains() -> dict[Dataset, PeriodSpec]:
    data = read_yaml(DOMAINS_PATH, error=ReviewInputError)
    domains = validate(data, Domains, str(DOMAINS_PATH), error=ReviewInputError)
    return {"criminal": domains.criminal, "enforcement": domains.enforcement}


def _json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def declared_years(root: Path) -> tuple[int, int] | None:
    """First and last year of the build (manifest.json, else the codebook's build record)."""
    years = _json(root / "manifest.json").get("years")
    if isinstance(years, list) and years and all(isinstance(y, int) for y in years):
        return min(years), max(years)
    dataset = _json(root / "codebook.json").get("dataset")
    build = dataset.get("build") if isinstance(dataset, dict) else None
    text = str(build.get("years", "")) if isinstance(build, dict) else ""
    found = [int(y) for y in re.findall(r"\d{4}", text)]
    return (min(found), max(found)) if found else None


def period(spec: PeriodSpec, root: Path, as_of: dt.date | None) -> Period:
    years = declared_years(root)
    start = dt.date(years[0], 1, 1) if years else EARLIEST
    if as_of is not None:
        return Period(start, as_of, f"数据截止日 {as_of}")
    if spec.period_end == "last_year" and years:
        return Period(start, dt.date(years[1], 12, 31), f"数据末年 {years[1]} 年末")
    today = dt.date.today()
    return Period(start, today, f"今天 {today}")


@dataclass(frozen=True)
class TableDomain:
    """What one table must satisfy, from the codebook and ``domains.yaml``."""

    table: str
    not_null: list[str]
    vocabularies: dict[str, list[str]]
    period_dates: list[str]
    not_after_end: list[str]


def table_domains(kind: Dataset, catalog: Catalog) -> list[TableDomain]:
    """The tables the catalog reads for ``kind`` with their keys, vocabularies and dates: keys
    from ``domains.yaml``, vocabularies from ``legal`` (the values the rules compare with)."""
    spec = load_domains()[kind]
    vocab = vocabulary().columns
    out = []
    for table in catalog.tables:
        if table not in spec.not_null:
            continue
        values = {c: list(v) for c, v in vocab.get(table, {}).items()}
        out.append(
            TableDomain(
                table,
                spec.not_null[table],
                values,
                spec.period_dates.get(table, []),
                spec.not_after_end.get(table, []),
            )
        )
    return out


def _columns(ds: OpenDataset, table: str) -> set[str]:
    return {str(r[0]) for r in ds.con.execute(f"DESCRIBE {table}").fetchall()}


def _null_rows(ds: OpenDataset, table: str, col: str) -> Violation | None:
    """Null or blank values, with the file and row of the first few (as the type check does)."""
    src = ds.sources[table]
    blank = _blank(col)
    if src.is_csv:
        rows = f"SELECT row_number() OVER () + 1 AS line, {col} FROM {src.reader}"
        shown = src.shown.replace("'", "''")
        where, order = f"'{shown} 第 ' || line || ' 行（含表头）'", "line"
    else:
        rows = f"SELECT * FROM {src.reader[:-1]}, filename = true, file_row_number = true)"
        where = "filename || ' 第 ' || (file_row_number + 1) || ' 行'"
        order = "filename, file_row_number"
    sql = (
        f"SELECT count(*) OVER (), {where} FROM ({rows}) WHERE {blank} "
        f"ORDER BY {order} LIMIT {EXAMPLES}"
    )
    found = ds.con.execute(sql).fetchall()
    if not found:
        return None
    return Violation(table, col, "为空（键或必填列）", int(found[0][0]), [str(r[1]) for r in found])


def _grouped(ds: OpenDataset, table: str, col: str, where: str, problem: str) -> Violation | None:
    """Rows matching ``where``, counted, with the most frequent offending values as examples."""
    sql = (
        f"SELECT CAST({col} AS VARCHAR) AS v, count(*) AS n FROM {table} WHERE {where} "
        f"GROUP BY v ORDER BY n DESC, v"
    )
    found = ds.con.execute(sql).fetchall()
    if not found:
        return None
    total = sum(int(r[1]) for r in found)
    examples = [f"“{r[0]}”×{r[1]}" for r in found[:EXAMPLES]]
    return Violation(table, col, problem, total, examples)


def _literal(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


@dataclass(frozen=True)
class _Check:
    """One domain condition on one column: ``where`` selects the offending rows."""

    col: str
    where: str
    problem: str | None  # None: a null check, reported with files and rows (``_null_rows``)


def _blank(col: str) -> str:
    return f"({col} IS NULL OR trim(CAST({col} AS VARCHAR)) = '')"


def _checks(domain: TableDomain, span: Period, present: set[str]) -> list[_Check]:
    checks = [_Check(c, _blank(c), None) for c in domain.not_null if c in present]
    for col, values in domain.vocabularies.items():
        where = f"trim(CAST({col} AS VARCHAR)) <> '' AND {col} NOT IN ({_literal(values)})"
        checks.append(_Check(col, where, f"取值不在代码本词表内（可用：{'、'.join(values)}）"))
    end = f"DATE '{span.end}'"
    for col in domain.period_dates:
        where = f"{col} < DATE '{span.start}' OR {col} > {end}"
        checks.append(
            _Check(col, where, f"日期不在数据期间 {span.start} 至 {span.end}（{span.why_end}）内")
        )
    for col in domain.not_after_end:
        checks.append(_Check(col, f"{col} > {end}", f"日期晚于 {span.end}（{span.why_end}）"))
    return [c for c in checks if c.col in present]


def _failing(ds: OpenDataset, table: str, checks: list[_Check]) -> list[_Check]:
    """The checks that some row breaks, from one scan of the table: a clean table (the usual
    case) costs one query instead of one per check, on a national year as on a test world."""
    if not checks:
        return []
    counts = ", ".join(f"count(*) FILTER (WHERE {c.where})" for c in checks)
    row = ds.con.execute(f"SELECT {counts} FROM {table}").fetchone() or ()
    return [c for c, n in zip(checks, row, strict=True) if n]


def check_table(ds: OpenDataset, domain: TableDomain, span: Period) -> list[Violation]:
    t = domain.table
    found: list[Violation | None] = [
        _null_rows(ds, t, c.col)
        if c.problem is None
        else _grouped(ds, t, c.col, c.where, c.problem)
        for c in _failing(ds, t, _checks(domain, span, _columns(ds, t)))
    ]
    return [v for v in found if v is not None]


def check_domains(
    ds: OpenDataset, catalog: Catalog, root: Path, as_of: dt.date | None = None
) -> None:
    """Raise DomainError listing every violation; ``as_of`` is the declared or given one."""
    violations: list[Violation] = []
    for kind in ds.kinds:
        span = period(load_domains()[kind], root, as_of)
        for domain in table_domains(kind, catalog):
            if ds.has(domain.table) and _has_view(ds, domain.table):
                violations += check_table(ds, domain, span)
    if violations:
        raise DomainError(violations)


def _has_view(ds: OpenDataset, table: str) -> bool:
    sql = "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal"
    row = ds.con.execute(sql, [table]).fetchone()
    return bool(row and row[0])
