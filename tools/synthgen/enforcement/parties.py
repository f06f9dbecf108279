"""Persons and companies of one partition: applicants, respondents, their relatives, legal
representatives, shareholders (with chains of related companies and equity moved to a relative
shortly before or after judgment), and registry-only owners who are party to no case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.core.geo import county_index
from synthgen.core.people import make_persons
from synthgen.enforcement.draws import CaseDraws
from synthgen.enforcement.ids import seq_ids, uscc_codes

Ints = npt.NDArray[np.int64]
_TRADE = list("华鑫盛达恒通宏远泰丰瑞祥隆兴昌嘉信诚汇金永安顺德新宇博润和康")
_INDUSTRY = [
    "建筑工程",
    "商贸",
    "贸易",
    "物流",
    "科技",
    "食品",
    "服装",
    "机械",
    "建材",
    "装饰工程",
    "餐饮管理",
    "房地产开发",
    "电子",
    "农业开发",
    "汽车销售",
]
_LENDERS = [
    "农村商业银行股份有限公司",
    "小额贷款有限公司",
    "融资担保有限公司",
    "村镇银行股份有限公司",
]
_RELATIONS = np.array(["配偶", "子女", "兄弟姐妹", "父母"])


@dataclass
class Parties:
    persons: pa.Table
    companies: pa.Table
    shareholders: pa.Table
    equity_moves: pa.Table  # instructor truth: equity moved to relatives
    respondent_id: pa.Array  # per case
    applicant_id: pa.Array
    resp_person_row: Ints  # per case: row in persons, -1 for companies
    relative_id: npt.NDArray[Any]  # per case: the respondent's relative (None where none)
    registry_persons: Ints  # rows in persons that are registry-only owners
    registry_companies: Ints  # rows in companies


def _company_names(rng: np.random.Generator, places: npt.NDArray[Any], n: int) -> pa.Array:
    trade = np.array(_TRADE)
    a = trade[rng.integers(0, trade.size, n)]
    b = trade[rng.integers(0, trade.size, n)]
    industry = np.array(_INDUSTRY)[rng.integers(0, len(_INDUSTRY), n)]
    return pc.binary_join_element_wise(
        pa.array(places, pa.string()),
        pa.array(a),
        pa.array(b),
        pa.array(industry),
        pa.scalar("有限公司"),
        "",
    )


def build_parties(
    rng: np.random.Generator,
    prefix: str,
    draws: CaseDraws,
    court_prefecture: Ints,
    place_names: npt.NDArray[Any],
    person_spec: dict[str, Any],
    party_spec: dict[str, Any],
) -> Parties:
    n = draws.n
    resp_p = ~draws.resp_company
    n_rp = int(resp_p.sum())
    n_ap = int((~draws.appl_company).sum())
    has_rel = resp_p & (rng.random(n) < float(party_spec["relative_share"]))
    n_rel = int(has_rel.sum())
    n_rc = int(draws.resp_company.sum())
    n_pool = max(1, round(n * float(party_spec["company_applicant_pool"])))
    chain = rng.random(n_rc) < float(party_spec["related_chain_share"])
    n_chain = int(chain.sum())
    n_reg_p = round(n_rp * float(party_spec["non_respondent_persons"]))
    n_reg_c = round(n_rc * float(party_spec["non_respondent_companies"]))
    # companies: respondents, applicant pool, related (one per relative move), chain (two each),
    # registry-only
    n_co = n_rc + n_pool + n_rel + 2 * n_chain + n_reg_c
    # persons: respondents, applicants, relatives, legal reps of every company, registry-only
    n_pe = n_rp + n_ap + n_rel + n_co + n_reg_p

    case_pref = court_prefecture[draws.court]
    cty = county_index()
    home_pref = np.concatenate(
        [
            case_pref[resp_p],
            case_pref[~draws.appl_company],
            case_pref[has_rel],
            rng.choice(case_pref, n_co + n_reg_p),
        ]
    )
    hukou = cty.sample_in_prefecture(rng, home_pref)
    moved = rng.random(n_pe) < 0.15
    residence = np.where(moved, cty.sample_in_prefecture(rng, home_pref), hukou)
    age_days = rng.integers(23 * 365, 70 * 365, n_pe)
    anchor = np.concatenate(
        [
            draws.filing[resp_p],
            draws.filing[~draws.appl_company],
            draws.filing[has_rel],
            rng.choice(draws.filing, n_co + n_reg_p),
        ]
    )
    birth = anchor - age_days.astype("timedelta64[D]")
    male = rng.random(n_pe) < 0.62
    person_ids = seq_ids(f"EP{prefix}", n_pe, 7)
    persons = make_persons(
        rng,
        person_ids=person_ids,
        birth=birth,
        male=male,
        hukou=hukou,
        residence=residence,
        education_shares=person_spec["education"],
        ethnicity_spec=person_spec["ethnicity"],
    )
    # relatives other than spouses share the respondent's surname
    rel_rows = np.arange(n_rp + n_ap, n_rp + n_ap + n_rel)
    resp_of_rel = np.cumsum(resp_p)[has_rel] - 1
    relation = _RELATIONS[rng.integers(0, 4, n_rel)]
    same = relation != "配偶"
    kin = rel_rows[same]
    names = persons["name"]
    surname = pc.utf8_slice_codeunits(names.take(pa.array(resp_of_rel[same])), 0, 1)
    given = pc.utf8_slice_codeunits(names.take(pa.array(kin)), 1, 64)
    mask = np.zeros(n_pe, dtype=bool)
    mask[kin] = True
    persons["name"] = pc.replace_with_mask(
        names, pa.array(mask), pc.binary_join_element_wise(surname, given, "")
    )

    co_ids = seq_ids(f"EC{prefix}", n_co, 6)
    co_div = cty.sample_in_prefecture(rng, rng.choice(case_pref, n_co))
    co_div[:n_rc] = cty.sample_in_prefecture(rng, case_pref[draws.resp_company])
    places = place_names[draws.court]
    co_names = _company_names(rng, places[rng.integers(0, n, n_co)], n_co)
    lenders = np.char.add(
        places[rng.integers(0, n, n_pool)].astype(str),
        np.array(_LENDERS)[rng.integers(0, len(_LENDERS), n_pool)],
    )
    pool = np.zeros(n_co, dtype=bool)
    pool[n_rc : n_rc + n_pool] = True
    co_names = pc.replace_with_mask(co_names, pa.array(pool), pa.array(lenders))
    rep_start = n_rp + n_ap + n_rel
    capital = np.round(np.exp(rng.normal(np.log(1e6), 1.2, n_co)), -4)
    companies = pa.table(
        {
            "company_id": co_ids,
            "name": co_names,
            "uscc": uscc_codes(rng, co_div),
            "legal_rep_person_id": person_ids.slice(rep_start, n_co),
            "registered_capital": pa.array(np.maximum(capital, 1e4)),
            "division_code": pa.array(co_div.astype(str)),
            "established_date": pa.array(
                draws.filing.min() - rng.integers(400, 7000, n_co).astype("timedelta64[D]")
            ),
        }
    )
    respondent = np.empty(n, dtype=object)
    respondent[resp_p] = person_ids.slice(0, n_rp).to_numpy(zero_copy_only=False)
    respondent[draws.resp_company] = co_ids.slice(0, n_rc).to_numpy(zero_copy_only=False)
    applicant = np.empty(n, dtype=object)
    applicant[~draws.appl_company] = person_ids.slice(n_rp, n_ap).to_numpy(zero_copy_only=False)
    applicant[draws.appl_company] = co_ids.slice(n_rc, n_pool).to_numpy(zero_copy_only=False)[
        rng.integers(0, n_pool, int(draws.appl_company.sum()))
    ]
    resp_row = np.full(n, -1, dtype=np.int64)
    resp_row[resp_p] = np.arange(n_rp)

    relative = np.full(n, None, dtype=object)
    relative[has_rel] = person_ids.take(pa.array(rel_rows)).to_numpy(zero_copy_only=False)
    ids = _CompanyIds(person_ids, co_ids, n_rc, n_pool, rep_start)
    sh, moves = _shareholders(rng, draws, chain, ids, _Relatives(has_rel, rel_rows, relation))
    return Parties(
        persons=pa.table(persons),
        companies=companies,
        shareholders=sh,
        equity_moves=moves,
        respondent_id=pa.array(respondent, type=pa.string()),
        applicant_id=pa.array(applicant, type=pa.string()),
        resp_person_row=resp_row,
        relative_id=relative,
        registry_persons=np.arange(n_pe - n_reg_p, n_pe),
        registry_companies=np.arange(n_co - n_reg_c, n_co),
    )


def _holding(
    co_ids: pa.Array, company: Ints, holder: pa.Array, htype: str, pct: Any, start: Any, end: Any
) -> pa.Table:
    n = company.size
    nat = np.datetime64("NaT", "D")
    return pa.table(
        {
            "company_id": co_ids.take(pa.array(company, type=pa.int64())),
            "holder_id": holder,
            "holder_type": pa.array(np.full(n, htype)),
            "share_pct": pa.array(np.broadcast_to(np.asarray(pct, np.float64), (n,)).copy()),
            "from_date": pa.array(np.broadcast_to(np.asarray(start, "datetime64[D]"), (n,)).copy()),
            "to_date": pa.array(
                np.broadcast_to(
                    np.asarray(nat if end is None else end, "datetime64[D]"), (n,)
                ).copy()
            ),
        }
    )


@dataclass(frozen=True)
class _CompanyIds:
    """Ids of one partition's persons and companies, and where each company group starts."""

    person_ids: pa.Array
    co_ids: pa.Array
    n_rc: int  # respondent companies come first
    n_pool: int  # then the applicant pool
    rep_start: int  # first legal representative's person row


