"""Search and sign-off conditions of a 终本 ruling: sanctions for refusing to report property
(ZB-06, 终本规定 Art. 1(5), Art. 2), the applicant's consent or the panel and president's approval
(ZB-08, 民诉法解释 Art. 517) and the Art. 3 search measures (ZB-09). docs/rules.md has the
article-by-article reading."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import NO_ASSET, ds, in_list, zb_cases


def _present(types: list[str]) -> str:
    """Per 终本 case, one boolean column per action type: present on or before T."""
    cols = ", ".join(f"bool_or(a.action_type = '{t}') AS \"{t}\"" for t in types)
    return (
        f"SELECT a.case_id, {cols} FROM enforcement_actions a JOIN zb USING (case_id) "
        f"WHERE a.action_type IN ({in_list(types)}) AND a.action_date <= zb.t GROUP BY a.case_id"
    )


def _has(t: str) -> str:
    return f'coalesce(p."{t}", false)'


@register("ZB-06")
def refusal_not_sanctioned(ctx: RuleContext) -> pa.Table:
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        p AS ({_present(["被执行人报告财产", "罚款", "拘留"])})
        SELECT zb.case_id, {NO_ASSET},
               '终本日期' || {ds("zb.t")} || '前被执行人未报告财产，未采取罚款或拘留措施'
                   AS detail
        FROM zb LEFT JOIN p USING (case_id)
        WHERE NOT {_has("被执行人报告财产")} AND NOT {_has("罚款")} AND NOT {_has("拘留")}
        """
    )


@register("ZB-08")
def sign_off_missing(ctx: RuleContext) -> pa.Table:
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        p AS ({_present(["申请执行人同意终本", "合议庭评议", "院长审批"])})
        SELECT zb.case_id, {NO_ASSET},
               '终本日期' || {ds("zb.t")} || '前无申请执行人同意终本的记录，且'
               || CASE WHEN {_has("合议庭评议")} THEN '无院长审批'
                       WHEN {_has("院长审批")} THEN '无合议庭评议'
                       ELSE '无合议庭评议与院长审批' END AS detail
        FROM zb LEFT JOIN p USING (case_id)
        WHERE NOT {_has("申请执行人同意终本")}
          AND NOT ({_has("合议庭评议")} AND {_has("院长审批")})
        """
    )


@register("ZB-09")
def search_not_exhausted(ctx: RuleContext) -> pa.Table:
    months = int(ctx.param("requery_months"))
    kinds = ["传统查控", "申请悬赏", "悬赏公告", "申请审计", "审计"]
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        p AS ({_present(kinds)}),
        recent AS (
            SELECT DISTINCT a.case_id FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type = '网络查控' AND a.action_date <= zb.t
              AND a.action_date >= CAST(zb.t - INTERVAL ({months}) MONTH AS DATE)),
        f AS (
            SELECT zb.case_id, zb.t, recent.case_id IS NULL AS stale,
                   NOT {_has("传统查控")} AS no_trad,
                   {_has("申请悬赏")} AND NOT {_has("悬赏公告")} AS no_reward,
                   {_has("申请审计")} AND NOT {_has("审计")} AS no_audit
            FROM zb LEFT JOIN p USING (case_id) LEFT JOIN recent USING (case_id))
        SELECT case_id, {NO_ASSET},
               '终本日期' || {ds("t")} || '前' || concat_ws('；',
                   CASE WHEN stale THEN '{months}个月内未进行网络查控' END,
                   CASE WHEN no_trad THEN '未进行传统查控' END,
                   CASE WHEN no_reward THEN '申请执行人申请悬赏，未发布悬赏公告' END,
                   CASE WHEN no_audit THEN '申请执行人申请审计，未进行审计' END) AS detail
        FROM f WHERE stale OR no_trad OR no_reward OR no_audit
        """
    )
