"""Which folders `data build --out DIR [--force]` may replace: only a previous jianlab dataset
or an empty folder; anything else is refused in Chinese with nothing changed or left behind."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianlab.cli import app
from synthgen.store.outdir import OutputDirError, check_output_dir, is_dataset_dir

runner = CliRunner()
BUILD = ["data", "build", "criminal", "--seed", "3", "--scale", "0.001"]
BUILD += ["--years", "2021", "--provinces", "33"]


def _notes(root: Path) -> Path:
    out = root / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("我的笔记", encoding="utf-8")
    return out


def _file(root: Path) -> Path:
    out = root / "afile"
    out.write_text("不是目录", encoding="utf-8")
    return out


def _fake_manifest(root: Path) -> Path:
    out = root / "fake"
    out.mkdir()
    (out / "manifest.json").write_text('{"note": "not a dataset"}', encoding="utf-8")
    return out


def _symlink(root: Path) -> Path:
    target = root / "real"
    target.mkdir()
    (root / "link").symlink_to(target)
    return root / "link"


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(
    ("make", "force", "message"),
    [
        (_notes, True, "不是 jianlab 数据集目录"),
        (_notes, False, "已存在且非空"),
        (_file, True, "已存在且不是目录"),
        (_file, False, "已存在且不是目录"),
        (_fake_manifest, True, "不是 jianlab 数据集目录"),
        (_symlink, True, "已存在且不是目录"),
    ],
)
def test_refused_out_changes_nothing(
    tmp_path: Path, make: Callable[[Path], Path], force: bool, message: str
) -> None:
    out = make(tmp_path)
    before = _snapshot(tmp_path)
    args = [*BUILD, "--out", str(out), *(["--force"] if force else [])]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert re.sub(r"\s+", "", message) in re.sub(r"\s+", "", result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _snapshot(tmp_path) == before  # no .afile.old-*, no staging folder


@pytest.mark.parametrize("out", [".", "..", "/", "./"])
def test_cwd_and_its_ancestors_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(work)
    result = runner.invoke(app, [*BUILD, "--out", out, "--force"])
    assert result.exit_code == 2, result.output
    assert "不能作为输出目录" in re.sub(r"\s+", "", result.output)
    assert sorted(os.listdir(work)) == ["keep.txt"]
    assert sorted(os.listdir(tmp_path)) == ["work"]


def test_repository_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from synthgen.store.outdir import REPO_ROOT

    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputDirError, match="不能作为输出目录"):
        check_output_dir(REPO_ROOT, force=True)
    with pytest.raises(OutputDirError, match="不能作为输出目录"):
        check_output_dir(REPO_ROOT.parent, force=True)


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ({"content_hash": "ab", "files": {}}, True),
        ({"content_hash": "ab"}, False),
        ({"files": {}}, False),
        (["content_hash", "files"], False),
    ],
)
def test_is_dataset_dir(tmp_path: Path, manifest: object, expected: bool) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert is_dataset_dir(tmp_path) is expected


def test_manifest_that_is_not_json_is_not_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(b"\xff\xfe not json")
    assert not is_dataset_dir(tmp_path)


@pytest.mark.parametrize("exists", [False, True])
def test_new_or_empty_folder_is_accepted(tmp_path: Path, exists: bool) -> None:
    out = tmp_path / "new"
    if exists:
        out.mkdir()
    check_output_dir(out, force=False)
    check_output_dir(out, force=True)


@pytest.mark.integration
def test_force_replaces_a_dataset(tmp_path: Path) -> None:
    out = tmp_path / "data"
    assert runner.invoke(app, [*BUILD, "--out", str(out)]).exit_code == 0
    (out / "_report").mkdir()
    result = runner.invoke(app, [*BUILD[:4], "4", *BUILD[5:], "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 4
    assert not (out / "_report").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_failed_build_removes_the_folders_it_created(tmp_path: Path) -> None:
    """A build that fails after planning started (scale too small for any suspect) leaves no
    staging folder and none of the parent folders it had to create."""
    out = tmp_path / "new" / "deep" / "out"
    args = ["data", "build", "criminal", "--seed", "1", "--scale", "1e-7", "--years", "2021"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "生成的嫌疑人数为 0" in result.output
    assert list(tmp_path.iterdir()) == []
