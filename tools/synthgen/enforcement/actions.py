"""Timelines of first-enforcement cases: notices, network queries, measures on the respondent's
assets, payments, the 终本 steps and the periodic queries after 终本, each meeting its deadline
unless the case plan plants a violation, which is then recorded in the truth log.

Compliant steps keep a margin from every threshold (网络查控 within 3 days, not 5; payout within
25 days, not 30; queries every 120–170 days, not six months) and planted ones exceed it clearly,
so that the rule engine's reading of a threshold (≤ or <, calendar or working days) cannot move
a case across it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from synthgen.core.dates import add_months
from synthgen.enforcement.draws import CaseDraws
from synthgen.enforcement.log import ActionLog, TruthLog, days, text
from synthgen.enforcement.margins import margins
from synthgen.enforcement.params import EnforcementParams
from synthgen.enforcement.plan import CasePlan

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]
BANK, VEHICLE, ESTATE, POLICY = 1, 2, 3, 4


@dataclass
class Ctx:
    rng: np.random.Generator
    params: EnforcementParams
    d: CaseDraws
    plan: CasePlan
    log: ActionLog
    truth: TruthLog
    end: np.datetime64
    q: Days  # first network query
    stop: Days  # last day for pre-closing steps (closing date, or a horizon for open cases)
    span: Ints  # usable days between the query and the stop

    def at(self, idx: Ints, lo: float, hi: float) -> Days:
        """A date at a random fraction in [lo, hi) of the case's window after the query."""
        frac = lo + (hi - lo) * self.rng.random(idx.size)
        return self.q[idx] + days(1 + np.floor(frac * self.span[idx]).astype(np.int64))


def make_ctx(
    rng: np.random.Generator,
    params: EnforcementParams,
    d: CaseDraws,
    plan: CasePlan,
    log: ActionLog,
    truth: TruthLog,
) -> Ctx:
    end = params.data_end
    horizon = np.minimum(d.filing + days(200), end)
    stop = np.where(np.isnat(d.closing), horizon, d.closing)
    span = np.maximum((stop - plan.query).astype(np.int64) - 2, 0)
    return Ctx(rng, params, d, plan, log, truth, end, plan.query, stop, span)


def notices_and_queries(c: Ctx) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    active = np.flatnonzero(~np.isin(d.method, ["不予执行", "驳回申请"]))
    notice = d.filing[active] + days(rng.integers(0, 3, active.size))
    v01 = plan.flags["ZB-01"][active]
    drop_notice = v01 & (rng.random(active.size) < 0.5)
    c.log.add(active[~drop_notice], "执行通知", notice[~drop_notice])
    keep_order = ~(v01 & ~drop_notice)
    c.log.add(active[keep_order], "报告财产令", notice[keep_order], note="与执行通知同时发出")
    c.truth.add(active[drop_notice], "ZB-01", "终本前未发出执行通知")
    c.truth.add(active[v01 & ~drop_notice], "ZB-01", "终本前未发出报告财产令")
    c.log.add(active, "网络查控", c.q[active], note="总对总网络查控")
    late = active[plan.flags["ZB-03"][active]]
    c.truth.add(
        late,
        "ZB-03",
        text("立案后", (c.q[late] - d.filing[late]).astype(np.int64), "日才首次网络查控"),
    )
    restrict = active[
        ~plan.flags["ZB-02"][active] & (plan.zb[active] | (rng.random(active.size) < 0.5))
    ]
    date = d.filing[restrict] + days(rng.integers(3, 21, restrict.size))
    ok = date <= c.stop[restrict]
    c.log.add(restrict[ok], "限制消费令", date[ok])
    c.truth.add(np.flatnonzero(plan.flags["ZB-02"]), "ZB-02", "终本前未发出限制消费令")


def listing(c: Ctx) -> None:
    """失信 listings of 终本 cases and of cases later performed in full, with the deletion due
    within three working days after 执行完毕 (planted: weeks late, or never)."""
    d, rng = c.d, c.rng
    idx = np.flatnonzero(c.plan.listed)
    span = np.maximum((c.stop[idx] - d.filing[idx]).astype(np.int64) - 22, 1)
    c.log.add(
        idx, "纳入失信", d.filing[idx] + days(21 + (rng.random(idx.size) * span).astype(np.int64))
    )
    done = np.flatnonzero(d.method == "执行完毕")
    c.log.add(done, "执行完毕", d.closing[done])
    listed_done = np.flatnonzero(c.plan.listed & (d.method == "执行完毕"))
    m = margins()
    eligible = d.closing[listed_done] <= c.end - days(m.delete_late.lo - 10)
    bad = eligible & (rng.random(listed_done.size) < c.params.rate("ZB-21"))
    never = bad & (rng.random(listed_done.size) < 0.5)
    late = rng.integers(m.delete_late.lo, m.delete_late.hi, listed_done.size)
    delay = np.where(bad, late, rng.integers(m.delete_ok.lo, m.delete_ok.hi, listed_done.size))
    shown = listed_done[~never]
    c.log.add(shown, "删除失信", d.closing[shown] + days(delay[~never]))
    c.truth.add(listed_done[never], "ZB-21", "执行完毕后失信信息未删除")
    late = listed_done[bad & ~never]
    c.truth.add(late, "ZB-21", text("执行完毕后", delay[bad & ~never], "日才删除失信信息"))


