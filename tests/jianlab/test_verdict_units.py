"""Units of trusted grading, no kernel: export/load round trips, hostile answer files, the hidden
test runner, cell-order restoration, free names, the tamper scan, copy detection, decoding."""

from __future__ import annotations

import base64
import gzip
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from jianlab.grading.answers import ANSWERS_DIR, cell_source, export_answers
from jianlab.grading.copydetect import normalized_tokens, similar_pairs
from jianlab.grading.tamper import rebound, scan_code
from jianlab.grading.trusted import restore_order
from jianlab.grading.values import ValueLoadError, load_value, snapshot
from jianlab.grading.verdict_client import run_hidden_tests
from jianlab.grading.verdicts import Verdict, judge, trusted_env
from jianlab.labs.decode import decoded_texts
from jianlab.labs.exports import Kind, Plan, Question, build_plan, free_names

SERIES = pd.Series([0.1, 0.2], index=pd.Index([2021, 2022]))
FRAME = pd.DataFrame({"率": [0.5, 0.25], "n": [2, 4]}, index=pd.Index(["a", "b"]))
ROUND_TRIP: list[tuple[str, Any]] = [
    ("scalar", 0.25),
    ("scalar", np.float64(0.5)),
    ("scalar", float("nan")),
    ("scalar", "文本"),
    ("json", {"a": [1, 2, {"b": None}]}),
    ("series", SERIES),
    ("dataframe", FRAME),
    ("array", np.arange(6).reshape(2, 3)),
]


def _plan(exports: dict[str, Kind]) -> Plan:
    plan = Plan()
    plan.questions["q1"] = Question("q1", 1.0, exports, "", "")
    return plan


def _export_and_snapshot(tmp: Path, kind: str, value: Any) -> Path:
    answers = tmp / "work" / ANSWERS_DIR
    export_answers(str(answers / "q1"), {"x": kind}, {"x": value})
    snapshot(answers, _plan({"x": Kind(kind)}), tmp / "snap")
    return tmp / "snap" / "q1"


@pytest.mark.parametrize(("kind", "value"), ROUND_TRIP, ids=lambda v: str(v)[:12])
def test_values_round_trip(tmp_path: Path, kind: str, value: Any) -> None:
    got = load_value(_export_and_snapshot(tmp_path, kind, value), "x", kind)
    if kind == "series":
        pd.testing.assert_series_equal(got, value)
    elif kind == "dataframe":
        pd.testing.assert_frame_equal(got, value)
    elif kind == "array":
        np.testing.assert_array_equal(got, value)
    elif isinstance(value, float) and value != value:
        assert got != got
    else:
        assert got == value


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        ("scalar", object(), "应为数值"),
        ("series", [1, 2], "应为 pandas.Series"),
        ("dataframe", SERIES, "应为 pandas.DataFrame"),
        ("array", np.array([object()]), "数组元素"),
        ("json", {"x": float("nan")}, "ValueError"),
    ],
)
def test_unexportable_values_fail_only_their_name(
    tmp_path: Path, kind: str, value: Any, reason: str
) -> None:
    folder = tmp_path / ANSWERS_DIR / "q1"
    export_answers(str(folder), {"x": kind, "y": "scalar"}, {"x": value, "y": 1})
    status = json.loads((folder / "_status.json").read_text(encoding="utf-8"))
    assert reason in status["x"] and status["y"] == "ok"


