"""终本约谈 (ZB-07): the action must exist, and where case files exist the record must carry
the five items the applicant has to be told about; content is checked in SQL, all at once."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from review.registry import RuleContext, register
from review.sqlkit import NO_ASSET, ds, zb_cases

WHITESPACE = r"[\s\x{3000}\x{00A0}]"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def element_columns(elements: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(element name, SQL boolean that is true when any of its phrases occurs in `txt`)."""
    return [
        (name, "(" + " OR ".join(f"contains(txt, {_quote(p)})" for p in phrases) + ")")
        for name, phrases in elements.items()
    ]


@register("ZB-07")
def interview_missing_or_formal(ctx: RuleContext) -> pa.Table:
    missing = ctx.sql(
        f"""
        WITH {zb_cases()},
        iv AS (SELECT DISTINCT a.case_id FROM enforcement_actions a JOIN zb USING (case_id)
               WHERE a.action_type = '终本约谈' AND a.action_date <= zb.t)
        SELECT zb.case_id, {NO_ASSET},
               '终本日期' || {ds("zb.t")} || '前无终本约谈记录' AS detail
        FROM zb ANTI JOIN iv USING (case_id)
        """
    )
    glob: str = ctx.param("record_glob")
    if not any(Path(ctx.ds.root).glob(glob)):
        return missing
    return pa.concat_tables([missing, _formal(ctx, glob)])


def _formal(ctx: RuleContext, glob: str) -> pa.Table:
    checks = element_columns(ctx.param("elements"))
    flags = ", ".join(f"{expr} AS e{i}" for i, (_, expr) in enumerate(checks))
    lacking = ", ".join(
        f"CASE WHEN NOT e{i} THEN {_quote(n)} END" for i, (n, _) in enumerate(checks)
    )
    any_lacking = " OR ".join(f"NOT e{i}" for i in range(len(checks)))
    pattern = _quote(str(Path(ctx.ds.root) / glob))
    return ctx.sql(
        f"""
        WITH {zb_cases()},
        iv AS (SELECT DISTINCT a.case_id FROM enforcement_actions a JOIN zb USING (case_id)
               WHERE a.action_type = '终本约谈' AND a.action_date <= zb.t),
        rec AS (
            SELECT string_split(filename, '/')[-2] AS case_id,
                   string_agg(regexp_replace(content, '{WHITESPACE}', '', 'g'), ''
                              ORDER BY filename) AS txt
            FROM read_text({pattern}) GROUP BY 1),
        el AS (SELECT rec.case_id, {flags} FROM rec SEMI JOIN iv USING (case_id))
        SELECT case_id, {NO_ASSET},
               '终本约谈笔录缺少：' || concat_ws('、', {lacking}) AS detail
        FROM el WHERE {any_lacking}
        """
    )
