"""Every YAML kind the project ships or accepts refuses a misspelled key with a Chinese error that
names the file, the key path and the closest valid key (never silently running the defaults)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from configkit import read_yaml, validate
from desensitize import load_policy
from jianlab.labs.models import load_course_spec, load_lab_spec
from jianlab.specs import MANIFEST_PATH, REPO_ROOT, load_manifest
from legal.vocab import VOCAB_FILE, Vocabulary
from review.catalog import CATALOG_PATH, load_catalog
from review.domain import DOMAINS_PATH, Domains
from synthgen import (
    load_casefile_forms,
    load_casefile_templates,
    load_criminal_params,
    load_enforcement_params,
)

Loader = Callable[[Path], Any]
POLICY = REPO_ROOT / "tools" / "desensitize" / "policies" / "teaching.yaml"
LAB = REPO_ROOT / "labs" / "lab01-bubu-busu" / "lab.yaml"
COURSE = REPO_ROOT / "courses" / "demo" / "course.yaml"
CASEFILES = REPO_ROOT / "tools" / "synthgen" / "casefiles"


def _domains(path: Path) -> Any:
    return validate(read_yaml(path), Domains, str(path))


def _vocab(path: Path) -> Any:
    return validate(read_yaml(path), Vocabulary, str(path))


# (kind, loader, file to start from, key path to rename, misspelling, expected suggestion)
CASES: list[tuple[str, Loader, dict[str, Any] | Path, tuple[str, ...], str, str]] = [
    (
        "criminal scenario",
        load_criminal_params,
        {"suspects": {"male_share": 0.8}},
        ("suspects", "male_share"),
        "male_shar",
        "suspects.male_share",
    ),
    (
        "enforcement scenario",
        load_enforcement_params,
        {"violations": {}},
        ("violations",),
        "violatons",
        "violations",
    ),
    ("rule catalog", load_catalog, CATALOG_PATH, ("grading",), "gradng", "grading"),
    (
        "case-file templates",
        load_casefile_templates,
        CASEFILES / "templates.yaml",
        ("interview", "assets", "estate_queued"),
        "estate_queue",
        "interview.assets.estate_queued",
    ),
    (
        "case-file forms",
        load_casefile_forms,
        CASEFILES / "forms.yaml",
        ("probabilities", "plate_dot"),
        "plate_dots",
        "probabilities.plate_dot",
    ),
    ("desensitize policy", load_policy, POLICY, ("threshold",), "treshold", "threshold"),
    ("dataset manifest", load_manifest, MANIFEST_PATH, ("builds",), "bulids", "builds"),
    ("lab spec", load_lab_spec, LAB, ("points",), "point", "points"),
    ("course spec", load_course_spec, COURSE, ("labs",), "lab", "labs"),
    ("legal vocabulary", _vocab, VOCAB_FILE, ("action_types",), "action_type", "action_types"),
    (
        "review domains",
        _domains,
        DOMAINS_PATH,
        ("criminal", "not_null"),
        "not_nul",
        "criminal.not_null",
    ),
]


def _rename(data: dict[str, Any], path: tuple[str, ...], new: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[new] = data.pop(path[-1])


@pytest.mark.parametrize(
    ("loader", "source", "path", "typo", "suggestion"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_misspelled_key_is_refused_in_chinese(
    tmp_path: Path,
    loader: Loader,
    source: dict[str, Any] | Path,
    path: tuple[str, ...],
    typo: str,
    suggestion: str,
) -> None:
    data = dict(source) if isinstance(source, dict) else yaml.safe_load(source.read_text("utf-8"))
    _rename(data, path, typo)
    name = source.name if isinstance(source, Path) else "scenario.yaml"
    folder = tmp_path / (source.parent.name if isinstance(source, Path) else "s")
    folder.mkdir()
    target = folder / name
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception) as info:  # each package raises its own error class
        loader(target)
    message = str(info.value)
    wrong = ".".join((*path[:-1], typo))
    assert str(target) in message or target.name in message
    assert f"未知的键 {wrong}" in message, message
    assert f"是否想写 {suggestion}" in message, message
