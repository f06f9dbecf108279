"""Consumption records of the natural-person respondents of 终本 cases (``consumption_records``)
and the latent state that produced them (``_truth/payment_ability``).

A 终本 respondent either has hidden means and will not pay (有能力而拒不履行, "失信" in the
colloquial sense) or cannot pay (无履行能力, "失能"). Only the first keeps paying for the
consumption that 限制高消费规定 (2015 修正) Art. 3 forbids once a 限制消费令 is issued; before the
order anyone may fly or stay in a hotel, and trips paid by an employer or a relative say nothing
about the respondent's own means. Those two kinds of records are the noise a supervision model
must discard (docs/enforcement-data.md §6).

The records come from their own seed stream, drawn after every other table of the partition, so
adding them leaves all other tables byte-identical."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.enforcement.draws import ZB, CaseDraws
from synthgen.enforcement.ids import seq_ids
from synthgen.enforcement.log import days
from synthgen.enforcement.params import EnforcementParams

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Days = npt.NDArray[np.datetime64]
ABLE, UNABLE = "有能力而拒不履行", "无履行能力"
ORDER = "限制消费令"
AMOUNT_CENTRE = 42_000.0  # the 终本 model's centre (params zhongben_model.amount_centre)
YEAR = 365.25


@dataclass(frozen=True)
class Respondents:
    """The natural-person respondents of one partition's 终本 cases (one per case)."""

    case: Ints  # case index in the partition
    able: npt.NDArray[np.bool_]
    start: Days  # first day with records (filing − lookback)
    order: Days  # day of the first 限制消费令; NaT where the case has none
    cut: Days  # order day, or the data end where there is none
    end: np.datetime64


@dataclass(frozen=True)
class Segment:
    """Records of one kind: who, when, which payer kind, from which category mix."""

    who: Ints  # row in Respondents
    date: Days
    own: bool


