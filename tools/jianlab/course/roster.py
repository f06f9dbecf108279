"""Read a roster CSV (Excel-friendly UTF-8 with or without BOM; English or Chinese headers)."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import ValidationError

from jianlab.labs.models import SpecError, Student

HEADERS = {
    "id": "id", "学号": "id",
    "last_name": "last_name", "姓": "last_name",
    "first_name": "first_name", "名": "first_name",
    "email": "email", "邮箱": "email",
}  # fmt: skip


def read_roster(path: Path) -> list[Student]:
    if not path.is_file():
        raise SpecError(f"{path}: 名单文件不存在")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        unknown = [h for h in reader.fieldnames or [] if h.strip() not in HEADERS]
        if unknown:
            raise SpecError(f"{path}: 未知的列 {', '.join(unknown)}（可用：学号、姓、名、邮箱）")
        students: list[Student] = []
        for line, row in enumerate(reader, start=2):
            data = {HEADERS[k.strip()]: (v or "").strip() for k, v in row.items() if k}
            data = {k: v for k, v in data.items() if v}
            try:
                students.append(Student.model_validate(data))
            except ValidationError as exc:
                fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
                raise SpecError(f"{path} 第 {line} 行：字段无效（{fields}）") from exc
    return students
