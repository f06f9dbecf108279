"""The codebook as data: load and validate ``codebook/<dataset>.yaml``, resolve its references into
the parameter file, and write ``codebook.md`` / ``codebook.json``.

The YAML points at parameter paths instead of copying numbers and sources, so a scenario build's
codebook shows the numbers that build used, and flags those a scenario changed (their published
source no longer applies). Everything downstream — verify's pandera schema, typed CSV/XLSX
reading, datapackage.json — reads the resolved model, so the codebook cannot drift from them.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from synthgen.errors import SynthgenError

ColumnType = Literal["string", "date", "integer", "number", "boolean"]
Domain = Literal["division", "county", "province"]
Grade = Literal["S", "D", "K"]

TYPE_LABELS = {
    "string": "字符串",
    "date": "日期",
    "integer": "整数",
    "number": "数值",
    "boolean": "0/1",
}
DEFAULT_STORAGE = {
    "string": "string",
    "date": "date32",
    "integer": "int64",
    "number": "float64",
    "boolean": "int8",
}
_STORAGE_FAMILY = {
    "string": {"string"},
    "date": {"date32"},
    "integer": {"int8", "int16", "int32", "int64"},
    "boolean": {"int8", "int16", "int32", "int64"},
    "number": {"float32", "float64"},
}
CODEBOOK_JSON = "codebook.json"
CODEBOOK_MD = "codebook.md"


class CodebookError(SynthgenError):
    """The codebook or one of its parameter references is invalid (Chinese message)."""


class CodebookMissing(CodebookError):
    """No codebook ships for this dataset (yet): readers fall back to untyped text."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_Model):
    param: str
    source: str | None = None
    note: str | None = None


class SourceEntry(_Model):
    """One calibrated number with its source, as resolved from the parameters of a build."""

    param: str
    value: Any = None
    source: str
    source_param: str
    grade: Grade | None = None
    note: str | None = None
    overridden: bool = False


class FilledWhen(_Model):
    column: str
    values: list[str]


class Column(_Model):
    label: str
    type: ColumnType
    storage: str | None = None
    unit: str | None = None
    values: list[str | int] | None = None
    values_from: list[str] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    domain: Domain | None = None
    checksum: Literal["gb11643", "gb32100"] | None = None
    filled_when: FilledWhen | None = None
    nullable: bool = False
    description: str
    sources: list[SourceRef] = []
    calibration: list[SourceEntry] = []

    @model_validator(mode="after")
    def _consistent(self) -> Column:
        if self.storage is not None and self.storage not in _STORAGE_FAMILY[self.type]:
            raise ValueError(f"storage {self.storage} 与类型 {self.type} 不符")
        if self.pattern is not None:
            re.compile(self.pattern)
            if self.type != "string":
                raise ValueError("pattern 只用于字符串列")
        if self.type == "boolean" and self.values not in (None, [0, 1]):
            raise ValueError("0/1 列的取值只能是 [0, 1]")
        return self

    @property
    def arrow_storage(self) -> str:
        return self.storage or DEFAULT_STORAGE[self.type]

    @property
    def allowed(self) -> list[str | int] | None:
        return [0, 1] if self.type == "boolean" else self.values


class ForeignKey(_Model):
    fields: list[str]
    table: str
    ref_fields: list[str]


class Table(_Model):
    label: str
    description: str
    instructor_only: bool = False
    partitioned: bool = False
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = []
    identity: dict[str, str] | None = None
    date_order: list[tuple[str, str]] = []
    decision_year: str | None = None
    columns: dict[str, Column]

    @model_validator(mode="after")
    def _columns_exist(self) -> Table:
        named = [*self.primary_key, *(f for fk in self.foreign_keys for f in fk.fields)]
        named += [*(self.identity or {}).values(), *(c for pair in self.date_order for c in pair)]
        named += [c.filled_when.column for c in self.columns.values() if c.filled_when]
        missing = sorted({n for n in named if n not in self.columns})
        if missing:
            raise ValueError(f"引用了不存在的列 {missing}")
        dates = [c for pair in self.date_order for c in pair]
        if self.decision_year is not None:
            if "year" not in self.columns or self.decision_year not in self.columns:
                raise ValueError("decision_year 需要 year 列与所指的日期列")
            dates.append(self.decision_year)
        not_dates = sorted({c for c in dates if self.columns[c].type != "date"})
        if not_dates:
            raise ValueError(f"日期规则引用了非日期列 {not_dates}")
        return self


class Planted(_Model):
    label: str
    rule: str
    where: str
    sources: list[SourceRef]
    calibration: list[SourceEntry] = []


class CalibrationGroup(_Model):
    title: str
    instructor_only: bool
    sources: list[SourceRef]
    calibration: list[SourceEntry] = []


class DgpModel(_Model):
    table: str
    column: str


class DgpSpec(_Model):
    path: str
    instructor_only: bool
    description: str
    coefficients_table: str
    keys: dict[str, str]
    models: dict[str, DgpModel]


class License(_Model):
    name: str
    title: str
    path: str


class SourceDoc(_Model):
    title: str
    path: str | None = None


class Layout(_Model):
    partition_keys: list[str]
    single: str
    hive: str
    readers: dict[str, str]


class DocumentKind(_Model):
    """One kind of document: its template in the set's template file, from which the build fills
    the printed title and how many wordings each part has, so the codebook cannot drift from it."""

    template: str
    parts: dict[str, str]  # template key → Chinese name of that part (正文、落款…)
    when: str
    content: str
    title: str | None = None
    wordings: dict[str, int] = {}


