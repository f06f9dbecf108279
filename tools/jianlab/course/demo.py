"""The demo behind `make demo`: build courses/demo, three simulated students, grade, report.

Usage: python -m jianlab.course.demo [OUT_DIR]   (default: build/demo-course in the repo)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jianlab.course.build import BuildOptions, build_course, is_course_root, read_manifest
from jianlab.course.simulate import submit
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.export import wide_table, write_export
from jianlab.grading.feedback import generate_feedback
from jianlab.labs.models import load_course_spec
from jianlab.labs.paths import courses_dir, repo_root

MODES = {"s01": "complete", "s02": "partial", "s03": "blank"}
MODE_LABELS = {"complete": "完整作答", "partial": "部分作答", "blank": "空白"}


def run_demo(out: Path, console: Console) -> Path:
    spec = load_course_spec(courses_dir() / "demo" / "course.yaml")
    if is_course_root(out.resolve()) and read_manifest(out.resolve()).id == spec.id:
        shutil.rmtree(out)  # the demo's own throwaway course (simulated students) starts afresh
    with console.status("构建演示课程（含每位学生的数据）…"):
        root = build_course(spec, out, BuildOptions())
    lab = spec.labs[0].id
    for student, mode in MODES.items():
        submit(root, lab, student, mode)
    with console.status("并行自动评分…"):
        statuses = autograde_lab(root, lab, AutogradeOptions())
    with console.status("生成反馈、导出成绩…"):
        pages, problems = generate_feedback(root, lab)
        csv = write_export(
            wide_table(root, spec),
            root / "exports" / "grades.csv",
            "csv",
        )
    names = {s.id: s.last_name + s.first_name for s in spec.roster}
    table = Table(title=f"{spec.title}：{lab} 自动评分结果")
    for col in ("学号", "姓名", "模拟方式", "自动评分得分", "标记"):
        table.add_column(col)
    for s in statuses:
        flags = "；".join(s.flags) or "—"
        table.add_row(
            s.student,
            names.get(s.student, ""),
            MODE_LABELS[MODES[s.student]],
            f"{sum(s.scores.values()):g}",
            flags,
        )
    console.print(table)
    for problem in problems:
        console.print(f"[red]反馈问题：{problem}[/red]")
    console.print(f"反馈 {len(pages)} 份：{root / 'feedback'}")
    console.print(f"成绩表：{csv}")
    console.print("第 6 题（论述）需要人工评分：在课程目录启动 JupyterLab，打开 Formgrader。")
    console.print(
        f"  cd {root} && {Path(sys.executable).parent / 'jupyter'} lab   （或 make lab-instructor）"
    )
    return root


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else repo_root() / "build" / "demo-course"
    run_demo(out, Console())


if __name__ == "__main__":
    main()
