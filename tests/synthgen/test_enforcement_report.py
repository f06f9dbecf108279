"""`jianlab data report` on an enforcement dataset writes the 终本 tables, the funnel plot, the
Kaplan–Meier curve and the model-recovery table."""

from __future__ import annotations

import json
from pathlib import Path

from synthgen import write_report


def test_enforcement_report_files_and_rows(enforcement_casefiles: Path, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    write_report(enforcement_casefiles, out)
    assert {p.name for p in out.iterdir()} == {
        "calibration.md", "calibration.json", "funnel.png", "km.png",
    }  # fmt: skip
    data = json.loads((out / "calibration.json").read_text("utf-8"))
    assert 0.3 < data["overdispersion"]["overall"] < 0.5
    assert data["measures"]["网络查控"] >= 1.9 and data["measures"]["传统查控"] > 0.8
    assert [k["days"] for k in data["km"]] == [90, 120, 180, 365, 730]
    shares = [k["share_zhongben"] for k in data["km"]]
    assert shares == sorted(shares)
    assert {r["term"] for r in data["recovery"]} == {"found", "company", "lamt"}
    md = (out / "calibration.md").read_text("utf-8")
    for heading in ("终本率", "法院间差异", "Kaplan–Meier", "恢复执行", "执行到位率", "还原"):
        assert heading in md


def test_zhongben_rate_per_year_within_target(enforcement_4p: Path, tmp_path: Path) -> None:
    """Every filing year's 终本率 (closed first-enforcement cases) lies in 35–45%, reported as a
    row with its target flag, on the four-province build."""
    out = tmp_path / "rep"
    write_report(enforcement_4p, out)
    data = json.loads((out / "calibration.json").read_text("utf-8"))
    years = {int(y["year"]): y for y in data["by_year"]}
    assert set(years) == {2022, 2023}
    for year, row in years.items():
        assert 0.35 <= row["rate"] <= 0.45, (year, row)
        assert row["in_target"] and row["n"] > 5000
    md = (out / "calibration.md").read_text("utf-8")
    assert "在目标 35%–45% 内" in md and f"| 2022 | {years[2022]['n']} |" in md
