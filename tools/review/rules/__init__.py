"""Rule families; importing this package registers every check by rule id."""

from review.registry import REGISTRY, Check
from review.rules import after_zhongben, assets, criminal, deadlines, interview, process, search


def registered() -> dict[str, Check]:
    """Every check by rule id (the imports above have run their ``register`` decorators)."""
    return dict(REGISTRY)


__all__ = [
    "after_zhongben",
    "assets",
    "criminal",
    "deadlines",
    "interview",
    "process",
    "registered",
    "search",
]