@dataclass(frozen=True)
class _Relatives:
    """Respondent persons with a relative who takes over their shares before the case."""

    has_rel: npt.NDArray[np.bool_]
    rows: Ints
    relation: npt.NDArray[Any]


def _shareholders(
    rng: np.random.Generator,
    draws: CaseDraws,
    chain: npt.NDArray[np.bool_],
    ids: _CompanyIds,
    relatives: _Relatives,
) -> tuple[pa.Table, pa.Table]:
    """Every company is held by its legal representative; respondent companies in a chain are
    held 70% by a holding company, itself held by a second one owned by a person; a respondent
    person with a relative held a company until a transfer date near the case's filing, when the
    relative took the shares over."""
    person_ids, co_ids = ids.person_ids, ids.co_ids
    n_rc, n_pool, rep_start = ids.n_rc, ids.n_pool, ids.rep_start
    has_rel, rel_rows, relation = relatives.has_rel, relatives.rows, relatives.relation
    n_co = len(co_ids)
    n_rel = rel_rows.size
    founded = draws.filing.min() - np.timedelta64(2000, "D")
    rel_co = n_rc + n_pool + np.arange(n_rel)
    move = draws.filing[has_rel] + rng.integers(-120, 91, n_rel).astype("timedelta64[D]")
    resp_rows = np.cumsum(~draws.resp_company)[has_rel] - 1
    pct = np.round(rng.uniform(20, 60, n_rel), 1)
    chain_idx = np.flatnonzero(chain)
    hold1 = n_rc + n_pool + n_rel + np.arange(chain_idx.size)
    hold2 = hold1 + chain_idx.size
    # the legal representative holds what the other rows leave: 30% of a chained respondent
    # company, the rest of a relative's company, nothing of a first-tier holding company
    rep_pct = np.full(n_co, 100.0)
    rep_pct[chain_idx] = 30.0
    rep_pct[rel_co] = 100.0 - pct
    rep = np.setdiff1d(np.arange(n_co), hold1)
    table = pa.concat_tables(
        [
            _holding(
                co_ids,
                rep,
                person_ids.take(pa.array(rep_start + rep)),
                "自然人",
                rep_pct[rep],
                founded,
                None,
            ),
            _holding(
                co_ids,
                rel_co,
                person_ids.take(pa.array(resp_rows, type=pa.int64())),
                "自然人",
                pct,
                founded,
                move,
            ),
            _holding(
                co_ids,
                rel_co,
                person_ids.take(pa.array(rel_rows, type=pa.int64())),
                "自然人",
                pct,
                move,
                None,
            ),
            _holding(co_ids, chain_idx, co_ids.take(pa.array(hold1)), "法人", 70.0, founded, None),
            _holding(co_ids, hold1, co_ids.take(pa.array(hold2)), "法人", 100.0, founded, None),
        ]
    )
    case_of_rel = np.flatnonzero(has_rel)
    moves = pa.table(
        {
            "case_index": pa.array(case_of_rel),
            "company_id": co_ids.take(pa.array(rel_co, type=pa.int64())),
            "from_person_id": person_ids.take(pa.array(resp_rows, type=pa.int64())),
            "to_person_id": person_ids.take(pa.array(rel_rows, type=pa.int64())),
            "relation": pa.array(relation),
            "transfer_date": pa.array(move),
            "share_pct": pa.array(pct),
        }
    )
    return table, moves
