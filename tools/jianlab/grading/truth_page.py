"""The "真值对照" section of a feedback page: instructor-cell outputs rendered as HTML.

Only outputs are rendered, never the instructor cells' code (it is instructor material and may
share lines with hidden tests, which the leak scan would rightly reject) and never an error's
traceback (it quotes that code): a failed cell is replaced by a Chinese note. Figures get alt
text from their titles and axis labels, as on the rest of the page (`alttext.DescribeImages`).
The section goes just before `</body>`, and the page is leak-scanned afterwards like any other
(docs/grading.md, "The truth section").
"""

from __future__ import annotations

import copy
import html
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell, new_notebook

from jianlab.grading.alttext import DescribeImages

TITLE = "真值对照"
SECTION_ID = "truth-section"
INTRO = (
    "本节把你的估计与数据生成过程的真值并列。真值来自你本人那份合成数据的真值文件，"
    "在截止之后随反馈发布；本节由评分端在可信环境中计算：运行的是参考解答与教师单元，"
    "你的代码没有在其中运行，只有你在各题导出的值被读入。表中的“你的估计”来自这些导出值，"
    "未作答或无法读取的值显示为空。"
)
FAILED_NOTE = "本节有一部分未能生成（已通知教师）；其余内容照常显示。"
MISSING_NOTE = "本节未能生成（已通知教师），教师核查后会另行告知。"


def _outputs_only(cells: list[NotebookNode]) -> list[NotebookNode]:
    kept: list[NotebookNode] = []
    for cell in cells:
        clean = copy.deepcopy(cell)
        clean.outputs = [o for o in clean.get("outputs", []) if o.get("output_type") != "error"]
        clean.execution_count = None
        kept.append(clean)
    return kept


def render(cells: list[NotebookNode], notes: list[str]) -> str:
    """The section's HTML: heading, intro, notes, then the cells' outputs."""
    nb = new_notebook(cells=[new_markdown_cell(f"## {TITLE}"), *_outputs_only(cells)])
    nb, _ = DescribeImages().preprocess(nb, ResourcesDict())
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    note_list = f'<ul class="truth-notes">{items}</ul>' if notes else ""
    return (
        f'<div class="container" id="{SECTION_ID}"><div class="panel panel-info">'
        f'<div class="panel-heading"><h4>{TITLE}</h4></div><div class="panel-body">'
        f"<p>{html.escape(INTRO)}</p>{note_list}{body}</div></div></div>\n"
    )


def insert(page: Path, section: str) -> None:
    """Put `section` just before the page's `</body>` (at the end if there is none)."""
    raw = page.read_text(encoding="utf-8")
    at = raw.rfind("</body>")
    raw = raw + section if at < 0 else raw[:at] + section + raw[at:]
    page.write_text(raw, encoding="utf-8")
