"""Copy detection on the answer code itself (not only on data files).

Each submission's answer cells are tokenized with `tokenize`; identifiers become `N` (names a
copier would rename), literals become `0` / `S`, while keywords, operators and attribute names
stay (`.groupby` cannot be renamed). Overlapping token k-grams are hashed and winnowed (MOSS:
the minimum hash of every window), and two submissions are compared by the Jaccard index of
their fingerprint sets. Fingerprints of the model solution and the release stubs are removed
first, so students who write the textbook answer are not flagged for it.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import keyword
import tokenize
from dataclasses import dataclass

K = 8
WINDOW = 4
THRESHOLD = 0.8
MIN_SHARED = 12
SKIP = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def normalized_tokens(code: str) -> list[str]:
    out: list[str] = []
    previous = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in SKIP:
                continue
            if tok.type == tokenize.NAME:
                text = tok.string if keyword.iskeyword(tok.string) or previous == "." else "N"
            elif tok.type == tokenize.NUMBER:
                text = "0"
            elif tok.type == tokenize.STRING:
                text = "S"
            else:
                text = tok.string
            out.append(text)
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # keep the tokens read so far: broken code is still comparable
    return out


def fingerprints(code: str) -> set[int]:
    tokens = normalized_tokens(code)
    hashes = [
        int.from_bytes(
            hashlib.blake2b(" ".join(tokens[i : i + K]).encode(), digest_size=8).digest()
        )
        for i in range(len(tokens) - K + 1)
    ]
    if len(hashes) <= WINDOW:
        return set(hashes)
    return {min(hashes[i : i + WINDOW]) for i in range(len(hashes) - WINDOW + 1)}


@dataclass(frozen=True)
class Match:
    first: str
    second: str
    similarity: float


def cell_prints(cells: list[str]) -> set[int]:
    """Fingerprints cell by cell: no k-gram spans two cells, so moving or blanking one cell
    does not create fingerprints that exist in neither the submission nor the base."""
    return set().union(*(fingerprints(code) for code in cells)) if cells else set()


def similar_pairs(codes: dict[str, list[str]], base: list[str] | None = None) -> list[Match]:
    """Pairs of submissions whose answer cells are near-identical after normalization."""
    common = cell_prints(base or [])
    prints = {who: cell_prints(cells) - common for who, cells in codes.items()}
    matches: list[Match] = []
    for a, b in itertools.combinations(sorted(prints), 2):
        shared = len(prints[a] & prints[b])
        if shared < MIN_SHARED:
            continue
        similarity = shared / len(prints[a] | prints[b])
        if similarity >= THRESHOLD:
            matches.append(Match(a, b, round(similarity, 2)))
    return matches
