"""SQL fragments shared by the enforcement rules, so 终本 and date conventions are written once."""

from __future__ import annotations

import datetime as dt

import duckdb

from legal import ZHONGBEN

NO_ASSET = "CAST(NULL AS VARCHAR) AS asset_id"


def zb_cases(*extra: str) -> str:
    """CTE `zb`: 终本 cases with their 终本 date `t` (= closing_date)."""
    cols = "".join(f", {c}" for c in extra)
    return (
        f"zb AS (SELECT case_id, closing_date AS t{cols} FROM enforcement_cases "
        f"WHERE closing_method = '{ZHONGBEN}' AND closing_date IS NOT NULL)"
    )


def date_lit(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def ds(expr: str) -> str:
    """A date as YYYY-MM-DD text for Chinese detail strings."""
    return f"strftime({expr}, '%Y-%m-%d')"


def plus_months(expr: str, months: int) -> str:
    return f"CAST({expr} + INTERVAL ({int(months)}) MONTH AS DATE)"


def in_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """`add_working_days(d, n)`: the n-th Monday–Friday strictly after d (weekend d counts from
    the Friday before, so Saturday + 3 = Wednesday) — identical to numpy.busday_offset(d, n,
    roll='backward')."""
    con.execute(
        """
        CREATE OR REPLACE MACRO add_working_days(d, n) AS (
            d + CAST(n + 2 * ((least(isodow(d), 5) - 1 + n) // 5)
                     - (CASE WHEN isodow(d) > 5 THEN isodow(d) - 5 ELSE 0 END) AS INTEGER)
        )
        """
    )
