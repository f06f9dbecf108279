"""The shipped GB/T 2260 table: shape, hierarchy and names."""

from __future__ import annotations

import pytest

from zhcodes import load_divisions


def test_counts_and_provinces() -> None:
    div = load_divisions()
    assert len(div.provinces) == 31
    assert 330 <= len(div.prefectures) <= 345
    assert 2800 <= len(div.counties) <= 2900
    assert div.table["code"].is_unique
    assert div.table["code"].str.fullmatch(r"\d{6}").all()
    assert not div.table["code"].str[:2].isin(["71", "81", "82"]).any()


def test_parents_exist_and_nest() -> None:
    t = load_divisions().table
    codes = set(t["code"])
    children = t[t["level"] != "province"]
    assert children["parent_code"].isin(codes).all()
    assert (children["parent_code"].str[:2] == children["code"].str[:2]).all()


@pytest.mark.parametrize(
    ("code", "full"),
    [
        ("330702", "浙江省金华市婺城区"),
        ("110105", "北京市朝阳区"),
        ("429004", "湖北省仙桃市"),
        ("650102", "新疆维吾尔自治区乌鲁木齐市天山区"),
    ],
)
def test_full_names(code: str, full: str) -> None:
    assert load_divisions().full_name(code) == full


def test_unknown_code() -> None:
    with pytest.raises(KeyError, match="未知行政区划代码"):
        load_divisions().name_of("999999")
