"""The grader's reference data, as a private read-only copy that is hash-checked around each use.

A course's reference folder may be a symlink into the repository's dataset (shared data policy).
The hidden tests of each submission read it (with its `_truth/`) in the grader's interpreter; no
student sandbox ever mounts it. Each reference folder is copied once per grading run (symlinks
followed, so the copy is self-contained), made read-only, and hashed, so what the hidden tests
trust is fixed for the whole run whatever else happens on the machine. After every
submission both the copy and the original are hashed again, like `jianlab data verify` checks
a dataset against its manifest: any difference is reported and the copy is rebuilt.
See docs/grading-sandbox.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

Manifest = dict[str, str]
CHANGED_FLAG = "参考数据在评分期间被改动（{what}）：该提交的结果不可信，已重建副本"


def hash_tree(path: Path) -> Manifest:
    """sha256 of every regular file under `path`, by relative path (symlinks followed: a
    shared reference is a symlink into the repository's dataset)."""
    manifest: Manifest = {}
    files = (Path(d) / name for d, _, names in os.walk(path, followlinks=True) for name in names)
    for file in sorted(f for f in files if f.is_file()):
        digest = hashlib.sha256()
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        manifest[str(file.relative_to(path))] = digest.hexdigest()
    return manifest


def _read_only(path: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(path):
        for name in filenames:
            (Path(dirpath) / name).chmod(0o444)
        for name in dirnames:
            (Path(dirpath) / name).chmod(0o555)
    path.chmod(0o555)


def _writable(path: Path) -> None:
    for dirpath, dirnames, _ in os.walk(path):
        for name in dirnames:
            (Path(dirpath) / name).chmod(stat.S_IRWXU)
    path.chmod(stat.S_IRWXU)


class ReferenceCopies:
    """Read-only copies of a lab's reference folders, one per source folder, for one run."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="jianlab-reference-"))
        self.base.chmod(0o755)
        self.copies: dict[Path, tuple[Path, Manifest]] = {}
        self.made = 0
        self.lock = threading.Lock()

    def get(self, source: Path | None) -> Path | None:
        """The copy of `source` (made on first use); a missing source stays missing."""
        if source is None or not source.is_dir():
            return source
        with self.lock:
            return self._get(source)

    def _get(self, source: Path) -> Path:
        if source not in self.copies:
            # Keep the folder's own name (the worker compares it with the student id).
            dest = self.base / f"{self.made:04d}" / source.name
            self.made += 1
            dest.parent.mkdir(mode=0o755)
            shutil.copytree(source, dest, symlinks=False)
            _read_only(dest)
            self.copies[source] = (dest, hash_tree(source))
        return self.copies[source][0]

    def verify(self, source: Path | None) -> list[str]:
        """Hash the copy and the original again; rebuild the copy if either changed."""
        with self.lock:
            if source is None or source not in self.copies:
                return []
            return self._verify(source)

    def _verify(self, source: Path) -> list[str]:
        """A changed copy is dropped (the next submission gets a fresh one); it stays on disk
        until `close`, since another worker's kernel may still have it mounted."""
        dest, manifest = self.copies[source]
        problems = [
            CHANGED_FLAG.format(what=what)
            for what, path in (("评分用副本", dest), ("原始参考数据", source))
            if hash_tree(path) != manifest
        ]
        if problems:
            del self.copies[source]
        return problems

    def close(self) -> None:
        for dest in self.base.glob("*/*"):
            _writable(dest)
        shutil.rmtree(self.base, ignore_errors=True)
