"""Why a case ends in 终本: a logistic model on the respondent's disposable assets (found or not),
respondent type, claim size, region, filing year and a court random effect, whose truth is
written to `_truth/` so that a multilevel model on the data can recover it (docs/enforcement-
data.md). Cases that do not end in 终本 split among the other closing methods in the shares of
``closing.shares``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from legal import ZHONGBEN
from synthgen.core.seeds import rng_for

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
EAST = {"11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46"}
CENTRAL = {"14", "22", "23", "34", "36", "41", "42", "43"}


def region_of(province: str) -> str:
    """东部 / 中部 / 西部 by the National Bureau of Statistics' three-region grouping."""
    return "东部" if province in EAST else "中部" if province in CENTRAL else "西部"


@dataclass(frozen=True)
class OutcomeModel:
    intercept: float
    assets_found: float
    company: float
    log10_amount: float
    amount_centre: float
    region: dict[str, float]
    year: dict[int, float]
    court_sd: float
    assets_share: dict[str, float]

    @classmethod
    def from_params(cls, p: dict[str, Any]) -> OutcomeModel:
        c = p["coefficients"]
        return cls(
            intercept=float(c["intercept"]),
            assets_found=float(c["assets_found"]),
            company=float(c["company"]),
            log10_amount=float(c["log10_amount"]),
            amount_centre=float(p["amount_centre"]),
            region={str(k): float(v) for k, v in p["region"].items()},
            year={int(k): float(v) for k, v in p["year"].items()},
            court_sd=float(p["court_sd"]["value"]),
            assets_share={str(k): float(v) for k, v in p["assets_found_share"].items()},
        )

    def truth(self) -> dict[str, Any]:
        return {
            "link": "logit",
            "outcome": f"closing_method = {ZHONGBEN}（已结首次执行案件）",
            "coefficients": {
                "intercept": self.intercept,
                "assets_found": self.assets_found,
                "company": self.company,
                "log10_amount_centred": self.log10_amount,
            },
            "amount_centre": self.amount_centre,
            "region": self.region,
            "year": {str(k): v for k, v in self.year.items()},
            "court_sd": self.court_sd,
            "assets_found_share": self.assets_share,
        }


def court_effects(courts: pd.DataFrame, model: OutcomeModel, seed: int) -> Floats:
    """One random intercept per court, N(0, court_sd²), from its own seed stream."""
    rng = rng_for(seed, "enforcement", "court_effects")
    return rng.normal(0.0, model.court_sd, len(courts))


def assets_found(rng: np.random.Generator, model: OutcomeModel, company: Bools) -> Bools:
    share = np.where(company, model.assets_share["法人"], model.assets_share["自然人"])
    return rng.random(company.size) < share


def zhongben_probability(
    model: OutcomeModel, found: Bools, company: Bools, amount: Floats, year: int,
    province: str, effect: Floats,
) -> Floats:  # fmt: skip
    eta = (
        model.intercept
        + model.assets_found * found
        + model.company * company
        + model.log10_amount * (np.log10(amount) - np.log10(model.amount_centre))
        + model.region[region_of(province)]
        + model.year.get(year, 0.0)
        + effect
    )
    return 1.0 / (1.0 + np.exp(-eta))


def pick_methods(
    rng: np.random.Generator, p_zb: Floats, others: dict[str, float]
) -> npt.NDArray[Any]:
    """终本 with probability ``p_zb``; otherwise one of the other methods in their shares."""
    labels = list(others)
    weights = np.array([others[k] for k in labels], dtype=float)
    edges = np.cumsum(weights / weights.sum())
    u = rng.random(p_zb.size)
    other = np.array(labels, dtype=object)[
        np.minimum(np.searchsorted(edges, rng.random(p_zb.size), side="right"), len(labels) - 1)
    ]
    return np.where(u < p_zb, ZHONGBEN, other)
