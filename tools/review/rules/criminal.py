"""审查逮捕与审查起诉期限（XS-03、XS-04）。XS-04 counts the period with
``legal.deadlines``, the same definition the generator plants late decisions with."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from legal.deadlines import prosecution_limit
from review.registry import RuleContext, from_frame, register


@register("XS-03")
def arrest_overdue(ctx: RuleContext) -> pa.Table:
    limit = int(ctx.param("max_days"))
    return ctx.sql(
        f"""
        SELECT s.case_id, r.suspect_id, CAST(NULL AS VARCHAR) AS asset_id,
               '审查逮捕用时' || (r.decision_date - r.received_date) || '日，超过法定{limit}日'
                   AS detail
        FROM arrest_reviews r JOIN suspects s USING (suspect_id)
        WHERE r.decision_date - r.received_date > {limit}
        """
    )


@register("XS-04")
def prosecution_overdue(ctx: RuleContext) -> pa.Table:
    if (int(ctx.param("months")), int(ctx.param("extension_days"))) != (1, 15):
        raise ValueError(
            "XS-04 的期限须与 legal.deadlines.prosecution_limit 一致（一个月又十五日）"
        )
    rows = ctx.ds.con.execute(
        """
        SELECT s.case_id, r.suspect_id, r.received_date, r.decision_date
        FROM prosecution_reviews r JOIN suspects s USING (suspect_id)
        WHERE coalesce(r.returned_for_investigation, 0) = 0
          AND r.received_date IS NOT NULL AND r.decision_date IS NOT NULL
        """
    ).df()
    received = rows["received_date"].to_numpy().astype("datetime64[D]")
    decided = rows["decision_date"].to_numpy().astype("datetime64[D]")
    over = (decided - prosecution_limit(received)).astype(np.int64)
    late = rows.loc[over > 0, ["case_id", "suspect_id"]].reset_index(drop=True)
    late["detail"] = (
        "审查起诉超过一个月又十五日的期限"
        + pd.Series(over[over > 0]).astype(str)
        + "日，且无退回补充侦查记录"
    )
    return from_frame(late)
