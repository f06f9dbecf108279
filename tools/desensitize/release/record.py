"""What a dataset release did and found; filled by ``dataset``, checked by ``checks``, written
by ``report``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from desensitize.errors import DesensitizeError
from desensitize.release.risk import RiskReport
from desensitize.tables.columns import ColumnPlan


class ReleaseRefused(DesensitizeError):
    def __init__(self, failures: list[str]) -> None:
        super().__init__("；".join(failures))
        self.failures = failures


@dataclass
class Release:
    policy: str
    tables: dict[str, list[ColumnPlan]] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    documents: int = 0
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    risk: dict[str, RiskReport] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    audit: list[dict[str, object]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # SHA-256 of every pseudonym issued: lets ``scan`` tell the release's own surrogates (which
    # look like real identifiers by design) from leftovers, without storing any original.
    produced_sha256: list[str] = field(default_factory=list)
    # set instead when the hash file was written straight from Arrow (a national release issues
    # about 10^8 surrogates: their hex digests do not belong in a Python list)
    surrogates_written: int | None = None

    @property
    def surrogate_count(self) -> int:
        if self.surrogates_written is not None:
            return self.surrogates_written
        return len(self.produced_sha256)
