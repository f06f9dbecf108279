"""What respondents and registry-only owners hold (accounts, vehicles, real estate, policies,
housing funds), and the court's measures on respondents' assets in 终本 cases: seals, seizures,
freezes, valuations and auctions — compliant, or with a planted ZB-04 / ZB-04V / ZB-17 defect."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from synthgen.enforcement.actions import BANK, ESTATE, POLICY, VEHICLE, Ctx
from synthgen.enforcement.log import days, text
from synthgen.enforcement.margins import margins
from synthgen.enforcement.registry import (
    CARD_BANKS,
    CASH_PRODUCTS,
    INSURERS,
    PAYMENT,
    PLAIN_PRODUCTS,
    Registry,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NAT = np.datetime64("NaT", "D")
NO_HOLDER = np.array(None, dtype=object)


def choice(rng: np.random.Generator, options: list[str], n: int) -> npt.NDArray[Any]:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def lognormal(
    rng: np.random.Generator, median: float, sigma: float, n: int
) -> npt.NDArray[np.float64]:
    return np.round(median * np.exp(rng.normal(0.0, sigma, n)), 2)


def add_accounts(
    reg: Registry,
    rng: np.random.Generator,
    owner: npt.NDArray[Any],
    company: Bools,
    balance: npt.NDArray[np.float64],
    on: Any,
    opened: Any,
    payment: bool = False,
) -> Ints:
    n = owner.size
    if payment:
        bank = choice(rng, list(PAYMENT), n)
        kind = np.full(n, "支付账户", dtype=object)
    else:
        bank = choice(rng, list(CARD_BANKS), n)
        kind = np.where(company, "对公账户", "借记卡").astype(object)
    return reg.add(
        "bank",
        n,
        owner_type=np.where(company, "法人", "自然人").astype(object),
        owner_id=owner,
        bank=bank,
        kind=kind,
        balance=balance,
        balance_date=np.asarray(on, dtype="datetime64[D]"),
        opened_date=np.asarray(opened, dtype="datetime64[D]"),
    )


def respondent_assets(
    c: Ctx, reg: Registry, owner: npt.NDArray[Any], home: Ints
) -> tuple[Ints, Bools]:
    """Registry rows of every respondent; returns each case's first bank account and whether
    the respondent holds a policy with cash value (such cases are not 终本-ed again later)."""
    d, plan, rng, spec = c.d, c.plan, c.rng, c.params.data["assets"]
    n = d.n
    company = d.resp_company
    zb = plan.zb
    mean = np.where(
        company, spec["bank_accounts_mean"]["company"], spec["bank_accounts_mean"]["person"]
    )
    k = 1 + rng.poisson(mean - 1.0)
    case_of = np.repeat(np.arange(n), k)
    below = 0.9 * margins().min_asset_value  # 终本 respondents' accounts stay under the floor
    small = rng.uniform(0, below, case_of.size).round(2)
    balance = np.where(zb[case_of], small, lognormal(rng, 3000, 1.5, case_of.size))
    opened = d.filing[case_of] - days(rng.integers(100, 4000, case_of.size))
    idx = add_accounts(reg, rng, owner[case_of], company[case_of], balance, c.q[case_of], opened)
    first = idx[np.cumsum(k) - k]
    pay = np.flatnonzero(
        rng.random(n)
        < np.where(
            company,
            spec["payment_account_share"]["company"],
            spec["payment_account_share"]["person"],
        )
    )
    bal = np.where(
        zb[pay], rng.uniform(0, below, pay.size).round(2), lognormal(rng, 800, 1.5, pay.size)
    )
    add_accounts(
        reg,
        rng,
        owner[pay],
        company[pay],
        bal,
        c.q[pay],
        d.filing[pay] - days(rng.integers(100, 3000, pay.size)),
        payment=True,
    )
    _planted_deposits(c, reg, owner)
    _vehicles(c, reg, owner, home)
    _estates(c, reg, owner, home)
    cash_policy = _policies(c, reg, owner)
    fund = np.flatnonzero(~company & (rng.random(n) < spec["housing_fund_share"]["person"]))
    reg.add(
        "fund",
        fund.size,
        person_id=owner[fund],
        balance=lognormal(rng, 15000, 1.0, fund.size),
        balance_date=c.q[fund],
    )
    return first, cash_policy


def _planted_deposits(c: Ctx, reg: Registry, owner: npt.NDArray[Any]) -> None:
    d, rng = c.d, c.rng
    cases = np.flatnonzero(c.plan.zb04_kind == 1)
    unpaid = d.amount[cases] - d.recovered[cases]
    m = margins()
    need = np.maximum(m.min_asset_value, m.min_share_of_unpaid * unpaid)
    balance = np.round(need * rng.uniform(1.5, 4.0, cases.size), 2)
    opened = d.filing[cases] - days(rng.integers(100, 3000, cases.size))
    idx = add_accounts(reg, rng, owner[cases], d.resp_company[cases], balance, c.q[cases], opened)
    c.truth.add(
        cases,
        "ZB-04",
        text("终本时被执行人账户存款余额", np.floor(balance), "元未冻结扣划"),
        BANK,
        idx,
    )


def _vehicles(c: Ctx, reg: Registry, owner: npt.NDArray[Any], home: Ints) -> None:
    d, plan, rng, spec = c.d, c.plan, c.rng, c.params.data["assets"]
    n = d.n
    share = np.where(
        d.resp_company, spec["vehicle_share"]["company"], spec["vehicle_share"]["person"]
    )
    share = share * np.where(d.assets_found, 1.6, 0.5)  # property found goes with registrations
    has = np.flatnonzero(rng.random(n) < share)
    zb = plan.zb[has]
    sealed = has[zb]
    seal = c.at(sealed, 0.0, 0.15)
    planted = rng.random(sealed.size) < c.params.rate("ZB-04V")
    seize = ~planted & (rng.random(sealed.size) < 0.4)
    mode = np.zeros(has.size, dtype=np.int8)
    mode[zb] = np.where(planted, 2, np.where(seize, 0, 1))
    s_day = np.full(has.size, NAT)
    s_day[zb] = seal
    status = np.where(zb, "查封", np.where(rng.random(has.size) < 0.1, "抵押", "正常")).astype(
        object
    )
    idx = reg.add(
        "vehicle",
        has.size,
        owner_type=np.where(d.resp_company[has], "法人", "自然人").astype(object),
        owner_id=owner[has],
        registered_date=(since := d.filing[has] - days(rng.integers(200, 3000, has.size))),
        owner_since=since,
        case=has,
        status=status,
        division=home[has],
        ev_mode=mode,
        ev_s=s_day,
        ev_t=d.closing[has],
    )
    v = idx[zb]
    c.log.add(sealed, "查封", seal, VEHICLE, v, note="查封登记")
    taken = sealed[seize]
    grab = seal[seize] + days(1 + (rng.random(taken.size) * 0.1 * c.span[taken]).astype(np.int64))
    c.log.add(taken, "扣押", grab, VEHICLE, v[seize])
    c.log.add(taken, "评估", c.at(taken, 0.3, 0.4), VEHICLE, v[seize])
    c.log.add(
        taken,
        "拍卖",
        c.at(taken, 0.55, 0.65),
        VEHICLE,
        v[seize],
        note="两次流拍，申请执行人不同意以物抵债",
    )
    c.truth.add(
        sealed[planted], "ZB-04V", "车辆已查封未扣押，查封后终本前仍有通行记录", VEHICLE, v[planted]
    )


def _estate_paths(c: Ctx, sc: Ints, single: Bools) -> tuple[Bools, Bools, Bools, Bools]:
    """How a 终本 case's property is handled: another court's first seal (轮候查封), 无益拍卖
    (the mortgage covers the value), the family's only home (sealed, never sold), or auction
    that fails twice; planted ZB-04 / ZB-17 cases take the first-seal routes only."""
    d, plan, rng = c.d, c.plan, c.rng
    spec = c.params.data["estates"]
    p04 = plan.zb04_kind[sc] == 3
    queue = ~p04 & ~plan.flags["ZB-17"][sc] & (rng.random(sc.size) < 0.3)
    first = ~queue & ~p04
    futile = first & (rng.random(sc.size) < float(spec["futile_share"]["value"]))
    home = (
        first & ~futile & ~d.resp_company[sc] & single
        & (rng.random(sc.size) < float(spec["sole_home_share"]["value"]))
    )  # fmt: skip
    return queue, futile, home, first & ~futile & ~home


def _estates(c: Ctx, reg: Registry, owner: npt.NDArray[Any], home: Ints) -> None:
    d, plan, rng, spec = c.d, c.plan, c.rng, c.params.data["assets"]
    n = d.n
    share = np.where(
        d.resp_company, spec["real_estate_share"]["company"], spec["real_estate_share"]["person"]
    )
    share = share * np.where(d.assets_found, 1.7, 0.45)
    p04 = plan.zb04_kind == 3
    p17 = plan.flags["ZB-17"]
    ratio = margins().overseal_ratio  # two properties of 0.6–0.9 × ratio × claim each
    has = np.flatnonzero((rng.random(n) < share) | p04 | p17)
    count = np.where(p17[has], 2, 1)
    case_of = np.repeat(has, count)
    value = lognormal(rng, 600_000, 0.8, case_of.size)
    value = np.where(
        p17[case_of],
        np.round(d.amount[case_of] * rng.uniform(0.6 * ratio, 0.9 * ratio, case_of.size), 2),
        value,
    )
    inzb = plan.zb[case_of]
    sc = case_of[inzb]
    queue, futile, sole, sold = _estate_paths(c, sc, count[np.searchsorted(has, sc)] == 1)
    mortgaged = rng.random(case_of.size) < float(
        c.params.data["estates"]["mortgage_share"]["value"]
    )
    mortgage = np.where(mortgaged, np.round(value * rng.uniform(0.3, 0.7, case_of.size), 2), 0.0)
    mortgage[np.flatnonzero(inzb)[futile]] = np.round(
        value[inzb][futile] * rng.uniform(1.05, 1.6, int(futile.sum())), 2
    )
    sole_flag = np.zeros(case_of.size, dtype=bool)
    sole_flag[np.flatnonzero(inzb)[sole]] = True
    idx = reg.add(
        "estate",
        case_of.size,
        owner_type=np.where(d.resp_company[case_of], "法人", "自然人").astype(object),
        owner_id=owner[case_of],
        division=home[case_of],
        est_value=value,
        registered_date=(since := d.filing[case_of] - days(rng.integers(300, 5000, case_of.size))),
        owner_since=since,
        case=case_of,
        mortgage_amount=mortgage,
        mortgage_holder=np.where(
            mortgage > 0, choice(rng, list(CARD_BANKS), case_of.size), NO_HOLDER
        ),
        sole_residence=sole_flag,
    )
    _estate_actions(c, sc, idx[inzb], queue, futile, sole, sold)


def _estate_actions(
    c: Ctx, sc: Ints, si: Ints, queue: Bools, futile: Bools, sole: Bools, sold: Bools
) -> None:
    plan = c.plan
    seal = c.at(sc, 0.0, 0.15)
    c.log.add(sc[queue], "轮候查封", seal[queue], ESTATE, si[queue], note="他案已首封")
    first = ~queue
    c.log.add(sc[first & ~sole], "查封", seal[first & ~sole], ESTATE, si[first & ~sole],
              note="首封")  # fmt: skip
    c.log.add(
        sc[sole], "查封", seal[sole], ESTATE, si[sole], note="首封；被执行人唯一住房，不得拍卖"
    )
    valued = futile | sold
    c.log.add(sc[valued], "评估", c.at(sc[valued], 0.25, 0.3), ESTATE, si[valued])
    c.log.add(sc[futile], "无益拍卖通知", c.at(sc[futile], 0.32, 0.4), ESTATE, si[futile],
              note="抵押担保债权不低于评估价，拍卖无剩余可能；"
                   "申请执行人未申请继续拍卖")  # fmt: skip
    for lo, label, after in (
        (0.45, "第一次拍卖", "无人竞买"),
        (0.6, "第二次拍卖", "无人竞买，申请执行人不同意以物抵债"),
    ):
        day = c.at(sc[sold], lo, lo + 0.1)
        c.log.add(sc[sold], "拍卖", day, ESTATE, si[sold], note=label)
        c.log.add(sc[sold], "流拍", day, ESTATE, si[sold], note=f"{label}{after}")
    bad = first & ~futile & ~sole & ~sold
    c.truth.add(
        sc[bad], "ZB-04", "首封不动产未拍卖即终本，且不属无益拍卖或唯一住房", ESTATE, si[bad]
    )
    c.truth.add(np.flatnonzero(plan.flags["ZB-17"]), "ZB-17",
                "查封两处不动产，评估价合计超过未履行金额两倍")  # fmt: skip


def _policies(c: Ctx, reg: Registry, owner: npt.NDArray[Any]) -> Bools:
    d, plan, rng, spec = c.d, c.plan, c.rng, c.params.data["assets"]
    n = d.n
    p04 = plan.zb04_kind == 2
    has = np.flatnonzero(
        (~d.resp_company & (rng.random(n) < spec["insurance_share"]["person"])) | p04
    )
    cash = p04[has] | (rng.random(has.size) < 0.5)
    product = np.where(
        cash, choice(rng, CASH_PRODUCTS, has.size), choice(rng, PLAIN_PRODUCTS, has.size)
    )
    value = np.where(cash, lognormal(rng, 20000, 1.0, has.size), 0.0)
    floor = margins().min_asset_value
    value = np.where(p04[has], np.maximum(value, 1.5 * floor), value)  # planted: above the floor
    idx = reg.add(
        "policy",
        has.size,
        holder_type=np.full(has.size, "自然人", dtype=object),
        holder_id=owner[has],
        insured_person_id=owner[has],
        insurer=choice(rng, INSURERS, has.size),
        product_type=product,
        cash_value=value,
        start_date=d.filing[has] - days(rng.integers(300, 4000, has.size)),
    )
    frozen = plan.zb[has] & cash & ~p04[has]
    c.log.add(
        has[frozen],
        "冻结",
        c.at(has[frozen], 0.0, 0.1),
        POLICY,
        idx[frozen],
        note="冻结保单现金价值",
    )
    lead = has[frozen]
    worth = value[frozen] >= floor
    c.truth.add(
        lead[worth],
        "ZB-04I",
        text("保单现金价值", np.floor(value[frozen][worth]), "元已冻结，终本前未扣划"),
        POLICY,
        idx[frozen][worth],
    )
    bad = p04[has]
    c.truth.add(
        has[bad],
        "ZB-04",
        text("被执行人保单现金价值", np.floor(value[bad]), "元未冻结"),
        POLICY,
        idx[bad],
    )
    out = np.zeros(n, dtype=bool)
    out[has[cash]] = True
    return out
