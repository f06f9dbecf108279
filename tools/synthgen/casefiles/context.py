"""What one case's documents need from a partition's tables: the case row, its court, parties,
actions and the respondent's registered assets — looked up once, for the selected cases only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ASSET_TABLES = {
    "vehicles": "owner_id",
    "real_estate": "owner_id",
    "bank_accounts": "owner_id",
    "insurance_policies": "holder_id",
    "housing_fund_accounts": "person_id",
}


@dataclass
class CaseContext:
    case: dict[Any, Any]
    court: str
    applicant: dict[Any, Any]
    respondent: dict[Any, Any]
    legal_reps: dict[Any, dict[Any, Any]]  # company_id → its legal representative (a person)
    actions: pd.DataFrame
    assets: dict[str, pd.DataFrame]  # table name → rows owned by the respondent

    def first(self, action_type: str) -> pd.Series | None:
        rows = self.actions[self.actions["action_type"] == action_type]
        return None if rows.empty else rows.iloc[0]

    def all(self, action_type: str) -> pd.DataFrame:
        return self.actions[self.actions["action_type"] == action_type]


def _frame(table: pa.Table, column: str, keys: list[str]) -> pd.DataFrame:
    mask = pc.is_in(table[column], value_set=pa.array(keys, pa.string()))
    return table.filter(mask).to_pandas(date_as_object=True)


def case_contexts(
    tables: dict[str, pa.Table], courts: pd.DataFrame, case_ids: list[str]
) -> list[CaseContext]:
    cases = _frame(tables["enforcement_cases"], "case_id", case_ids)
    party_ids = sorted(set(cases["applicant_id"]) | set(cases["respondent_id"]))
    persons = _frame(tables["persons"], "person_id", party_ids)
    companies = _frame(tables["companies"], "company_id", party_ids)
    reps = _frame(tables["persons"], "person_id", sorted(set(companies["legal_rep_person_id"])))
    actions = _frame(tables["enforcement_actions"], "case_id", case_ids).sort_values(
        ["case_id", "action_date", "action_id"], kind="stable"
    )
    resp_ids = sorted(set(cases["respondent_id"]))
    assets = {
        name: _frame(tables[name], col, resp_ids).set_index(col, drop=False)
        for name, col in ASSET_TABLES.items()
    }
    by_person = {r["person_id"]: {**r, "kind": "自然人"} for r in persons.to_dict("records")}
    by_company = {r["company_id"]: {**r, "kind": "法人"} for r in companies.to_dict("records")}
    rep_rows = {r["person_id"]: r for r in reps.to_dict("records")}
    legal_reps = {cid: rep_rows[c["legal_rep_person_id"]] for cid, c in by_company.items()}
    court_names = dict(zip(courts["court_id"], courts["name"], strict=True))
    grouped = dict(tuple(actions.groupby("case_id", sort=False)))
    out = []
    for row in cases.set_index("case_id", drop=False).loc[case_ids].to_dict("records"):
        parties = {**by_person, **by_company}
        resp = row["respondent_id"]
        out.append(
            CaseContext(
                case=row,
                court=str(court_names[row["court_id"]]),
                applicant=parties[row["applicant_id"]],
                respondent=parties[resp],
                legal_reps=legal_reps,
                actions=grouped.get(row["case_id"], actions.iloc[0:0]),
                assets={n: f[f.index == resp] for n, f in assets.items()},
            )
        )
    return out
