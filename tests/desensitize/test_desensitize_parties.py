"""Names that are also common words (a person called 权利): the 报告财产令 of every enforcement
case says "财产性权利", so the release check must not count that word as the person's name in
other cases' documents (the enforcement-teaching release was refused for it), while in the
documents of the case whose party is called 权利 every occurrence is replaced
(docs/desensitize.md, 默认策略)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import desensitize.release.common as common_module
from desensitize import ReleaseRefused, desensitize_dataset, load_policy
from desensitize.release.parties import common_word_parties, party_spans
from desensitize.types import Span

KEY = b"parties-test-key-0123456789abcdef"
ORDER = (
    "嵊泗县人民法院\n报告财产令\n（2021）浙0922执{n}号\n\n{debtor}：\n"
    "\u3000\u3000本院受理的温州村镇银行股份有限公司与{debtor}建设工程施工合同纠纷一案，"
    "因你未按执行通知履行法律文书确定的义务，责令你如实向本院报告财产情况。\n"
    "\u3000\u3000应当报告的财产包括：债权、股权、投资权益、基金份额、信托受益权、知识产权等"
    "财产性权利；其他应当报告的财产。\n\u3000\u3000执行员：凌秀珍\n"
)
PERSONS = ["权利", "韦云", "文明", "张伟强", "李秀英"]


def _dataset(root: Path, company_debtor: bool = False) -> Path:
    """Two cases: C1's debtor is 权利 (or a company whose legal representative is 权利), C2's
    debtor is 韦云; both 报告财产令 carry the template's 财产性权利."""
    ids = [f"P{i}" for i in range(len(PERSONS))]
    pd.DataFrame({"person_id": ids, "name": PERSONS}).to_parquet(root / "persons.parquet")
    pd.DataFrame(
        {"company_id": ["E1"], "name": ["温州权利建材有限公司"], "legal_rep_person_id": ["P0"]}
    ).to_parquet(root / "companies.parquet")
    pd.DataFrame(
        {
            "case_id": ["C1", "C2"],
            "applicant_id": ["P3", "P4"],
            "respondent_id": ["E1" if company_debtor else "P0", "P1"],
        }
    ).to_parquet(root / "enforcement_cases.parquet")
    for case, debtor, n in (("C1", "权利", 1), ("C2", "韦云", 2)):
        folder = root / "casefiles" / case
        folder.mkdir(parents=True)
        (folder / "02_报告财产令.txt").write_text(ORDER.format(n=n, debtor=debtor), "utf-8")
    return root


@pytest.mark.parametrize("company_debtor", [False, True], ids=["person", "legal-rep"])
def test_common_word_party_replaced_in_own_case_only(tmp_path: Path, company_debtor: bool) -> None:
    (tmp_path / "in").mkdir()
    src = _dataset(tmp_path / "in", company_debtor)
    release = desensitize_dataset(src, tmp_path / "out", load_policy("teaching"), KEY)
    assert release.checks["原值不出现"]
    own = (tmp_path / "out/casefiles/C1/02_报告财产令.txt").read_text("utf-8")
    other = (tmp_path / "out/casefiles/C2/02_报告财产令.txt").read_text("utf-8")
    assert "权利：" not in own and "与权利建设" not in own  # the debtor's name, replaced
    assert "韦云" not in other
    assert "财产性权利" in other  # the legal word in another case's order is kept
    assert "执行员：凌秀珍" in other  # officials kept as before


def test_release_refused_when_own_party_name_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check still counts a common-word name in its own case's documents: with the
    structured-field pass switched off, the release is refused for C1's order only."""
    (tmp_path / "in").mkdir()
    src = _dataset(tmp_path / "in")
    monkeypatch.setattr(common_module, "_mark_parties", lambda docs, parties: None)
    with pytest.raises(ReleaseRefused) as refused:
        desensitize_dataset(src, tmp_path / "out", load_policy("teaching"), KEY)
    message = "".join(refused.value.failures)
    assert "C1/02_报告财产令" in message and "C2/" not in message


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        ({"enforcement_cases": {"case_id": ["C1"], "respondent_id": ["P0"]}}, {"C1": {"权利"}}),
        ({"enforcement_cases": {"case_id": ["C1"], "respondent_id": ["P1"]}}, {}),  # 韦云
        ({"enforcement_cases": {"case_id": ["C1"], "respondent_id": ["E1"]}}, {"C1": {"权利"}}),
        ({"suspects": {"case_id": ["K1", "K1"], "person_id": ["P2", "P3"]}}, {"K1": {"文明"}}),
        ({"courts": {"court_id": ["J1"], "name": ["某法院"]}}, None),  # no table links cases
    ],
    ids=["respondent", "not-a-word", "company-rep", "suspects", "unlinked"],
)
def test_common_word_parties(
    tables: dict[str, dict[str, list[str]]], expected: dict[str, set[str]] | None
) -> None:
    frames = {name: pd.DataFrame(cols) for name, cols in tables.items()}
    frames["persons"] = pd.DataFrame({"person_id": ["P0", "P1", "P2", "P3"], "name": PERSONS[:4]})
    frames["companies"] = pd.DataFrame({"company_id": ["E1"], "legal_rep_person_id": ["P0"]})
    got = common_word_parties(frames)
    assert (None if got is None else {k: set(v) for k, v in got.items()}) == expected


@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        ("权利：本院受理的银行与权利建设工程纠纷", [], [(0, 2), (11, 13)]),
        ("权利：本院", [Span(0, 2, "PERSON", 0.9, "x")], []),  # already detected
        ("文明申请执行", [], [(0, 2)]),
        ("财产性权利", [Span(0, 5, "ORGANIZATION", 0.9, "x")], []),
    ],
    ids=["addressee-and-caption", "covered", "unanchored", "inside-other-span"],
)
def test_party_spans(text: str, taken: list[Span], expected: list[tuple[int, int]]) -> None:
    got = party_spans(text, frozenset({"权利", "文明"}), taken)
    assert sorted((s.start, s.end) for s in got) == expected
    assert all(s.entity == "PERSON" for s in got)
