"""Detect real tampering with locked cells, independently of nbgrader's checksum warning.

nbgrader compares a submitted test cell with the checksum stored in the gradebook, which was
computed before hidden tests were removed, so every test cell with hidden tests "has changed"
(#1961). The release notebook carries checksums computed after that removal; comparing the
submission with the release therefore flags only cells the student actually edited or deleted.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.utils import compute_checksum, is_grade, is_locked, is_solution

FALSE_CHECKSUM = re.compile(r"Attribute 'checksum' for cell \S+ has changed")


def _by_grade_id(nb: NotebookNode) -> dict[str, NotebookNode]:
    out: dict[str, NotebookNode] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id"):
            out[str(meta["grade_id"])] = cell
    return out


def _protected(cell: NotebookNode) -> bool:
    return (is_locked(cell) or is_grade(cell)) and not is_solution(cell)


def tampered_cells(release: NotebookNode, submitted: NotebookNode) -> list[str]:
    """Chinese descriptions of locked cells that were deleted or edited."""
    problems: list[str] = []
    sub_cells = _by_grade_id(submitted)
    for gid, ref in _by_grade_id(release).items():
        if not _protected(ref):
            continue
        cell = sub_cells.get(gid)
        if cell is None:
            problems.append(f"删除了锁定单元 {gid}")
            continue
        expected = ref.metadata["nbgrader"].get("checksum")
        try:
            actual = compute_checksum(cell)
        except (KeyError, AttributeError):
            actual = None
        if expected and actual != expected:
            problems.append(f"修改了锁定单元 {gid}")
    return problems


def check_submission(release_nb: Path, submitted_nb: Path) -> list[str]:
    if not submitted_nb.is_file():
        return [f"缺少提交的笔记本 {submitted_nb.name}"]
    try:
        submitted = nbformat.read(submitted_nb, as_version=4)
    except Exception as exc:  # any parse failure means the file is not a usable notebook
        return [f"笔记本无法读取：{type(exc).__name__}"]
    release = nbformat.read(release_nb, as_version=4)
    return tampered_cells(release, submitted)


def is_false_checksum_warning(message: str) -> bool:
    return FALSE_CHECKSUM.search(message) is not None


def foreign_data(submission: Path, reference: Path) -> list[str]:
    """Datasets in the submission that differ from the grader's copy for this student.

    Per-student data makes this the signature of a copied submission (or of edited data).
    """
    problems: list[str] = []
    data = submission / "data"
    if not data.is_dir() or not reference.is_dir():
        return problems
    for ref in sorted(p for p in reference.iterdir() if p.is_dir()):
        mine = data / ref.name
        if not mine.is_dir():
            continue
        for table in sorted(ref.glob("*.parquet")):
            copy = mine / table.name
            if copy.is_file() and copy.read_bytes() != table.read_bytes():
                problems.append(
                    f"提交的数据 {ref.name}/{table.name} 与该生的数据不符（疑似抄袭或改动数据）"
                )
                break
    return problems
