"""lab06's raw extract and its independent residual check (`jianlab.labs.extract`).

A tiny hand-made dataset (two tables, a codebook, case-file spans) stands in for a build, so the
tests run in milliseconds: the headers the extract writes, the values the check collects (officials
left out), and the search that must find a value however it was re-spaced or widened.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from jianlab.labs.extract import (
    EXTRACT,
    fold,
    identifier_headers,
    original_values,
    released_texts,
    residual_hits,
    span_values,
    write_extract,
)

# the identifier columns, as lab06's hidden tests pass them
COLUMNS = {
    "persons": ["name", "id_number", "phone"],
    "vehicles": ["plate"],
    "bank_accounts": ["account_number"],
    "real_estate": ["certificate_number", "address"],
}
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


def _codebook(tables: dict[str, dict[str, str]]) -> dict[str, object]:
    columns = {t: {c: {"label": label} for c, label in cols.items()} for t, cols in tables.items()}
    return {"tables": {t: {"columns": cols} for t, cols in columns.items()}}


LABELS = {
    "persons": {
        "person_id": "人员编号",
        "name": "姓名",
        "id_number": "公民身份号码",
        "phone": "手机号码",
        "gender": "性别",
        "province_code": "省级代码",
        "year": "年度",
    },
    "enforcement_cases": {"case_id": "案件编号", "case_number": "案号", "respondent_id": "编号"},
    "vehicles": {"vehicle_id": "车辆编号", "plate": "号牌号码", "owner_id": "所有人编号"},
    "bank_accounts": {"account_id": "账户编号", "account_number": "账号", "owner_id": "户主编号"},
    "real_estate": {
        "property_id": "不动产编号",
        "certificate_number": "不动产权证号",
        "address": "坐落",
        "owner_id": "权利人编号",
    },
}
CERTIFICATE = "浙（2014）嘉兴市不动产权第2282587号"
ADDRESS = "嘉兴市桐乡市文化路383号26幢1603室"
ACCOUNT = "6228480402564890018"
NOTICE = "casefiles/EX1/01_执行通知书.txt"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "ds"
    root.mkdir()
    (root / "codebook.json").write_text(json.dumps(_codebook(LABELS), ensure_ascii=False), "utf-8")
    frames: dict[str, dict[str, list[object]]] = {
        "persons": {
            "person_id": ["EP1", "EP2"],
            "name": ["李晓梅", "王建国"],
            "id_number": [ID_NUMBER, None],
            "phone": [PHONE, "13800000000"],
            "gender": ["女", "男"],
            "province_code": ["33", "33"],
            "year": [2023, 2023],
        },
        "enforcement_cases": {
            "case_id": ["EX1"],
            "case_number": ["（2023）浙0702执1号"],
            "respondent_id": ["EP1"],
        },
        "vehicles": {"vehicle_id": ["VH1"], "plate": ["浙G12345"], "owner_id": ["EP1"]},
        "bank_accounts": {"account_id": ["BA1"], "account_number": [ACCOUNT], "owner_id": ["EP2"]},
        "real_estate": {
            "property_id": ["RE1"],
            "certificate_number": [CERTIFICATE],
            "address": [ADDRESS],
            "owner_id": ["EP1"],
        },
    }
    for table, columns in frames.items():
        pd.DataFrame(columns).to_parquet(root / f"{table}.parquet", index=False)
    docs = root / "casefiles" / "EX1"
    docs.mkdir(parents=True)
    (docs / "01_执行通知书.txt").write_text("李晓梅：\n执行员：赵文静　书记员：王建国", "utf-8")
    spans = [
        {"doc": NOTICE, "text": "李晓梅", "entity": "PERSON", "role": "被执行人"},
        {"doc": NOTICE, "text": "赵文静", "entity": "PERSON", "role": "执行员"},
        {"doc": NOTICE, "text": "王建国", "entity": "PERSON", "role": "书记员"},
        {"doc": NOTICE, "text": "zhang@example.com", "entity": "EMAIL", "role": "申请执行人"},
    ]
    (root / "_truth").mkdir()
    lines = "\n".join(json.dumps(s, ensure_ascii=False) for s in spans)
    (root / "_truth" / "pii_spans.jsonl").write_text(lines + "\n", "utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("13912345678", "13912345678"),  # unchanged
        ("１３９１２３４５６７８", "13912345678"),  # full-width digits
        ("139 1234 5678", "13912345678"),  # spaces
        ("139-1234-5678", "13912345678"),  # hyphens
        ("（139）1234—5678", "13912345678"),  # brackets and a dash
        ("11010519491231002x", ID_NUMBER),  # lower-case check character
        ("浙Ｇ·12345", "浙G12345"),  # full-width letter and a middle dot
        ("李 晓 梅", "李晓梅"),  # a name spread out
        ("编号EBVJSYXC", "编号EBVJSYXC"),  # a surrogate stays as it is
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_extract_renames_all_but_keys_and_drops_partitions(dataset: Path, tmp_path: Path) -> None:
    tables = write_extract(dataset, tmp_path / "raw")
    assert set(tables) == set(EXTRACT.values())
    assert list(tables["人员"].columns) == ["person_id", "姓名", "公民身份号码", "手机号码", "性别"]
    assert list(tables["车辆"].columns) == ["vehicle_id", "号牌号码", "owner_id"]
    on_disk = pd.read_parquet(tmp_path / "raw" / "人员.parquet")
    assert on_disk.equals(tables["人员"])
    assert (tmp_path / "raw" / "casefiles" / "EX1" / "01_执行通知书.txt").is_file()
    write_extract(dataset, tmp_path / "raw")  # a second run replaces the folder
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted(
        [f"{n}.parquet" for n in EXTRACT.values()] + ["casefiles"]
    )


def test_identifier_headers(dataset: Path) -> None:
    assert identifier_headers(dataset, COLUMNS) == {
        ("人员", "姓名"),
        ("人员", "公民身份号码"),
        ("人员", "手机号码"),
        ("车辆", "号牌号码"),
        ("银行账户", "账号"),
        ("不动产", "不动产权证号"),
        ("不动产", "坐落"),
    }


def test_span_values_separate_officials(dataset: Path) -> None:
    values, officials = span_values(dataset / "_truth")
    assert values == {"李晓梅", "zhang@example.com"}
    assert officials == {"赵文静", "王建国"}
    assert span_values(dataset / "missing") == (set(), set())


def test_original_values_leave_out_officials_names(dataset: Path) -> None:
    values = original_values(dataset, dataset / "_truth", COLUMNS)
    assert {"李晓梅", PHONE, ID_NUMBER, "浙G12345", ACCOUNT, "ZHANG@EXAMPLECOM"} <= values
    assert {fold(CERTIFICATE), ADDRESS} <= values
    assert "赵文静" not in values  # an official: kept in published documents
    assert "王建国" not in values  # a party namesake of the clerk: there as the clerk
    assert "EP1" not in values and "（2023）浙0702执1号" not in values  # keys and 案号 are kept


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        ("电话：１３９ １２３４ ５６７８", {PHONE}),  # widened and spaced: still the number
        ("13912345678", {PHONE}),
        ("电话TELPR8RV", set()),  # a surrogate
        ("1391234567", set()),  # one digit short
        ("嘉兴市桐乡市", set()),  # an address generalized to the county
        ("被执行人李晓梅名下", {"李晓梅"}),
        ("被执行人李某", set()),  # court style: surname + 某
        ("浙G·12345 号车", {"浙G12345"}),
    ],
)
def test_residual_hits_in_cells(dataset: Path, cell: str, found: set[str]) -> None:
    originals = original_values(dataset, dataset / "_truth", COLUMNS)
    texts = released_texts([pd.DataFrame({"备注": [cell, None], "金额": [1.0, 2.0]})], [])
    assert set(residual_hits(originals, texts)) == found


def test_residual_hits_count_texts_and_read_documents(dataset: Path) -> None:
    originals = original_values(dataset, dataset / "_truth", COLUMNS)
    texts = released_texts([], [f"申请执行人 {PHONE}", f"又见 {PHONE}", "无"])
    assert residual_hits(originals, texts) == {PHONE: 2}
    assert residual_hits(originals, []) == {}
