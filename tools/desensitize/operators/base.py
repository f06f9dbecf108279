"""Operator contract and the per-run state operators share.

The context is what makes replacements consistent: one key, one pseudonym book (real value →
replacement, with collisions re-drawn; see ``book``), one surname+某 numbering and one date
shift per case, shared by every table and document of a run.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from desensitize.operators.book import Book


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass
class OperatorContext:
    """Shared state of one run; ``case_id`` is set by the caller per document or row group."""

    key: bytes | None = None
    case_id: str | None = None
    reference_date: dt.date = field(default_factory=dt.date.today)
    books: dict[tuple[str, str], Book] = field(default_factory=dict)
    originals: dict[str, set[str]] = field(default_factory=dict)
    # the same for whole columns of a national dataset (tens of millions of numbers): distinct
    # normalized values kept as Arrow arrays, not Python strings (see ``forbid_bulk``)
    bulk_originals: dict[str, list[pa.Array]] = field(default_factory=dict)
    mou_members: dict[str, list[str]] = field(default_factory=dict)

    def book(self, entity: str, style: str) -> Book:
        return self.books.setdefault((entity, style), Book())

    def produced(self) -> set[str]:
        """Every pseudonym this run issued (surrogates are not personal data)."""
        return {v for book in self.books.values() for v in book.produced()}

    def require_key(self, operator: str) -> bytes:
        if self.key is None:
            raise ValueError(f"算子 {operator} 需要密钥文件（--key-file）")
        return self.key


class Operator(ABC):
    name: ClassVar[str]
    params_model: ClassVar[type[BaseModel]] = NoParams
    # True when ``operate_many`` given every value at once already does what ``prepare`` does
    # (a batch then skips the separate preparation pass).
    operate_many_prepares: ClassVar[bool] = False

    def validate(self, params: dict[str, Any]) -> BaseModel:
        return self.params_model.model_validate(params)

    def prepare(  # noqa: B027 - optional hook; most operators need no preparation
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> None:
        """See every value of a document or dataset before operating (numbering, collisions)."""

    @abstractmethod
    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        """Replacement for ``value``."""

    def operate_many(
        self, entity: str, values: list[str], params: BaseModel, ctx: OperatorContext
    ) -> list[str]:
        """Replacements for prepared ``values``; override when one call can do them all."""
        return [self.operate(entity, v, params, ctx) for v in values]
