"""Shape checks for tables handed to the desensitizer, so that a malformed table is refused
with a Chinese message naming file, row and column instead of being read wrongly.

Why: pandas pads a CSV row shorter than the header with nulls (and silently turns one extra
field into an index), reads an XLSX title row as the header and merged cells as nulls, and a
``persons`` table without ``name`` failed with a bare ``KeyError``. A padded or shifted row is
not an inconvenience here — an identifier that moved into the wrong column escapes the rule
written for its column. Row widths are checked by Arrow's CSV parser (C++, one pass; the
handler runs only for bad rows), merged cells by openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pv

from desensitize.io.decoding import Decoded, InputError, decode_bytes

EXAMPLES = 3
REQUIRED_COLUMNS: dict[str, list[str]] = {"persons": ["name"]}  # table → columns read by name
_UNNAMED = re.compile(r"^Unnamed: \d+")


def decode_table(raw: bytes, path: Path) -> Decoded:
    """``decode_bytes`` with every codec failure (e.g. an invalid byte after a UTF-8 BOM) turned
    into a Chinese error naming the file, line and byte offset."""
    try:
        return decode_bytes(raw, path)
    except UnicodeDecodeError as exc:
        bom = raw.startswith(b"\xef\xbb\xbf")
        offset = exc.start + (3 if bom else 0)
        line = raw[:offset].count(b"\n") + 1
        byte = raw[offset : offset + 1].hex().upper()
        raise InputError(
            f"{path}：第 {line} 行无法按{'带 BOM 的 UTF-8' if bom else ' UTF-8'} 解码"
            f"（文件第 {offset} 字节 0x{byte}）；请确认文件编码一致"
        ) from None


def check_csv_rows(text: str, path: Path) -> None:
    """Every record has as many fields as the header; the first few offenders are named (row
    numbers count records, header = 1, as a spreadsheet shows them)."""
    bad: list[tuple[int | None, int, int]] = []

    def on_invalid(row: pv.InvalidRow) -> str:
        bad.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    if not first:
        return
    header = first[0]
    try:
        pv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pv.ReadOptions(use_threads=False),
            parse_options=pv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
            convert_options=pv.ConvertOptions(
                include_columns=[header], column_types={header: pa.string()}
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return  # not a shape problem; pandas reports it with row and column below
    if bad:
        expected = bad[0][1]
        shown = "；".join(
            f"第 {n if n is not None else '?'} 行有 {got} 列（{_difference(first, got)}）"
            for n, _, got in bad[:EXAMPLES]
        )
        raise InputError(
            f"{path}：共 {len(bad)} 行的列数与表头（{expected} 列）不符：{shown}；"
            "请补齐或删除多余的分隔符后重试"
        )


def _difference(header: list[str], got: int) -> str:
    if got < len(header):
        return f"缺少列 {'、'.join(header[got:])}"
    return f"多出 {got - len(header)} 列，从第 {len(header) + 1} 列起"


def check_header(columns: list[str], path: Path, header_row: int = 1) -> None:
    """Every header cell names a column: an empty one usually means a title row above the
    header, or a header split over merged cells."""
    empty = [i + 1 for i, c in enumerate(columns) if not str(c).strip() or _UNNAMED.match(str(c))]
    if empty:
        cols = "、".join(f"第 {i} 列" for i in empty[:EXAMPLES])
        raise InputError(
            f"{path}：表头（第 {header_row} 行）{cols}没有列名（共 {len(empty)} 列）；"
            "第一行须是列名——如果上方有标题行，请删除"
        )


def check_xlsx_layout(path: Path) -> None:
    """No merged cells in the sheet that is read (the first one): pandas keeps only the first
    cell's value and reads the rest as nulls."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=False).worksheets[0]
    except Exception as exc:
        raise InputError(f"{path}：无法读取 XLSX（{type(exc).__name__}）") from exc
    merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        first = merged[0]
        title = "，像是表头上方的标题行" if first.min_row == 1 else ""
        shown = "、".join(f"{r.coord}（{_rows(r.min_row, r.max_row)}）" for r in merged[:EXAMPLES])
        raise InputError(
            f"{path}：工作表「{sheet.title}」有 {len(merged)} 处合并单元格：{shown}{title}；"
            "合并单元格只有第一格有值，请取消合并并填满每一格后重试"
        )


def _rows(first: int, last: int) -> str:
    return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


def check_required_columns(table: str, columns: list[str], path: Path) -> None:
    missing = [c for c in REQUIRED_COLUMNS.get(table, []) if c not in columns]
    if missing:
        raise InputError(
            f"{path}：数据表 {table} 缺少列 {'、'.join(missing)}"
            f"（现有列：{'、'.join(map(str, columns))}）"
        )
