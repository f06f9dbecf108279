"""Known names (a dataset's persons table) found at the speed a whole dataset needs.

Why: ``KnownNamesRecognizer`` lists, at every character that can start a known name, every
name with that first character and tests each with ``str.startswith``. With the hundreds of
thousands of names of a dataset that is thousands of tests per character (王 heads ten thousand
names): 70 % of the analysis time of case files. Its ``find`` keeps, at each position, only the
longest name — the conditions that skip a start (inside an earlier name, a place name, the tail
of a common word) depend on the position alone — so here each start is answered by looking up
the text's next 4, 3, 2 characters in a set: one to three look-ups instead of thousands.
Results are those of ``KnownNamesRecognizer`` (tests/desensitize/test_desensitize_known.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from desensitize.recognizers.person_name import KnownNamesRecognizer


class KnownNames(KnownNamesRecognizer):
    """``KnownNamesRecognizer`` whose candidate starts are found by set look-ups."""

    def __init__(self, names: Iterable[str], score: float = 0.95) -> None:
        super().__init__(names, score)
        self.sets = {head: frozenset(group) for head, group in self.by_head.items()}
        self.lengths = {
            head: tuple(sorted({len(n) for n in group}, reverse=True))
            for head, group in self.by_head.items()
        }

    def _starts(self, text: str, lo: int, hi: int) -> list[tuple[int, str]]:
        """(position, longest name starting there) for every position where a name starts."""
        if self.head_re is None:
            return super()._starts(text, lo, hi)
        out = []
        sets, lengths = self.sets, self.lengths
        for m in self.head_re.finditer(text, lo, hi):
            pos, head = m.start(), m.group()
            names = sets[head]
            for size in lengths[head]:
                if pos + size <= hi and text[pos : pos + size] in names:
                    out.append((pos, text[pos : pos + size]))
                    break
        return out
