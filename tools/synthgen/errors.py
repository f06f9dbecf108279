"""One base class for every error synthgen reports to a person: the CLI catches ``SynthgenError``
and prints its Chinese message, whatever step raised it (options, parameters, codebook, data)."""

from __future__ import annotations


class SynthgenError(ValueError):
    """An error with a Chinese message meant for the user (no traceback needed)."""
