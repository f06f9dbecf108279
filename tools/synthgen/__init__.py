"""synthgen: calibrated synthetic case universes with a planted, known truth.

Two datasets share one partition runner: the criminal-review data (审查逮捕 / 审查起诉, calibrated
to the published 不捕率 / 不诉率) and the civil-enforcement world (执行案件, 终本, asset registries,
case files with planted violations). Everything outside this package (the CLI, labs, notebooks,
the rule engine's tests) uses only the names below; the subpackages are internals:

- ``core/``: seeds, dates, geography, names, persons, the court/procuratorate hierarchy
- ``store/``: table files, typed reading, the content-hash manifest
- ``criminal/``, ``enforcement/``, ``casefiles/``: the datasets
- ``codebook/``, ``package/``: codebook, datapackage.json, manifest, student copies
- ``report/``, ``verify/``: ``jianlab data report`` and ``jianlab data verify``

See docs/architecture.md for the layers and how to add to them.
"""

from synthgen.casefiles.config import (
    CasefileForms,
    CasefileTemplates,
    load_casefile_forms,
    load_casefile_templates,
)
from synthgen.criminal.build import build_criminal
from synthgen.criminal.params import CriminalParams, ParamError, load_criminal_params
from synthgen.enforcement.build import build_enforcement
from synthgen.enforcement.params import EnforcementParams, load_enforcement_params
from synthgen.enforcement.params_model import EnforcementParamsModel
from synthgen.errors import SynthgenError
from synthgen.package.metadata import student_copy
from synthgen.report.write import ReportError, ReportResult, print_summary, write_report
from synthgen.runner import BuildError, BuildOptions
from synthgen.store.io import DatasetError, read_arrow, read_table
from synthgen.store.manifest import check_manifest
from synthgen.store.outdir import OutputDirError
from synthgen.verify.dataset import verify_dataset

__all__ = [
    "BuildError",
    "BuildOptions",
    "CasefileForms",
    "CasefileTemplates",
    "CriminalParams",
    "DatasetError",
    "EnforcementParams",
    "EnforcementParamsModel",
    "OutputDirError",
    "ParamError",
    "ReportError",
    "ReportResult",
    "SynthgenError",
    "build_criminal",
    "build_enforcement",
    "check_manifest",
    "load_casefile_forms",
    "load_casefile_templates",
    "load_criminal_params",
    "load_enforcement_params",
    "print_summary",
    "read_arrow",
    "read_table",
    "student_copy",
    "verify_dataset",
    "write_report",
]
