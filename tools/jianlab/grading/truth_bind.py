"""Run inside the truth-section kernel: bind one student's exported answers as notebook names.

The truth section runs the lab author's own solution over the student's reference data, then
the instructor cells (docs/grading.md, "The truth section"). Before the instructor cells, each
declared export of the lab is rebound to that student's value, read from the answers kept at
grading (`answer_store`) through `values.load_value` (plain data only: JSON, Parquet, `.npy`
without pickle). A value the student did not export, or that could not be read, is removed from
the namespace, so the instructor cells show it as missing instead of the reference solution's
number under the student's name. `restore` puts the solution's values back for the next student.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jianlab.grading.values import ValueLoadError, load_value

SAVED = "__jianlab_solution_values__"


def bind(namespace: dict[str, Any], answers: str, exports: dict[str, list[str]]) -> list[str]:
    """exports: name → [grade_id, kind]. Returns the names that could not be bound."""
    if SAVED not in namespace:
        namespace[SAVED] = {n: namespace[n] for n in exports if n in namespace}
    missing: list[str] = []
    for name, (gid, kind) in exports.items():
        try:
            namespace[name] = load_value(Path(answers) / gid, name, kind)
        except (ValueLoadError, OSError):
            namespace.pop(name, None)
            missing.append(name)
    return missing


def restore(namespace: dict[str, Any], exports: dict[str, list[str]]) -> None:
    saved: dict[str, Any] = namespace.get(SAVED, {})
    for name in exports:
        if name in saved:
            namespace[name] = saved[name]
        else:
            namespace.pop(name, None)
