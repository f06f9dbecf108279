"""One base class for the errors desensitize reports to a person (bad input, a policy or key that
cannot be used, a release the checks refuse): the CLI catches ``DesensitizeError``."""

from __future__ import annotations


class DesensitizeError(ValueError):
    """An error with a Chinese message meant for the user (no traceback needed)."""
