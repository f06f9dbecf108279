"""`jianlab data …` from the command line: good runs and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli import app

runner = CliRunner()


def _no_leftovers(parent: Path, name: str) -> bool:
    return (
        not any(p.name.startswith(f".{name}.") for p in parent.iterdir())
        and not (parent / name).exists()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["criminal", "--seed", "1", "--scale", "0.01", "--years", "2025-2018"], "年份范围颠倒"),
        (["criminal", "--seed", "1", "--scale", "-1"], "--scale 必须大于 0"),
        (["criminal", "--seed", "1", "--scale", "0"], "--scale 必须大于 0"),
        (["nonesuch", "--seed", "1", "--scale", "0.01"], "未知数据集「nonesuch」"),
        (["criminal", "--seed", "1", "--scale", "0.01", "--years", "20x8"], "--years 无法解析"),
        (["criminal", "--seed", "1", "--scale", "0.01", "--years", "2010-2012"], "没有校准目标"),
        (["criminal", "--scale", "0.01"], "--seed 与 --scale"),
        (["criminal", "--seed", "1", "--scale", "0.01", "--workers", "0"], "--workers 至少为 1"),
        (["criminal", "--seed", "1", "--scale", "0.01", "--engine", "spark"], "--engine 只能是"),
        (["criminal", "--seed", "1", "--scale", "0.01", "--provinces", "99"], "未知省级代码"),
        (["criminal", "--seed", "1", "--scale", "1", "--format", "xlsx"], "只用于小规模抽样"),
        (
            ["enforcement", "--seed", "1", "--scale", "0.01", "--years", "2030"],
            "没有执行案件量参数",
        ),
        (["enforcement", "--seed", "1", "--scale", "0"], "--scale 必须大于 0"),
        (["enforcement", "--seed", "1", "--scale", "0.01", "--provinces", "99"], "未知省级代码"),
        (
            ["criminal", "--seed", "1", "--scale", "0.01", "--scenario", "missing.yaml"],
            "情景文件不存在",
        ),
    ],
)
def test_bad_build_input(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["data", "build", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert message in result.output
    assert _no_leftovers(tmp_path, "out")


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")  # a parent that is a file: unwritable even for root
    result = runner.invoke(
        app,
        [
            "data",
            "build",
            "criminal",
            "--seed",
            "1",
            "--scale",
            "0.001",
            "--out",
            str(blocker / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "无法写入输出目录" in result.output


@pytest.mark.integration
def test_existing_output_needs_force(tmp_path: Path) -> None:
    """--force replaces a previous dataset; without it even a dataset folder is kept."""
    out = tmp_path / "out"
    args = ["data", "build", "criminal", "--seed", "1", "--scale", "0.001", "--years", "2021"]
    assert runner.invoke(app, [*args, "--provinces", "33", "--out", str(out)]).exit_code == 0
    before = (out / "manifest.json").read_text(encoding="utf-8")
    args += ["--provinces", "32"]  # another dataset; one province keeps the test quick
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert "已存在且非空" in result.output
    assert (out / "manifest.json").read_text(encoding="utf-8") == before
    result = runner.invoke(app, [*args, "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").read_text(encoding="utf-8") != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.integration
def test_csv_extract_has_bom_and_chinese(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = runner.invoke(
        app,
        ["data", "build", "criminal", "--seed", "2", "--scale", "0.001", "--years", "2021",
         "--format", "csv", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = (out / "arrest_reviews.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out / "arrest_reviews.csv", encoding="utf-8-sig")
    assert set(frame["decision"]) <= {"批准逮捕", "不批准逮捕", "其他"}
    assert (out / "_truth" / "violations.parquet").exists()


def test_list_shows_generators_and_builds() -> None:
    result = runner.invoke(app, ["data", "list"])
    assert result.exit_code == 0
    for name in ("criminal", "enforcement", "criminal-teaching"):
        assert name in result.output


@pytest.mark.integration
def test_build_then_verify(tmp_path: Path) -> None:
    out = tmp_path / "ok"
    args = ["data", "build", "criminal", "--seed", "4", "--scale", "0.001", "--years", "2020-2021"]
    assert runner.invoke(app, [*args, "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["data", "verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output
    missing = runner.invoke(app, ["data", "verify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "数据集目录不存在" in missing.output
