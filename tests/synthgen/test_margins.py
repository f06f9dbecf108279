"""Each threshold exists once (legal/enforcement.yaml): the generator's compliant and planted
day windows are derived from it, lie clearly on either side of it, and move when it moves; the
rule catalog's parameters read the same entries."""

from __future__ import annotations

from typing import Any

import pytest

import synthgen.enforcement.margins as margins_module
from legal import threshold
from review import load_catalog
from synthgen.enforcement.margins import month_days


def test_windows_lie_on_either_side_of_the_legal_thresholds() -> None:
    m = margins_module.margins()
    bench = threshold("network_query_benchmark_days")
    assert m.first_query_ok_max <= bench - 1 and m.first_query_late.lo > bench
    assert m.early_zhongben.hi <= 28 * threshold("zhongben_min_months")  # under 3 short months
    six = 181  # the shortest six calendar months (Sept–Feb)
    assert m.query_step_ok.hi - 1 < six < m.query_step_late.lo
    assert m.query_horizon_months == 12 * threshold("post_query_years")
    verify = threshold("lead_verify_days")
    assert m.lead_ok.hi - 1 < verify < m.lead_late.lo
    assert m.restore_late.lo > threshold("restore_days") + 3  # the lead check itself takes ≤ 3
    assert m.payout_ok_max < threshold("payout_days") < m.payout_late.lo
    working = threshold("blacklist_delete_working_days")
    assert m.delete_ok.hi - 1 <= working and m.delete_late.lo > working + 4  # + a weekend
    assert m.requery_months == threshold("requery_months")


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("payout_days", 60, "payout_ok_max", 50),
        ("lead_verify_days", 15, "lead_late", margins_module.Window(20, 49)),
        ("post_query_gap_months", 3, "query_step_late", margins_module.Window(109, 240)),
        ("zhongben_min_months", 6, "early_zhongben", margins_module.Window(30, 172)),
        ("overseal_ratio", 3, "overseal_ratio", 3.0),
    ],
)
def test_windows_follow_a_changed_threshold(
    monkeypatch: pytest.MonkeyPatch, name: str, value: Any, field: str, expected: Any
) -> None:
    monkeypatch.setattr(
        margins_module, "threshold", lambda key: value if key == name else threshold(key)
    )
    assert getattr(margins_module.margins(), field) == expected


def test_month_days_rounds_down_the_mean_month() -> None:
    assert [month_days(m) for m in (1, 3, 6, 12)] == [30, 91, 182, 365]


def test_catalog_parameters_read_the_same_thresholds() -> None:
    rules = {r.id: r for r in load_catalog().rules}
    m = margins_module.margins()
    assert rules["ZB-12"].param("restore_days") == threshold("restore_days")
    assert rules["ZB-17"].param("max_ratio") == m.overseal_ratio
    assert rules["ZB-04"].param("min_value") == m.min_asset_value
    assert rules["ZB-04"].param("min_share_of_unpaid") == m.min_share_of_unpaid
    assert rules["ZB-09"].param("requery_months") == m.requery_months
    for rule, key in (("ZB-12", "restore_days"), ("ZB-17", "max_ratio")):
        assert rules[rule].parameters[key].legal is not None, rule
