"""`jianlab desensitize` end to end through typer's runner: exit codes, Chinese messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jianlab.cli.desensitize import app

runner = CliRunner()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key"
    path.write_text("cli-test-key-0123456789abcdef\n")
    return path


def test_text_from_stdin_court() -> None:
    result = runner.invoke(
        app, ["text", "--policy", "court", "-"], input="被告人张三，手机13912345678。"
    )
    assert result.exit_code == 0
    assert result.stdout == "被告人张某，手机。"


def test_text_file_teaching_with_and_without_key(tmp_path: Path, key_file: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_bytes("证人李晓梅证实。".encode("gb18030"))
    keyless = runner.invoke(app, ["text", str(doc)])
    assert keyless.exit_code == 0 and "李晓梅" not in keyless.stdout
    assert keyless.stderr.count("\n") == 1 and "随机密钥" in keyless.stderr
    result = runner.invoke(app, ["text", "--key-file", str(key_file), str(doc)])
    assert (
        result.exit_code == 0 and "李晓梅" not in result.stdout and result.stdout.startswith("证人")
    )


@pytest.mark.parametrize(
    ("body", "code"), [("被告人张三，电话13912345678", 1), ("依照《刑法》第二百六十四条", 0)]
)
def test_scan_exit_code(tmp_path: Path, body: str, code: int) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text(body, encoding="utf-8")
    assert runner.invoke(app, ["scan", str(doc)]).exit_code == code


def test_risk_reports_k_and_fails_below_target(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    pd.DataFrame(
        {"gender": ["男"] * 6 + ["女"], "county": ["330702"] * 7, "crime": list("ABCDEFG")}
    ).to_csv(table, index=False)
    result = runner.invoke(
        app, ["risk", str(table), "--qi", "gender,county", "--sensitive", "crime", "--k", "5"]
    )
    assert result.exit_code == 1 and "k = 1" in result.stdout and "l = 1" in result.stdout
    ok = runner.invoke(app, ["risk", str(table), "--qi", "county", "--k", "5"])
    assert ok.exit_code == 0 and "k = 7" in ok.stdout


def test_risk_unknown_column_is_a_clear_error(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n", encoding="utf-8")
    result = runner.invoke(app, ["risk", str(table), "--qi", "nope"])
    assert result.exit_code == 2 and "没有这些列" in result.output


def test_dataset_refusal_exit_code_and_empty_out(tmp_path: Path, key_file: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    pd.DataFrame(
        {"person_id": ["P1", "P2"], "name": ["张三", "李四"], "gender": ["男", "女"]}
    ).to_parquet(src / "persons.parquet")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["dataset", str(src), str(out), "--key-file", str(key_file), "--qi", "persons:gender"]
    )
    assert result.exit_code == 3 and "拒绝发布" in result.output
    assert not out.exists()
    ok = runner.invoke(app, ["dataset", str(src), str(out), "--key-file", str(key_file)])
    assert ok.exit_code == 0 and (out / "persons.parquet").is_file()
