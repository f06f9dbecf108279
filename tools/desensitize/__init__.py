"""desensitize：中文法律文本与案件表格的脱敏（识别器 + 算子 + YAML 策略 + 发布检查）。

Public API: ``Desensitizer`` for text, ``desensitize_dataset`` for whole datasets, ``measure``
for re-identification risk, ``load_policy`` for the shipped or custom policies.
"""

from desensitize.dataset import desensitize_dataset
from desensitize.desensitizer import Desensitizer
from desensitize.errors import DesensitizeError
from desensitize.policy import Policy, load_policy
from desensitize.release import Release, ReleaseRefused
from desensitize.risk import RiskReport, measure
from desensitize.types import OperatorResult, Result, Span

__all__ = [
    "DesensitizeError",
    "Desensitizer",
    "OperatorResult",
    "Policy",
    "Release",
    "ReleaseRefused",
    "Result",
    "RiskReport",
    "Span",
    "desensitize_dataset",
    "load_policy",
    "measure",
]
