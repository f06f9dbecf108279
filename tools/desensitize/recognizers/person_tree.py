"""Names in a family tree drawn with box-drawing lines, as a 支持起诉意见书 or a 赡养 case file
lays out a family:

    ├─ 长子 某某某 ── 妻 某某某 ── 子 某某某
    └─ 女 某某某（已故）

Each node is a kinship word, a space and the name. The single-character words (夫, 子, 女) are
no anchors in prose (子女, 男女), so they count only at a node: after a tree glyph or a run
of "─", with the name after a space and ending at a remark, a space or the line end.
"""

from __future__ import annotations

import re

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import CJK, Candidate, Doc, HitRecognizer
from desensitize.recognizers.person_layout import name_cell_filter
from desensitize.types import Hit

_GLYPHS = "├└┌│┣┗┠┖"
# a tree line: opens (after indentation) with a branch glyph
_TREE_LINE = re.compile(f"^[ \\t\u3000│┃]*[{_GLYPHS}]", re.MULTILINE)
_NAME = f"[{CJK}]{{2,6}}(?:·[{CJK}]{{1,10}})*"


class FamilyTreeNameRecognizer(HitRecognizer):
    """The name after the kinship word of each node of a tree line."""

    name = "person_tree"
    entities = ("PERSON",)

    def __init__(self) -> None:
        kin = alternation(sorted(set(load_lexicon().kin_terms)))
        self.node = re.compile(
            f"(?:[{_GLYPHS}]|─)─*[ \\t\u3000]*(?:{kin})[ \\t\u3000]+({_NAME})"
            f"(?=[(（ \\t\u3000─]|$)",
            re.MULTILINE,
        )
        self.filter = name_cell_filter()

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if "─" not in text:
            return []
        found: list[Candidate] = []
        for line in _TREE_LINE.finditer(text):
            end = text.find("\n", line.start())
            end = len(text) if end < 0 else end
            found += [
                (m.start(1), m.end(1), 0.9, self.name)
                for m in self.node.finditer(text, line.start(), end)
            ]
        return self.filter.hits(text, found)
