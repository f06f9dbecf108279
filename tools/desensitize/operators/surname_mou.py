"""The court rule for names (最高人民法院《关于人民法院在互联网公布裁判文书的规定》,
法释〔2016〕19号, published 2016-08-29, Art. 9; see docs/desensitize.md): keep the
surname and replace the given name with one "某" (李晓梅 → 李某, 欧阳娜娜 → 欧阳某);
ethnic-minority names and Chinese renderings of foreign names keep their first character
(阿依古丽·买买提 → 阿某); an English name keeps its first letter only (John Smith → J).
Different people who collide after masking are told apart by Arabic numerals (李某1, 李某2),
numbered in order of first mention and kept for the whole document.
"""

from __future__ import annotations

from pydantic import BaseModel

from desensitize.lexicon import load_lexicon
from desensitize.operators.base import NoParams, Operator, OperatorContext

# Separators between the parts of a transliterated or minority name (·, •, ・, ‧, full stop).
NAME_DOTS = frozenset("·•・‧.．")


def masked_base(name: str) -> str:
    """张三 → 张某, 李晓梅 → 李某, 欧阳娜娜 → 欧阳某, 阿依古丽·买买提 → 阿某, John Smith → J."""
    name = name.strip()
    if not name:
        return "某"
    if name[0].isascii() and name[0].isalpha():
        return name[0]
    if any(c in NAME_DOTS for c in name):
        return name[0] + "某"
    compound = load_lexicon().is_surname_at(name, 0) == 2 and len(name) > 2
    return name[: 2 if compound else 1] + "某"


class SurnameMou(Operator):
    name = "surname_mou"
    params_model = NoParams

    def prepare(
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> None:
        for value in values:
            members = ctx.mou_members.setdefault(masked_base(value), [])
            if value not in members:
                members.append(value)

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        base = masked_base(value)
        members = ctx.mou_members.setdefault(base, [])
        if value not in members:
            members.append(value)
        return base if len(members) == 1 else f"{base}{members.index(value) + 1}"
