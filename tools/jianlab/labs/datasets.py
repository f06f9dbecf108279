"""Resolve the datasets a lab names, and place them where notebooks and graders read them.

Notebooks read `data/<name>/` next to themselves (tables only); graders read the full copy,
including `_truth/`, through `instructor/<lab>/reference/<student or _shared>/<name>`.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from jianlab.labs.models import DatasetRef
from jianlab.labs.paths import datasets_build_dir

TRUTH = "_truth"


class DatasetError(RuntimeError):
    """A dataset is missing or could not be generated; the message says how to fix it."""


def has_tables(path: Path) -> bool:
    return path.is_dir() and any(
        p.suffix == ".parquet" or (p.is_dir() and p.name != TRUTH) for p in path.iterdir()
    )


def resolve_shared(ref: DatasetRef) -> Path:
    path = datasets_build_dir() / ref.name
    if not has_tables(path):
        raise DatasetError(
            f"数据集 “{ref.name}” 未找到：{path} 中没有数据表。"
            f"请先运行 `jianlab data build {ref.name} --out {path}`"
        )
    return path


def derive_seed(*parts: str) -> int:
    """Stable 31-bit seed from text parts (course secret, student id, lab id, dataset name)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def generate(ref: DatasetRef, seed: int, out: Path) -> Path:
    """Build one per-student copy with the project's generator CLI (the contract in cli.md)."""
    if has_tables(out):
        return out
    cmd = [str(Path(sys.executable).parent / "jianlab"), "data", "build", ref.build_name]
    cmd += ["--seed", str(seed), "--out", str(out)]
    if ref.scale is not None:
        cmd += ["--scale", str(ref.scale)]
    if ref.years is not None:
        cmd += ["--years", ref.years]
    if ref.provinces is not None:
        cmd += ["--provinces", ref.provinces]
    if not ref.casefiles:
        cmd += ["--casefiles", "0"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not has_tables(out):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise DatasetError(f"生成数据集 “{ref.name}” 失败（{' '.join(cmd)}）：{' / '.join(tail)}")
    return out


def copy_tables(
    dataset: Path, dest: Path, casefiles: bool = True, release: str | None = None
) -> None:
    """Student-visible copy: every table, never `_truth/`, metadata without instructor parts;
    the case files only when the lab reads them. With ``release`` (a policy name) the copy is
    that policy's desensitized release of the dataset instead (`jianlab.labs.release`)."""
    from synthgen import student_copy

    if release is None:
        student_copy(dataset, dest, documents=casefiles)
        return
    from jianlab.labs.release import released_copy

    try:
        released_copy(dataset, dest, release, documents=casefiles)
    except ValueError as exc:
        raise DatasetError(str(exc)) from exc


def link_reference(dataset: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_symlink() or dest.exists():
        dest.unlink() if dest.is_symlink() else shutil.rmtree(dest)
    dest.symlink_to(dataset.resolve(), target_is_directory=True)
