"""The catalog is complete against the contract, matches the registry one to one, and rejects
inconsistent entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from review.catalog import CATALOG_PATH, Catalog, load_catalog
from review.rules import registered

RULES_MD = Path("/work/shared/contracts/rules.md")
CONTRACT_IDS = {"ZB-01", "ZB-02", "ZB-03", "ZB-04", "ZB-04V", "ZB-05", "ZB-07", "ZB-11", "ZB-12",
                "ZB-13", "ZB-16", "ZB-17", "ZB-21", "XS-03", "XS-04"}  # fmt: skip


def test_every_contract_rule_is_in_the_catalog() -> None:
    ids = {r.id for r in load_catalog().rules}
    assert ids == CONTRACT_IDS
    if RULES_MD.exists():
        table_ids = set(re.findall(r"^\| ((?:ZB|XS)-\d{2}[A-Z]?) \|", RULES_MD.read_text(), re.M))
        assert table_ids == ids


def test_registry_and_catalog_match() -> None:
    assert set(registered()) == {r.id for r in load_catalog().rules}


def test_severity_and_titles_follow_the_contract() -> None:
    catalog = load_catalog()
    unqualified = {r.id for r in catalog.rules if r.severity == "不合格"}
    assert unqualified == {"ZB-04", "ZB-04V", "ZB-05", "ZB-12", "ZB-16", "XS-03"}
    assert catalog.rule("ZB-04V").title == "车辆查而不扣"
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


@pytest.mark.parametrize("damage", [_dup, _undeclared_column, _bad_severity, _bad_kind])
def test_inconsistent_catalog_is_rejected(damage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    damage(raw)
    with pytest.raises(ValidationError):
        Catalog.model_validate(raw)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_catalog(path)
