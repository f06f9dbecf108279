"""A batch is analyzed as one joined string: it must give exactly the spans of analyzing each
text alone, whatever sits at the edges of neighbouring texts; and the column path and the text
path of pseudonyms must share one book."""

from __future__ import annotations

import itertools
import random

import pyarrow as pa
import pytest
from test_desensitize_hardcases import HARD, LEGAL

from desensitize import Analyzer, Desensitizer, OperatorContext, get_operator, load_policy
from desensitize.recognizers.finance import luhn_valid_many
from zhcodes import gb11643_check_char, luhn_valid

KEY = b"batch-test-key-0123456789abcdef"
TEXTS = [t for t, _ in HARD] + LEGAL
# Pieces that would form a detection (or an allow-listed span) if a batch let them touch.
EDGES = [
    ("车牌浙A", "12345"),
    ("手机139", "12345678"),
    ("身份证号3307021985", "0305123X"),
    ("依照《刑法", "》第二百六十四条"),
    ("被告人", "张三"),
    ("张", "某某"),
    ("被告人李四\n", "证人王五"),
    ("住", "城东街道八一北街128号"),
    ("联系电话", "0579-82123456"),
    ("人民币5", "0000元"),
    ("犯盗窃", "罪"),
    ("", ""),
    ("１３９１２３４５６７８", "阿依古丽·买买提"),
]


def _spans(spans: list) -> list[tuple[int, int, str, float, str]]:
    return [(s.start, s.end, s.entity, s.score, s.recognizer) for s in spans]


@pytest.mark.parametrize("policy", ["teaching", "court"])
def test_batch_spans_equal_one_by_one(policy: str) -> None:
    des = Desensitizer(load_policy(policy), key=KEY, known_names=["李晓梅", "钱桂英"])
    rng = random.Random(5)
    texts = TEXTS + [a for a, _ in EDGES] + [b for _, b in EDGES]
    texts += ["".join(rng.sample(TEXTS, 3)) for _ in range(20)]
    pairs = list(itertools.chain.from_iterable(EDGES))  # edge pieces side by side in a batch
    for batch in (texts, pairs, texts[::-1] + pairs):
        alone = [_spans(des.analyze(t)) for t in batch]
        assert [_spans(s) for s in des.analyze_many(batch)] == alone
    assert Analyzer().analyze_many([]) == []


def test_batch_replacements_equal_one_by_one_without_collisions() -> None:
    texts = TEXTS + [a + b for a, b in EDGES]
    one = Desensitizer(load_policy("research"), key=KEY)
    many = Desensitizer(load_policy("research"), key=KEY)
    singles = [one.text(t) for t in texts]
    batch = many.text_many(texts)
    assert [r.text for r in batch] == [r.text for r in singles]
    assert [r.items for r in batch] == [r.items for r in singles]
    for result in batch:
        for item in result.items:
            assert result.text[item.start : item.end] == item.new_text


@pytest.mark.parametrize("style", ["token", "surrogate"])
def test_column_and_text_paths_share_the_book(style: str) -> None:
    op = get_operator("pseudonym")
    params = op.validate({"style": style})
    ids = [f"3307021985030{i:04d}" for i in range(400)]
    ids = [b + gb11643_check_char(b) for b in ids]
    ctx = OperatorContext(key=KEY)
    column = op.map_column("ID_CARD", pa.array(ids[:300]), params, ctx).to_pylist()  # type: ignore[attr-defined]
    assert len(set(column)) == 300
    # values seen in a column are replaced the same way in text, and the other way round
    assert op.operate("ID_CARD", ids[7].lower(), params, ctx) == column[7]
    later = op.operate("ID_CARD", ids[350], params, ctx)
    again = op.map_column("ID_CARD", pa.array(ids[290:]), params, ctx).to_pylist()  # type: ignore[attr-defined]
    assert again[:10] == column[290:] and again[60] == later
    assert len(set(column) | set(again)) == 400  # never two values with one replacement
    fresh = OperatorContext(key=KEY)
    assert op.map_column("ID_CARD", pa.array(ids), params, fresh).to_pylist()[:300] == column  # type: ignore[attr-defined]


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_vectorized_luhn_agrees_with_zhcodes(length: int) -> None:
    rng = random.Random(length)
    values = ["".join(rng.choice("0123456789") for _ in range(length)) for _ in range(500)]
    values += ["6222021234567890128"[:length], "4111111111111111".ljust(length, "0")]
    got = luhn_valid_many("".join(values), length).tolist()
    assert got == [luhn_valid(v) for v in values]
    assert any(got) and not all(got)
