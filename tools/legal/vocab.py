"""Domain vocabulary read from ``vocab.yaml`` into a strict model: the strings that tables hold
(action types, closing methods) are defined there once, and code refers to them by name."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ConfigDict, Field

from configkit import StrictModel, read_yaml, validate

VOCAB_FILE = Path(str(resources.files("legal").joinpath("vocab.yaml")))


class ClosingMethods(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    zhongben: str = Field(description="终结本次执行程序（终本）")
    completed: str = Field(description="执行完毕")
    settled: str = Field(description="和解长期履行或和解结案")
    terminated: str = Field(description="终结执行")


class Vocabulary(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action_types: tuple[str, ...] = Field(
        description="执行行为类型；顺序即同一日内多项行为的排列顺序"
    )
    closing_methods: ClosingMethods = Field(description="执行案件的结案方式")
    columns: dict[str, dict[str, tuple[str, ...]]] = Field(
        description="规则引擎比较或依赖的列（表 → 列 → 取值）；代码本中的同名列与此一致"
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return validate(read_yaml(VOCAB_FILE), Vocabulary, str(VOCAB_FILE))


ACTION_TYPES: tuple[str, ...] = vocabulary().action_types
CLOSING_METHODS: ClosingMethods = vocabulary().closing_methods
ZHONGBEN: str = CLOSING_METHODS.zhongben
