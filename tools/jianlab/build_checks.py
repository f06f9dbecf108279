"""Checks of `jianlab data build` options, done before anything is planned or written.

Why a module of its own: the generator trusts its options (a negative seed reaches numpy, a
scale of ``inf`` reaches ``round()``, a year range of ``1-99999999`` is expanded into a list of a
hundred million years), so every value a user can type is checked here first and refused with a
Chinese message that names the option. The bounds are documented in the option help texts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from jianlab.specs import BuildSpec
from zhcodes.divisions import PROVINCE_SHORT

MAX_SEED = 2**63 - 1  # the seed is written to JSON and Parquet metadata as a signed 64-bit int
MAX_SCALE = 1.0  # 1.0 = one year of the national caseload, the largest volume the DGP describes
MAX_WORKERS = 64
YEAR_MIN, YEAR_MAX = 1979, 2100  # 1979: the first Criminal Procedure Law; no generator goes beyond
ENGINES = ("local", "dask")
FORMATS = ("parquet", "csv", "xlsx")
LAYOUTS = ("auto", "single", "hive")
_DIGITS = re.compile(r"^\d+$")


class OptionError(ValueError):
    """A build option is invalid; the message is Chinese and starts with the option's name."""


@dataclass(frozen=True)
class RawBuild:
    """The options as typed on the command line (None = not given)."""

    seed: str | None
    scale: str | None
    years: str | None
    provinces: str | None
    workers: str = "1"
    engine: str = "local"
    fmt: str = "parquet"
    layout: str = "auto"
    casefiles: str | None = None
    scenario: Path | None = None


@dataclass(frozen=True)
class CheckedBuild:
    seed: int
    scale: float
    years: list[int] | None
    provinces: list[str] | None
    workers: int
    casefiles: float | None


def with_defaults(raw: RawBuild, spec: BuildSpec | None, generator: str) -> RawBuild:
    """Fill the options the user left out from the named build in the manifest (if any)."""
    default_years = "2018-2025" if generator == "criminal" else None
    if spec is None:
        return replace(raw, years=raw.years if raw.years is not None else default_years)
    return replace(
        raw,
        seed=str(spec.seed) if raw.seed is None else raw.seed,
        scale=str(spec.scale) if raw.scale is None else raw.scale,
        years=spec.years if raw.years is None else raw.years,
        provinces=",".join(spec.provinces)
        if raw.provinces is None and spec.provinces
        else raw.provinces,
        casefiles=str(spec.casefiles)
        if raw.casefiles is None and spec.casefiles is not None
        else raw.casefiles,
    )


def _number(option: str, text: str, kind: type[int] | type[float]) -> float:
    """The option's text as a number (typer would answer bad numbers in English)."""
    try:
        return kind(text.strip())
    except (ValueError, OverflowError):
        noun = "整数" if kind is int else "数"
        raise OptionError(f"{option} 须为{noun}（收到 {text!r}）") from None


def check_seed(text: str) -> int:
    seed = int(_number("--seed", text, int))
    if not 0 <= seed <= MAX_SEED:
        raise OptionError(f"--seed 须为 0 到 {MAX_SEED} 之间的整数（收到 {seed}）")
    return seed


def check_scale(text: str) -> float:
    scale = _number("--scale", text, float)
    if not math.isfinite(scale):
        raise OptionError(f"--scale 须为有限的数（收到 {scale}）")
    if scale <= 0:
        raise OptionError(f"--scale 必须大于 0（收到 {scale}）")
    if scale > MAX_SCALE:
        raise OptionError(
            f"--scale 不得大于 {MAX_SCALE}（1.0 = 全国一年的案件量，为生成器描述的最大规模；"
            f"收到 {scale}）"
        )
    return scale


