"""Per-student files through nbgrader's exchange: each student fetches the lab plus their own data.

nbgrader's exchange hands every student the same `outbound/<lab>` folder (its issue #1153 asks
for per-student files). jianlab's course config swaps in `PersonalFetchAssignment`, which after
nbgrader's own copy adds `personal/<student>/<lab>/` from the same exchange: the data generated
for that student at build time. When jianlab runs as root (the hub), `stage_personal` makes each
student's folder readable by that student's account only and writable by nobody else; otherwise
(one account simulating many students, as in tests) it is readable by the course account only.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
from pathlib import Path

from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment
from nbgrader.utils import get_username

PERSONAL = "personal"


def personal_root(exchange_root: Path, course_id: str) -> Path:
    return exchange_root / course_id / PERSONAL


def _owner(student: str) -> tuple[int, int] | None:
    """(root, the student's group) when we may hand the folder to the student's account."""
    if os.geteuid() != 0:
        return None
    try:
        gid = pwd.getpwnam(student).pw_gid
    except KeyError:
        return None
    grp.getgrgid(gid)
    return 0, gid


def _lock_down(path: Path, owner: tuple[int, int] | None) -> None:
    """Read-only for the student (group), nothing for anybody else."""
    for item in [path, *path.rglob("*")]:
        if owner is not None:
            os.chown(item, *owner, follow_symlinks=False)
        if item.is_dir():
            item.chmod(0o750 if owner else 0o700)
        elif not item.is_symlink():
            item.chmod(0o640 if owner else 0o600)


def stage_personal(course_root: Path, exchange_root: Path, course_id: str, lab: str) -> list[str]:
    """Copy `handout/<student>/<lab>/data` into the exchange; returns the students staged."""
    staged: list[str] = []
    base = personal_root(exchange_root, course_id)
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o711)  # students may enter their own folder but not list the others
    for handout in sorted((course_root / "handout").glob(f"*/{lab}")):
        student = handout.parent.name
        dest = base / student / lab
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for item in handout.iterdir():
            if item.is_dir():
                shutil.copytree(item, dest / item.name)
        owner = _owner(student)
        _lock_down(base / student, owner)
        staged.append(student)
    return staged


class PersonalFetchAssignment(ExchangeFetchAssignment):
    """nbgrader's fetch, then the student's own files (data) on top of the shared release."""

    def _student(self) -> str:
        sid = str(self.coursedir.student_id)
        return sid if sid and sid != "*" else str(get_username())

    def copy_files(self) -> None:
        super().copy_files()
        personal = Path(self.root) / self.coursedir.course_id / PERSONAL / self._student()
        src = personal / self.coursedir.assignment_id
        if not src.is_dir():
            return
        dest = Path(self.dest_path)
        for item in src.iterdir():
            target = dest / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True)
            else:
                shutil.copy2(item, target)
        for item in [p for p in dest.rglob("*") if not p.is_symlink()]:
            item.chmod(0o755 if item.is_dir() else 0o644)  # the student's copy is theirs to use
        self.log.info("已加入本人数据：%s", src)
