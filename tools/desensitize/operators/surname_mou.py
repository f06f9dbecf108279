"""The 2016 court rule (法释〔2016〕19号 Art. 9): keep the surname, replace the given name with 某;
minority and foreign names keep their first character; different people who collide after
masking are told apart by Arabic numerals (李某某1, 李某某2).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from desensitize.lexicon import load_lexicon
from desensitize.operators.base import Operator, OperatorContext


class SurnameMouParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    double_mou_for_two_char_given: bool = True


def masked_base(name: str, double: bool = True) -> str:
    """张三 → 张某, 李晓梅 → 李某某, 欧阳娜娜 → 欧阳某某, 阿卜杜·买买提 → 阿某."""
    name = name.strip()
    if "·" in name or not name:
        return name[:1] + "某"
    s = load_lexicon().is_surname_at(name, 0) or 1
    given = len(name) - s
    return name[:s] + ("某某" if double and given >= 2 else "某")


class SurnameMou(Operator):
    name = "surname_mou"
    params_model = SurnameMouParams

    def prepare(
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> None:
        assert isinstance(params, SurnameMouParams)
        for value in values:
            members = ctx.mou_members.setdefault(
                masked_base(value, params.double_mou_for_two_char_given), []
            )
            if value not in members:
                members.append(value)

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, SurnameMouParams)
        base = masked_base(value, params.double_mou_for_two_char_given)
        members = ctx.mou_members.setdefault(base, [])
        if value not in members:
            members.append(value)
        return base if len(members) == 1 else f"{base}{members.index(value) + 1}"
