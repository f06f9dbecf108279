"""Holdings of people and firms that are party to no case (registry-only owners): a join is
needed to find a respondent's assets, and a careless join finds someone else's; they are also
the buyers at judicial sales (transfers.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from synthgen.enforcement.holdings import NAT, NO_HOLDER, Ints, add_accounts, choice, lognormal
from synthgen.enforcement.log import days
from synthgen.enforcement.registry import (
    CARD_BANKS,
    CASH_PRODUCTS,
    INSURERS,
    PLAIN_PRODUCTS,
    Registry,
)


def registry_only(
    reg: Registry,
    rng: np.random.Generator,
    persons: npt.NDArray[Any],
    companies: npt.NDArray[Any],
    p_home: Ints,
    c_home: Ints,
    lo: np.datetime64,
    hi: np.datetime64,
) -> None:
    """Holdings of people and firms that are party to no case: a join is needed to find a
    respondent's assets, and a careless join finds someone else's."""
    owner = np.concatenate([persons, companies])
    company = np.r_[np.zeros(persons.size, bool), np.ones(companies.size, bool)]
    home = np.concatenate([p_home, c_home])
    n = owner.size
    span = int((hi - lo).astype(np.int64))
    on = lo + days(rng.integers(0, span + 1, n))
    k = 1 + (rng.random(n) < 0.4)
    rows = np.repeat(np.arange(n), k)
    add_accounts(
        reg,
        rng,
        owner[rows],
        company[rows],
        lognormal(rng, 12000, 1.6, rows.size),
        on[rows],
        on[rows] - days(rng.integers(100, 4000, rows.size)),
    )
    veh = np.flatnonzero(rng.random(n) < np.where(company, 0.3, 0.35))
    reg.add(
        "vehicle",
        veh.size,
        owner_type=np.where(company[veh], "法人", "自然人").astype(object),
        owner_id=owner[veh],
        registered_date=(since := on[veh] - days(rng.integers(0, 3000, veh.size))),
        owner_since=since,
        case=-1,
        status=np.where(rng.random(veh.size) < 0.1, "抵押", "正常").astype(object),
        division=home[veh],
        ev_mode=np.zeros(veh.size, np.int8),
        ev_s=np.full(veh.size, NAT),
        ev_t=np.full(veh.size, NAT),
    )
    est = np.repeat(np.arange(n), (rng.random(n) < 0.4) * (1 + (rng.random(n) < 0.3)))
    value = lognormal(rng, 900_000, 0.8, est.size)
    mortgage = np.where(rng.random(est.size) < 0.35,
                        np.round(value * rng.uniform(0.3, 0.9, est.size), 2), 0.0)  # fmt: skip
    single = np.bincount(est, minlength=n)[est] == 1
    reg.add(
        "estate",
        est.size,
        owner_type=np.where(company[est], "法人", "自然人").astype(object),
        owner_id=owner[est],
        division=home[est],
        est_value=value,
        registered_date=(since := on[est] - days(rng.integers(0, 5000, est.size))),
        owner_since=since,
        case=-1,
        mortgage_amount=mortgage,
        mortgage_holder=np.where(mortgage > 0, choice(rng, list(CARD_BANKS), est.size), NO_HOLDER),
        sole_residence=single & ~company[est] & (rng.random(est.size) < 0.5),
    )
    pol = np.flatnonzero(~company & (rng.random(n) < 0.35))
    cash = rng.random(pol.size) < 0.5
    reg.add(
        "policy",
        pol.size,
        holder_type=np.full(pol.size, "自然人", dtype=object),
        holder_id=owner[pol],
        insured_person_id=owner[pol],
        insurer=choice(rng, INSURERS, pol.size),
        product_type=np.where(
            cash, choice(rng, CASH_PRODUCTS, pol.size), choice(rng, PLAIN_PRODUCTS, pol.size)
        ),
        cash_value=np.where(cash, lognormal(rng, 30000, 1.0, pol.size), 0.0),
        start_date=on[pol] - days(rng.integers(0, 4000, pol.size)),
    )
    fund = np.flatnonzero(~company & (rng.random(n) < 0.5))
    reg.add(
        "fund",
        fund.size,
        person_id=owner[fund],
        balance=lognormal(rng, 20000, 1.0, fund.size),
        balance_date=on[fund],
    )
