"""The structured-field pass: names the tables record as a case's parties, found in that case's
own documents even where the text alone cannot tell a name from a word.

Why: a few real names are also common words (a person 权利, 文明). The analyzer reads an
unanchored 权利 as the word — rightly in "财产性权利" of every 报告财产令, wrongly in the
addressee line "权利：" of the order served on the debtor called 权利. The tables settle it:
``enforcement_cases`` names the applicant and respondent of each case (a company through its
legal representative), ``suspects`` the suspects. So, in a case's documents, every occurrence of
such a party's name is replaced; in documents of other cases the word is a word, and the release
check does not count it (docs/desensitize.md, 默认策略).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from desensitize.divisions import division_names
from desensitize.lexicon import load_lexicon
from desensitize.types import Span

CASE = "case_id"
PARTY_SCORE = 0.95


@cache
def _common_words() -> frozenset[str]:
    return frozenset(load_lexicon().common_words)


def _name_of(frames: dict[str, pd.DataFrame]) -> pd.Series | None:
    """person_id → name, with each company_id mapped to its legal representative's name."""
    persons = frames.get("persons")
    if persons is None or not {"person_id", "name"} <= set(persons.columns):
        return None
    names = persons.dropna(subset=["person_id", "name"]).set_index("person_id")["name"]
    companies = frames.get("companies")
    if companies is not None and {"company_id", "legal_rep_person_id"} <= set(companies.columns):
        reps = companies.dropna(subset=["legal_rep_person_id"])
        rep_names = reps["legal_rep_person_id"].map(names)
        names = pd.concat([names, pd.Series(rep_names.to_numpy(), index=reps["company_id"])])
    return names.dropna().astype(str)


def _pairs(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(case_id, id) for every ``*_id`` cell of every table row that carries a ``case_id``."""
    parts = []
    for df in frames.values():
        if CASE not in df.columns:
            continue
        ids = [c for c in df.columns if c.endswith("_id") and c != CASE]
        if ids:
            long = df[[CASE, *ids]].melt(id_vars=CASE, value_name="id")[[CASE, "id"]]
            parts.append(long.dropna())
    return pd.concat(parts) if parts else pd.DataFrame(columns=[CASE, "id"])


def common_word_parties(frames: dict[str, pd.DataFrame]) -> dict[str, frozenset[str]] | None:
    """case_id → the names of its parties that are also common words; ``None`` when the tables
    link no case to a person (then every such name is treated as a possible party)."""
    names = _name_of(frames)
    if names is None:
        return None
    pairs = _pairs(frames)
    if pairs.empty:
        return None
    pairs = pairs.assign(name=pairs["id"].astype(str).map(names)).dropna(subset=["name"])
    pairs = pairs[pairs["name"].isin(_common_words())]
    return {str(case): frozenset(group) for case, group in pairs.groupby(CASE, sort=False)["name"]}


def party_spans(text: str, names: frozenset[str], spans: list[Span]) -> list[Span]:
    """Occurrences of ``names`` in ``text`` that no detection covers, as PERSON spans (a place
    name such as 宁波 in 宁波市 stays a place)."""
    if not names:
        return []
    places = division_names()
    taken = sorted((s.start, s.end) for s in spans)
    out = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            free = all(e <= start or s >= end for s, e in taken)
            if free and not places.overlaps(text, start, end):
                out.append(Span(start, end, "PERSON", PARTY_SCORE, "person_case_party"))
                taken.append((start, end))
            start = text.find(name, end)
    return out


def is_common_word(name: str) -> bool:
    return name in _common_words()
