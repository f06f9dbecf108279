"""The toolkit runs unchanged on a `desensitize dataset` release that follows docs/schema.md, and
gives the same answers as on the original: the analysis columns (decisions, dates, unit ids)
survive desensitization, the identifiers it replaces are never inputs of the toolkit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from typer.testing import CliRunner

from jianlab.cli import app
from legal import ZHONGBEN
from research import decision_rates, funnel_table, km_at, odds_ratio_table
from synthgen import read_table

runner = CliRunner()
KEY = "research-release-test-key-0123456789abcdef\n"


def _release(source: Path, root: Path) -> Path:
    key = root / "key"
    key.write_text(KEY, encoding="utf-8")
    out = root / "out"
    result = runner.invoke(
        app, ["desensitize", "dataset", str(source), str(out), "--key-file", str(key)]
    )
    assert result.exit_code == 0, result.output
    assert not (out / "_truth").exists()
    return out


def _criminal_analysis(directory: Path) -> dict[str, pd.DataFrame]:
    arrests = read_table(directory, "arrest_reviews")
    arrests["year"] = arrests["decision_date"].dt.year
    yearly = decision_rates(arrests, "year", "不批准逮捕", "批准逮捕")
    by_unit = decision_rates(arrests, "procuratorate_id", "不批准逮捕", "批准逮捕")
    funnel, _ = funnel_table(by_unit["x"], by_unit["n"])
    decided = arrests[arrests["decision"].isin(["批准逮捕", "不批准逮捕"])]
    data = decided.merge(read_table(directory, "suspects"), on="suspect_id", suffixes=("", "_s"))
    data["y"] = (data["decision"] == "不批准逮捕").astype(int)
    fit = smf.logit("y ~ plea_leniency + is_first_offense", data).fit(disp=0)
    return {"yearly": yearly, "funnel": funnel, "or": odds_ratio_table(fit)}


@pytest.mark.slow
def test_criminal_release_gives_the_same_rates_funnel_and_odds_ratios(
    criminal_hive: Path, tmp_path: Path
) -> None:
    original = _criminal_analysis(criminal_hive)
    released = _criminal_analysis(_release(criminal_hive, tmp_path))
    for name, frame in original.items():
        pd.testing.assert_frame_equal(frame, released[name], check_exact=False, rtol=1e-9)
    assert original["funnel"]["n"].sum() == original["yearly"]["n"].sum()


def _enforcement_analysis(directory: Path) -> tuple[pd.DataFrame, np.ndarray]:
    cases = read_table(directory, "enforcement_cases")
    first = cases[cases["case_type"] == "首次执行"]
    closed = first[first["closing_method"] != "未结"]
    flag = (closed["closing_method"] == ZHONGBEN).astype(float)
    by_court = flag.groupby(closed["court_id"]).agg(["sum", "size"])
    funnel, _ = funnel_table(by_court["sum"], by_court["size"])
    end = pd.to_datetime(first["closing_date"]).fillna(pd.to_datetime(first["filing_date"]).max())
    days = (end - pd.to_datetime(first["filing_date"])).dt.days.clip(lower=0)
    share = km_at(days, (first["closing_method"] == ZHONGBEN).astype(int), [180, 365])
    return funnel, share


@pytest.mark.slow
def test_enforcement_release_gives_the_same_funnel_and_survival(
    enforcement_casefiles: Path, tmp_path: Path
) -> None:
    funnel, share = _enforcement_analysis(enforcement_casefiles)
    funnel_rel, share_rel = _enforcement_analysis(_release(enforcement_casefiles, tmp_path))
    pd.testing.assert_frame_equal(funnel, funnel_rel)
    assert np.allclose(share, share_rel) and 0 < share[0] <= share[1] < 1
