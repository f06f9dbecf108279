"""Property left unhandled or over-sealed: 带财终本 (ZB-04, a violation), the leads of sealed
vehicles on the road (ZB-04V) and frozen policies never deducted (ZB-04I), 超标的查封 (ZB-17).
Every part is one join over the registries, never a loop over cases. ZB-04 treats every asset
type alike: property the respondent held at the last pre-终本 query and not bound by a measure in
force, plus first-sealed real estate never put to sale without a lawful exception."""

from __future__ import annotations

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import ds, zb_cases

_ZB = zb_cases("origin_case_id", "filing_date", "respondent_id",
               "amount_claimed - coalesce(amount_recovered, 0) AS unpaid")  # fmt: skip
MEASURES = "'查封', '轮候查封', '续封', '扣押', '冻结'"
DISPOSALS = "'扣划', '拍卖成交', '变卖', '以物抵债'"


def _handled(types: str) -> str:
    return (
        "SELECT DISTINCT a.case_id, a.asset_id FROM enforcement_actions a JOIN zb USING (case_id) "
        f"WHERE a.action_type IN ({types}) AND a.action_date <= zb.t AND a.asset_id IS NOT NULL"
    )


def _bound() -> str:
    """Assets under a measure in force at T (term not expired) or already disposed in the case."""
    return f"""
        SELECT DISTINCT a.case_id, a.asset_id
        FROM enforcement_actions a JOIN zb USING (case_id)
        WHERE a.asset_id IS NOT NULL AND a.action_date <= zb.t
          AND ((a.action_type IN ({MEASURES}) AND coalesce(a.term_end, zb.t) >= zb.t)
               OR a.action_type IN ({DISPOSALS}))
    """


def _deposits(ctx: RuleContext) -> str:
    floor = float(ctx.param("min_value"))
    share = float(ctx.param("min_share_of_unpaid"))
    return f"""
        SELECT acc.case_id, acc.account_id AS asset_id,
               '终本日期' || {ds("acc.t")} || '，被执行人账户' || acc.account_id || '于'
               || {ds("acc.balance_date")} || '余额' || printf('%.2f', acc.balance)
               || '元（未履行金额' || printf('%.2f', acc.unpaid) || '元），无有效冻结或扣划'
               AS detail
        FROM (SELECT b0.case_id, b0.t, b0.unpaid, b.account_id, b.balance, b.balance_date
              FROM b0 JOIN bank_accounts b ON b.owner_id = b0.respondent_id
              WHERE b.balance_date BETWEEN b0.filing_date AND b0.t
                AND coalesce(b.opened_date, b0.q) <= b0.q
              QUALIFY row_number() OVER (PARTITION BY b0.case_id, b.account_id
                                         ORDER BY b.balance_date DESC) = 1) acc
        WHERE acc.balance >= {floor} AND acc.balance > {share} * acc.unpaid
    """


def _policies(ctx: RuleContext) -> str:
    floor = float(ctx.param("min_value"))
    return f"""
        SELECT b0.case_id, i.policy_id AS asset_id,
               '终本日期' || {ds("b0.t")} || '，被执行人投保的保单' || i.policy_id || '现金价值'
               || printf('%.2f', i.cash_value) || '元，未冻结或扣划' AS detail
        FROM b0 JOIN insurance_policies i ON i.holder_id = b0.respondent_id
        WHERE i.cash_value >= {floor} AND i.start_date <= b0.q
    """


def _spells(table: str, key: str, history: bool) -> str:
    """Who owned each asset from when to when: the current owner since ``owner_since`` (or the
    first registration), and each earlier owner until the day they transferred it out
    (ownership_transfers), from the transfer into them or the first registration."""
    now = (
        f"SELECT {key} AS asset_id, owner_id AS who, coalesce(owner_since, registered_date) "
        f"AS since, CAST(NULL AS DATE) AS until FROM {table}"
    )
    if not history:
        return now
    return f"""{now} UNION ALL
        SELECT t.asset_id, t.from_owner_id,
               coalesce((SELECT max(p.transfer_date) FROM ownership_transfers p
                         WHERE p.asset_id = t.asset_id AND p.transfer_date < t.transfer_date),
                        x.registered_date),
               t.transfer_date
        FROM ownership_transfers t JOIN {table} x ON x.{key} = t.asset_id"""


def _held(table: str, key: str, history: bool) -> str:
    """(case, asset) pairs: the asset was the respondent's on the day Q of the last query."""
    return f"""
        SELECT b0.case_id, b0.t, s.asset_id FROM b0
        JOIN ({_spells(table, key, history)}) s ON s.who = b0.respondent_id
        WHERE coalesce(s.since, b0.q) <= b0.q AND (s.until IS NULL OR s.until > b0.q)
    """


