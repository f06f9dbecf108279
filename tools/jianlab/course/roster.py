"""Rosters as registrars export them: CSV or XLSX, one 姓名 column or 姓/名, extra columns.

Column names and the compound-surname table are data (`roster.yaml`). 学号 is always text:
CSV cells are read as strings, and an XLSX number formatted with leading zeros ("000123") is
padded back to its displayed width. A title row above the header (common in 教务系统 exports)
is skipped: the header is the first of the top rows that names a 学号 column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from jianlab.labs.models import SpecError, Student

HEADER_SEARCH_ROWS = 10
FIELDS = ("id", "name", "last_name", "first_name", "email")
ZERO_FORMAT = re.compile(r"^0+$")
HAN_WITH_SPACES = re.compile(r"[\u4e00-\u9fff\s]+")
UNSPLIT = re.compile(r"[·•．.\sA-Za-z]")  # dotted or Latin-script names are kept whole


class RosterColumns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: list[str]
    name: list[str]
    last_name: list[str]
    first_name: list[str]
    email: list[str]


class RosterRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: RosterColumns
    ignore: list[str]
    compound_surnames: list[str]


@dataclass
class Roster:
    students: list[Student]
    ignored_columns: list[str] = field(default_factory=list)


def normalize(header: object) -> str:
    return re.sub(r"\s+", "", str(header or "")).lower()


@cache
def rules() -> RosterRules:
    text = (Path(__file__).with_name("roster.yaml")).read_text(encoding="utf-8")
    return RosterRules.model_validate(yaml.safe_load(text))


def _aliases() -> dict[str, str]:
    columns = rules().columns.model_dump()
    return {normalize(alias): key for key in FIELDS for alias in columns[key]}


def split_name(full: str) -> tuple[str, str]:
    """(姓, 名). Compound surnames from the table when the name has three or more characters;
    names with a middle dot or Latin letters are not split (the whole name is the 姓 field).
    Registrars pad two-character names with spaces (“李  娜”); in a Han-only name they go."""
    name = full.strip()
    if HAN_WITH_SPACES.fullmatch(name):
        name = re.sub(r"\s+", "", name)
    if UNSPLIT.search(name) or len(name) < 2:
        return name, ""
    if len(name) >= 3 and name[:2] in set(rules().compound_surnames):
        return name[:2], name[2:]
    return name[:1], name[1:]


def _cell_text(value: object, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, int) and ZERO_FORMAT.match(number_format or ""):
        text = text.zfill(len(number_format))
    return text


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for row in book.worksheets[0].iter_rows():
            yield [_cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
    finally:
        book.close()


def _find_header(rows: list[list[str]], path: Path) -> int:
    aliases = _aliases()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(aliases.get(normalize(cell)) == "id" for cell in row):
            return index
    raise SpecError(f"{path}: 前 {HEADER_SEARCH_ROWS} 行中没有学号列（可用列名：学号、学籍号、id）")


def _columns(header: list[str], path: Path) -> tuple[dict[int, str], list[str]]:
    aliases = _aliases()
    ignore = {normalize(h) for h in rules().ignore}
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        key = aliases.get(normalize(cell))
        if key is None:
            if cell.strip():
                known = normalize(cell) in ignore
                ignored.append(cell.strip() if known else f"{cell.strip()}（未识别）")
            continue
        if key in mapping.values():
            raise SpecError(f"{path}: 列 {cell} 与前面的列含义重复")
        mapping[index] = key
    has_name = "name" in mapping.values()
    has_parts = {"last_name", "first_name"} <= set(mapping.values())
    if not (has_name or has_parts):
        raise SpecError(f"{path}: 缺少姓名列（需要“姓名”一列，或“姓”“名”两列）")
    return mapping, ignored


def _student(data: dict[str, str]) -> Student:
    if data.get("name") and not (data.get("last_name") or data.get("first_name")):
        data["last_name"], data["first_name"] = split_name(data["name"])
    data.pop("name", None)
    return Student.model_validate({k: v for k, v in data.items() if v})


def _students(
    rows: Iterable[list[str]], mapping: dict[int, str], first_line: int, path: Path
) -> list[Student]:
    students: list[Student] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=first_line):
        data = {key: row[i].strip() for i, key in mapping.items() if i < len(row)}
        if not any(data.values()):
            continue
        try:
            student = _student(data)
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise SpecError(f"{path} 第 {line} 行：字段无效（{fields}）") from exc
        if student.id in seen:
            first = seen[student.id]
            raise SpecError(f"{path} 第 {line} 行：学号 {student.id} 与第 {first} 行重复")
        seen[student.id] = line
        students.append(student)
    return students


def load_roster(path: Path) -> Roster:
    if not path.is_file():
        raise SpecError(f"{path}: 名单文件不存在")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SpecError(f"{path}: 名单须为 .csv 或 .xlsx（.xls 请先在 Excel 中另存为 .xlsx）")
    try:
        rows = list(_xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path))
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: 不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8”") from exc
    header_at = _find_header(rows, path)
    mapping, ignored = _columns(rows[header_at], path)
    students = _students(rows[header_at + 1 :], mapping, header_at + 2, path)
    if not students:
        raise SpecError(f"{path}: 名单中没有学生")
    return Roster(students, ignored)


def read_roster(path: Path) -> list[Student]:
    return load_roster(path).students
