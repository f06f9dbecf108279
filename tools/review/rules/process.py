"""Steps a 终本 case must show before its ruling (ZB-01, ZB-02, ZB-05) and the filing-time network
query benchmark (ZB-03). ZB-05 fires on the day three months are complete: Art. 1(4) asks that
more than three months (\"已超过三个月\") have passed."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import NO_ASSET, date_lit, ds, in_list, plus_months, zb_cases


def _flag(column: str) -> str:
    return f"coalesce({column}, false)"


@register("ZB-01")
def notice_missing(ctx: RuleContext) -> pa.Table:
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        acts AS (
            SELECT a.case_id,
                   bool_or(a.action_type = '执行通知') AS notice,
                   bool_or(a.action_type = '报告财产令') AS order_
            FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type IN ('执行通知', '报告财产令') AND a.action_date <= zb.t
            GROUP BY a.case_id)
        SELECT zb.case_id, {NO_ASSET},
               '终本日期' || {ds("zb.t")} || '前' || CASE
                   WHEN NOT {_flag("notice")} AND NOT {_flag("order_")}
                       THEN '既未发执行通知，也未发报告财产令'
                   WHEN NOT {_flag("notice")} THEN '未发执行通知'
                   ELSE '未发报告财产令' END AS detail
        FROM zb LEFT JOIN acts USING (case_id)
        WHERE NOT {_flag("notice")} OR NOT {_flag("order_")}
        """
    )


@register("ZB-02")
def consumption_limit_missing(ctx: RuleContext) -> pa.Table:
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        acts AS (
            SELECT a.case_id,
                   bool_or(a.action_type = '限制消费令') AS limited,
                   bool_or(a.action_type = '被执行人报告财产') AS reported,
                   bool_or(a.action_type = '纳入失信') AS listed
            FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type IN ('限制消费令', '被执行人报告财产', '纳入失信')
              AND a.action_date <= zb.t
            GROUP BY a.case_id),
        flags AS (
            SELECT zb.case_id, zb.t, {_flag("limited")} AS limited,
                   NOT {_flag("reported")} AND NOT {_flag("listed")} AS unlisted
            FROM zb LEFT JOIN acts USING (case_id))
        SELECT case_id, {NO_ASSET},
               '终本日期' || {ds("t")} || '前' || concat_ws('；',
                   CASE WHEN NOT limited THEN '未发限制消费令' END,
                   CASE WHEN unlisted THEN '被执行人未报告财产，未纳入失信被执行人名单' END)
                   AS detail
        FROM flags WHERE NOT limited OR unlisted
        """
    )


@register("ZB-03")
def network_query_late(ctx: RuleContext) -> pa.Table:
    days = int(ctx.param("query_days"))
    excluded = in_list(list(ctx.param("excluded_closing_methods")))
    as_of = date_lit(ctx.as_of)
    return ctx.sql(
        f"""
        WITH c AS (
            SELECT case_id, filing_date, closing_date FROM enforcement_cases
            WHERE filing_date IS NOT NULL AND coalesce(closing_method, '') NOT IN ({excluded})),
        q AS (
            SELECT case_id, min(action_date) AS first_q FROM enforcement_actions
            WHERE action_type = '网络查控' GROUP BY case_id)
        SELECT c.case_id, {NO_ASSET},
               CASE WHEN first_q IS NULL
                   THEN '立案日期' || {ds("filing_date")} || '，截至'
                        || {ds(f"coalesce(closing_date, {as_of})")}
                        || '未进行网络查控（期限{days}日）'
                   ELSE '立案日期' || {ds("filing_date")} || '，首次网络查控' || {ds("first_q")}
                        || '，相隔' || (first_q - filing_date) || '日，超过{days}日' END AS detail
        FROM c LEFT JOIN q USING (case_id)
        WHERE (first_q IS NOT NULL AND first_q - filing_date > {days})
           OR (first_q IS NULL AND filing_date + {days} < coalesce(closing_date, {as_of}))
        """
    )


@register("ZB-05")
def closed_too_early(ctx: RuleContext) -> pa.Table:
    months = int(ctx.param("min_months"))
    due = plus_months("filing_date", months)
    return ctx.sql(
        f"""
        WITH {zb_cases("filing_date")}
        SELECT case_id, {NO_ASSET},
               '立案日期' || {ds("filing_date")} || '，终本日期' || {ds("t")}
               || '，立案未超过{months}个月（满{months}个月之日为' || {ds(due)} || '）' AS detail
        FROM zb WHERE t <= {due}
        """
    )
