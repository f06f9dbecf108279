"""legal: the legal facts and domain vocabulary that both the data generator and the rule engine
are built against, kept in one leaf package so that neither imports the other.

- ``deadlines``: how statutory periods are counted (months to the same day of the month) and the
  review deadlines of the Criminal Procedure Law.
- ``enforcement``: instruments, periods and thresholds of enforcement law (``enforcement.yaml``).
- ``vocab``: procedure names, enforcement action types and closing methods (``vocab.yaml``).

The legal reading behind each entry is in docs/domain.md and docs/rules.md.
"""

from legal.deadlines import add_months, prosecution_limit, ymd
from legal.enforcement import EnforcementLaw, enforcement_law, threshold
from legal.vocab import ACTION_TYPES, CLOSING_METHODS, ZHONGBEN, Vocabulary, vocabulary

__all__ = [
    "ACTION_TYPES",
    "CLOSING_METHODS",
    "ZHONGBEN",
    "EnforcementLaw",
    "Vocabulary",
    "add_months",
    "enforcement_law",
    "prosecution_limit",
    "threshold",
    "vocabulary",
    "ymd",
]
