"""Run the catalog over a dataset: findings with basis and priority, and every case's grade."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from legal import enforcement_law
from review.catalog import Catalog, Rule, load_catalog
from review.dataset import OpenDataset, declared_as_of, open_dataset
from review.domain import check_domains
from review.grades import grade_cases
from review.registry import FINDING_COLUMNS, RuleContext
from review.rules import registered
from review.sqlkit import in_list, install_macros

FINDINGS_ORDER = [
    "priority_group", "priority_category", "kind", "severity", "rule_id", "title", "case_id",
    "suspect_id", "asset_id", "detail", "basis", "dataset",
]  # fmt: skip

Progress = Callable[[str, str], None]


@dataclass
class RuleRun:
    rule_id: str
    title: str
    ran: bool
    findings: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class ReviewResult:
    root: Path
    kinds: list[str]
    as_of: dt.date | None
    findings_table: pa.Table
    grades: pa.Table
    runs: list[RuleRun] = field(default_factory=list)
    filled_columns: dict[str, list[str]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> pd.DataFrame:
        """Findings of one rule kind: violation, lead (监督线索) or benchmark (考核节点)."""
        f = self.findings
        return f[f["kind"] == kind]

    @property
    def findings(self) -> pd.DataFrame:
        """Arrow-backed pandas view (cheap even for millions of findings)."""
        return self.findings_table.to_pandas(types_mapper=pd.ArrowDtype)


def plan(catalog: Catalog, ds: OpenDataset) -> list[tuple[Rule, str]]:
    """Rules of the present datasets, each with '' (runs) or the reason it is skipped."""
    out: list[tuple[Rule, str]] = []
    for rule in catalog.rules:
        if rule.dataset not in ds.kinds:
            continue
        absent = [t for t in rule.reads if not ds.has(t)]
        out.append((rule, f"缺少数据表 {'、'.join(absent)}，跳过" if absent else ""))
    return out


def run_review(
    root: Path,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
) -> ReviewResult:
    catalog = catalog or load_catalog()
    checks = registered()
    ds = open_dataset(root, catalog, as_of=as_of, threads=threads)
    try:
        check_domains(ds, catalog, root, as_of or declared_as_of(root))
    except BaseException:
        ds.con.close()
        raise
    install_macros(ds.con)
    parts: list[pa.Table] = []
    runs: list[RuleRun] = []
    for rule, skip in plan(catalog, ds):
        if progress:
            progress(rule.id, rule.title)
        if skip:
            runs.append(RuleRun(rule.id, rule.title, False, note=skip))
            continue
        start = time.perf_counter()
        found = checks[rule.id](RuleContext(ds, rule))
        runs.append(RuleRun(rule.id, rule.title, True, found.num_rows, time.perf_counter() - start))
        parts.append(_annotate(found, rule))
    findings = pa.concat_tables(parts) if parts else _annotate(_empty(), None)
    findings = _prioritise(ds, catalog, findings)
    grades = grade_cases(ds, catalog, findings)
    ds.con.close()
    return ReviewResult(root, list(ds.kinds), ds.as_of, findings, grades, runs, ds.filled)


def _empty() -> pa.Table:
    return pa.table({c: pa.array([], pa.string()) for c in FINDING_COLUMNS})


def expand_basis(basis: str) -> str:
    """The catalog's short instrument names (终本规定 …) spelled out with title and number on
    first mention, so a finding can be checked without the catalog at hand."""
    for short, inst in enforcement_law().instruments.items():
        if short in basis:
            basis = basis.replace(short, f"《{inst.title}》（{inst.number}）", 1)
    return basis


def _annotate(found: pa.Table, rule: Rule | None) -> pa.Table:
    n = found.num_rows
    meta = {
        "rule_id": rule.id if rule else None,
        "title": rule.title if rule else None,
        "basis": expand_basis(rule.basis) if rule else None,
        "kind": rule.kind if rule else None,
        "severity": rule.severity if rule else None,
        "dataset": rule.dataset if rule else None,
        "concern": (rule.priority_concern if rule else None) or "",
    }
    for name, value in meta.items():
        found = found.append_column(name, pa.array([value] * n, pa.string()) if n == 0 else
                                    pa.repeat(pa.scalar(value, pa.string()), n))  # fmt: skip
    return found


def _prioritise(ds: OpenDataset, catalog: Catalog, findings: pa.Table) -> pa.Table:
    """Attach each finding's priority group (涉民生 first, then 涉企, then 一般) and sort."""
    p = catalog.priority
    attrs = []
    if "enforcement" in ds.kinds:
        attrs.append(
            "SELECT case_id, priority_category AS cat, respondent_type FROM enforcement_cases"
        )
    if "criminal" in ds.kinds:
        attrs.append("SELECT case_id, NULL AS cat, NULL AS respondent_type FROM criminal_cases")
    livelihood = f"a.cat IN ({in_list(p.livelihood_categories)})"
    enterprise = (
        f"(a.cat = '{p.enterprise_category}' OR (f.concern = '{p.enterprise_group}' "
        f"AND a.respondent_type = '{p.enterprise_respondent_type}'))"
    )
    groups = ", ".join(f"'{g}'" for g in p.order)
    ds.con.register("findings_raw", findings)
    out = ds.con.sql(
        f"""
        WITH a AS (SELECT * FROM ({" UNION ALL ".join(attrs)})
                   SEMI JOIN findings_raw USING (case_id))
        SELECT CASE WHEN {livelihood} THEN '{p.livelihood_group}'
                    WHEN {enterprise} THEN '{p.enterprise_group}'
                    ELSE '{p.general_group}' END AS priority_group,
               CASE WHEN {livelihood} THEN a.cat
                    WHEN {enterprise} THEN '{p.enterprise_category}'
                    ELSE '{p.general_group}' END AS priority_category,
               f.* EXCLUDE (concern)
        FROM findings_raw f LEFT JOIN a USING (case_id)
        ORDER BY list_position(['violation', 'lead', 'benchmark'], f.kind),
                 list_position([{groups}], priority_group),
                 CASE f.severity WHEN '不合格' THEN 0 ELSE 1 END,
                 f.rule_id, f.case_id, f.suspect_id NULLS FIRST, f.asset_id NULLS FIRST
        """
    ).to_arrow_table()
    ds.con.unregister("findings_raw")
    return out.select(FINDINGS_ORDER)
