"""Undo the encodings a submission could use to smuggle text past a plain-text leak scan.

A feedback page is the student's own output; printing a hidden test or the course secret as
base64, hex or gzip would slip past a substring search. Every run that looks like base64 or hex
is decoded (gzip and zlib streams inflated, with a cap against bombs), recursively to a small
depth, and the decoded texts are scanned like the page itself.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
MAX_INFLATED = 16 * 1024 * 1024
MAX_DEPTH = 3
MAX_CANDIDATES = 10_000


def _inflate(data: bytes) -> bytes | None:
    """gzip (wbits 31) or zlib (15) stream, inflated up to MAX_INFLATED bytes."""
    for wbits in (31, 15):
        try:
            out = zlib.decompressobj(wbits).decompress(data, MAX_INFLATED)
        except zlib.error:
            continue
        return out
    return None


def _b64(run: str) -> bytes | None:
    padded = run + "=" * (-len(run) % 4)
    altchars = b"-_" if ("-" in run or "_" in run) else None
    try:
        return base64.b64decode(padded, altchars=altchars)
    except (binascii.Error, ValueError):
        return None


def _decoded_once(text: str) -> list[bytes]:
    blobs: list[bytes] = []
    for match in BASE64_RUN.finditer(text):
        raw = _b64(match.group(0))
        if raw:
            blobs.append(raw)
        if len(blobs) >= MAX_CANDIDATES:
            break
    blobs += [bytes.fromhex(m.group(0)) for m in HEX_RUN.finditer(text)][:MAX_CANDIDATES]
    return blobs


def decoded_texts(text: str) -> list[str]:
    """Texts hidden in `text` under base64 / hex / gzip / zlib, nested up to MAX_DEPTH."""
    found: list[str] = []
    frontier = [text]
    for _ in range(MAX_DEPTH):
        layer: list[str] = []
        for item in frontier:
            for blob in _decoded_once(item):
                inflated = _inflate(blob)
                for data in (blob, inflated) if inflated else (blob,):
                    decoded = data.decode("utf-8", errors="ignore")
                    if len(decoded) >= 8:
                        layer.append(decoded)
        found += layer
        frontier = layer
        if not frontier:
            break
    return found
