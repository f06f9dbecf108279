"""`jianlab desensitize dataset` (teaching) on an enforcement dataset with case files: no original
identifier survives in any byte of the release, and `jianlab review run` finds exactly the
violations it finds on the original.

Originals come from the input, never from desensitize's own column inference:

* Identifiers: every value of the personal columns of the contract tables (``PII_COLUMNS``)
  and the text of every gold span of the case files except names: ID numbers, phones and
  landlines, plates, bank card / account / payment-account numbers, policy and property
  certificate numbers, e-mail addresses, and the part of each detailed address below the
  county (the county is kept on purpose). Each is searched as written, width-folded and, for
  numbers, without separators. None may occur anywhere: not in the raw bytes of any file
  (Parquet included: its statistics and dictionary pages may be stored uncompressed) and not
  in any decoded Parquet value.
* Names: ``persons.name`` and the gold PERSON spans of parties, relatives and agents. All have
  at least two characters (asserted: a one-character name would match any text). A name may
  legitimately remain where the original holds it outside every personal span: an official's
  name (kept under teaching, per the SPC in 2026) shared by a party, a place or company that
  contains it (黄岩 in 黄岩区). So, per document, the release may hold a name outside its
  replacements at most as often as the original does outside its gold personal spans; inside
  a replacement (a surrogate containing a real name) never; across the edge of a replacement
  (a surrogate followed by a character that together spell some real name) only by chance,
  and that is counted and bounded. Per table column: never in a personal column, elsewhere at
  most as often as in the same input column; in the release's own files (report, audit log,
  data package) at most as often as in the input file they copy, never in new ones.

Searches use one trie-shaped regex per set of originals (``desensitize.trie``): ~20,000
literals over a few MB in well under a second, where a flat alternation takes minutes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from desensitize import GoldSpan, load_gold
from desensitize.divisions import division_names
from desensitize.lexicon import load_lexicon
from desensitize.normalize import FOLD_TABLE
from desensitize.trie import trie_regex
from jianlab.cli import app

runner = CliRunner()

# Personal columns of the enforcement contract (docs/schema.md); companies hold none (a company's
# name and unified social credit code are public registration data, kept under teaching).
PII_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("name", "id_number", "phone"),
    "vehicles": ("plate",),
    "real_estate": ("certificate_number", "address"),
    "bank_accounts": ("account_number",),
    "insurance_policies": ("policy_number",),
}
NAME_COLUMNS = {("persons", "name")}
TEXT_SUFFIXES = {".txt", ".md", ".json", ".jsonl", ".csv", ".sha256"}
STRADDLING_PER_MILLE = 1  # chance spellings across a replacement's edge, per 1,000 replacements


@pytest.fixture(scope="module")
def release(enforcement_casefiles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("release")
    key = root / "key"
    key.write_text("enforcement-release-test-key-0123456789\n", encoding="utf-8")
    out = root / "out"
    args = ["desensitize", "dataset", str(enforcement_casefiles), str(out), "--key-file", str(key)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def gold(enforcement_casefiles: Path) -> list[GoldSpan]:
    return load_gold(enforcement_casefiles)[1]


def _fold(text: str) -> str:
    return text.translate(FOLD_TABLE)


def _forms(entity: str, text: str) -> set[str]:
    """The value as written, width-folded, and for numbers without separators (a phone also
    without its +86)."""
    folded = _fold(text)
    forms = {text, folded}
    if entity in {"PHONE", "LANDLINE", "BANK_CARD", "BANK_ACCOUNT", "PAYMENT_ACCOUNT"}:
        digits = re.sub(r"\D", "", folded)
        forms.add(digits[-11:] if entity == "PHONE" else digits)
    if entity == "ID_NUMBER":
        forms.add(folded.upper())
    if entity == "PLATE":
        forms.add(folded.replace("·", ""))
    if entity == "EMAIL":
        forms.add(folded.lower())
    return forms


def _originals(dataset: Path, gold: list[GoldSpan]) -> tuple[set[str], set[str]]:
    """(identifiers, names) of the input; see the module note."""
    officials = set(load_lexicon().official_anchors)
    places = division_names()
    identifiers: set[str] = set()
    names: set[str] = set()
    for table, columns in PII_COLUMNS.items():
        df = pd.read_parquet(dataset / f"{table}.parquet")
        for col in columns:
            assert col in df.columns, f"{table}.{col} 不在输入中：契约变了，请更新 PII_COLUMNS"
            values = df[col].dropna().astype(str)
            if (table, col) in NAME_COLUMNS:
                names.update(values)
            elif col == "address":
                identifiers.update(v[places.strip_prefix(v) :] for v in values)
            else:
                identifiers.update(values)
    for row in gold:
        if row.entity == "PERSON":
            if row.role not in officials:
                names.add(row.text)
        elif row.entity == "ADDRESS":
            identifiers.add(row.text[places.strip_prefix(row.text) :])
        else:
            identifiers.update(_forms(row.entity, row.text))
    identifiers.discard("")
    return identifiers, names


def _latin1(values: Iterable[str]) -> re.Pattern[str]:
    """A trie over the UTF-8 bytes of ``values``, to search bytes decoded as Latin-1 (a
    one-to-one map, so a match there is exactly a byte match)."""
    return trie_regex(v.encode("utf-8").decode("latin-1") for v in values)


def _string_columns(path: Path) -> dict[str, list[str]]:
    table = pq.read_table(path)
    out = {}
    for field in table.schema:
        if str(field.type) in {"string", "large_string"}:
            out[field.name] = [v for v in table.column(field.name).to_pylist() if v is not None]
    return out


def _personal_spans(gold: list[GoldSpan]) -> dict[str, list[tuple[int, int]]]:
    """Gold spans by document; an address only from below its county (the county is kept)."""
    places = division_names()
    out: dict[str, list[tuple[int, int]]] = {}
    for row in gold:
        skip = places.strip_prefix(row.text) if row.entity == "ADDRESS" else 0
        out.setdefault(row.doc, []).append((row.start + skip, row.end))
    return out


def _counts(pattern: re.Pattern[str], text: str) -> Counter[str]:
    return Counter(pattern.findall(text))


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


def test_release_holds_tables_documents_and_reports(
    enforcement_casefiles: Path, release: Path
) -> None:
    docs_in = sorted(p.relative_to(enforcement_casefiles) for p in
                     (enforcement_casefiles / "casefiles").rglob("*.txt"))  # fmt: skip
    docs_out = sorted(p.relative_to(release) for p in (release / "casefiles").rglob("*.txt"))
    assert len(docs_in) > 1000 and docs_out == docs_in
    tables = {p.stem for p in enforcement_casefiles.glob("*.parquet")}
    assert {p.stem for p in release.glob("*.parquet")} == tables
    assert not (release / "_truth").exists()
    report = json.loads((release / "release_report.json").read_text("utf-8"))
    assert report["policy"] == "teaching" and report["documents"] == len(docs_in)
    assert report["failures"] == [] and all(report["checks"].values())


def test_no_original_identifier_in_any_byte(
    enforcement_casefiles: Path, gold: list[GoldSpan], release: Path
) -> None:
    identifiers, _ = _originals(enforcement_casefiles, gold)
    assert len(identifiers) > 3000
    raw = _latin1(identifiers)
    decoded = trie_regex(identifiers)
    found: list[str] = []
    files = [p for p in sorted(release.rglob("*")) if p.is_file()]
    for path in files:
        hits = set(raw.findall(path.read_bytes().decode("latin-1")))
        found += [f"{path.relative_to(release)}: {h.encode('latin-1').decode()}" for h in hits]
        if path.suffix == ".parquet":
            for col, values in _string_columns(path).items():
                hits = set(decoded.findall("\x00".join(values)))
                found += [f"{path.name}.{col}: {h}" for h in hits]
    assert not found, found[:10]


def test_no_original_name_beyond_what_the_original_keeps(
    enforcement_casefiles: Path, gold: list[GoldSpan], release: Path
) -> None:
    _, names = _originals(enforcement_casefiles, gold)
    assert len(names) > 1000
    assert min(len(n) for n in names) >= 2
    pattern = trie_regex(names)
    officials = set(load_lexicon().official_anchors)
    spans = _personal_spans([g for g in gold if g.entity != "PERSON" or g.role not in officials])
    replaced: dict[str, list[tuple[int, int]]] = {}
    for line in (release / "audit_log.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        replaced.setdefault(item["file"], []).append((item["start"], item["end"]))
    excess: list[str] = []
    inside: list[str] = []
    straddling: list[str] = []
    for path in sorted((release / "casefiles").rglob("*.txt")):
        doc = path.relative_to(release).as_posix()
        original = (enforcement_casefiles / doc).read_text("utf-8")
        text = path.read_text("utf-8")
        allowed = _counts(pattern, _blank(original, spans.get(doc, [])))
        edits = replaced.get(doc, [])
        kept = _counts(pattern, _blank(text, edits))
        excess += [f"{doc}: {n}" for n, k in kept.items() if k > allowed[n]]
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(s <= a and b <= e for s, e in edits):
                inside.append(f"{doc}: {m.group()}")
            elif any(a < e and s < b for s, e in edits):
                straddling.append(f"{doc}: {text[max(0, a - 4) : b + 4]}")
    assert not excess, excess[:10]
    assert not inside, inside[:10]
    replacements = sum(len(e) for e in replaced.values())
    assert len(straddling) * 1000 <= STRADDLING_PER_MILLE * replacements, straddling[:10]
    for path in sorted(release.glob("*.parquet")):
        before = _string_columns(enforcement_casefiles / path.name)
        for col, values in _string_columns(path).items():
            got = _counts(pattern, "\x00".join(values))
            personal_col = col in PII_COLUMNS.get(path.stem, ())
            limit = Counter() if personal_col else _counts(pattern, "\x00".join(before[col]))
            excess += [f"{path.name}.{col}: {n}" for n, k in got.items() if k > limit[n]]
    for path in sorted(release.iterdir()):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            source = enforcement_casefiles / path.name
            limit = _counts(pattern, source.read_text("utf-8")) if source.is_file() else Counter()
            got = _counts(pattern, path.read_text("utf-8"))
            excess += [f"{path.name}: {n}" for n, k in got.items() if k > limit[n]]
    assert not excess, excess[:10]


def test_audit_offsets_point_at_the_replacements(release: Path) -> None:
    texts: dict[str, str] = {}
    items = [json.loads(line) for line in
             (release / "audit_log.jsonl").read_text("utf-8").splitlines()]  # fmt: skip
    assert len(items) > 10_000
    for item in items:
        text = texts.setdefault(item["file"], (release / item["file"]).read_text("utf-8"))
        assert text[item["start"] : item["end"]] == item["new"], item


def _review(dataset: Path, out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = runner.invoke(app, ["review", "run", str(dataset), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out), pd.read_parquet(out.with_name(out.stem + "_grades.parquet"))


def test_rule_engine_finds_the_same_violations(
    enforcement_casefiles: Path, release: Path, tmp_path: Path
) -> None:
    """Run without --as-of, as a student would: the release carries the original's data
    package, whose as-of date the deadline rules measure to."""
    package = json.loads((release / "datapackage.json").read_text("utf-8"))
    source = json.loads((enforcement_casefiles / "datapackage.json").read_text("utf-8"))
    assert package["as_of_date"] == source["as_of_date"]
    assert {r["path"] for r in package["resources"]} == {p.name for p in release.glob("*.parquet")}
    before, grades_before = _review(enforcement_casefiles, tmp_path / "original.parquet")
    after, grades_after = _review(release, tmp_path / "released.parquet")
    key = ["rule_id", "case_id", "suspect_id", "asset_id", "detail", "severity"]
    assert len(before) > 100 and before["rule_id"].nunique() >= 8
    assert "ZB-07" in set(before["rule_id"])  # read from the case files' interview records
    rows_before = sorted(before[key].astype(str).itertuples(index=False, name=None))
    rows_after = sorted(after[key].astype(str).itertuples(index=False, name=None))
    assert rows_after == rows_before
    order = ["case_id"]
    pd.testing.assert_frame_equal(
        grades_after.sort_values(order).reset_index(drop=True),
        grades_before.sort_values(order).reset_index(drop=True),
    )
