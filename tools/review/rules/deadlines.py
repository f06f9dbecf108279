"""Event-to-event deadlines: lead verification (ZB-13), payout (ZB-16), 失信 deletion (ZB-21)."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import NO_ASSET, date_lit, ds


@register("ZB-13")
def lead_check_late(ctx: RuleContext) -> pa.Table:
    days = int(ctx.param("verify_days"))
    as_of = date_lit(ctx.as_of)
    return ctx.sql(
        f"""
        WITH sub AS (
            SELECT case_id, asset_id, action_date AS d, row_number() OVER () AS sid
            FROM enforcement_actions
            WHERE action_type = '财产线索提交' AND action_date IS NOT NULL),
        ver AS (
            SELECT case_id, asset_id, action_date AS v FROM enforcement_actions
            WHERE action_type = '财产线索核查'),
        m AS (
            SELECT sub.sid, any_value(sub.case_id) AS case_id, any_value(sub.asset_id) AS asset_id,
                   any_value(sub.d) AS d, min(ver.v) AS v
            FROM sub LEFT JOIN ver
              ON ver.case_id = sub.case_id AND ver.v >= sub.d
             AND (sub.asset_id IS NULL OR ver.asset_id = sub.asset_id)
            GROUP BY sub.sid)
        SELECT case_id, asset_id,
               '财产线索' || coalesce(asset_id, '') || '于' || {ds("d")} || '提交，'
               || CASE WHEN v IS NULL THEN '截至' || {ds(as_of)} || '未核查'
                       ELSE {ds("v")} || '核查，用时' || (v - d) || '日' END
               || '，超过{days}日' AS detail
        FROM m
        WHERE (v IS NOT NULL AND v - d > {days}) OR (v IS NULL AND d + {days} < {as_of})
        """
    )


@register("ZB-16")
def payout_late(ctx: RuleContext) -> pa.Table:
    days = int(ctx.param("payout_days"))
    as_of = date_lit(ctx.as_of)
    return ctx.sql(
        f"""
        WITH arr AS (
            SELECT case_id, action_date AS a FROM enforcement_actions
            WHERE action_type = '案款到账' AND action_date IS NOT NULL),
        pay AS (
            SELECT case_id, action_date AS p FROM enforcement_actions
            WHERE action_type = '案款发放'),
        m AS (
            SELECT arr.case_id, arr.a, min(pay.p) AS p
            FROM arr LEFT JOIN pay ON pay.case_id = arr.case_id AND pay.p >= arr.a
            GROUP BY arr.case_id, arr.a),
        late AS (
            SELECT * FROM m
            WHERE (p IS NOT NULL AND p - a > {days}) OR (p IS NULL AND a + {days} < {as_of}))
        SELECT case_id, {NO_ASSET},
               '案款' || {ds("min(a)")} || '到账，'
               || CASE WHEN bool_or(p IS NULL) THEN '截至' || {ds(as_of)} || '未发放'
                       ELSE '至' || {ds("arg_min(p, a)")} || '才发放，用时'
                            || (arg_min(p, a) - min(a)) || '日' END
               || '，超过{days}日' || CASE WHEN count(*) > 1
                   THEN '（共' || count(*) || '笔超期）' ELSE '' END AS detail
        FROM late GROUP BY case_id
        """
    )


@register("ZB-21")
def blacklist_not_deleted(ctx: RuleContext) -> pa.Table:
    n = int(ctx.param("delete_working_days"))
    as_of = date_lit(ctx.as_of)
    return ctx.sql(
        f"""
        WITH fin AS (
            SELECT case_id, min(action_date) AS c FROM enforcement_actions
            WHERE action_type = '执行完毕' GROUP BY case_id),
        done AS (
            SELECT e.case_id, coalesce(fin.c, CASE WHEN e.closing_method = '执行完毕'
                                                   THEN e.closing_date END) AS c
            FROM enforcement_cases e LEFT JOIN fin USING (case_id)),
        st AS (
            SELECT d.case_id, d.c,
                   max(l.action_date) FILTER (l.action_type = '纳入失信' AND l.action_date <= d.c)
                       AS last_in,
                   max(l.action_date) FILTER (l.action_type = '删除失信' AND l.action_date <= d.c)
                       AS last_del,
                   min(l.action_date) FILTER (l.action_type = '删除失信' AND l.action_date > d.c)
                       AS next_del
            FROM done d JOIN enforcement_actions l USING (case_id)
            WHERE d.c IS NOT NULL AND l.action_type IN ('纳入失信', '删除失信')
            GROUP BY d.case_id, d.c),
        due AS (
            SELECT *, add_working_days(c, {n}) AS deadline FROM st
            WHERE last_in IS NOT NULL AND (last_del IS NULL OR last_in > last_del))
        SELECT case_id, {NO_ASSET},
               '执行完毕日期' || {ds("c")} || '，失信信息应于' || {ds("deadline")} || '前删除，'
               || CASE WHEN next_del IS NULL THEN '截至' || {ds(as_of)} || '仍未删除'
                       ELSE '至' || {ds("next_del")} || '才删除' END
               || '（{n}个工作日）' AS detail
        FROM due
        WHERE (next_del IS NOT NULL AND next_del > deadline)
           OR (next_del IS NULL AND deadline < {as_of})
        """
    )
