"""`jianlab labs check`: the CI gate every lab must pass (otter's run_tests + validate --invert).

In a throwaway nbgrader course root: the full solution is autograded and must score every
autograded point, with every declared export present; the student release is autograded and
must score zero on each autograded cell; for every question, the solution with only that
question blanked must score full marks on all the others (the skip-one matrix: questions are
independent); nothing of the solution, hidden tests or instructor cells appears in the release;
every dataset resolves. Grading goes through the same sandboxed autograder the course uses, all
submissions in one parallel run. The graded solution is what a perfect student hands in, so it
has no instructor cells: those read `_truth/`, which no student sandbox holds, and run in a
trusted instructor run beside the class run (`instructor_run.py`, docs/grading.md).
"""

from __future__ import annotations

import copy
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from jianlab.course.instructor_run import InstructorRun
from jianlab.grading import courseroot
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.status import SubmissionStatus
from jianlab.labs import datasets
from jianlab.labs.exports import build_plan
from jianlab.labs.leaks import find_leaks
from jianlab.labs.lint import lint_notebook
from jianlab.labs.models import DataPolicy, LabSpec, SpecError, load_lab_spec
from jianlab.labs.rubric import check_rubric
from jianlab.labs.source import (
    LabNotebooks,
    build_notebooks,
    is_instructor_cell,
    read_source,
    source_path,
    write_notebook,
)

SOLUTION = "solution"
RELEASE = "release"
SKIP_PREFIX = "skip-"
CHECK_KEY = "jianlab-labs-check"


@dataclass
class LabCheckResult:
    lab: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    solution_score: float = 0.0
    release_score: float = 0.0
    autograded_points: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def solution_submission(notebooks: LabNotebooks, release: NotebookNode) -> NotebookNode:
    """What a perfect student hands in: the release with the solutions filled in. Instructor
    cells are not part of it (a student never has them); the instructor run executes them."""
    out = copy.deepcopy(release)
    release_cells = iter(release.cells)
    cells: list[NotebookNode] = []
    for cell in notebooks.instructor.cells:
        if is_instructor_cell(cell):
            continue
        shipped = copy.deepcopy(next(release_cells))
        if cell.metadata.get("nbgrader", {}).get("solution"):
            shipped.source = cell.source
        cells.append(shipped)
    out.cells = cells
    return out


def skip_submission(
    solution: NotebookNode, release: NotebookNode, blank: list[str]
) -> NotebookNode:
    """The solution with the answer cells `blank` put back to what the release hands out."""
    stubs = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in release.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in blank
    }
    out = copy.deepcopy(solution)
    for cell in out.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in stubs:
            cell.source = stubs[gid]
    return out


def _autograded_ids(release: NotebookNode) -> dict[str, float]:
    out: dict[str, float] = {}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out[str(meta["grade_id"])] = float(meta["points"])
    return out


def _stage_data(spec: LabSpec, root: Path, work: Path, students: list[str]) -> list[str]:
    """Place each dataset for the check; return problems (unresolvable datasets)."""
    problems: list[str] = []
    for ref in spec.datasets:
        try:
            if spec.data_policy is DataPolicy.per_student:
                seed = datasets.derive_seed(CHECK_KEY, spec.id, ref.name)
                path = datasets.generate(ref, seed, work / "generated" / ref.name)
                for who in students:
                    dest = root / "submitted" / who / spec.id / "data" / ref.name
                    datasets.copy_tables(path, dest, ref.casefiles, ref.release)
            else:
                path = datasets.resolve_shared(ref)
                datasets.copy_tables(
                    path, root / "source" / spec.id / "data" / ref.name, ref.casefiles, ref.release
                )
        except datasets.DatasetError as exc:
            problems.append(str(exc))
            continue
        ref_dir = root / "instructor" / spec.id / "reference" / "_shared" / ref.name
        datasets.link_reference(path, ref_dir)
    return problems