def _hostile_file(folder: Path, case: str) -> None:
    target = folder / "x.npy"
    if case == "pickle":
        np.save(target, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    elif case == "garbage":
        target.write_bytes(b"\x93NUMPY garbage")
    elif case == "symlink":
        target.symlink_to("/etc/hostname")
    elif case == "fifo":
        os.mkfifo(target)
    elif case == "dirlink":
        (folder.parent / "elsewhere").mkdir()
        np.save(folder.parent / "elsewhere" / "x.npy", np.arange(3))
        folder.rmdir()
        folder.symlink_to(folder.parent / "elsewhere")


@pytest.mark.parametrize("case", ["pickle", "garbage", "symlink", "fifo", "dirlink"])
def test_hostile_answer_files_are_refused(tmp_path: Path, case: str) -> None:
    folder = tmp_path / ANSWERS_DIR / "q1"
    folder.mkdir(parents=True)
    _hostile_file(folder, case)
    snapshot(tmp_path / ANSWERS_DIR, _plan({"x": Kind.array}), tmp_path / "snap")
    with pytest.raises(ValueLoadError):
        load_value(tmp_path / "snap" / "q1", "x", "array")


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (b'{"value": ', "scalar"),
        (b'{"value": [1]}', "scalar"),
        (b'{"other": 1}', "json"),
        (b"[" * 200_000 + b"]" * 200_000, "json"),
        (b"PAR1 not parquet", "dataframe"),
        (b"\xff\xfe", "scalar"),
    ],
)
def test_malformed_answer_files_are_refused(tmp_path: Path, payload: bytes, kind: str) -> None:
    suffix = ".parquet" if kind == "dataframe" else ".json"
    (tmp_path / f"x{suffix}").write_bytes(payload)
    with pytest.raises(ValueLoadError):
        load_value(tmp_path, "x", kind)


def test_judge_isolates_failures(tmp_path: Path) -> None:
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "x.json").write_text('{"value": 2}', encoding="utf-8")
    base = {"grade_id": "q", "exports": {"x": "scalar"}}
    assert judge({**base, "hidden": "assert x == 2"}, tmp_path, 5) == Verdict(True)
    assert not judge({**base, "hidden": "assert x == 3"}, tmp_path, 5).passed
    assert "SystemExit" in judge({**base, "hidden": "raise SystemExit(0)"}, tmp_path, 5).detail
    assert "秒" in judge({**base, "hidden": "while True:\n    pass"}, tmp_path, 1).detail
    missing = {"grade_id": "q", "exports": {"y": "scalar"}, "hidden": "pass"}
    assert judge(missing, tmp_path, 5).detail.startswith("导出值 y")


def test_runner_survives_a_dying_question(tmp_path: Path) -> None:
    questions = [
        {"grade_id": "a", "exports": {}, "hidden": "import os\nos._exit(3)"},
        {"grade_id": "b", "exports": {}, "hidden": "assert 1 + 1 == 2"},
    ]
    got = run_hidden_tests(tmp_path, questions, tmp_path, trusted_env(None), seconds=20)
    assert not got["a"].passed and got["b"].passed


def test_trusted_env_has_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANLAB_COURSE_SECRET", "s3cret")
    env = trusted_env("/ref")
    assert "JIANLAB_COURSE_SECRET" not in env and env["JIANLAB_REFERENCE_DIR"] == "/ref"


def test_export_cell_binds_nothing() -> None:
    namespace: dict[str, Any] = {"x": 1.5}
    cwd = Path.cwd()
    try:
        os.chdir(Path(__import__("tempfile").mkdtemp()))
        exec(cell_source("q1", {"x": "scalar"}), namespace)
        written = json.loads(Path(f"{ANSWERS_DIR}/q1/x.json").read_text(encoding="utf-8"))
    finally:
        os.chdir(cwd)
    assert written == {"value": 1.5}
    assert set(namespace) == {"x", "__builtins__"}


def _cells(*ids: str | None) -> list[Any]:
    out = []
    for gid in ids:
        cell = new_code_cell(str(gid))
        if gid is not None and not gid.startswith("free"):
            cell.metadata["nbgrader"] = {"grade_id": gid}
        out.append(cell)
    return out


@pytest.mark.parametrize(
    ("given", "expected", "moved"),
    [
        (["a", "free1", "b"], ["a", "free1", "b"], False),
        (["b", "free1", "a"], ["a", "b", "free1"], True),
        (["free0", "b", "a", "free1"], ["free0", "a", "free1", "b"], True),
        (["a", "x", "b"], ["a", "x", "b"], False),
    ],
)
def test_restore_order(given: list[str], expected: list[str], moved: bool) -> None:
    cells, changed = restore_order(_cells(*given), ["a", "b"])
    assert [c.source for c in cells] == expected and changed is moved


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import numpy as np\nassert np.allclose(x, 1)", {"x"}),
        ("_ref = load()\nassert y == _ref", {"y", "load"}),
        ("def f(a):\n    return a + b\nf(1)", {"b"}),
        ("[v for v in range(3)]\ntry:\n    pass\nexcept Exception as e:\n    e", set()),
        ("assert (", {"<语法错误>"}),
    ],
)
def test_free_names(code: str, expected: set[str]) -> None:
    assert free_names(code) == expected


