"""Find solution, hidden-test and instructor text in a student release.

The secret text is every line inside solution and hidden-test regions plus every line of an
instructor cell, minus lines that also occur in the public part of the source (shared imports)
and lines too short to mean anything (`)`, `else:`).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from jianlab.labs.source import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    is_instructor_cell,
)

MIN_CHARS = 8
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
MAX_TEXT_BYTES = 5 * 1024 * 1024


def _normal(line: str) -> str:
    return line.strip().lstrip("#").strip()


def split_secret(nb: NotebookNode, hidden_only: bool = False) -> tuple[set[str], set[str]]:
    """(secret lines, public lines) of an instructor notebook.

    `hidden_only` keeps just hidden-test lines: feedback legitimately shows a student's own
    answers, which may coincide with the solution, but must never show hidden tests.
    """
    secret: set[str] = set()
    public: set[str] = set()
    begins = {HIDDEN_BEGIN: HIDDEN_END}
    if not hidden_only:
        begins[SOLUTION_BEGIN] = SOLUTION_END
    for cell in nb.cells:
        closing: str | None = "*" if is_instructor_cell(cell) and not hidden_only else None
        for line in cell.source.splitlines():
            text = line.strip()
            if closing is None and text in begins:
                closing = begins[text]
                continue
            if closing is not None and text == closing:
                closing = None
                continue
            (secret if closing is not None else public).add(_normal(line))
    secret = {s for s in secret - public if len(s) >= MIN_CHARS and s not in MARKERS}
    return secret, public


def _texts(release_dir: Path) -> dict[Path, str]:
    out: dict[Path, str] = {}
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            out[path] = "\n".join(c.source for c in nb.cells) + "\n" + nbformat.writes(nb)
        elif path.stat().st_size <= MAX_TEXT_BYTES:
            try:
                out[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return out


def text_leaks(secret: set[str], markers: tuple[str, ...], text: str, label: str) -> list[str]:
    problems = [f"{label}：出现标记 “{m}”" for m in markers if m in text]
    return problems + [
        f"{label}：泄露了答案或隐藏测试文本 “{s[:60]}”" for s in sorted(secret) if s in text
    ]


def find_leaks(
    instructor_nb: NotebookNode, release_dir: Path, hidden_only: bool = False
) -> list[str]:
    secret, _ = split_secret(instructor_nb, hidden_only)
    markers = MARKERS[2:] if hidden_only else MARKERS
    problems: list[str] = []
    for path, text in _texts(release_dir).items():
        problems += text_leaks(secret, markers, text, str(path.relative_to(release_dir)))
    return problems
