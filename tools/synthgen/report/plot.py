"""The two report figures: rates against targets, and estimated against true coefficients.

Figures are drawn on a bare `Figure` with the Agg canvas (no pyplot), inside an rc context, so
that calling the report from a notebook neither switches the notebook's backend nor leaves our
style behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cjkplot import setup_cjk
from synthgen.core.shipped import shipped_yaml
from synthgen.report.fit import FitResult
from synthgen.report.load import MODELS
from synthgen.report.rates import RATE_NAMES, RateRow

MODEL_TITLES = {
    "arrest": "审查逮捕：logit（不批准逮捕）",
    "prosecution": "审查起诉：logit（不起诉）",
}
Floats = npt.NDArray[np.float64]
COLORS = {"generated": "#1f4e79", "target": "#c0392b", "juvenile": "#2e8b57"}


@cache
def covariate_labels() -> dict[str, str]:
    """Chinese labels of the suspects' columns, from the codebook (the single place they live)."""
    tables = shipped_yaml("codebook/criminal.yaml")["tables"]
    columns = {
        **tables["suspects"]["columns"],
        "arrested": tables["prosecution_reviews"]["columns"]["arrested"],
    }
    return {name: str(spec.get("label", name)) for name, spec in columns.items()}


def _new_figure(width: float, height: float) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, 2)
    return figure, list(axes)


def _opt(values: Sequence[float | None]) -> Floats:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _rates_panel(axes: Axes, rows: Sequence[RateRow], model: str) -> None:
    series = (
        ("all", "o", "生成", "目标"),
        ("juvenile", "^", "生成（未成年人）", "目标（未成年人）"),
    )
    for population, marker, name, target_name in series:
        part = [r for r in rows if r.model == model and r.population == population]
        if not part:
            continue
        color = COLORS["juvenile" if population == "juvenile" else "generated"]
        year = np.array([r.year for r in part])
        rate = 100 * _opt([r.rate for r in part])
        err = 100 * np.vstack(
            [_opt([r.rate - r.ci_low for r in part]), _opt([r.ci_high - r.rate for r in part])]
        )
        axes.errorbar(
            year, rate, yerr=err, fmt=marker, color=color, capsize=3, ms=5, label=f"{name} ± 95% CI"
        )
        target = 100 * _opt([r.target for r in part])
        axes.scatter(
            year,
            target,
            marker="D",
            s=42,
            facecolors="none",
            edgecolors=COLORS["target"],
            zorder=3,
            label=target_name,
        )
        for r, y in zip(part, target, strict=True):
            if r.label and np.isfinite(y):
                axes.annotate(
                    f"[{r.label}]",
                    (r.year, y),
                    textcoords="offset points",
                    xytext=(7, -3),
                    fontsize=7,
                    color=COLORS["target"],
                )
    axes.set_title(f"{RATE_NAMES[model]}（按决定年度）")
    axes.set_xlabel("年度")
    axes.set_ylabel(f"{RATE_NAMES[model]}（%）")
    years = sorted({r.year for r in rows})
    axes.set_xticks(years)
    axes.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)


def _shared_legend(figure: Figure, axes: Axes) -> None:
    """One legend under both panels: inside a panel it would hide points."""
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(
        handles, labels, loc="outside lower center", ncol=len(labels), fontsize=8, frameon=False
    )


def plot_rates(rows: Sequence[RateRow], path: Path) -> None:
    figure, axes = _new_figure(11, 4.6)
    for ax, model in zip(axes, MODELS, strict=True):
        _rates_panel(ax, rows, model)
    _shared_legend(figure, axes[0])
    figure.suptitle("生成数据的不捕率、不诉率与公布目标（[S] 公布值 [D] 推算 [K] 建模假设）")
    figure.savefig(path, dpi=150)


def _coefficients_panel(axes: Axes, fit: FitResult) -> None:
    labels = covariate_labels()
    coefs = fit.coefficients
    y = np.arange(len(coefs))[::-1]
    value = _opt([c.estimate for c in coefs])
    err = np.vstack(
        [value - _opt([c.ci_low for c in coefs]), _opt([c.ci_high for c in coefs]) - value]
    )
    axes.errorbar(
        value, y, xerr=err, fmt="o", color=COLORS["generated"], capsize=3, label="估计值 ± 95% CI"
    )
    truth = _opt([c.truth for c in coefs])
    axes.scatter(truth, y, marker="x", s=60, color=COLORS["target"], zorder=3, label="真值（DGP）")
    axes.set_yticks(y, [labels.get(c.name, c.name) for c in coefs])
    axes.set_ylim(-0.6, len(coefs) - 0.4)
    axes.axvline(0.0, color="0.6", lw=0.8)
    subset = "（子集）" if fit.selection.is_subset else ""
    title = f"{MODEL_TITLES[fit.model]}\n{fit.groups} 个检察院{subset}，{fit.rows:,} 人"
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("logit 系数（以检察院固定效应为条件）")
    axes.grid(axis="x", alpha=0.3)


def plot_coefficients(fits: Sequence[FitResult], path: Path) -> None:
    figure, axes = _new_figure(11, 4.6)
    for ax, fit in zip(axes, fits, strict=True):
        _coefficients_panel(ax, fit)
    _shared_legend(figure, axes[0])
    figure.suptitle("系数还原：拟合估计与生成真值（系数是建模先验，不是实证发现）")
    figure.savefig(path, dpi=150)


def write_figures(rows: Sequence[RateRow], fits: Sequence[FitResult], folder: Path) -> list[Path]:
    with matplotlib.rc_context():
        setup_cjk()
        plot_rates(rows, folder / "rates.png")
        plot_coefficients(fits, folder / "coefficients.png")
    return [folder / "rates.png", folder / "coefficients.png"]
