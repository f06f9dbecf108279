"""GB/T 2260 names as a prefix matcher, for addresses (keep the county, drop what follows)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from desensitize.lexicon import alternation, load_lexicon
from zhcodes import load_divisions

_SUFFIX = re.compile(
    r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市|地区|自治州|盟|自治县|自治旗|县|区|旗)$"
)


@dataclass(frozen=True)
class DivisionNames:
    """Full names (浙江省, 金华市, 婺城区) and short forms (浙江, 金华) by their first two chars."""

    by_head: dict[str, tuple[str, ...]]
    short_forms: frozenset[str]

    def match_at(self, text: str, pos: int, end: int | None = None) -> int:
        """Length of the longest division name in ``text[pos:end]`` starting at ``pos``."""
        stop = len(text) if end is None else end
        for name in self.by_head.get(text[pos : pos + 2], ()):
            if text.startswith(name, pos, stop):
                return len(name)
        return 0

    def overlaps(self, text: str, start: int, end: int) -> bool:
        """True when a division name in ``text`` overlaps ``[start, end)`` (呼和浩特 vs 和浩)."""
        heads = self.by_head
        for pos in range(max(0, start - 8), end):
            names = heads.get(text[pos : pos + 2])
            if names:  # inlined match_at: this runs for every name found
                n = next((len(name) for name in names if text.startswith(name, pos)), 0)
                if n and pos + n > start:
                    return True
        return False

    def strip_prefix(self, text: str, pos: int = 0, end: int | None = None) -> int:
        """Position after the leading run of division names (province → city → county) that
        ends by ``end`` (default: the end of ``text``)."""
        stop = len(text) if end is None else end
        while pos < stop:
            n = self.match_at(text, pos, stop)
            if n == 0:
                break
            pos += n
        return pos


def _before_ethnic(name: str) -> str:
    """An autonomous unit's name without its ethnic groups (巴音郭楞蒙古自治州 → 巴音郭楞), the
    way it is shortened in company names and speech."""
    found = _ethnic().search(name, 2)
    return name[: found.start()] if found else name


@lru_cache(maxsize=1)
def _ethnic() -> re.Pattern[str]:
    return re.compile(alternation(load_lexicon().ethnic_groups))


@lru_cache(maxsize=1)
def division_names() -> DivisionNames:
    table = load_divisions().table
    full = {str(n) for n in table["name"] if len(str(n)) >= 2}
    short = {_SUFFIX.sub("", n) for n in full} | {_before_ethnic(n) for n in full if "自治" in n}
    short = {s for s in short if len(s) >= 2}
    heads: dict[str, list[str]] = {}
    for name in full:
        heads.setdefault(name[:2], []).append(name)
    return DivisionNames(
        by_head={k: tuple(sorted(v, key=len, reverse=True)) for k, v in heads.items()},
        short_forms=frozenset(short),
    )
