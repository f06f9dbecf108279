"""The answer key is complete: each rule's set, re-derived from the raw tables by the student
code in support/student_rules.py (independent of generator and engine), equals `_truth/` exactly,
whether a record was planted or arose from the simulation; the engine agrees, kind by kind."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from review import run_review
from support.student_rules import Student
from synthgen import read_table

TABLES = ["enforcement_cases", "enforcement_actions", "vehicles", "vehicle_events", "real_estate",
          "bank_accounts", "insurance_policies", "ownership_transfers"]  # fmt: skip
RULES = {
    "simple": ["ZB-01", "ZB-02", "ZB-05", "ZB-06", "ZB-07", "ZB-08", "ZB-09"],
    "zb04": ["ZB-04"],
    "leads": ["ZB-04I", "ZB-04V"],
    "benchmark": ["ZB-03"],
    "later": ["ZB-11", "ZB-12"],
    "deadlines": ["ZB-13", "ZB-16", "ZB-21"],
    "oversealed": ["ZB-17"],
}
Key = tuple[str, str, str | None]


def _student(root: Path) -> Student:
    tables = {n: read_table(root, n) for n in TABLES}
    as_of = json.loads((root / "datapackage.json").read_text("utf-8"))["as_of_date"]
    return Student(tables, pd.Timestamp(as_of), root)


def _truth(root: Path) -> set[Key]:
    t = pd.read_parquet(root / "_truth" / "violations.parquet")
    return {(c, r, a if isinstance(a, str) else None)
            for c, r, a in zip(t["case_id"], t["rule_id"], t["asset_id"].astype(object),
                               strict=True)}  # fmt: skip


@pytest.fixture(scope="module")
def student(enforcement_zj: Path) -> Student:
    return _student(enforcement_zj)


@pytest.fixture(scope="module")
def truth(enforcement_zj: Path) -> set[Key]:
    return _truth(enforcement_zj)


def _compare(student: Student, truth: set[Key], family: str, require: bool) -> None:
    found = getattr(student, family)()
    for rule in RULES[family]:
        mine = {k for k in found if k[1] == rule}
        key = {k for k in truth if k[1] == rule}
        assert key or not require, rule
        assert mine == key, (rule, sorted(mine - key)[:3], sorted(key - mine)[:3])


@pytest.mark.parametrize("family", sorted(RULES))
def test_student_rederivation_equals_truth(student: Student, truth: set[Key], family: str) -> None:
    _compare(student, truth, family, require=True)


def test_every_enforcement_rule_is_rederived(truth: set[Key]) -> None:
    """No rule of the answer key is left without an independent re-derivation."""
    assert {k[1] for k in truth} == {r for rules in RULES.values() for r in rules}


def test_rederivation_on_four_provinces(enforcement_4p: Path) -> None:
    """The same student code equals the answer key on a four-province build (other courts,
    other seeds, restored cases across cohorts)."""
    student, truth = _student(enforcement_4p), _truth(enforcement_4p)
    provinces = set(read_table(enforcement_4p, "enforcement_cases")["province_code"])
    assert provinces == {"33", "44", "41", "51"}
    for family in RULES:
        _compare(student, truth, family, require=False)
    assert len({k[1] for k in truth}) >= 15


def test_zhongben_with_assets_is_unbound_property_at_last_query(
    student: Student, truth: set[Key]
) -> None:
    """带财终本 = property held at the last pre-终本 query and not bound by a measure in force, plus
    first-sealed real estate never put to sale without a lawful exception; every asset type is
    represented among the planted cases."""
    key = {k for k in truth if k[1] == "ZB-04"}
    assert student.zb04() == key
    prefixes = {a[:2] for _, _, a in key if a}
    assert {"BA", "IP", "RE"} <= prefixes


def test_engine_reports_kinds_apart(enforcement_zj: Path) -> None:
    result = run_review(enforcement_zj)
    f = result.findings
    kinds = dict(zip(f["rule_id"], f["kind"], strict=False))
    assert kinds["ZB-04V"] == "lead" and kinds["ZB-04I"] == "lead" and kinds["ZB-03"] == "benchmark"
    graded = result.grades.to_pandas()
    lead_only = set(f.loc[f["kind"] == "lead", "case_id"]) - set(
        f.loc[f["kind"] == "violation", "case_id"])  # fmt: skip
    assert lead_only
    assert not graded[graded["case_id"].isin(lead_only)]["grade"].isin(["瑕疵", "不合格"]).any()
