"""Notices, orders, inquiry feedback, lead checks and service receipts of one case, each dated
by the action it documents; a document whose action is missing is not written (a case planted
with ZB-01 has no 执行通知书), so the files carry the defects the tables imply."""

from __future__ import annotations

from typing import Any

import pandas as pd

from synthgen.casefiles.parties import Cast, Party, templates
from synthgen.casefiles.text import Doc, Frag, Pii, ymd


def heading(cast: Cast, title: str) -> Doc:
    doc = Doc()
    doc.add(f"{cast.ctx.court}\n{title}\n")
    return doc.add(f"{cast.ctx.case['case_number']}\n\n")


def common(cast: Cast, day: Any) -> dict[str, Frag]:
    c = cast.ctx.case
    return {
        "court": cast.ctx.court,
        "case_no": str(c["case_number"]),
        "applicant": cast.applicant.name,
        "respondent": cast.respondent.name,
        "cause": str(c["cause"]),
        "filing": ymd(c["filing_date"]),
        "claimed": cast.amount(float(c["amount_claimed"])),
        "recovered": cast.amount(float(c["amount_recovered"] or 0.0)),
        "unpaid": cast.amount(float(c["amount_claimed"]) - float(c["amount_recovered"] or 0.0)),
        "judge": cast.judge,
        "clerk": cast.clerk,
        "date": ymd(day),
    }


def _addressee(cast: Cast) -> list[Frag]:
    return [cast.respondent.name, "："]


def notice(cast: Cast, day: Any) -> Doc:
    t = templates()["notice"]
    doc = heading(cast, t["title"]).add(_addressee(cast)).add("\n")
    fields = {**common(cast, day), "basis": cast.basis()}
    doc.line(cast.forms.pick(t["bodies"]), fields)
    doc.line(cast.forms.pick(t["contact"]), fields)
    return doc.add(f"\n{cast.ctx.court}\n{ymd(day)}\n")


def property_order(cast: Cast, day: Any) -> Doc:
    t = templates()["property_order"]
    doc = heading(cast, t["title"]).add(_addressee(cast)).add("\n")
    fields = common(cast, day)
    doc.line(cast.forms.pick(t["bodies"]), fields)
    doc.line(cast.forms.pick(t["contact"]), fields)
    return doc.add(f"\n{cast.ctx.court}\n{ymd(day)}\n")


def service(cast: Cast, day: Any, documents: str, to: Party) -> Doc:
    """送达回证; sometimes a relative signs for the absent recipient (named in passing)."""
    t = templates()["service"]
    f = cast.forms
    doc = Doc().add(f"{cast.ctx.court}\n{t['title']}\n\n")
    by_relative = to is cast.respondent and to.is_person and f.rng.random() < 0.35
    proxy: Frag = ""
    signer: Frag = to.name
    if by_relative:
        signer = cast.relative
        relation = f"（受送达人之{cast.relation[1:]}），代收理由：受送达人不在家。\n"
        proxy = ["代收人：", cast.relative, relation]
    elif not to.is_person:
        rep = cast.ctx.legal_reps[to.record["company_id"]]
        signer = Pii(str(rep["name"]), "PERSON", "法定代表人")
    fields = {
        **common(cast, day),
        "documents": documents,
        "recipient": to.name,
        "address": to.address,
        "method": f.pick(t["methods"]),
        "signer": signer,
        "proxy": proxy,
        "server": [cast.judge, "、", cast.clerk],
    }
    return doc.fill(f.pick(t["bodies"]), fields)


def _owned(frame: pd.DataFrame, col: str | None, before: Any) -> list[dict[Any, Any]]:
    """Rows the respondent held on the query day (owner since, or opened / started by then)."""
    if col is None:
        return list(frame.to_dict("records"))
    if "owner_since" in frame.columns:
        col = "owner_since"
    rows = frame[frame[col].map(lambda d: d is None or d <= before)]
    return list(rows.to_dict("records"))


def _status(cast: Cast, day: Any, asset_id: Any) -> set[str]:
    """The court's measures on an asset on or before the query day (action types)."""
    acts = cast.ctx.actions
    mine = acts[(acts["asset_id"] == asset_id) & (acts["action_date"] <= day)]
    return set(mine["action_type"])


def _vehicle_status(cast: Cast, day: Any, row: dict[Any, Any]) -> str:
    t = templates()["inquiry"]["vehicle_status"]
    done = _status(cast, day, row["vehicle_id"])
    if "扣押" in done:
        return str(t["seized"])
    if "查封" in done:
        return str(t["sealed"])
    return str(t["mortgaged"] if row["status"] == "抵押" else t["normal"])


def _estate_fields(cast: Cast, day: Any, row: dict[Any, Any]) -> dict[str, Frag]:
    t = templates()["inquiry"]
    held = row.get("mortgage_holder")
    mortgage = (
        t["estate_mortgage"]["some"].format(
            holder=held, amount=cast.amount(float(row["mortgage_amount"]))
        )
        if isinstance(held, str) and held
        else t["estate_mortgage"]["none"]
    )
    done = _status(cast, day, row["property_id"])
    acts = cast.ctx.actions
    # another court's first seal predates this case's 轮候查封, so it shows at every query
    queued = ((acts["asset_id"] == row["property_id"]) & (acts["action_type"] == "轮候查封")).any()
    seal = t["estate_seal"]["other" if queued else "ours" if "查封" in done else "none"]
    return {"mortgage": mortgage, "seal": str(seal)}


