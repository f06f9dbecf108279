"""Consumption records of 终本 respondents (docs/enforcement-data.md §6): who gets records, the
legal reading of "after the 限制消费令" and "own", the latent state's separation, and that the
new table comes from its own seed stream (every other table is unchanged by its parameters)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from synthgen import BuildOptions, read_table
from synthgen.enforcement.build import plan_enforcement
from synthgen.enforcement.partition import generate_partition
from synthgen.enforcement.spending import ABLE, UNABLE, _first_order

ZB = "终结本次执行程序"


@pytest.fixture(scope="module")
def world(enforcement_zj: Path) -> dict[str, pd.DataFrame]:
    cases = read_table(enforcement_zj, "enforcement_cases")
    actions = read_table(
        enforcement_zj, "enforcement_actions", ["case_id", "action_type", "action_date"]
    )
    orders = actions[actions["action_type"] == "限制消费令"].groupby("case_id")["action_date"].min()
    resp = cases[
        (cases["closing_method"] == ZB)
        & (cases["respondent_type"] == "自然人")
        & (cases["case_type"] == "首次执行")
    ]
    return {
        "cases": cases,
        "resp": resp.assign(order=resp["case_id"].map(orders)),
        "records": read_table(enforcement_zj, "consumption_records"),
        "truth": read_table(enforcement_zj, "_truth/payment_ability"),
    }


def test_records_belong_to_zhongben_person_respondents(world: dict[str, pd.DataFrame]) -> None:
    records, resp, truth = world["records"], world["resp"], world["truth"]
    assert records["person_id"].isin(resp["respondent_id"]).all()
    assert set(truth["case_id"]) == set(resp["case_id"])
    assert truth["state"].isin([ABLE, UNABLE]).all()
    assert (truth["able"] == (truth["state"] == ABLE)).all()
    assert 0.25 <= truth["able"].mean() <= 0.45


def test_payer_and_dates_follow_the_model(world: dict[str, pd.DataFrame]) -> None:
    records, resp = world["records"], world["resp"]
    own = records["payer_type"] == "本人"
    assert (own == (records["payer_id"] == records["person_id"])).all()
    assert set(records["payer_type"]) == {"本人", "单位", "他人"}
    joined = records.merge(resp[["respondent_id", "filing_date", "order"]], left_on="person_id",
                           right_on="respondent_id")  # fmt: skip
    assert not (joined["record_date"] == joined["order"]).any()  # no record on the order day
    assert (joined["record_date"] >= joined["filing_date"] - pd.Timedelta(days=365)).all()
    assert (joined["record_date"] <= pd.Timestamp("2025-06-30")).all()
    # school fees, golf, holidays and insurance are never paid by an employer or another person
    assert (
        records.loc[~own, "category"]
        .isin(["乘坐飞机", "G字头动车组或一等座以上", "星级宾馆住宿"])
        .all()
    )


def _scores(world: dict[str, pd.DataFrame], rule: str, per_year: float) -> tuple[float, float]:
    records, resp, truth = world["records"], world["resp"].dropna(subset=["order"]), world["truth"]
    joined = records.merge(resp[["case_id", "respondent_id", "order"]], left_on="person_id",
                           right_on="respondent_id")  # fmt: skip
    keep = {
        "correct": (joined["payer_id"] == joined["person_id"])
        & (joined["record_date"] > joined["order"]),
        "any payer": joined["record_date"] > joined["order"],
        "any time": joined["payer_id"] == joined["person_id"],
    }[rule]
    n = joined[keep].groupby("case_id").size().reindex(resp["case_id"]).fillna(0).to_numpy()
    years = (pd.Timestamp("2025-06-30") - resp["order"]).dt.days.to_numpy() / 365.25
    flagged = n / years >= per_year
    able = resp["case_id"].map(truth.set_index("case_id")["able"]).to_numpy(bool)
    hit = (flagged & able).sum()
    return hit / flagged.sum(), hit / able.sum()


@pytest.mark.parametrize(
    ("rule", "per_year", "precise"),
    [
        ("correct", 1.0, True),
        ("correct", 0.75, True),
        ("any payer", 1.0, False),  # trips paid by employers and relatives are noise
        ("any payer", 2.0, False),
        ("any time", 1.0, False),  # before the order, spending is lawful and says little
        ("any time", 2.0, False),
    ],
)
def test_only_own_spending_after_the_order_separates_the_states(
    world: dict[str, pd.DataFrame], rule: str, per_year: float, precise: bool
) -> None:
    precision, recall = _scores(world, rule, per_year)
    assert bool(precision >= 0.75 and recall >= 0.6) is precise, (precision, recall)
    assert precision < 0.98  # noise on both sides: never a perfect lookup


@pytest.mark.parametrize(
    ("rows", "want"),
    [
        (
            [("C1", "限制消费令", "2023-02-01"), ("C1", "限制消费令", "2023-01-05")],
            ["2023-01-05", None],
        ),
        (
            [("C2", "限制消费令", "2023-03-01"), ("C1", "纳入失信", "2023-01-01")],
            [None, "2023-03-01"],
        ),
        (
            [("X9", "限制消费令", "2023-03-01")],
            [None, None],
        ),  # a restored case's order is not the origin's
        ([], [None, None]),
    ],
)
def test_first_order_per_case(rows: list[tuple[str, str, str]], want: list[str | None]) -> None:
    actions = pa.table(
        {
            "case_id": pa.array([r[0] for r in rows], pa.string()),
            "action_type": pa.array([r[1] for r in rows], pa.string()),
            "action_date": pa.array(np.array([r[2] for r in rows], dtype="datetime64[D]")),
        }
    )
    got = _first_order(actions, pa.array(["C1", "C2", "X9"]), 2)
    assert [None if np.isnat(g) else str(g) for g in got] == want


def test_spending_parameters_touch_no_other_table(tmp_path: Path) -> None:
    """Its own seed stream: changing every spending parameter changes only the new tables."""
    scenario = tmp_path / "spending.yaml"
    scenario.write_text(
        "spending:\n  able_share: {value: 0.6, source: 测试}\n"
        "  lookback_days: {value: 90, source: 测试}\n  others: {mean: 3.0, shape: 0.5}\n",
        encoding="utf-8",
    )
    outputs = []
    for extra in ({}, {"scenario": scenario}):
        opts = BuildOptions(seed=3, scale=0.002, out=tmp_path / "unused", years=[2022],
                            provinces=["33"], casefiles=0.0, **extra)  # type: ignore[arg-type]  # fmt: skip
        plan = plan_enforcement(opts)
        outputs.append(generate_partition(plan.tasks[0], plan.shared))
    base, changed = outputs
    new = {"consumption_records", "_truth/payment_ability"}
    assert set(base) == set(changed) and new <= set(base)
    for name in set(base) - new:
        assert base[name].equals(changed[name]), name
    for name in new:
        assert not base[name].equals(changed[name]), name
