"""The English that may stay on the course's web pages: the data, the docs table and the scanner.

The browser cycle (test_browser_cycle.py) relies on `english_words`; these cases pin down what
it reports without starting a browser.
"""

from __future__ import annotations

import re

import pytest

from jianlab.labs.paths import repo_root
from support.english import Where, english_words, ui_strings

DOC = repo_root() / "docs" / "course-operations.md"


def _doc_rows() -> dict[str, str]:
    """英文 → 中文意思, from the table of §9."""
    section = DOC.read_text(encoding="utf-8").split("## 9.", 1)[1]
    rows = re.findall(r"^\| (.+?) \| (.+?) \| .+? \| .+? \|$", section, flags=re.M)
    return {en: zh for en, zh in rows if en not in ("英文", "---")}


def test_docs_list_every_allowed_string_with_its_meaning() -> None:
    rows = _doc_rows()
    data = {s.text: s.zh for s in ui_strings()}
    assert rows == data


def test_every_allowed_string_is_english_and_has_a_chinese_meaning() -> None:
    for item in ui_strings():
        assert re.search(r"[A-Za-z]{2}", item.text), item
        assert re.search(r"[\u4e00-\u9fff]", item.zh), item


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("Fetch Feedback", "lab", []),
        ("Fetch Feedback", "formgrader", ["Feedback", "Fetch"]),  # allowed on its own page only
        ("Overall Score", "formgrader", []),
        ("得分：9.0 / 10.0 Score", "feedback", ["Score"]),  # jianlab's page allows nothing
        ("已提交 2026-12-07 12:00:00.123 UTC", "lab", []),
        ("stu1 jc-cycle/lab00-fixture.ipynb v3.11 #2", "lab", []),  # names, paths, versions
        ("Submit your notebook", "lab", ["notebook", "your"]),
        ("学号 stu1 的反馈 is ready.", "lab", ["is", "ready"]),
        ("第1题 (q1_tests) A 项", "feedback", []),  # a grade id, a single letter
        ("Python 3 (ipykernel) | 空闲", "lab", []),
        ("In\u00a0[3]:", "formgrader", []),  # nbconvert's prompt, with a no-break space
        ("In\u00a0[3]:", "feedback", ["In"]),
        ("Python 3 (ipykernel)", "hub", ["Python", "ipykernel"]),
    ],
)
def test_english_words(text: str, where: Where, expected: list[str]) -> None:
    assert english_words(text, where, names=("jc-cycle",)) == expected