def _rows(cast: Cast, day: Any) -> list[tuple[str, list[dict[str, Frag]]]]:
    """The respondent's registered assets on the query day, by registry, with the mortgage
    and the court's seals as they stood that day."""
    a, f, role = cast.ctx.assets, cast.forms, "被执行人"
    before = pd.Timestamp(day).date()
    return [
        ("bank", [
            {"bank": r["bank"], "account": f.account(r["account_number"], r["account_kind"], role),
             "kind": r["account_kind"], "balance": cast.amount(float(r["balance"])),
             "date": ymd(day)}
            for r in _owned(a["bank_accounts"], "opened_date", before)
        ]),
        ("vehicles", [
            {"plate": f.plate(r["plate"], role), "registered": ymd(r["registered_date"]),
             "status": _vehicle_status(cast, before, r)}
            for r in _owned(a["vehicles"], "registered_date", before)
        ]),
        ("estate", [
            {"cert": Pii(r["certificate_number"], "PROPERTY_CERT", role),
             "address": Pii(r["address"], "ADDRESS", role), "area": f"{r['area_m2']:.1f}",
             **_estate_fields(cast, before, r)}
            for r in _owned(a["real_estate"], "registered_date", before)
        ]),
        ("policies", [
            {"insurer": r["insurer"], "policy": Pii(r["policy_number"], "POLICY_NUMBER", role),
             "product": r["product_type"], "cash": cast.amount(float(r["cash_value"]))}
            for r in _owned(a["insurance_policies"], "start_date", before)
        ]),
        ("fund", [
            {"balance": cast.amount(float(r["balance"]))}
            for r in _owned(a["housing_fund_accounts"], None, before)
        ]),
    ]  # fmt: skip


def inquiry(cast: Cast, day: Any) -> Doc:
    t = templates()["inquiry"]
    doc = Doc().add(f"{cast.ctx.court}\n{t['title']}\n\n")
    fields = {**common(cast, day), "resp_id": cast.id_of(cast.respondent)}
    doc.fill(cast.forms.pick(t["heads"]), fields)
    for section, rows in _rows(cast, day):
        doc.add("\n" + t["sections"][section] + "\n")
        if not rows:
            doc.add(t["none"] + "\n")
        for row in rows:
            doc.line(t["rows"][section], {**fields, **row})
    return doc.add("\n" + cast.forms.pick(t["foot"]) + "\n")


def _lead(cast: Cast, asset_type: Any, asset_id: Any) -> Frag:
    """What the applicant said the lead was, naming the asset when the registry has it."""
    a, f, role = cast.ctx.assets, cast.forms, "被执行人"
    bank = a["bank_accounts"][a["bank_accounts"]["account_id"] == asset_id]
    if not bank.empty:
        r = bank.iloc[0]
        number = f.account(str(r["account_number"]), str(r["account_kind"]), role)
        return [f"在{r['bank']}开立有账户（账号", number, "），账户内有资金往来"]
    car = a["vehicles"][a["vehicles"]["vehicle_id"] == asset_id]
    if not car.empty:
        plate = f.plate(str(car.iloc[0]["plate"]), role)
        return ["名下有一辆机动车（号牌", plate, "）仍在使用"]
    home = a["real_estate"][a["real_estate"]["property_id"] == asset_id]
    if not home.empty:
        cert = Pii(str(home.iloc[0]["certificate_number"]), "PROPERTY_CERT", role)
        where = Pii(str(home.iloc[0]["address"]), "ADDRESS", role)
        return ["名下有房产一处（不动产权证号", cert, "，坐落", where, "）"]
    kinds = {"存款": "在银行有存款", "车辆": "有车辆", "不动产": "有房产"}
    return f"{kinds.get(str(asset_type), '经营个体生意，有稳定收入')}，但未能提供具体信息"


def lead_check(cast: Cast, check: pd.Series, submitted: Any) -> Doc:
    t = templates()["lead_check"]
    f = cast.forms
    doc = Doc().add(f"{cast.ctx.court}\n{t['title']}\n\n{cast.ctx.case['case_number']}\n\n")
    relative_phone = f.phone(cast.agent_phone, "亲属")
    note_fields: dict[str, Frag] = {
        "relation": cast.relation,
        "relative": cast.relative,
        "relative_phone": relative_phone,
    }
    relative_note = Doc().fill(f.pick(t["relative_note"]), note_fields)
    fields: dict[str, Frag] = {
        **common(cast, check["action_date"]),
        "submitted": ymd(submitted),
        "place": cast.respondent.address,
        "lead": _lead(cast, check["asset_type"], check["asset_id"]),
        "relative_note": _doc_frags(relative_note) if cast.respondent.is_person else "",
        "finding": t["found"] if check["note"] == "核查属实" else t["not_found"],
    }
    return doc.line(f.pick(t["bodies"]), fields)


def _doc_frags(doc: Doc) -> list[Frag]:
    """A finished sub-document as fragments, its spans kept as Pii."""
    out: list[Frag] = []
    pos = 0
    text = doc.text
    for s in doc.spans:
        out += [text[pos : s.start], Pii(s.text, s.entity, s.role)]
        pos = s.end
    return [*out, text[pos:]]
