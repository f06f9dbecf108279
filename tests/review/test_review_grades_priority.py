"""Grades per case, priority order of findings, and the working-day macro against numpy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pytest

from review import run_review
from review.sqlkit import install_macros
from support.review_world import AS_OF, World

D = dt.date


def test_grades_and_priority(world: World, write_world: Callable[[World], Path]) -> None:
    world.compliant_zb("OK")  # 优质
    world.compliant_zb("SLOW", priority_category="赡养费")  # 合格: notice on day 4
    world.drop("SLOW", "执行通知")
    world.act("SLOW", "执行通知", D(2023, 1, 6))
    world.compliant_zb("FLAW", priority_category="涉企")  # 瑕疵: ZB-02
    world.drop("FLAW", "限制消费令")
    world.compliant_zb("BAD", t=D(2023, 3, 1), priority_category="农民工工资")  # ZB-05 + ZB-02
    world.drop("BAD", "限制消费令")
    world.compliant_zb("GEN")  # 一般, 瑕疵 ZB-01
    world.drop("GEN", "报告财产令")
    result = run_review(write_world(world), as_of=AS_OF)
    grades = {r["case_id"]: r for r in result.grades.to_pylist()}
    assert {k: v["grade"] for k, v in grades.items()} == {
        "OK": "优质", "SLOW": "合格", "FLAW": "瑕疵", "BAD": "不合格", "GEN": "瑕疵",
    }  # fmt: skip
    assert grades["BAD"]["rule_ids"] == "ZB-02,ZB-05"
    assert (grades["BAD"]["n_unqualified"], grades["BAD"]["n_flawed"]) == (1, 1)
    f = result.findings
    assert f["case_id"].tolist() == ["BAD", "BAD", "FLAW", "GEN"]
    assert f["priority_group"].tolist() == ["涉民生", "涉民生", "涉企", "一般"]
    assert f["severity"].tolist() == ["不合格", "瑕疵", "瑕疵", "瑕疵"]
    assert f["priority_category"].tolist()[:2] == ["农民工工资", "农民工工资"]
    assert f["basis"].str.contains("终结本次执行程序").all()
    order = [g["case_id"] for g in result.grades.to_pylist()]
    assert order.index("BAD") < order.index("FLAW") < order.index("GEN")


def test_enterprise_concern_rule_for_company_respondent(
    world: World, write_world: Callable[[World], Path]
) -> None:
    world.compliant_zb("C1")
    world.case("C3", D(2023, 2, 1), respondent_type="法人")
    world.act("C3", "网络查控", D(2023, 2, 2))
    for pid in ("H0", "H1"):
        world.real_estate.append({"property_id": pid, "owner_id": "R-C3", "owner_type": "法人",
                                  "est_value": 500_000.0})  # fmt: skip
        world.act("C3", "查封", D(2023, 3, 1), "不动产", pid)
    result = run_review(write_world(world), as_of=AS_OF)
    row = result.findings.iloc[0]
    assert (row["rule_id"], row["priority_group"], row["priority_category"]) == (
        "ZB-17", "涉企", "涉企",
    )  # fmt: skip


@pytest.mark.parametrize("n", [1, 3, 5, 7])
def test_working_days_match_numpy(n: int) -> None:
    con = duckdb.connect()
    install_macros(con)
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-03-01"))
    got = [
        con.execute(f"SELECT add_working_days(DATE '{d}', {n})").fetchone()[0]  # type: ignore[index]
        for d in days.astype(str)
    ]
    want = np.busday_offset(days, n, roll="backward").astype("datetime64[D]").astype(object)
    assert got == list(want)


def test_leads_and_benchmarks_never_grade(
    world: World, write_world: Callable[[World], Path], tmp_path: Path
) -> None:
    """A sealed vehicle on the road (lead) and a late first query (benchmark) leave a compliant
    case 合格; the report lists the lead with its evidence in its own section."""
    from review import load_catalog
    from review.report import render_report

    world.compliant_zb("C1")
    world.act("C1", "查封", D(2023, 1, 12), "车辆", "V1")
    world.vehicle_events.append({"event_id": "E1", "vehicle_id": "V1",
                                 "event_date": D(2023, 3, 1), "event_type": "卡口抓拍",
                                 "division_code": "330702"})  # fmt: skip
    world.drop("C1", "网络查控")
    world.act("C1", "网络查控", D(2023, 1, 12))
    world.act("C1", "网络查控", D(2023, 5, 20))
    result = run_review(write_world(world), as_of=AS_OF)
    assert set(zip(result.findings["rule_id"], result.findings["kind"], strict=True)) == {
        ("ZB-04V", "lead"), ("ZB-03", "benchmark"),
    }  # fmt: skip
    grade = result.grades.to_pylist()[0]
    assert (grade["grade"], grade["rule_ids"], grade["n_leads"]) == ("合格", "", 1)
    report = render_report(result, load_catalog())
    lead_part = report.split("## 监督线索")[1]
    assert "V1" in lead_part and "2023-03-01" in lead_part and "第四条第（二）项" in lead_part
    assert "## 考核节点" in report and "## 违规" in report
