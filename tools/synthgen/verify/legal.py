"""`jianlab data verify` for the criminal dataset: the rules of criminal procedure that no record
may break (刑事诉讼法 and 刑法), so a scenario or a hand-edited file that breaks one is refused.

The only exceptions are the planted, labelled violations: XS-03 (审查逮捕 over 7 days) and XS-04
(审查起诉 over one month + 15 days without a return). With `_truth/` present every such row must
be listed in `_truth/violations`; in a student copy they are the rule engine's material and are
accepted, while every other breach is an error. The legal reading is in docs/criminal-data.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from legal.criminal import (
    ARREST_REVIEW_DAYS,
    CONDITIONAL_CHAPTER_CRIMES,
    FAST_TRACK_DAYS,
    FAST_TRACK_LONG_DAYS,
    NO_IMPRISONMENT_CRIMES,
    PROCEDURE_REVISION_2018,
)
from legal.deadlines import add_months, prosecution_limit
from synthgen.store.io import read_arrow
from synthgen.store.tablefiles import present_tables

NEEDED = ("criminal_cases", "suspects", "arrest_reviews", "prosecution_reviews")
_EXAMPLES = 3


@dataclass(frozen=True)
class Frames:
    arrest: pd.DataFrame  # with crime
    prosecution: pd.DataFrame  # with crime, is_juvenile, likely_sentence_le_1y
    planted: set[tuple[str, str]] | None  # (rule_id, suspect_id); None without _truth


def _days(frame: pd.DataFrame) -> np.ndarray:
    received = frame["received_date"].to_numpy().astype("datetime64[D]")
    decided = frame["decision_date"].to_numpy().astype("datetime64[D]")
    return np.asarray((decided - received).astype(np.int64))


def _dates(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.asarray(frame[column].to_numpy().astype("datetime64[D]"))


def dui_arrest(f: Frames) -> pd.Series:
    a = f.arrest
    return a["crime"].isin(NO_IMPRISONMENT_CRIMES) & (a["decision"] == "批准逮捕")


def doubt_without_return(f: Frames) -> pd.Series:
    p = f.prosecution
    return (p["non_prosecution_type"] == "存疑不起诉") & (p["returned_for_investigation"] < 1)


def fast_track(f: Frames) -> pd.Series:
    p = f.prosecution
    limit = np.where(p["likely_sentence_le_1y"] == 1, FAST_TRACK_DAYS, FAST_TRACK_LONG_DAYS)
    early = _dates(p, "received_date") < np.datetime64(PROCEDURE_REVISION_2018)
    bad = (_days(p) > limit) | (p["returned_for_investigation"] > 0) | early
    return (p["fast_track"] == 1) & bad


def ordinary_over_month(f: Frames) -> pd.Series:
    """Not 重大复杂, no return, decided after one month but within the planted XS-04 bound."""
    p = f.prosecution
    decided = _dates(p, "decision_date")
    month = add_months(_dates(p, "received_date"), 1)
    plain = (p["returned_for_investigation"] == 0) & (p["complex_case"] == 0)
    return plain & (decided > month) & (decided <= prosecution_limit(_dates(p, "received_date")))


def conditional_ineligible(f: Frames) -> pd.Series:
    p = f.prosecution
    eligible = (
        (p["is_juvenile"] == 1)
        & p["crime"].isin(CONDITIONAL_CHAPTER_CRIMES)
        & (p["likely_sentence_le_1y"] == 1)
    )
    return (p["non_prosecution_type"] == "附条件不起诉") & ~eligible


def _unplanted(frame: pd.DataFrame, mask: np.ndarray, rule: str, f: Frames) -> pd.Series:
    out = pd.Series(False, index=frame.index)
    if f.planted is None:
        return out
    ids = {s for r, s in f.planted if r == rule}
    out[mask] = ~frame.loc[mask, "suspect_id"].isin(ids).to_numpy()
    return out


def arrest_over_seven(f: Frames) -> pd.Series:
    a = f.arrest
    mask = _days(a) > ARREST_REVIEW_DAYS
    return _unplanted(a, mask, "XS-03", f)


def prosecution_over_limit(f: Frames) -> pd.Series:
    p = f.prosecution
    late = _dates(p, "decision_date") > prosecution_limit(_dates(p, "received_date"))
    return _unplanted(p, late & (p["returned_for_investigation"] == 0).to_numpy(), "XS-04", f)


Check = tuple[str, str, Callable[[Frames], pd.Series]]
CHECKS: list[Check] = [
    ("arrest", "危险驾驶等不可能判处徒刑的罪名被批准逮捕（刑事诉讼法第八十一条）", dui_arrest),
    ("prosecution", "存疑不起诉而未退回补充侦查（刑事诉讼法第一百七十五条）", doubt_without_return),
    ("prosecution", "速裁案件超过十日（可能判处一年以上的十五日）、退回补充侦查或受理于"
     "2018-10-26修正之前（刑事诉讼法第一百七十二条）", fast_track),
    ("prosecution", "未标记重大复杂的案件审查起诉超过一个月（刑事诉讼法第一百七十二条）",
     ordinary_over_month),
    ("prosecution", "附条件不起诉不符合条件：须为未成年人、刑法分则第四至六章犯罪、可能判处一年以下"
     "（刑事诉讼法第二百八十二条）", conditional_ineligible),
    ("arrest", "审查逮捕超过七日且不在 _truth/violations 的 XS-03 埋点中（刑事诉讼法第九十一条）",
     arrest_over_seven),
    ("prosecution", "审查起诉超过一个月又十五日且不在 _truth/violations 的 XS-04 埋点中",
     prosecution_over_limit),
]  # fmt: skip


def _planted(directory: Path) -> set[tuple[str, str]] | None:
    if not (directory / "_truth").is_dir():
        return None
    truth = read_arrow(directory, "_truth/violations", ["rule_id", "suspect_id"]).to_pandas()
    return set(zip(truth["rule_id"], truth["suspect_id"], strict=True))


def _frames(directory: Path) -> Frames:
    cases = read_arrow(directory, "criminal_cases", ["case_id", "crime"]).to_pandas()
    sus = read_arrow(
        directory, "suspects", ["suspect_id", "is_juvenile", "likely_sentence_le_1y"]
    ).to_pandas()
    a = read_arrow(directory, "arrest_reviews").to_pandas().merge(cases, on="case_id", how="left")
    p = read_arrow(directory, "prosecution_reviews").to_pandas()
    p = p.merge(cases, on="case_id", how="left").merge(sus, on="suspect_id", how="left")
    return Frames(arrest=a, prosecution=p, planted=_planted(directory))


def legal_problems(directory: Path) -> list[str]:
    """One Chinese line per broken rule, with the count and a few suspect ids."""
    present = present_tables(directory, list(NEEDED))
    if len(present) < len(NEEDED):
        return []
    try:
        frames = _frames(directory)
    except KeyError as exc:
        return [f"无法核对刑事诉讼规则：缺少列 {exc}"]
    except (pa.ArrowException, OSError, ValueError):
        return []  # unreadable or damaged tables: the table checks already report them
    problems = []
    for table, text, check in CHECKS:
        frame = frames.arrest if table == "arrest" else frames.prosecution
        mask = np.asarray(check(frames), dtype=bool)
        if mask.any():
            ids = "、".join(frame.loc[mask, "suspect_id"].astype(str).head(_EXAMPLES))
            problems.append(f"{text}：{int(mask.sum())} 行；例如 {ids}")
    return problems
