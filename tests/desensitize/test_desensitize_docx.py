"""Word documents: paragraphs and table cells are read with offsets, desensitized as one
document, and written back with the same paragraphs, tables and styles (changed paragraphs
merged into one run)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from typer.testing import CliRunner

from desensitize import Desensitizer, InputError, desensitize_docx, load_policy, read_text
from desensitize.io.word import read_docx, split_at_paragraphs
from jianlab.cli.desensitize import app
from zhcodes import gb11643_check_char

KEY = b"docx-test-key-0123456789abcdef"
BODY = "33070219850305123"
ID = BODY + gb11643_check_char(BODY)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    doc = docx.Document()
    doc.add_heading("执行裁定书", level=1)
    p = doc.add_paragraph()
    p.add_run("被执行人").bold = True
    run = p.add_run("黄建平")  # the name sits in its own, differently formatted run
    run.italic = True
    p.add_run(f"，公民身份号码{ID}，手机13912345678。")
    doc.add_paragraph("依照《中华人民共和国民事诉讼法》第二百四十八条，裁定如下。")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "当事人"
    table.cell(0, 1).text = "联系电话"
    table.cell(1, 0).text = "黄建平"  # known only from the body paragraph: propagation
    table.cell(1, 1).text = "0579-82123456"
    broken = doc.add_paragraph("证人李晓梅")
    broken.add_run().add_break()
    broken.add_run("住浙江省金华市婺城区城东街道八一北街128号")
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    path = tmp_path / "ruling.docx"
    doc.save(str(path))
    return path


def test_reading_order_and_offsets(source: Path) -> None:
    doc = read_docx(source)
    text = doc.text
    assert [text[s : s + 5] for s in doc.starts[:2]] == ["执行裁定书", "被执行人黄"]
    assert "当事人" in text and "0579-82123456" in text and "黄建平" in text
    assert text.split("\n")[1] == f"被执行人黄建平，公民身份号码{ID}，手机13912345678。"
    assert read_text(source).text.count("\n") == text.count("\n") + 1  # the <w:br/> as a line


def test_write_back_keeps_structure_and_removes_identifiers(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    des = Desensitizer(load_policy("teaching"), key=KEY)
    result = desensitize_docx(des, source, target)
    before, after = docx.Document(str(source)), docx.Document(str(target))
    assert len(after.paragraphs) == len(before.paragraphs)
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert len(after.tables) == 1 and len(after.tables[0].rows) == 2
    out = read_docx(target).text
    for secret in ("黄建平", ID, "13912345678", "0579-82123456", "李晓梅", "八一北街128号"):
        assert secret not in out
    assert "依照《中华人民共和国民事诉讼法》第二百四十八条，裁定如下。" in out
    assert after.paragraphs[0].text == "执行裁定书"
    assert "金华市婺城区" in out  # the county stays, the detail goes
    changed = after.paragraphs[1]
    assert len(changed.runs) == 1 and changed.runs[0].bold  # runs merged, first run's format
    name = out.split("\n")[1][4:7]
    assert out.count(name) >= 2  # the table cell got the same pseudonym as the body
    assert len(result.items) >= 6
    untouched = after.paragraphs[2]
    assert untouched.text == before.paragraphs[2].text


def test_split_at_paragraphs_never_moves_text() -> None:
    text = "浙A\n12345"
    hits = [(0, 8, "PLATE", 0.9, "x"), (3, 5, "X", 0.5, "y")]
    assert split_at_paragraphs(text, hits) == [
        (0, 2, "PLATE", 0.9, "x"),
        (3, 8, "PLATE", 0.9, "x"),
        (3, 5, "X", 0.5, "y"),
    ]
    assert split_at_paragraphs("\n\n", [(0, 2, "X", 0.5, "z")]) == []


def test_cli_docx_round_trip_and_errors(source: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "key"
    key.write_text("cli-docx-key-0123456789abcdef\n")
    target = tmp_path / "cli.docx"
    ok = runner.invoke(app, ["text", str(source), "-k", str(key), "-o", str(target)])
    assert ok.exit_code == 0 and "黄建平" not in read_docx(target).text
    txt = tmp_path / "a.txt"
    txt.write_text("被告人张三", encoding="utf-8")
    wrong = runner.invoke(app, ["text", str(txt), "-k", str(key), "-o", str(tmp_path / "b.docx")])
    assert wrong.exit_code == 2 and "须是 .docx" in wrong.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    bad = runner.invoke(app, ["text", str(broken), "-k", str(key), "-o", str(tmp_path / "c.docx")])
    assert bad.exit_code == 2 and "不是有效的 .docx" in bad.output
    assert not (tmp_path / "c.docx").exists()
    with pytest.raises(InputError, match=r"broken\.docx"):
        read_text(broken)
