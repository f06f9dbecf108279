"""Duties that continue after 终本: periodic queries (ZB-11) and prompt restoration once new
property turns up (ZB-12)."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import NO_ASSET, date_lit, ds, plus_months, zb_cases


@register("ZB-11")
def no_periodic_query(ctx: RuleContext) -> pa.Table:
    gap = int(ctx.param("max_gap_months"))
    years = int(ctx.param("horizon_years"))
    as_of = date_lit(ctx.as_of)
    never = "DATE '9999-12-31'"
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        ra AS (SELECT a.case_id, min(a.action_date) AS r
               FROM enforcement_actions a JOIN zb USING (case_id)
               WHERE a.action_type = '恢复执行' AND a.action_date > zb.t GROUP BY a.case_id),
        rc AS (SELECT c.origin_case_id AS case_id, min(c.filing_date) AS r
               FROM enforcement_cases c JOIN zb ON c.origin_case_id = zb.case_id
               WHERE c.filing_date > zb.t GROUP BY c.origin_case_id),
        win AS (SELECT zb.case_id, zb.t,
                       least({as_of}, {plus_months("zb.t", 12 * years)},
                             coalesce(ra.r, {never}), coalesce(rc.r, {never})) AS e
                FROM zb LEFT JOIN ra USING (case_id) LEFT JOIN rc USING (case_id)
                WHERE zb.t <= {as_of}),
        pts AS (SELECT case_id, t AS d FROM win
                UNION ALL
                SELECT a.case_id, a.action_date FROM enforcement_actions a JOIN win USING (case_id)
                WHERE a.action_type = '终本后查询' AND a.action_date > win.t
                  AND a.action_date <= win.e
                UNION ALL
                SELECT case_id, e FROM win),
        gaps AS (SELECT case_id, d, lead(d) OVER (PARTITION BY case_id ORDER BY d) AS nxt FROM pts),
        bad AS (SELECT case_id, arg_max(d, nxt - d) AS d0, arg_max(nxt, nxt - d) AS d1,
                       max(nxt - d) AS longest, count(*) AS n
                FROM gaps WHERE nxt > {plus_months("d", gap)} GROUP BY case_id)
        SELECT bad.case_id, {NO_ASSET},
               '终本日期' || {ds("win.t")} || '后，' || {ds("d0")} || '至' || {ds("d1")}
               || '间隔' || longest || '日未进行终本后查询，超过{gap}个月'
               || CASE WHEN n > 1 THEN '（共' || n || '处间隔超期）' ELSE '' END AS detail
        FROM bad JOIN win USING (case_id)
        """
    )


@register("ZB-12")
def restore_late(ctx: RuleContext) -> pa.Table:
    days = int(ctx.param("restore_days"))
    as_of = date_lit(ctx.as_of)
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        found AS (
            SELECT a.case_id, a.asset_id, min(a.action_date) AS f,
                   arg_min(a.action_type, a.action_date) AS via
            FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type IN ('终本后查询', '财产线索提交') AND a.action_date > zb.t
              AND a.asset_id IS NOT NULL
            GROUP BY a.case_id, a.asset_id),
        rest AS (
            SELECT a.case_id, a.action_date AS r
            FROM enforcement_actions a SEMI JOIN zb USING (case_id)
            WHERE a.action_type = '恢复执行'
            UNION ALL
            SELECT c.origin_case_id, c.filing_date FROM enforcement_cases c
            SEMI JOIN zb ON c.origin_case_id = zb.case_id)
        SELECT f.case_id, f.asset_id,
               '终本后' || {ds("f.f")} || '经' || f.via || '发现财产' || f.asset_id
               || '，{days}日内（至' || {ds(f"f.f + {days}")} || '）未恢复执行' AS detail
        FROM found f
        WHERE f.f + {days} < {as_of}
          AND NOT EXISTS (SELECT 1 FROM rest
                          WHERE rest.case_id = f.case_id AND rest.r BETWEEN f.f AND f.f + {days})
        """
    )
