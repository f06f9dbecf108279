"""Case-level draws of one province × year partition: court, filing date, priority category and
cause, party types, heavy-tailed claim amount, closing method and date, amount recovered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from legal import ZHONGBEN
from synthgen.core.dates import Days, year_bounds
from synthgen.enforcement.outcome import (
    OutcomeModel,
    assets_found,
    pick_methods,
    zhongben_probability,
)
from synthgen.enforcement.params import EnforcementParams

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

ZB = ZHONGBEN
LIVELIHOOD = ("农民工工资", "赡养费", "抚养费", "抚恤金", "人身损害赔偿")
_CATEGORY_MEDIAN = {
    "农民工工资": 0.6,
    "赡养费": 0.2,
    "抚养费": 0.25,
    "抚恤金": 1.0,
    "人身损害赔偿": 1.5,
}
_COMPANY_RESPONDENT = {"农民工工资": 0.6, "人身损害赔偿": 0.3}


@dataclass
class CaseDraws:
    court: Ints
    filing: Days
    category: npt.NDArray[Any]
    cause: npt.NDArray[Any]
    resp_company: Bools
    appl_company: Bools
    amount: Floats
    method: npt.NDArray[Any]
    closing: Days  # NaT for 未结
    recovered: Floats
    assets_found: Bools  # the respondent has disposable property the search can find

    @property
    def n(self) -> int:
        return int(self.filing.size)


def pick(labels: list[str], shares: list[float], u: Floats) -> npt.NDArray[Any]:
    edges = np.cumsum(np.array(shares) / np.sum(shares))
    return np.array(labels)[np.minimum(np.searchsorted(edges, u, side="right"), len(labels) - 1)]


def draw_amounts(rng: np.random.Generator, p: dict[str, Any], scale: Floats) -> Floats:
    """Lognormal body scaled by category, with a Pareto tail (a few claims in the tens of
    millions) so that means and sums are dominated by few cases, as in real dockets."""
    n = scale.size
    body = float(p["median"]) * scale * np.exp(rng.normal(0.0, float(p["sigma"]), n))
    tail = float(p["tail_min"]) * (1.0 - rng.random(n)) ** (-1.0 / float(p["tail_alpha"]))
    amount = np.where(rng.random(n) < float(p["tail_share"]), tail, body)
    return np.round(np.clip(amount, 500.0, 5e9), 2)


def _durations(
    rng: np.random.Generator, params: EnforcementParams, method: npt.NDArray[Any]
) -> Ints:
    spec = params.data["closing"]["duration"]
    out = np.zeros(method.size, dtype=np.int64)
    for label, d in spec.items():
        mask = method == label
        k = int(mask.sum())
        if k:
            raw = float(d["median"]) * np.exp(rng.normal(0.0, float(d["sigma"]), k))
            out[mask] = np.maximum(np.rint(raw), int(d["floor"])).astype(np.int64)
    return out


def _recovered(
    rng: np.random.Generator, params: EnforcementParams, method: npt.NDArray[Any], amount: Floats
) -> Floats:
    n = method.size
    mix = params.data["recovery"]["zhongben_mix"]
    u = rng.random(n)
    v = rng.random(n)
    zb_frac = np.where(
        u < mix["none"],
        0.0,
        np.where(u < mix["none"] + mix["under30"], 0.01 + 0.28 * v, 0.3 + 0.6 * v),
    )
    settle = float(params.data["recovery"]["settlement_min"])
    frac = np.select(
        [
            method == "执行完毕",
            method == ZB,
            method == "和解",
            method == "终结执行",
            method == "未结",
        ],
        [
            np.ones(n),
            zb_frac,
            settle + (1 - settle) * v,
            np.where(u < 0.7, 0.0, 0.2 * v),
            np.where(u < 0.6, 0.0, 0.5 * v),
        ],
        default=0.0,
    )
    return np.round(amount * frac, 2)


def draw_cases(
    rng: np.random.Generator,
    params: EnforcementParams,
    year: int,
    courts: Any,
    n: int,
    province: str,
) -> CaseDraws:
    """``courts``: the province's receiving courts with ``caseload_weight`` and ``zb_effect``."""
    court_weights = courts["caseload_weight"].to_numpy(float)
    p = params.data
    court = rng.choice(court_weights.size, size=n, p=court_weights / court_weights.sum())
    start, end = year_bounds(year)
    span = int((end - start).astype(np.int64)) + 1
    filing = start + rng.integers(0, span, size=n).astype("timedelta64[D]")
    prio = p["priority"]["shares"]
    labels = [*prio, "一般"]
    shares = [float(v) for v in prio.values()]
    category = pick(labels, [*shares, 1.0 - sum(shares)], rng.random(n))
    company_p = np.full(n, float(p["parties"]["respondent_company_share"]))
    for label in LIVELIHOOD:
        company_p[category == label] = _COMPANY_RESPONDENT.get(label, 0.0)
    resp_company = rng.random(n) < company_p
    category = np.where((category == "一般") & resp_company, "涉企", category)
    cause = _causes(rng, p["priority"]["causes"], category)
    livelihood = np.isin(category, LIVELIHOOD)
    appl_company = ~livelihood & (rng.random(n) < float(p["parties"]["applicant_company_share"]))
    scale = np.ones(n)
    for label, factor in _CATEGORY_MEDIAN.items():
        scale[category == label] = factor
    amount = draw_amounts(rng, p["amounts"], scale)
    model = OutcomeModel.from_params(p["zhongben_model"])
    found = assets_found(rng, model, resp_company)
    effect = courts["zb_effect"].to_numpy(float)[court]
    p_zb = zhongben_probability(model, found, resp_company, amount, year, province, effect)
    others = {k: v for k, v in params.closing_shares().items() if k != ZB}
    method = pick_methods(rng, p_zb, others)
    closing = filing + _durations(rng, params, method).astype("timedelta64[D]")
    open_ = closing > params.data_end
    method = np.where(open_, "未结", method)
    closing = np.where(open_, np.datetime64("NaT", "D"), closing)
    return CaseDraws(
        court=court,
        filing=filing,
        category=category,
        cause=cause,
        resp_company=resp_company,
        appl_company=appl_company,
        amount=amount,
        method=method,
        closing=closing,
        recovered=_recovered(rng, params, method, amount),
        assets_found=found,
    )


def _causes(
    rng: np.random.Generator, causes: dict[str, list[str]], category: npt.NDArray[Any]
) -> npt.NDArray[Any]:
    out = np.empty(category.size, dtype=object)
    u = rng.random(category.size)
    for label, options in causes.items():
        mask = category == label
        if label == "一般":
            mask = mask | (category == "涉企")
        idx = np.minimum((u[mask] * len(options)).astype(np.int64), len(options) - 1)
        out[mask] = np.array(options, dtype=object)[idx]
    return out