def _first_order(actions: pa.Table, case_ids: pa.Array, n: int) -> Days:
    """Per first-enforcement case, the date of its first 限制消费令 (NaT where none)."""
    rows = actions.filter(pc.equal(actions["action_type"], ORDER))
    index = pc.index_in(rows["case_id"], value_set=case_ids.slice(0, n)).to_numpy(
        zero_copy_only=False
    )
    dates = rows["action_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    keep = ~np.isnan(index.astype(np.float64))
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    idx = index[keep].astype(np.int64)
    order = np.lexsort((dates[keep], idx))
    first = np.r_[True, idx[order][1:] != idx[order][:-1]] if idx.size else np.zeros(0, bool)
    out[idx[order][first]] = dates[keep][order][first]
    return out


def _able(
    rng: np.random.Generator, spec: dict[str, Any], amount: Floats, moved: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    share = float(spec["able_share"]["value"])
    logit = (
        np.log(share / (1.0 - share))
        + float(spec["able_equity_moved"]["value"]) * moved
        + float(spec["able_log10_amount"]["value"]) * np.log10(amount / AMOUNT_CENTRE)
    )
    return rng.random(amount.size) < 1.0 / (1.0 + np.exp(-logit))


def respondents(
    rng: np.random.Generator,
    params: EnforcementParams,
    d: CaseDraws,
    moved_cases: Ints,
    order: Days,
) -> Respondents:
    spec = params.data["spending"]
    case = np.flatnonzero((d.method == ZB) & ~d.resp_company)
    able = _able(rng, spec, d.amount[case], np.isin(case, moved_cases))
    start = d.filing[case] - days(int(spec["lookback_days"]["value"]))
    end = params.data_end
    first = order[case]
    cut = np.where(np.isnat(first), end, first)
    return Respondents(case, able, start, first, cut, end)


def _rates(rng: np.random.Generator, spec: dict[str, Any], n: int) -> Floats:
    mean, shape = float(spec["mean"]), float(spec["shape"])
    return rng.gamma(shape, mean / shape, n)


def _dates(rng: np.random.Generator, lo: Days, hi: Days, rate: Floats) -> tuple[Ints, Days]:
    """A Poisson number of records per person at ``rate`` a year, uniform on [lo, hi]."""
    span = np.maximum((hi - lo).astype(np.int64) + 1, 0)
    count = rng.poisson(rate * span / YEAR)
    who = np.repeat(np.arange(lo.size), count)
    offset = (rng.random(who.size) * span[who]).astype(np.int64)
    return who, lo[who] + days(offset)


def segments(rng: np.random.Generator, spec: dict[str, Any], r: Respondents) -> list[Segment]:
    """Own-paid records before and after the order (by state), and records paid by others at
    the same rate for everyone. The order day itself carries no record, so 'after the order'
    needs no tie rule."""
    own = spec["own"]
    n = r.case.size
    before_hi = r.cut - days(1)
    after_lo = r.cut + days(1)
    after_hi = np.where(np.isnat(r.order), r.cut - days(1), np.full(n, r.end))
    rate_before = np.where(
        r.able, _rates(rng, own["able_before"], n), _rates(rng, own["unable_before"], n)
    )
    rate_after = np.where(
        r.able, _rates(rng, own["able_after"], n), _rates(rng, own["unable_after"], n)
    )
    rate_others = _rates(rng, spec["others"], n)
    out = []
    for lo, hi, rate, is_own in (
        (r.start, before_hi, rate_before, True),
        (after_lo, after_hi, rate_after, True),
        (r.start, before_hi, rate_others, False),
        (after_lo, after_hi, rate_others, False),
    ):
        who, date = _dates(rng, lo, hi, rate)
        out.append(Segment(who, date, is_own))
    return out


def _categories(
    rng: np.random.Generator, spec: dict[str, Any], own: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[Any], Floats]:
    """Category of each record (own and others' payments have different mixes) and its amount."""
    cats = spec["categories"]
    labels = np.array(list(cats), dtype=object)
    out = np.empty(own.size, dtype=object)
    u = rng.random(own.size)
    for key, mask in (("own", own), ("others", ~own)):
        shares = np.array([float(c[key]) for c in cats.values()])
        edges = np.cumsum(shares / shares.sum())
        pos = np.searchsorted(edges, u[mask], side="right")
        out[mask] = labels[np.minimum(pos, labels.size - 1)]
    median = np.array([float(c["median"]) for c in cats.values()])
    sigma = np.array([float(c["sigma"]) for c in cats.values()])
    code = pc.index_in(pa.array(out, pa.string()), value_set=pa.array(labels, pa.string()))
    k = code.to_numpy(zero_copy_only=False).astype(np.int64)
    amount = np.round(median[k] * np.exp(rng.normal(0.0, 1.0, own.size) * sigma[k]), 2)
    return out, amount


def _payers(
    rng: np.random.Generator, spec: dict[str, Any], parties: Any, resp: npt.NDArray[Any],
    rel: npt.NDArray[Any], own: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:  # fmt: skip
    """Who paid: the respondent, an employer (a company of the partition) or another person
    (the respondent's relative where there is one, else a person party to no case)."""
    n = own.size
    company = ~own & (rng.random(n) < float(spec["others_company_share"]))
    other = ~own & ~company
    companies = parties.companies["company_id"].to_numpy(zero_copy_only=False)
    persons = parties.persons["person_id"].to_numpy(zero_copy_only=False)
    pool = persons[parties.registry_persons] if parties.registry_persons.size else persons
    payer = resp.copy()
    payer[company] = companies[rng.integers(0, companies.size, int(company.sum()))]
    stranger = pool[rng.integers(0, pool.size, int(other.sum()))]
    payer[other] = np.where(rel[other] == None, stranger, rel[other])  # noqa: E711
    kind = np.where(own, "本人", np.where(company, "单位", "他人")).astype(object)
    return kind, payer


def spending_tables(
    rng: np.random.Generator,
    params: EnforcementParams,
    d: CaseDraws,
    parties: Any,
    case_ids: pa.Array,
    actions: pa.Table,
    prefix: str,
) -> dict[str, pa.Table]:
    """``consumption_records`` and ``_truth/payment_ability`` of one partition."""
    spec = params.data["spending"]
    order = _first_order(actions, case_ids, d.n)
    moved = parties.equity_moves["case_index"].to_numpy(zero_copy_only=False).astype(np.int64)
    r = respondents(rng, params, d, moved, order)
    segs = segments(rng, spec, r)
    who = np.concatenate([s.who for s in segs])
    date = np.concatenate([s.date for s in segs])
    own = np.concatenate([np.full(s.who.size, s.own) for s in segs])
    sort = np.lexsort((date, who))
    who, date, own = who[sort], date[sort], own[sort]
    category, amount = _categories(rng, spec, own)
    resp_ids = parties.respondent_id.to_numpy(zero_copy_only=False)[r.case]
    kind, payer = _payers(rng, spec, parties, resp_ids[who], parties.relative_id[r.case][who], own)
    records = pa.table(
        {
            "record_id": seq_ids(f"CR{prefix}", who.size, 8),
            "person_id": pa.array(resp_ids[who], pa.string()),
            "category": pa.array(category, pa.string()),
            "record_date": pa.array(date),
            "amount": pa.array(amount),
            "payer_type": pa.array(kind, pa.string()),
            "payer_id": pa.array(payer, pa.string()),
        }
    )
    truth = pa.table(
        {
            "case_id": case_ids.take(pa.array(r.case, pa.int64())),
            "person_id": pa.array(resp_ids, pa.string()),
            "state": pa.array(np.where(r.able, ABLE, UNABLE), pa.string()),
            "able": pa.array(r.able),
        }
    )
    return {"consumption_records": records, "_truth/payment_ability": truth}
