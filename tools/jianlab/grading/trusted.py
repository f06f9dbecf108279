"""nbgrader preprocessors that take hidden tests out of the student's kernel (docs/grading.md).

`PrepareTrustedRun` (before execution) puts cells back in the master order of their grade ids,
replaces every autograded test cell with its visible part only, and appends after it a cell that
exports the question's declared values. `TrustedVerdicts` (after execution, the kernel gone)
copies those values out, runs the hidden tests in forks of the trusted verdict server
(`jianlab.grading.verdict_server`), and prepends an error output to each test cell whose hidden
tests failed, so nbgrader's own SaveAutoGrades writes the trusted score into the gradebook: a
cell scores only if its visible tests passed in the kernel AND its hidden tests passed outside it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from jianlab.grading import answer_store, values
from jianlab.grading.answers import ANSWERS_DIR, cell_source
from jianlab.grading.runtime import REFERENCE_ENV
from jianlab.grading.verdict_client import run_hidden_tests
from jianlab.grading.verdicts import HIDDEN_FAILED, Verdict, trusted_env
from jianlab.labs.exports import ExportError, Plan, build_plan, is_autograded_test

EXPORT_KEY = "jianlab_export"
REORDERED = "reordered"
NO_PLAN = "no_plan"


def _grade_id(cell: NotebookNode) -> str | None:
    meta = cell.metadata.get("nbgrader")
    gid = meta.get("grade_id") if isinstance(meta, dict) else None
    return gid if isinstance(gid, str) else None


def restore_order(cells: list[NotebookNode], order: list[str]) -> tuple[list[NotebookNode], bool]:
    """Cells in the master order of grade ids; cells without one travel with the graded cell
    they followed. Returns (cells, whether anything moved)."""
    known = set(order)
    groups: dict[str | None, list[NotebookNode]] = {None: []}
    seen: list[str] = []
    anchor: str | None = None
    for cell in cells:
        gid = _grade_id(cell)
        if gid in known and gid not in groups:
            anchor = gid
            groups[gid] = []
            seen.append(gid)
        groups[anchor].append(cell)
    expected = [g for g in order if g in groups]
    if seen == expected:
        return cells, False
    return [c for key in [None, *expected] for c in groups[key]], True


def master_dir(config: Any, assignment: str) -> Path:
    coursedir = CourseDirectory(config=config)
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment))


def load_plan(config: Any, assignment: str, notebook: str) -> Plan | None:
    path = master_dir(config, assignment) / f"{notebook}.ipynb"
    try:
        return build_plan(nbformat.read(path, as_version=4))
    except (OSError, ExportError, ValueError):
        return None


class PrepareTrustedRun(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, Any]:
        info = resources["nbgrader"]
        plan = load_plan(self.config, info["assignment"], info["notebook"])
        state: dict[str, Any] = {"plan": plan, REORDERED: False, NO_PLAN: plan is None}
        resources["jianlab"] = state
        values.clear(Path(resources["metadata"]["path"]) / ANSWERS_DIR)
        if plan is None:
            for cell in nb.cells:  # hidden tests never run in the kernel, plan or not
                if is_autograded_test(cell):
                    cell.source = "raise RuntimeError('评分配置缺失：本题无法评分')"
            return nb, resources
        nb.cells, state[REORDERED] = restore_order(list(nb.cells), plan.order)
        cells: list[NotebookNode] = []
        for cell in nb.cells:
            cells.append(cell)
            question = plan.questions.get(_grade_id(cell) or "")
            if question is None or not is_autograded_test(cell):
                continue
            cell.source = question.visible
            exports = {k: str(v) for k, v in question.exports.items()}
            export = new_code_cell(cell_source(question.grade_id, exports))
            export.metadata[EXPORT_KEY] = question.grade_id
            cells.append(export)
        nb.cells = cells
        return nb, resources


def failure_output(verdict: Verdict) -> NotebookNode:
    """What the student and formgrader see: export problems in full, hidden failures as one line
    (the hidden test's own message could give the expected value away)."""
    message = verdict.detail if verdict.detail.startswith("导出值") else "具体检查内容不公开"
    return new_output(
        "error", ename=HIDDEN_FAILED, evalue=message, traceback=[f"{HIDDEN_FAILED}：{message}"]
    )


class TrustedVerdicts(NbGraderPreprocessor):
    hidden_test_seconds = 60

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, Any]:
        state = resources.get("jianlab", {})
        plan: Plan | None = state.get("plan")
        nb.cells = [c for c in nb.cells if EXPORT_KEY not in c.metadata]
        verdicts = self._verdicts(plan, resources) if plan is not None else {}
        for cell in nb.cells:
            gid = _grade_id(cell)
            if not is_autograded_test(cell) or gid is None:
                continue
            verdict = verdicts.get(gid, Verdict(False, "评分配置缺失"))
            if not verdict.passed:
                cell.outputs = [failure_output(verdict), *cell.get("outputs", [])]
        nb.metadata["jianlab"] = {
            "verdicts": {gid: asdict(v) for gid, v in verdicts.items()},
            REORDERED: bool(state.get(REORDERED)),
            NO_PLAN: bool(state.get(NO_PLAN)),
        }
        return nb, resources

    def _verdicts(self, plan: Plan, resources: ResourcesDict) -> dict[str, Verdict]:
        answers = Path(resources["metadata"]["path"]) / ANSWERS_DIR
        questions = [
            {
                "grade_id": q.grade_id,
                "exports": {k: str(v) for k, v in q.exports.items()},
                "hidden": q.hidden,
            }
            for q in plan.questions.values()
        ]
        cwd = master_dir(self.config, resources["nbgrader"]["assignment"])
        env = trusted_env(os.environ.get(REFERENCE_ENV))
        info = resources["nbgrader"]
        with tempfile.TemporaryDirectory(prefix="jianlab-answers-") as tmp:
            values.snapshot(answers, plan, Path(tmp))
            verdicts = run_hidden_tests(Path(tmp), questions, cwd, env, self.hidden_test_seconds)
            # the truth section of the feedback shows these values (docs/grading.md); failing to
            # keep them costs that section a note, never the grade
            root = Path(CourseDirectory(config=self.config).root)
            try:
                answer_store.keep(Path(tmp), root, info["assignment"], info["student"])
            except OSError as exc:
                self.log.warning("无法保存导出值供真值对照使用：%s", exc)
        values.clear(answers)
        return verdicts


@dataclass
class TrustedRecord:
    """What TrustedVerdicts left in an autograded notebook, for the grading status."""

    verdicts: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def trusted_record(path: Path) -> TrustedRecord:
    record = TrustedRecord()
    try:
        meta = nbformat.read(path, as_version=4).metadata.get("jianlab", {})
    except (OSError, ValueError):
        return record
    for gid, verdict in meta.get("verdicts", {}).items():
        record.verdicts[gid] = "通过" if verdict.get("passed") else str(verdict.get("detail", ""))
    if meta.get(REORDERED):
        record.flags.append("单元顺序与发布版不同，已按题号恢复顺序后评分")
    if meta.get(NO_PLAN):
        record.flags.append("找不到评分所需的导出声明，自动评分部分记 0 分")
    return record
