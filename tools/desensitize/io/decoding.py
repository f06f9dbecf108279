"""Text decoding decided line by line (see docs/desensitize.md, 编码).

Chinese offices produce UTF-8 and GBK/GB18030 files, and sometimes one file holding both (a
UTF-8 template with lines pasted from an older GBK document). Decoding such a file as a whole
in GB18030 "succeeds": the UTF-8 lines become mojibake that still spells every name and number
once re-encoded, and no recognizer sees them. So when a file is not valid UTF-8 as a whole,
every line with non-ASCII bytes is classified on its own and a file whose lines disagree is
refused, naming the first line of each encoding. A UTF-8 BOM promises UTF-8: a byte after it
that is not UTF-8 is an error naming the line and the byte, never a silent fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from desensitize.errors import DesensitizeError

BOM = b"\xef\xbb\xbf"
UTF8 = "UTF-8"
GB18030 = "GB18030"
# A line counts as UTF-8 evidence only with a character of three UTF-8 bytes or more (all CJK
# characters are): short GBK runs can form valid two-byte UTF-8 sequences (联通 does).
_WIDE = 0x800


class InputError(DesensitizeError):
    """A file that cannot be read; the message is Chinese and names file/row/column."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "UTF-8", "UTF-8 BOM" or "GB18030"


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    offset: int  # file offset of the first byte that decides the encoding


def _where(raw: bytes, offset: int) -> str:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - line_start + 1
    return f"第 {line} 行第 {column} 个字节（文件偏移 {offset}，值 0x{raw[offset]:02X}）"


def decode_bytes(raw: bytes, path: Path | str) -> Decoded:
    """The text of ``raw`` and its encoding, or an ``InputError`` naming file, line and byte."""
    if raw.startswith(BOM):
        try:
            return Decoded(raw[len(BOM) :].decode("utf-8"), "UTF-8 BOM")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}：文件以 UTF-8 BOM 开头，但{_where(raw, exc.start + len(BOM))}"
                "不是合法的 UTF-8；请确认文件编码后重新保存"
            ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_by_line(raw, path)
    _refuse_ambiguous(raw, text, path)
    return Decoded(text, UTF8)


# A line whose non-ASCII characters are all two-byte UTF-8 (below U+0800) and that holds no
# wider character: the same bytes may be GBK hanzi (D6 A3 is 郑 in GB18030 and U+05A3 in UTF-8).
_NARROW_LINE = re.compile(r"^[^\n\u0800-\U0010FFFF]*[\u0080-\u07FF][^\n\u0800-\U0010FFFF]*$", re.M)


def _refuse_ambiguous(raw: bytes, text: str, path: Path | str) -> None:
    """Refuse a valid UTF-8 file with a line that GB18030 reads as different hanzi.

    Such a line is either a UTF-8 line of accented letters or a GBK line whose bytes happen to be
    valid UTF-8; guessing wrong turns a name into mojibake that no recognizer sees. A BOM
    settles it.
    """
    for match in _NARROW_LINE.finditer(text):
        line = match.group().encode("utf-8")
        try:
            other = line.decode("gb18030")
        except UnicodeDecodeError:
            continue
        if any(ord(c) >= _WIDE for c in other):
            offset = len(text[: match.start()].encode("utf-8"))
            offset += next(i for i, b in enumerate(line) if b >= 0x80)
            raise InputError(
                f"{path}：{_where(raw, offset)}起的内容既是合法的 UTF-8"
                f"（读作“{match.group()[:20]}”）"
                f"也是合法的 GB18030（读作“{other[:20]}”），无法确定编码；猜错会把姓名等个人信息"
                "变成乱码漏过脱敏。请把文件另存为带 BOM 的 UTF-8（或整体存为 GB18030 并含至少一个"
                "非 UTF-8 的汉字行）后重试"
            )


def _decode_by_line(raw: bytes, path: Path | str) -> Decoded:
    """GB18030 when every non-ASCII line is GB18030 and none is clearly UTF-8; refused else."""
    first: dict[str, _Line] = {}
    offset = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.isascii():
            kind, at = _classify(line)
            if kind is None:
                raise InputError(
                    f"{path}：{_where(raw, offset + at)}无法按 UTF-8 或 GB18030 解码"
                ) from None
            first.setdefault(kind, _Line(number, offset + at))
        offset += len(line) + 1
    if UTF8 in first and GB18030 in first:
        raise InputError(_mixed_message(path, raw, first[UTF8], first[GB18030])) from None
    return Decoded(raw.decode("gb18030"), GB18030)


def _classify(line: bytes) -> tuple[str | None, int]:
    """(encoding, offset in ``line`` of the deciding byte); encoding ``""`` when either fits."""
    lead = next(i for i, b in enumerate(line) if b >= 0x80)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            line.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            return None, max(utf8_error.start, gb_error.start)
        return GB18030, utf8_error.start
    if any(ord(c) >= _WIDE for c in text):
        return UTF8, lead
    return "", lead


def _mixed_message(path: Path | str, raw: bytes, utf8: _Line, gb: _Line) -> str:
    a, b = sorted([(utf8, UTF8), (gb, GB18030)], key=lambda p: p[0].number)
    return (
        f"{path}：同一文件混用了两种编码：第 {a[0].number} 行是 {a[1]}，"
        f"而{_where(raw, b[0].offset)}起是 {b[1]}；不会按单一编码猜测解码（那样会把个人信息"
        "变成可还原的乱码漏过脱敏）。请把整个文件另存为同一种编码（建议 UTF-8）后重试"
    )
