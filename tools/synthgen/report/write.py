"""`jianlab data report DIR`: does the generated dataset keep its promises?

Two checks, written as calibration.md / calibration.json / rates.png / coefficients.png:
the rates by year of decision against the published targets, and the DGP's coefficients
re-estimated from the generated rows. The folder appears complete or not at all.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from synthgen.report.fit import MAX_GROUPS, MAX_ROWS, FitResult, fit_model, select_groups
from synthgen.report.flow import flow_report, render_flow
from synthgen.report.load import (
    DECISIONS,
    EFFECTS_TABLE,
    MODELS,
    REVIEW_TABLES,
    Truth,
    decided,
    has_table,
    load_truth,
    model_rows,
    scan,
    value_counts,
)
from synthgen.report.plot import MODEL_TITLES, covariate_labels, write_figures
from synthgen.report.rates import POPULATIONS, RATE_NAMES, RateRow, compute_rates
from synthgen.report.render import render_markdown, report_json
from synthgen.store.io import DatasetError, table_path

REPORT_FILES = ("calibration.md", "calibration.json", "rates.png", "coefficients.png")
REQUIRED_TABLES = ("suspects", "arrest_reviews", "prosecution_reviews")


class ReportError(DatasetError):
    """The report folder cannot be written (Chinese message)."""


@dataclass
class ReportResult:
    out: Path
    rates: list[RateRow]
    fits: list[FitResult]
    seconds: float

    @property
    def files(self) -> list[Path]:
        return [self.out / name for name in REPORT_FILES]


def fit_one(
    directory: Path,
    truth: Truth,
    model: str,
    max_groups: int = MAX_GROUPS,
    max_rows: int = MAX_ROWS,
) -> FitResult:
    """Select procuratorates on size, load their rows, fit; see report_fit for the design."""
    sizes = value_counts(directory, REVIEW_TABLES[model], "procuratorate_id", decided(model))
    if sizes.empty:
        raise DatasetError(
            f"表「{REVIEW_TABLES[model]}」没有可用于拟合的决定（{'/'.join(DECISIONS[model])}）"
        )
    selection = select_groups(sizes, max_groups, max_rows)
    covariates = truth.covariates(model)
    rows, missing = model_rows(directory, model, covariates, selection)
    return fit_model(
        model, rows, selection, truth.fit_truth(model), _true_effects(directory, model), missing
    )


def _true_effects(directory: Path, model: str) -> pd.Series | None:
    """The procuratorates' true intercepts, when the generator wrote them (optional)."""
    column = f"u_{model}"
    if not has_table(directory, EFFECTS_TABLE):
        return None
    try:
        table = scan(directory, EFFECTS_TABLE, ["procuratorate_id", column])
    except DatasetError:
        return None
    frame = table.to_pandas()
    return pd.Series(frame[column].to_numpy(float), index=frame["procuratorate_id"].astype(str))


@contextmanager
def _atomic_folder(out: Path) -> Iterator[Path]:
    """A sibling temp folder that replaces ``out`` only when every file was written. It is made
    before any work starts, so an unwritable --out fails at once.

    An existing ``out`` is replaced only if it is empty or a previous report, so a mistyped
    --out can never delete a dataset."""
    if out.exists() and not _replaceable(out):
        raise ReportError(f"输出位置 {out} 已存在且不是校准报告目录；请换一个 --out")
    stage = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        stage.mkdir(parents=True)
    except OSError as exc:
        raise ReportError(f"无法写入报告目录 {out.parent}：{exc.strerror or exc}") from exc
    try:
        yield stage
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}" if out.exists() else None
        try:
            if old is not None:
                out.rename(old)
            stage.rename(out)
        except OSError as exc:
            raise ReportError(f"无法写入报告目录 {out}：{exc.strerror or exc}") from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _replaceable(out: Path) -> bool:
    return out.is_dir() and (not any(out.iterdir()) or (out / "calibration.json").is_file())


def write_report(
    directory: Path,
    out: Path,
    console: Console | None = None,
    *,
    max_groups: int = MAX_GROUPS,
    max_rows: int = MAX_ROWS,
) -> ReportResult:
    """Compute both checks on ``directory`` and write the report folder ``out``; the budgets
    bound the fit (see report_fit)."""
    started = time.perf_counter()
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(f"数据集目录不存在：{directory}")
    if (directory / "enforcement_cases").exists() or (
        directory / "enforcement_cases.parquet"
    ).is_file():
        return _enforcement(directory, Path(out), console, started)
    truth = load_truth(directory)
    for name in REQUIRED_TABLES:
        table_path(directory, name)
    with _atomic_folder(Path(out)) as stage, _progress(console) as advance:
        advance("计算不捕率、不诉率")
        rates = compute_rates(directory, truth)
        fits = []
        for model in MODELS:
            advance(f"拟合{_short(model)}模型")
            fits.append(fit_one(directory, truth, model, max_groups, max_rows))
        advance("诉前羁押率、捕后不诉率、月度序列与法律约束")
        flow = flow_report(directory, truth)
        advance("绘图并写出报告")
        _write_files(stage, directory.resolve().name, truth, (rates, flow), fits, started)
    result = ReportResult(Path(out), rates, fits, time.perf_counter() - started)
    if console is not None:
        print_summary(result, console)
    return result


