"""`jianlab data build` refuses every bad option value with a Chinese error naming the option,
exit code 2 and nothing written — checked case by case and as a Hypothesis property."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from jianlab.build_checks import (
    MAX_SCALE,
    MAX_SEED,
    YEAR_MAX,
    YEAR_MIN,
    OptionError,
    RawBuild,
    parse_provinces,
    parse_years,
    with_defaults,
)
from jianlab.cli import app
from jianlab.specs import BuildSpec
from zhcodes.divisions import PROVINCE_SHORT

runner = CliRunner()
BASE = {"--seed": "1", "--scale": "0.001", "--years": "2021", "--provinces": "33"}


def _args(name: str, override: dict[str, str]) -> list[str]:
    options = {**BASE, **override}
    return ["data", "build", name, *(x for pair in options.items() for x in pair)]


def _said(message: str, output: str) -> bool:
    """Rich wraps long lines at the terminal width: compare without any whitespace."""
    return re.sub(r"\s+", "", message) in re.sub(r"\s+", "", output)


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("name", "option", "value", "message"),
    [
        ("criminal", "--seed", "-1", "--seed 须为 0 到"),
        ("criminal", "--seed", str(MAX_SEED + 1), "--seed 须为 0 到"),
        ("criminal", "--seed", "abc", "--seed 须为整数"),
        ("criminal", "--seed", "1.5", "--seed 须为整数"),
        ("criminal", "--scale", "nan", "--scale 须为有限的数"),
        ("criminal", "--scale", "inf", "--scale 须为有限的数"),
        ("criminal", "--scale", "-inf", "--scale 须为有限的数"),
        ("criminal", "--scale", "1e6", "--scale 不得大于 1.0"),
        ("enforcement", "--scale", "1.01", "--scale 不得大于 1.0"),
        ("criminal", "--scale", "0", "--scale 必须大于 0"),
        ("criminal", "--scale", "-1", "--scale 必须大于 0"),
        ("criminal", "--scale", "一点", "--scale 须为数"),
        ("criminal", "--years", "1-99999999", "--years 中的年份 1 超出"),
        ("criminal", "--years", "2018-99999999", "--years 中的年份 99999999 超出"),
        ("criminal", "--years", "2018-" + "9" * 5000, "超出"),
        ("criminal", "--years", "2025-2018", "--years 年份范围颠倒"),
        ("criminal", "--years", "", "--years 为空"),
        ("criminal", "--years", "2018-", "--years 无法解析"),
        ("criminal", "--years", "-2018", "--years 无法解析"),
        ("criminal", "--years", "2018,,2020", "--years 中有空项"),
        ("criminal", "--years", "二〇二一", "--years 无法解析"),
        ("criminal", "--provinces", "", "--provinces 为空"),
        ("criminal", "--provinces", " , ", "--provinces 为空"),
        ("criminal", "--provinces", "33,,44", "--provinces 中有空项"),
        ("criminal", "--provinces", "99", "--provinces 含未知省级代码"),
        ("enforcement", "--provinces", "浙江", "--provinces 含未知省级代码"),
        ("criminal", "--workers", "0", "--workers 至少为 1"),
        ("criminal", "--workers", "100000", "至多为 64"),
        ("criminal", "--workers", "two", "--workers 须为整数"),
        ("criminal", "--engine", "spark", "--engine 只能是"),
        ("criminal", "--format", "json", "--format 只能是"),
        ("criminal", "--layout", "flat", "--layout 只能是"),
        ("enforcement", "--casefiles", "nan", "--casefiles 须在 0 到 1 之间"),
        ("enforcement", "--casefiles", "1.5", "--casefiles 须在 0 到 1 之间"),
        ("criminal", "--casefiles", "0.5", "--casefiles 只适用于 enforcement"),
    ],
)
def test_bad_option_is_refused_in_chinese(
    tmp_path: Path, name: str, option: str, value: str, message: str
) -> None:
    result = runner.invoke(app, [*_args(name, {option: value}), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _said(message, result.output)
    assert "Traceback" not in result.output
    assert _tree(tmp_path) == set()


def test_scenario_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "scenario.yaml"
    folder.mkdir()
    result = runner.invoke(
        app, [*_args("criminal", {}), "--scenario", str(folder), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert _said("--scenario 须为 YAML 文件", result.output)
    assert _tree(tmp_path) == {"scenario.yaml"}


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2018-2025", list(range(2018, 2026))),
        (" 2021 ", [2021]),
        ("2020,2018,2020", [2018, 2020]),
        (f"{YEAR_MIN}-{YEAR_MAX}", list(range(YEAR_MIN, YEAR_MAX + 1))),
    ],
)
def test_parse_years_good(text: str, years: list[int]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize(
    ("text", "codes"), [("33", ["33"]), ("44, 33,44", ["33", "44"]), ("11,65", ["11", "65"])]
)
def test_parse_provinces_good(text: str, codes: list[str]) -> None:
    assert parse_provinces(text) == codes


@contextmanager
def _recording_builders() -> Iterator[list[Any]]:
    """Replace both generators by a recorder: the property is about the option checks, so no
    example runs a real build (those are tested with real data elsewhere)."""
    import synthgen

    calls: list[Any] = []

    def record(opts: Any, on_progress: Any = None) -> Path:
        calls.append(opts)
        return Path(opts.out)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(synthgen, "build_criminal", record)
        mp.setattr(synthgen, "build_enforcement", record)
        yield calls


def _number_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["nan", "-inf", "1e6", "0", "0.001", "1", "", " ", "1_0", "0x10"]),
        st.text(max_size=8),
    )


def _year_text() -> st.SearchStrategy[str]:
    year = st.integers(min_value=-5, max_value=10**9).map(str)
    return st.one_of(
        st.tuples(year, year).map("-".join),
        st.lists(year, max_size=4).map(",".join),
        st.text(alphabet="0123456789-, 年", max_size=12),
    )


def _province_text() -> st.SearchStrategy[str]:
    code = st.one_of(st.sampled_from(sorted(PROVINCE_SHORT)), st.text(max_size=3))
    return st.lists(code, max_size=4).map(",".join)


OPTION_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "--seed": _number_text(),
        "--scale": _number_text(),
        "--workers": _number_text(),
        "--casefiles": _number_text(),
        "--years": _year_text(),
        "--provinces": _province_text(),
        "--engine": st.sampled_from(["local", "dask", "spark", ""]),
        "--format": st.sampled_from(["parquet", "csv", "xlsx", "json"]),
        "--layout": st.sampled_from(["auto", "single", "hive", "flat"]),
    },
)


def _check_property(name: str, values: dict[str, str], out: Path) -> None:
    """A Chinese error naming an option with exit 2, or a build called with sane options."""
    args = ["data", "build", name, *(x for pair in values.items() for x in pair)]
    with _recording_builders() as calls:
        result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        assert "错误" in result.output and not calls
        return
    assert len(calls) == 1, result.output
    opts = calls[0]
    assert 0 <= opts.seed <= MAX_SEED
    assert math.isfinite(opts.scale) and 0 < opts.scale <= MAX_SCALE
    assert opts.years is None or all(YEAR_MIN <= y <= YEAR_MAX for y in opts.years)
    assert opts.provinces is None or set(opts.provinces) <= set(PROVINCE_SHORT)
    assert 1 <= opts.workers <= 64
    assert opts.casefiles is None or 0 <= opts.casefiles <= 1


_FAST = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_DEEP = settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FAST
@given(name=st.sampled_from(["criminal", "enforcement", "criminal-teaching"]), values=OPTION_VALUES)
def test_random_options_give_chinese_error_or_sane_build(
    tmp_path: Path, name: str, values: dict[str, str]
) -> None:
    _check_property(name, values, tmp_path / "out")


@pytest.mark.slow
@_DEEP
@given(name=st.sampled_from(["criminal", "enforcement", "criminal-teaching"]), values=OPTION_VALUES)
def test_random_options_deep(tmp_path: Path, name: str, values: dict[str, str]) -> None:
    _check_property(name, values, tmp_path / "out")


@_FAST
@given(text=st.text(max_size=16))
def test_parse_years_never_crashes(text: str) -> None:
    try:
        years = parse_years(text)
    except OptionError as exc:
        assert str(exc).startswith("--years")
    else:
        assert years == sorted(set(years)) and all(YEAR_MIN <= y <= YEAR_MAX for y in years)


@pytest.mark.slow
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["criminal", "enforcement"]),
    seed=st.integers(min_value=0, max_value=MAX_SEED),
    scale=st.floats(min_value=0.0005, max_value=0.001),
    year=st.sampled_from(["2021", "2022"]),
    province=st.sampled_from(["33", "44", "51"]),
)
def test_random_valid_options_build_for_real(
    tmp_path_factory: pytest.TempPathFactory, name: str, seed: int, scale: float, year: str,
    province: str,
) -> None:  # fmt: skip
    """Small real builds from random valid options: exit 0 and the manifest records them."""
    import json

    out = tmp_path_factory.mktemp("real") / "out"
    args = ["data", "build", name, "--seed", str(seed), "--scale", repr(scale)]
    args += ["--years", year, "--provinces", province, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["seed"], manifest["years"]) == (seed, [int(year)])
    assert manifest["provinces"] == [province]


def _spec(casefiles: float | None) -> BuildSpec:
    return BuildSpec(generator="enforcement", title="t", teaches="t", seed=3, scale=0.001,
                     years="2023-2023", provinces=["33"], casefiles=casefiles)  # fmt: skip


@pytest.mark.parametrize(
    ("spec_share", "typed", "want"),
    [
        (1.0, None, "1.0"),  # the build's share of case files when the user gives none
        (1.0, "0", "0"),  # the command line wins
        (None, None, None),  # neither: the parameter file's default
        (None, "0.5", "0.5"),
    ],
)
def test_manifest_build_fills_casefiles(
    spec_share: float | None, typed: str | None, want: str | None
) -> None:
    raw = RawBuild(None, None, None, None, casefiles=typed)
    filled = with_defaults(raw, _spec(spec_share), "enforcement")
    assert filled.casefiles == want
    assert (filled.seed, filled.years, filled.provinces) == ("3", "2023-2023", "33")


def test_manifest_casefiles_share_is_bounded() -> None:
    with pytest.raises(ValidationError, match="casefiles"):
        _spec(1.5)