def test_build_plan_groups_answers_by_question() -> None:
    def meta(cell: Any, **nbgrader: Any) -> Any:
        cell.metadata["nbgrader"] = nbgrader
        return cell

    test = meta(
        new_code_cell("### BEGIN HIDDEN TESTS\nassert a\n### END HIDDEN TESTS"),
        grade_id="t1",
        grade=True,
        points=2,
    )
    test.metadata["jianlab"] = {"exports": {"a": "scalar"}}
    nb = new_notebook(
        cells=[
            new_markdown_cell("题目"),
            meta(new_code_cell("a = 1"), grade_id="a1", solution=True),
            meta(new_code_cell("b = 1"), grade_id="a2", solution=True),
            test,
        ]
    )
    plan = build_plan(nb)
    assert plan.answers == {"t1": ["a1", "a2"]} and plan.order == ["a1", "a2", "t1"]
    assert plan.questions["t1"].hidden == "assert a" and plan.questions["t1"].points == 2


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("np.allclose = lambda *a: True", "改写库函数 np.allclose"),
        ("get_ipython().ast_transformers.append(t)", "AST"),
        ("get_ipython().set_custom_exc((Exception,), h)", "异常处理"),
        ("exec(base64.b64decode(s))", "exec()"),
        ("sys.modules['numpy'] = fake", "sys.modules"),
        ("rate = df['x'].mean()\nfunnel['lower'] = 0", None),
    ],
)
def test_scan_code(code: str, found: str | None) -> None:
    hits = scan_code(code)
    assert any(found in h for h in hits) if found else hits == []


def test_rebound_names() -> None:
    assert rebound("class Path:\n    pass\nnp = 1", {"Path", "np", "pd"}) == [
        "重新定义了实验导入的名称 Path",
        "重新定义了实验导入的名称 np",
    ]
    assert rebound("import numpy as np\nx = np.ones(3)", {"np"}) == []


ORIGINAL = """total = 0
for item in records:
    if item["decision"] == "不批准逮捕":
        total += 1
share = total / len(records)
by_year = {}
for item in records:
    by_year.setdefault(item["year"], []).append(item["decision"] == "不批准逮捕")
"""
RENAMED = ORIGINAL.replace("total", "cnt").replace("item", "r").replace("share", "ratio")
OTHER = "share = sum(d == '不批准逮捕' for d in decisions) / len(decisions)\n" * 2


def test_copy_detection_sees_through_renaming() -> None:
    assert normalized_tokens("x = y.mean(2)") == ["N", "=", "N", ".", "mean", "(", "0", ")"]
    pairs = similar_pairs({"a": [ORIGINAL], "b": [RENAMED], "c": [OTHER]})
    assert [(m.first, m.second) for m in pairs] == [("a", "b")]
    assert similar_pairs({"a": [ORIGINAL], "b": [RENAMED]}, base=[ORIGINAL]) == []
    # the model answer with one cell blanked is still the model answer
    halves = ORIGINAL.split("by_year = {}")
    blanked = {"full": halves, "skip": ["raise NotImplementedError()", halves[1]]}
    assert similar_pairs(blanked, base=[*halves, "raise NotImplementedError()"]) == []


def test_decoded_texts_find_nested_encodings() -> None:
    secret = "assert abs(rate - expected) < 1e-12"
    b64 = base64.b64encode(secret.encode()).decode()
    gz = base64.b64encode(gzip.compress(secret.encode())).decode()
    hexed = secret.encode().hex()
    twice = base64.b64encode(b64.encode()).decode()
    for blob in (b64, gz, hexed, twice):
        assert any(secret in t for t in decoded_texts(f"输出：{blob}。")), blob
    assert not any(secret in t for t in decoded_texts("普通的输出，没有编码"))
