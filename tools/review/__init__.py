"""案件质量评查规则引擎：按规则目录（catalog.yaml）检查 criminal 或 enforcement 数据集。"""

from review.answer import grade_findings
from review.catalog import Catalog, Rule, load_catalog
from review.engine import ReviewResult, RuleRun, run_review
from review.errors import (
    ColumnTypeError,
    DatasetNotFoundError,
    MissingColumnError,
    MissingTableError,
    ReviewInputError,
)

__all__ = [
    "Catalog",
    "ColumnTypeError",
    "DatasetNotFoundError",
    "MissingColumnError",
    "MissingTableError",
    "ReviewInputError",
    "ReviewResult",
    "Rule",
    "RuleRun",
    "grade_findings",
    "load_catalog",
    "run_review",
]