def _estates(history: bool) -> str:
    return f"""
        SELECT h.case_id, r.property_id AS asset_id,
               '终本日期' || {ds("h.t")} || '，被执行人名下不动产' || r.property_id || '（估值'
               || printf('%.2f', r.est_value) || '元，抵押担保' || printf('%.2f', coalesce(
                   r.mortgage_amount, 0)) || '元）未查封' AS detail
        FROM ({_held("real_estate", "property_id", history)}) h
        JOIN real_estate r ON r.property_id = h.asset_id
        WHERE r.est_value > coalesce(r.mortgage_amount, 0)
          AND coalesce(r.sole_residence, 0) <> 1
    """


def _vehicles(history: bool) -> str:
    return f"""
        SELECT h.case_id, h.asset_id,
               '终本日期' || {ds("h.t")} || '，被执行人名下车辆' || h.asset_id || '未查封或扣押'
               AS detail
        FROM ({_held("vehicles", "vehicle_id", history)}) h
    """


def _undisposed(has_registry: bool) -> str:
    """First-sealed real estate with no disposal attempt in the case or its origin case, unless a
    lawful exception applies (无益拍卖: mortgage covers the value; the family's only home)."""
    join = "LEFT JOIN real_estate r ON r.property_id = s.asset_id" if has_registry else ""
    exempt = (
        "AND (r.property_id IS NULL OR (r.est_value > coalesce(r.mortgage_amount, 0) "
        "AND coalesce(r.sole_residence, 0) <> 1))"
        if has_registry
        else ""
    )
    return f"""
        SELECT s.case_id, s.asset_id,
               '不动产' || s.asset_id || '于' || {ds("s.sealed")} || '首封，至终本日期'
               || {ds("s.t")} || '未拍卖、变卖或以物抵债，且不属无益拍卖或唯一住房' AS detail
        FROM (SELECT a.case_id, a.asset_id, min(a.action_date) AS sealed, any_value(zb.t) AS t,
                     any_value(zb.origin_case_id) AS origin
              FROM enforcement_actions a JOIN zb USING (case_id)
              WHERE a.action_type = '查封' AND a.asset_type = '不动产'
                AND a.action_date <= zb.t AND a.asset_id IS NOT NULL
              GROUP BY a.case_id, a.asset_id) s
        {join}
        WHERE NOT EXISTS (
            SELECT 1 FROM enforcement_actions d
            WHERE d.asset_id = s.asset_id AND d.action_date <= s.t
              AND d.action_type IN ('拍卖', '变卖', '以物抵债')
              AND (d.case_id = s.case_id OR d.case_id = s.origin))
        {exempt}
    """


@register("ZB-04")
def assets_left(ctx: RuleContext) -> pa.Table:
    held = []
    if ctx.ds.has("bank_accounts"):
        held.append(_deposits(ctx))
    if ctx.ds.has("insurance_policies"):
        held.append(_policies(ctx))
    history = ctx.ds.has("ownership_transfers")
    if ctx.ds.has("real_estate"):
        held.append(_estates(history))
    if ctx.ds.has("vehicles"):
        held.append(_vehicles(history))
    unbound = (
        f"SELECT * FROM ({' UNION ALL '.join(held)}) h ANTI JOIN bound USING (case_id, asset_id)"
        if held
        else "SELECT NULL::VARCHAR AS case_id, NULL::VARCHAR AS asset_id, "
        "NULL::VARCHAR AS detail WHERE false"
    )
    return ctx.sql(
        f"""
        WITH {_ZB},
        lastq AS (SELECT zb.case_id, max(a.action_date) AS q
                  FROM zb JOIN enforcement_actions a USING (case_id)
                  WHERE a.action_type = '网络查控' AND a.action_date <= zb.t
                  GROUP BY zb.case_id),
        b0 AS (SELECT zb.*, coalesce(lastq.q, zb.filing_date) AS q
               FROM zb LEFT JOIN lastq USING (case_id)),
        bound AS ({_bound()}),
        found AS ({unbound} UNION ALL {_undisposed(ctx.ds.has("real_estate"))})
        SELECT case_id, asset_id, min(detail) AS detail FROM found GROUP BY case_id, asset_id
        """
    )


@register("ZB-04I")
def policy_frozen_not_taken(ctx: RuleContext) -> pa.Table:
    floor = float(ctx.param("min_value"))
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        frozen AS (
            SELECT a.case_id, a.asset_id, min(a.action_date) AS f, any_value(zb.t) AS t
            FROM enforcement_actions a JOIN zb USING (case_id)
            WHERE a.action_type = '冻结' AND a.action_date <= zb.t
            GROUP BY a.case_id, a.asset_id),
        taken AS ({_handled("'扣划'")})
        SELECT fr.case_id, fr.asset_id,
               '保单' || fr.asset_id || '现金价值' || printf('%.2f', i.cash_value) || '元于'
               || {ds("fr.f")} || '冻结，至终本日期' || {ds("fr.t")} || '未扣划' AS detail
        FROM frozen fr JOIN insurance_policies i ON i.policy_id = fr.asset_id
        ANTI JOIN taken USING (case_id, asset_id)
        WHERE i.cash_value >= {floor}
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
