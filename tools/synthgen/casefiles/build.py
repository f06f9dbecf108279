"""Case files for a share of one partition's 终本 cases, with their personal-information spans
and the ZB-07 formal-record truth; then, in the staging folder, the text files and
``_truth/pii_spans.jsonl``. Everything draws from the partition's own seed stream, so the bytes
do not depend on the number of workers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from legal import ZHONGBEN
from synthgen.casefiles.closing import element_phrases, interview, interview_day, ruling, ruling_day
from synthgen.casefiles.context import case_contexts
from synthgen.casefiles.docs import inquiry, lead_check, notice, property_order, service
from synthgen.casefiles.forms import Forms
from synthgen.casefiles.parties import Cast, make_cast
from synthgen.casefiles.text import Doc

DOCS_TABLE = "_casefiles"
CASEFILES_DIR = "casefiles"  # one folder per case under the dataset root
SPANS_TABLE = "_truth/pii_spans"
SPAN_SCHEMA = pa.schema(
    [
        ("doc", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("entity", pa.string()),
        ("text", pa.string()),
        ("role", pa.string()),
    ]
)


# what the generator can write: template (casefiles/templates.yaml) → file name (文书名); the
# codebook documents each of them (tests/synthgen/test_casefiles_codebook.py checks both agree)
DOCUMENT_KINDS = {
    "notice": "执行通知书",
    "property_order": "报告财产令",
    "service": "送达回证",
    "inquiry": "网络查控反馈",
    "lead_check": "财产线索核查记录",
    "interview": "终本约谈笔录",
    "ruling": "执行裁定书",
}


def _documents(cast: Cast, missing: list[str] | None) -> list[tuple[str, Doc]]:
    """(template, document) in the order they entered the file."""
    ctx = cast.ctx
    out: list[tuple[str, Doc]] = []
    sent = ctx.first("执行通知")
    order = ctx.first("报告财产令")
    if sent is not None:
        out.append(("notice", notice(cast, sent["action_date"])))
    if order is not None:
        out.append(("property_order", property_order(cast, order["action_date"])))
    served = [DOCUMENT_KINDS[kind] for kind, _ in out]
    if served:
        day = (sent if sent is not None else order)["action_date"]  # type: ignore[index]
        out.append(("service", service(cast, day, "、".join(served), cast.respondent)))
    # the feedback of the first network query and, when later, of the last one before 终本
    queries = ctx.all("网络查控")
    queries = queries[queries["action_date"] <= ctx.case["closing_date"]]
    for day in sorted(set(queries["action_date"].iloc[[0, -1]])) if not queries.empty else []:
        out.append(("inquiry", inquiry(cast, day)))
    submits = ctx.all("财产线索提交")
    for _, check in ctx.all("财产线索核查").iterrows():
        before = submits[submits["action_date"] <= check["action_date"]]
        submitted = before.iloc[-1]["action_date"] if not before.empty else check["action_date"]
        out.append(("lead_check", lead_check(cast, check, submitted)))
    talk = interview_day(cast)
    if talk is not None:
        out.append(("interview", interview(cast, talk, missing or [])))
    day = ruling_day(cast)
    out.append(("ruling", ruling(cast, day)))
    out.append(("service", service(cast, day, DOCUMENT_KINDS["ruling"], cast.applicant)))
    return out


def _select(rng: np.random.Generator, cases: pa.Table, share: float) -> list[str]:
    zb = cases.filter(pc.equal(cases["closing_method"], ZHONGBEN))
    ids = zb["case_id"].to_numpy(zero_copy_only=False)
    return [str(c) for c in ids[rng.random(ids.size) < share]]


def partition_casefiles(
    rng: np.random.Generator,
    tables: dict[str, pa.Table],
    courts: pd.DataFrame,
    share: float,
    formal_rate: float,
) -> dict[str, pa.Table]:
    """Case files (as a table of path and text), spans, and the ZB-07 formal truth rows."""
    chosen = _select(rng, tables["enforcement_cases"], share)
    docs: list[tuple[str, str]] = []
    spans: list[dict[str, Any]] = []
    truth: list[tuple[str, str]] = []
    names = list(element_phrases())
    for ctx in case_contexts(tables, courts, chosen) if chosen else []:
        cast = make_cast(ctx, Forms(rng))
        missing: list[str] | None = None
        if interview_day(cast) is not None and rng.random() < formal_rate:
            k = int(rng.integers(1, 4))
            drop = set(rng.choice(len(names), size=k, replace=False).tolist())
            missing = [n for i, n in enumerate(names) if i in drop]
            truth.append((str(ctx.case["case_id"]), "终本约谈笔录缺少：" + "、".join(missing)))
        for nn, (kind, doc) in enumerate(_documents(cast, missing), start=1):
            path = f"{CASEFILES_DIR}/{ctx.case['case_id']}/{nn:02d}_{DOCUMENT_KINDS[kind]}.txt"
            docs.append((path, doc.text))
            spans += [
                {"doc": path, "start": s.start, "end": s.end, "entity": s.entity,
                 "text": s.text, "role": s.role}
                for s in doc.spans
            ]  # fmt: skip
    return {
        DOCS_TABLE: pa.table(
            {"doc": [d for d, _ in docs], "text": [t for _, t in docs]},
            schema=pa.schema([("doc", pa.string()), ("text", pa.string())]),
        ),
        SPANS_TABLE: pa.Table.from_pylist(spans, schema=SPAN_SCHEMA),
        "formal_truth": pa.table(
            {
                "case_id": pa.array([c for c, _ in truth], pa.string()),
                "rule_id": pa.array(["ZB-07"] * len(truth), pa.string()),
                "asset_id": pa.nulls(len(truth), pa.string()),
                "detail": pa.array([d for _, d in truth], pa.string()),
            }
        ),
    }


def write_casefiles(stage: Path) -> int:
    """Turn the partitions' case-file parts into text files and ``_truth/pii_spans.jsonl``;
    returns the number of documents written."""
    parts = stage / "_parts"
    count = 0
    for part in sorted((parts / DOCS_TABLE).glob("*.parquet")):
        table = pq.read_table(part)
        for doc, text in zip(table["doc"].to_pylist(), table["text"].to_pylist(), strict=True):
            target = stage / doc
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
    span_parts = sorted((parts / SPANS_TABLE).glob("*.parquet"))
    if count:
        out = stage / "_truth" / "pii_spans.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="\n") as fh:
            for part in span_parts:
                for row in pq.read_table(part).to_pylist():
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return count
