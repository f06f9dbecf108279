"""`jianlab course archive`: the one deliberate way to retire a course root.

A dated tar.gz of the whole root (gradebook, submissions, feedback, exports, the course secret)
is written beside it and read back completely before anything is removed, so a full disk or a
killed process leaves the course untouched. Only then, and only when asked, the root is removed
so that a fresh `course build` can start over.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from jianlab.course.build import is_course_root
from jianlab.labs.models import SpecError


@dataclass(frozen=True)
class ArchiveResult:
    archive: Path
    files: int
    removed: bool


def archive_name(root: Path, now: dt.datetime) -> Path:
    return root.parent / f"{root.name}-归档-{now:%Y%m%d-%H%M%S}.tar.gz"


def _count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file() or p.is_symlink())


def _verify(archive: Path, expected: int) -> None:
    """Read every member back (a truncated archive fails here, before anything is removed)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = 0
        for member in tar:
            if member.isfile():
                extracted = tar.extractfile(member)
                if extracted is not None:
                    while extracted.read(1 << 20):
                        pass
            if member.isfile() or member.issym():
                members += 1
    if members != expected:
        raise SpecError(f"{archive}: 归档校验失败（应有 {expected} 个文件，读到 {members} 个）")


def archive_course(root: Path, remove: bool, now: dt.datetime | None = None) -> ArchiveResult:
    root = root.resolve()
    if not is_course_root(root):
        raise SpecError(f"{root}: 不是 jianlab 课程目录（缺少 .jianlab/course.json）")
    out = archive_name(root, now or dt.datetime.now().astimezone())
    if out.exists():
        raise SpecError(f"{out}: 归档文件已存在")
    files = _count_files(root)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            tar.add(root, arcname=root.name)
        _verify(tmp, files)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    out.chmod(0o600)  # it holds the course secret and every student's work
    if remove:
        shutil.rmtree(root)
    return ArchiveResult(out, files, remove)
