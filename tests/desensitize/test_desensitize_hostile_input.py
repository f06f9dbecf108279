"""The privacy cases of bad input, one row each, through the CLI as a user would run them: each
failed on the code before the fix (a name published verbatim, mojibake that hides a name, a
traceback, a refusal to work) and must now give a correct result or a Chinese error, exit 2.

The default policy on the manifest's datasets and on an enforcement build is tested under
``slow`` (the builds take minutes); the dense-name row here is the same failure in seconds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from desensitize.lexicon import load_lexicon
from jianlab.cli import app
from zhcodes import gb11643_check_char

runner = CliRunner()
BOM = b"\xef\xbb\xbf"
NAMES = ["李晓梅", "王建国", "欧阳娜娜", "黄建平", "赵强", "孙立新"]
UTF8_LINE = "原告张三 身份证号 110101199003071234 住址北京朝阳 电话 13812345678\n"
GBK_LINE = "被告李四 身份证号 11010519491231002X 电话 13912345678\n"


def _id(i: int) -> str:
    body = f"33070219{80 + i % 20:02d}0305{100 + 2 * (i % 400):03d}"
    return body + gb11643_check_char(body)


def _persons_csv(root: Path, header: str, names: list[str], table: str = "persons") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    rows = [f"P{i},{n},{_id(i)}" for i, n in enumerate(names)]
    (root / f"{table}.csv").write_text(f"person_id,{header},身份证号\n" + "\n".join(rows) + "\n")
    return root


def _released_text(out: Path) -> str:
    parts = [pd.read_parquet(p).astype(str).to_csv() for p in sorted(out.glob("*.parquet"))]
    return "\n".join(parts)


@dataclass
class Case:
    """Files to write (name → bytes or a builder), CLI arguments, and what must hold."""

    args: Callable[[Path], list[str]]
    setup: Callable[[Path], None]
    code: int
    stderr: list[str] = field(default_factory=list)
    stdout: str | None = None
    absent: list[str] = field(default_factory=list)  # originals never in stdout or release
    check: Callable[[Path], None] | None = None  # further checks on the run's folder


def _write(name: str, raw: bytes) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_bytes(raw)

    return setup


def _dataset(
    header: str, names: list[str], raw: bytes | None = None, table: str = "persons"
) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        _persons_csv(tmp / "in", header, names, table)
        if raw is not None:
            (tmp / "in" / "persons.csv").write_bytes(raw)

    return setup


def _dense_names() -> list[str]:
    """Every surname with every given-name character of the common surrogate space: no
    common-space surrogate can avoid holding one of them (45,000 names)."""
    lex = load_lexicon()
    return [s + c for s in sorted(lex.surname_weights) for c in lex.given_name_chars]


def _no_surrogate_is_or_holds_a_real_name(tmp: Path) -> None:
    real = set(pd.read_csv(tmp / "in" / "persons.csv")["name"])
    out = pd.read_parquet(tmp / "out" / "persons.parquet")["name"]
    assert out.is_unique and not set(out) & real
    # nor holds one inside it (覃宇想 holds 覃宇)
    assert not any(v[i : i + n] in real for v in out for i in range(len(v)) for n in (2, 3))


def _text(path: str, *extra: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["desensitize", "text", *extra, str(tmp / path)]


def _release(tmp: Path) -> list[str]:
    return ["desensitize", "dataset", str(tmp / "in"), str(tmp / "out"), "-k", str(tmp / "key")]


CASES: dict[str, Case] = {
    "chinese-header-姓名-published-verbatim": Case(
        args=_release,
        setup=_dataset("姓名", NAMES, table="parties"),
        code=0,
        absent=NAMES,
    ),
    "mixed-utf8-then-gbk-decoded-as-one": Case(
        args=_text("mixed.txt", "-k", "KEY"),
        setup=_write("mixed.txt", UTF8_LINE.encode() + GBK_LINE.encode("gbk")),
        code=2,
        stderr=["mixed.txt", "第 1 行是 UTF-8", "第 2 行第 1 个字节", "GB18030"],
        stdout="",
        absent=["张三", "110101199003071234"],
    ),
    "bom-then-invalid-byte-text-traceback": Case(
        args=_text("bom.txt", "-k", "KEY"),
        setup=_write("bom.txt", BOM + UTF8_LINE.encode() + b"\xff\xfe\n"),
        code=2,
        stderr=["bom.txt", "UTF-8 BOM", "第 2 行第 1 个字节"],
        stdout="",
    ),
    "bom-then-invalid-byte-csv-without-file-name": Case(
        args=_release,
        setup=_dataset("姓名", NAMES, BOM + "person_id,姓名\nP1,".encode() + b"\xe5\x00\n"),
        code=2,
        stderr=["persons.csv", "UTF-8 BOM", "第 2 行第 4 个字节"],
    ),
    "text-without-key-refused": Case(
        args=_text("a.txt"),
        setup=_write("a.txt", UTF8_LINE.encode()),
        code=0,
        stderr=["未指定 --key-file，本次使用随机密钥；假名与其他运行的结果不会一致。"],
        absent=["张三", "110101199003071234", "13812345678"],
    ),
    "court-policy-writes-李某某": Case(
        args=_text("c.txt", "--policy", "court"),
        setup=_write("c.txt", "被告人李晓梅、李晓明，证人欧阳娜娜，被告人李晓梅供述。".encode()),
        code=0,
        stdout="被告人李某1、李某2，证人欧阳某，被告人李某1供述。",
    ),
    "teaching-cannot-place-surrogates-among-dense-names": Case(
        args=_release,
        setup=_dataset("name", _dense_names()),
        code=0,
        check=_no_surrogate_is_or_holds_a_real_name,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_privacy_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    (tmp_path / "key").write_text("hostile-input-test-key-0123456789\n")
    case.setup(tmp_path)
    args = [a if a != "KEY" else str(tmp_path / "key") for a in case.args(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.code, result.stderr
    assert "Traceback" not in result.stderr
    unwrapped = result.stderr.replace("\n", "")  # rich wraps long messages at the width
    for needle in case.stderr:
        assert needle in unwrapped
    if case.code == 0 and not case.stdout and "dataset" not in args:
        assert result.stderr.count("\n") == 1  # one line, the key notice
    if case.stdout is not None:
        assert result.stdout == case.stdout
    released = _released_text(tmp_path / "out") if (tmp_path / "out").is_dir() else ""
    for original in case.absent:
        assert original not in result.stdout and original not in released
    if case.check is not None:
        case.check(tmp_path)


def _manifest_builds() -> list[str]:
    """Every build of the manifest. enforcement-teaching was refused while the check counted the
    legal word 权利 (财产性权利 in every 报告财产令) as the name of a person called 权利; a
    common-word name now counts only in its own case's documents (``release.parties``)."""
    from jianlab.specs import load_manifest

    return sorted(load_manifest().builds)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize(
    "build",
    [
        *_manifest_builds(),
        "enforcement --seed 1 --scale 0.005 --years 2023 --casefiles 0",
        "criminal --seed 1 --scale 0.005 --years 2023",
    ],
)
def test_default_policy_releases(build: str, tmp_path: Path) -> None:
    """The default (teaching) policy releases every dataset of the manifest and an
    enforcement year at scale 0.005 (all provinces), with the checks passing."""
    name, *options = build.split()
    data, out = tmp_path / "data", tmp_path / "out"
    made = runner.invoke(app, ["data", "build", name, *options, "--out", str(data)])
    assert made.exit_code == 0, made.output
    (tmp_path / "key").write_text("default-policy-test-key-0123456789\n")
    released = runner.invoke(
        app, ["desensitize", "dataset", str(data), str(out), "-k", str(tmp_path / "key")]
    )
    print(released.stderr, file=sys.stderr)
    assert released.exit_code == 0, released.stderr
    if (data / "persons.parquet").exists():
        real = set(pd.read_parquet(data / "persons.parquet")["name"])
        assert not set(pd.read_parquet(out / "persons.parquet")["name"]) & real
