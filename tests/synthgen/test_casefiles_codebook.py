"""The codebook documents the case files exactly when a dataset has them: every kind of document
the generator can write, every entity type and role of the span answer key, and the ZB-07
formal-record phrases — read from the generator's templates, not copied."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from synthgen import (
    BuildOptions,
    build_enforcement,
    load_enforcement_params,
    student_copy,
    verify_dataset,
)
from synthgen.casefiles.build import DOCUMENT_KINDS
from synthgen.casefiles.parties import templates
from synthgen.codebook.model import Codebook, CodebookError, read_codebook_json
from synthgen.codebook.resolve import resolve_codebook

CASEFILES_HEADING = "## 电子卷宗 `casefiles/<case_id>/<NN>_<文书名>.txt`"
SPANS_HEADING = "## 个人信息片段（答案） `_truth/pii_spans.jsonl`（仅限教师）"
YAML = Path(__file__).parents[2] / "tools/synthgen/codebook/enforcement.yaml"


def _build(out: Path, share: float) -> Path:
    opts = BuildOptions(
        seed=13, scale=0.001, years=[2022], provinces=["33"], casefiles=share, out=out
    )
    return build_enforcement(opts)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("cfcb") / "with", 0.6)


@pytest.fixture(scope="module")
def markdown(built: Path) -> str:
    return (built / "codebook.md").read_text("utf-8")


@pytest.fixture(scope="module")
def spans(built: Path) -> list[dict[str, Any]]:
    lines = (built / "_truth" / "pii_spans.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _section(markdown: str, heading: str) -> str:
    assert heading in markdown
    return markdown.split(heading, 1)[1].split("\n## ", 1)[0]


def test_sections_present_with_counts_of_this_folder(
    built: Path, markdown: str, spans: list[dict[str, Any]]
) -> None:
    files = sorted((built / "casefiles").glob("*/*.txt"))
    cases = {p.parent.name for p in files}
    assert len(cases) > 10
    section = _section(markdown, CASEFILES_HEADING)
    assert f"- 本数据：{len(files):,} 份文书，{len(cases):,} 个案件" in section
    assert f"- 本数据：{len(spans):,} 个片段" in _section(markdown, SPANS_HEADING)
    assert "表之外的文书与答案文件见文末各节" in markdown.split("## 口径定义", 1)[0]
    codebook = read_codebook_json(built / "codebook.json")
    assert set(codebook.dataset.documents) == {"casefiles", "pii_spans"}


@pytest.mark.parametrize("share", [0.0, 0.00001])
def test_no_section_without_case_files(tmp_path: Path, share: float) -> None:
    """--casefiles 0, and a share so small that no case is drawn: no files, no section."""
    out = _build(tmp_path / "none", share)
    assert not (out / "casefiles").exists()
    assert not (out / "_truth" / "pii_spans.jsonl").exists()
    text = (out / "codebook.md").read_text("utf-8")
    assert "## 电子卷宗" not in text and "pii_spans" not in text and "文末各节" not in text
    assert read_codebook_json(out / "codebook.json").dataset.documents == {}


def test_every_kind_the_generator_writes_is_documented(built: Path, markdown: str) -> None:
    codebook = read_codebook_json(built / "codebook.json")
    kinds = codebook.dataset.documents["casefiles"].kinds
    assert {k: v.template for k, v in kinds.items()} == {
        name: key for key, name in DOCUMENT_KINDS.items()
    }
    written = {re.sub(r"^\d\d_|\.txt$", "", p.name) for p in built.glob("casefiles/*/*.txt")}
    assert written == set(kinds), "样本中应出现每一类文书"
    table = _section(markdown, CASEFILES_HEADING)
    for name, kind in kinds.items():
        block = templates()[kind.template]
        assert kind.title == block["title"]
        assert kind.wordings == {label: _count(block[part]) for part, label in kind.parts.items()}
        row = f"| `{name}` | {kind.title} |"
        assert row in table, name


def _count(node: list[str] | dict[str, list[str]]) -> int:
    """Wordings of a part: a list, or the interview's lists by element."""
    return sum(len(v) for v in node.values()) if isinstance(node, dict) else len(node)


