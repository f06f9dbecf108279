"""One province × filing-year partition of the enforcement dataset, from its own seed stream.

Restored cases (执恢) live in the partition of the case they restore (their ``year`` partition
key is the cohort's filing year); their case numbers interleave cohorts (sequence × number of
cohorts + cohort) so that partitions never hand out the same 执恢 number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.casefiles.build import partition_casefiles
from synthgen.core.geo import county_index
from synthgen.core.seeds import rng_for
from synthgen.enforcement.actions import (
    listing,
    make_ctx,
    notices_and_queries,
    payments,
    post_queries,
    zhongben_steps,
)
from synthgen.enforcement.draws import draw_cases
from synthgen.enforcement.holdings import respondent_assets
from synthgen.enforcement.ids import seq_ids
from synthgen.enforcement.log import ActionLog, TruthLog
from synthgen.enforcement.others import registry_only
from synthgen.enforcement.params import EnforcementParams
from synthgen.enforcement.parties import build_parties
from synthgen.enforcement.plan import plan_cases
from synthgen.enforcement.registry import Registry
from synthgen.enforcement.renew import renew_while_resting
from synthgen.enforcement.restore import found_accounts, restored_cases
from synthgen.enforcement.search import search_and_signoff
from synthgen.enforcement.spending import spending_tables
from synthgen.enforcement.tables import registry_tables
from synthgen.enforcement.transfers import (
    Owners,
    dispose,
    holdings,
    plan_in_kind,
    to_relatives,
    transfer_table,
)

PARTITIONED = (
    "persons",
    "companies",
    "company_shareholders",
    "enforcement_cases",
    "enforcement_actions",
    "vehicles",
    "vehicle_events",
    "real_estate",
    "bank_accounts",
    "insurance_policies",
    "housing_fund_accounts",
    "ownership_transfers",
    "_truth/equity_transfers",
    "_truth/case_assets",
    "consumption_records",
    "_truth/payment_ability",
)


@dataclass(frozen=True)
class EnforcementTask:
    seed: int
    province: str
    year: int
    n_cases: int
    part: int = 0
    parts: int = 1


@dataclass(frozen=True)
class EnforcementShared:
    params: EnforcementParams
    courts: pd.DataFrame  # courts receiving cases: weights, court_code, prefecture and county
    person_spec: dict[str, Any]
    casefiles_share: float = 0.0  # share of 终本 cases that get electronic case files


def _seq_within(group: np.ndarray, order_key: np.ndarray) -> np.ndarray:
    n = group.size
    order = np.lexsort((order_key, group))
    seq = np.empty(n, dtype=np.int64)
    g = group[order]
    first = np.r_[True, g[1:] != g[:-1]] if n else np.zeros(0, bool)
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else np.zeros(0, np.int64)
    seq[order] = np.arange(n) - start + 1
    return seq


def generate_partition(task: EnforcementTask, shared: EnforcementShared) -> dict[str, pa.Table]:
    params = shared.params
    rng = rng_for(task.seed, "enforcement", task.province, task.year, task.part)
    courts = shared.courts[shared.courts["province_code"] == task.province].reset_index(drop=True)
    prefix = f"{task.province}{task.year}{task.part:02d}"
    d = draw_cases(rng, params, task.year, courts, task.n_cases, task.province)
    plan = plan_cases(rng, params, d)
    pref = courts["prefecture"].to_numpy(np.int64)
    places = courts["place"].to_numpy(object)
    parties = build_parties(
        rng, prefix, d, pref, places, shared.person_spec, params.data["parties"]
    )
    log, truth = ActionLog(), TruthLog()
    c = make_ctx(rng, params, d, plan, log, truth)
    owner = parties.respondent_id.to_numpy(zero_copy_only=False)
    county = courts["county"].to_numpy(np.int64)[d.court]
    home = np.where(county > 0, county, county_index().sample_in_prefecture(rng, pref[d.court]))
    reg = Registry()
    notices_and_queries(c)
    listing(c)
    search_and_signoff(c)
    first, cash_policy = respondent_assets(c, reg, owner, home)
    owners = _owners(parties, d)
    in_kind = plan_in_kind(c, holdings(c, reg)[0])
    took, when, arrived = payments(c, first, in_kind)
    reg.set("bank", "balance_date", first[took], when)
    dispose(c, reg, owners, in_kind, arrived)
    to_relatives(c, reg, owners, home)
    zhongben_steps(c)
    found = post_queries(c, found_accounts(c, reg, owner))
    renew_while_resting(c, found["cases"], found["restore"])
    rest = restored_cases(c, reg, found, cash_policy, offset=d.n)
    persons = parties.persons
    p_home = persons["residence_division_code"].to_numpy(zero_copy_only=False).astype(np.int64)
    c_home = parties.companies["division_code"].to_numpy(zero_copy_only=False).astype(np.int64)
    lo = np.datetime64(f"{params.years[0]}-01-01")
    registry_only(
        reg,
        rng,
        owners.buyer_persons,
        owners.buyer_companies,
        p_home[parties.registry_persons],
        c_home[parties.registry_companies],
        lo,
        params.data_end,
    )
    m = rest.origin.size
    case_ids = seq_ids(f"EX{prefix}", d.n + m, 7)
    tables = registry_tables(
        rng,
        reg,
        prefix,
        task.province,
        params.data_end,
        float(params.data["assets"]["vehicle_events_mean"]),
    )
    tables["ownership_transfers"] = transfer_table(reg, prefix, case_ids)
    tables["enforcement_cases"] = _cases(task, params, courts, d, parties, rest, case_ids)
    tables["enforcement_actions"] = log.to_table(prefix, case_ids, params.data_end)
    tables["persons"] = persons
    tables["companies"] = parties.companies
    tables["company_shareholders"] = parties.shareholders
    moves = parties.equity_moves
    tables["_truth/equity_transfers"] = moves.set_column(
        0, "case_id", case_ids.take(moves["case_index"])
    )
    tables["_truth/violations"] = truth.to_table(prefix, case_ids)
    tables["_truth/case_assets"] = pa.table(
        {"case_id": case_ids.slice(0, d.n), "assets_found": pa.array(d.assets_found)}
    )
    tables.update(
        spending_tables(
            rng_for(task.seed, "spending", task.province, task.year, task.part),
            params,
            d,
            parties,
            case_ids,
            tables["enforcement_actions"],
            prefix,
        )
    )
    if shared.casefiles_share > 0:
        files = partition_casefiles(
            rng_for(task.seed, "casefiles", task.province, task.year, task.part),
            tables,
            courts,
            shared.casefiles_share,
            float(params.data["casefiles"]["formal_interview_rate"]["value"]),
        )
        formal = files.pop("formal_truth")
        tables["_truth/violations"] = pa.concat_tables([tables["_truth/violations"], formal])
        tables.update(files)
    ctx = {"province_code": task.province, "year": task.year}
    return {name: (_with(t, ctx) if name in PARTITIONED else t) for name, t in tables.items()}


def _owners(parties: Any, d: Any) -> Owners:
    persons, companies = parties.persons, parties.companies
    return Owners(
        buyer_persons=persons["person_id"]
        .take(pa.array(parties.registry_persons))
        .to_numpy(zero_copy_only=False),
        buyer_companies=companies["company_id"]
        .take(pa.array(parties.registry_companies))
        .to_numpy(zero_copy_only=False),
        respondent=parties.respondent_id.to_numpy(zero_copy_only=False),
        applicant=parties.applicant_id.to_numpy(zero_copy_only=False),
        applicant_company=d.appl_company,
        relative=parties.relative_id,
    )


def _cases(
    task: EnforcementTask,
    params: EnforcementParams,
    courts: pd.DataFrame,
    d: Any,
    parties: Any,
    rest: Any,
    case_ids: pa.Array,
) -> pa.Table:
    n, m = d.n, rest.origin.size
    court = np.concatenate([d.court, d.court[rest.origin]])
    filing = np.concatenate([d.filing, rest.filing])
    restored = np.r_[np.zeros(n, bool), np.ones(m, bool)]
    year = filing.astype("datetime64[Y]").astype(np.int64) + 1970
    seq = _seq_within(court * 10_000 + year * 2 + restored, filing.astype(np.int64))
    # numbers interleave the chunks of a province-year, and for 执恢 also the filing cohorts,
    # so that independently generated partitions never share a number
    cohorts = len(params.years)
    cohort = params.years.index(task.year) if task.year in params.years else 0
    slots = np.where(restored, cohorts * task.parts, task.parts)
    slot = np.where(restored, cohort * task.parts + task.part, task.part)
    seq = (seq - 1) * slots + slot + 1
    code = courts["court_code"].to_numpy(object)[court]
    number = pc.binary_join_element_wise(
        "（",
        pc.cast(pa.array(year), pa.string()),
        "）",
        pa.array(code, pa.string()),
        pa.array(np.where(restored, "执恢", "执")),
        pc.cast(pa.array(seq), pa.string()),
        "号",
        "",
    )
    origin = pa.concat_arrays(
        [pa.nulls(n, pa.string()), case_ids.take(pa.array(rest.origin, type=pa.int64()))]
    )
    resp_type = np.where(d.resp_company, "法人", "自然人")
    appl_type = np.where(d.appl_company, "法人", "自然人")
    o = rest.origin
    return pa.table(
        {
            "case_id": case_ids,
            "case_number": number,
            "court_id": pa.array(courts["court_id"].to_numpy(object)[court], pa.string()),
            "case_type": pa.array(np.where(restored, "恢复执行", "首次执行")),
            "origin_case_id": origin,
            "filing_date": pa.array(filing),
            "applicant_id": pa.concat_arrays(
                [parties.applicant_id, parties.applicant_id.take(pa.array(o, type=pa.int64()))]
            ),
            "applicant_type": pa.array(np.concatenate([appl_type, appl_type[o]])),
            "respondent_id": pa.concat_arrays(
                [parties.respondent_id, parties.respondent_id.take(pa.array(o, type=pa.int64()))]
            ),
            "respondent_type": pa.array(np.concatenate([resp_type, resp_type[o]])),
            "cause": pa.array(np.concatenate([d.cause, d.cause[o]]), pa.string()),
            "priority_category": pa.array(np.concatenate([d.category, d.category[o]]), pa.string()),
            "amount_claimed": pa.array(np.concatenate([d.amount, rest.amount])),
            "closing_date": pa.array(np.concatenate([d.closing, rest.closing])),
            "closing_method": pa.array(np.concatenate([d.method, rest.method]), pa.string()),
            "amount_recovered": pa.array(np.concatenate([d.recovered, rest.recovered])),
        }
    )


def _with(table: pa.Table, columns: dict[str, Any]) -> pa.Table:
    for name, value in columns.items():
        typ = pa.int16() if name == "year" else pa.string()
        table = table.append_column(name, pa.array(np.full(table.num_rows, value)).cast(typ))
    return table
