"""Operators: each turns one detected value into its replacement."""

from desensitize.operators.base import Operator, OperatorContext
from desensitize.operators.registry import OPERATORS, get_operator

__all__ = ["OPERATORS", "Operator", "OperatorContext", "get_operator"]
