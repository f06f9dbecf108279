"""Each enforcement rule on hand-made rows: compliant, violating and boundary cases, with the
expected findings written out by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from review import run_review
from support.review_world import AS_OF, CLOSING, FILING, World

D = dt.date
F, T = FILING, CLOSING
BEFORE_T, LONG_AGO = D(2023, 5, 22), D(2020, 1, 1)


def _shift(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def zb01_notice_on_t(w: World) -> None:
    w.drop("C1", "执行通知")
    w.act("C1", "执行通知", T)


def zb01_notice_after_t(w: World) -> None:
    w.drop("C1", "执行通知")
    w.act("C1", "执行通知", _shift(T, 1))


def zb02_after_t(w: World) -> None:
    w.drop("C1", "限制消费令")
    w.act("C1", "限制消费令", _shift(T, 1))


def zb03_query(days: int) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.drop("C1", "网络查控")
        w.act("C1", "网络查控", _shift(F, days))

    return build


def zb03_rejected(w: World) -> None:
    w.case("C2", F, _shift(F, 20), method="驳回申请")


def zb03_recent_open(w: World) -> None:
    w.case("C2", _shift(AS_OF, -3))


def zb03_open_never(w: World) -> None:
    w.case("C2", _shift(AS_OF, -30))


def deposit(balance: float, day: dt.date = BEFORE_T, unpaid: float = 10_000.0,
            frozen: bool = False) -> Callable[[World], None]:  # fmt: skip
    def build(w: World) -> None:
        w.cases[0]["amount_claimed"] = unpaid
        w.bank_accounts.append({"account_id": "B1", "owner_id": "R-C1", "owner_type": "自然人",
                                "balance": balance, "balance_date": day})  # fmt: skip
        if frozen:
            w.act("C1", "冻结", _shift(T, -3), "存款", "B1", balance)

    return build


def deposit_latest_small(w: World) -> None:
    deposit(5000.0, _shift(T, -40))(w)
    w.bank_accounts.append({"account_id": "B1", "owner_id": "R-C1", "owner_type": "自然人",
                            "balance": 20.0, "balance_date": _shift(T, -5)})  # fmt: skip


def policy(cash: float, start: dt.date = LONG_AGO, frozen: bool = False,
           holder: str = "R-C1", taken: bool = False) -> Callable[[World], None]:  # fmt: skip
    def build(w: World) -> None:
        w.insurance_policies.append({"policy_id": "P1", "holder_id": holder,
                                     "holder_type": "自然人", "cash_value": cash,
                                     "start_date": start})  # fmt: skip
        if frozen:
            w.act("C1", "冻结", _shift(T, -30), "保险", "P1")
        if taken:
            w.act("C1", "扣划", _shift(T, -3), "保险", "P1", cash)

    return build


def owned_estate(seal: str | None = None, mortgage: float = 0.0, sole: int = 0,
                 registered: dt.date = LONG_AGO, term: dt.date | None = None,
                 sell: bool = True) -> Callable[[World], None]:  # fmt: skip
    """A 400,000 property of the respondent, optionally sealed on F+10 with a term end, and
    put to auction when it is first-sealed and ``sell`` holds."""

    def build(w: World) -> None:
        w.real_estate.append({"property_id": "H1", "owner_id": "R-C1", "owner_type": "自然人",
                              "est_value": 400_000.0, "registered_date": registered,
                              "mortgage_amount": mortgage, "sole_residence": sole})  # fmt: skip
        if seal is not None:
            w.act("C1", seal, _shift(F, 10), "不动产", "H1", term_end=term)
        if seal == "查封" and sell:
            w.act("C1", "拍卖", _shift(F, 60), "不动产", "H1")

    return build


def renewed_seal(w: World) -> None:
    owned_estate("轮候查封", term=_shift(T, -1))(w)
    w.act("C1", "续封", _shift(T, -20), "不动产", "H1", term_end=_shift(T, 1000))


def restored_after_auction(w: World) -> None:
    """C1's property failed at auction; the restored case C1R continues the seal and ends in
    终本 again without a new auction."""
    w.real_estate.append({"property_id": "H1", "owner_id": "R-C1", "owner_type": "自然人",
                          "est_value": 400_000.0, "registered_date": LONG_AGO})  # fmt: skip
    w.act("C1", "查封", _shift(F, 10), "不动产", "H1")
    w.act("C1", "拍卖", _shift(F, 60), "不动产", "H1")
    w.act("C1", "流拍", _shift(F, 60), "不动产", "H1")
    w.drop("C1", "终本后查询")
    w.compliant_zb("C1R", filing=D(2023, 9, 1), t=D(2024, 2, 1), case_type="恢复执行",
                   origin_case_id="C1", respondent_id="R-C1")  # fmt: skip
    w.act("C1R", "续封", D(2023, 9, 2), "不动产", "H1")
    w.act("C1R", "查封", D(2023, 9, 2), "不动产", "H1")


def owned_vehicle(seal: str | None) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.vehicles.append({"vehicle_id": "V1", "owner_id": "R-C1", "owner_type": "自然人",
                           "registered_date": LONG_AGO})  # fmt: skip
        if seal is not None:
            w.act("C1", seal, _shift(F, 10), "车辆", "V1")

    return build


def no_report_but(action: str, after_t: int = 0) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.drop("C1", "被执行人报告财产")
        w.act("C1", action, _shift(T, after_t) if after_t else _shift(F, 30))

    return build


def applicant_agreed(w: World) -> None:
    w.drop("C1", "合议庭评议")
    w.drop("C1", "院长审批")
    w.act("C1", "申请执行人同意终本", _shift(T, -4))


def stale_query(w: World) -> None:
    w.actions = [
        a
        for a in w.actions
        if not (a["action_type"] == "网络查控" and a["action_date"] > _shift(F, 5))
    ]


def applied(application: str, measure: str | None) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.act("C1", application, _shift(F, 40))
        if measure is not None:
            w.act("C1", measure, _shift(F, 55))

    return build


def estate(action: str = "查封", handled: str | None = None) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.act("C1", action, _shift(F, 10), "不动产", "H1")
        if handled:
            w.act("C1", handled, _shift(F, 40), "不动产", "H1")

    return build


def vehicle(event_offset: int, seized: bool = False) -> Callable[[World], None]:
    """Seal on F+10; one camera capture `event_offset` days after the seal."""

    def build(w: World) -> None:
        seal = _shift(F, 10)
        w.act("C1", "查封", seal, "车辆", "V1")
        if seized:
            w.act("C1", "扣押", _shift(seal, 60), "车辆", "V1")
        w.vehicle_events.append({"event_id": "E1", "vehicle_id": "V1",
                                 "event_date": _shift(seal, event_offset), "event_type": "卡口抓拍",
                                 "division_code": "330702"})  # fmt: skip

    return build


def zb05(filing: dt.date, t: dt.date) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.actions.clear()
        w.cases.clear()
        w.compliant_zb("C1", filing=filing, t=t)

    return build


RECORD_FULL = (
    "终本约谈笔录\n一、执行情况：本案已发出执行通知。\n二、财产调查措施：经网络查控系统查询。\n"
    "三、财 产 情 况：被执行人名下无可供执行财产。\n四、终结本次执行程序的依据及法律后果已告知。\n"
    "五、申请执行人意见：同意终本。\n"
)


def record(text: str, with_action: bool = True) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.casefiles["C1/05_终本约谈笔录.txt"] = text
        if not with_action:
            w.drop("C1", "终本约谈")

    return build


def no_queries(w: World) -> None:
    w.drop("C1", "终本后查询")


def queries_at(*months_days: tuple[int, int]) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.drop("C1", "终本后查询")
        for months, days in months_days:
            day = (pd.Timestamp(T) + pd.DateOffset(months=months)).date()
            w.act("C1", "终本后查询", _shift(day, days))

    return build


def restored_by_action(w: World) -> None:
    w.drop("C1", "终本后查询")
    w.act("C1", "恢复执行", _shift(T, 90))


def found(restore_after: int | None, via_case: bool = False) -> Callable[[World], None]:
    def build(w: World) -> None:
        f = D(2024, 3, 1)
        w.act("C1", "终本后查询", f, "车辆", "V9")
        if restore_after is not None and via_case:
            w.case("C1R", _shift(f, restore_after), case_type="恢复执行", origin_case_id="C1")
            w.act("C1R", "网络查控", _shift(f, restore_after + 1))
        elif restore_after is not None:
            w.act("C1", "恢复执行", _shift(f, restore_after))

    return build


def found_near_as_of(w: World) -> None:
    w.act("C1", "财产线索提交", _shift(AS_OF, -5), "存款", "B9")


def lead(check_after: int | None, check_asset: str = "L1") -> Callable[[World], None]:
    def build(w: World) -> None:
        w.act("C1", "财产线索提交", _shift(F, 20), "不动产", "L1")
        if check_after is not None:
            w.act("C1", "财产线索核查", _shift(F, 20 + check_after), "不动产", check_asset)

    return build


def payout(*pairs: tuple[int, int | None]) -> Callable[[World], None]:
    def build(w: World) -> None:
        for arrive, pay in pairs:
            w.act("C1", "案款到账", _shift(F, arrive), None, None, 500.0)
            if pay is not None:
                w.act("C1", "案款发放", _shift(F, pay), None, None, 500.0)

    return build


def blacklist(done: dt.date, deleted: dt.date | None) -> Callable[[World], None]:
    def build(w: World) -> None:
        w.case("C2", D(2023, 9, 1), done, method="执行完毕")
        w.act("C2", "网络查控", D(2023, 9, 2))
        w.act("C2", "纳入失信", D(2023, 10, 9))
        w.act("C2", "执行完毕", done)
        if deleted is not None:
            w.act("C2", "删除失信", deleted)

    return build


def sealed(values: list[float], outstanding_paid: float = 0.0,
           other: float | None = None) -> Callable[[World], None]:  # fmt: skip
    """Claim 100,000; properties of the given values sealed; optional payment before the seal."""

    def build(w: World) -> None:
        w.case("C3", D(2023, 2, 1), amount_claimed=100_000.0, respondent_type="法人")
        w.act("C3", "网络查控", D(2023, 2, 2))
        if outstanding_paid:
            w.act("C3", "案款到账", D(2023, 2, 10), None, None, outstanding_paid)
            w.act("C3", "案款发放", D(2023, 2, 12), None, None, outstanding_paid)
        for i, value in enumerate(values):
            pid = f"H{i}"
            w.real_estate.append({"property_id": pid, "owner_id": "R-C3", "owner_type": "法人",
                                  "est_value": value})  # fmt: skip
            w.act("C3", "查封", D(2023, 3, 1), "不动产", pid)
        if other is not None:
            w.real_estate.append({"property_id": "HX", "owner_id": "R-C3", "owner_type": "法人",
                                  "est_value": other})  # fmt: skip

    return build


def nothing(w: World) -> None:
    return None


def dropping(action: str) -> Callable[[World], None]:
    return lambda w: w.drop("C1", action)


N = None
CASES: list[tuple[str, str, Callable[[World], None], set[tuple[str, str | None]]]] = [
    ("ZB-01", "compliant", nothing, set()),
    ("ZB-01", "no notice", dropping("执行通知"), {("C1", N)}),
    ("ZB-01", "no property order", dropping("报告财产令"), {("C1", N)}),
    ("ZB-01", "notice on the 终本 day", zb01_notice_on_t, set()),
    ("ZB-01", "notice only after 终本", zb01_notice_after_t, {("C1", N)}),
    ("ZB-02", "compliant", nothing, set()),
    ("ZB-02", "no order", dropping("限制消费令"), {("C1", N)}),
    ("ZB-02", "order only after 终本", zb02_after_t, {("C1", N)}),
    ("ZB-02", "no report, not listed", dropping("被执行人报告财产"), {("C1", N)}),
    ("ZB-02", "no report, listed", no_report_but("纳入失信"), set()),
    ("ZB-06", "compliant", nothing, set()),
    ("ZB-06", "no report, no sanction", dropping("被执行人报告财产"), {("C1", N)}),
    ("ZB-06", "no report, fined", no_report_but("罚款"), set()),
    ("ZB-06", "no report, detained", no_report_but("拘留"), set()),
    ("ZB-06", "fined only after 终本", no_report_but("罚款", 1), {("C1", N)}),
    ("ZB-08", "compliant", nothing, set()),
    ("ZB-08", "no president approval", dropping("院长审批"), {("C1", N)}),
    ("ZB-08", "no panel", dropping("合议庭评议"), {("C1", N)}),
    ("ZB-08", "applicant agreed instead", applicant_agreed, set()),
    ("ZB-09", "compliant", nothing, set()),
    ("ZB-09", "no query within 3 months", stale_query, {("C1", N)}),
    ("ZB-09", "no 传统查控", dropping("传统查控"), {("C1", N)}),
    ("ZB-09", "reward applied, not published", applied("申请悬赏", None), {("C1", N)}),
    ("ZB-09", "reward applied and published", applied("申请悬赏", "悬赏公告"), set()),
    ("ZB-09", "audit applied, not done", applied("申请审计", None), {("C1", N)}),
    ("ZB-09", "audit applied and done", applied("申请审计", "审计"), set()),
    ("ZB-03", "query on day 5", zb03_query(5), set()),
    ("ZB-03", "query on day 6", zb03_query(6), {("C1", N)}),
    ("ZB-03", "never queried, closed", dropping("网络查控"), {("C1", N)}),
    ("ZB-03", "rejected case needs no query", zb03_rejected, set()),
    ("ZB-03", "open case still inside 5 days", zb03_recent_open, set()),
    ("ZB-03", "open case never queried", zb03_open_never, {("C2", N)}),
    ("ZB-04", "deposit 1000 > 5% of 10000", deposit(1000.0), {("C1", "B1")}),
    ("ZB-04", "deposit 999 below floor", deposit(999.0), set()),
    ("ZB-04", "deposit 1000 not above 5% of 20000", deposit(1000.0, unpaid=20_000.0), set()),
    ("ZB-04", "deposit frozen", deposit(6000.0, frozen=True), set()),
    ("ZB-04", "balance dated after 终本", deposit(6000.0, _shift(T, 1)), set()),
    ("ZB-04", "balance dated on 终本 day", deposit(6000.0, T), {("C1", "B1")}),
    ("ZB-04", "balance dated before filing", deposit(6000.0, _shift(F, -1)), set()),
    ("ZB-04", "latest balance small", deposit_latest_small, set()),
    ("ZB-04", "policy with cash value", policy(5000.0), {("C1", "P1")}),
    ("ZB-04", "policy cash value below the common floor", policy(999.0), set()),
    ("ZB-04", "policy frozen", policy(5000.0, frozen=True), set()),
    ("ZB-04I", "policy frozen, never deducted", policy(5000.0, frozen=True), {("C1", "P1")}),
    ("ZB-04I", "policy frozen and deducted", policy(5000.0, frozen=True, taken=True), set()),
    ("ZB-04I", "frozen policy below the floor", policy(999.0, frozen=True), set()),
    ("ZB-04I", "policy not frozen", policy(5000.0), set()),
    ("ZB-04", "policy started after 终本", policy(5000.0, _shift(T, 1)), set()),
    ("ZB-04", "policy without cash value", policy(0.0), set()),
    ("ZB-04", "policy held by someone else", policy(5000.0, holder="X"), set()),
    ("ZB-04", "estate sealed, not auctioned", estate(), {("C1", "H1")}),
    ("ZB-04", "estate sealed and auctioned", estate(handled="拍卖"), set()),
    ("ZB-04", "estate sealed and only valued", estate(handled="评估"), {("C1", "H1")}),
    ("ZB-04", "waiting seal only", estate("轮候查封"), set()),
    ("ZB-04", "owned estate never sealed", owned_estate(), {("C1", "H1")}),
    ("ZB-04", "owned estate under a waiting seal", owned_estate(seal="轮候查封"), set()),
    (
        "ZB-04",
        "mortgage covers the value (无益拍卖)",
        owned_estate("查封", 500_000.0, sell=False),
        set(),
    ),
    (
        "ZB-04",
        "mortgage leaves a surplus",
        owned_estate("查封", 100_000.0, sell=False),
        {("C1", "H1")},
    ),
    ("ZB-04", "family's only home, sealed", owned_estate("查封", sole=1, sell=False), set()),
    ("ZB-04", "family's only home, not sealed", owned_estate(sole=1), set()),
    ("ZB-04", "estate bought after the last query", owned_estate(registered=_shift(T, -5)), set()),
    (
        "ZB-04",
        "seal expired before 终本",
        owned_estate("轮候查封", term=_shift(T, -1)),
        {("C1", "H1")},
    ),
    ("ZB-04", "seal renewed before 终本", renewed_seal, set()),
    ("ZB-04", "auctioned in the original case", restored_after_auction, set()),
    ("ZB-04", "owned vehicle never sealed", owned_vehicle(None), {("C1", "V1")}),
    ("ZB-04", "owned vehicle sealed", owned_vehicle("查封"), set()),
    ("ZB-04V", "seen on the road after seal", vehicle(30), {("C1", "V1")}),
    ("ZB-04V", "seen on the 终本 day", vehicle((T - _shift(F, 10)).days), {("C1", "V1")}),
    ("ZB-04V", "seen after 终本", vehicle((T - _shift(F, 10)).days + 1), set()),
    ("ZB-04V", "seen only before seal", vehicle(-1), set()),
    ("ZB-04V", "seen on the seal day", vehicle(0), set()),
    ("ZB-04V", "sealed and seized", vehicle(30, seized=True), set()),
    ("ZB-05", "3 months minus a day", zb05(D(2023, 1, 2), D(2023, 4, 1)), {("C1", N)}),
    ("ZB-05", "exactly 3 months is not more", zb05(D(2023, 1, 2), D(2023, 4, 2)), {("C1", N)}),
    ("ZB-05", "3 months and a day", zb05(D(2023, 1, 2), D(2023, 4, 3)), set()),
    ("ZB-05", "month end clamps to 2-29", zb05(D(2023, 11, 30), D(2024, 2, 28)), {("C1", N)}),
    ("ZB-05", "month end reached", zb05(D(2023, 11, 30), D(2024, 2, 29)), {("C1", N)}),
    ("ZB-05", "month end passed", zb05(D(2023, 11, 30), D(2024, 3, 1)), set()),
    ("ZB-07", "no interview", dropping("终本约谈"), {("C1", N)}),
    ("ZB-07", "complete record", record(RECORD_FULL), set()),
    (
        "ZB-07",
        "record without applicant view",
        record(RECORD_FULL.replace("五、申请执行人意见：同意终本。", "")),
        {("C1", N)},
    ),
    (
        "ZB-07",
        "record without property status",
        record(RECORD_FULL.replace("三、财 产 情 况：被执行人名下无可供执行财产。", "")),
        {("C1", N)},
    ),
    ("ZB-07", "record but no interview action", record(RECORD_FULL, False), {("C1", N)}),
    ("ZB-11", "queries every 5 months", nothing, set()),
    ("ZB-11", "no queries", no_queries, {("C1", N)}),
    ("ZB-11", "queries exactly every 6 months", queries_at((6, 0), (12, 0), (18, 0)), set()),
    ("ZB-11", "one gap of 6 months and a day", queries_at((6, 1), (12, 0), (18, 0)), {("C1", N)}),
    ("ZB-11", "restored before 6 months", restored_by_action, set()),
    ("ZB-12", "restored on day 7", found(7), set()),
    ("ZB-12", "restored on day 8", found(8), {("C1", "V9")}),
    ("ZB-12", "never restored", found(None), {("C1", "V9")}),
    ("ZB-12", "restored by a new 执恢 case", found(2, via_case=True), set()),
    ("ZB-12", "found 5 days before the data end", found_near_as_of, set()),
    ("ZB-13", "checked on day 7", lead(7), set()),
    ("ZB-13", "checked on day 8", lead(8), {("C1", "L1")}),
    ("ZB-13", "never checked", lead(None), {("C1", "L1")}),
    ("ZB-13", "another asset checked", lead(3, "L2"), {("C1", "L1")}),
    ("ZB-16", "paid on day 30", payout((10, 40)), set()),
    ("ZB-16", "paid on day 31", payout((10, 41)), {("C1", N)}),
    ("ZB-16", "never paid", payout((10, None)), {("C1", N)}),
    ("ZB-16", "one payout covers two arrivals", payout((10, None), (20, 35)), set()),
    ("ZB-21", "Fri + 3 working days = Wed", blacklist(D(2024, 3, 1), D(2024, 3, 6)), set()),
    ("ZB-21", "deleted on Thu after a Fri", blacklist(D(2024, 3, 1), D(2024, 3, 7)), {("C2", N)}),
    ("ZB-21", "Sat + 3 working days = Wed", blacklist(D(2024, 3, 2), D(2024, 3, 6)), set()),
    ("ZB-21", "Tue + 3 working days = Fri", blacklist(D(2024, 3, 5), D(2024, 3, 8)), set()),
    ("ZB-21", "Tue, deleted the next Mon", blacklist(D(2024, 3, 5), D(2024, 3, 11)), {("C2", N)}),
    ("ZB-21", "never deleted", blacklist(D(2024, 3, 5), None), {("C2", N)}),
    ("ZB-21", "deleted before completion", blacklist(D(2024, 3, 5), D(2024, 3, 4)), set()),
    ("ZB-17", "two seals, 6x outstanding", sealed([300_000.0, 300_000.0]), {("C3", N)}),
    ("ZB-17", "two seals, exactly 2x", sealed([100_000.0, 100_000.0]), set()),
    ("ZB-17", "one seal, no alternative", sealed([900_000.0]), set()),
    (
        "ZB-17",
        "one seal, sufficient alternative",
        sealed([900_000.0], other=150_000.0),
        {("C3", N)},
    ),
    ("ZB-17", "one seal, alternative too small", sealed([900_000.0], other=50_000.0), set()),
    (
        "ZB-17",
        "payment before seal shrinks the debt",
        sealed([130_000.0, 30_000.0], outstanding_paid=30_000.0),
        {("C3", N)},
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "build", "expected"),
    [pytest.param(r, b, e, id=f"{r}:{n}") for r, n, b, e in CASES],
)
def test_rule(
    world: World, write_world: Callable[[World], Path], rule_id: str,
    build: Callable[[World], None], expected: set[tuple[str, str | None]],
) -> None:  # fmt: skip
    world.compliant_zb("C1")
    build(world)
    result = run_review(write_world(world), as_of=AS_OF)
    got = result.findings[result.findings["rule_id"] == rule_id]
    assets = [None if pd.isna(a) else a for a in got["asset_id"]]
    keys = set(zip(got["case_id"], assets, strict=True))
    assert keys == expected, got["detail"].tolist()
    assert got["detail"].str.len().gt(0).all()


def test_compliant_case_has_no_findings_and_is_excellent(
    world: World, write_world: Callable[[World], Path]
) -> None:
    world.compliant_zb("C1")
    result = run_review(write_world(world), as_of=AS_OF)
    assert result.findings.empty
    assert result.grades.to_pylist()[0]["grade"] == "优质"
