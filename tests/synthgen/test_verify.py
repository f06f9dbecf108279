"""`jianlab data verify`: a clean build passes; each kind of damage is named in Chinese and makes
the command exit non-zero; CSV/XLSX extracts read back with the codebook's types."""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from synthgen import BuildOptions, DatasetError, build_criminal, read_table, verify_dataset
from synthgen.store.manifest import MANIFEST, write_manifest
from synthgen.verify.ids import gb11643_bad_check, gb32100_bad_check, identity_mismatches
from zhcodes import gb11643_check_char, gb11643_valid, gb32100_check_char, gb32100_valid

runner = CliRunner()


def _flat(text: str) -> str:
    """Rich wraps long lines; compare without whitespace."""
    return "".join(text.split())


@pytest.fixture
def damaged(criminal_hive: Path, tmp_path: Path) -> Path:
    out = tmp_path / "copy"
    shutil.copytree(criminal_hive, out)
    return out


def _part(directory: Path, table: str) -> Path:
    """The largest file of a hive table (a partition's spill file into the previous year can
    be tiny)."""
    return max(sorted((directory / table).rglob("*.parquet")), key=lambda p: p.stat().st_size)


def _rehash(directory: Path) -> None:
    """Re-sign the manifest, as someone hiding a change would: only content checks remain."""
    header = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    del header["files"], header["content_hash"]
    write_manifest(directory, header)


def _set_cell(
    path: Path, column: str, pick: Callable[[list[Any]], int], value: Any
) -> dict[str, Any]:
    """Write ``value`` into the first row chosen by ``pick``; returns that row as it was."""
    table = pq.read_table(path)
    values = table[column].to_pylist()
    row = pick(values)
    before = table.slice(row, 1).to_pylist()[0]
    values[row] = value(values[row]) if callable(value) else value
    i = table.column_names.index(column)
    pq.write_table(table.set_column(i, column, pa.array(values, table.schema.field(i).type)), path)
    return before


def _flip_byte(d: Path) -> str:
    path = _part(d, "suspects")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return f"内容哈希不符（文件被修改）：{path.relative_to(d).as_posix()}"


def _delete(d: Path) -> str:
    path = _part(d, "arrest_reviews")
    path.unlink()
    return f"文件缺失：{path.relative_to(d).as_posix()}"


def _extra(d: Path) -> str:
    (d / "笔记.txt").write_text("多出来的文件", encoding="utf-8")
    return "清单外的多余文件：笔记.txt"


def _bad_id(d: Path) -> str:
    row = _set_cell(
        _part(d, "persons"),
        "id_number",
        lambda v: 0,
        lambda s: s[:17] + ("1" if s[17] == "0" else "0"),
    )
    _rehash(d)
    what = "列 id_number 身份证号校验码错误（GB 11643）"
    return f"表 persons：{what}（1 行）；例如 person_id={row['person_id']}"


def _bad_decision(d: Path) -> str:
    row = _set_cell(_part(d, "arrest_reviews"), "decision", lambda v: v.index("批准逮捕"), "批捕")
    _rehash(d)
    return (
        "表 arrest_reviews 列 decision（审查逮捕决定）：1 行不在允许取值"
        f"（批准逮捕、不批准逮捕、其他）之内；例如 suspect_id={row['suspect_id']}"
    )


def _orphan_case(d: Path) -> str:
    _set_cell(_part(d, "suspects"), "case_id", lambda v: 0, "XS999999999999")
    _rehash(d)
    return "表 suspects 列 case_id：1 行引用的 criminal_cases.case_id 不存在；例如 XS999999999999"


def _late_received(d: Path) -> str:
    row = _set_cell(
        _part(d, "prosecution_reviews"),
        "received_date",
        lambda v: 0,
        lambda x: x.replace(month=12, day=31),
    )
    _rehash(d)
    what = "decision_date 早于 received_date"
    return f"表 prosecution_reviews：{what}（1 行）；例如 suspect_id={row['suspect_id']}"


def _gender_parity(d: Path) -> str:
    row = _set_cell(
        _part(d, "persons"), "gender", lambda v: 0, lambda g: "女" if g == "男" else "男"
    )
    _rehash(d)
    what = "身份证号性别码（第17位）奇偶与性别不一致"
    return f"表 persons：{what}（1 行）；例如 person_id={row['person_id']}"


def _unusable_codebook(d: Path) -> str:
    (d / "codebook.json").write_text('{"dataset": {}}', encoding="utf-8")
    _rehash(d)
    return "编码手册无法使用，改用随软件发布的编码手册：" + str(d / "codebook.json")


def _older_build(d: Path) -> None:
    """A folder written before codebook.json existed: verify falls back to the shipped one."""
    (d / "codebook.json").unlink()
    _rehash(d)


def _dgp(edit: Callable[[dict[str, Any]], None], message: str) -> Callable[[Path], str]:
    def apply(d: Path) -> str:
        path = d / "_truth" / "dgp.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        _rehash(d)
        return message

    return apply


