"""Shipped policies load; broken policy files fail at load time with the file and field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from desensitize import SHIPPED, PolicyError, load_policy


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_policies_load(name: str) -> None:
    policy = load_policy(name)
    assert policy.name == name
    assert policy.operator_for("MASKED_PERSON").operator == "keep"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: x\ndescription: d\nentities: {PERSON: {operator: shred}}\n", "未知算子"),
        (
            "name: x\ndescription: d\nentities: {PHONE: {operator: mask, params: {char: '**'}}}\n",
            "char",
        ),
        ("name: x\ndescription: d\nrecognizers: [nope]\nentities: {}\n", "未知识别器"),
        ("name: x\nentities: {}\n", "description"),
        ("name: [unclosed\n", "不是有效的 YAML"),
        ("name: a\nname: b\n", "键 name 重复出现"),
    ],
)
def test_broken_policy_files(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as info:
        load_policy(path)
    assert "p.yaml" in str(info.value)


def test_unknown_policy_name_lists_shipped() -> None:
    with pytest.raises(PolicyError, match="teaching"):
        load_policy("nonexistent")
