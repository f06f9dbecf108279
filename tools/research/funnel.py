"""Funnel-plot limits for units' proportions: exact binomial, then overdispersion-adjusted.

Why exact: most procuratorates or courts review few cases a year, so n·p₀ < 5 is common and the
normal limits p₀ ± z·√(p₀(1−p₀)/n) flag too many small units. The exact limits follow
Spiegelhalter, "Funnel plots for comparing institutional performance", Statistics in Medicine
24 (2005) 1185–1202, appendix A.1.1: r_p is the p-quantile of Binomial(n, p₀),
α = (F(r_p) − p)/(F(r_p) − F(r_p − 1)) and the limit is (r_p − α)/n, which interpolates between
attainable counts so the curve is smooth.

Why adjusted: real units differ for reasons sampling cannot explain (case mix, local practice),
so even exact limits flag many units "by chance plus something". Spiegelhalter, "Handling
over-dispersion of performance indicators", Quality and Safety in Health Care 14 (2005) 347–351,
estimates φ from winsorized z-scores (multiplicative: variance × φ) or an additive τ² (a random
effect, DerSimonian–Laird form) and widens the limits accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import binom, norm

Floats = npt.NDArray[np.float64]
LEVELS = (0.95, 0.998)


def _tail_probs(level: float) -> tuple[float, float]:
    if not 0 < level < 1:
        raise ValueError("控制限水平应在 0 与 1 之间（例如 0.95、0.998）")
    return (1 - level) / 2, 1 - (1 - level) / 2


def _exact_point(theta0: float, n: Floats, p: float) -> Floats:
    r = binom.ppf(p, n, theta0)
    f_r = binom.cdf(r, n, theta0)
    f_below = binom.cdf(r - 1, n, theta0)
    step = f_r - f_below
    alpha = np.divide(f_r - p, step, out=np.zeros_like(step), where=step > 0)
    return np.clip((r - alpha) / n, 0.0, 1.0)


def exact_limits(theta0: float, n: npt.ArrayLike, level: float = 0.95) -> tuple[Floats, Floats]:
    """(lower, upper) exact binomial limits for proportions at sample sizes `n` (n ≥ 1)."""
    if not 0 <= theta0 <= 1:
        raise ValueError("中心线 p₀ 应在 0 与 1 之间")
    sizes = np.atleast_1d(np.asarray(n, dtype=float))
    if np.any(sizes < 1):
        raise ValueError("漏斗图的样本量应不小于 1")
    low_p, high_p = _tail_probs(level)
    return _exact_point(theta0, sizes, low_p), _exact_point(theta0, sizes, high_p)


@dataclass(frozen=True)
class Overdispersion:
    """φ (multiplicative) and τ² (additive) over `units` units; both "none" when φ ≤ (I−1)/I."""

    phi: float
    tau2: float
    units: int

    @property
    def present(self) -> bool:
        return self.units * self.phi > self.units - 1


def _winsorize(z: Floats, share: float) -> Floats:
    if share <= 0 or z.size < 3:
        return z
    low, high = np.quantile(z, [share, 1 - share])
    return np.clip(z, low, high)


def overdispersion(
    successes: npt.ArrayLike, totals: npt.ArrayLike, theta0: float, winsor: float = 0.1
) -> Overdispersion:
    """φ̂ = mean of squared (winsorized) z-scores; τ̂² by the DerSimonian–Laird moment form."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    keep = n > 0
    x, n = x[keep], n[keep]
    if x.size < 2 or not 0 < theta0 < 1:
        return Overdispersion(phi=float("nan"), tau2=float("nan"), units=int(x.size))
    s2 = theta0 * (1 - theta0) / n
    z = _winsorize((x / n - theta0) / np.sqrt(s2), winsor)
    units = z.size
    phi = float(np.mean(z**2))
    w = 1 / s2
    tau2 = (units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return Overdispersion(phi=phi, tau2=float(max(tau2, 0.0)), units=units)


def adjusted_limits(
    theta0: float,
    n: npt.ArrayLike,
    level: float,
    over: Overdispersion,
    kind: str = "multiplicative",
) -> tuple[Floats, Floats]:
    """Normal limits widened by φ (multiplicative) or τ² (additive); plain if not overdispersed."""
    sizes = np.atleast_1d(np.asarray(n, dtype=float))
    s2 = theta0 * (1 - theta0) / sizes
    if kind == "multiplicative":
        var = s2 * (over.phi if over.present else 1.0)
    elif kind == "additive":
        var = s2 + (over.tau2 if over.present else 0.0)
    else:
        raise ValueError(f"未知的过度离散调整方式：{kind}（可用：multiplicative、additive）")
    z = norm.ppf(_tail_probs(level)[1])
    half = z * np.sqrt(var)
    return np.clip(theta0 - half, 0.0, 1.0), np.clip(theta0 + half, 0.0, 1.0)


def funnel_table(
    successes: pd.Series, totals: pd.Series, theta0: float | None = None, winsor: float = 0.1
) -> tuple[pd.DataFrame, Overdispersion]:
    """Per unit: n, rate, exact 95% / 99.8% limits, multiplicative-φ limits and the outside flags.

    θ₀ defaults to the pooled rate Σx / Σn. Units with n = 0 are dropped (no rate to place).
    """
    x = successes.astype(float)
    n = totals.reindex(x.index).astype(float)
    keep = n > 0
    x, n = x[keep], n[keep]
    p0 = float(x.sum() / n.sum()) if theta0 is None else float(theta0)
    over = overdispersion(x.to_numpy(), n.to_numpy(), p0, winsor)
    out = pd.DataFrame({"n": n, "rate": x / n})
    for level, tag in zip(LEVELS, ("95", "998"), strict=True):
        low, high = exact_limits(p0, n.to_numpy(), level)
        out[f"lower{tag}"], out[f"upper{tag}"] = low, high
        out[f"outside{tag}"] = (out["rate"] < low) | (out["rate"] > high)
        a_low, a_high = adjusted_limits(p0, n.to_numpy(), level, over)
        out[f"adj_lower{tag}"], out[f"adj_upper{tag}"] = a_low, a_high
        out[f"adj_outside{tag}"] = (out["rate"] < a_low) | (out["rate"] > a_high)
    out.attrs["theta0"] = p0
    return out, over