_DGP = "_truth/dgp.json 的 "
_KEYS = (
    "['arrested_effect', 'coefficients', 'group', 'group_sd', 'link', 'outcome', 'policy_effect', "
    "'year_intercepts']"
)
DGP_DAMAGE: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "unknown coefficient",
        lambda g: g["arrest"]["coefficients"].update(age_squared=0.1),
        _DGP + "arrest.coefficients 中的 ['age_squared'] 不是 suspects 的列",
    ),
    (
        "missing key",
        lambda g: g["prosecution"].pop("link"),
        _DGP + f"prosecution 的键应为 {_KEYS}，实际为 "
        "['arrested_effect', 'coefficients', 'group', 'group_sd', 'outcome', 'policy_effect', "
        "'year_intercepts']",
    ),
    (
        "extra block",
        lambda g: g.update(detention={}),
        "_truth/dgp.json 的顶层键应为 ['arrest', 'prosecution']，实际为 "
        "['arrest', 'detention', 'prosecution']",
    ),
    (
        "negative sd",
        lambda g: g["arrest"].update(group_sd=-0.1),
        _DGP + "arrest.group_sd 应为非负数，实际为 -0.1",
    ),
    (
        "outcome outside vocabulary",
        lambda g: g["arrest"].update(outcome="逮捕"),
        _DGP + "arrest.outcome「逮捕」不是 arrest_reviews.decision 的取值",
    ),
    (
        "intercept years",
        lambda g: g["arrest"]["year_intercepts"].pop("2021"),
        _DGP + "arrest.year_intercepts 的年份 ['2022'] 与数据年份 ['2021', '2022'] 不符",
    ),
]

DAMAGE = [
    ("byte changed in parquet", _flip_byte, False),
    ("file deleted", _delete, True),
    ("extra file", _extra, True),
    ("invalid ID check character", _bad_id, True),
    ("decision outside vocabulary", _bad_decision, True),
    ("case_id that does not exist", _orphan_case, True),
    ("decision before receipt", _late_received, True),
    ("sex digit against gender", _gender_parity, True),
    ("codebook unusable", _unusable_codebook, True),
    *((case, _dgp(edit, message), True) for case, edit, message in DGP_DAMAGE),
]


def test_clean_build_passes(criminal_hive: Path) -> None:
    stages: list[tuple[str, int, int]] = []
    assert verify_dataset(criminal_hive, lambda s, d, t: stages.append((s, d, t))) == []
    assert stages[-1] == ("参照完整性与真值", 1, 1)
    assert ("逐表检查", 9, 9) in stages
    result = runner.invoke(app, ["data", "verify", str(criminal_hive)])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


