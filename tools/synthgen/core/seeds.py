"""One seed tree for every random draw.

Each unit of work (a table, or a province × year partition) gets its own
``SeedSequence([root, *keys])``, so its content depends only on the root seed and its own keys —
never on how many workers ran, or in which order partitions finished.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key_int(key: str | int) -> int:
    if isinstance(key, int):
        return key
    return zlib.crc32(key.encode("utf-8"))


def rng_for(root_seed: int, *keys: str | int) -> np.random.Generator:
    entropy = [int(root_seed), *(_key_int(k) for k in keys)]
    return np.random.default_rng(np.random.SeedSequence(entropy))