def _year(part: str, text: str) -> int:
    part = part.strip()
    if not _DIGITS.match(part):
        raise OptionError(f"--years 无法解析 {text!r}；示例：2018-2025、2021、2018,2020")
    year = int(part) if len(part) <= 9 else YEAR_MAX + 1
    if not YEAR_MIN <= year <= YEAR_MAX:
        shown = part if len(part) <= 12 else part[:12] + "…"
        raise OptionError(f"--years 中的年份 {shown} 超出 {YEAR_MIN}–{YEAR_MAX}")
    return year


def parse_years(text: str) -> list[int]:
    """'2018-2025', '2021' or '2018,2020' → sorted years. Bounds are checked before a range is
    expanded, so no input can allocate more than a century of years."""
    text = text.strip()
    if not text:
        raise OptionError("--years 为空；示例：2018-2025、2021、2018,2020")
    if "-" in text:
        start_text, _, end_text = text.partition("-")
        start, end = _year(start_text, text), _year(end_text, text)
        if start > end:
            raise OptionError(f"--years 年份范围颠倒：{text}（起始年份应不晚于结束年份）")
        return list(range(start, end + 1))
    parts = text.split(",")
    if any(not p.strip() for p in parts):
        raise OptionError(f"--years 中有空项：{text!r}；示例：2018,2020")
    return sorted({_year(p, text) for p in parts})


def parse_provinces(text: str) -> list[str]:
    """'33,44' → ['33', '44']; an empty list is an error (leaving the option out means all)."""
    codes = [p.strip() for p in text.split(",")]
    if not any(codes):
        raise OptionError("--provinces 为空；要生成全部省份请不给此选项，否则写两位代码如 33,44")
    if not all(codes):
        raise OptionError(f"--provinces 中有空项：{text!r}；示例：33,44")
    unknown = sorted({c for c in codes if c not in PROVINCE_SHORT})
    if unknown:
        raise OptionError(f"--provinces 含未知省级代码 {unknown}；可用：{sorted(PROVINCE_SHORT)}")
    return sorted(set(codes))


def check_choices(raw: RawBuild) -> None:
    """Engine, format and layout: closed sets."""
    for option, value, allowed in (
        ("--engine", raw.engine, ENGINES),
        ("--format", raw.fmt, FORMATS),
        ("--layout", raw.layout, LAYOUTS),
    ):
        if value not in allowed:
            raise OptionError(f"{option} 只能是 {'、'.join(allowed)}（收到 {value}）")


def check_workers(text: str) -> int:
    workers = int(_number("--workers", text, int))
    if not 1 <= workers <= MAX_WORKERS:
        raise OptionError(f"--workers 至少为 1、至多为 {MAX_WORKERS}（收到 {workers}）")
    return workers


def check_extras(raw: RawBuild, generator: str) -> None:
    """Options that only some generators use, and the scenario file."""
    if raw.scenario is not None and raw.scenario.exists() and not raw.scenario.is_file():
        raise OptionError(f"--scenario 须为 YAML 文件，{raw.scenario} 不是普通文件")


def check_casefiles(text: str, generator: str) -> float:
    if generator != "enforcement":
        raise OptionError("--casefiles 只适用于 enforcement 数据集")
    share = _number("--casefiles", text, float)
    if not (math.isfinite(share) and 0.0 <= share <= 1.0):
        raise OptionError(f"--casefiles 须在 0 到 1 之间（收到 {text!r}）")
    return share


def check_build(raw: RawBuild, generator: str) -> CheckedBuild:
    """Every option of one build; raises OptionError at the first bad value."""
    if raw.seed is None or raw.scale is None:
        raise OptionError("直接使用生成器时必须给出 --seed 与 --scale")
    check_choices(raw)
    check_extras(raw, generator)
    return CheckedBuild(
        seed=check_seed(raw.seed),
        scale=check_scale(raw.scale),
        years=parse_years(raw.years) if raw.years is not None else None,
        provinces=parse_provinces(raw.provinces) if raw.provinces is not None else None,
        workers=check_workers(raw.workers),
        casefiles=None if raw.casefiles is None else check_casefiles(raw.casefiles, generator),
    )