@pytest.mark.parametrize(("case", "damage", "only"), DAMAGE, ids=[c for c, _, _ in DAMAGE])
def test_damage_is_reported(
    case: str, damage: Callable[[Path], str], only: bool, damaged: Path
) -> None:
    expected = damage(damaged)
    problems = verify_dataset(damaged)
    assert any(p.startswith(expected) for p in problems), problems
    if only:
        assert len(problems) == 1, problems
    result = runner.invoke(app, ["data", "verify", str(damaged)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert _flat(expected) in _flat(result.output)
    assert "校验未通过" in result.output


def test_older_build_without_codebook_passes(damaged: Path) -> None:
    _older_build(damaged)
    assert verify_dataset(damaged) == []


def test_companies_uscc_checked_when_present(damaged: Path) -> None:
    body = "91330100MA27XY31A"
    good = body + gb32100_check_char(body)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    pq.write_table(
        pa.table({"company_id": ["C1", "C2"], "uscc": [good, bad]}), damaged / "companies.parquet"
    )
    _rehash(damaged)
    assert verify_dataset(damaged) == [
        f"表 companies：列 uscc 统一社会信用代码校验码错误（GB 32100）（1 行）；例如 {bad}"
    ]


def test_dataset_without_codebook_gets_hashes_and_identifiers(tmp_path: Path) -> None:
    """A researcher's own folder (no codebook ships for it): text stays text, USCCs are checked."""
    body = "91440300MA5G2KQ7A"
    good = body + gb32100_check_char(body)
    bad = body + ("1" if good[17] == "0" else "0")
    frame = pd.DataFrame(
        {"company_id": ["C1", "C2"], "uscc": [good, bad], "division_code": ["440305"] * 2}
    )
    frame.to_csv(tmp_path / "companies.csv", index=False, encoding="utf-8-sig")
    write_manifest(tmp_path, {"dataset": "external"})
    assert verify_dataset(tmp_path) == [
        f"表 companies：列 uscc 统一社会信用代码校验码错误（GB 32100）（1 行）；例如 {bad}"
    ]
    assert read_table(tmp_path, "companies").dtypes.map(str).tolist() == ["str"] * 3


def _random_ids(rng: random.Random, n: int) -> list[str]:
    bodies = ["".join(rng.choice("0123456789") for _ in range(17)) for _ in range(n)]
    return [
        b + (gb11643_check_char(b) if i % 2 else rng.choice("0123456789X"))
        for i, b in enumerate(bodies)
    ]


ID_CASES = [
    ("11010519491231002X", False),  # valid, X check character
    ("11010519491231002x", False),  # lowercase x accepted
    ("110105194912310021", True),  # wrong check character
    ("1101051949123100", False),  # malformed: the format check reports it, not this one
    ("11010519491231002Y", False),  # malformed last character
    (None, False),
]


@pytest.mark.parametrize(("value", "bad"), ID_CASES)
def test_gb11643_cases(value: str | None, bad: bool) -> None:
    assert gb11643_bad_check(pa.array([value], pa.string())).tolist() == [bad]


def test_vectorised_id_check_agrees_with_scalar() -> None:
    ids = _random_ids(random.Random(5), 3000)
    expected = [not gb11643_valid(i) for i in ids]
    assert gb11643_bad_check(pa.chunked_array([ids[:1000], ids[1000:]])).tolist() == expected
    assert 0 < sum(expected) < len(ids)


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("lower", [False, True])
def test_vectorised_uscc_check_agrees_with_scalar(lower: bool) -> None:
    rng = random.Random(11)
    bodies = ["".join(rng.choice(USCC_ALPHABET) for _ in range(17)) for _ in range(2000)]
    codes = [
        b + (gb32100_check_char(b) if i % 2 else rng.choice(USCC_ALPHABET))
        for i, b in enumerate(bodies)
    ]
    codes += ["91330100MA27XYZ1OI"]  # letters outside the GB 32100 alphabet
    codes = [c.lower() for c in codes] if lower else codes
    assert gb32100_bad_check(pa.array(codes)).tolist() == [not gb32100_valid(c) for c in codes]


def test_identity_consistency_cases() -> None:
    body = "33070219900307001"
    good = body + gb11643_check_char(body)  # male (sequence 001 is odd)
    other_area = "330702"[:-1] + "3"
    ids = pa.array([good, good, good, good])
    found = identity_mismatches(
        ids,
        area=pa.array(["330702", other_area, "330702", "330702"]),
        birth=pa.array(
            np.array(["1990-03-07", "1990-03-07", "1990-03-08", "1990-03-07"], "datetime64[D]")
        ),
        gender=pa.array(["男", "男", "男", "女"]),
    )
    assert {k: v.tolist() for k, v in found.items()} == {
        "地址码不是 GB/T 2260 县级区划代码": [False] * 4,
        "地址码与户籍地区划代码不一致": [False, True, False, False],
        "出生日期码与出生日期不一致": [False, False, True, False],
        "性别码（第17位）奇偶与性别不一致": [False, False, False, True],
    }


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small build as Parquet, CSV and XLSX (two provinces, one year: fast to write)."""
    root = tmp_path_factory.mktemp("extracts")
    out = {}
    for fmt in ("parquet", "csv", "xlsx"):
        opts = BuildOptions(
            seed=5, scale=0.002, years=[2021], provinces=["33", "44"], fmt=fmt, out=root / fmt
        )
        out[fmt] = build_criminal(opts)
    return out


TYPED_COLUMNS = [
    ("persons", "birth_date", "datetime64[ms]"),
    ("persons", "hukou_division_code", "str"),
    ("suspects", "year", "int16"),
    ("suspects", "is_juvenile", "int8"),
    ("prosecution_reviews", "returned_for_investigation", "int8"),
    ("arrest_reviews", "decision_date", "datetime64[ms]"),
    ("procuratorates", "province_code", "str"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_extracts_read_back_like_parquet(fmt: str, extracts: dict[str, Path]) -> None:
    assert verify_dataset(extracts[fmt]) == []
    for table in (
        "procuratorates",
        "criminal_cases",
        "suspects",
        "persons",
        "arrest_reviews",
        "prosecution_reviews",
    ):
        pd.testing.assert_frame_equal(
            read_table(extracts[fmt], table), read_table(extracts["parquet"], table)
        )
    for table, column, dtype in TYPED_COLUMNS:
        assert str(read_table(extracts[fmt], table)[column].dtype) == dtype
    codes = read_table(extracts[fmt], "persons")["hukou_division_code"]
    assert codes.str.fullmatch(r"\d{6}").all()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("year", "二〇二一", "第 2 行列 year：「二〇二一」不是整数"),
        ("is_juvenile", "300", "第 2 行列 is_juvenile：「300」不是0/1"),
        ("is_local", "0.5", "第 2 行列 is_local：「0.5」不是0/1"),
    ],
)
def test_bad_csv_cell_is_named(
    column: str, value: str, message: str, extracts: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "csv"
    shutil.copytree(extracts["csv"], copy)
    path = copy / "suspects.csv"
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.loc[0, column] = value
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(DatasetError, match=message):
        read_table(copy, "suspects")
    _rehash(copy)
    assert any(f"无法读取表 suspects：suspects.csv {message}" in p for p in verify_dataset(copy))


@pytest.mark.slow
def test_verify_scale_tenth_under_a_minute(tmp_path: Path) -> None:
    out = build_criminal(BuildOptions(seed=1, scale=0.1, workers=2, out=tmp_path / "d"))
    start = time.perf_counter()
    assert verify_dataset(out) == []
    assert time.perf_counter() - start < 60
