"""The hand-written recall hard set (tests/desensitize/data/hard_set, docs/desensitize-recall.md):
names in layouts the generator never writes, VINs, passports, and legal text that must not
change. The loader is checked first on small hand-made sets, so that a wrong annotation fails
loudly instead of turning into a miss."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from desensitize import (
    Desensitizer,
    HardSetEvaluation,
    evaluate_hard_set,
    load_hard_set,
    load_policy,
)

HARD_SET = Path(__file__).parent / "data" / "hard_set"
KEY = b"hard-set-test-key-0123456789abcdef"
MIN_NAME_RECALL = 0.99
MIN_NAME_PRECISION = 0.98


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "one.yaml").write_text(body, encoding="utf-8")
    return tmp_path


# (yaml, gold spans as (string, entity) or the error expected)
LOADER = [
    (  # every occurrence of a listed name is a gold span
        "layout: t\ndocuments:\n  - text: 证人王芳称，王芳当晚在家。王芳之夫刘强\n"
        "    persons: [王芳, 刘强]\n",
        [("王芳", "PERSON"), ("王芳", "PERSON"), ("王芳", "PERSON"), ("刘强", "PERSON")],
    ),
    (  # leftmost-longest: 张三丰 holds 张三, which also stands alone
        "layout: t\ndocuments:\n  - text: 张三丰与张三\n    persons: [张三, 张三丰]\n",
        [("张三丰", "PERSON"), ("张三", "PERSON")],
    ),
    (
        "layout: t\ndocuments:\n  - text: 车架号LSVAU218XN2183294\n"
        "    identifiers: {VIN: [LSVAU218XN2183294]}\n",
        [("LSVAU218XN2183294", "VIN")],
    ),
    ("layout: t\ndocuments:\n  - text: 证人王芳\n    persons: [李四]\n", ValueError),
    ("layout: t\ndocuments:\n  - text: 张三丰\n    persons: [张三, 张三丰]\n", ValueError),
    (  # a keep string may not overlap an identifier
        "layout: t\ndocuments:\n  - text: 证人江山市民\n    persons: [江山]\n    keep: [江山市]\n",
        ValueError,
    ),
    ("layout: t\ndocuments:\n  - text: 证人王芳\n    names: [王芳]\n", ValidationError),
    ("layout: t\ndocuments: []\n", ValidationError),
]


@pytest.mark.parametrize(("body", "want"), LOADER)
def test_loader(tmp_path: Path, body: str, want: list[tuple[str, str]] | type[Exception]) -> None:
    root = _write(tmp_path, body)
    if isinstance(want, type):
        with pytest.raises(want):
            load_hard_set(root)
        return
    (case,) = load_hard_set(root)
    assert [(case.text[a:b], e) for a, b, e in case.gold] == want


def test_loader_refuses_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="没有难例文件"):
        load_hard_set(tmp_path)


@pytest.fixture(scope="module")
def result() -> HardSetEvaluation:
    des = Desensitizer(load_policy("teaching"), key=KEY)
    return evaluate_hard_set(des, load_hard_set(HARD_SET))


def test_the_set_is_as_large_and_varied_as_promised() -> None:
    cases = load_hard_set(HARD_SET)
    names = {c.text[a:b] for c in cases for a, b, e in c.gold if e == "PERSON"}
    layouts = {c.layout for c in cases if any(e == "PERSON" for _, _, e in c.gold)}
    keep = sum(len(c.keep) for c in cases)
    assert (len(names) >= 200, len(layouts) >= 10, keep >= 150) == (True, True, True)
    # compound surnames, "·" names, Latin names and surname-less minority names are all there
    for sample in (
        "欧阳振华",
        "司马秀芝",
        "诸葛玉兰",
        "阿不都热合曼·买买提",
        "Peter Müller",
        "扎西卓玛",
    ):
        assert sample in names


def test_name_recall_and_precision(result: HardSetEvaluation) -> None:
    person = result.evaluation.scores["PERSON"]
    print(f"\n难例集姓名：{result.names} 个不同姓名\n{result.evaluation.table()}")
    detail = (result.evaluation.misses[:10], result.evaluation.false_positives[:10])
    assert person.recall >= MIN_NAME_RECALL, detail
    assert person.precision >= MIN_NAME_PRECISION, detail


def test_every_layout_is_read(result: HardSetEvaluation) -> None:
    weak = {k: f"{s.recall:.0%}" for k, s in result.by_layout.items() if s.recall < 0.95}
    assert not weak


@pytest.mark.parametrize("entity", ["VIN", "PASSPORT", "ID_CARD", "PHONE", "PLATE"])
def test_identifiers_are_all_found(result: HardSetEvaluation, entity: str) -> None:
    s = result.evaluation.scores[entity]
    assert (s.recall, s.precision) == (1.0, 1.0), result.evaluation.misses


def test_no_legal_string_is_touched(result: HardSetEvaluation) -> None:
    assert result.keep_total >= 150
    assert (result.keep_touched, result.keep_changed) == ([], [])


# (research shifts dates on purpose, so its releases are not expected to keep them)
@pytest.mark.parametrize("policy", ["teaching", "court"])
def test_release_keeps_legal_text_and_drops_every_identifier(policy: str) -> None:
    cases = load_hard_set(HARD_SET)
    des = Desensitizer(load_policy(policy), key=KEY)
    released = des.text_many([c.text for c in cases])
    survivors = [
        (c.doc, c.text[a:b])
        for c, r in zip(cases, released, strict=True)
        for a, b, _ in c.gold
        if c.text[a:b] in r.text
    ]
    changed = [
        (c.doc, c.text[a:b])
        for c, r in zip(cases, released, strict=True)
        for a, b in c.keep
        if r.text.count(c.text[a:b]) < c.text.count(c.text[a:b])
    ]
    assert (survivors, changed) == ([], [])
