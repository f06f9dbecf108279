"""Alt text for plots in graded notebooks, read from the code that drew them.

nbconvert's HTML exporter gives every `<img>` without alt text a generic English placeholder and
logs "Alternative text is missing" once per page; a screen reader then says nothing useful about
a student's plot. The classic template (used by the feedback and formgrader pages) reads
`alt` from the output metadata, so this preprocessor writes it there: the figure title(s) and
axis labels the cell passes to matplotlib as string literals, otherwise the question heading
above the cell. Alt text already present (output or cell metadata) is kept. Hidden-test lines
are never read, so the preprocessor is safe before ClearHiddenTests (autograde runs it too, which
gives formgrader's pages the same alt text).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode

from jianlab.grading.preprocessors import FeedbackPreprocessor, hidden_line_numbers

IMAGE_MIMES = ("image/png", "image/jpeg")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# matplotlib call name → (role, keyword that may carry the text instead of the first argument)
LABEL_CALLS = {
    "set_title": ("titles", "label"),
    "title": ("titles", "label"),
    "suptitle": ("titles", "t"),
    "set_xlabel": ("x", "xlabel"),
    "xlabel": ("x", "xlabel"),
    "set_ylabel": ("y", "ylabel"),
    "ylabel": ("y", "ylabel"),
}


@dataclass
class FigureText:
    titles: list[str] = field(default_factory=list)
    x: list[str] = field(default_factory=list)
    y: list[str] = field(default_factory=list)


def _literal_text(call: ast.Call, keyword: str) -> str | None:
    args = [call.args[0]] if call.args else []
    args += [k.value for k in call.keywords if k.arg == keyword]
    for arg in args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
            return arg.value.strip()
    return None


def figure_text(source: str) -> FigureText:
    """Titles and axis labels given as string literals, in source order; none if it won't parse."""
    found = FigureText()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    calls = [
        (n.lineno, n.col_offset, n, n.func.attr)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in LABEL_CALLS
    ]
    for _, _, call, name in sorted(calls, key=lambda c: (c[0], c[1])):
        role, keyword = LABEL_CALLS[name]
        text = _literal_text(call, keyword)
        if text is not None:
            getattr(found, role).append(text)
    return found


def _axes(text: FigureText) -> str:
    parts = [f"横轴：{text.x[0]}"] if len(text.x) == 1 else []
    parts += [f"纵轴：{text.y[0]}"] if len(text.y) == 1 else []
    return f"（{'；'.join(parts)}）" if parts else ""


def image_alts(text: FigureText, where: str, count: int) -> list[str]:
    """One alt text per image of a cell; `where` names the cell (its question heading)."""
    titles = "；".join(text.titles)
    if count == 1:
        return [f"图：{titles}{_axes(text)}" if titles else f"图：{where}的输出图"]
    if count == len(text.titles):
        return [f"图：{title}" for title in text.titles]
    if titles:
        return [f"图：{titles}（{where}的输出图 {k}/{count}）" for k in range(1, count + 1)]
    return [f"图：{where}的输出图 {k}/{count}" for k in range(1, count + 1)]


def _missing_alt(cell: NotebookNode) -> list[tuple[NotebookNode, str]]:
    if cell.metadata.get("alt"):
        return []
    images: list[tuple[NotebookNode, str]] = []
    for output in cell.get("outputs", []):
        metadata = output.get("metadata", {})
        if metadata.get("alt"):
            continue
        images += [
            (output, mime)
            for mime in IMAGE_MIMES
            if mime in output.get("data", {}) and not metadata.get(mime, {}).get("alt")
        ]
    return images


class DescribeImages(FeedbackPreprocessor):
    begin_delimeter = "BEGIN HIDDEN TESTS"
    end_delimeter = "END HIDDEN TESTS"

    def visible_source(self, source: str) -> str:
        hidden = hidden_line_numbers(source, self.begin_delimeter, self.end_delimeter)
        lines = source.splitlines()
        return "\n".join(line for n, line in enumerate(lines, start=1) if n not in hidden)

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        heading = ""
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                headings = HEADING.findall(cell.source)
                heading = headings[-1] if headings else heading
                continue
            images = _missing_alt(cell) if cell.cell_type == "code" else []
            if not images:
                continue
            where = heading or f"第 {index + 1} 个单元格"
            alts = image_alts(figure_text(self.visible_source(cell.source)), where, len(images))
            for (output, mime), alt in zip(images, alts, strict=True):
                output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt
        return nb, resources
