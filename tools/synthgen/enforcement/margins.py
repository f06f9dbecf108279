"""The generator's day windows around each legal threshold, derived from legal/enforcement.yaml
(the thresholds the rule catalog's parameters point to), so every number exists once: change a
period there and the compliant steps, the planted violations and the catalog move together.

A compliant step keeps a clear margin below its threshold and a planted one lies clearly above
it, so that the reading of a threshold (≤ or <, calendar or working days, month lengths) never
moves a case across it (docs/enforcement-data.md). Windows are half-open [lo, hi) in days, as
``Generator.integers`` takes them."""

from __future__ import annotations

from dataclasses import dataclass

from legal import threshold

MONTH = 30.44  # mean calendar month in days


def month_days(months: float) -> int:
    return int(months * MONTH)


@dataclass(frozen=True)
class Window:
    lo: int
    hi: int  # exclusive


@dataclass(frozen=True)
class Margins:
    first_query_ok_max: int  # compliant first 网络查控 0 .. this − 1 days after filing
    first_query_late: Window  # planted ZB-03
    early_zhongben: Window  # planted ZB-05: days from filing to 终本
    query_step_ok: Window  # post-终本 query spacing (ZB-11 compliant)
    query_step_late: Window  # planted ZB-11: the first spacing
    late_query_min_days: int  # ZB-11 eligible: 终本 at least this long before the data end
    query_horizon_months: int  # post-终本 queries for this long
    lead_ok: Window  # 财产线索核查 delay (ZB-13)
    lead_late: Window
    restore_late: Window  # planted ZB-12 delay after the finding
    payout_ok_max: int  # 案款发放 within this many days (ZB-16)
    payout_late: Window
    delete_ok: Window  # 删除失信 delay in calendar days (ZB-21, working days in law)
    delete_late: Window
    requery_months: int  # ZB-09: a network query within this many months before 终本
    min_asset_value: float  # ZB-04 / ZB-04I floor
    min_share_of_unpaid: float  # ZB-04 deposits
    overseal_ratio: float  # ZB-17


def margins() -> Margins:
    bench = int(threshold("network_query_benchmark_days"))
    gap = month_days(float(threshold("post_query_gap_months")))
    step_late = Window(gap + 18, gap + 149)
    verify = int(threshold("lead_verify_days"))
    restore = int(threshold("restore_days"))
    payout = int(threshold("payout_days"))
    delete = int(threshold("blacklist_delete_working_days"))
    return Margins(
        first_query_ok_max=bench - 1,
        first_query_late=Window(2 * bench, 8 * bench),
        early_zhongben=Window(30, month_days(float(threshold("zhongben_min_months"))) - 10),
        query_step_ok=Window(120, gap - 11),
        query_step_late=step_late,
        late_query_min_days=step_late.hi + 9,
        query_horizon_months=12 * int(threshold("post_query_years")),
        lead_ok=Window(0, verify - 1),
        lead_late=Window(verify + 5, verify + 34),
        restore_late=Window(restore + 8, restore + 54),
        payout_ok_max=payout - 10,
        payout_late=Window(payout + 15, payout + 91),
        delete_ok=Window(0, delete + 1),
        delete_late=Window(delete + 17, delete + 58),
        requery_months=int(threshold("requery_months")),
        min_asset_value=float(threshold("min_asset_value")),
        min_share_of_unpaid=float(threshold("min_share_of_unpaid")),
        overseal_ratio=float(threshold("overseal_ratio")),
    )
