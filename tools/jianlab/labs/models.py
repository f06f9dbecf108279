"""Typed models for `labs/<id>/lab.yaml` and `courses/<id>/course.yaml`.

Validation happens once at load time so that every later step (build, check, course build,
grading) can trust ids, points and dates without re-checking them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from configkit import read_yaml, validate
from jianlab.labs.policy import LatePolicy

ID_PATTERN = r"^[a-z0-9][a-z0-9\-]*$"
STUDENT_ID_PATTERN = r"^[A-Za-z0-9_\-]+$"


class SpecError(ValueError):
    """A lab.yaml / course.yaml is missing or invalid; the Chinese message names the file."""


class DataPolicy(StrEnum):
    shared = "shared"
    per_student = "per_student"


class DatasetRef(BaseModel):
    """A dataset the lab reads, by name; per-student labs also say how to generate one copy."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9\-_]*$")
    generator: str | None = Field(
        default=None,
        description="per_student 时传给 `jianlab data build` 的名称（生成器或构建名），默认同 name",
    )
    scale: float | None = Field(default=None, gt=0)
    years: str | None = Field(default=None, pattern=r"^\d{4}-\d{4}$")
    provinces: str | None = Field(default=None, pattern=r"^\d{2}(,\d{2})*$")
    casefiles: bool = Field(
        default=True,
        description="学生是否拿到电子卷宗；只读表的执行类实验设为 false，免去为每位学生、"
        "每份提交生成和复制上万份文书",
    )
    release: str | None = Field(
        default=None,
        description="学生拿到的不是原始构建，而是按这个脱敏策略（如 teaching）发布的副本；"
        "策略必须保留关联键与日期，评分端才能按案号与真值对照",
    )

    @field_validator("release")
    @classmethod
    def _keeps_keys_and_dates(cls, value: str | None) -> str | None:
        return None if value is None else check_release_policy(value)

    @property
    def build_name(self) -> str:
        return self.generator or self.name


class LabSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    points: float = Field(gt=0)
    datasets: list[DatasetRef] = Field(default_factory=list)
    data_policy: DataPolicy = DataPolicy.shared
    runtime_budget_s: float = Field(default=60.0, gt=0)

    @field_validator("datasets", mode="before")
    @classmethod
    def _names_as_refs(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value


class Student(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=STUDENT_ID_PATTERN)
    last_name: str = Field(min_length=1)
    first_name: str = Field(
        default="", description="可为空：带间隔号或拉丁字母的姓名整体记在 last_name"
    )
    email: str | None = None


class CourseLab(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    due: dt.datetime
    weight: float = Field(gt=0)
    data_policy: DataPolicy | None = Field(
        default=None, description="覆盖 lab.yaml 的数据策略，如本课程给每位学生单独的数据"
    )


class ItemMinimum(BaseModel):
    """A question that must reach a minimum on its own (e.g. the 成果转化清单 essay)."""

    model_config = ConfigDict(extra="forbid")

    lab: str = Field(pattern=ID_PATTERN, description="实验编号（须在课程的 labs 中）")
    question: str = Field(min_length=1, description="题目的评分单元编号（grade_id），如 q8_essay")
    label: str = Field(min_length=1, description="成绩表中“不合格原因”里的名称，如 成果转化清单")
    min_points: float = Field(
        ge=0, description="最低得分（扣除迟交后，按该次实验的扣分比例同比扣减）"
    )


class PassRule(BaseModel):
    """合格线: the weighted total after late penalties, and optional per-question minimums."""

    model_config = ConfigDict(extra="forbid")

    min_total_percent: float = Field(
        gt=0, le=100, description="加权百分制（扣除迟交后）的合格线，如 60 表示不低于 60 分"
    )
    item_minimums: list[ItemMinimum] = Field(
        default_factory=list, description="逐项最低分：任一项未达到即不合格"
    )


class CourseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = Field(min_length=1)
    term: str = Field(min_length=1)
    secret_env: str = Field(
        default="JIANLAB_COURSE_SECRET",
        description="保存课程密钥的环境变量名；密钥决定每位学生的数据种子",
    )
    labs: list[CourseLab] = Field(min_length=1)
    roster: list[Student] = Field(default_factory=list)
    late_policy: LatePolicy = Field(default_factory=LatePolicy)
    pass_rule: PassRule | None = Field(
        default=None, description="合格线；设置后 `grade export` 增加“是否合格”与“不合格原因”两列"
    )

    @model_validator(mode="after")
    def _pass_rule_labs(self) -> CourseSpec:
        labs = {lab.id for lab in self.labs}
        unknown = sorted(
            {item.lab for item in (self.pass_rule.item_minimums if self.pass_rule else [])} - labs
        )
        if unknown:
            raise ValueError(
                f"pass_rule.item_minimums 引用了课程中没有的实验：{', '.join(unknown)}"
            )
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> CourseSpec:
        for label, ids in (
            ("实验", [lab.id for lab in self.labs]),
            ("学生", [s.id for s in self.roster]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{label} id 重复：{', '.join(dupes)}")
        return self


def check_release_policy(name: str) -> str:
    """A shipped policy that keeps key columns and dates: the grader joins the student's
    findings to `_truth/` by case number and the review rules count days, so a policy that
    pseudonymizes keys or shifts dates would make every hidden test fail."""
    from desensitize import SHIPPED, load_policy

    if name not in SHIPPED:
        raise ValueError(f"未知的脱敏策略 “{name}”；可用：{', '.join(sorted(SHIPPED))}")
    tables = load_policy(name).tables
    if tables.key_columns != "keep" or tables.date_shift:
        raise ValueError(f"脱敏策略 “{name}” 替换关联键或平移日期，评分端无法按案号对照真值")
    return name


def _where(path: Path) -> str:
    if not path.is_file():
        raise SpecError(f"{path}: 文件不存在")
    return str(path)


def load_lab_spec(path: Path) -> LabSpec:
    """A lab's ``lab.yaml``; a Chinese ``SpecError`` naming the key for a typo or a bad value."""
    spec = validate(read_yaml(path, error=SpecError), LabSpec, _where(path), error=SpecError)
    if spec.id != path.parent.name:
        raise SpecError(f"{path}: id “{spec.id}” 必须与目录名 “{path.parent.name}” 一致")
    return spec


def load_course_spec(path: Path) -> CourseSpec:
    """A course's ``course.yaml``, read the same way."""
    return validate(read_yaml(path, error=SpecError), CourseSpec, _where(path), error=SpecError)
