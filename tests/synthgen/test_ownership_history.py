"""Registries with history: a judicial sale (拍卖成交, 变卖) or 以物抵债 moves the asset to the
buyer or the applicant, a move to a relative before the case moves it to the relative, and the
registries show the owner as of the data's end with the day they became owner. A student reading
the registries of a 终本 case no longer sees a disposed asset as the respondent's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from synthgen import read_table

DISPOSALS = {"拍卖成交": "拍卖成交", "变卖": "变卖", "以物抵债": "以物抵债"}


@pytest.fixture(scope="module")
def tables(enforcement_zj: Path) -> dict[str, pd.DataFrame]:
    names = ["ownership_transfers", "vehicles", "real_estate", "enforcement_actions",
             "enforcement_cases"]  # fmt: skip
    return {n: read_table(enforcement_zj, n) for n in names}


def _registry(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    v = t["vehicles"].rename(columns={"vehicle_id": "asset_id"})
    e = t["real_estate"].rename(columns={"property_id": "asset_id"})
    cols = ["asset_id", "owner_id", "owner_type", "owner_since", "registered_date"]
    return pd.concat([v[cols], e[cols]])


def test_every_reason_occurs_and_registry_shows_the_last_owner(
    tables: dict[str, pd.DataFrame],
) -> None:
    moves = tables["ownership_transfers"]
    assert set(moves["reason"]) == {"拍卖成交", "变卖", "以物抵债", "赠与", "买卖"}
    last = moves.sort_values("transfer_date").groupby("asset_id").tail(1)
    reg = _registry(tables).set_index("asset_id").loc[last["asset_id"]]
    assert (reg["owner_id"].to_numpy() == last["to_owner_id"].to_numpy()).all()
    assert (reg["owner_type"].to_numpy() == last["to_owner_type"].to_numpy()).all()
    assert (pd.to_datetime(reg["owner_since"]).to_numpy()
            == pd.to_datetime(last["transfer_date"]).to_numpy()).all()  # fmt: skip
    untouched = _registry(tables)
    untouched = untouched[~untouched["asset_id"].isin(moves["asset_id"])]
    assert (untouched["owner_since"] == untouched["registered_date"]).all()


def test_each_disposal_action_has_its_transfer(tables: dict[str, pd.DataFrame]) -> None:
    """Every 拍卖成交 / 变卖 / 以物抵债 on a registered asset is followed, within 7 days and no
    later than the case's closing, by a transfer away from the respondent for that reason."""
    a = tables["enforcement_actions"]
    done = a[a["action_type"].isin(DISPOSALS) & a["asset_type"].isin(["车辆", "不动产"])]
    assert len(done) > 100
    cases = tables["enforcement_cases"].set_index("case_id")
    m = done.merge(tables["ownership_transfers"], on=["asset_id", "case_id"], how="left")
    assert m["transfer_id"].notna().all()
    assert (m["reason"] == m["action_type"].map(DISPOSALS)).all()
    lag = (pd.to_datetime(m["transfer_date"]) - pd.to_datetime(m["action_date"])).dt.days
    assert lag.between(0, 7).all()
    assert (m["from_owner_id"].to_numpy()
            == cases.loc[m["case_id"], "respondent_id"].to_numpy()).all()  # fmt: skip
    closing = pd.to_datetime(cases.loc[m["case_id"], "closing_date"]).to_numpy()
    assert (pd.to_datetime(m["transfer_date"]).to_numpy() <= closing).all()
    in_kind = m[m["reason"] == "以物抵债"]
    assert (in_kind["to_owner_id"].to_numpy()
            == cases.loc[in_kind["case_id"], "applicant_id"].to_numpy()).all()  # fmt: skip


def test_disposed_or_given_away_assets_are_not_the_respondents(
    tables: dict[str, pd.DataFrame],
) -> None:
    """Joining respondents to the registries by owner, as a 带财终本 model would, finds no asset
    the respondent had sold or given away; moves to relatives happen before filing."""
    cases = tables["enforcement_cases"]
    moves = tables["ownership_transfers"]
    reg = _registry(tables)
    joined = cases.merge(reg, left_on="respondent_id", right_on="owner_id")
    gone = moves.merge(cases[["respondent_id"]], left_on="from_owner_id", right_on="respondent_id")
    assert len(gone) > 100
    assert not joined["asset_id"].isin(gone["asset_id"]).any()
    private = moves[moves["case_id"].isna()].merge(
        cases[["respondent_id", "filing_date"]], left_on="from_owner_id", right_on="respondent_id"
    )
    assert len(private) > 50
    assert (pd.to_datetime(private["transfer_date"]) < pd.to_datetime(private["filing_date"])).all()


def test_zhongben_debtors_do_not_own_disposed_property(tables: dict[str, pd.DataFrame]) -> None:
    """No 终本 case shows an asset with a successful sale still registered to its respondent."""
    a = tables["enforcement_actions"]
    sold = a[a["action_type"].isin(DISPOSALS)]
    cases = tables["enforcement_cases"]
    zb = cases[cases["closing_method"] == "终结本次执行程序"]
    owned = zb.merge(_registry(tables), left_on="respondent_id", right_on="owner_id")
    assert not owned["asset_id"].isin(sold["asset_id"]).any()


def test_restored_zhongben_continues_measures_in_force(enforcement_zj: Path) -> None:
    """A restored case closed with 终本 again continues (续封) exactly the measures its original
    case placed, each still in force on the day it is continued (the original case renewed it
    while resting), and none on an asset that has left the respondent."""
    cases = read_table(enforcement_zj, "enforcement_cases")
    acts = read_table(enforcement_zj, "enforcement_actions")
    acts["action_date"] = pd.to_datetime(acts["action_date"])
    acts["term_end"] = pd.to_datetime(acts["term_end"])
    again = cases[
        (cases["case_type"] == "恢复执行") & (cases["closing_method"] == "终结本次执行程序")
    ]
    assert len(again) > 50
    measures = {"查封", "轮候查封", "续封", "扣押", "冻结"}
    link = again[["case_id", "origin_case_id"]].rename(columns={"case_id": "restored"})
    orig = acts[acts["action_type"].isin(measures) & acts["asset_id"].notna()].merge(
        link, left_on="case_id", right_on="origin_case_id")  # fmt: skip
    cont = acts[acts["case_id"].isin(again["case_id"]) & (acts["action_type"] == "续封")]
    assert set(zip(orig["restored"], orig["asset_id"], strict=True)) == set(
        zip(cont["case_id"], cont["asset_id"], strict=True))  # fmt: skip
    last = orig.sort_values("action_date").groupby(["restored", "asset_id"]).tail(1)
    m = last.merge(cont, left_on=["restored", "asset_id"], right_on=["case_id", "asset_id"],
                   suffixes=("", "_r"))  # fmt: skip
    assert len(m) == len(cont)
    assert (m["term_end"] >= m["action_date_r"]).all()
    moved = read_table(enforcement_zj, "ownership_transfers")
    assert not cont["asset_id"].isin(moved["asset_id"]).any()