def test_every_entity_and_role_in_the_spans_is_documented(
    built: Path, markdown: str, spans: list[dict[str, Any]]
) -> None:
    docs = read_codebook_json(built / "codebook.json").dataset.documents["pii_spans"]
    entities = {s["entity"] for s in spans}
    roles = {s["role"] for s in spans}
    assert entities == set(docs.values)
    assert roles == set(docs.roles)
    assert set(docs.fields) == set(spans[0])
    section = _section(markdown, SPANS_HEADING)
    assert all(f"| `{e}` |" in section for e in entities)
    assert all(f"| {r} |" in section for r in roles)


def test_formal_record_section_lists_the_engine_phrases(built: Path, markdown: str) -> None:
    catalog = yaml.safe_load(
        (Path(__file__).parents[2] / "tools/review/catalog.yaml").read_text("utf-8")
    )
    rule = next(r for r in catalog["rules"] if r["id"] == "ZB-07")
    section = _section(markdown, CASEFILES_HEADING).split("### 形式化的终本约谈笔录（ZB-07）", 1)[1]
    for element, phrases in rule["parameters"]["elements"]["value"].items():
        assert f"| {element} | {'、'.join(phrases)} |" in section
    rate = load_enforcement_params(None, [2022]).data["casefiles"]["formal_interview_rate"]
    assert f"`casefiles.formal_interview_rate.value` = {rate['value']:g}" in section


def test_student_copy_keeps_the_documents_but_not_the_span_key(built: Path, tmp_path: Path) -> None:
    dest = tmp_path / "student"
    student_copy(built, dest)
    text = (dest / "codebook.md").read_text("utf-8")
    assert CASEFILES_HEADING in text
    assert "pii_spans" not in text and "仅限教师" not in text
    assert set(read_codebook_json(dest / "codebook.json").dataset.documents) == {"casefiles"}
    # the rule engine's data end date travels with the tables (else it falls back to the data)
    package = json.loads((dest / "datapackage.json").read_text("utf-8"))
    original = json.loads((built / "datapackage.json").read_text("utf-8"))
    assert package["as_of_date"] == original["as_of_date"]


def test_student_copy_without_documents(built: Path, tmp_path: Path) -> None:
    """A lab that reads only tables (lab.yaml `casefiles: false`) gets no case files, and the
    codebook and data package no longer promise them, so `data verify` still passes."""
    dest = tmp_path / "tables-only"
    student_copy(built, dest, documents=False)
    assert (built / "casefiles").is_dir() and not (dest / "casefiles").exists()
    assert not read_codebook_json(dest / "codebook.json").dataset.documents
    assert CASEFILES_HEADING not in (dest / "codebook.md").read_text("utf-8")
    assert {p.name for p in built.glob("*.parquet")} == {p.name for p in dest.glob("*.parquet")}
    assert verify_dataset(dest) == []


def _edited(path: str, value: Any) -> dict[str, Any]:
    data = yaml.safe_load(YAML.read_text("utf-8"))
    *parents, last = path.split("/")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("dataset/documents/casefiles/defects/0/rule", "ZB-99", "未埋设的规则"),
        ("dataset/documents/casefiles/templates", None, "没有 templates"),
        ("dataset/documents/casefiles/kinds/执行通知书/parts", "正文", "parts"),
    ],
)
def test_invalid_document_sets_are_rejected(path: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Codebook.model_validate(_edited(path, value))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("dataset/documents/casefiles/kinds/执行通知书/template", "summons", "没有文书 summons"),
        ("dataset/documents/casefiles/kinds/执行通知书/parts", {"appendix": "附录"}, "appendix"),
        ("dataset/documents/casefiles/kinds/执行通知书/parts", {"title": "标题"}, "不是写法列表"),
        ("dataset/documents/casefiles/defects/0/elements_from", "phrases", "要素短语表"),
        ("dataset/documents/casefiles/templates", "casefiles/none.yaml", "不存在"),
    ],
)
def test_unresolvable_document_references_are_named(path: str, value: Any, message: str) -> None:
    codebook = Codebook.model_validate(_edited(path, value))
    params = load_enforcement_params(None, [2022]).data
    with pytest.raises(CodebookError, match=message):
        resolve_codebook(codebook, params, params)