def _score_problems(
    statuses: dict[str, SubmissionStatus], graded: dict[str, float], result: LabCheckResult
) -> None:
    sol, rel = statuses[SOLUTION], statuses[RELEASE]
    result.autograded_points = sum(graded.values())
    result.solution_score = sum(sol.scores.get(g, 0.0) for g in graded)
    result.release_score = sum(rel.scores.get(g, 0.0) for g in graded)
    for gid, points in graded.items():
        got = sol.scores.get(gid, 0.0)
        if abs(got - points) > 1e-9:
            result.problems.append(f"参考答案在 {gid} 上只得 {got:g}/{points:g} 分")
        if rel.scores.get(gid, 0.0) != 0.0:
            result.problems.append(
                f"学生版（未作答）在 {gid} 上得了 {rel.scores[gid]:g} 分，应为 0"
            )
    result.problems += [f"参考答案评分异常：{f}" for f in sol.flags]
    if sol.error_cells:
        cells = "、".join(str(i) for i in sol.error_cells)
        result.problems.append(f"参考答案第 {cells} 个单元执行报错")
    result.problems += [f"学生版评分异常：{f}" for f in rel.flags if "超时" in f or "终止" in f]
    for gid, detail in sol.verdicts.items():
        if detail.startswith("导出值"):
            result.problems.append(f"参考答案在 {gid} 上没有导出声明的值：{detail}")


def _skip_problems(
    statuses: dict[str, SubmissionStatus], graded: dict[str, float], result: LabCheckResult
) -> None:
    """Blanking one question may cost that question only."""
    for student, status in sorted(statuses.items()):
        if not student.startswith(SKIP_PREFIX):
            continue
        blank = student.removeprefix(SKIP_PREFIX)
        for gid, points in graded.items():
            got = status.scores.get(gid, 0.0)
            if gid == blank and got != 0.0:
                result.problems.append(f"只空着 {blank} 时，{gid} 仍得 {got:g} 分，应为 0")
            elif gid != blank and abs(got - points) > 1e-9:
                result.problems.append(
                    f"只空着 {blank} 时，{gid} 只得 {got:g}/{points:g} 分（题目之间不独立）"
                )


def check_lab(lab_dir: Path, opts: AutogradeOptions | None = None) -> LabCheckResult:
    start = time.monotonic()
    result = LabCheckResult(lab=lab_dir.name)
    try:
        spec = load_lab_spec(lab_dir / "lab.yaml")
    except SpecError as exc:
        result.problems.append(str(exc))
        return result
    src = source_path(lab_dir)
    if not src.is_file():
        result.problems.append(f"{src}: 缺少实验源文件")
        return result
    result.problems += [i.render(src) for i in lint_notebook(read_source(src), spec)]
    if result.problems:
        return result
    notebooks = build_notebooks(src)
    result.problems += check_rubric(lab_dir, notebooks.source)
    plan = build_plan(notebooks.source)
    students = [SOLUTION, RELEASE, *(f"{SKIP_PREFIX}{gid}" for gid in plan.questions)]
    with tempfile.TemporaryDirectory(prefix=f"jianlab-check-{spec.id}-") as tmp:
        work = Path(tmp)
        root = work / "course"
        courseroot.init_root(root, "labs_check")
        write_notebook(notebooks.source, root / "source" / spec.id / f"{spec.id}.ipynb")
        result.problems += _stage_data(spec, root, work, students)
        if result.problems:
            return result
        courseroot.generate_assignment(root, spec.id)
        release_dir = root / "release" / spec.id
        release = nbformat.read(release_dir / f"{spec.id}.ipynb", as_version=4)
        result.problems += find_leaks(notebooks.instructor, release_dir)
        solution = solution_submission(notebooks, release)
        submissions = {SOLUTION: solution, RELEASE: release}
        for gid in plan.questions:
            submissions[f"{SKIP_PREFIX}{gid}"] = skip_submission(
                solution, release, plan.answers[gid]
            )
        for who, nb in submissions.items():
            write_notebook(nb, root / "submitted" / who / spec.id / f"{spec.id}.ipynb")
        opts = opts or AutogradeOptions()
        trusted = InstructorRun(notebooks.instructor, root, spec.id, work / "instructor-run")
        reference = root / "instructor" / spec.id / "reference" / "_shared"
        trusted.start(
            root / "submitted" / SOLUTION / spec.id,
            reference if reference.is_dir() else None,
            opts.cell_timeout_s,
        )
        try:
            statuses = {s.student: s for s in autograde_lab(root, spec.id, opts)}
        finally:
            result.problems += trusted.problems(opts.wall_s)
        graded = _autograded_ids(release)
        _score_problems(statuses, graded, result)
        _skip_problems(statuses, graded, result)
    result.seconds = round(time.monotonic() - start, 1)
    solution_s = statuses[SOLUTION].seconds
    if solution_s > spec.runtime_budget_s:
        result.problems.append(
            f"参考答案评分耗时 {solution_s:g} 秒，超过预算 {spec.runtime_budget_s:g} 秒"
        )
    return result
