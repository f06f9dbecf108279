"""The steps both release paths share (``release.streaming`` and ``release.inmemory``, chosen by
``release.dataset``): the tables of a dataset and the case files (read, analyzed, marked with
the parties' names, anonymized), the staging folder and the data package. Kept in its own
module so that the dispatcher imports both paths at the top and neither imports it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desensitize.io.readers import TABLE_SUFFIXES, TEXT_SUFFIXES, read_text
from desensitize.operators.base import OperatorContext
from desensitize.policy import Policy
from desensitize.release.parties import party_spans
from desensitize.release.record import Release
from desensitize.text.desensitizer import Desensitizer
from desensitize.types import Span

TRUTH = "_truth"
CASEFILES = "casefiles"
BATCH = 2000  # case files analyzed together
Progress = Callable[[str], None]


@dataclass
class RunBase:
    """What the phases of either release path share: the policy, the key and its operator
    context, and the release record being filled."""

    policy: Policy
    key: bytes
    release: Release
    ctx: OperatorContext

    def desensitizer(self, names: list[str]) -> Desensitizer:
        return Desensitizer(self.policy, key=self.key, known_names=names, context=self.ctx)


Steps = Callable[[str, int, int], None]  # table, columns done, columns in the table


def _tables(in_dir: Path) -> dict[str, Path]:
    found = {}
    for p in sorted(in_dir.iterdir()):
        if p.name.startswith((".", "_")) or p.name == CASEFILES:
            continue
        if p.is_dir() and any(p.rglob("*.parquet")):
            found[p.name] = p
        elif p.suffix.lower() in TABLE_SUFFIXES:
            found[p.stem] = p
    return found


def _check_dirs(in_dir: Path, out_dir: Path) -> None:
    if (in_dir / TRUTH).resolve() == out_dir.resolve() or out_dir.resolve().is_relative_to(
        in_dir.resolve()
    ):
        raise ValueError(f"输出目录 {out_dir} 不能位于输入数据集 {in_dir} 之内")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ValueError(f"输出目录 {out_dir} 已存在且非空；为防止覆盖，请指定新目录")


@dataclass
class _CaseFile:
    rel: str  # path relative to the dataset
    name: str  # output path (a .docx is written as .txt)
    case_id: str
    text: str
    spans: list[Span]


def _analyze_casefiles(
    in_dir: Path,
    des: Desensitizer,
    release: Release,
    originals: dict[str, set[str]],
    tick: Progress,
) -> list[_CaseFile]:
    """Every readable case file with its detections, analyzed ``BATCH`` documents at a time
    (one regex pass per batch, see ``engine``)."""
    out: list[_CaseFile] = []
    root = in_dir / CASEFILES
    if not root.is_dir():
        return out
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(in_dir).as_posix()
        if path.suffix.lower() not in TEXT_SUFFIXES | {".docx"}:
            release.skipped.append(rel)
            continue
        tick(f"读取 {rel}")
        decoded = read_text(path)
        release.encodings[rel] = decoded.encoding
        name = rel if path.suffix.lower() != ".docx" else rel[:-5] + ".txt"
        out.append(_CaseFile(rel, name, path.parent.name, decoded.text, []))
    for lo in range(0, len(out), BATCH):
        batch = out[lo : lo + BATCH]
        tick(f"识别 {batch[0].rel} 等 {len(batch)} 份")
        for doc, spans in zip(batch, des.analyze_many([d.text for d in batch]), strict=True):
            doc.spans = spans
    for doc in out:
        for s in doc.spans:
            if des.policy.operator_for(s.entity).operator != "keep" and s.entity != "DATE":
                bucket = "PERSON" if s.entity == "PERSON" else "OTHER"
                originals[bucket].add(doc.text[s.start : s.end])
    return out


def _mark_parties(docs: list[_CaseFile], parties: dict[str, frozenset[str]] | None) -> None:
    """The structured-field pass (``release.parties``): a party of the case whose name is also a
    common word is replaced wherever it occurs in that case's documents."""
    if not parties:
        return
    for doc in docs:
        extra = party_spans(doc.text, parties.get(doc.case_id, frozenset()), doc.spans)
        if extra:
            doc.spans = sorted([*doc.spans, *extra], key=lambda s: s.start)


def _detected(docs: list[_CaseFile], des: Desensitizer) -> dict[str, list[str]]:
    """Replaced values found in the documents, by entity."""
    found: dict[str, list[str]] = {}
    for doc in docs:
        for s in doc.spans:
            if des.policy.operator_for(s.entity).operator != "keep" and s.entity != "DATE":
                found.setdefault(s.entity, []).append(doc.text[s.start : s.end])
    return found


def _anonymize_casefiles(
    docs: list[_CaseFile], des: Desensitizer, release: Release, tick: Progress
) -> dict[str, str]:
    out: dict[str, str] = {}
    for doc in docs:
        tick(f"卷宗 {doc.rel}")
        des.context.case_id = doc.case_id
        result = des.anonymize(doc.text, doc.spans)
        out[doc.name] = result.text
        release.documents += 1
        for item in result.items:
            release.counts[(doc.rel, item.entity, item.operator)] += 1
            release.audit.append(
                {
                    "file": doc.name,
                    "start": item.start,
                    "end": item.end,
                    "entity": item.entity,
                    "operator": item.operator,
                    "new": item.new_text,
                }
            )
    des.context.case_id = None
    return out


def _write_datapackage(in_dir: Path, tmp: Path, tables: set[str]) -> None:
    """The input's data package (schemas, and the as-of date the rule engine needs to find the
    same deadline violations) describing only the tables released, each now one Parquet file;
    ``_truth`` resources are dropped."""
    source = in_dir / "datapackage.json"
    if not source.is_file():
        return
    package = json.loads(source.read_text(encoding="utf-8"))
    kept = []
    for resource in package.get("resources", []):
        if resource.get("name") in tables:
            kept.append({**resource, "path": f"{resource['name']}.parquet"})
    package["resources"] = kept
    (tmp / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
