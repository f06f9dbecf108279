"""The rule catalog as validated data, so thresholds live in one reviewed YAML file.

Each rule has a ``kind``: a ``violation`` breaks a legal rule and counts in the case's 评查 grade;
a ``lead`` (监督线索) is a fact pattern that justifies 调查核实 but is lawful in itself; a
``benchmark`` is an assessment standard, reported but never graded. Statutory parameters name a
threshold of ``legal/enforcement.yaml`` (``legal: name``) instead of repeating its value, so the
generator and the engine read one number (docs/rules.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from configkit import StrictModel, read_yaml, validate
from legal import threshold

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")

ColumnKind = Literal["string", "date", "number", "integer"]
Severity = Literal["不合格", "瑕疵"]
Dataset = Literal["criminal", "enforcement"]
RuleKind = Literal["violation", "lead", "benchmark"]
KIND_ZH = {"violation": "违规", "lead": "监督线索", "benchmark": "考核节点"}


class CatalogError(ValueError):
    """The catalog file does not fit its model (Chinese message with the key path)."""


class Parameter(StrictModel):
    value: Any = Field(default=None, description="取值；与 legal 二选一")
    legal: str | None = Field(default=None, description="legal/enforcement.yaml 中门槛的名称")
    unit: str | None = Field(default=None, description="单位")
    kind: Literal["statutory", "teaching_choice", "documented_node", "convention"] = Field(
        description="法定 / 教学选择 / 考核节点 / 约定"
    )
    source: str = Field(description="出处与理由")

    @model_validator(mode="after")
    def _resolve(self) -> Parameter:
        if (self.value is None) == (self.legal is None):
            raise ValueError("参数须给出 value 或 legal 之一（不能都给或都不给）")
        if self.legal is not None:
            self.value = threshold(self.legal)
        return self


class Rule(StrictModel):
    id: str = Field(pattern=r"^(ZB|XS)-\d{2}[A-Z]?$", description="规则编号")
    title: str = Field(description="中文标题")
    dataset: Dataset = Field(description="适用的数据集")
    kind: RuleKind = Field(description="violation 违规（计入评查等级）/ lead 监督线索 / benchmark")
    basis: str = Field(description="法律依据：文件、条、款、项")
    severity: Severity | None = Field(default=None, description="违规的严重程度；线索与节点不设")
    reads: dict[str, list[str]] = Field(description="必需读取的表与列")
    optional_reads: dict[str, list[str]] = Field(default_factory=dict, description="可选的表与列")
    parameters: dict[str, Parameter] = Field(description="参数")
    interpretation: str = Field(description="引擎对规则文字的精确解释")
    priority_concern: str | None = Field(default=None, description="优先关注组（如 涉企）")

    @model_validator(mode="after")
    def _severity_only_for_violations(self) -> Rule:
        if self.kind == "violation" and self.severity is None:
            raise ValueError(f"违规规则 {self.id} 须有 severity")
        if self.kind != "violation" and self.severity is not None:
            raise ValueError(f"{KIND_ZH[self.kind]}规则 {self.id} 不计入评查等级，不得设 severity")
        return self

    def param(self, name: str) -> Any:
        return self.parameters[name].value


class Priority(StrictModel):
    livelihood_group: str = Field(description="涉民生组名")
    livelihood_categories: list[str] = Field(description="涉民生的优先类别")
    enterprise_group: str = Field(description="涉企组名")
    enterprise_category: str = Field(description="涉企类别")
    enterprise_respondent_type: str = Field(description="涉企关注规则所按的被执行人类型")
    general_group: str = Field(description="一般组名")
    order: list[str] = Field(description="报告中各组的顺序")
    rule_of: str = Field(description="分组规则的文字说明")


class Grading(StrictModel):
    levels: list[str] = Field(description="评查等级，由差到好")
    rule_of: str = Field(description="定级规则的文字说明")
    excellent: dict[str, Any] = Field(description="优质条件（教学选择）")


class DatasetSpec(StrictModel):
    core: list[str] = Field(description="缺一即报错的核心表")
    case_table: str = Field(description="评查等级所按的案件表")
    case_columns: list[str] = Field(description="案件表中读取的列")


class Catalog(StrictModel):
    version: int = Field(description="目录格式版本")
    datasets: dict[Dataset, DatasetSpec] = Field(description="各数据集的核心表")
    tables: dict[str, dict[str, ColumnKind]] = Field(description="规则读取的列及其类型")
    optional_columns: dict[str, dict[str, str]] = Field(description="缺失时补齐的可选列")
    conventions: dict[str, str] = Field(description="全目录共用的约定")
    priority: Priority = Field(description="处理优先级")
    grading: Grading = Field(description="评查等级")
    rules: list[Rule] = Field(description="规则")

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

    def of_kind(self, kind: RuleKind) -> list[str]:
        return [r.id for r in self.rules if r.kind == kind]


def load_catalog(path: Path | None = None) -> Catalog:
    """Validate on every explicit path; the packaged catalog is parsed once per process."""
    if path is None:
        return _packaged()
    return validate(read_yaml(path, CatalogError), Catalog, str(path), error=CatalogError)


@lru_cache(maxsize=1)
def _packaged() -> Catalog:
    return validate(read_yaml(CATALOG_PATH, CatalogError), Catalog, str(CATALOG_PATH),
                    error=CatalogError)  # fmt: skip
