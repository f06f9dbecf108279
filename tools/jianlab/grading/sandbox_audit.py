"""Record what a kernel tried to do beyond its sandbox, so the grader can flag it.

bubblewrap is what stops a hostile submission; this audit hook only notices the attempt (an open
of a path outside the kernel's view, a write into a read-only mount, a namespace call through
ctypes, a burst of process creation) and appends one JSON line per kind to a log that the grader
reads after the sandbox has ended. Code running in the kernel can silence it, so a clean log
proves nothing; a non-empty one is worth an instructor's look (docs/grading-sandbox.md).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

NAMESPACE_CALLS = frozenset({"setns", "unshare", "mount", "umount2", "pivot_root", "chroot"})
NAMESPACE_CALLS |= frozenset({"ptrace", "process_vm_readv", "process_vm_writev"})
SPAWN_EVENTS = frozenset({"os.fork", "os.forkpty", "subprocess.Popen", "os.posix_spawn"})
SPAWN_EVENTS |= frozenset({"os.system", "os.exec", "os.spawn"})
PATH_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "os.remove", "os.rename"})
PATH_EVENTS |= frozenset({"os.symlink", "os.link", "os.mkdir", "os.rmdir", "os.chmod"})
PATH_EVENTS |= frozenset({"sqlite3.connect"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
SPAWN_LIMIT = 16
MAX_LINES = 40
# Views the kernel legitimately reads. Its /proc shows only the sandbox's own processes, so
# only the namespace links there (the way back to the host, see `setns`) count as an attempt.
READ_ONLY_SYSTEM = ("/usr", "/etc", "/lib", "/lib64", "/bin", "/sys", "/dev", "/proc")
DEVICE_SINKS = ["/tmp", "/dev/null", "/dev/shm", "/dev/tty"]
NS_LINK = re.compile(r"^/proc/[^/]+/(?:task/\d+/)?ns(?:/|$)")


def _under(path: str, roots: Iterable[str]) -> bool:
    """Below one of `roots`; a root ending in "-" is a plain name prefix (scratch folders)."""
    return any(
        path == r or path.startswith(r if r.endswith("-") else r.rstrip("/") + "/") for r in roots
    )


def _is_write(args: tuple[Any, ...], event: str) -> bool:
    if event != "open":
        return event in PATH_EVENTS - {"os.listdir", "os.scandir"}
    mode, flags = (args[1], args[2]) if len(args) >= 3 else (None, 0)
    if isinstance(mode, str):
        return any(ch in mode for ch in "wax+")
    return bool(isinstance(flags, int) and flags & WRITE_FLAGS)


@dataclass(frozen=True)
class Roots:
    """Where the kernel may write (`own`, `scratch`) and read (`python`, the system), and the
    host locations it must never reach even where a path looks allowed (the course root may
    sit under /tmp, the repository around the mounted tools/)."""

    own: list[str]
    scratch: list[str]
    python: list[str]
    forbidden: list[str]

    def verdict(self, path: str, write: bool) -> str | None:
        if _under(path, self.own):
            return None
        if write and _under(path, self.python):  # read-only everywhere, even under /tmp
            return "write"
        if _under(path, self.forbidden) and not _under(path, self.python):
            return "write" if write else "read"
        if write:
            return None if _under(path, self.scratch) else "write"
        readable = [*self.scratch, *self.python, *READ_ONLY_SYSTEM]
        return None if _under(path, readable) else "read"


class Auditor:
    """Classify audit events against the kernel's roots; report each kind of attempt once."""

    def __init__(self, roots: Roots, sink: Callable[[dict], None]):
        self.roots = roots
        self.sink = sink
        self.seen: set[tuple[str, str]] = set()
        self.spawns = 0

    def _report(self, kind: str, detail: str) -> None:
        key = (kind, detail if kind != "spawn" else "")
        if key in self.seen or len(self.seen) >= MAX_LINES:
            return
        self.seen.add(key)
        self.sink({"kind": kind, "detail": detail})

    def _path(self, event: str, args: tuple[Any, ...]) -> None:
        raw = args[0] if args else None
        if isinstance(raw, bytes):
            raw = os.fsdecode(raw)
        if not isinstance(raw, str):
            return
        path = os.path.abspath(raw)
        write = _is_write(args, event)
        kind = "namespace" if NS_LINK.match(path) else self.roots.verdict(path, write)
        if kind is not None:
            self._report(kind, path)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event in PATH_EVENTS:
            self._path(event, args)
        elif event == "ctypes.dlsym" and len(args) > 1 and args[1] in NAMESPACE_CALLS:
            self._report("namespace", str(args[1]))
        elif event in SPAWN_EVENTS:
            self.spawns += 1
            if self.spawns > SPAWN_LIMIT:
                self._report("spawn", str(self.spawns))


def install(log_path: str, roots: Roots) -> None:
    """Open the log before any student code runs, then hook every later audit event."""
    stream: IO[str] = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 (lives with the kernel)

    def sink(entry: dict) -> None:
        stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        stream.flush()

    sys.addaudithook(Auditor(roots, sink))


def read_log(path: str, limit_bytes: int = 64_000) -> list[dict]:
    """The grader's side: entries the kernel logged (bounded; malformed lines are skipped)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(limit_bytes)
    except OSError:
        return []
    entries: list[dict] = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("kind"), str):
            entries.append({"kind": entry["kind"], "detail": str(entry.get("detail", ""))[:200]})
    return entries[:MAX_LINES]
