"""The 终本 interview record and the 终本 ruling. A compliant record tells the applicant all
five items the review engine looks for (ZB-07); a formal one (形式化) leaves the chosen items
out and is checked here against the same phrase lists, so the planted truth is exact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from synthgen.casefiles.docs import common, heading
from synthgen.casefiles.findings import interview_fields
from synthgen.casefiles.parties import Cast, templates
from synthgen.casefiles.text import Doc, Frag, Pii, cn_article, cn_date, ymd

WHITESPACE = str.maketrans("", "", " \t\n\r\f\v\u3000\u00a0")
NEW_INTERPRETATION = dt.date(
    2022, 4, 10
)  # 2022 revision renumbered 第五百一十九条 as 第五百一十七条


def element_phrases() -> dict[str, list[str]]:
    return templates()["interview_elements"]


def present_elements(text: str) -> list[str]:
    """Elements whose phrases occur once whitespace is removed — what the engine reads."""
    flat = text.translate(WHITESPACE)
    return [name for name, ph in element_phrases().items() if any(p in flat for p in ph)]


def interview(cast: Cast, day: Any, missing: list[str]) -> Doc:
    t = templates()["interview"]
    f = cast.forms
    doc = heading(cast, t["title"])
    appl = cast.applicant
    if appl.is_person:
        who: Frag = appl.name
        detail: Frag = ["申请执行人，联系电话", f.phone(str(appl.record["phone"]), appl.role)]
        phone: Frag = f.phone(str(appl.record["phone"]), appl.role)
    else:
        who = cast.agent
        detail = f"申请执行人{appl.record['name']}的委托代理人"
        phone = f.phone(cast.agent_phone, "委托代理人")
    fields = {
        **common(cast, day),
        "interviewee": who,
        "interviewee_detail": detail,
        "interviewee_phone": phone,
        **interview_fields(cast),
    }
    doc.fill(f.pick(t["heads"]), fields).add("\n")
    doc.line(f.pick(t["opening"]), fields)
    for name, variants in t["elements"].items():
        if name in missing:
            if f.rng.random() < 0.5:
                doc.line(f.pick(t["formal_reply"]), fields)
            continue
        doc.line(f.pick(variants), fields)
    doc.line(f.pick(t["closing"]), fields)
    present = present_elements(doc.text)
    expected = [n for n in element_phrases() if n not in missing]
    if present != expected:
        raise RuntimeError(
            f"{cast.ctx.case['case_id']} 约谈笔录要素不符：应有 {expected}，实有 {present}"
        )
    return doc


# the search and disposal steps a ruling recites when the case's timeline has them
# (终本规定第三条、第四条, docs/enforcement-data.md)
_MEASURE_PHRASES = (
    ("传统查控", "到不动产登记、车辆管理等部门及被执行人住所地进行了调查，"),
    ("罚款", "因被执行人拒不报告财产，依法对其予以罚款，"),
    ("拘留", "因被执行人拒不报告财产，依法对其予以司法拘留，"),
    ("悬赏公告", "经申请执行人申请发布了悬赏公告，"),
    ("审计", "经申请执行人申请委托审计机构进行了审计，"),
    ("搜查", "依法对被执行人的住所及财产隐匿地进行了搜查，"),
    (
        "无益拍卖通知",
        "查封的不动产经评估，抵押担保债权不低于评估价，拍卖无剩余可能，已通知申请执行人，"
        "申请执行人未申请继续拍卖，",
    ),
    ("续封", "对原执行案件中的查封、冻结措施依法续行，"),
)


def _measures(cast: Cast) -> list[Frag]:
    """What the court did, in the ruling's words, naming seized vehicles and property."""
    acts, a, f = cast.ctx.actions, cast.ctx.assets, cast.forms
    out: list[Frag] = []
    for asset_id in acts.loc[acts["action_type"].isin(["查封", "扣押"]), "asset_id"].dropna():
        car = a["vehicles"][a["vehicles"]["vehicle_id"] == asset_id]
        home = a["real_estate"][a["real_estate"]["property_id"] == asset_id]
        if not car.empty:
            out += [
                "查封了被执行人名下号牌为",
                f.plate(str(car.iloc[0]["plate"]), "被执行人"),
                "的车辆，",
            ]
        elif not home.empty:
            cert = Pii(str(home.iloc[0]["certificate_number"]), "PROPERTY_CERT", "被执行人")
            out += ["查封了被执行人名下不动产（权证号", cert, "），"]
    kinds = set(acts["action_type"])
    out += [phrase for kind, phrase in _MEASURE_PHRASES if kind in kinds]
    if (acts["action_type"] == "拍卖").any():
        out.append("对查封财产依法评估、拍卖，两次流拍，申请执行人不同意以物抵债，")
    if (acts["action_type"] == "扣划").any():
        out.append("冻结、扣划了被执行人银行存款，")
    if (acts["action_type"] == "限制消费令").any():
        out.append("对被执行人采取了限制消费措施，")
    if (acts["action_type"] == "纳入失信").any():
        out.append("将被执行人纳入失信被执行人名单，")
    out.append("已穷尽财产调查措施")
    return out


def ruling(cast: Cast, day: Any) -> Doc:
    t = templates()["ruling"]
    f = cast.forms
    doc = heading(cast, t["title"])
    doc.add(cast.describe(cast.applicant)).add("\n")
    doc.add(cast.describe(cast.respondent)).add("\n")
    when = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    article = cn_article(519 if when < NEW_INTERPRETATION else 517)
    fields = {
        **common(cast, day),
        "basis": cast.basis(),
        "measures": _measures(cast),
        "statute": str(f.pick(t["statutes"])).format(article=article),
        "judge2": cast.judges[0],
        "judge3": cast.judges[1],
        "cn_date": cn_date(day),
    }
    doc.line(f.pick(t["bodies"]), fields)
    return doc.fill(t["signature"], fields).add("\n")


def ruling_day(cast: Cast) -> Any:
    row = cast.ctx.first("终本裁定")
    return cast.ctx.case["closing_date"] if row is None else row["action_date"]


def interview_day(cast: Cast) -> Any | None:
    """The last 终本约谈 on or before the 终本 date (the record the engine reads)."""
    rows = cast.ctx.all("终本约谈")
    closing = cast.ctx.case["closing_date"]
    rows = rows[rows["action_date"] <= closing]
    return None if rows.empty else rows.iloc[-1]["action_date"]


__all__ = ["interview", "present_elements", "ruling", "ymd"]
