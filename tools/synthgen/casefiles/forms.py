"""The forms personal information takes in real case files: full-width digits, spaced or
hyphenated phones with +86, landlines with extensions, 15-digit old IDs, lowercase x, plates
with "·", bank cards in groups of four, transliterated names with "·", compound surnames and
addresses down to the room. Every renderer returns a ``Pii`` so the span is exact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from synthgen.casefiles.config import forms_data
from synthgen.casefiles.text import FULL_WIDTH, Pii
from synthgen.core.names import name_lists
from zhcodes.divisions import load_divisions


@dataclass
class Forms:
    """Renderers drawing their variants from one case's random stream."""

    rng: np.random.Generator

    @property
    def p(self) -> dict[str, float]:
        return forms_data()["probabilities"]

    def chance(self, key: str) -> bool:
        return bool(self.rng.random() < self.p[key])

    def pick(self, items: list[Any]) -> Any:
        return items[int(self.rng.integers(0, len(items)))]

    def _width(self, text: str) -> str:
        return text.translate(FULL_WIDTH) if self.chance("full_width_digits") else text

    def id_number(self, id18: str, role: str) -> Pii:
        text = id18
        if int(id18[6:10]) < 1990 and self.chance("old_id_15"):
            text = id18[:6] + id18[8:17]
        elif text.endswith("X") and self.chance("lowercase_x"):
            text = text[:-1] + "x"
        return Pii(self._width(text), "ID_NUMBER", role)

    def phone(self, mobile: str, role: str) -> Pii:
        form: str = self.pick(forms_data()["phone_forms"])
        text = form.format(a=mobile[:3], b=mobile[3:7], c=mobile[7:])
        return Pii(self._width(text), "PHONE", role)

    def landline(self, province: str, role: str) -> Pii:
        codes = forms_data()["area_codes"].get(province, ["010"])
        area: str = self.pick(codes)
        digits = 8 if len(area) == 3 else int(self.pick([7, 8]))
        num = str(int(self.rng.integers(2, 9))) + "".join(
            str(d) for d in self.rng.integers(0, 10, digits - 1)
        )
        if self.rng.random() < 0.3:
            num = num[:4] + " " + num[4:]
        ext = str(int(self.rng.integers(100, 9000)))
        text = str(self.pick(forms_data()["landline_forms"])).format(area=area, num=num, ext=ext)
        return Pii(self._width(text), "LANDLINE", role)

    def plate(self, plate: str, role: str) -> Pii:
        text = plate[:2] + "·" + plate[2:] if self.chance("plate_dot") else plate
        return Pii(text, "PLATE", role)

    def account(self, number: str, kind: str, role: str) -> Pii:
        entity = {"借记卡": "BANK_CARD", "支付账户": "PAYMENT_ACCOUNT"}.get(kind, "BANK_ACCOUNT")
        text = number
        if entity == "BANK_CARD" and self.chance("card_spaced"):
            text = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return Pii(self._width(text), entity, role)

    def email(self, role: str) -> Pii:
        domain = self.pick(forms_data()["email_domains"])
        if self.rng.random() < 0.5:
            local = str(int(self.rng.integers(10_000_000, 3_000_000_000)))
        else:
            letters = "abcdefghijklmnopqrstuvwxyz"
            local = "".join(letters[i] for i in self.rng.integers(0, 26, 6)) + str(
                int(self.rng.integers(10, 99))
            )
        return Pii(f"{local}@{domain}", "EMAIL", role)

    def address(self, division_code: str, role: str) -> Pii:
        """省市区 + 路/街 + 号 + 幢/栋 + 单元 + 室, sometimes through a residential compound."""
        d = forms_data()
        place = load_divisions().full_name(division_code)
        if self.rng.random() < 0.3:
            place = place[3:] if place[:3].endswith(("省", "市")) else place
        road = self.pick(d["roads"])
        number = int(self.rng.integers(1, 400))
        compound = self.pick(d["communities"]) if self.rng.random() < 0.4 else ""
        building = int(self.rng.integers(1, 40))
        unit = int(self.rng.integers(1, 6))
        room = int(self.rng.integers(1, 33)) * 100 + int(self.rng.integers(1, 5))
        word = self.pick(d["building_words"])
        text = f"{place}{road}{number}号{compound}{building}{word}{unit}单元{room}室"
        return Pii(self._width(text), "ADDRESS", role)

    def han_name(self, male: bool) -> str:
        lists = name_lists()
        if self.chance("relative_compound"):
            surname = str(self.pick(forms_data()["compound_surnames"]))
            return surname + str(self.pick(forms_data()["given_names"]))
        s = int(self.rng.choice(lists.surnames.size, p=lists.surname_p))
        pool = lists.given_male if male else lists.given_female
        return str(lists.surnames[s]) + str(pool[int(self.rng.integers(0, pool.size))])

    def relative(self, respondent_ethnicity: str, role: str) -> tuple[str, Pii]:
        """(称谓, name) of a relative mentioned in passing."""
        d = forms_data()
        male = bool(self.rng.random() < 0.5)
        relation = str(self.pick(d["relatives"]["male" if male else "female"]))
        if respondent_ethnicity in d["minority_ethnicities"] and self.chance("relative_minority"):
            name = f"{self.pick(d['minority_given'])}·{self.pick(d['minority_family'])}"
        else:
            name = self.han_name(male)
        return relation, Pii(name, "PERSON", role)

    def staff(self, role: str) -> Pii:
        return Pii(self.han_name(bool(self.rng.random() < 0.5)), "PERSON", role)
