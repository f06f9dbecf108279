"""Names that open clauses more than once (，郝春雷与温雅琴共同出资……，郝春雷任法定代表人).

Running text names a person without a role word once the reader knows who is meant; a single
such mention looks like any other clause opening, but the same three-character reading at two
clause openings, each ending where a name ends, is a name. Two-character readings are left
out: clause openings such as 经查、随后 repeat as well.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from desensitize.lexicon import load_lexicon
from desensitize.recognizers.base import SEP, Doc, HitRecognizer
from desensitize.recognizers.person_name import NameParser, surname_class
from desensitize.types import Hit

MIN_LENGTH = 3
MIN_REPEATS = 2


class RepeatedNameRecognizer(HitRecognizer):
    name = "person_repeated"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.parser = NameParser(lex)
        # the opening character comes first, so the regex engine can skip ahead to it
        self.opening = re.compile(f"[\\n{SEP},，。;；:：、与和及]((?:{surname_class(lex)}))")

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        seen: dict[tuple[int, str], list[int]] = {}
        starts = [m.start(1) for m in self.opening.finditer(text)]
        if text and self.parser.lex.is_surname_at(text, 0):
            starts.insert(0, 0)
        # group by the first characters of a name there, per text of a batch; only groups
        # seen twice are parsed (most clause openings are not names and never repeat)
        groups: dict[tuple[int, str], list[int]] = {}
        for start in starts:
            key = (bisect_right(doc.bounds, start), text[start : start + MIN_LENGTH])
            groups.setdefault(key, []).append(start)
        for (which, _), group in groups.items():
            if len(group) < MIN_REPEATS:
                continue
            for start in group:
                parsed = self.parser.parse(text, start)
                if parsed is not None and parsed[1] >= 0.9 and parsed[0] - start >= MIN_LENGTH:
                    seen.setdefault((which, text[start : parsed[0]]), []).append(start)
        return [
            (pos, pos + len(name), "PERSON", 0.8, self.name)
            for (_, name), starts in seen.items()
            if len(starts) >= MIN_REPEATS
            for pos in starts
        ]
