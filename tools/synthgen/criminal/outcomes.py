"""Both reviews' outcomes for a simulated population, under the legal constraints:

- 不批准逮捕 for "不构成犯罪" ends the case (no 审查起诉);
- an arrested suspect is less likely not to be prosecuted (γ per year, calibrated);
- 存疑不起诉 only after at least one 退回补充侦查 (刑事诉讼法第一百七十五条);
- 附条件不起诉 only for juveniles charged with a crime of 刑法分则 chapters 4–6 whose likely
  sentence is at most one year (刑事诉讼法第二百八十二条).

The type shares are scaled inside the eligible groups (``TypeShares``, solved on the calibration
sample) so the published mix holds overall.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.params import CriminalParams
from synthgen.criminal.population import Population

Strs = npt.NDArray[Any]
REASONS = ["不构成犯罪", "证据不足", "无社会危险性"]


@dataclass(frozen=True)
class TypeShares:
    """Shares inside the eligible groups: 附条件 among eligible juveniles' non-prosecutions,
    存疑 among adult-type non-prosecutions with at least one return."""

    conditional_if_eligible: float
    doubt_if_returned: float


@dataclass(frozen=True)
class Decisions:
    has_arrest_review: npt.NDArray[np.bool_]
    in_prosecution: npt.NDArray[np.bool_]
    arrested: npt.NDArray[np.bool_]
    eta_arrest: npt.NDArray[np.float64]
    p_arrest: npt.NDArray[np.float64]
    arrest: Strs  # 批准逮捕 / 不批准逮捕 / 其他
    non_arrest_reason: Strs
    eta_prosecution: npt.NDArray[np.float64]
    p_prosecution: npt.NDArray[np.float64]
    prosecution: Strs  # 起诉 / 不起诉 / 其他
    non_prosecution_type: Strs


def _pick(labels: list[str], shares: list[float], u: npt.NDArray[np.float64]) -> Strs:
    edges = np.cumsum(np.array(shares) / np.sum(shares))
    return np.array(labels)[np.minimum(np.searchsorted(edges, u, side="right"), len(labels) - 1)]


def arrest_stage(
    params: CriminalParams, pop: Population, model: FittedModel, u_proc: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.bool_], Strs]:
    """η, 其他, 不批准逮捕 and the reason of every suspect (meaningful where reviewed)."""
    eta = model.eta(pop.tl.arrest_decided, pop.x(), u_proc[pop.proc], pop.lenient_arrest)
    other = pop.u[:, 0] < params.arrest.other_decision_share.value
    non_arrest = ~other & (pop.u[:, 1] < expit(eta))
    reasons = params.arrest.reasons
    assert reasons is not None
    reason = _pick(REASONS, [reasons.shares[r] for r in REASONS], pop.u[:, 2])  # type: ignore[index]
    return eta, other, non_arrest, reason


def decide(
    params: CriminalParams,
    pop: Population,
    models: tuple[FittedModel, FittedModel],
    effects: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    shares: TypeShares,
) -> Decisions:
    has_ar = pop.has_arrest_review
    eta_a, other_a, non_arrest, reason = arrest_stage(params, pop, models[0], effects[0])
    in_pros = ~(has_ar & non_arrest & (reason == "不构成犯罪"))
    arrested = has_ar & ~other_a & ~non_arrest
    eta_p = models[1].eta(
        pop.tl.pros_decided, pop.x(), effects[1][pop.proc], pop.lenient_prosecution, arrested
    )
    other_p = pop.u[:, 3] < params.prosecution.other_decision_share.value
    non_pros = ~other_p & (pop.u[:, 4] < expit(eta_p))
    np_type = non_prosecution_type(params, pop, shares, pop.u[:, 5])
    return Decisions(
        has_arrest_review=has_ar,
        in_prosecution=in_pros,
        arrested=arrested,
        eta_arrest=eta_a,
        p_arrest=expit(eta_a),
        arrest=np.where(other_a, "其他", np.where(non_arrest, "不批准逮捕", "批准逮捕")),
        non_arrest_reason=np.where(non_arrest, reason, np.array(None)),
        eta_prosecution=eta_p,
        p_prosecution=expit(eta_p),
        prosecution=np.where(other_p, "其他", np.where(non_pros, "不起诉", "起诉")),
        non_prosecution_type=np.where(non_pros, np_type, np.array(None)),
    )


def conditional_eligible(pop: Population) -> npt.NDArray[np.bool_]:
    cov = pop.cov
    chapter_ok = pop.crimes.conditional_eligible[cov.crime]
    return cov.is_juvenile & chapter_ok & cov.le_one_year


def non_prosecution_type(
    params: CriminalParams, pop: Population, shares: TypeShares, u: npt.NDArray[np.float64]
) -> Strs:
    types = params.prosecution.types
    assert types is not None
    adult = {k: float(v) for k, v in types.adult.items()}
    doubt = min(1.0, shares.doubt_if_returned)
    rest = {k: v for k, v in adult.items() if k != "存疑不起诉"}
    returned = pop.tl.returns > 0
    labels = ["存疑不起诉", *rest]
    scale = (1.0 - doubt) / sum(rest.values())
    with_doubt = _pick(labels, [doubt, *[v * scale for v in rest.values()]], u)
    without = _pick(list(rest), list(rest.values()), u)
    base = np.where(returned, with_doubt, without)
    cond = min(1.0, shares.conditional_if_eligible)
    return np.where(conditional_eligible(pop) & (pop.u[:, 6] < cond), "附条件不起诉", base)
