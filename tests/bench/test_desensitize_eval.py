"""Evaluation in ``make bench`` (targets in docs/performance.md): per-entity precision and
recall of the desensitize analyzer (teaching policy, knowing the dataset's ``persons`` names as
``desensitize_dataset`` does) against the gold spans of an enforcement dataset's case files, and
no legal text changed by the release; then the same figures on the hand-written recall hard set
(tests/desensitize/data/hard_set, docs/desensitize-recall.md), whose layouts the generator does
not write. Scoring rules (exact offsets; addresses from below the county; officials kept) are in
``desensitize.evaluation`` (``gold`` and ``hardset``); both also run in ``make test``.

The dataset is built for this run, with a seed, provinces and year the tests never use:
Guangdong and Xinjiang (Uyghur names with "·", autonomous-prefecture place names), 2023, scale
0.005, case files for every 终本 case — about 16,000 documents, more than 2,000 gold spans for
each main entity; building takes about half a minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from desensitize import (
    LABELS,
    DatasetEvaluation,
    Desensitizer,
    evaluate_dataset,
    evaluate_hard_set,
    load_hard_set,
    load_policy,
)
from synthgen import BuildOptions, build_enforcement

pytestmark = pytest.mark.bench
Recorder = Callable[[str, float, str], None]
KEY = b"bench-eval-key-0123456789abcdef0123"
MAIN = ("PERSON", "ID_CARD", "PHONE", "BANK_CARD", "ADDRESS")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> DatasetEvaluation:
    out = tmp_path_factory.mktemp("eval") / "gd_xj"
    opts = BuildOptions(
        seed=17, scale=0.005, years=[2023], provinces=["44", "65"], out=out, casefiles=1.0
    )
    dataset = build_enforcement(opts)
    names = pd.read_parquet(dataset / "persons.parquet")["name"].tolist()
    des = Desensitizer(load_policy("teaching"), key=KEY, known_names=names)
    return evaluate_dataset(dataset, des)


def test_precision_and_recall_on_gold_spans(
    result: DatasetEvaluation, bench_figures: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = result.evaluation
    with capsys.disabled():
        print(f"\n脱敏识别评测：{result.documents:,} 份卷宗文书，逐实体（完全匹配）\n{ev.table()}")
        for label, items in (("漏检", ev.misses), ("误检", ev.false_positives)):
            for row, doc, context in items[:10]:
                print(f"  {label} {LABELS.get(row, row)} {doc}：{context}")
    for row in ev.rows():
        s, label = ev.scores[row], LABELS.get(row, row).strip("　")
        bench_figures(f"脱敏评测 {label} 精确率", 100 * s.precision, "%")
        bench_figures(f"脱敏评测 {label} 召回率", 100 * s.recall, "%")
    bench_figures("脱敏评测 卷宗文书", result.documents, "份")
    bench_figures("脱敏评测 识别速度", result.characters / result.analyze_seconds, "字/秒")
    gold = {row: s.tp + s.fn for row, s in ev.scores.items()}
    assert all(gold.get(row, 0) >= 2000 for row in MAIN), gold
    assert not ev.unmet_targets(), ev.unmet_targets()


def test_no_legal_text_changed(result: DatasetEvaluation, bench_figures: Recorder) -> None:
    for kind, n in result.legal_items.items():
        bench_figures(f"脱敏评测 法律文本 {kind}（须原样保留）", n, "处")
    assert min(result.legal_items.values()) > 1000
    lost = {kind: items[:5] for kind, items in result.legal_lost.items() if items}
    assert not lost


HARD_SET = Path(__file__).parents[1] / "desensitize" / "data" / "hard_set"


def test_hard_set(bench_figures: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    cases = load_hard_set(HARD_SET)
    started = time.perf_counter()
    result = evaluate_hard_set(Desensitizer(load_policy("teaching"), key=KEY), cases)
    seconds = time.perf_counter() - started
    ev = result.evaluation
    with capsys.disabled():
        print(f"\n难例集：{len(cases)} 份文本、{result.names} 个不同姓名\n{ev.table()}")
        for layout, s in sorted(result.by_layout.items()):
            print(
                f"  版式 {layout}：姓名召回率 {s.recall:.2%}（{s.tp}/{s.tp + s.fn}），误检 {s.fp}"
            )
        for label, items in (("漏检", ev.misses), ("误检", ev.false_positives)):
            for row, doc, context in items[:10]:
                print(f"  {label} {LABELS.get(row, row)} {doc}：{context}")
    for row in ev.rows():
        s, label = ev.scores[row], LABELS.get(row, row).strip("　")
        bench_figures(f"难例集 {label} 精确率", 100 * s.precision, "%")
        bench_figures(f"难例集 {label} 召回率", 100 * s.recall, "%")
    bench_figures("难例集 须原样保留的法律文本", result.keep_total, "处")
    bench_figures("难例集 被改动的法律文本", len(result.keep_changed), "处")
    bench_figures("难例集 评测用时（分析+替换）", seconds, "秒")
    assert not ev.unmet_targets(), ev.unmet_targets()
    assert (result.keep_touched, result.keep_changed) == ([], [])
