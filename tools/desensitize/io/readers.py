"""Reading tables and texts in the encodings Chinese offices actually produce, with errors that
name the file, row and column instead of a codec traceback."""

from __future__ import annotations

import csv
import io as _io
import re
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pds

from desensitize.io import tableshape as shape
from desensitize.io.decoding import Decoded, InputError, decode_bytes
from desensitize.io.word import LINE_BREAK, DocxError, read_docx

TEXT_SUFFIXES = {".txt", ".md"}
TABLE_SUFFIXES = {".csv", ".xlsx", ".parquet"}


def read_text(path: Path) -> Decoded:
    if path.suffix.lower() == ".docx":
        return Decoded(_read_docx(path), "DOCX")
    return decode_bytes(path.read_bytes(), path)


def _read_docx(path: Path) -> str:
    """Paragraphs and table cells in reading order, one per line (see ``io.word``)."""
    try:
        return read_docx(path).text.replace(LINE_BREAK, "\n")
    except DocxError as exc:
        raise InputError(str(exc)) from None


def _csv_error(path: Path, text: str, exc: Exception) -> InputError:
    m = re.search(r"line (\d+)", str(exc))
    expected = re.search(r"Expected (\d+) fields", str(exc))
    row = int(m.group(1)) if m else None
    where = f"第 {row} 行" if row else "某行"
    detail = f"应有 {expected.group(1)} 列，" if expected else ""
    if row:
        fields = next(csv.reader(_io.StringIO(text.splitlines()[row - 1])), [])
        first_extra = int(expected.group(1)) + 1 if expected else "?"
        detail += f"实际 {len(fields)} 列（多出的列从第 {first_extra} 列起）"
    return InputError(f"{path}：{where}格式错误：{detail or exc}")


def read_table(path: Path) -> tuple[pd.DataFrame, str]:
    """A table and how it was encoded ("Parquet", "XLSX", or the CSV text encoding)."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".parquet":
        try:
            return pds.dataset(
                str(path), format="parquet", partitioning="hive"
            ).to_table().to_pandas(), "Parquet"
        except Exception as exc:
            raise InputError(f"{path}：无法读取 Parquet（{exc}）") from exc
    if suffix == ".xlsx":
        shape.check_xlsx_layout(path)
        try:
            df = pd.read_excel(path, dtype=str, engine="openpyxl")
        except Exception as exc:
            raise InputError(f"{path}：无法读取 XLSX（{exc}）") from exc
        shape.check_header(list(df.columns), path)
        return df, "XLSX"
    if suffix == ".csv":
        decoded = shape.decode_table(path.read_bytes(), path)
        shape.check_csv_rows(decoded.text, path)
        try:
            df = pd.read_csv(
                _io.StringIO(decoded.text), dtype=str, keep_default_na=False, na_values=[""],
                index_col=False,
            )  # fmt: skip
        except (pd.errors.ParserError, csv.Error) as exc:
            raise _csv_error(path, decoded.text, exc) from None
        shape.check_header(list(df.columns), path)
        return df, decoded.encoding
    raise InputError(f"{path}：不支持的表格格式 {suffix}（支持 .csv .xlsx .parquet）")


__all__ = [
    "TABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Decoded",
    "InputError",
    "decode_bytes",
    "read_table",
    "read_text",
]
