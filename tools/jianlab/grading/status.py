"""Per-submission grading status: the resume ledger of `jianlab grade autograde`.

A status file is written (atomically) only after a submission is fully graded, and it records the
hash of the submission it graded; a rerun skips exactly the submissions whose status matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class SubmissionStatus:
    student: str
    lab: str
    submission_sha256: str
    completed: bool = False
    seconds: float = 0.0
    # Process-tree CPU seconds spent on this submission (grader, trusted verdicts, kernel), and
    # the sandboxed kernel's share of it: comparable across runs on a shared machine, where
    # wall time depends on everyone else's load (docs/performance.md).
    cpu_s: float = 0.0
    kernel_cpu_s: float = 0.0
    flags: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    error_cells: list[int] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> SubmissionStatus | None:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None


def status_path(root: Path, lab: str, student: str) -> Path:
    return root / ".jianlab" / "autograde" / lab / f"{student}.json"


def hash_directory(path: Path) -> str:
    """Content hash of a submission folder (names and bytes), stable across runs."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
