"""评查等级 per case, computed in DuckDB so that ten million cases never become Python rows."""

from __future__ import annotations

import pyarrow as pa

from review.catalog import Catalog
from review.dataset import OpenDataset
from review.sqlkit import in_list, plus_months

# Only violations grade a case; leads (监督线索) and benchmarks are counted beside the grade.
FINDING_SUMMARY = """
    SELECT case_id,
           count(*) FILTER (kind = 'violation' AND severity = '不合格') AS n_unqualified,
           count(*) FILTER (kind = 'violation' AND severity = '瑕疵') AS n_flawed,
           coalesce(string_agg(DISTINCT rule_id, ',' ORDER BY rule_id)
                    FILTER (kind = 'violation'), '') AS rule_ids,
           count(*) FILTER (kind = 'lead') AS n_leads
    FROM findings GROUP BY case_id
"""


def _grade_expr(excellent: str) -> str:
    return f"""CASE WHEN coalesce(f.n_unqualified, 0) > 0 THEN '不合格'
                    WHEN coalesce(f.n_flawed, 0) > 0 THEN '瑕疵'
                    WHEN {excellent} THEN '优质' ELSE '合格' END"""


def _enforcement_sql(catalog: Catalog) -> str:
    ex = catalog.grading.excellent
    p = catalog.priority
    group = f"""CASE WHEN c.priority_category IN ({in_list(p.livelihood_categories)})
                     THEN '{p.livelihood_group}'
                     WHEN c.priority_category = '{p.enterprise_category}'
                     THEN '{p.enterprise_group}' ELSE '{p.general_group}' END"""
    excellent = f"""(c.closing_method IS NOT NULL AND c.closing_method <> '未结'
        AND s.notice - c.filing_date <= {int(ex["notice_days"])}
        AND s.first_q - c.filing_date <= {int(ex["network_query_days"])}
        AND coalesce(pay.ok, true))"""
    return f"""
        WITH f AS ({FINDING_SUMMARY}),
        s AS (SELECT case_id,
                     min(action_date) FILTER (action_type = '执行通知') AS notice,
                     min(action_date) FILTER (action_type = '网络查控') AS first_q
              FROM enforcement_actions WHERE action_type IN ('执行通知', '网络查控')
              GROUP BY case_id),
        arr AS (SELECT case_id, action_date AS a FROM enforcement_actions
                WHERE action_type = '案款到账'),
        paid AS (SELECT arr.case_id, arr.a, min(e.action_date) AS p
                 FROM arr LEFT JOIN enforcement_actions e
                   ON e.case_id = arr.case_id AND e.action_type = '案款发放'
                  AND e.action_date >= arr.a
                 GROUP BY arr.case_id, arr.a),
        pay AS (SELECT case_id, bool_and(p IS NOT NULL AND p - a <= {int(ex["payout_days"])}) AS ok
                FROM paid GROUP BY case_id)
        SELECT c.case_id, 'enforcement' AS dataset, {group} AS priority_group,
               coalesce(c.priority_category, '{p.general_group}') AS priority_category,
               {_grade_expr(excellent)} AS grade,
               coalesce(f.n_unqualified, 0) AS n_unqualified, coalesce(f.n_flawed, 0) AS n_flawed,
               coalesce(f.rule_ids, '') AS rule_ids, coalesce(f.n_leads, 0) AS n_leads
        FROM enforcement_cases c LEFT JOIN f USING (case_id) LEFT JOIN s USING (case_id)
        LEFT JOIN pay USING (case_id)
    """


def _criminal_sql(catalog: Catalog) -> str:
    ex = catalog.grading.excellent
    general = catalog.priority.general_group
    due = plus_months("r.received_date", int(ex["prosecution_months"]))
    return f"""
        WITH f AS ({FINDING_SUMMARY}),
        r AS (SELECT s.case_id,
                     bool_and(r.decision_date - r.received_date <= {int(ex["arrest_days"])}) AS ok
              FROM arrest_reviews r JOIN suspects s USING (suspect_id) GROUP BY s.case_id
              UNION ALL
              SELECT s.case_id, bool_and(r.decision_date <= {due}) AS ok
              FROM prosecution_reviews r JOIN suspects s USING (suspect_id) GROUP BY s.case_id),
        ok AS (SELECT case_id, bool_and(ok) AS ok FROM r GROUP BY case_id)
        SELECT c.case_id, 'criminal' AS dataset, '{general}' AS priority_group,
               '{general}' AS priority_category,
               {_grade_expr("coalesce(ok.ok, false)")} AS grade,
               coalesce(f.n_unqualified, 0) AS n_unqualified, coalesce(f.n_flawed, 0) AS n_flawed,
               coalesce(f.rule_ids, '') AS rule_ids, coalesce(f.n_leads, 0) AS n_leads
        FROM criminal_cases c LEFT JOIN f USING (case_id) LEFT JOIN ok USING (case_id)
    """


def grade_cases(ds: OpenDataset, catalog: Catalog, findings: pa.Table) -> pa.Table:
    """One row per case of every present dataset; priority groups first, worst grade first."""
    con = ds.con
    con.register("findings", findings.select(["case_id", "rule_id", "kind", "severity"]))
    parts = []
    if "enforcement" in ds.kinds:
        parts.append(_enforcement_sql(catalog))
    if "criminal" in ds.kinds:
        parts.append(_criminal_sql(catalog))
    groups = ", ".join(f"'{g}'" for g in catalog.priority.order)
    levels = ", ".join(f"'{g}'" for g in catalog.grading.levels)
    query = " UNION ALL ".join(f"({q})" for q in parts)
    table = con.sql(
        f"SELECT * FROM ({query}) ORDER BY list_position([{groups}], priority_group), "
        f"list_position([{levels}], grade), case_id"
    ).to_arrow_table()
    con.unregister("findings")
    return table
