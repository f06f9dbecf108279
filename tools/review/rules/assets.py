"""Property left unhandled or over-sealed: 带财终本 (ZB-04), 车辆查而不扣 (ZB-04V), 超标的查封
(ZB-17). Every part is one join over the registries, never a loop over cases."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import ds, zb_cases

_ZB = zb_cases("filing_date", "respondent_id",
               "amount_claimed - coalesce(amount_recovered, 0) AS unpaid")  # fmt: skip


def _handled(types: str) -> str:
    return (
        "SELECT DISTINCT a.case_id, a.asset_id FROM enforcement_actions a JOIN zb USING (case_id) "
        f"WHERE a.action_type IN ({types}) AND a.action_date <= zb.t AND a.asset_id IS NOT NULL"
    )


def _deposits(ctx: RuleContext) -> str:
    floor = float(ctx.param("min_deposit"))
    share = float(ctx.param("min_share_of_unpaid"))
    return f"""
        SELECT acc.case_id, acc.account_id AS asset_id,
               '终本日期' || {ds("acc.t")} || '，被执行人账户' || acc.account_id || '于'
               || {ds("acc.balance_date")} || '余额' || printf('%.2f', acc.balance)
               || '元（未履行金额' || printf('%.2f', acc.unpaid) || '元），未冻结或扣划' AS detail
        FROM (SELECT zb.case_id, zb.t, zb.unpaid, b.account_id, b.balance, b.balance_date
              FROM zb JOIN bank_accounts b ON b.owner_id = zb.respondent_id
              WHERE b.balance_date BETWEEN zb.filing_date AND zb.t
              QUALIFY row_number() OVER (PARTITION BY zb.case_id, b.account_id
                                         ORDER BY b.balance_date DESC) = 1) acc
        ANTI JOIN frozen f ON f.case_id = acc.case_id AND f.asset_id = acc.account_id
        WHERE acc.balance >= {floor} AND acc.balance > {share} * acc.unpaid
    """


def _policies() -> str:
    return f"""
        SELECT p.case_id, p.policy_id AS asset_id,
               '终本日期' || {ds("p.t")} || '，被执行人投保的保单' || p.policy_id || '现金价值'
               || printf('%.2f', p.cash_value) || '元，未冻结' AS detail
        FROM (SELECT zb.case_id, zb.t, i.policy_id, i.cash_value
              FROM zb JOIN insurance_policies i ON i.holder_id = zb.respondent_id
              WHERE i.cash_value > 0 AND i.start_date <= zb.t) p
        ANTI JOIN frozen f ON f.case_id = p.case_id AND f.asset_id = p.policy_id
    """


def _estates() -> str:
    return f"""
        SELECT s.case_id, s.asset_id,
               '不动产' || s.asset_id || '于' || {ds("s.sealed")} || '首封，至终本日期'
               || {ds("s.t")} || '未评估、拍卖、变卖或以物抵债' AS detail
        FROM (SELECT a.case_id, a.asset_id, min(a.action_date) AS sealed, any_value(zb.t) AS t
              FROM enforcement_actions a JOIN zb USING (case_id)
              WHERE a.action_type = '查封' AND a.asset_type = '不动产'
                AND a.action_date <= zb.t AND a.asset_id IS NOT NULL
              GROUP BY a.case_id, a.asset_id) s
        ANTI JOIN disposed d ON d.case_id = s.case_id AND d.asset_id = s.asset_id
    """


@register("ZB-04")
def assets_left(ctx: RuleContext) -> pa.Table:
    parts = [_estates()]
    if ctx.ds.has("bank_accounts"):
        parts.append(_deposits(ctx))
    if ctx.ds.has("insurance_policies"):
        parts.append(_policies())
    return ctx.sql(
        f"""
        WITH {_ZB},
        frozen AS ({_handled("'冻结', '扣划'")}),
        disposed AS ({_handled("'评估', '拍卖', '变卖', '以物抵债'")})
        {" UNION ALL ".join(parts)}
        """
    )


@register("ZB-04V")
def vehicle_not_seized(ctx: RuleContext) -> pa.Table:
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        seal AS (
            SELECT a.case_id, a.asset_id, min(a.action_date) AS s, any_value(zb.t) AS t
            FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type = '查封' AND a.asset_type = '车辆'
              AND a.action_date <= zb.t AND a.asset_id IS NOT NULL
            GROUP BY a.case_id, a.asset_id),
        seized AS ({_handled("'扣押'")}),
        seen AS (
            SELECT seal.case_id, seal.asset_id, any_value(seal.s) AS s, any_value(seal.t) AS t,
                   count(*) AS n, min(e.event_date) AS first_seen
            FROM seal JOIN vehicle_events e
              ON e.vehicle_id = seal.asset_id AND e.event_date > seal.s AND e.event_date <= seal.t
            GROUP BY seal.case_id, seal.asset_id)
        SELECT seen.case_id, seen.asset_id,
               '车辆' || seen.asset_id || '于' || {ds("seen.s")} || '查封未扣押，至终本日期'
               || {ds("seen.t")} || '前有' || seen.n || '条通行或违法记录（首次'
               || {ds("seen.first_seen")} || '）' AS detail
        FROM seen ANTI JOIN seized USING (case_id, asset_id)
        """
    )


@register("ZB-17")
def over_sealed(ctx: RuleContext) -> pa.Table:
    ratio = float(ctx.param("max_ratio"))
    return ctx.sql(
        f"""
        WITH seal AS (
            SELECT a.case_id, a.asset_id, min(a.action_date) AS d
            FROM enforcement_actions a SEMI JOIN real_estate r ON r.property_id = a.asset_id
            WHERE a.action_type = '查封'
            GROUP BY a.case_id, a.asset_id),
        agg AS (
            SELECT s.case_id, max(s.d) AS d, count(*) AS n, sum(r.est_value) AS sealed
            FROM seal s JOIN real_estate r ON r.property_id = s.asset_id
            GROUP BY s.case_id),
        paid AS (
            SELECT a.case_id, sum(a.amount) AS paid
            FROM enforcement_actions a JOIN agg USING (case_id)
            WHERE a.action_type = '案款到账' AND a.action_date <= agg.d
            GROUP BY a.case_id),
        base AS (
            SELECT agg.*, c.respondent_id,
                   c.amount_claimed - coalesce(paid.paid, 0) AS outstanding
            FROM agg JOIN enforcement_cases c USING (case_id) LEFT JOIN paid USING (case_id)),
        alt AS (
            SELECT DISTINCT b.case_id FROM base b
            JOIN real_estate r ON r.owner_id = b.respondent_id
            WHERE r.est_value BETWEEN b.outstanding AND {ratio} * b.outstanding
              AND NOT EXISTS (SELECT 1 FROM seal s
                              WHERE s.case_id = b.case_id AND s.asset_id = r.property_id))
        SELECT case_id, CAST(NULL AS VARCHAR) AS asset_id,
               '查封不动产' || n || '处，估值合计' || printf('%.2f', sealed) || '元，超过'
               || {ds("d")} || '时未履行金额' || printf('%.2f', outstanding) || '元的{ratio:g}倍'
               || CASE WHEN n >= 2 THEN '（可分割：查封多处）'
                       ELSE '（可分割：被执行人另有足额不动产）' END AS detail
        FROM base
        WHERE sealed > {ratio} * outstanding AND (n >= 2 OR case_id IN (SELECT case_id FROM alt))
        """
    )
