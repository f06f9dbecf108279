"""desensitize：中文法律文本与案件表格的脱敏（识别器 + 算子 + YAML 策略 + 发布检查）。

This module is the package's public API: the CLI, jianlab, labs and benchmarks import from
here only; the subpackages are the implementation (layout in docs/architecture.md):

- ``text``: ``Analyzer`` and ``Desensitizer`` for documents, ``desensitize_docx`` for Word files;
- ``io``: reading text and tables (``read_text``, ``read_table``, ``decode_bytes``) with Chinese
  errors (``InputError``);
- ``tables`` and ``release``: ``desensitize_dataset`` for whole datasets, the release checks
  (``ReleaseRefused``) and ``measure`` for re-identification risk;
- ``evaluation``: precision and recall on gold spans and on the hand-written hard set;
- ``policy``, ``keyed``: ``load_policy`` for the shipped or custom policies, ``load_key``;
- ``operators``: ``get_operator`` and, for whole columns, ``Pseudonym`` with ``forbid_originals``
  (real values no surrogate may equal) and ``embeds_original_arrow`` (the check of that rule).
"""

from desensitize.errors import DesensitizeError
from desensitize.evaluation.gold import (
    LABELS,
    DatasetEvaluation,
    Evaluation,
    GoldSpan,
    evaluate,
    evaluate_dataset,
    load_gold,
)
from desensitize.evaluation.hardset import HardSetEvaluation, evaluate_hard_set, load_hard_set
from desensitize.io.decoding import Decoded, InputError, decode_bytes
from desensitize.io.readers import TABLE_SUFFIXES, TEXT_SUFFIXES, read_table, read_text
from desensitize.io.word import DocxError
from desensitize.keyed import KeyError_, load_key
from desensitize.operators import OperatorContext, get_operator
from desensitize.operators.pseudonym import Pseudonym, PseudonymParams, forbid_originals
from desensitize.operators.surrogates import embeds_original_arrow
from desensitize.policy import SHIPPED, Policy, PolicyError, load_policy
from desensitize.release.dataset import desensitize_dataset
from desensitize.release.record import Release, ReleaseRefused
from desensitize.release.report import SURROGATES_FILE, load_surrogate_hashes, surrogate_hash
from desensitize.release.risk import RiskReport, measure, render_zh
from desensitize.text.desensitizer import Desensitizer
from desensitize.text.engine import Analyzer
from desensitize.text.word import desensitize_docx
from desensitize.types import OperatorResult, Result, Span

__all__ = [
    "LABELS",
    "SHIPPED",
    "SURROGATES_FILE",
    "TABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Analyzer",
    "DatasetEvaluation",
    "Decoded",
    "DesensitizeError",
    "Desensitizer",
    "DocxError",
    "Evaluation",
    "GoldSpan",
    "HardSetEvaluation",
    "InputError",
    "KeyError_",
    "OperatorContext",
    "OperatorResult",
    "Policy",
    "PolicyError",
    "Pseudonym",
    "PseudonymParams",
    "Release",
    "ReleaseRefused",
    "Result",
    "RiskReport",
    "Span",
    "decode_bytes",
    "desensitize_dataset",
    "desensitize_docx",
    "embeds_original_arrow",
    "evaluate",
    "evaluate_dataset",
    "evaluate_hard_set",
    "forbid_originals",
    "get_operator",
    "load_gold",
    "load_hard_set",
    "load_key",
    "load_policy",
    "load_surrogate_hashes",
    "measure",
    "read_table",
    "read_text",
    "render_zh",
    "surrogate_hash",
]
