"""Value types shared by recognizers, operators and the engine.

Spans carry offsets into the caller's original text (never into a normalized copy), so an
operator can splice replacements without re-deriving positions. Operator results keep only the
new text: the audit trail built from them can be published without leaking what was replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# A detection inside the engine: (start, end, entity, score, recognizer). The engine handles
# tens of thousands per batch, and a tuple costs a hundredth of a validated ``Span``.
Hit = tuple[int, int, str, float, str]


@dataclass(frozen=True, slots=True)
class Span:
    """A scored detection ``text[start:end]`` of ``entity`` found by ``recognizer``."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"非法区间：[{self.start}, {self.end})")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"得分必须在 0 到 1 之间：{self.score}")

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end


class OperatorResult(NamedTuple):
    """What one replacement did; ``new_text`` only — the original value is never stored.

    A named tuple: a batch makes one per replacement, and it costs a third of a dataclass."""

    start: int
    end: int
    entity: str
    operator: str
    new_text: str


@dataclass(slots=True)
class Result:
    """Desensitized text plus the replacements made (offsets refer to the new text)."""

    text: str
    items: list[OperatorResult] = field(default_factory=list)
