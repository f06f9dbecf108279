"""What a 终本 interview tells the applicant about the search and the property, read from the
case's own actions before the 终本 date: which measures were taken (how many network queries,
the last one's date) and what became of each asset (sealed, queued behind another court's seal,
the family's only home, 无益拍卖, two failed auctions, frozen, deducted). So the record says what
the tables say, and a student comparing the two finds them consistent (docs/enforcement-data.md).

No identifier (plate, certificate number) is written here: those stay in the labelled rows of
the inquiry feedback and the ruling, where the desensitizer's structured readers find them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from synthgen.casefiles.parties import Cast, templates
from synthgen.casefiles.text import ymd


def _before(cast: Cast) -> pd.DataFrame:
    acts = cast.ctx.actions
    return acts[acts["action_date"] <= cast.ctx.case["closing_date"]]


def measures_said(cast: Cast) -> str:
    """The search measures of the case, in the order of the template's ``measures`` table."""
    acts = _before(cast)
    phrases: dict[str, str] = templates()["interview"]["measures"]
    out = []
    for kind, phrase in phrases.items():
        rows = acts[acts["action_type"] == kind]
        if rows.empty:
            continue
        out.append(phrase.format(count=len(rows), last=ymd(rows["action_date"].max())))
    return "，".join(out)


def _estate_fates(acts: pd.DataFrame) -> dict[str, int]:
    """Count of properties by what happened to them, each property counted once."""
    est = acts[acts["asset_type"] == "不动产"]
    fates: dict[str, int] = {}
    for _, rows in est.groupby("asset_id"):
        kinds = set(rows["action_type"])
        notes = " ".join(str(n) for n in rows["note"].dropna())
        if "轮候查封" in kinds:
            fate = "estate_queued"
        elif "唯一住房" in notes:
            fate = "estate_home"
        elif "无益拍卖通知" in kinds:
            fate = "estate_futile"
        elif "拍卖" in kinds:
            fate = "estate_auctioned"
        elif "查封" in kinds:
            fate = "estate_sealed"
        else:
            continue
        fates[fate] = fates.get(fate, 0) + 1
    return fates


def _vehicle_fates(acts: pd.DataFrame) -> dict[str, int]:
    veh = acts[(acts["asset_type"] == "车辆") & (acts["action_type"] != "续封")]
    fates: dict[str, int] = {}
    for _, rows in veh.groupby("asset_id"):
        kinds = set(rows["action_type"])
        if "查封" not in kinds:
            continue
        fate = "vehicle_auctioned" if "扣押" in kinds else "vehicle_sealed"
        fates[fate] = fates.get(fate, 0) + 1
    return fates


def assets_said(cast: Cast) -> str:
    """The property found and its handling; 'nothing found' when the case touched none."""
    acts = _before(cast)
    t: dict[str, str] = templates()["interview"]["assets"]
    parts = [t[k].format(n=n) for k, n in {**_estate_fates(acts), **_vehicle_fates(acts)}.items()]
    policies = cast.ctx.assets["insurance_policies"]
    frozen = acts[(acts["action_type"] == "冻结") & (acts["asset_type"] == "保险")]
    value = policies[policies["policy_id"].isin(frozen["asset_id"])]["cash_value"].sum()
    if value > 0:
        parts.append(t["policy_frozen"].format(amount=cast.amount(float(value))))
    taken = acts.loc[acts["action_type"] == "扣划", "amount"].sum()
    if taken > 0:
        parts.append(t["deposit_taken"].format(amount=cast.amount(float(taken))))
    if (acts["action_type"] == "续封").any():
        parts.append(t["continued"])
    return "，".join([*parts, t["rest"]]) if parts else t["nothing"]


def interview_fields(cast: Cast) -> dict[str, Any]:
    return {"measures": measures_said(cast), "assets": assets_said(cast)}