class DocumentDefect(_Model):
    """A planted violation that lives in the documents' text (e.g. a formal ZB-07 record)."""

    rule: str
    label: str
    text: list[str]
    elements_from: str | None = None  # key of the phrase lists in the template file
    elements: dict[str, list[str]] = {}
    sources: list[SourceRef] = []
    calibration: list[SourceEntry] = []


class DocumentSet(_Model):
    """Files that are not tables (electronic case files, span answer keys). ``path`` names the
    files with ``<placeholders>``; the set is in a folder when that pattern matches a file."""

    label: str
    path: str
    description: str
    instructor_only: bool = False
    count: str | None = None  # e.g. "{files:,} 份文书，{folders:,} 个案件"; also {lines:,}
    notes: list[str] = []
    templates: str | None = None  # template file inside the synthgen package
    kinds: dict[str, DocumentKind] = {}
    defects: list[DocumentDefect] = []
    fields: dict[str, str] = {}
    values: dict[str, str] = {}
    roles: dict[str, str] = {}

    @model_validator(mode="after")
    def _templates_named(self) -> DocumentSet:
        uses = bool(self.kinds) or any(d.elements_from for d in self.defects)
        if uses and self.templates is None:
            raise ValueError("文书种类或要素引用模板，但没有 templates")
        return self

    @property
    def glob(self) -> str:
        return re.sub(r"<[^>]+>", "*", self.path)


class Dataset(_Model):
    name: str
    title: str
    description: str
    license: License
    sources: list[SourceDoc]
    keywords: list[str]
    definitions: dict[str, str]
    notes: list[str]
    limitations: list[str] = []  # what the data cannot be used for (rendered as 已知局限)
    layout: Layout
    planted: dict[str, Planted]
    calibration: list[CalibrationGroup]
    dgp: DgpSpec | None = None
    build: dict[str, Any] | None = None
    documents: dict[str, DocumentSet] = {}


class Codebook(_Model):
    dataset: Dataset
    tables: dict[str, Table]

    @model_validator(mode="after")
    def _references(self) -> Codebook:
        for name, table in self.tables.items():
            for fk in table.foreign_keys:
                target = self.tables.get(fk.table)
                if target is None:
                    raise ValueError(f"表 {name} 的外键指向不存在的表 {fk.table}")
                missing = [f for f in fk.ref_fields if f not in target.columns]
                if missing or len(fk.fields) != len(fk.ref_fields):
                    raise ValueError(
                        f"表 {name} 的外键 {fk.fields} → {fk.table}{fk.ref_fields} 无效"
                    )
        for name, docs in self.dataset.documents.items():
            unknown = [d.rule for d in docs.defects if d.rule not in self.dataset.planted]
            if unknown:
                raise ValueError(f"文书 {name} 的缺陷指向未埋设的规则 {unknown}")
        dgp = self.dataset.dgp
        if dgp is not None:
            refs: list[tuple[str, str | None]] = [(dgp.coefficients_table, None)]
            refs += [(m.table, m.column) for m in dgp.models.values()]
            for ref_table, ref_column in refs:
                target_table = self.tables.get(ref_table)
                if target_table is None or (ref_column and ref_column not in target_table.columns):
                    raise ValueError(f"dgp 引用了不存在的表或列 {ref_table}.{ref_column or ''}")
        return self

    def restricted(
        self, tables: set[str], include_instructor: bool, documents: set[str] | None = None
    ) -> Codebook:
        """The codebook of a dataset folder that holds only ``tables`` and ``documents`` (all
        document sets when None), e.g. a student release without ``_truth/``: instructor-only
        parts vanish, and so do keys into absent tables."""
        kept = {
            name: t.model_copy(
                update={"foreign_keys": [fk for fk in t.foreign_keys if fk.table in tables]}
            )
            for name, t in self.tables.items()
            if name in tables and (include_instructor or not t.instructor_only)
        }
        docs = {
            name: d
            for name, d in self.dataset.documents.items()
            if (documents is None or name in documents)
            and (include_instructor or not d.instructor_only)
        }
        dataset = self.dataset.model_copy(
            update={
                "calibration": [
                    g
                    for g in self.dataset.calibration
                    if include_instructor or not g.instructor_only
                ],
                "dgp": self.dataset.dgp if include_instructor else None,
                "documents": docs,
            }
        )
        return Codebook(dataset=dataset, tables=kept)

    def present_documents(self, directory: Path) -> set[str]:
        """Document sets with at least one file in ``directory``."""
        return {n for n, d in self.dataset.documents.items() if any(directory.glob(d.glob))}


def _error_text(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}：{first['msg']}"


def load_codebook(name: str = "criminal") -> Codebook:
    """The shipped codebook of a dataset, unresolved (``values_from`` and sources not filled)."""
    try:
        text = resources.files("synthgen").joinpath(f"codebook/{name}.yaml").read_text("utf-8")
    except FileNotFoundError as exc:
        raise CodebookMissing(f"没有数据集「{name}」的编码手册") from exc
    try:
        return Codebook.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise CodebookError(f"编码手册 {name}.yaml 无效（{_error_text(exc)}）") from exc


def read_codebook_json(path: Path) -> Codebook:
    try:
        return Codebook.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise CodebookError(f"{path} 不是有效的编码手册（{_error_text(exc)}）") from exc
