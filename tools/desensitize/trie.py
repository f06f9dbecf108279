"""A set of literal strings as one regex shaped like a trie.

Python's ``re`` tries the branches of an alternation one after another at every position, so
19,000 names as a flat alternation took 10 s over 0.7 million characters; as a trie (one branch
per distinct next character) the same search took 0.09 s. Used to look for every original value
of a release in its output at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Node = dict[str, "_Node"]
_END = ""


def trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Pattern matching any of ``words`` (the longest one where several start at a position).
    An empty set gives a pattern that never matches."""
    return re.compile(trie_pattern(words))


def trie_pattern(words: Iterable[str]) -> str:
    """The source of ``trie_regex``, to embed in a larger pattern (a non-capturing group)."""
    root: _Node = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    body = _emit(root)
    return f"(?:{body})" if body else r"(?!)"


def _emit(node: _Node) -> str:
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{inner})?" if _END in node else inner