def payments(c: Ctx, account: Ints, in_kind: Bools) -> tuple[Ints, Days, Days]:
    """案款到账 and 案款发放 for every case that recovered money, except those settled in kind
    (以物抵债, ``in_kind``); by deduction from the respondent's first account (``account`` per
    case), or paid in (voluntarily or from a judicial sale). Returns the deducted cases, the
    deduction dates and each case's arrival date (NaT where no money arrived)."""
    d, rng = c.d, c.rng
    paid = np.flatnonzero(
        (d.recovered > 0) & ~np.isin(d.method, ["不予执行", "驳回申请"]) & ~in_kind
    )
    finished = np.isin(d.method[paid], ["执行完毕", "和解"])
    arrive = np.empty(paid.size, dtype="datetime64[D]")
    f = paid[finished]
    back = (
        rng.random(f.size) * np.minimum(20, (d.closing[f] - c.q[f]).astype(np.int64) // 2)
    ).astype(np.int64)
    arrive[finished] = np.maximum(c.q[f] + days(1), d.closing[f] - days(1 + back))
    o = paid[~finished]
    arrive[~finished] = c.at(o, 0.15, 0.25) + days(1)
    deduct = ~(finished & ((d.method[paid] == "和解") | (rng.random(paid.size) < 0.5)))
    k = paid[deduct]
    take = arrive[deduct] - days(rng.integers(0, 2, k.size))
    take = np.maximum(take, c.q[k] + days(1))
    freeze = c.q[k] + days(1 + ((take - c.q[k]).astype(np.int64) - 1) // 2)
    c.log.add(k, "冻结", freeze, BANK, account[k], d.recovered[k])
    c.log.add(k, "扣划", take, BANK, account[k], d.recovered[k])
    c.log.add(paid, "案款到账", arrive, amount=d.recovered[paid])
    m = margins()
    ok_max, late = m.payout_ok_max, m.payout_late
    room = np.where(finished, (d.closing[paid] - arrive).astype(np.int64) - 1, ok_max)
    gap = (rng.random(paid.size) * (np.clip(room, 0, ok_max) + 1)).astype(np.int64)
    gap = np.where(finished, gap, 1 + (rng.random(paid.size) * ok_max).astype(np.int64))
    bad = (arrive <= c.end - days(late.lo)) & (rng.random(paid.size) < c.params.rate("ZB-16"))
    never = bad & (rng.random(paid.size) < 0.5)
    gap = np.where(bad, rng.integers(late.lo, late.hi, paid.size), gap)
    c.log.add(
        paid[~never],
        "案款发放",
        arrive[~never] + days(gap[~never]),
        amount=d.recovered[paid][~never],
    )
    c.truth.add(paid[never], "ZB-16", "案款到账后未发放")
    c.truth.add(paid[bad & ~never], "ZB-16", text("案款到账后", gap[bad & ~never], "日才发放"))
    arrived = np.full(d.n, np.datetime64("NaT"), dtype="datetime64[D]")
    arrived[paid] = arrive
    arrived[k] = np.datetime64("NaT")  # deducted: the money came from the account, not a sale
    return k, take, arrived


def zhongben_steps(c: Ctx) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    zb = np.flatnonzero(plan.zb)
    t = d.closing[zb]
    ok = zb[~plan.flags["ZB-07"][zb]]
    back = (rng.random(ok.size) * np.minimum(15, 0.2 * c.span[ok])).astype(np.int64)
    c.log.add(ok, "终本约谈", d.closing[ok] - days(1 + back), note="约谈申请执行人")
    c.truth.add(np.flatnonzero(plan.flags["ZB-07"]), "ZB-07", "终本前无终本约谈记录（缺失）")
    c.log.add(zb, "终本裁定", t)
    c.truth.add(
        np.flatnonzero(plan.flags["ZB-05"]),
        "ZB-05",
        text(
            "立案后",
            (d.closing - d.filing).astype(np.int64)[plan.flags["ZB-05"]],
            "日即终本，不足三个月",
        ),
    )
    field = zb[rng.random(zb.size) < 0.3]
    c.log.add(field, "实地调查", c.at(field, 0.4, 0.5))
    lead = np.flatnonzero(plan.pre_lead)
    submit = c.at(lead, 0.1, 0.35)
    bad = plan.flags["ZB-13"][lead]
    m = margins()
    delay = np.where(
        bad,
        rng.integers(m.lead_late.lo, m.lead_late.hi, lead.size),
        rng.integers(m.lead_ok.lo, m.lead_ok.hi, lead.size),
    )
    c.log.add(lead, "财产线索提交", submit, note="申请执行人提交财产线索")
    c.log.add(lead, "财产线索核查", submit + days(delay), note="核查未发现可供执行财产")
    c.truth.add(lead[bad], "ZB-13", text("财产线索提交后", delay[bad], "日才核查"))


def query_slots(horizon_months: int, min_step: int) -> int:
    """Columns enough for every post-终本 query of the horizon at the shortest spacing."""
    return int(np.ceil((horizon_months / 12 * 366 + 1) / min_step)) + 1


def post_queries(c: Ctx, found_account: Any) -> dict[str, Any]:
    """Network queries every 120–170 days after 终本 until the data end or five years; a
    restored case stops at the query (or the applicant's lead) that found new property, and the
    restoration follows within 5 days (planted: 15–60 days)."""
    d, plan, rng = c.d, c.plan, c.rng
    zb = np.flatnonzero(plan.zb)
    t = d.closing[zb]
    m = margins()
    ok, late = m.query_step_ok, m.query_step_late
    k_max = query_slots(m.query_horizon_months, ok.lo)
    steps = rng.integers(ok.lo, ok.hi, (zb.size, k_max))
    v11 = plan.flags["ZB-11"][zb]
    steps[v11, 0] = rng.integers(late.lo, late.hi, int(v11.sum()))
    q = t[:, None] + days(np.cumsum(steps, axis=1))
    cap = np.minimum(add_months(t, m.query_horizon_months), c.end)
    valid = q <= cap[:, None]
    restored = plan.restored[zb]
    via_lead = plan.via_lead[zb]
    limit = np.where(via_lead, c.end - days(ok.hi), c.end - days(70))
    eligible = valid & (q <= limit[:, None])
    n_el = eligible.sum(axis=1)
    restored = restored & (n_el > 0)
    pick = (rng.random(zb.size) * np.maximum(n_el, 1)).astype(np.int64)
    cut = np.where(restored, pick, k_max)
    valid &= np.arange(k_max)[None, :] <= cut[:, None]
    rows, cols = np.nonzero(valid)
    finding = restored[rows] & ~via_lead[rows] & (cols == cut[rows])
    qcase = zb[rows]
    c.log.add(qcase[~finding], "终本后查询", q[rows, cols][~finding], note="未发现可供执行财产")
    r_idx = np.flatnonzero(restored)
    found_on = q[r_idx, cut[r_idx]]
    lead_r = via_lead[r_idx]
    found_on = np.where(
        lead_r, found_on + days(1 + (rng.random(r_idx.size) * 100).astype(np.int64)), found_on
    )
    cases = zb[r_idx]
    account = found_account(cases, t[r_idx], found_on)
    q_cases = cases[~lead_r]
    c.log.add(
        q_cases,
        "终本后查询",
        found_on[~lead_r],
        BANK,
        account[~lead_r],
        note="发现被执行人新开立账户存款",
    )
    l_cases = cases[lead_r]
    check = rng.integers(0, 4, l_cases.size)
    c.log.add(
        l_cases,
        "财产线索提交",
        found_on[lead_r],
        BANK,
        account[lead_r],
        note="申请执行人提交新财产线索",
    )
    c.log.add(
        l_cases,
        "财产线索核查",
        found_on[lead_r] + days(check),
        BANK,
        account[lead_r],
        note="核查属实",
    )
    base = np.zeros(r_idx.size, dtype=np.int64)
    base[lead_r] = check
    bad = plan.flags["ZB-12"][cases]
    slow = rng.integers(m.restore_late.lo, m.restore_late.hi, r_idx.size)
    delay = np.where(bad, slow, base + rng.integers(0, 2, r_idx.size))
    restore = found_on + days(delay)
    c.log.add(cases, "恢复执行", restore)
    c.truth.add(
        cases[bad], "ZB-12", text("发现财产后", delay[bad], "日才恢复执行"), BANK, account[bad]
    )
    c.truth.add(np.flatnonzero(plan.flags["ZB-11"]), "ZB-11", "终本后超过六个月未查询财产")
    plan.restored[:] = False
    plan.restored[cases] = True
    plan.flags["ZB-12"] &= plan.restored
    return {"cases": cases, "restore": restore, "account": account, "found_on": found_on}
