"""Every configuration file kind the project ships or accepts, with the strict model it is read
into. ``python -m jianlab.schemas`` writes their JSON Schemas to ``docs/schemas/`` (editors use
them to complete and check YAML); a test keeps the committed files equal to the models."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from configkit import export_schemas
from desensitize import Policy
from jianlab.labs.models import CourseSpec, LabSpec
from jianlab.specs import REPO_ROOT, DatasetManifest
from legal import Vocabulary
from review import Catalog
from synthgen import CasefileForms, CasefileTemplates, CriminalParams, EnforcementParamsModel

SCHEMA_DIR = REPO_ROOT / "docs" / "schemas"

CONFIG_MODELS: dict[str, type[BaseModel]] = {
    "criminal-params": CriminalParams,
    "enforcement-params": EnforcementParamsModel,
    "casefile-templates": CasefileTemplates,
    "casefile-forms": CasefileForms,
    "review-catalog": Catalog,
    "desensitize-policy": Policy,
    "legal-vocabulary": Vocabulary,
    "dataset-manifest": DatasetManifest,
    "lab": LabSpec,
    "course": CourseSpec,
}


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    return export_schemas(CONFIG_MODELS, folder)


if __name__ == "__main__":
    for path in write_schemas():
        print(path.relative_to(REPO_ROOT))
