"""Malformed table input to `jianlab desensitize dataset`: one row per case, each a Chinese
error naming file, row and column, exit code 2 and no output folder; and a Hypothesis property
over random CSV shapes (a Chinese error, or every row exactly as wide as the header)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from desensitize import InputError, read_table
from jianlab.cli import app

runner = CliRunner()
BOM = b"\xef\xbb\xbf"


def _csv(name: str, body: bytes) -> Callable[[Path], None]:
    return lambda root: (root / name).write_bytes(body)


def _xlsx(rows: list[list[str | None]], merges: list[str]) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
        book.save(root / "cases.xlsx")

    return write


CASES = [
    (
        "CSV row shorter than the header",
        _csv("cases.csv", "case_id,court,amount\nC1,一院,100\nC2,二院\n".encode()),
        ["cases.csv", "第 3 行有 2 列", "缺少列 amount"],
    ),
    (
        "CSV row longer than the header (pandas made it an index)",
        _csv("cases.csv", "case_id,court\nC1,一院,100\nC2,二院\n".encode()),
        ["cases.csv", "第 2 行有 3 列", "多出 1 列，从第 3 列起"],
    ),
    (
        "UTF-8 BOM then an invalid byte",
        _csv("persons.csv", BOM + "person_id,name\nP1,张三\n".encode() + b"P2,\xff\xfe\n"),
        ["persons.csv", "第 3 行", "UTF-8 BOM", "0xFF"],
    ),
    (
        "CSV with a title row above the header",
        _csv("cases.csv", "案件登记表,,\ncase_id,court,amount\nC1,一院,100\n".encode()),
        ["cases.csv", "表头（第 1 行）第 2 列、第 3 列没有列名"],
    ),
    (
        "persons without a name column",
        _csv("persons.csv", "person_id,gender\nP1,男\n".encode()),
        ["persons.csv", "数据表 persons 缺少列 name", "person_id、gender"],
    ),
    (
        "XLSX with a merged title row",
        _xlsx([["案件登记表"], ["case_id", "court"], ["C1", "一院"]], ["A1:B1"]),
        ["cases.xlsx", "A1:B1（第 1 行）", "标题行"],
    ),
    (
        "XLSX with merged cells in the data",
        _xlsx([["case_id", "court"], ["C1", "一院"], ["C2", None]], ["B2:B3"]),
        ["cases.xlsx", "B2:B3（第 2–3 行）", "合并单元格"],
    ),
    (
        "XLSX with an unmerged title row",
        _xlsx([["案件登记表"], ["case_id", "court"], ["C1", "一院"]], []),
        ["cases.xlsx", "第 2 列没有列名"],
    ),
]


def _said(text: str, output: str) -> bool:
    return re.sub(r"\s+", "", text) in re.sub(r"\s+", "", output)


@pytest.mark.parametrize(("make", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_table_is_refused(
    tmp_path: Path, make: Callable[[Path], None], expected: list[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    make(src)
    key = tmp_path / "key"
    key.write_text("shape-test-key-0123456789abcdef\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["desensitize", "dataset", str(src), str(out), "--key-file", str(key)]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for part in ["错误", *expected]:
        assert _said(part, result.output), (part, result.output)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "key"]


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (BOM + "a,b\n1,张三\n".encode(), [["1", "张三"]]),
        (b"a,b\n1,\n", [["1", None]]),
        ('a,b\n1,"x,y"\n2,"多\n行"\n'.encode(), [["1", "x,y"], ["2", "多\n行"]]),
        (b"a,b\n", []),
    ],
)
def test_good_csv_is_read_unchanged(tmp_path: Path, body: bytes, rows: list[list[str]]) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(body)
    frame, _ = read_table(path)
    assert list(frame.columns) == ["a", "b"]
    assert frame.astype(object).where(frame.notna(), None).to_numpy().tolist() == rows


def test_good_xlsx_is_read(tmp_path: Path) -> None:
    _xlsx([["case_id", "court"], ["C1", "一院"]], [])(tmp_path)
    frame, encoding = read_table(tmp_path / "cases.xlsx")
    assert encoding == "XLSX" and frame.to_numpy().tolist() == [["C1", "一院"]]


CELL = st.text(alphabet='ab张三,"\n 1', max_size=4)


@settings(max_examples=40, deadline=None)
@given(
    header=st.lists(st.text(alphabet="abc姓名", min_size=1, max_size=3), min_size=1, max_size=4),
    rows=st.lists(st.lists(CELL, max_size=5), max_size=6),
)
def test_random_csv_shapes(tmp_path_factory: pytest.TempPathFactory, header: list[str],
                           rows: list[list[str]]) -> None:  # fmt: skip
    """A Chinese error naming the file, or a frame whose every row had the header's width."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        frame, _ = read_table(path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    records = list(csv.reader(io.StringIO(buffer.getvalue())))
    data = [r for r in records[1:] if r]
    assert all(len(r) == len(header) for r in data)
    assert len(set(header)) < len(header) or list(frame.columns) == header
    assert len(frame) <= len(data)
    assert not any(isinstance(c, str) and c.startswith("Unnamed") for c in frame.columns)
