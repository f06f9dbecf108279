"""The streaming release (docs/desensitize.md, 全国规模的发布) writes the same bytes as the
whole-table path, keeps the same collision rules with identifiers held as Arrow arrays, and its
checks on the written files find what the in-memory checks find."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from desensitize import load_policy
from desensitize.keyed import digests
from desensitize.operators.base import OperatorContext
from desensitize.operators.pseudonym import (
    _assign_arrow,
    _assign_small,
    forbid_bulk,
    forbid_originals,
)
from desensitize.operators.surrogates import format_arrow
from desensitize.release.checks import CheckInputs, FrameCells
from desensitize.release.colout import ROW_GROUP, from_series, untouched, write_parquet
from desensitize.release.filechecks import FileCells, write_surrogate_hashes
from desensitize.release.inmemory import release_in_memory
from desensitize.release.record import Release
from desensitize.release.report import surrogate_hash
from desensitize.release.streaming import release_streaming
from desensitize.tables.columns import KEY, ColumnPlan
from desensitize.text.desensitizer import Desensitizer
from zhcodes import gb11643_check_char

KEY_BYTES = b"streaming-test-key-0123456789abcdef"
NAMES = ["李晓梅", "王建国", "欧阳娜娜", "黄建平", "赵强"]
NAMES += ["孙立新", "周敏", "吴桂英", "郑伟", "冯丽"]


def _id(i: int) -> str:
    body = f"330702{1950 + i % 50}{i // 50 % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}"
    return body + gb11643_check_char(body)


def _persons(n: int = len(NAMES)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(n)],
            "name": NAMES[:n],
            "birth_date": [dt.date(1970 + i, 3, 5) if i % 3 else None for i in range(n)],
            "id_number": [_id(i) for i in range(n)],
            "phone": [f"1391234{5670 + i}" if i % 4 else None for i in range(n)],
            "score": [i if i % 5 else None for i in range(n)],  # int with nulls → float64
            "flag": [bool(i % 2) if i % 3 else None for i in range(n)],  # bool with nulls
            "note": [None] * n,  # all null
            "memo": [  # free text: a few cells name someone, most are routine notes
                f"被执行人{NAMES[i]}称无可供执行财产，联系电话1391234{5670 + i}"
                if i % 4 == 1
                else ("已向申请执行人送达执行通知书及财产报告令" if i % 2 else None)
                for i in range(n)
            ],
        }
    )


def _single_files(root: Path) -> None:
    _persons().to_parquet(root / "persons.parquet")
    cases = pd.DataFrame({"case_id": ["C1", "C2"], "respondent_id": ["P3", "P1"]})
    cases.to_parquet(root / "enforcement_cases.parquet")
    docs = root / "casefiles" / "C1"
    docs.mkdir(parents=True)
    (docs / "01_执行通知书.txt").write_text(
        f"申请执行人李晓梅与被执行人黄建平借款合同纠纷一案，黄建平（公民身份号码{_id(3)}，"
        "联系电话13912345673），住浙江省金华市婺城区城北街道人民路88号。",
        encoding="utf-8",
    )


def _hive(root: Path) -> None:
    persons = _persons().assign(province_code=[33, 44] * (len(NAMES) // 2))
    pq.write_to_dataset(
        pa.Table.from_pandas(persons, preserve_index=False),
        str(root / "persons"),
        partition_cols=["province_code"],
    )


def _csv(root: Path) -> None:
    frame = pd.DataFrame({"编号": ["A1", "A2", "A3"], "姓名": NAMES[:3], "备注": ["", "x", ""]})
    (root / "parties.csv").write_text(frame.to_csv(index=False), encoding="utf-8")


def _many_notes(root: Path) -> None:
    """More free-text cells than one ``text_many`` batch: names recur across batches (drawn in
    the first, looked up in the next), new names appear late, most notes name nobody."""
    n = 12_000
    notes = [
        f"被执行人{NAMES[i % 3]}未到庭" if i % 7 == 0
        else (f"申请执行人{NAMES[5 + i % 4]}提交财产线索" if i > 9_000 and i % 11 == 0
              else "已向申请执行人送达执行通知书及财产报告令")
        for i in range(n)
    ]  # fmt: skip
    frame = pd.DataFrame({"action_id": [f"A{i}" for i in range(n)], "note": notes})
    frame.to_parquet(root / "enforcement_actions.parquet")


def _digest_tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "make",
    [_single_files, _hive, _csv, _many_notes],
    ids=["single-files-with-casefiles", "hive-partitions-nulls", "csv-chinese-header", "notes"],
)
@pytest.mark.parametrize("policy", ["teaching", "court"])
def test_streaming_writes_the_bytes_of_the_in_memory_path(
    make: Callable[[Path], None], policy: str, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    make(root)
    old, new = tmp_path / "old", tmp_path / "new"
    release_in_memory(root, old, load_policy(policy), KEY_BYTES)
    release_streaming(root, new, load_policy(policy), KEY_BYTES)
    assert _digest_tree(new) == _digest_tree(old)
    if make is not _csv:  # the free-text path ran: the memo column has names in some cells
        assert '"entity": "FREE_TEXT"' in (new / "release_report.json").read_text("utf-8")


def _whole_table_bytes(frame: pd.DataFrame, path: Path) -> bytes:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path.read_bytes()


def _pieces(arr: pa.Array, cuts: list[int]) -> list[pa.Array]:
    """``arr`` cut into pieces of the given lengths and the rest (record batches of a scan)."""
    out, lo = [], 0
    for size in cuts:
        out.append(arr.slice(lo, size))
        lo += size
    return [*out, arr.slice(lo)]


def test_row_groups_and_pandas_types_match_the_whole_table_write(tmp_path: Path) -> None:
    """More rows than one row group, an integer column whose only null is in the last row
    group (float64 for the whole column), text with nulls."""
    n = ROW_GROUP + 7
    ints = pa.array(np.arange(n, dtype=np.int32), mask=np.arange(n) == n - 1)
    text = pa.array(np.where(np.arange(n) % 7 == 0, None, "案").tolist(), type=pa.string())
    table = pa.table({"i": ints, "s": text})
    expected = _whole_table_bytes(table.to_pandas(), tmp_path / "whole.parquet")
    columns = [
        untouched("i", pa.int32(), _pieces(ints, [1000, ROW_GROUP]), tmp_path / "i.arrow"),
        from_series(table.select(["s"]).to_pandas()["s"], tmp_path / "s.arrow"),
    ]
    write_parquet(tmp_path / "streamed.parquet", columns, n)
    assert (tmp_path / "streamed.parquet").read_bytes() == expected
    assert pq.ParquetFile(tmp_path / "streamed.parquet").metadata.num_row_groups == 2


@pytest.mark.parametrize(
    ("entity", "values"),
    [
        ("ID_CARD", [_id(i) for i in range(300)]),  # the Arrow assignment (> 256 values)
        ("ID_CARD", [_id(i) for i in range(5)]),  # the small assignment
        ("PHONE", [f"1391234{5000 + i}" for i in range(40)]),
    ],
    ids=["ids-arrow", "ids-small", "phones-small"],
)
def test_bulk_originals_forbid_what_a_set_forbids(entity: str, values: list[str]) -> None:
    """Each value's first draw is made a real value of the run: with the originals as a set or
    as an Arrow array the re-draws are the same, and no replacement is a real value."""
    arr = pa.array(values, type=pa.string())
    first = format_arrow(entity, "surrogate", digests(KEY_BYTES, entity, arr, 0), arr, 0)
    real = first.to_pylist()
    results = []
    for bulk in (False, True):
        ctx = OperatorContext(key=KEY_BYTES)
        if bulk:
            forbid_bulk(ctx, entity, pa.array(real, type=pa.string()))
        else:
            forbid_originals(ctx, entity, real)
        book = ctx.book(entity, "surrogate")
        if len(values) > 256:
            out = _assign_arrow(entity, "surrogate", arr, ctx, KEY_BYTES, book).to_pylist()
        else:
            out = _assign_small(entity, "surrogate", values, ctx, KEY_BYTES, book)
        assert not set(out) & set(real)
        results.append(out)
    assert results[0] == results[1]


def _check_setup(tmp_path: Path) -> tuple[dict[str, pd.DataFrame], Release, CheckInputs]:
    frames = {
        "persons": pd.DataFrame(
            {
                "person_id": ["P1", "P2", "P3"],
                "name": ["赵某甲", "李晓梅", None],  # a real name left in a processed column
                "education": ["高中", "李晓梅", "初中"],  # a name-like category: not counted
                "memo": [_id(1), "无", "key:" + KEY_BYTES.decode()],  # an identifier, the key
            }
        )
    }
    release = Release(policy="teaching")
    release.tables["persons"] = [
        ColumnPlan("person_id", KEY, "名称提示"),
        ColumnPlan("name", "PERSON", "名称提示"),
        ColumnPlan("education", None, "抽样推断"),
        ColumnPlan("memo", None, "抽样推断"),
    ]
    inputs = CheckInputs(
        FrameCells(frames),
        {},
        Desensitizer(load_policy("teaching"), key=KEY_BYTES),
        set(),
        {"PERSON": {"李晓梅", "王建国"}, "OTHER": {_id(1), _id(2)}},
        KEY_BYTES,
        {},
        {},
    )
    return frames, release, inputs


def test_file_checks_find_what_the_frame_checks_find(tmp_path: Path) -> None:
    frames, release, inputs = _check_setup(tmp_path)
    path = tmp_path / "persons.parquet"
    pq.write_table(pa.Table.from_pandas(frames["persons"], preserve_index=False), path)
    ids = [pa.array(sorted(inputs.originals["OTHER"]), type=pa.string())]
    cells = FileCells({"persons": path}, tmp_path, ids)
    in_memory = FrameCells(frames)
    assert cells.leaks(release, inputs) == in_memory.leaks(release, inputs)
    assert cells.leaks(release, inputs) == ["persons.name（1 处）", "persons.memo（1 处）"]
    secret = KEY_BYTES.decode("latin-1")
    assert cells.key_hits(secret) == in_memory.key_hits(secret) == ["persons.memo"]
    assert cells.key_hits("不存在的密钥文本") == []


@pytest.mark.parametrize(
    "values",
    [[], ["王某某"], ["李晓梅", "证件A", "李晓梅", "13900000000"]],
    ids=["none", "one", "duplicates"],
)
def test_surrogate_hash_file_is_the_sorted_digest_list(values: list[str], tmp_path: Path) -> None:
    path = tmp_path / "surrogates.sha256"
    n = write_surrogate_hashes(path, [pa.array(values, type=pa.string())], tmp_path)
    digests_ = sorted(surrogate_hash(v) for v in set(values))
    assert n == len(digests_)
    assert path.read_text(encoding="ascii") == "".join(f"{h}\n" for h in digests_)
