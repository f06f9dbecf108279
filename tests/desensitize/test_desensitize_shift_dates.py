"""Date shifting keeps intervals within a case, also when some rows belong to no case."""

import datetime as dt

import pandas as pd
import pytest

from desensitize.release.quasi import shift_dates

KEY = b"shift-dates-test-key-0123456789"


@pytest.mark.parametrize(
    "case_ids",
    [
        pytest.param(["C1", "C1", "C2"], id="all-rows-in-cases"),
        pytest.param(["C1", None, "C1"], id="a-row-outside-any-case"),
        pytest.param([None, None, None], id="no-row-in-a-case"),
    ],
)
def test_shift_dates_keeps_intervals_within_a_case(case_ids: list[str | None]) -> None:
    dates = [dt.date(2023, 1, 1), dt.date(2023, 1, 11), dt.date(2023, 2, 1)]
    frame = pd.DataFrame({"case_id": pd.Series(case_ids, dtype=object), "transfer_date": dates})
    frames = {"ownership_transfers": frame}
    shift_dates(frames, KEY, weeks=8, skip=set())
    out = frames["ownership_transfers"]
    assert out["transfer_date"].notna().all()
    units = frame["case_id"].fillna("<none>")
    for unit in units.unique():
        rows = units == unit
        before = pd.to_datetime(pd.Series(dates)[rows.to_numpy()]).diff().dropna().tolist()
        after = pd.to_datetime(out.loc[rows, "transfer_date"]).diff().dropna().tolist()
        assert before == after
    assert (pd.to_datetime(out["transfer_date"]) != pd.to_datetime(pd.Series(dates))).any()
