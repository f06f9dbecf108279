"""Grader side of the export contract: read a submission's answer files as plain data.

Everything in the answers folder was written by the student's kernel and is hostile until
proven otherwise. A value is read only if it is a regular file (no symlink, no device) under a
size cap, in the one format its kind allows, with no code executed on load: JSON, Parquet via
pyarrow, `.npy` with `allow_pickle=False`. Any failure raises `ValueLoadError` with a Chinese
reason, which fails only the question that needed the value.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianlab.grading.answers import SERIES_COLUMN, SUFFIX

if TYPE_CHECKING:  # the hidden-test interpreter imports this module: keep it light
    from jianlab.labs.exports import Plan

MAX_BYTES = 64 * 1024 * 1024
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_EXPANDED_BYTES = 512 * 1024 * 1024


class ValueLoadError(ValueError):
    pass


def _open_dir(name: str | Path, dir_fd: int | None = None) -> int:
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    return os.open(name, flags, dir_fd=dir_fd)


def _open_regular(answers: Path, gid: str, filename: str, limit: int) -> bytes:
    """Read answers/gid/filename, following no symlink on the way, up to `limit` bytes.

    A symlinked folder could point the grader at another student's answers, so every
    component is opened relative to the previous one with O_NOFOLLOW.
    """
    fds: list[int] = []
    try:
        fds.append(_open_dir(answers))
        fds.append(_open_dir(gid, dir_fd=fds[-1]))
        fd = os.open(filename, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fds[-1])
    except FileNotFoundError as exc:
        raise ValueLoadError("未导出（变量未定义或导出失败）") from exc
    except OSError as exc:
        raise ValueLoadError(f"导出文件无法读取（{exc.strerror}，可能是符号链接）") from exc
    finally:
        for opened in fds:
            os.close(opened)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ValueLoadError("导出文件不是普通文件")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueLoadError(f"导出文件超过 {limit // (1024 * 1024)} MB")
    return data


def snapshot(answers: Path, plan: Plan, dest: Path) -> None:
    """Copy exactly the declared files into a grader-private folder (nothing else is read).

    Only names taken from the plan are opened, each under its own question folder, so a crafted
    file name or an extra file in the submission's folder is never touched.
    """
    for gid, question in plan.questions.items():
        out = dest / gid
        out.mkdir(parents=True, exist_ok=True)
        for name, kind in question.exports.items():
            filename = f"{name}{SUFFIX[kind]}"
            try:
                data = _open_regular(answers, gid, filename, MAX_BYTES)
            except ValueLoadError as exc:
                (out / f"{filename}.error").write_text(str(exc), encoding="utf-8")
                continue
            (out / filename).write_bytes(data)


def _json_value(raw: bytes) -> Any:
    if len(raw) > MAX_JSON_BYTES:
        raise ValueLoadError("JSON 导出文件过大")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueLoadError(f"JSON 格式错误：{type(exc).__name__}") from exc
    if not isinstance(doc, dict) or set(doc) != {"value"}:
        raise ValueLoadError("JSON 导出文件结构不对")
    return doc["value"]


def _scalar(raw: bytes) -> Any:
    value = _json_value(raw)
    if isinstance(value, dict) and set(value) == {"float"}:
        text = value["float"]
        if text not in ("nan", "inf", "-inf"):
            raise ValueLoadError("标量的特殊值无效")
        return float(text)
    if not isinstance(value, bool | int | float | str | None):
        raise ValueLoadError(f"应为标量，实际为 {type(value).__name__}")
    return value


def _frame(path: Path) -> Any:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if size > MAX_EXPANDED_BYTES:
            raise ValueLoadError("Parquet 文件解压后过大")
        return pq.read_table(path).to_pandas()
    except ValueLoadError:
        raise
    except Exception as exc:  # pyarrow raises many types for a malformed file
        raise ValueLoadError(f"Parquet 文件无效：{type(exc).__name__}") from exc


def _series(path: Path) -> Any:
    frame = _frame(path)
    if list(frame.columns) != [SERIES_COLUMN]:
        raise ValueLoadError("Series 导出文件的列不对")
    return frame[SERIES_COLUMN].rename(None)


def _array(path: Path) -> Any:
    import numpy as np

    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:  # ValueError for pickled objects, others for corrupt headers
        raise ValueLoadError(f"npy 文件无效或含 pickle：{type(exc).__name__}") from exc


def load_value(folder: Path, name: str, kind: str) -> Any:
    """One declared value out of a snapshot folder made by `snapshot`."""
    path = folder / f"{name}{SUFFIX[kind]}"
    error = path.with_name(path.name + ".error")
    if error.is_file():
        raise ValueLoadError(error.read_text(encoding="utf-8"))
    if kind in ("scalar", "json"):
        raw = path.read_bytes()
        return _scalar(raw) if kind == "scalar" else _json_value(raw)
    if kind == "series":
        return _series(path)
    if kind == "dataframe":
        return _frame(path)
    return _array(path)


def clear(folder: Path) -> None:
    """Remove an answers folder the submission may have shipped (answers come from the run)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.is_dir():
        shutil.rmtree(folder)
