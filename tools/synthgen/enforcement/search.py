"""The search and sign-off steps of a case (终本规定 Art. 1–3, 民诉法解释 Art. 517): the
respondent's own property report, fines or detention for refusing it, 传统查控 and the network
query shortly before 终本, 悬赏 / 审计 / 搜查 where they apply, and the panel and president's
approval (or the applicant's consent). Compliant cases meet every condition; planted ZB-06 /
ZB-08 / ZB-09 cases break exactly one, and each gets its truth row (docs/rules.md)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from synthgen.core.dates import add_months
from synthgen.enforcement.actions import Ctx
from synthgen.enforcement.log import days
from synthgen.enforcement.margins import margins

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NOT_QUERIED = ["不予执行", "驳回申请"]


def _before(c: Ctx, idx: Ints, lo: int, hi: int) -> npt.NDArray[np.datetime64]:
    """A day lo..hi days before the case's stop, never before its first query."""
    back = c.rng.integers(lo, hi + 1, idx.size)
    return np.maximum(c.stop[idx] - days(back), c.q[idx])


def search_and_signoff(c: Ctx) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    spec = c.params.data["search"]
    active = ~np.isin(d.method, NOT_QUERIED)
    rep = np.flatnonzero(active & plan.reported)
    day = np.minimum(d.filing[rep] + days(rng.integers(5, 16, rep.size)), c.stop[rep])
    c.log.add(rep, "被执行人报告财产", day)
    _sanctions(c, float(spec["detention_share"]["value"]))
    _queries(c, float(spec["traditional_share_other"]["value"]))
    _applications(c, spec)
    _signoff(c, float(spec["consent_share"]["value"]))


def _sanctions(c: Ctx, detention: float) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    refuse = np.flatnonzero(plan.zb & ~plan.reported & ~plan.flags["ZB-06"])
    span = np.maximum((c.stop[refuse] - d.filing[refuse]).astype(np.int64) - 17, 1)
    when = d.filing[refuse] + days(16 + (rng.random(refuse.size) * span).astype(np.int64))
    jail = rng.random(refuse.size) < detention
    c.log.add(
        refuse[~jail],
        "罚款",
        when[~jail],
        amount=np.round(rng.choice([5000.0, 10000.0, 20000.0], int((~jail).sum())), 2),
        note="拒不报告财产",
    )
    c.log.add(refuse[jail], "拘留", when[jail], note="拒不报告财产，司法拘留十五日")
    c.truth.add(np.flatnonzero(plan.flags["ZB-06"]), "ZB-06",
                "被执行人未报告财产，终本前未采取罚款或拘留措施")  # fmt: skip


def _queries(c: Ctx, other_share: float) -> None:
    """传统查控 in every 终本 case (and some others) and a network query 3–30 days before 终本."""
    d, plan, rng = c.d, c.plan, c.rng
    kind = plan.zb09_kind
    stale_ok = add_months(c.q, margins().requery_months) < d.closing - days(2)
    kind[(kind == 1) & ~stale_ok] = 2
    zb = plan.zb
    active = ~np.isin(d.method, NOT_QUERIED)
    trad = np.flatnonzero((zb & (kind != 2)) | (~zb & active & (rng.random(d.n) < other_share)))
    c.log.add(
        trad, "传统查控", c.at(trad, 0.3, 0.6), note="到不动产登记、车辆管理等部门及住所地调查"
    )
    again = np.flatnonzero(zb & (kind != 1))
    c.log.add(again, "网络查控", _before(c, again, 3, 30), note="终本前再次总对总网络查控")
    c.truth.add(np.flatnonzero(kind == 1), "ZB-09", "终本前三个月内未进行网络查控")
    c.truth.add(np.flatnonzero(kind == 2), "ZB-09", "终本前未进行传统查控")


def _applications(c: Ctx, spec: dict[str, dict[str, float]]) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    zb, kind = plan.zb, plan.zb09_kind
    company = d.resp_company
    reward = np.flatnonzero(zb & ((rng.random(d.n) < float(spec["reward_rate"]["value"]))
                                  | (kind == 3)))  # fmt: skip
    applied = c.at(reward, 0.1, 0.3)
    c.log.add(reward, "申请悬赏", applied, note="申请执行人申请发布悬赏公告")
    ok = kind[reward] != 3
    c.log.add(reward[ok], "悬赏公告", c.at(reward[ok], 0.35, 0.5), note="悬赏公告发布")
    c.truth.add(reward[~ok], "ZB-09", "申请执行人申请悬赏，终本前未发布悬赏公告")
    audit = np.flatnonzero(zb & company & (rng.random(d.n) < float(spec["audit_rate"]["value"])))
    c.log.add(audit, "申请审计", c.at(audit, 0.1, 0.3), note="申请执行人申请审计调查")
    c.log.add(audit, "审计", c.at(audit, 0.35, 0.55), note="委托审计机构审计")
    search = np.flatnonzero(zb & company & (rng.random(d.n) < float(spec["search_rate"]["value"])))
    c.log.add(search, "搜查", c.at(search, 0.3, 0.5), note="被执行人拒不交出会计账簿，依法搜查")


def _signoff(c: Ctx, consent: float) -> None:
    d, plan, rng = c.d, c.plan, c.rng
    zb = np.flatnonzero(plan.zb)
    bad = plan.flags["ZB-08"][zb]
    agree = ~bad & (rng.random(zb.size) < consent)
    t = d.closing[zb]
    c.log.add(
        zb[agree], "申请执行人同意终本", t[agree] - days(rng.integers(1, 6, int(agree.sum())))
    )
    panel = zb[~agree]
    c.log.add(panel, "合议庭评议", d.closing[panel] - days(rng.integers(2, 7, panel.size)))
    signed = zb[~agree & ~bad]
    c.log.add(signed, "院长审批", d.closing[signed] - days(rng.integers(0, 2, signed.size)))
    c.truth.add(zb[bad], "ZB-08", "终本前无申请执行人同意，合议庭评议后未报院长批准")
