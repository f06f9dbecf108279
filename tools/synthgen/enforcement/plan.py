"""Which cases carry which planted violation, and the dates every later step is anchored on.

Violations are drawn per rule among the cases the rule can apply to (rates in
enforcement/params.yaml). Some pairs are kept apart where one defect would make the other
impossible to stage (a 终本 inside three months leaves no room for a late network query)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from synthgen.enforcement.draws import ZB, CaseDraws
from synthgen.enforcement.margins import margins
from synthgen.enforcement.params import EnforcementParams

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]


@dataclass
class CasePlan:
    query: Days  # first 网络查控
    zb: Bools
    flags: dict[str, Bools] = field(default_factory=dict)
    zb04_kind: Ints = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )  # 1 存款 2 保险 3 不动产
    restored: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    via_lead: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    listed: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    pre_lead: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    reported: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    zb09_kind: Ints = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )  # 1 no recent query 2 no 传统查控 3 reward applied, not published


def _days(n: Ints | int) -> npt.NDArray[np.timedelta64]:
    return np.asarray(n, dtype=np.int64).astype("timedelta64[D]")


def plan_cases(rng: np.random.Generator, params: EnforcementParams, d: CaseDraws) -> CasePlan:
    n = d.n
    end = params.data_end
    zb = d.method == ZB
    u = rng.random((n, 16))
    rate = params.rate
    flags: dict[str, Bools] = {}
    m = margins()
    flags["ZB-05"] = zb & (u[:, 0] < rate("ZB-05"))
    early = rng.integers(m.early_zhongben.lo, m.early_zhongben.hi, n)
    d.closing = np.where(flags["ZB-05"], d.filing + _days(early), d.closing)
    queried = ~np.isin(d.method, ["不予执行", "驳回申请"])
    flags["ZB-03"] = queried & ~flags["ZB-05"] & (u[:, 1] < rate("ZB-03"))
    duration = np.where(np.isnat(d.closing), 200, (d.closing - d.filing).astype(np.int64))
    lo, hi = m.first_query_late.lo, m.first_query_late.hi
    late_max = np.maximum(np.minimum(hi, duration - 3), lo + 1)
    late = lo + (u[:, 2] * (late_max - lo)).astype(np.int64)
    ok = (u[:, 3] * m.first_query_ok_max).astype(np.int64)
    query = d.filing + _days(np.where(flags["ZB-03"], late, ok))
    for i, rule in enumerate(["ZB-01", "ZB-02", "ZB-07"]):
        flags[rule] = zb & (u[:, 4 + i] < rate(rule))
    zb04 = zb & (u[:, 7] < rate("ZB-04"))
    kind = 1 + (u[:, 8] * 3).astype(np.int64)
    kind = np.where(d.resp_company & (kind == 2), 1, kind)  # companies hold no policies here
    flags["ZB-04"] = zb04
    flags["ZB-17"] = zb & ~(zb04 & (kind == 3)) & (u[:, 9] < rate("ZB-17"))
    since = np.where(zb, (end - np.where(zb, d.closing, end)).astype(np.int64), 0)
    flags["ZB-11"] = zb & (since > m.late_query_min_days) & (u[:, 10] < rate("ZB-11"))
    restore_cfg = params.data["restoration"]
    restored = zb & (since > 200) & (u[:, 11] < float(restore_cfg["rate"]["value"]))
    via_lead = restored & (u[:, 12] < float(restore_cfg["via_lead_share"]))
    flags["ZB-12"] = restored & (u[:, 13] < rate("ZB-12"))
    pre_lead = zb & ~flags["ZB-05"] & (u[:, 14] < 0.2)
    flags["ZB-13"] = pre_lead & (rng.random(n) < rate("ZB-13"))
    search = params.data["search"]
    w = rng.random((n, 5))
    reported = w[:, 0] < float(search["report_rate"]["value"])
    flags["ZB-06"] = zb & ~reported & (w[:, 1] < rate("ZB-06"))
    flags["ZB-08"] = zb & (w[:, 2] < rate("ZB-08"))
    flags["ZB-09"] = zb & ~flags["ZB-05"] & (w[:, 3] < rate("ZB-09"))
    zb09_kind = np.where(flags["ZB-09"], 1 + (w[:, 4] * 3).astype(np.int64), 0)
    # 失信规定第一条第（五）项: a 终本 respondent who never reported is listed
    share = float(search["listed_reporter_share"]["value"])
    listed = (zb & (~reported | (u[:, 15] < share))) | (
        (d.method == "执行完毕") & (duration > 30) & (rng.random(n) < 0.2)
    )
    return CasePlan(
        query=query,
        zb=zb,
        flags=flags,
        zb04_kind=np.where(zb04, kind, 0),
        restored=restored,
        via_lead=via_lead,
        listed=listed,
        pre_lead=pre_lead,
        reported=reported,
        zb09_kind=zb09_kind,
    )
