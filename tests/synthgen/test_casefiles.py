"""Electronic case files: exact spans, every identifier covered, consistency with the tables,
ZB-07 formal records found exactly by the rule engine, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review import run_review
from synthgen import BuildOptions, build_enforcement, read_table
from synthgen.casefiles.closing import present_elements
from synthgen.casefiles.text import HALF_WIDTH, Doc, Pii, cn_article, cn_date

SEED = 5
D = "[0-9０-９]"
# strict, independent patterns for identifiers a document may contain
PATTERNS = {
    "id18": rf"(?<![0-9０-９A-Za-z]){D}{{17}}[0-9０-９XxＸｘ](?![0-9０-９A-Za-z])",
    "id15": rf"(?<![0-9０-９A-Za-z]){D}{{15}}(?![0-9０-９A-Za-z])",
    "mobile": rf"(?<![0-9０-９])1[3-9３-９]{D}[ -]?{D}{{4}}[ -]?{D}{{4}}(?![0-9０-９])",
    "card": rf"(?<![0-9０-９A-Z]){D}{{4}}(?: ?{D}{{4}}){{3}}(?: ?{D}{{1,3}})?(?![0-9０-９A-Z])",
    "plate": "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-Z]·?[A-Z0-9]{5,6}",
    "landline": rf"(?:（0{D}{{2,3}}）|0{D}{{2,3}}[- ]){D}{{3,4}} ?{D}{{4}}",
}


@pytest.fixture(scope="module")
def built(enforcement_casefiles: Path) -> Path:
    return enforcement_casefiles


@pytest.fixture(scope="module")
def spans(built: Path) -> pd.DataFrame:
    lines = (built / "_truth" / "pii_spans.jsonl").read_text("utf-8").splitlines()
    return pd.DataFrame([json.loads(line) for line in lines])


@pytest.fixture(scope="module")
def texts(built: Path) -> dict[str, str]:
    return {
        str(p.relative_to(built)): p.read_text("utf-8")
        for p in sorted((built / "casefiles").glob("*/*.txt"))
    }


def test_documents_exist_for_zhongben_cases(built: Path, texts: dict[str, str]) -> None:
    cases = read_table(built, "enforcement_cases").set_index("case_id")
    ids = {d.split("/")[1] for d in texts}
    assert len(ids) > 20
    assert (cases.loc[sorted(ids), "closing_method"] == "终结本次执行程序").all()
    kinds = {re.sub(r"^\d\d_|\.txt$", "", d.split("/")[2]) for d in texts}
    assert kinds >= {
        "执行通知书",
        "报告财产令",
        "网络查控反馈",
        "终本约谈笔录",
        "执行裁定书",
        "送达回证",
    }


def test_every_span_matches_its_text(spans: pd.DataFrame, texts: dict[str, str]) -> None:
    assert len(spans) > 500
    assert set(spans["doc"]) <= set(texts)
    for row in spans.itertuples():
        assert texts[row.doc][row.start : row.end] == row.text, row
    overlaps = spans.sort_values(["doc", "start"])
    same = overlaps["doc"].eq(overlaps["doc"].shift())
    assert not (same & (overlaps["start"] < overlaps["end"].shift())).any()


def test_real_file_forms_occur(spans: pd.DataFrame) -> None:
    text = spans["text"]
    checks = {
        "full-width digits": text.str.contains("[０-９]"),
        "15-digit id": (spans["entity"] == "ID_NUMBER") & (text.str.len() == 15),
        "lowercase x": (spans["entity"] == "ID_NUMBER") & text.str.endswith(("x", "ｘ")),
        "+86": text.str.contains(r"\+86"),
        "spaced phone": (spans["entity"] == "PHONE") & text.str.contains(" "),
        "hyphen phone": (spans["entity"] == "PHONE") & text.str.contains("-"),
        "extension": (spans["entity"] == "LANDLINE") & text.str.contains("转|分机|-\\d{3,4}$"),
        "room": (spans["entity"] == "ADDRESS") & text.str.contains("单元.*室"),
        "plate dot": (spans["entity"] == "PLATE") & text.str.contains("·"),
        "plate plain": (spans["entity"] == "PLATE") & ~text.str.contains("·"),
        "spaced card": (spans["entity"] == "BANK_CARD") & text.str.contains(" "),
        "certificate": spans["entity"] == "PROPERTY_CERT",
        "relative": spans["role"] == "亲属",
    }
    missing = [name for name, mask in checks.items() if not mask.any()]
    assert not missing


def _covered(hits: list[tuple[int, int]], doc_spans: pd.DataFrame) -> list[tuple[int, int]]:
    pairs = list(zip(doc_spans["start"], doc_spans["end"], strict=True))
    return [(a, b) for a, b in hits if not any(s <= a and b <= e for s, e in pairs)]


def test_every_identifier_has_a_span(
    built: Path, spans: pd.DataFrame, texts: dict[str, str]
) -> None:
    companies = read_table(built, "companies")
    persons = read_table(built, "persons")
    cases = read_table(built, "enforcement_cases").set_index("case_id")
    uscc = set(companies["uscc"])
    names = dict(zip(persons["person_id"], persons["name"], strict=True))
    reps = dict(zip(companies["company_id"], companies["legal_rep_person_id"], strict=True))
    by_doc = dict(tuple(spans.groupby("doc")))
    for doc, text in texts.items():
        case = cases.loc[doc.split("/")[1]]
        hits = [
            m.span()
            for pat in PATTERNS.values()
            for m in re.finditer(pat, text)
            if m.group() not in uscc
        ]
        for pid in (case["applicant_id"], case["respondent_id"]):
            name = names.get(pid) or names.get(reps.get(pid, ""), "")
            hits += [m.span() for m in re.finditer(re.escape(name), text)] if name else []
        assert not _covered(hits, by_doc.get(doc, spans.iloc[0:0])), doc


def test_legal_text_is_never_inside_a_span(
    built: Path, spans: pd.DataFrame, texts: dict[str, str]
) -> None:
    assert not spans["text"].str.contains("《|》|法院|执\\d|元$").any()
    cases = read_table(built, "enforcement_cases").set_index("case_id")
    by_doc = dict(tuple(spans.groupby("doc")))
    for doc, text in texts.items():
        case = cases.loc[doc.split("/")[1]]
        legal = [str(case["case_number"]), f"{case['amount_claimed']:,.2f}"]
        legal.append(f"{case['amount_claimed']:.2f}")
        hits = [m.span() for s in legal for m in re.finditer(re.escape(s), text)]
        doc_spans = by_doc.get(doc, spans.iloc[0:0])
        for a, b in hits:
            assert not ((doc_spans["start"] < b) & (doc_spans["end"] > a)).any(), (doc, a)


def test_documents_agree_with_tables(built: Path, texts: dict[str, str]) -> None:
    t = {n: read_table(built, n) for n in ("enforcement_cases", "enforcement_actions", "persons")}
    cases = t["enforcement_cases"].set_index("case_id")
    people = t["persons"].set_index("person_id")
    acts = t["enforcement_actions"]
    for doc, text in texts.items():
        case_id, name = doc.split("/")[1:]
        case = cases.loc[case_id]
        assert str(case["case_number"]) in text
        flat = text.translate(HALF_WIDTH)
        if "执行通知书" in name or "执行裁定书" in name:
            claimed = case["amount_claimed"]
            assert f"{claimed:,.2f}" in text or f"{claimed:.2f}" in text
        for pid in (case["applicant_id"], case["respondent_id"]):
            if pid in people.index and "执行裁定书" in name:
                person = people.loc[pid]
                assert person["name"] in text
                digits = re.sub(r"[ \-]", "", flat)
                ident = person["id_number"]
                old = ident[:6] + ident[8:17]
                assert ident in digits.upper() or old in digits
                assert person["phone"] in digits
        kind = {"执行通知书": "执行通知", "执行裁定书": "终本裁定", "网络查控反馈": "网络查控"}
        action = next((a for k, a in kind.items() if k in name), None)
        if action:
            rows = acts[(acts["case_id"] == case_id) & (acts["action_type"] == action)]
            if not rows.empty:  # a case has two query feedbacks: first and last before 终本
                days = [pd.Timestamp(d) for d in rows["action_date"]]
                assert any(f"{d.year}年{d.month}月{d.day}日" in text or cn_date(d) in text
                           for d in days)  # fmt: skip


def test_engine_finds_exactly_the_planted_truth(built: Path) -> None:
    found = run_review(built).findings
    found = found[found["rule_id"].str.startswith("ZB")]
    truth = pd.read_parquet(built / "_truth" / "violations.parquet")

    def keys(df: pd.DataFrame) -> set[tuple[str, str, object]]:
        return {
            (c, r, a if isinstance(a, str) else None)
            for c, r, a in zip(df["case_id"], df["rule_id"], df["asset_id"], strict=True)
        }

    assert keys(found) == keys(truth)
    formal = truth[truth["detail"].str.startswith("终本约谈笔录缺少")]
    assert len(formal) >= 3
    zb07 = found[found["rule_id"] == "ZB-07"].set_index("case_id")["detail"]
    for row in formal.itertuples():
        assert zb07[row.case_id] == row.detail


def test_formal_records_lack_exactly_the_named_elements(built: Path) -> None:
    truth = pd.read_parquet(built / "_truth" / "violations.parquet")
    formal = dict(
        truth.loc[truth["detail"].str.startswith("终本约谈笔录缺少"), ["case_id", "detail"]].values
    )
    records = sorted((built / "casefiles").glob("*/*_终本约谈笔录.txt"))
    everything = ["执行情况", "财产调查措施", "财产情况", "终本依据及后果", "申请人意见"]
    for path in records:
        case_id = path.parent.name
        present = present_elements(path.read_text("utf-8"))
        lacking = formal.get(case_id, "：").split("：")[1]
        expected = [e for e in everything if e not in lacking.split("、")]
        assert present == expected, case_id


def test_phrase_lists_match_the_review_catalog() -> None:
    root = Path(__file__).resolve().parents[2] / "tools"
    catalog = yaml.safe_load((root / "review" / "catalog.yaml").read_text("utf-8"))
    rule = next(r for r in catalog["rules"] if r["id"] == "ZB-07")
    mine = yaml.safe_load((root / "synthgen" / "casefiles" / "templates.yaml").read_text("utf-8"))
    assert rule["parameters"]["elements"]["value"] == mine["interview_elements"]


@pytest.mark.slow
def test_same_bytes_whatever_workers(built: Path, tmp_path: Path) -> None:
    """In `make test-slow`: the default tier checks one worker against two on a build split into
    more partitions (tests/synthgen/test_casefiles_engines.py)."""
    opts = BuildOptions(
        seed=SEED, scale=0.002, years=[2021], provinces=["33"], out=tmp_path / "w2",
        casefiles=0.5, workers=2,
    )  # fmt: skip
    out = build_enforcement(opts)
    for rel in ("_truth/pii_spans.jsonl", "_truth/violations.parquet"):
        assert (out / rel).read_bytes() == (built / rel).read_bytes()
    a = json.loads((out / "manifest.json").read_text("utf-8"))["content_hash"]
    b = json.loads((built / "manifest.json").read_text("utf-8"))["content_hash"]
    assert a == b


@pytest.mark.parametrize(
    ("parts", "text", "spans"),
    [
        (["甲", Pii("张三", "PERSON")], "甲张三", [(1, 3)]),
        ([Pii("李·四", "PERSON"), "与", Pii("１３８", "PHONE")], "李·四与１３８", [(0, 3), (4, 7)]),
        (["无个人信息"], "无个人信息", []),
    ],
)
def test_doc_records_offsets_while_appending(
    parts: list[object], text: str, spans: list[tuple[int, int]]
) -> None:
    doc = Doc().add(parts)  # type: ignore[arg-type]
    assert doc.text == text
    assert [(s.start, s.end) for s in doc.spans] == spans


@pytest.mark.parametrize(
    ("n", "expected"), [(519, "五百一十九"), (517, "五百一十七"), (105, "一百零五"), (20, "二十")]
)
def test_article_numbers(n: int, expected: str) -> None:
    assert cn_article(n) == expected


def test_casefiles_option_is_validated(tmp_path: Path) -> None:
    from synthgen import BuildError

    opts = BuildOptions(
        seed=1, scale=0.002, years=[2021], provinces=["33"], out=tmp_path / "x", casefiles=1.5
    )
    with pytest.raises(BuildError, match="--casefiles"):
        build_enforcement(opts)
