"""The rule catalog as validated data, so thresholds live in one reviewed YAML file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")

ColumnKind = Literal["string", "date", "number", "integer"]
Severity = Literal["不合格", "瑕疵"]
Dataset = Literal["criminal", "enforcement"]


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Any
    unit: str | None = None
    kind: Literal["statutory", "teaching_choice", "documented_node", "convention"]
    source: str


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^(ZB|XS)-\d{2}[A-Z]?$")
    title: str
    dataset: Dataset
    basis: str
    severity: Severity
    reads: dict[str, list[str]]
    optional_reads: dict[str, list[str]] = Field(default_factory=dict)
    parameters: dict[str, Parameter]
    interpretation: str
    priority_concern: str | None = None

    def param(self, name: str) -> Any:
        return self.parameters[name].value


class Priority(BaseModel):
    model_config = ConfigDict(extra="forbid")

    livelihood_group: str
    livelihood_categories: list[str]
    enterprise_group: str
    enterprise_category: str
    enterprise_respondent_type: str
    general_group: str
    order: list[str]
    rule_of: str


class Grading(BaseModel):
    model_config = ConfigDict(extra="forbid")

    levels: list[str]
    rule_of: str
    excellent: dict[str, Any]


class DatasetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    core: list[str]
    case_table: str
    case_columns: list[str]


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    datasets: dict[Dataset, DatasetSpec]
    tables: dict[str, dict[str, ColumnKind]]
    optional_columns: dict[str, dict[str, str]]
    conventions: dict[str, str]
    priority: Priority
    grading: Grading
    rules: list[Rule]

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError(f"规则编号重复：{sorted(i for i in ids if ids.count(i) > 1)}")
        for name, spec in self.datasets.items():
            unknown = [c for c in spec.case_columns if c not in self.tables[spec.case_table]]
            if unknown:
                raise ValueError(f"数据集 {name} 的案件列 {unknown} 未在 tables 中声明类型")
        for rule in self.rules:
            for table, cols in {**rule.reads, **rule.optional_reads}.items():
                declared = self.tables.get(table)
                if declared is None:
                    raise ValueError(f"规则 {rule.id} 读取未声明的表 {table}")
                unknown = [c for c in cols if c not in declared]
                if unknown:
                    raise ValueError(f"规则 {rule.id} 读取表 {table} 中未声明类型的列 {unknown}")
        return self

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def for_dataset(self, dataset: Dataset) -> list[Rule]:
        return [r for r in self.rules if r.dataset == dataset]


def load_catalog(path: Path | None = None) -> Catalog:
    """Validate on every explicit path; the packaged catalog is parsed once per process."""
    if path is None:
        return _packaged()
    return Catalog.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _packaged() -> Catalog:
    return Catalog.model_validate(yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8")))
