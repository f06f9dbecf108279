"""Content hashes of every file of a dataset, and their re-check.

The manifest holds no time stamp and no worker count, so two builds with the same seed, scale
and lockfile produce byte-identical manifests — the determinism promise is checkable.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
_SKIP_DIRS = {"_report"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.as_posix() == MANIFEST or rel.parts[0] in _SKIP_DIRS:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        files.append(path)
    return files


def file_hashes(root: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(root).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in dataset_files(root)
    }


def content_hash(files: dict[str, dict[str, Any]]) -> str:
    lines = "".join(f"{name}\t{meta['sha256']}\n" for name, meta in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def write_manifest(root: Path, header: dict[str, Any]) -> dict[str, Any]:
    files = file_hashes(root)
    manifest = {**header, "content_hash": content_hash(files), "files": files}
    (root / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    return manifest


def check_manifest(root: Path) -> list[str]:
    """Problems found (Chinese), empty when every listed file is present and unchanged."""
    path = root / MANIFEST
    if not path.exists():
        return [f"缺少清单文件 {path}"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"清单文件 {path} 不是合法 JSON：{exc}"]
    problems = []
    listed: dict[str, dict[str, Any]] = manifest.get("files", {})
    actual = file_hashes(root)
    for name, meta in sorted(listed.items()):
        if name not in actual:
            problems.append(f"文件缺失：{name}")
        elif actual[name]["sha256"] != meta["sha256"]:
            problems.append(f"内容哈希不符（文件被修改）：{name}")
    for name in sorted(set(actual) - set(listed)):
        problems.append(f"清单外的多余文件：{name}")
    if not problems and content_hash(listed) != manifest.get("content_hash"):
        problems.append("清单的 content_hash 与文件哈希不一致")
    return problems
