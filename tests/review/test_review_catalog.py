"""The catalog is complete against the contract, matches the registry one to one, and rejects
inconsistent entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from legal import threshold
from review.catalog import CATALOG_PATH, Catalog, CatalogError, load_catalog
from review.rules import registered

RULES_DOC = Path(__file__).parents[2] / "docs" / "rules.md"
VIOLATIONS = {"ZB-01", "ZB-02", "ZB-04", "ZB-05", "ZB-06", "ZB-07", "ZB-08", "ZB-09", "ZB-11",
              "ZB-12", "ZB-13", "ZB-16", "ZB-17", "ZB-21", "XS-03", "XS-04"}  # fmt: skip
LEADS = {"ZB-04V", "ZB-04I"}
BENCHMARKS = {"ZB-03"}


def test_every_rule_has_its_kind_and_is_documented() -> None:
    catalog = load_catalog()
    assert set(catalog.of_kind("violation")) == VIOLATIONS
    assert set(catalog.of_kind("lead")) == LEADS
    assert set(catalog.of_kind("benchmark")) == BENCHMARKS
    documented = set(re.findall(r"^### ((?:ZB|XS)-\d{2}[A-Z]?) ", RULES_DOC.read_text(), re.M))
    assert documented == set(VIOLATIONS | LEADS | BENCHMARKS)


def test_every_basis_cites_an_article() -> None:
    for rule in load_catalog().rules:
        if rule.kind == "benchmark":
            assert "评估" in rule.basis, rule.id
        else:
            assert re.search(r"第[一二三四五六七八九十百零]+条", rule.basis), rule.id


def test_statutory_parameters_come_from_legal() -> None:
    catalog = load_catalog()
    assert catalog.rule("ZB-05").param("min_months") == threshold("zhongben_min_months") == 3
    assert catalog.rule("ZB-11").param("max_gap_months") == threshold("post_query_gap_months")
    assert catalog.rule("ZB-04").param("min_value") == catalog.rule("ZB-04I").param("min_value")


def test_registry_and_catalog_match() -> None:
    assert set(registered()) == {r.id for r in load_catalog().rules}


def test_severity_and_titles_follow_the_contract() -> None:
    catalog = load_catalog()
    unqualified = {r.id for r in catalog.rules if r.severity == "不合格"}
    assert unqualified == {"ZB-04", "ZB-05", "ZB-12", "ZB-16", "XS-03"}
    assert all(catalog.rule(i).severity is None for i in LEADS | BENCHMARKS)
    assert catalog.rule("XS-04").param("extension_days") == 15
    for rule in catalog.rules:
        assert rule.basis and rule.interpretation
        for p in rule.parameters.values():
            assert p.source


def _raw() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))


def _dup(raw: dict) -> None:  # type: ignore[type-arg]
    raw["rules"].append(raw["rules"][0])


def _undeclared_column(raw: dict) -> None:  # type: ignore[type-arg]
    raw["rules"][0]["reads"]["enforcement_cases"].append("judge_name")


def _bad_severity(raw: dict) -> None:  # type: ignore[type-arg]
    raw["rules"][0]["severity"] = "严重"


def _bad_kind(raw: dict) -> None:  # type: ignore[type-arg]
    raw["rules"][2]["parameters"]["query_days"]["kind"] = "guess"


def _lead_with_severity(raw: dict) -> None:  # type: ignore[type-arg]
    next(r for r in raw["rules"] if r["id"] == "ZB-04V")["severity"] = "不合格"


def _violation_without_severity(raw: dict) -> None:  # type: ignore[type-arg]
    del raw["rules"][0]["severity"]


def _value_and_legal(raw: dict) -> None:  # type: ignore[type-arg]
    next(r for r in raw["rules"] if r["id"] == "ZB-05")["parameters"]["min_months"]["value"] = 3


@pytest.mark.parametrize("damage", [_dup, _undeclared_column, _bad_severity, _bad_kind,
                                    _lead_with_severity, _violation_without_severity,
                                    _value_and_legal])  # fmt: skip
def test_inconsistent_catalog_is_rejected(damage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    damage(raw)
    with pytest.raises(ValidationError):
        Catalog.model_validate(raw)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(path)


def test_misspelled_key_names_path_and_closest_key(tmp_path: Path) -> None:
    raw = _raw()
    rule = next(r for r in raw["rules"] if r["id"] == "ZB-04")
    rule["interpretaton"] = rule.pop("interpretation")
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message and "rules.3.interpretaton" in message
    assert "rules.3.interpretation" in message
