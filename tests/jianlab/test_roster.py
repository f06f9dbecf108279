"""Rosters as registrars export them: headers, name splitting, 学号 as text, XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jianlab.course.roster import load_roster, rules, split_name
from jianlab.labs.models import SpecError

SAMPLE_COMPOUNDS = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙"]
SAMPLE_COMPOUNDS += ["慕容", "长孙", "宇文", "司徒", "夏侯", "令狐"]


@pytest.mark.parametrize(
    ("full", "last", "first"),
    [
        ("王晓明", "王", "晓明"),
        ("李娜", "李", "娜"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"),
        ("上官婉儿", "上官", "婉儿"),
        ("欧阳", "欧", "阳"),  # two characters: a single surname and a one-character given name
        ("马司欧", "马", "司欧"),
        ("阿卜杜拉·艾买提", "阿卜杜拉·艾买提", ""),
        ("Anna Müller", "Anna Müller", ""),
        (" 张子涵 ", "张", "子涵"),
        ("李\u3000娜", "李", "娜"),  # registrars pad two-character names with a full-width space
        ("欧阳 娜娜", "欧阳", "娜娜"),
    ],
)
def test_split_name(full: str, last: str, first: str) -> None:
    assert split_name(full) == (last, first)


def test_compound_surnames_are_data() -> None:
    table = set(rules().compound_surnames)
    assert set(SAMPLE_COMPOUNDS) <= table
    assert all(len(s) == 2 for s in table)
    for surname in SAMPLE_COMPOUNDS:
        assert split_name(surname + "明远") == (surname, "明远")


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "expected", "ignored"),
    [
        ("学号,姓名\n2024001,王晓明\n", [("2024001", "王", "晓明")], []),
        ("学号,姓,名,邮箱\ns01,王,晓明,a@b.cn\n", [("s01", "王", "晓明")], []),
        ("id,last_name,first_name\ns01,王,晓明\n", [("s01", "王", "晓明")], []),
        (
            "序号,学号,姓名,性别,班级,专业\n1,0012024,欧阳娜娜,女,法学1班,法学\n"
            "2,0012025,司马光,男,法学1班,法学\n",
            [("0012024", "欧阳", "娜娜"), ("0012025", "司马", "光")],
            ["序号", "性别", "班级", "专业"],
        ),
        (
            "2026-2027学年第一学期 检察数据分析 学生名单,,\n学号,学生姓名,行政班\n"
            "00123,诸葛亮,1班\n,,\n",
            [("00123", "诸葛", "亮")],
            ["行政班"],
        ),
        ("学号 ,姓 名,爱好\nS-01,李 娜,读书\n", [("S-01", "李", "娜")], ["爱好（未识别）"]),
        ("学号,姓名\n2024001,阿卜杜拉·艾买提\n", [("2024001", "阿卜杜拉·艾买提", "")], []),
    ],
)
def test_read_csv_roster(
    tmp_path: Path, text: str, expected: list[tuple[str, str, str]], ignored: list[str]
) -> None:
    roster = load_roster(_csv(tmp_path, text))
    assert [(s.id, s.last_name, s.first_name) for s in roster.students] == expected
    assert roster.ignored_columns == ignored


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("姓名,班级\n王晓明,1\n", "没有学号列"),
        ("学号,班级\ns01,1\n", "缺少姓名列"),
        ("学号,姓\ns01,王\n", "缺少姓名列"),
        ("学号,姓名\ns 01,王晓明\n", "第 2 行"),
        ("学号,姓,名\ns01,,晓明\n", "第 2 行"),
        ("学号,姓名\ns01,王晓明\ns01,李娜\n", "与第 2 行重复"),
        ("学号,学籍号,姓名\ns01,s01,王晓明\n", "含义重复"),
        ("学号,姓名\n", "没有学生"),
    ],
)
def test_roster_errors(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(SpecError, match=error):
        load_roster(_csv(tmp_path, text))


def test_gbk_csv_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="CSV UTF-8"):
        load_roster(_csv(tmp_path, "学号,姓名\ns01,王晓明\n", encoding="gbk"))


def test_xlsx_roster_keeps_leading_zeros(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["学号", "姓名", "班级"])
    sheet.append(["0020240001", "慕容复", "1班"])  # stored as text
    sheet.append([20240002, "令狐冲", "1班"])  # stored as a number formatted with zeros
    sheet.cell(row=3, column=1).number_format = "0000000000"
    sheet.append([2024000003.0, "长孙无忌", "2班"])  # a float, as spreadsheets often hold ids
    path = tmp_path / "roster.xlsx"
    book.save(path)
    roster = load_roster(path)
    assert [(s.id, s.last_name, s.first_name) for s in roster.students] == [
        ("0020240001", "慕容", "复"),
        ("0020240002", "令狐", "冲"),
        ("2024000003", "长孙", "无忌"),
    ]


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SpecError, match=r"另存为 \.xlsx"):
        load_roster(path)
