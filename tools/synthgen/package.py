"""Dataset-level metadata written after the tables: codebook, datapackage.json, manifest."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from synthgen.manifest import write_manifest

if TYPE_CHECKING:
    from synthgen.build import BuildOptions, Plan

GENERATOR_VERSION = "0.1.0"


def write_metadata(stage: Path, plan: Plan, opts: BuildOptions) -> None:
    header = {
        "dataset": "criminal",
        "generator": f"synthgen {GENERATOR_VERSION}",
        "seed": opts.seed,
        "scale": opts.scale,
        "years": plan.params.years,
        "provinces": sorted({t.province for t in plan.tasks}),
        "layout": plan.layout,
        "format": opts.fmt,
        "params_digest": plan.params.digest(),
        "scenario": opts.scenario.name if opts.scenario else None,
        "python": platform.python_version(),
        "libraries": {
            name: metadata.version(name) for name in ("numpy", "pyarrow", "pandas", "faker")
        },
        **opts.extra_manifest,
    }
    write_manifest(stage, header)
