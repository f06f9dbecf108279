"""Dataset-level metadata written after the tables: codebook, datapackage.json, manifest."""

from __future__ import annotations

import json
import platform
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from synthgen.casefiles.build import CASEFILES_DIR
from synthgen.codebook.files import dataset_codebook, write_codebook
from synthgen.package.datapackage import write_datapackage
from synthgen.runner import BuildOptions
from synthgen.store.manifest import MANIFEST, write_manifest
from synthgen.store.tablefiles import present_tables

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


def _as_of_date(source: Path) -> str | None:
    path = source / "datapackage.json"
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8")).get("as_of_date")
    return str(value) if value is not None else None


def student_copy(source: Path, dest: Path, documents: bool = True) -> None:
    """A copy of a dataset a student may read: every table, no `_truth/`, and the metadata
    rewritten without the instructor-only parts (the coefficient priors in the codebook, the
    truth files in datapackage.json), with a fresh manifest so `data verify` passes on it.
    ``documents=False`` leaves out the case files: a lab that reads only tables should not copy
    tens of thousands of documents for every student and every graded submission."""
    if dest.exists():
        shutil.rmtree(dest)
    skip = ("_truth", "_report") if documents else ("_truth", "_report", CASEFILES_DIR)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*skip))
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
