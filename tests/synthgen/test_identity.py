"""Persons have coherent identities: every ID valid and consistent with the other columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from synthgen import read_table
from zhcodes import gb11643_valid, load_divisions


def test_every_id_number_is_valid_and_consistent(criminal_small: Path) -> None:
    persons = read_table(criminal_small, "persons")
    ids = persons["id_number"].astype(str)
    assert ids.str.len().eq(18).all()
    assert all(gb11643_valid(s) for s in ids)
    assert (ids.str[:6] == persons["hukou_division_code"]).all()
    birth = pd.to_datetime(persons["birth_date"]).dt.strftime("%Y%m%d")
    assert (ids.str[6:14] == birth).all()
    odd = ids.str[16].astype(int) % 2 == 1
    assert ((persons["gender"] == "男") == odd).all()
    counties = set(load_divisions().counties["code"])
    assert persons["hukou_division_code"].isin(counties).all()
    assert persons["residence_division_code"].isin(counties).all()
    assert persons["id_number"].is_unique


def test_phones_and_names(criminal_small: Path) -> None:
    from synthgen.core.names import name_lists

    persons = read_table(criminal_small, "persons")
    prefixes = {str(p) for p in name_lists().mobile_prefixes}
    assert persons["phone"].str.fullmatch(r"1\d{10}").all()
    assert persons["phone"].str[:3].isin(prefixes).all()
    surnames = set(name_lists().surnames)
    assert (persons["name"].str[0].isin(surnames) | persons["name"].str[:2].isin(surnames)).all()
    assert persons["name"].str.len().between(2, 4).all()


def test_age_and_juvenile_agree_with_birth(criminal_small: Path) -> None:
    s = read_table(criminal_small, "suspects")
    p = read_table(criminal_small, "persons", ["person_id", "birth_date"])
    c = read_table(criminal_small, "criminal_cases", ["case_id", "received_date"])
    m = s.merge(p, on="person_id").merge(c, on="case_id")
    b, r = m["birth_date"], m["received_date"]
    before = (r.dt.month < b.dt.month) | ((r.dt.month == b.dt.month) & (r.dt.day < b.dt.day))
    age = r.dt.year - b.dt.year - before.astype(int)
    assert (age == m["age"]).all()
    assert ((m["age"] < 18) == (m["is_juvenile"] == 1)).all()
    assert m["age"].between(14, 80).all()


def test_local_flag_matches_hukou(criminal_small: Path) -> None:
    s = read_table(criminal_small, "suspects", ["person_id", "procuratorate_id", "is_local"])
    p = read_table(criminal_small, "persons", ["person_id", "hukou_division_code"])
    procs = read_table(criminal_small, "procuratorates")
    div = load_divisions().table.set_index("code")["prefecture_code"]
    m = s.merge(p, on="person_id").merge(procs, on="procuratorate_id")
    proc_pref = np.where(m["level"] == "市级", m["division_code"], m["division_code"].map(div))
    same = m["hukou_division_code"].map(div).to_numpy() == proc_pref
    assert (same == (m["is_local"] == 1)).all()
    assert 0.5 < m["is_local"].mean() < 0.9
