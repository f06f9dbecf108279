"""The offline path for LMS users (学习通, 雨课堂, Canvas, Moodle): zips out, a download back in.

Hand-out: one zip per 学号 (`<学号>-<lab>.zip`, the lab folder with that student's data) to
upload as a personal attachment. Hand-in: the folder or zip an LMS lets the instructor download.
Each notebook is assigned to a 学号 that appears in its path as a whole token (LMSs put the
学号 or a name around the file name: “2024001_王晓明_lab01.ipynb”, “王晓明_2024001/lab01.ipynb”),
or failing that to the one roster name found in its path. A student's zip inside the download is
opened like a folder. Nothing ambiguous is guessed: unmatched and doubly matched files are
reported and left out. The submission time is the file's time in the download (or `--time`).
Only notebooks are taken from a download: the data beside them is the student's own copy from
the course (what they were handed), so a download cannot bring in someone else's data.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from jianlab.course.build import read_manifest
from jianlab.labs.models import SpecError, Student

TOKEN = re.compile(r"[A-Za-z0-9]+")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


@dataclass
class ImportResult:
    imported: dict[str, str] = field(default_factory=dict)  # 学号 → source file
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def handout_zips(root: Path, lab: str, out: Path) -> list[Path]:
    """One zip per roster student: the personal handout if the lab has one, else the release."""
    roster = read_manifest(root).roster
    release = root / "release" / lab
    if not release.is_dir():
        raise SpecError(f"{root}: 没有实验 {lab} 的发布版（release/{lab}）")
    out.mkdir(parents=True, exist_ok=True)
    zips = []
    for student in roster:
        personal = root / "handout" / student.id / lab
        source = personal if personal.is_dir() else release
        target = out / f"{student.id}-{lab}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                zf.write(path, f"{lab}/{path.relative_to(source)}")
        zips.append(target)
    return zips


def match_student(path: str, roster: list[Student]) -> list[str]:
    """学号 appearing as a whole token; else roster names appearing in the path."""
    tokens = set(TOKEN.findall(path))
    by_id = [s.id for s in roster if s.id in tokens]
    if by_id:
        return by_id
    return [
        s.id
        for s in roster
        if len(s.last_name + s.first_name) >= 2 and (s.last_name + s.first_name) in path
    ]


def _notebooks(source: Path, scratch: Path) -> Iterator[tuple[str, Path, dt.datetime]]:
    """(path as named in the download, file, its time) for every notebook, zips opened."""
    if source.is_file() and source.suffix.lower() == ".zip":
        folder = scratch / "download"
        _extract(source.read_bytes(), folder)
    elif source.is_dir():
        folder = source
    else:
        raise SpecError(f"{source}: 需要一个文件夹或 .zip 文件")
    for index, path in enumerate(sorted(folder.rglob("*"))):
        rel = str(path.relative_to(folder))
        if path.suffix.lower() == ".ipynb" and ".ipynb_checkpoints" not in rel:
            yield rel, path, dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        elif path.suffix.lower() == ".zip":
            inner = scratch / f"zip{index}"
            _extract(path.read_bytes(), inner)
            for sub in sorted(inner.rglob("*.ipynb")):
                stamp = dt.datetime.fromtimestamp(sub.stat().st_mtime, dt.UTC)
                yield f"{rel}/{sub.relative_to(inner)}", sub, stamp


def _extract(data: bytes, dest: Path) -> None:
    """Extract with the stored times and without escaping `dest` (names like ../x are refused)."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = _zip_name(info)
            target = (dest / name).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise SpecError(f"压缩包中的路径越界：{name}")
            if info.is_dir():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            stamp = dt.datetime(*info.date_time).timestamp()
            os.utime(target, (stamp, stamp))


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Names from Windows zip tools are often GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _place(root: Path, lab: str, student: str, notebook: Path, stamp: dt.datetime) -> None:
    dest = root / "submitted" / student / lab
    if dest.exists():
        shutil.rmtree(dest)
    personal = root / "handout" / student / lab
    base = personal if personal.is_dir() else root / "release" / lab
    shutil.copytree(base, dest, ignore=shutil.ignore_patterns("*.ipynb"))
    nb = nbformat.read(notebook, as_version=4)
    nbformat.write(nb, dest / f"{lab}.ipynb")
    (dest / "timestamp.txt").write_text(stamp.strftime(TIME_FORMAT), encoding="utf-8")


def import_submissions(
    root: Path, lab: str, source: Path, when: dt.datetime | None = None
) -> ImportResult:
    roster = read_manifest(root).roster
    result = ImportResult()
    with tempfile.TemporaryDirectory() as scratch:
        found: dict[str, list[tuple[str, Path, dt.datetime]]] = {}
        for rel, path, stamp in _notebooks(source, Path(scratch)):
            ids = match_student(rel, roster)
            if not ids:
                result.unmatched.append(rel)
            elif len(ids) > 1:
                result.ambiguous.append(f"{rel}（{'、'.join(ids)}）")
            else:
                found.setdefault(ids[0], []).append((rel, path, stamp))
        for student, files in sorted(found.items()):
            files.sort(key=lambda f: f[2])
            rel, path, stamp = files[-1]  # the latest one counts, as with the exchange
            result.duplicates += [f"{student}：{f[0]}（较早，未采用）" for f in files[:-1]]
            _place(root, lab, student, path, when or stamp)
            result.imported[student] = rel
    return result


def student_workspace(root: Path, student: str, out: Path) -> list[str]:
    """What one student is handed for every lab (release + own data), for a local JupyterLab.

    Existing lab folders in `out` are kept: it is the student's work."""
    spec = read_manifest(root)
    if student not in {s.id for s in spec.roster}:
        raise SpecError(f"{root}: 名单中没有学号 {student}")
    made = []
    for lab in spec.labs:
        dest = out / lab.id
        if dest.exists():
            continue
        personal = root / "handout" / student / lab.id
        source = personal if personal.is_dir() else root / "release" / lab.id
        if source.is_dir():
            shutil.copytree(source, dest)
            made.append(lab.id)
    return made
