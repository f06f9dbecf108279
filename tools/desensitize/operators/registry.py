"""Operator name → instance; policies refer to operators by these names."""

from __future__ import annotations

from desensitize.operators.base import Operator
from desensitize.operators.basic import Keep, Mask, Redact, Replace
from desensitize.operators.date_shift import DateShift
from desensitize.operators.generalize import Generalize
from desensitize.operators.pseudonym import Pseudonym
from desensitize.operators.surname_mou import SurnameMou

OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Keep(),
        Redact(),
        Replace(),
        Mask(),
        SurnameMou(),
        Pseudonym(),
        Generalize(),
        DateShift(),
    )
}


def get_operator(name: str) -> Operator:
    try:
        return OPERATORS[name]
    except KeyError:
        raise KeyError(f"未知算子：{name}；可用：{', '.join(OPERATORS)}") from None
