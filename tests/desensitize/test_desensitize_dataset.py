"""Whole-dataset release on a small fixture: joins and names stay consistent across tables and
case files, originals and the key never reach the output, ``_truth`` is never copied, a failing
risk check leaves OUT_DIR empty, and inputs in GB18030 or malformed are handled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from desensitize import (
    InputError,
    ReleaseRefused,
    desensitize_dataset,
    load_policy,
    read_table,
    read_text,
)
from zhcodes import gb11643_check_char

KEY = b"dataset-test-key-0123456789abcdef"
NAMES = ["李晓梅", "王建国", "欧阳娜娜", "黄建平", "赵强", "孙立新"]


def _id(i: int) -> str:
    body = f"33070219{80 + i:02d}0305{100 + 2 * i:03d}"
    return body + gb11643_check_char(body)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    n = len(NAMES)
    persons = pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(n)],
            "name": NAMES,
            "gender": ["女", "男", "女", "男", "男", "男"],
            "birth_date": [dt.date(1980 + i, 3, 5) for i in range(n)],
            "id_number": [_id(i) for i in range(n)],
            "phone": [f"1391234{5670 + i}" for i in range(n)],
        }
    )
    cases = pd.DataFrame(
        {
            "case_id": ["C1", "C2"],
            "case_number": ["（2023）浙0702执1号", "（2023）浙0702执2号"],
            "filing_date": [dt.date(2023, 3, 1), dt.date(2023, 4, 1)],
            "closing_date": [dt.date(2023, 6, 1), dt.date(2023, 5, 20)],
        }
    )
    parties = pd.DataFrame(
        {
            "case_id": ["C1", "C1", "C2"],
            "person_id": ["P0", "P3", "P1"],
            "role": ["申请人", "被执行人", "被执行人"],
        }
    )
    persons.to_parquet(root / "persons.parquet")
    cases.to_parquet(root / "enforcement_cases.parquet")
    parties.to_parquet(root / "parties.parquet")
    docs = root / "casefiles" / "C1"
    docs.mkdir(parents=True)
    (docs / "01_执行通知书.txt").write_text(
        f"申请执行人李晓梅与被执行人黄建平借款合同纠纷一案，黄建平（公民身份号码{_id(3)}，"
        f"联系电话{persons.phone[3]}），住浙江省金华市婺城区城北街道人民路88号。本院于2023年3月1日立案。",
        encoding="utf-8",
    )
    (root / "_truth").mkdir()
    (root / "_truth" / "pii_spans.jsonl").write_text('{"text": "李晓梅"}\n', encoding="utf-8")
    return root


def _all_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


def _plain(out: Path) -> str:
    """Decoded view of every output: Parquet via pandas, text files as UTF-8."""
    parts = []
    for p in sorted(out.rglob("*")):
        if p.suffix == ".parquet":
            parts.append(pd.read_parquet(p).astype(str).to_csv())
        elif p.is_file():
            parts.append(p.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_teaching_release_keeps_joins_and_hides_originals(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    release = desensitize_dataset(dataset, out, load_policy("teaching"), KEY)
    assert all(release.checks.values())
    assert not (out / "_truth").exists()
    text = _plain(out)
    raw = _all_bytes(out)
    for original in [*NAMES, *(_id(i) for i in range(6)), "13912345673", "人民路88号"]:
        assert original not in text and original.encode() not in raw
    assert KEY not in raw
    persons = pd.read_parquet(out / "persons.parquet")
    doc = (out / "casefiles" / "C1" / "01_执行通知书.txt").read_text(encoding="utf-8")
    # the same person gets the same surrogate in the table and in the document
    assert persons.name[3] in doc and persons.name[0] in doc and persons.id_number[3] in doc
    parties = pd.read_parquet(out / "parties.parquet")
    merged = parties.merge(persons, on="person_id")
    assert len(merged) == 3
    assert (
        "（2023）浙0702执1号"
        in pd.read_parquet(out / "enforcement_cases.parquet").case_number.tolist()
    )
    assert (out / "release_report.md").read_text(encoding="utf-8").startswith("# 脱敏发布报告")
    audit = (out / "audit_log.jsonl").read_text(encoding="utf-8")
    assert "黄建平" not in audit and '"entity": "PERSON"' in audit


def test_same_key_same_output_across_runs(dataset: Path, tmp_path: Path) -> None:
    a = desensitize_dataset(dataset, tmp_path / "a", load_policy("teaching"), KEY)
    b = desensitize_dataset(dataset, tmp_path / "b", load_policy("teaching"), KEY)
    assert a.checks == b.checks
    assert pd.read_parquet(tmp_path / "a" / "persons.parquet").equals(
        pd.read_parquet(tmp_path / "b" / "persons.parquet")
    )


def test_research_tokens_keys_and_shifts_dates_per_case(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    policy = load_policy("research").model_copy(
        update={
            "risk": load_policy("research").risk.model_copy(
                update={"quasi_identifiers": {}, "generalize_to_k": False}
            )
        }
    )
    desensitize_dataset(dataset, out, policy, KEY)
    cases_in = pd.read_parquet(dataset / "enforcement_cases.parquet")
    cases_out = pd.read_parquet(out / "enforcement_cases.parquet")
    assert not set(cases_out.case_id) & set(cases_in.case_id)
    interval_in = pd.to_datetime(cases_in.closing_date) - pd.to_datetime(cases_in.filing_date)
    interval_out = pd.to_datetime(cases_out.closing_date) - pd.to_datetime(cases_out.filing_date)
    assert (interval_in == interval_out).all()
    assert (pd.to_datetime(cases_in.filing_date) != pd.to_datetime(cases_out.filing_date)).all()
    parties = pd.read_parquet(out / "parties.parquet")
    assert set(parties.case_id) <= set(cases_out.case_id)
    assert set(parties.person_id) <= set(pd.read_parquet(out / "persons.parquet").person_id)
    assert pd.read_parquet(out / "persons.parquet").birth_date.tolist()[0] == "1980年"


def test_refuses_release_when_k_below_target(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ReleaseRefused, match="k = 1"):
        desensitize_dataset(
            dataset, out, load_policy("teaching"), KEY, qi={"persons": ["gender", "birth_date"]}
        )
    assert not out.exists() or not any(out.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_refuses_non_empty_output_dir(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "x").write_text("x")
    with pytest.raises(ValueError, match="非空"):
        desensitize_dataset(dataset, out, load_policy("teaching"), KEY)


def test_gb18030_csv_is_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("姓名,住址\n张三,杭州市西湖区文三路1号\n".encode("gb18030"))
    df, encoding = read_table(path)
    assert encoding == "GB18030" and df.iloc[0, 0] == "张三"
    bom = tmp_path / "b.csv"
    bom.write_bytes("\ufeff姓名\n李四\n".encode())
    assert read_table(bom)[1] == "UTF-8 BOM"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n3,4,5\n", "第 3 行"),
        (b"a\n\xff\xfe\xfa\n", "无法按 UTF-8 或 GB18030 解码"),
    ],
)
def test_malformed_csv_names_file_and_row(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_table(path)
    assert "bad.csv" in str(info.value)


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("被告人张三".encode("gb18030"))
    assert read_text(path).text == "被告人张三"


def test_scan_skips_the_releases_own_surrogates(dataset: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from desensitize import SURROGATES_FILE, surrogate_hash
    from jianlab.cli.desensitize import app

    out = tmp_path / "out"
    desensitize_dataset(dataset, out, load_policy("teaching"), KEY)
    hashes = set((out / SURROGATES_FILE).read_text(encoding="ascii").split())
    persons = pd.read_parquet(out / "persons.parquet")
    assert (
        surrogate_hash(persons.name[3]) in hashes and surrogate_hash(persons.id_number[3]) in hashes
    )
    for original in [*NAMES, *(_id(i) for i in range(6))]:
        assert (
            surrogate_hash(original) not in hashes
            and original not in (out / SURROGATES_FILE).read_text()
        )
    runner = CliRunner()
    doc = out / "casefiles" / "C1" / "01_执行通知书.txt"
    clean = runner.invoke(app, ["scan", str(out)])
    assert clean.exit_code == 0, clean.output
    assert runner.invoke(app, ["scan", str(doc)]).exit_code == 0  # a file inside the release
    # the surrogates do look like personal information: without the list they are flagged
    saved = (out / SURROGATES_FILE).read_text(encoding="ascii")
    (out / SURROGATES_FILE).unlink()
    assert runner.invoke(app, ["scan", str(out)]).exit_code == 1
    (out / SURROGATES_FILE).write_text(saved, encoding="ascii")
    # a leftover that the release did not produce is still found
    doc.write_text(
        doc.read_text(encoding="utf-8") + f"证人王建国，身份证号{_id(5)}。", encoding="utf-8"
    )
    leak = runner.invoke(app, ["scan", str(out)])
    assert leak.exit_code == 1 and "ID_CARD" in leak.output and "PERSON" in leak.output
