"""Restored cases (执恢): opened when property turns up after 终本, on the new account found;
they finish, are 终本-ed again with every step in order, or are still open at the data end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from synthgen.core.dates import add_months
from synthgen.enforcement.actions import BANK, Ctx, query_slots
from synthgen.enforcement.draws import ZB, pick
from synthgen.enforcement.log import days
from synthgen.enforcement.margins import margins
from synthgen.enforcement.registry import Registry

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass
class Restored:
    origin: Ints  # origin case index
    filing: npt.NDArray[np.datetime64]
    method: npt.NDArray[Any]
    closing: npt.NDArray[np.datetime64]
    amount: npt.NDArray[np.float64]
    recovered: npt.NDArray[np.float64]


def found_accounts(c: Ctx, reg: Registry, owner: npt.NDArray[Any]) -> Any:
    def make(cases: Ints, t: Any, found_on: Any) -> Ints:
        gap = np.maximum((found_on - t).astype(np.int64), 1)
        opened = t + days(1 + (c.rng.random(cases.size) * gap).astype(np.int64))
        opened = np.minimum(opened, found_on)
        return reg.add(
            "bank",
            cases.size,
            owner_type=np.where(c.d.resp_company[cases], "法人", "自然人").astype(object),
            owner_id=owner[cases],
            bank=np.full(cases.size, "中国工商银行", dtype=object),
            kind=np.where(c.d.resp_company[cases], "对公账户", "借记卡").astype(object),
            balance=np.zeros(cases.size),
            balance_date=found_on.copy(),
            opened_date=opened,
        )

    return make


def restored_cases(
    c: Ctx, reg: Registry, found: dict[str, Any], cash_policy: Bools, offset: int
) -> Restored:
    d, rng, end = c.d, c.rng, c.end
    origin = found["cases"]
    m = origin.size
    f = found["restore"]
    unpaid = np.round(d.amount[origin] - d.recovered[origin], 2)
    out = c.params.data["restoration"]["outcome"]
    method = pick(list(out), [float(v) for v in out.values()], rng.random(m))
    method = np.where((method == ZB) & cash_policy[origin], "执行完毕", method)
    done = method == "执行完毕"
    found_amt = np.round(
        unpaid * np.where(done, rng.uniform(1.0, 1.3, m), rng.uniform(0.05, 0.5, m)), 2
    )
    deduct = np.where(done, unpaid, np.round(found_amt * rng.uniform(0.9, 1.0, m), 2))
    case = offset + np.arange(m)
    notice = f + days(rng.integers(0, 3, m))
    c.log.add(case, "执行通知", notice)
    c.log.add(case, "报告财产令", notice, note="与执行通知同时发出")
    c.log.add(case, "网络查控", f + days(rng.integers(0, 4, m)), note="总对总网络查控")
    acct = found["account"]
    freeze = f + days(rng.integers(1, 4, m))
    take = freeze + days(rng.integers(0, 3, m))
    arrive = take + days(rng.integers(0, 2, m))
    payout = arrive + days(rng.integers(1, 21, m))
    c.log.add(case, "冻结", freeze, BANK, acct, deduct)
    c.log.add(case, "扣划", take, BANK, acct, deduct)
    c.log.add(case, "案款到账", arrive, amount=deduct)
    c.log.add(case, "案款发放", payout, amount=deduct)
    reg.set("bank", "balance", acct, np.round(found_amt - deduct, 2))
    reg.set("bank", "balance_date", acct, take)
    closing = np.where(
        done, payout + days(rng.integers(0, 6, m)), f + days(rng.integers(100, 201, m))
    )
    closing = np.where(method == "未结", np.datetime64("NaT", "D"), closing)
    late = ~np.isnat(closing) & (closing > end)
    method = np.where(late, "未结", method)
    closing = np.where(late, np.datetime64("NaT", "D"), closing)
    recovered = np.where(arrive <= end, deduct, 0.0)
    fin = np.flatnonzero(method == "执行完毕")
    c.log.add(case[fin], "执行完毕", closing[fin])
    listed = fin[c.plan.listed[origin[fin]]]
    c.log.add(origin[listed], "删除失信", closing[listed] + days(rng.integers(0, 4, listed.size)))
    _zhongben_again(c, case, origin, f, closing, method == ZB)
    return Restored(origin, f, method, closing, unpaid, recovered)


def _zhongben_again(c: Ctx, case: Ints, origin: Ints, f: Any, closing: Any, zb: Bools) -> None:
    """A restored case closed with 终本 again meets every condition anew (report, 传统查控, a
    fresh network query, sign-off) and continues its original case's measures by 续封 on the
    day after filing, each with a new term."""
    rng = c.rng
    k, t, fk = case[zb], closing[zb], f[zb]
    c.log.add(k, "限制消费令", fk + days(rng.integers(3, 21, k.size)))
    c.log.add(k, "被执行人报告财产", fk + days(rng.integers(5, 16, k.size)))
    c.log.add(k, "传统查控", t - days(rng.integers(30, 61, k.size)), note="到登记部门及住所地调查")
    c.log.add(k, "网络查控", t - days(rng.integers(3, 31, k.size)), note="终本前再次总对总网络查控")
    c.log.add(k, "终本约谈", t - days(rng.integers(1, 16, k.size)), note="约谈申请执行人")
    c.log.add(k, "合议庭评议", t - days(rng.integers(2, 7, k.size)))
    c.log.add(k, "院长审批", t - days(rng.integers(0, 2, k.size)))
    c.log.add(k, "终本裁定", t)
    src, kind, index = c.log.measures_of(origin[zb])
    order = np.argsort(origin[zb], kind="stable")
    pos = order[np.searchsorted(origin[zb][order], src)]
    pairs = np.unique(np.stack([pos, kind, index], axis=1), axis=0)
    for code in np.unique(pairs[:, 1]) if pairs.size else []:
        sel = pairs[pairs[:, 1] == code]
        c.log.add(k[sel[:, 0]], "续封", fk[sel[:, 0]] + days(1), int(code), sel[:, 2],
                  note="恢复执行，继续原案控制措施")  # fmt: skip
    m = margins()
    ok = m.query_step_ok
    k_max = query_slots(m.query_horizon_months, ok.lo)
    q = t[:, None] + days(np.cumsum(rng.integers(ok.lo, ok.hi, (k.size, k_max)), axis=1))
    valid = q <= np.minimum(add_months(t, m.query_horizon_months), c.end)[:, None]
    rows, cols = np.nonzero(valid)
    c.log.add(k[rows], "终本后查询", q[rows, cols], note="未发现可供执行财产")
