"""The dataset manifest (`datasets/synthetic/manifest.yaml`): generators and named builds."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from configkit import StrictModel, read_yaml, validate

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST_PATH = REPO_ROOT / "datasets" / "synthetic" / "manifest.yaml"
BUILD_ROOT = REPO_ROOT / "datasets" / "synthetic" / "build"


class GeneratorInfo(StrictModel):
    title: str = Field(description="生成器的中文名称")
    teaches: str = Field(description="用这个生成器的数据能教什么")
    tables: list[str] = Field(description="生成的表")
    status: str | None = Field(default=None, description="开发状态说明（可省略）")


class BuildSpec(StrictModel):
    generator: str = Field(description="使用的生成器：criminal 或 enforcement")
    title: str = Field(description="构建的中文名称")
    teaches: str = Field(description="这份数据在教学中的用途")
    seed: int = Field(ge=0, description="随机种子：同一种子、规模与锁文件生成完全相同的内容")
    scale: float = Field(gt=0, description="相对全国规模的比例")
    years: str = Field(description="年份，如 2018-2025")
    provinces: list[str] | None = Field(default=None, description="省级代码（GB/T 2260 前两位）")
    casefiles: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="enforcement：终本案件中生成电子卷宗的比例（缺省取参数文件）",
    )
    content_hash: str | None = Field(
        default=None, description="同一锁文件下应当得到的内容哈希（make test 核对）"
    )


class DatasetManifest(StrictModel):
    generators: dict[str, GeneratorInfo] = Field(description="生成器")
    builds: dict[str, BuildSpec] = Field(description="命名的构建规格")


@lru_cache(maxsize=1)
def load_manifest(path: Path = MANIFEST_PATH) -> DatasetManifest:
    """The manifest; a Chinese ``ConfigError`` naming the key for a typo or a bad value."""
    return validate(read_yaml(path), DatasetManifest, f"数据集清单 {path}")
