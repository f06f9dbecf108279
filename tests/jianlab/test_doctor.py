"""jianlab doctor：每项检查给出中文结果；失败项让命令退出码为 1 并显示修复方法。"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from packaging.specifiers import SpecifierSet
from typer.testing import CliRunner

from jianlab import doctor_checks
from jianlab.cli import app
from jianlab.doctor_checks import CHECKS, Check, package_check

HAN = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test may depend on the developer's own Lab user settings or leak rcParams."""
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "user-settings"))
    with matplotlib.rc_context():
        yield


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_every_check_passes_here_with_chinese_text(check: Check) -> None:
    result = check.run()
    assert result.name == check.name
    assert HAN.search(result.name), result
    assert HAN.search(result.detail), result
    assert HAN.search(result.hint), result
    assert result.ok, result.detail


def test_registry_covers_the_required_packages() -> None:
    names = {check.name for check in CHECKS}
    for required in ("nbgrader", "jupyterlab", "mplfonts", "statsmodels", "distributed"):
        assert f"依赖包 {required}" in names


@pytest.mark.parametrize(
    ("module", "declared", "ok", "detail"),
    [
        ("rich", {}, True, "rich "),
        ("rich", {"rich": SpecifierSet(">=1")}, True, "要求 >=1"),
        ("rich", {"rich": SpecifierSet("<1")}, False, "不符合要求 <1"),
        ("jianlab_no_such_package", {}, False, "无法导入 jianlab_no_such_package"),
    ],
)
def test_package_probe(
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    declared: dict[str, SpecifierSet],
    ok: bool,
    detail: str,
) -> None:
    monkeypatch.setattr(doctor_checks, "declared_specifiers", lambda: declared)
    result = package_check(module).run()
    assert result.ok is ok
    assert detail in result.detail


def test_declared_specifiers_come_from_pyproject() -> None:
    specifiers = doctor_checks.declared_specifiers()
    assert "0.9.4" not in specifiers["nbgrader"]
    assert "0.9.5" in specifiers["nbgrader"]
    assert "0.10.0" not in specifiers["nbgrader"]
    assert "5.0.0" not in specifiers["jupyterlab"]


def test_probe_that_raises_is_a_failure_not_a_crash() -> None:
    def broken() -> tuple[bool, str]:
        raise KeyError("locale")

    result = Check("坏检查", "修好它", broken).run()
    assert not result.ok
    assert "检查时出错" in result.detail
    assert "KeyError" in result.detail


@pytest.mark.parametrize(
    ("user_settings", "ok", "shown"),
    [
        (None, True, "zh_CN（来源：overrides.json）"),
        ({"locale": "zh_CN"}, True, "zh_CN（来源：用户设置）"),
        ({"locale": "en"}, False, "en（来源：用户设置）"),
        ({"locale": "default"}, False, "default（来源：用户设置）"),
        ({"theme": "dark"}, True, "zh_CN（来源：overrides.json）"),
    ],
)
def test_lab_locale_follows_user_settings_over_overrides(
    tmp_path: Path, user_settings: dict[str, str] | None, ok: bool, shown: str
) -> None:
    if user_settings is not None:
        target = tmp_path / "user-settings" / "@jupyterlab" / "translation-extension"
        target.mkdir(parents=True)
        (target / "plugin.jupyterlab-settings").write_text(json.dumps(user_settings))
    ok_seen, detail = doctor_checks._probe_lab_locale()
    assert ok_seen is ok
    assert detail == shown


def test_make_lab_uses_the_settings_dir_doctor_checks() -> None:
    makefile = (doctor_checks.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    relative = doctor_checks.LAB_SETTINGS_DIR.relative_to(doctor_checks.REPO_ROOT)
    assert f"LAB_SETTINGS := $(CURDIR)/{relative.as_posix()}\n" in makefile
    assert "--LabApp.app_settings_dir=$(LAB_SETTINGS)" in makefile


@pytest.mark.parametrize(
    ("layout", "ok", "shown"),
    [
        ("existing", True, "可写"),
        ("missing", True, "尚未创建"),
        ("under_a_file", False, "无法在"),
    ],
)
def test_writable_probe(tmp_path: Path, layout: str, ok: bool, shown: str) -> None:
    # Root ignores permission bits, so the failing case puts the target under a regular file.
    (tmp_path / "plain.txt").write_text("x")
    target = {
        "existing": tmp_path,
        "missing": tmp_path / "a" / "b",
        "under_a_file": tmp_path / "plain.txt" / "build",
    }[layout]
    ok_seen, detail = doctor_checks._probe_writable(lambda: target)
    assert ok_seen is ok
    assert shown in detail
    assert not (tmp_path / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]


def test_command_exits_1_and_shows_hint_for_a_failing_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    python_check = CHECKS[0]
    missing = package_check("jianlab_no_such_package")
    monkeypatch.setattr(doctor_checks, "CHECKS", [python_check, missing])
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1, result.output
    assert "未通过" in result.output
    assert "如何修复" in result.output
    assert missing.hint in result.output
    assert "未通过 1 项" in result.output


def test_command_exits_0_when_all_checks_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor_checks, "CHECKS", [CHECKS[0], package_check("rich")])
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "环境就绪" in result.output
    assert "如何修复" not in result.output
