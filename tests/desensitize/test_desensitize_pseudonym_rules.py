"""Rules a release depends on beyond consistency: a surrogate name never holds a real name of the
run (a search for 覃宇 must not find the surrogate 覃宇想), and a value written in full-width
digits gets the replacement of its half-width form (case files mix both; tables do not)."""

from __future__ import annotations

import itertools
import random

import pyarrow as pa
import pytest

from desensitize import OperatorContext, get_operator
from desensitize.operators.pseudonym import Pseudonym, PseudonymParams
from desensitize.operators.surrogates import embeds_original, embeds_original_arrow
from zhcodes import luhn_valid

KEY = b"pseudonym-rules-key-0123456789"


@pytest.mark.parametrize(
    ("entity", "drawn", "forbidden", "held"),
    [
        ("PERSON", "覃宇想", {"覃宇"}, True),  # head
        ("PERSON", "王小明", {"小明"}, True),  # tail
        ("PERSON", "欧阳小明", {"阳小"}, True),  # middle
        ("PERSON", "覃宇", {"覃宇"}, False),  # equal: re-drawn by the equality rule instead
        ("PERSON", "李四", {"王五", "李"}, False),  # one character is no name
        ("ID_CARD", "110105194912310021", {"1101"}, False),  # names only
    ],
)
def test_embeds_original(entity: str, drawn: str, forbidden: set[str], held: bool) -> None:
    assert embeds_original(entity, [drawn], forbidden) == [held]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_column_check_agrees_with_the_per_name_check(seed: int) -> None:
    """The Arrow path (a release's name column) must flag exactly what the scalar rule flags,
    for names of 2 to 8 characters, minority names with "·" and empty strings."""
    rng = random.Random(seed)
    alphabet = "王李张欧阳小明宇覃想·阿依古丽"
    drawn = ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(3000)]
    drawn += ["覃宇想", "王小明", "欧阳小明", "覃宇", "李四"]
    forbidden = {"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(60)}
    forbidden |= {"覃宇", "小明", "阳小", "王五"}
    expected = embeds_original("PERSON", drawn, forbidden)
    got = embeds_original_arrow(pa.array(drawn), pa.array(sorted(forbidden)))
    assert got.tolist() == expected
    assert 0 < sum(expected) < len(drawn)


def _real_names() -> list[str]:
    """600 common two-character names: most surname + character pairs a surrogate can draw."""
    surnames = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
    return ["".join(p) for p in itertools.product(surnames, given)][:600]


@pytest.mark.parametrize("count", [40, 400])  # below and above the Arrow path's batch size
def test_surrogate_names_never_hold_a_real_name(count: int) -> None:
    real = _real_names()
    ctx = OperatorContext(key=KEY)
    ctx.originals["PERSON"] = set(real)
    op = Pseudonym()
    params = PseudonymParams(style="surrogate")
    out = op.map_values("PERSON", [f"{n}{i}" for i, n in enumerate(real[:count])], params, ctx)
    assert len(set(out)) == count
    held = [s for s in out for n in real if n in s]
    assert held == []


@pytest.mark.parametrize(
    ("entity", "full_width", "half_width"),
    [
        ("ID_CARD", "３３０７０２１９８５０３０５１２３Ｘ", "33070219850305123X"),
        ("PHONE", "１３９ １２３４ ５６７８", "13912345678"),
        ("BANK_CARD", "６２２２０２１２３４５６７８９０１２８", "6222021234567890128"),
        ("PLATE", "浙Ｇ·Ａ１２３４", "浙GA1234"),
    ],
)
def test_full_width_value_gets_the_same_replacement(
    entity: str, full_width: str, half_width: str
) -> None:
    op = get_operator("pseudonym")
    params = op.validate({"style": "surrogate"})
    ctx = OperatorContext(key=KEY)
    full = op.operate(entity, full_width, params, ctx)
    assert full == op.operate(entity, half_width, params, ctx)
    assert full.isascii() or entity == "PLATE"
    if entity == "BANK_CARD":
        assert luhn_valid(full) and full[:6] == half_width[:6]
