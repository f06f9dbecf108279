"""Dataset-level metadata written after the tables: codebook, datapackage.json, manifest."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthgen.codebook import Codebook, load_codebook, write_codebook
from synthgen.codebook_resolve import resolve_codebook
from synthgen.datapackage import write_datapackage
from synthgen.manifest import write_manifest
from synthgen.params import load_criminal_params
from synthgen.tablefiles import present_tables

if TYPE_CHECKING:
    from synthgen.build import BuildOptions, Plan

GENERATOR_VERSION = "0.1.0"
LIBRARIES = ("numpy", "pyarrow", "pandas", "faker")


def build_record(opts: BuildOptions, years: list[int], layout: str) -> dict[str, Any]:
    """How a dataset was built, as its codebook prints it (both datasets)."""
    return {
        "seed": opts.seed,
        "scale": opts.scale,
        "years": f"{years[0]}–{years[-1]}",
        "layout": layout,
        "format": opts.fmt,
        "scenario": opts.scenario.name if opts.scenario else "无",
    }


def manifest_header(
    dataset: str,
    opts: BuildOptions,
    years: list[int],
    provinces: list[str],
    layout: str,
    params_digest: str,
    **specific: Any,
) -> dict[str, Any]:
    """The manifest's build record (both datasets): options, parameters, software versions;
    ``specific`` adds what only one dataset has (the enforcement as-of date, …)."""
    return {
        "dataset": dataset,
        "generator": f"synthgen {GENERATOR_VERSION}",
        "seed": opts.seed,
        "scale": opts.scale,
        "years": years,
        "provinces": provinces,
        "layout": layout,
        "format": opts.fmt,
        "params_digest": params_digest,
        "scenario": opts.scenario.name if opts.scenario else None,
        **specific,
        "python": platform.python_version(),
        "libraries": {name: metadata.version(name) for name in LIBRARIES},
        **opts.extra_manifest,
    }


def dataset_codebook_for(stage: Path, plan: Plan, opts: BuildOptions) -> Codebook:
    """The codebook of this build: numbers and sources resolved from the build's parameters,
    restricted to the tables in the folder; instructor-only parts only when `_truth/` is there."""
    params = plan.params.model_dump()
    default = load_criminal_params(None, plan.params.years).model_dump()
    codebook = resolve_codebook(load_codebook("criminal"), params, default)
    codebook.dataset.build = build_record(opts, plan.params.years, plan.layout)
    present = set(present_tables(stage, list(codebook.tables)))
    return codebook.restricted(present, include_instructor=(stage / "_truth").is_dir())


def write_metadata(stage: Path, plan: Plan, opts: BuildOptions) -> None:
    """Codebook and datapackage first, so that the manifest hashes them too."""
    codebook = dataset_codebook_for(stage, plan, opts)
    write_codebook(stage, codebook)
    write_datapackage(stage, codebook)
    provinces = sorted({t.province for t in plan.tasks})
    header = manifest_header(
        "criminal", opts, plan.params.years, provinces, plan.layout, plan.params.digest()
    )
    write_manifest(stage, header)


def _as_of_date(source: Path) -> str | None:
    import json

    path = source / "datapackage.json"
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8")).get("as_of_date")
    return str(value) if value is not None else None


def student_copy(source: Path, dest: Path) -> None:
    """A copy of a dataset a student may read: every table, no `_truth/`, and the metadata
    rewritten without the instructor-only parts (the coefficient priors in the codebook, the
    truth files in datapackage.json), with a fresh manifest so `data verify` passes on it."""
    import json
    import shutil

    from synthgen.codebook import dataset_codebook
    from synthgen.manifest import MANIFEST

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("_truth", "_report"))
    codebook = dataset_codebook(source)
    present = set(present_tables(dest, list(codebook.tables)))
    codebook = codebook.restricted(present, False, codebook.present_documents(dest))
    write_codebook(dest, codebook)
    descriptor = write_datapackage(dest, codebook)
    as_of = _as_of_date(source)
    if as_of is not None:  # the rule engine's data end date must travel with the tables
        (dest / "datapackage.json").write_text(
            json.dumps({**descriptor, "as_of_date": as_of}, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    header = {}
    if (source / MANIFEST).exists():
        header = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        header.pop("files", None)
        header.pop("content_hash", None)
    write_manifest(dest, {**header, "release": "student"})
