"""Column roles from header and content (docs/desensitize.md, 列的角色): Chinese headers are known
names, meaningless headers are found by content, a personal column without a policy rule stops
the release naming table and column, and the originals check covers every value of every
personal column whatever the operator did."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from desensitize import Desensitizer, ReleaseRefused, desensitize_dataset, load_policy
from desensitize.tables.columns import KEY
from desensitize.tables.roles import _validate, infer_columns, load_roles, scan_column
from zhcodes import gb11643_check_char

KEY_BYTES = b"column-roles-test-key-0123456789"
NAMES = [
    "李晓梅",
    "王建国",
    "欧阳娜娜",
    "黄建平",
    "赵强",
    "孙立新",
    "陈宁",
    "邓平",
    "周小平",
    "吴芳",
]
PHONES = [f"1391234{5670 + i}" for i in range(len(NAMES))]


def _id(i: int) -> str:
    body = f"33070219{80 + i:02d}0305{100 + 2 * i:03d}"
    return body + gb11643_check_char(body)


IDS = [_id(i) for i in range(len(NAMES))]


@pytest.mark.parametrize(
    ("table", "header", "entity"),
    [
        ("people", "姓名", "PERSON"),
        ("people", " 姓名 ", "PERSON"),
        ("people", "身份证号", "ID_CARD"),
        ("people", "公民身份号码", "ID_CARD"),
        ("people", "手机号", "PHONE"),
        ("people", "联系电话", "PHONE"),
        ("people", "住址", "ADDRESS"),
        ("people", "车牌号", "PLATE"),
        ("people", "账号", "BANK_CARD"),
        ("people", "ID_NUMBER", "ID_CARD"),
        ("persons", "name", "PERSON"),
        ("courts", "name", None),  # a court's name is not a person's
        ("people", "person_id", KEY),
        ("people", "案号", None),
    ],
)
def test_header_registry(table: str, header: str, entity: str | None) -> None:
    assert load_roles().header_entity(table, header) == entity


@pytest.mark.parametrize(
    ("values", "entity"),
    [
        (NAMES, "PERSON"),  # bare names: found behind the 姓名： probe
        (PHONES, "PHONE"),
        (IDS, "ID_CARD"),
        (["高中", "初中", "小学", "本科及以上"] * 5, None),  # a category, not names
        (["盗窃罪", "诈骗罪", "危险驾驶罪", "故意伤害罪"] * 5, None),
        ([f"（2023）浙0702执{i}号" for i in range(20)], None),
        (
            [f"被告人{n}于2023年盗窃，电话{p}" for n, p in zip(NAMES, PHONES, strict=True)],
            "FREE_TEXT",
        ),
    ],
)
def test_content_scan_whatever_the_header(values: list[str], entity: str | None) -> None:
    assert scan_column(pd.Series(values, dtype=object), Desensitizer(), 200) == entity


def test_content_beats_a_misleading_header() -> None:
    df = pd.DataFrame({"ref_id": IDS, "col2": NAMES, "备注": ["无"] * len(NAMES)})
    plans = {p.column: p for p in infer_columns("t", df, Desensitizer(), 200, {})}
    assert (plans["ref_id"].entity, plans["ref_id"].source) == ("ID_CARD", "内容识别")
    assert plans["col2"].entity == "PERSON" and plans["备注"].entity is None


def _dataset(root: Path, header: dict[str, list[str]]) -> Path:
    root.mkdir()
    frame = pd.DataFrame({"person_id": [f"P{i}" for i in range(len(NAMES))], **header})
    frame.to_csv(root / "people.csv", index=False)
    return root


def _custom_policy(tmp_path: Path, drop: str | None = None, keep: str | None = None) -> Path:
    raw = load_policy("teaching").model_dump(mode="json")
    raw["name"] = "custom"
    if drop:
        raw["entities"].pop(drop)
    if keep:
        raw["entities"][keep] = {"operator": "keep", "params": {}}
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_personal_column_without_rule_stops_the_release(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "in", {"联系电话": PHONES})
    policy = load_policy(_custom_policy(tmp_path, drop="PHONE"))
    with pytest.raises(ReleaseRefused, match="表 people 的列 联系电话 含个人标识（PHONE"):
        desensitize_dataset(data, tmp_path / "out", policy, KEY_BYTES)
    assert not (tmp_path / "out").exists()


def test_originals_check_is_independent_of_the_operator(tmp_path: Path) -> None:
    """A policy that keeps phones is refused: the check searches every original value of the
    personal column in the output, it does not trust the column's operator."""
    data = _dataset(tmp_path / "in", {"x": PHONES})
    policy = load_policy(_custom_policy(tmp_path, keep="PHONE"))
    with pytest.raises(ReleaseRefused, match=r"输出中仍出现原始标识值：people\.x"):
        desensitize_dataset(data, tmp_path / "out", policy, KEY_BYTES)


def test_chinese_headers_are_released_without_originals(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "in", {"姓名": NAMES, "公民身份号码": IDS, "其他": PHONES})
    release = desensitize_dataset(data, tmp_path / "out", load_policy("teaching"), KEY_BYTES)
    out = pd.read_parquet(tmp_path / "out" / "people.parquet")
    assert all(release.checks.values())
    for column, originals in (("姓名", NAMES), ("公民身份号码", IDS), ("其他", PHONES)):
        assert not set(out[column]) & set(originals), column
    entities = {p.column: p.entity for p in release.tables["people"]}
    assert entities == {
        "person_id": KEY,
        "姓名": "PERSON",
        "公民身份号码": "ID_CARD",
        "其他": "PHONE",
    }


@pytest.mark.parametrize(
    ("values", "entity", "expected"),
    [
        (IDS, "ID_CARD", "ID_CARD"),
        (IDS[:3] + ["无"] * 7, "ID_CARD", "FREE_TEXT"),  # the sample hit, the column does not
        ([f" {p} " for p in PHONES], "PHONE", "PHONE"),
        (PHONES[:5] + ["0579-82123456"] * 5, "PHONE", "FREE_TEXT"),
        (NAMES, "PERSON", "PERSON"),  # no whole-value pattern: the sample decides
    ],
)
def test_full_column_validation(values: list[str], entity: str, expected: str) -> None:
    assert _validate(pd.Series(values, dtype=object), entity) == expected
