"""Find the English a student or an instructor reads on a page, minus what jianlab cannot change.

What is read: every visible text node of every frame, the value of visible buttons and the
placeholder of visible empty fields. Not read: code (editor contents, highlighted code in
formgrader, inline code such as a variable name in the lab text), and stderr output (Python's
own warnings and tracebacks).

What is allowed: the strings of nbgrader's, JupyterHub's and JupyterLab's own web UI listed in
`english_ui.yaml`, each allowed only on the kind of page it comes from (a "Score" on jianlab's
feedback page fails even though formgrader may show it), and the names of things (course, lab,
students, files) the test passes in. Anything else with two or more Latin letters is English
that jianlab put there, and fails the test. docs/course-operations.md §9 lists the same strings
with their Chinese meaning (checked by tests/jianlab/test_english_ui.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from playwright.sync_api import Frame, Page
from pydantic import BaseModel, ConfigDict

Where = Literal["hub", "lab", "formgrader", "feedback"]
DATA = Path(__file__).with_name("english_ui.yaml")
SKIP = ", ".join(
    (
        ".jp-InputArea-editor",  # code in JupyterLab
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        ".input_area",  # code in formgrader and nbconvert pages
        "code",  # names of variables in the lab text (`rate`)
        ".output_stderr",
        "script",
        "style",
        "noscript",
    )
)
VISIBLE_TEXT_JS = """(skip) => {
    const seen = el => el && el.checkVisibility({visibilityProperty: true});
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!seen(el) || el.closest(skip)) continue;
        const text = walker.currentNode.textContent.trim();
        if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('input, textarea')) {
        if (!seen(el) || el.closest(skip)) continue;
        if (['submit', 'button'].includes(el.type) && el.value) out.push(el.value);
        else if (!el.value && el.placeholder) out.push(el.placeholder);
    }
    return out.join('\\n');
}"""
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_'./:#-]*")


class UIString(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    zh: str
    source: Literal["nbgrader", "JupyterHub", "JupyterLab", "Python"]
    where: tuple[Where, ...]


@cache
def ui_strings() -> tuple[UIString, ...]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(UIString.model_validate(item) for item in raw)


def allowed(where: Where) -> list[str]:
    """Longest first, so "Fetch Feedback" is taken before "Fetch"."""
    texts = {s.text for s in ui_strings() if where in s.where}
    return sorted(texts, key=len, reverse=True)


def _is_name(token: str) -> bool:
    """Paths, file names, ids and versions (stu1, lab00-fixture.ipynb, 3.11) are not words."""
    core = token.rstrip(".:'")
    return bool(re.search(r"[0-9_/.#]", core)) or len(re.sub(r"[^A-Za-z]", "", core)) < 2


def english_words(text: str, where: Where, names: Iterable[str] = ()) -> list[str]:
    """The English words left in `text` after the allowed UI strings and `names` are removed."""
    text = text.replace("\u00a0", " ")  # nbconvert writes its prompts as "In&nbsp;[1]:"
    for phrase in [*allowed(where), *sorted(names, key=len, reverse=True)]:
        text = text.replace(phrase, "\n")
    return sorted({t.rstrip(".:'") for t in TOKEN.findall(text) if not _is_name(t)})


def visible_text(frame: Frame) -> str:
    return str(frame.evaluate(VISIBLE_TEXT_JS, SKIP))


@dataclass
class EnglishScan:
    """Scans pages as the test goes; `found` maps a screenshot name to the English it showed."""

    names: tuple[str, ...]
    found: dict[str, list[str]]

    def check(self, page: Page, shot: str, where: Where, frames: Where = "feedback") -> None:
        """The main frame is a `where` page; any iframe in it (feedback) is scanned as `frames`."""
        words = english_words(visible_text(page.main_frame), where, self.names)
        for child in page.main_frame.child_frames:
            words += english_words(visible_text(child), frames, self.names)
        if words:
            self.found[shot] = sorted(set(words))
