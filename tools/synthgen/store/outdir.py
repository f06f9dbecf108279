"""Which output folders a build may replace.

A build writes into a staging folder and then swaps it in for OUT. ``--force`` allows the swap
over an existing folder, and that deletes the folder's content — so it is only allowed where the
content is a previous dataset (its ``manifest.json`` is a jianlab content-hash manifest) or
there is none. Anything else (a folder of notes, a regular file, the working directory or one
of its ancestors, the repository) is refused before any work starts, with nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

from synthgen.errors import SynthgenError
from synthgen.store.manifest import MANIFEST

REPO_ROOT = Path(__file__).resolve().parents[2]


class OutputDirError(SynthgenError):
    """OUT cannot be (re)placed; the message is Chinese and names the folder."""


def is_dataset_dir(path: Path) -> bool:
    """True when ``path`` holds a jianlab dataset: a manifest with a content hash and a file
    list, as ``synthgen.store.manifest.write_manifest`` writes it."""
    manifest = path / MANIFEST
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and "content_hash" in data and isinstance(data.get("files"), dict)


def _protected(out: Path) -> Path | None:
    """The working directory or repository that OUT contains or equals, if any."""
    target = out.resolve()
    for guarded in (Path.cwd().resolve(), REPO_ROOT):
        if guarded == target or target in guarded.parents:
            return guarded
    return None


def check_output_dir(out: Path, force: bool) -> None:
    """Raise OutputDirError unless OUT may receive a new dataset (see the module docstring)."""
    guarded = _protected(out)
    if guarded is not None:
        raise OutputDirError(
            f"--out {out} 是当前目录、仓库目录或它们的上级目录（{guarded}），不能作为输出目录；"
            "请指定一个新的子目录"
        )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputDirError(
            f"--out {out} 已存在且不是目录；请换一个目录名（--force 也不会覆盖文件）"
        )
    try:
        if not out.exists() or not any(out.iterdir()):
            return
    except OSError as exc:
        raise OutputDirError(f"无法读取输出目录 {out}：{exc.strerror or exc}") from exc
    if not force:
        raise OutputDirError(f"输出目录 {out} 已存在且非空；换一个目录或加 --force 覆盖")
    if not is_dataset_dir(out):
        raise OutputDirError(
            f"输出目录 {out} 不是 jianlab 数据集目录（没有有效的 {MANIFEST}）且非空；"
            "--force 只覆盖数据集目录或空目录，未做任何改动"
        )


def missing_parents(out: Path) -> list[Path]:
    """The ancestors of OUT that do not exist yet, deepest first: a failed build removes them
    again, so that nothing it created stays behind."""
    missing = []
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    return missing


def remove_empty(folders: list[Path]) -> None:
    """Remove the folders (deepest first) that are still empty; keep anything else."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return
