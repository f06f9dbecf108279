"""Hand-made enforcement datasets: a compliant 终本 case template that each test bends into a
violation or a boundary, so every rule is checked on rows whose answer is known by construction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from legal import ZHONGBEN

D = dt.date
AS_OF = D(2024, 12, 31)
FILING, CLOSING = D(2023, 1, 2), D(2023, 6, 1)  # the template case's filing and 终本 dates
ZB = ZHONGBEN
ACTION_COLUMNS = ["action_id", "case_id", "action_type", "action_date", "asset_type", "asset_id",
                  "amount", "note", "term_end"]  # fmt: skip


@dataclass
class World:
    """Rows of every table; `write` turns them into a dataset directory of Parquet files."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    vehicle_events: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    real_estate: list[dict[str, Any]] = field(default_factory=list)
    bank_accounts: list[dict[str, Any]] = field(default_factory=list)
    insurance_policies: list[dict[str, Any]] = field(default_factory=list)
    casefiles: dict[str, str] = field(default_factory=dict)

    def case(self, case_id: str, filing: dt.date, closing: dt.date | None = None,
             method: str = ZB, **extra: Any) -> None:  # fmt: skip
        row = {
            "case_id": case_id, "case_type": "首次执行", "origin_case_id": None,
            "filing_date": filing, "respondent_id": f"R-{case_id}", "respondent_type": "自然人",
            "priority_category": "一般", "amount_claimed": 100_000.0, "closing_date": closing,
            "closing_method": method if closing else "未结", "amount_recovered": 0.0,
        }  # fmt: skip
        row.update(extra)
        self.cases.append(row)

    def act(self, case_id: str, action_type: str, day: dt.date, asset_type: str | None = None,
            asset_id: str | None = None, amount: float | None = None,
            term_end: dt.date | None = None) -> None:  # fmt: skip
        self.actions.append({
            "action_id": f"A{len(self.actions):06d}", "case_id": case_id,
            "action_type": action_type, "action_date": day, "asset_type": asset_type,
            "asset_id": asset_id, "amount": amount, "note": None, "term_end": term_end,
        })  # fmt: skip

    def drop(self, case_id: str, action_type: str) -> None:
        self.actions = [
            a for a in self.actions
            if not (a["case_id"] == case_id and a["action_type"] == action_type)
        ]  # fmt: skip

    def compliant_zb(self, case_id: str, filing: dt.date = FILING,
                     t: dt.date = CLOSING, **extra: Any) -> None:  # fmt: skip
        """A 终本 case that breaks no rule up to AS_OF: notice and order, the respondent's report,
        network queries at filing and ten days before 终本, a 传统查控, the interview, panel and
        president sign-off, and queries every 5 months after 终本."""
        self.case(case_id, filing, t, **extra)
        self.act(case_id, "执行通知", filing + dt.timedelta(days=1))
        self.act(case_id, "报告财产令", filing + dt.timedelta(days=1))
        self.act(case_id, "网络查控", filing + dt.timedelta(days=2))
        self.act(case_id, "限制消费令", filing + dt.timedelta(days=3))
        self.act(case_id, "被执行人报告财产", filing + dt.timedelta(days=8))
        self.act(case_id, "传统查控", t - dt.timedelta(days=20))
        self.act(case_id, "网络查控", t - dt.timedelta(days=10))
        self.act(case_id, "终本约谈", t - dt.timedelta(days=5))
        self.act(case_id, "合议庭评议", t - dt.timedelta(days=3))
        self.act(case_id, "院长审批", t - dt.timedelta(days=2))
        self.act(case_id, "终本裁定", t)
        q = t
        while True:
            q = (pd.Timestamp(q) + pd.DateOffset(months=5)).date()
            if q > AS_OF:
                break
            self.act(case_id, "终本后查询", q)

    def write(self, root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        empty: dict[str, dict[str, str]] = {
            "vehicles": {"vehicle_id": "str", "owner_id": "str", "owner_type": "str",
                         "registered_date": "date"},
            "vehicle_events": {"event_id": "str", "vehicle_id": "str", "event_date": "date",
                               "event_type": "str", "division_code": "str"},
            "real_estate": {"property_id": "str", "owner_id": "str", "owner_type": "str",
                            "est_value": "float"},
            "bank_accounts": {"account_id": "str", "owner_id": "str", "owner_type": "str",
                              "balance": "float", "balance_date": "date"},
            "insurance_policies": {"policy_id": "str", "holder_id": "str", "holder_type": "str",
                                   "cash_value": "float", "start_date": "date"},
        }  # fmt: skip
        frames = {
            "enforcement_cases": pd.DataFrame(self.cases),
            "enforcement_actions": pd.DataFrame(self.actions, columns=ACTION_COLUMNS),
        }
        for name, cols in empty.items():
            rows = getattr(self, name)
            blank = {
                c: pd.Series(dtype="float64" if k == "float" else "object") for c, k in cols.items()
            }
            frames[name] = pd.DataFrame(rows) if rows else pd.DataFrame(blank)
        for name, frame in frames.items():
            _typed(frame).to_parquet(root / f"{name}.parquet", index=False)
        for rel, text in self.casefiles.items():
            path = root / "casefiles" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as real dates (Parquet DATE), amounts as float64, everything else as strings."""
    out = frame.copy()
    for col in out.columns:
        if col.endswith("_date") or col == "term_end":
            out[col] = pd.to_datetime(out[col]).astype("datetime64[s]").dt.date
            out[col] = out[col].astype("object").where(out[col].notna(), None)
        elif col in {"amount", "amount_claimed", "amount_recovered", "balance", "est_value",
                     "cash_value", "mortgage_amount"}:  # fmt: skip
            out[col] = pd.to_numeric(out[col]).astype("float64")
        else:
            out[col] = out[col].astype("object").where(out[col].notna(), None)
    return out
