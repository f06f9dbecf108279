"""`jianlab course build`: source, release, per-student data and gradebook in one course root.

A new root is built in a temporary folder beside the target and renamed into place, so an
interrupted build never leaves a half course. Building onto an existing course only adds (see
`jianlab.course.update`): a rebuild from scratch would delete students' work, so `--force` is
refused once anything was handed in. Per-student data comes from seeds derived from
(course secret, student id, lab, dataset); the grader's copy (with `_truth/`) stays under
`instructor/`, which is never released.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, SubmittedAssignment

from jianlab.grading import courseroot
from jianlab.labs import datasets
from jianlab.labs.lint import lint_notebook
from jianlab.labs.models import (
    CourseLab,
    CourseSpec,
    DataPolicy,
    LabSpec,
    SpecError,
    Student,
    load_lab_spec,
)
from jianlab.labs.paths import labs_dir
from jianlab.labs.source import build_notebooks, read_source, source_path, write_notebook

SECRET_FILE = Path("instructor") / "course_secret"
MANIFEST = Path(".jianlab") / "course.json"
# Folders holding students' work and its grading; a rebuild must never delete them.
STUDENT_WORK_DIRS = ("submitted", "autograded", "feedback", "manual")


@dataclass(frozen=True)
class BuildOptions:
    labs_root: Path | None = None
    workers: int = os.cpu_count() or 1
    force: bool = False


def course_secret(spec: CourseSpec, previous_root: Path) -> tuple[str, bool]:
    """(secret, newly created). Env var first, then the secret of the course being rebuilt."""
    env = os.environ.get(spec.secret_env)
    if env:
        return env, False
    old = previous_root / SECRET_FILE
    if old.is_file():
        return old.read_text(encoding="utf-8").strip(), False
    return secrets.token_hex(32), True


def load_lab(course_lab: CourseLab, opts: BuildOptions) -> tuple[Path, LabSpec]:
    lab_dir = (opts.labs_root or labs_dir()) / course_lab.id
    spec = load_lab_spec(lab_dir / "lab.yaml")
    issues = lint_notebook(read_source(source_path(lab_dir)), spec)
    if issues:
        raise SpecError("\n".join(i.render(source_path(lab_dir)) for i in issues))
    if course_lab.data_policy is not None:
        spec = spec.model_copy(update={"data_policy": course_lab.data_policy})
    return lab_dir, spec


def _student_data(
    root: Path, spec: LabSpec, roster: list[Student], secret: str, workers: int
) -> None:
    jobs = [(s, ref) for s in roster for ref in spec.datasets]

    def make(job: tuple[Student, datasets.DatasetRef]) -> None:
        student, ref = job
        seed = datasets.derive_seed(secret, student.id, spec.id, ref.name)
        full = root / "instructor" / spec.id / "reference" / student.id / ref.name
        datasets.generate(ref, seed, full)
        datasets.copy_tables(
            full,
            root / "handout" / student.id / spec.id / "data" / ref.name,
            ref.casefiles,
            ref.release,
        )

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(make, jobs))


def add_lab(
    root: Path, course_lab: CourseLab, roster: list[Student], secret: str, opts: BuildOptions
) -> None:
    spec = write_lab(root, course_lab, opts)
    hand_out(root, spec, roster, secret, opts.workers)


def write_lab(root: Path, course_lab: CourseLab, opts: BuildOptions) -> LabSpec:
    """Source, instructor copy, shared data, then nbgrader's release and gradebook cells.

    Safe on a lab that already has submissions: nbgrader updates the cells in the gradebook
    and leaves submissions and their grades alone."""
    lab_dir, spec = load_lab(course_lab, opts)
    notebooks = build_notebooks(source_path(lab_dir))
    write_notebook(notebooks.source, root / "source" / spec.id / f"{spec.id}.ipynb")
    write_notebook(notebooks.instructor, root / "instructor" / spec.id / f"{spec.id}.ipynb")
    if spec.data_policy is DataPolicy.shared:
        for ref in spec.datasets:
            path = datasets.resolve_shared(ref)
            dest = root / "source" / spec.id / "data" / ref.name
            datasets.copy_tables(path, dest, ref.casefiles, ref.release)
            shared = root / "instructor" / spec.id / "reference" / "_shared" / ref.name
            datasets.link_reference(path, shared)
    courseroot.generate_assignment(root, spec.id, due=course_lab.due)
    return spec


def hand_out(root: Path, spec: LabSpec, roster: list[Student], secret: str, workers: int) -> None:
    """Per-student data and a copy of the released notebooks for each student in `roster`."""
    if spec.data_policy is not DataPolicy.per_student or not roster:
        return
    _student_data(root, spec, roster, secret, workers)
    for student in roster:
        dest = root / "handout" / student.id / spec.id
        for nb in (root / "release" / spec.id).glob("*.ipynb"):
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(nb, dest / nb.name)


def write_manifest(root: Path, spec: CourseSpec) -> None:
    path = root / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec.model_dump_json(indent=1), encoding="utf-8")


def _swap_into_place(tmp: Path, out: Path, spec: CourseSpec) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old)
    else:
        tmp.rename(out)
    (out / courseroot.CONFIG_NAME).write_text(
        courseroot.config_text(out, spec.id), encoding="utf-8"
    )


def build_course(
    spec: CourseSpec,
    out: Path,
    opts: BuildOptions,
    on_step: Callable[[str], None] | None = None,
) -> Path:
    out = out.resolve()
    if is_course_root(out) and not opts.force:
        raise SpecError(f"{out}: 已是课程目录；增加学生或实验请用 jianlab.course.update")
    if is_course_root(out):
        work = student_work(out)
        if work:
            raise SpecError(
                f"{out}: 课程中已有学生提交或成绩（{'、'.join(work)}），拒绝 --force 重建。"
                "要增加学生或实验，去掉 --force 重新运行即可（只增加，不删除）；"
                "确实要从头开始，先用 jianlab course archive 归档本课程。"
            )
    elif out.exists() and any(out.iterdir()) and not opts.force:
        raise SpecError(f"{out}: 目录已存在且非空，但不是 jianlab 课程；请换一个输出目录")
    secret, _ = course_secret(spec, out)
    tmp = out.with_name(f".{out.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        courseroot.init_root(tmp, spec.id)
        courseroot.add_students(tmp, spec.roster)
        for course_lab in spec.labs:
            if on_step is not None:
                on_step(f"构建实验 {course_lab.id}")
            add_lab(tmp, course_lab, spec.roster, secret, opts)
        secret_path = tmp / SECRET_FILE
        secret_path.parent.mkdir(parents=True, exist_ok=True)
        secret_path.write_text(secret + "\n", encoding="utf-8")
        secret_path.chmod(0o600)
        (tmp / "instructor").chmod(0o700)
        write_manifest(tmp, spec)
        _swap_into_place(tmp, out, spec)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def is_course_root(root: Path) -> bool:
    return (root / MANIFEST).is_file()


def student_work(root: Path) -> list[str]:
    """What a rebuild would destroy: student folders and the gradebook's submissions."""
    found = [
        f"{name}/ 下 {n} 个学生目录"
        for name in STUDENT_WORK_DIRS
        if (n := _count_dirs(root / name))
    ]
    if (root / "gradebook.db").is_file():
        with Gradebook(courseroot.db_url(root)) as gb:
            n = gb.db.query(SubmittedAssignment).count()
        if n:
            found.append(f"成绩库中 {n} 份提交记录")
    return found


def _count_dirs(path: Path) -> int:
    return sum(1 for p in path.iterdir() if p.is_dir()) if path.is_dir() else 0


def read_manifest(root: Path) -> CourseSpec:
    path = root / MANIFEST
    if not path.is_file():
        raise SpecError(f"{root}: 不是 jianlab 构建的课程目录（缺少 .jianlab/course.json）")
    return CourseSpec.model_validate(json.loads(path.read_text(encoding="utf-8")))
