"""Calendar arithmetic used for deadlines and ages."""

from __future__ import annotations

import numpy as np
import pytest

from legal import prosecution_limit
from synthgen.core.dates import add_months, age_on, from_ymd, ymd


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-15", 1, "2024-02-15"),
        ("2024-01-31", 1, "2024-02-29"),  # leap year, clamped to month end
        ("2023-01-31", 1, "2023-02-28"),
        ("2023-12-31", 1, "2024-01-31"),  # year boundary
        ("2023-03-31", -1, "2023-02-28"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    out = add_months(np.array([start], dtype="datetime64[D]"), months)
    assert str(out[0]) == expected


@pytest.mark.parametrize(
    ("received", "limit"),
    [("2024-01-31", "2024-03-15"), ("2024-03-10", "2024-04-25"), ("2023-12-20", "2024-02-04")],
)
def test_prosecution_limit_is_one_month_and_fifteen_days(received: str, limit: str) -> None:
    assert str(prosecution_limit(np.array([received], dtype="datetime64[D]"))[0]) == limit


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("2006-05-20", "2024-05-19", 17),  # the day before the 18th birthday
        ("2006-05-20", "2024-05-20", 18),
        ("2004-02-29", "2022-02-28", 17),  # leap-day birthday
        ("2004-02-29", "2022-03-01", 18),
    ],
)
def test_age_on(birth: str, on: str, age: int) -> None:
    b = np.array([birth], dtype="datetime64[D]")
    o = np.array([on], dtype="datetime64[D]")
    assert int(age_on(b, o)[0]) == age


def test_ymd_roundtrip() -> None:
    days = np.arange(np.datetime64("1950-01-01"), np.datetime64("2030-12-31"), 17)
    assert (from_ymd(*ymd(days)) == days).all()
