"""How statutory periods are counted, vectorised over ``datetime64[D]`` arrays.

刑事诉讼法第一百零五条 counts a period given in months to the same day of the last month (clamped
to the month's end when that day does not exist); the generator plants late decisions with this
arithmetic and the rule engine finds them with it, so both must use this one definition.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]

# 刑事诉讼法第一百七十二条：审查起诉一个月，重大、复杂的案件可以延长十五日。
PROSECUTION_REVIEW_MONTHS = 1
PROSECUTION_REVIEW_EXTENSION_DAYS = 15


def ymd(dates: Days) -> tuple[Ints, Ints, Ints]:
    """Year, month and day of each date as integer arrays."""
    d = dates.astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months_since = d.astype("datetime64[M]")
    months = months_since.astype(np.int64) % 12 + 1
    days = (d - months_since.astype("datetime64[D]")).astype(np.int64) + 1
    return years, months, days


def add_months(dates: Days, months: int) -> Days:
    """Calendar month addition clamped to month end (1月31日 + 1个月 = 2月28/29日)."""
    y, m, d = ymd(dates)
    total = (y - 1970) * 12 + (m - 1) + months
    start = total.astype("datetime64[M]")
    next_start = (total + 1).astype("datetime64[M]")
    month_len = (next_start.astype("datetime64[D]") - start.astype("datetime64[D]")).astype(
        np.int64
    )
    return start.astype("datetime64[D]") + (np.minimum(d, month_len) - 1)


def prosecution_limit(received: Days) -> Days:
    """Last lawful decision day of a 审查起诉 without a return: one month plus the fifteen-day
    extension (the generator marks no case 重大复杂, so the longest lawful period applies)."""
    limit = add_months(received, PROSECUTION_REVIEW_MONTHS)
    return limit + np.timedelta64(PROSECUTION_REVIEW_EXTENSION_DAYS, "D")
