"""The grading benchmarks' course: lab01 with the shared teaching dataset (not a test module)."""

from __future__ import annotations

from pathlib import Path

from jianlab.course.simulate import submit
from jianlab.grading import courseroot
from jianlab.labs import datasets
from jianlab.labs.models import load_lab_spec
from jianlab.labs.paths import labs_dir
from jianlab.labs.source import build_notebooks, write_notebook
from support.repo_datasets import ensure_built

LAB = "lab01-bubu-busu"
MODES = ("complete", "partial", "blank")


def bench_course(root: Path, n: int) -> Path:
    """A course root with `n` simulated submissions b000… (complete, partial, blank in turn)."""
    lab_dir = labs_dir() / LAB
    spec = load_lab_spec(lab_dir / "lab.yaml")
    courseroot.init_root(root, "bench")
    ensure_built(ref.name for ref in spec.datasets)
    nbs = build_notebooks(lab_dir / f"{LAB}.py")
    write_notebook(nbs.source, root / "source" / LAB / f"{LAB}.ipynb")
    write_notebook(nbs.instructor, root / "instructor" / LAB / f"{LAB}.ipynb")
    for ref in spec.datasets:
        path = datasets.resolve_shared(ref)
        datasets.copy_tables(path, root / "source" / LAB / "data" / ref.name)
        datasets.link_reference(
            path, root / "instructor" / LAB / "reference" / "_shared" / ref.name
        )
    courseroot.generate_assignment(root, LAB)
    for i in range(n):
        submit(root, LAB, f"b{i:03d}", MODES[i % 3])
    return root
