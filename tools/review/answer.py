"""Grades from a given list of findings (an answer key, a student's list) rather than from the
rules: the grading half of the engine on its own. A lab's hidden tests grade each case from
`_truth/violations` with exactly the engine's rule of grading (only violations count, 优质 needs
the catalog's timeliness conditions), so "the truth grade" and "the engine's grade" can never
drift apart through two hand-written copies of that rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from review.catalog import Catalog, load_catalog
from review.dataset import open_dataset
from review.errors import ReviewInputError
from review.grades import grade_cases
from review.sqlkit import install_macros


def grade_findings(
    root: Path, findings: pd.DataFrame, catalog: Catalog | None = None
) -> pd.DataFrame:
    """Per case of the dataset at ``root``: ``case_id`` and ``grade`` when ``findings`` (columns
    ``case_id``, ``rule_id``) are the findings. Kind and severity come from the catalog."""
    catalog = catalog or load_catalog()
    rules = {r.id: r for r in catalog.rules}
    unknown = sorted(set(findings["rule_id"]) - set(rules))
    if unknown:
        raise ReviewInputError(f"规则目录中没有这些规则：{'、'.join(unknown)}")
    ids = findings["rule_id"].tolist()
    table = pa.table(
        {
            "case_id": pa.array(findings["case_id"].astype(str).tolist(), pa.string()),
            "rule_id": pa.array(ids, pa.string()),
            "kind": pa.array([rules[i].kind for i in ids], pa.string()),
            "severity": pa.array([rules[i].severity for i in ids], pa.string()),
        }
    )
    ds = open_dataset(root, catalog)
    try:
        install_macros(ds.con)  # the connection state run_review grades in (ends open results)
        grades = grade_cases(ds, catalog, table)
    finally:
        ds.con.close()
    return grades.select(["case_id", "grade"]).to_pandas()
