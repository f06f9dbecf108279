"""Whole-dataset release (GB/T 37964 验证审批): every table and case file under one key, then
the release checks. Output is built in a temporary folder next to OUT_DIR and renamed into
place only when every check passes; on refusal nothing is left in OUT_DIR.

Two ways to the same files (docs/desensitize.md, 全国规模的发布): a release streams, one column
at a time (``release.streaming``), so a national year fits in memory; a policy that shifts dates
by case or generalizes quasi-identifiers until k-anonymity holds needs whole tables at once and
is released in memory (``release.inmemory``). What both share is in ``release.common``.

Policy decisions (documented in the report): ``*_id`` join keys are kept under ``teaching`` and
``court`` (they are generated identifiers, not personal data) and replaced by keyed tokens under
``research``; the same token replaces a key in every table, so joins survive.
"""

from __future__ import annotations

from pathlib import Path

from desensitize.policy import Policy
from desensitize.release.common import Progress, Steps
from desensitize.release.inmemory import release_in_memory
from desensitize.release.record import Release, ReleaseRefused
from desensitize.release.streaming import release_streaming


def needs_whole_tables(policy: Policy) -> bool:
    return policy.tables.date_shift or policy.risk.generalize_to_k


def desensitize_dataset(
    in_dir: Path,
    out_dir: Path,
    policy: Policy,
    key: bytes,
    qi: dict[str, list[str]] | None = None,
    sensitive: dict[str, str] | None = None,
    progress: Progress | None = None,
    steps: Steps | None = None,
) -> Release:
    """Release ``in_dir`` into ``out_dir``: read, find every identifier column and value, draw
    surrogates that equal no original, transform tables and case files, write, check.
    ``steps(table, done, total)`` reports the columns of each table as they are written."""
    if needs_whole_tables(policy):
        return release_in_memory(in_dir, out_dir, policy, key, qi, sensitive, progress)
    return release_streaming(in_dir, out_dir, policy, key, qi, sensitive, progress, steps)


__all__ = ["Release", "ReleaseRefused", "desensitize_dataset", "needs_whole_tables"]
