"""One case's people as document fragments, drawn once so that every document of the case
prints the same address, the same court staff and the same relative — while each mention may
take a different printed form (a phone spaced here, hyphenated there), as in real files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synthgen.casefiles.config import templates_data
from synthgen.casefiles.context import CaseContext
from synthgen.casefiles.forms import Forms
from synthgen.casefiles.text import Frag, Pii, ymd
from synthgen.core.names import sample_mobiles
from zhcodes.divisions import load_divisions


def templates() -> dict[str, Any]:
    """The validated case-file templates (casefiles/config.py)."""
    return templates_data()


@dataclass
class Party:
    """A party as printed: name fragment plus what the documents may show about it."""

    role: str
    record: dict[str, Any]
    name: Frag
    address: Frag
    is_person: bool


@dataclass
class Cast:
    ctx: CaseContext
    forms: Forms
    applicant: Party
    respondent: Party
    judge: Pii
    judges: tuple[Pii, Pii]
    clerk: Pii
    relation: str
    relative: Pii
    agent: Pii
    agent_phone: str
    grouped: bool  # amounts printed with thousands separators in this case's documents

    @property
    def province(self) -> str:
        return str(self.ctx.case["case_id"])[2:4]

    def amount(self, value: float) -> str:
        return f"{value:,.2f}" if self.grouped else f"{value:.2f}"

    def basis(self) -> str:
        code = re.search(r"）(.+?)执", str(self.ctx.case["case_number"]))
        year = int(str(self.ctx.case["filing_date"])[:4]) - 1
        number = int(self.forms.rng.integers(100, 9000))
        kind = self.forms.pick(["民事判决书", "民事调解书", "民事判决书"])
        return f"本院（{year}）{code.group(1) if code else ''}民初{number}号{kind}"

    def phone(self, party: Party) -> Frag:
        if party.is_person:
            return self.forms.phone(str(party.record["phone"]), party.role)
        rep = self.ctx.legal_reps[party.record["company_id"]]
        return self.forms.phone(str(rep["phone"]), "法定代表人")

    def id_of(self, party: Party) -> Frag:
        if party.is_person:
            return self.forms.id_number(str(party.record["id_number"]), party.role)
        return str(party.record["uscc"])

    def describe(self, party: Party) -> list[Frag]:
        """The party line that heads rulings and notices."""
        r, f = party.record, self.forms
        if not party.is_person:
            rep = self.ctx.legal_reps[r["company_id"]]
            return [
                f"{party.role}：{r['name']}，住所地{_place(str(r['division_code']))}，"
                f"统一社会信用代码{r['uscc']}。\n法定代表人：",
                Pii(str(rep["name"]), "PERSON", "法定代表人"),
                "，联系电话",
                f.phone(str(rep["phone"]), "法定代表人"),
                "。",
            ]
        born = ymd(r["birth_date"])
        ident = f.id_number(str(r["id_number"]), party.role)
        if f.rng.random() < 0.5:
            line: list[Frag] = [
                f"{party.role}：",
                party.name,
                f"，{r['gender']}，{born}出生，{r['ethnicity']}，住",
                party.address,
                "，公民身份号码",
                ident,
            ]
        else:
            line = [f"{party.role}：", party.name, f"，{r['gender']}，{r['ethnicity']}，"]
            line += [f"{born}生，身份证号码", ident, "，住所地", party.address]
        line += ["，联系电话", f.phone(str(r["phone"]), party.role)]
        if f.rng.random() < 0.3:
            line += ["，住宅电话", f.landline(self.province, party.role)]
        if f.rng.random() < 0.2:
            line += ["，电子邮箱", f.email(party.role)]
        return [*line, "。"]


def _place(code: str) -> str:
    return load_divisions().full_name(code)


def _party(forms: Forms, role: str, record: dict[str, Any]) -> Party:
    if record["kind"] == "自然人":
        address = forms.address(str(record["residence_division_code"]), role)
        return Party(role, record, Pii(str(record["name"]), "PERSON", role), address, True)
    return Party(role, record, str(record["name"]), _place(str(record["division_code"])), False)


def make_cast(ctx: CaseContext, forms: Forms) -> Cast:
    applicant = _party(forms, "申请执行人", ctx.applicant)
    respondent = _party(forms, "被执行人", ctx.respondent)
    ethnicity = str(ctx.respondent.get("ethnicity") or "汉族")
    relation, relative = forms.relative(ethnicity, "亲属")
    mobile = str(int(sample_mobiles(forms.rng, 1)[0]))
    return Cast(
        ctx=ctx,
        forms=forms,
        applicant=applicant,
        respondent=respondent,
        judge=forms.staff("执行员"),
        judges=(forms.staff("审判员"), forms.staff("审判员")),
        clerk=forms.staff("书记员"),
        relation=relation,
        relative=relative,
        agent=forms.staff("委托代理人"),
        agent_phone=mobile,
        grouped=bool(forms.rng.random() < 0.5),
    )
