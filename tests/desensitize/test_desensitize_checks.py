"""Release checks on documents: text the policy keeps (officials, courts and companies) is not a
leak even when it spells an original name, and neither is a name spelled across the edge of a
replacement (the surrogate 邹坤雷 before 建设工程 spells 雷建); one left outside is."""

from __future__ import annotations

import pytest

from desensitize import Desensitizer, load_policy
from desensitize.release.checks import _blank_kept, _Edits, _made_by_surrogate, _straddles

EDITS = [(10, 13), (20, 22)]


@pytest.mark.parametrize(
    ("start", "end", "touches", "straddles"),
    [
        (0, 5, False, False),  # before every replacement
        (13, 20, False, False),  # between two, touching neither
        (12, 14, True, True),  # across the end of the first
        (9, 11, True, True),  # across its start
        (10, 13, True, False),  # the replacement itself
        (11, 12, True, False),  # inside it
        (21, 25, True, True),
        (22, 30, False, False),  # right after the last
    ],
)
def test_edits(start: int, end: int, touches: bool, straddles: bool) -> None:
    edits = _Edits(list(EDITS))
    assert edits.touches(start, end) is touches
    assert _straddles(edits, start, end) is straddles


@pytest.mark.parametrize(
    ("start", "end", "made"),
    [
        (11, 13, True),  # inside a pseudonym: the surrogate 葛婷洁 holds a real 葛婷
        (10, 13, True),  # the whole surrogate
        (20, 22, False),  # the same inside a span an operator kept: the original survives
        (12, 14, False),  # across the surrogate's end: a straddle, not this rule
        (0, 5, False),  # untouched text
    ],
)
def test_made_by_surrogate(start: int, end: int, made: bool) -> None:
    edits = _Edits(list(EDITS), _Edits([(10, 13)]))  # (20, 22) was kept, not written
    assert _made_by_surrogate(edits, start, end) is made


@pytest.mark.parametrize(
    ("policy", "text", "kept"),
    [
        ("teaching", "书记员：王欢。被执行人王欢到庭。", "被执行人王欢到庭"),
        ("court", "书记员：王欢。被执行人王欢到庭。", "被执行人王欢到庭"),
        ("teaching", "被执行人湛江华瑞装饰工程有限公司，法定代表人江华。", "法定代表人江华"),
        ("teaching", "依照《王欢条例》第一条，王欢马上履行。", "王欢马上履行"),
    ],
)
def test_blank_kept_leaves_only_what_may_leak(policy: str, text: str, kept: str) -> None:
    blanked = _blank_kept(text, Desensitizer(load_policy(policy), key=b"k" * 32))
    assert len(blanked) == len(text)
    assert kept in blanked
    visible = blanked.replace("\x00", "")
    assert visible.count("王欢") + visible.count("江华") == 1