def _enforcement(
    directory: Path, out: Path, console: Console | None, started: float
) -> ReportResult:
    """The enforcement dataset's report (synthgen.report.enforcement)."""
    from synthgen.report.enforcement import enforcement_report
    from synthgen.report.enforcement_render import write_enforcement_files

    with _atomic_folder(out) as stage, _progress(console) as advance:
        advance("计算终本率、漏斗图、生存曲线与模型还原")
        report = enforcement_report(directory)
        write_enforcement_files(report, directory.resolve().name, stage)
    result = ReportResult(out, [], [], time.perf_counter() - started)
    if console is not None:
        o = report.overdispersion
        console.print(
            f"终本率 {o['overall']:.1%}；法院间标准差 {o['sd']:.3f}"
            f"（二项期望 {o['binomial_sd']:.3f}）"
        )
        console.print(f"[green]报告已写入[/] {out}（用时 {result.seconds:.1f} 秒）")
    return result


def _write_files(
    stage: Path,
    name: str,
    truth: Truth,
    checks: tuple[list[RateRow], dict[str, Any]],
    fits: list[FitResult],
    started: float,
) -> None:
    rates, flow = checks
    write_figures(rates, fits, stage)
    markdown = render_markdown(name, truth, rates, fits) + "\n".join(render_flow(flow)) + "\n"
    (stage / "calibration.md").write_text(markdown, "utf-8")
    payload = report_json(name, truth, rates, fits)
    payload["flow"] = flow
    payload["seconds"] = round(time.perf_counter() - started, 2)
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    (stage / "calibration.json").write_text(text, encoding="utf-8")


@contextmanager
def _progress(console: Console | None) -> Iterator[Callable[[str], None]]:
    if console is None:
        yield lambda step: None
        return
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("读取真值", total=None)
        yield lambda step: progress.update(task, description=step)


def print_summary(result: ReportResult, console: Console) -> None:
    rates = Table(title="不捕率、不诉率：生成 vs 目标（按决定年度，%）")
    for column in ("比率", "年度", "生成", "95% CI", "目标", "来源", "差值", "±1 内"):
        rates.add_column(column, no_wrap=True)
    for r in result.rates:
        rates.add_row(*_rate_cells(r))
    console.print(rates)
    labels = covariate_labels()
    coefs = Table(title="系数还原：估计值 [95% CI] vs 真值（logit，以检察院为条件）")
    coefs.add_column("协变量")
    for fit in result.fits:
        coefs.add_column(_short(fit.model))
    names = [c.name for c in result.fits[0].coefficients]
    for i, name in enumerate(names):
        cells = [_coef_cell(fit, i) for fit in result.fits]
        coefs.add_row(labels.get(name, name), *cells)
    coefs.add_row("检察院标准差", *(_sd_cell(fit) for fit in result.fits))
    console.print(coefs)
    for fit in result.fits:
        if fit.selection.is_subset:
            sel = fit.selection
            console.print(
                f"[yellow]{_short(fit.model)}：在决定人数最多的 {len(sel.groups)} 个检察院"
                f"（共 {sel.total_groups} 个）的 {sel.fraction:.1%} 决定上拟合。[/]"
            )
        for message in fit.warnings:
            console.print(f"[yellow]拟合警告：{message}[/]")
    console.print(f"[green]报告已写入[/] {result.out}（用时 {result.seconds:.1f} 秒）")


def _short(model: str) -> str:
    return MODEL_TITLES[model].split("：")[0]


def _rate_cells(r: RateRow) -> list[str]:
    ok = {None: "—", True: "[green]是[/]", False: "[red]否[/]"}[r.within_tolerance]
    name = RATE_NAMES[r.model]
    return [
        name if r.population == "all" else f"{POPULATIONS[r.population]}{name}",
        str(r.year),
        f"{100 * r.rate:.2f}",
        f"{100 * r.ci_low:.1f}–{100 * r.ci_high:.1f}",
        "—" if r.target is None else f"{100 * r.target:.1f}",
        escape(f"[{r.label}]") if r.label else "—",
        "—" if r.diff_pp is None else f"{r.diff_pp:+.2f}",
        ok,
    ]


def _coef_cell(fit: FitResult, i: int) -> str:
    c = fit.coefficients[i]
    if c.estimate is None:
        return f"无法估计 vs {c.truth:.2f}"
    mark = "[green]✓[/]" if c.inside else "[red]✗[/]"
    return f"{c.estimate:.2f} [{c.ci_low:.2f}, {c.ci_high:.2f}] vs {c.truth:.2f} {mark}"


def _sd_cell(fit: FitResult) -> str:
    est = "—" if fit.group_sd_estimate is None else f"{fit.group_sd_estimate:.2f}"
    return f"{est} vs {fit.group_sd_truth:.2f}"
