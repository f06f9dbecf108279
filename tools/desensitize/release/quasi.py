"""Dates and quasi-identifiers of a release: dates shifted by a keyed offset per case (so
intervals inside a case survive), and quasi-identifiers recoded along simple hierarchies until
k-anonymity holds (both only when the policy asks, e.g. ``research``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from desensitize.operators.date_shift import GLOBAL_UNIT, shift_days
from desensitize.release.risk import measure


def _case_units(frames: dict[str, pd.DataFrame]) -> dict[str, pd.Series]:
    """Key column → case_id, from any table holding both (suspect_id → case_id …)."""
    links: dict[str, pd.Series] = {}
    for df in frames.values():
        if "case_id" not in df.columns:
            continue
        for col in df.columns:
            if col.endswith("_id") and col != "case_id" and df[col].is_unique:
                links.setdefault(col, df.set_index(col)["case_id"].astype(str))
    return links


def shift_dates(frames: dict[str, pd.DataFrame], key: bytes, weeks: int, skip: set[str]) -> None:
    links = _case_units(frames)
    for df in frames.values():
        dates = [
            c
            for c in df.columns
            if pd.api.types.is_datetime64_any_dtype(df[c]) or _is_date_obj(df[c])
        ]
        dates = [c for c in dates if c not in skip]
        if not dates:
            continue
        if "case_id" in df.columns:
            # rows outside any case (e.g. a transfer to a relative before filing) share one offset
            unit = df["case_id"].astype(str).where(df["case_id"].notna(), GLOBAL_UNIT)
        else:
            via = next((c for c in df.columns if c in links), None)
            unit = (
                df[via].map(links[via]).fillna(GLOBAL_UNIT)
                if via
                else pd.Series(GLOBAL_UNIT, index=df.index)
            )
        uniq = unit.unique().tolist()
        offsets = dict(zip(uniq, shift_days(key, uniq, weeks).tolist(), strict=True))
        delta = pd.to_timedelta(unit.map(offsets), unit="D")
        for c in dates:
            shifted = pd.to_datetime(df[c]) + delta
            df[c] = shifted.dt.date if _is_date_obj(df[c]) else shifted


def _is_date_obj(s: pd.Series) -> bool:
    first = s.dropna().head(1)
    return bool(len(first)) and isinstance(first.iloc[0], dt.date)


_YEAR_STEPS = ((1, "年"), (5, "年代前后"), (10, "年代"))


def _year_recoder(column: pd.Series, width: int, suffix: str) -> Callable[[pd.Series], pd.Series]:
    """Recode a date column to its year rounded down to ``width`` years (captured once)."""
    year = pd.to_datetime(column.astype(str), errors="coerce", format="mixed").dt.year

    def recode(_current: pd.Series) -> pd.Series:
        return (year // width * width).astype("Int64").astype(str) + suffix

    return recode


def generalize_to_k(df: pd.DataFrame, qi: list[str], k: int) -> None:
    """Global recoding along simple hierarchies until k holds (dates → year → 5/10-year band,
    division codes → prefecture → province), then suppress QI cells of the few rows left."""
    steps: dict[str, list[Callable[[pd.Series], pd.Series]]] = {}
    for c in qi:
        if c.endswith("date") or pd.api.types.is_datetime64_any_dtype(df[c]) or _is_date_obj(df[c]):
            steps[c] = [_year_recoder(df[c], width, suffix) for width, suffix in _YEAR_STEPS]
        elif c.endswith("division_code"):
            steps[c] = [
                lambda s: s.astype(str).str[:4] + "00",
                lambda s: s.astype(str).str[:2] + "0000",
            ]
    while measure(df, qi).k < k:
        distinct = {c: df[c].nunique() for c in steps if steps[c]}
        if not distinct:
            break
        c = max(distinct, key=lambda x: distinct[x])
        df[c] = steps[c].pop(0)(df[c])
    sizes = df.groupby(qi, dropna=False)[qi[0]].transform("size")
    small = sizes < k
    if 0 < small.mean() <= 0.05:
        df.loc[small, qi] = None
