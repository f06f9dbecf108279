"""The trie-shaped literal regex: same matches as a flat longest-first alternation, metacharacters
taken literally, an empty set matching nothing."""

from __future__ import annotations

import random
import re

import pytest

from desensitize.trie import trie_regex


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["张三", "李四"], "张三与李四", ["张三", "李四"]),
        (["张三", "张三丰"], "张三丰和张三", ["张三丰", "张三"]),  # longest at a position
        (["a.b", "(x)", "1+1"], "a.b axb (x) 1+1 11", ["a.b", "(x)", "1+1"]),
        (["ab", "b"], "ab", ["ab"]),  # non-overlapping, leftmost first
        ([], "任何文本", []),
        (["", "王五"], "王五", ["王五"]),  # an empty word is ignored
    ],
)
def test_trie_matches(words: list[str], text: str, found: list[str]) -> None:
    assert trie_regex(words).findall(text) == found


def test_trie_agrees_with_flat_alternation() -> None:
    rng = random.Random(3)
    alphabet = "张王李赵一二三四ab"
    words = {"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(300)}
    text = "".join(rng.choices(alphabet + "，。", k=5000))
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    assert trie_regex(words).findall(text) == flat.findall(text)
