"""The evaluation targets (docs/performance.md) on the small enforcement dataset (``make bench``
runs the same on a bigger one, tests/bench/test_desensitize_eval.py): per-entity precision and
recall against the case files' gold spans, and no legal text changed by the release. The scorer
itself is checked first on hand-made spans, so that the figures mean what they say."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from desensitize import (
    DatasetEvaluation,
    Desensitizer,
    GoldSpan,
    Span,
    evaluate,
    evaluate_dataset,
    load_policy,
)
from desensitize.evaluation.gold import expected_spans, legal_text_changes

KEY = b"gold-eval-test-key-0123456789abcdef"

DOC = "d"
TEXT = (
    "被执行人廖帅，住浙江省杭州市桐庐县长安路106号11幢1802室，身份证号330109198207067719。"
    "书记员：国凯"
)
NAME = (TEXT.index("廖帅"), TEXT.index("廖帅") + 2)
ADDRESS = (TEXT.index("浙江省"), TEXT.index("室") + 1)
STREET = TEXT.index("长安路")
ID = (TEXT.index("3301"), TEXT.index("3301") + 18)
CLERK = (TEXT.index("国凯"), TEXT.index("国凯") + 2)
GOLD = [
    GoldSpan(DOC, *NAME, "PERSON", "廖帅", "被执行人"),
    GoldSpan(DOC, *ADDRESS, "ADDRESS", TEXT[slice(*ADDRESS)], "被执行人"),
    GoldSpan(DOC, *ID, "ID_NUMBER", TEXT[slice(*ID)], "被执行人"),
    GoldSpan(DOC, *CLERK, "PERSON", "国凯", "书记员"),
]


def _span(start: int, end: int, entity: str) -> Span:
    return Span(start, end, entity, 0.9, "test")


# (detections, {row: (tp, fp, fn)}): exact offsets and an accepted entity make a hit; a
# boundary off by one is a miss and a false positive; an address is expected from below its
# county; a detection on an official the policy keeps is a false positive.
SCORING = [
    (
        [_span(*NAME, "PERSON"), _span(STREET, ADDRESS[1], "ADDRESS"), _span(*ID, "ID_CARD")],
        {"PERSON": (1, 0, 0), "ADDRESS": (1, 0, 0), "ID_CARD": (1, 0, 0), "ID_CARD_18": (1, 0, 0)},
    ),
    (
        [_span(NAME[0], NAME[1] + 1, "PERSON"), _span(*ADDRESS, "ADDRESS")],
        {"PERSON": (0, 1, 1), "ADDRESS": (0, 1, 1), "ID_CARD": (0, 0, 1), "ID_CARD_18": (0, 0, 1)},
    ),
    (
        [_span(*NAME, "PERSON"), _span(*CLERK, "PERSON"), _span(*ID, "BANK_CARD")],
        {
            "PERSON": (1, 1, 0),
            "ADDRESS": (0, 0, 1),
            "BANK_CARD": (0, 1, 0),
            "ID_CARD": (0, 0, 1),
            "ID_CARD_18": (0, 0, 1),
        },
    ),
]


@pytest.mark.parametrize(("spans", "want"), SCORING)
def test_scorer(spans: list[Span], want: dict[str, tuple[int, int, int]]) -> None:
    expected = expected_spans({DOC: TEXT}, GOLD, [], protect_officials=True)
    ev = evaluate({DOC: TEXT}, expected, {DOC: spans})
    got = {row: (s.tp, s.fp, s.fn) for row, s in ev.scores.items()}
    assert got == want


def test_covered_counts_misses_hidden_by_a_longer_detection() -> None:
    expected = expected_spans({DOC: TEXT}, GOLD, [], protect_officials=True)
    ev = evaluate({DOC: TEXT}, expected, {DOC: [_span(NAME[0] - 1, NAME[1], "PERSON")]})
    person = ev.scores["PERSON"]
    assert (person.tp, person.fn, person.covered, person.coverage) == (0, 1, 1, 1.0)


LEGAL = (
    "（2021）浙0122执2号，被执行人廖帅，依照《民事诉讼法解释》第五百一十九条，"
    "执行312,261.90元，2021年11月25日立案。桐庐县人民法院"
)


@pytest.mark.parametrize(
    ("old", "new", "lost"),
    [
        ("廖帅", "贺宁", {}),  # a name is not legal text
        ("执2号", "执3号", {"案号": 1}),
        ("第五百一十九条", "", {"法条": 1}),
        ("312,261.90元", "元", {"金额": 1}),
        ("2021年11月25日", "2021年11月", {"日期": 1}),
        ("桐庐县人民法院", "某法院", {"法院与企业名称": 1}),
    ],
)
def test_legal_text_check(old: str, new: str, lost: dict[str, int]) -> None:
    got = legal_text_changes({DOC: LEGAL}, {DOC: LEGAL.replace(old, new)}, ["桐庐县人民法院"])
    assert {k: len(v) for k, v in got.items() if v} == lost


@pytest.fixture(scope="module")
def result(enforcement_casefiles: Path) -> DatasetEvaluation:
    names = pd.read_parquet(enforcement_casefiles / "persons.parquet")["name"].tolist()
    des = Desensitizer(load_policy("teaching"), key=KEY, known_names=names)
    return evaluate_dataset(enforcement_casefiles, des)


def test_every_entity_is_scored_on_enough_gold(result: DatasetEvaluation) -> None:
    gold = {row: s.tp + s.fn for row, s in result.evaluation.scores.items()}
    rows = ["PERSON", "ID_CARD", "ID_CARD_18", "PHONE", "LANDLINE", "BANK_CARD"]
    rows += ["BANK_CARD_LUHN", "ACCOUNT_NUMBER", "PLATE", "PROPERTY_CERT", "EMAIL", "ADDRESS"]
    assert {row: gold.get(row, 0) >= 50 for row in [*rows, "USCC"]} == dict.fromkeys(
        [*rows, "USCC"], True
    ), gold


def test_targets_hold(result: DatasetEvaluation) -> None:
    ev = result.evaluation
    print(ev.table())
    examples = ev.misses[:5] + ev.false_positives[:5]
    assert not ev.unmet_targets(), (ev.unmet_targets(), examples)


def test_no_legal_text_changed(result: DatasetEvaluation) -> None:
    assert min(result.legal_items.values()) > 500
    assert set(result.legal_items) == set(result.legal_lost)
    lost = {kind: items[:5] for kind, items in result.legal_lost.items() if items}
    assert not lost
