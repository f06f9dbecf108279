"""Text decoding decided per line (docs/desensitize.md, 编码): one encoding per file or a Chinese
error naming file, line and byte; never a traceback, never mojibake that hides a name.

The table covers the cases met in practice; the Hypothesis properties cover random bytes and
random files whose lines are each encoded in UTF-8 or GB18030 (bounded in the default tier,
deeper under ``slow``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desensitize import InputError, decode_bytes, desensitize_dataset, load_policy, read_table
from desensitize.io.decoding import BOM
from zhcodes import gb11643_check_char

UTF8_LINE = "原告张三 身份证号 110101199003071234 住址北京朝阳 电话 13812345678"
GBK_LINE = "被告李四 住址上海浦东 联系电话 13912345678"


def _lines(*parts: tuple[str, str]) -> bytes:
    return b"".join((text + "\n").encode(enc) for text, enc in parts)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(_lines((UTF8_LINE, "utf-8")), ("UTF-8", UTF8_LINE), id="utf8"),
        pytest.param(BOM + _lines((UTF8_LINE, "utf-8")), ("UTF-8 BOM", UTF8_LINE), id="bom"),
        pytest.param(_lines((GBK_LINE, "gbk")) * 2, ("GB18030", GBK_LINE), id="gbk"),
        pytest.param(b"plain ascii\n", ("UTF-8", "plain ascii"), id="ascii"),
        pytest.param(b"", ("UTF-8", ""), id="empty"),
        # 联通 in GBK is valid two-byte UTF-8: it must not count as a UTF-8 line
        pytest.param(
            _lines(("联通", "gbk"), (GBK_LINE, "gbk")), ("GB18030", "联通"), id="liantong"
        ),
        pytest.param(
            _lines(("first line ascii", "ascii"), (GBK_LINE, "gb18030")),
            ("GB18030", GBK_LINE),
            id="gb",
        ),
        # a wide character on the line settles it: é next to 张 is UTF-8
        pytest.param("café 张\n".encode(), ("UTF-8", "café 张"), id="accent-with-hanzi"),
        # a BOM settles a line that GB18030 would read as hanzi
        pytest.param(BOM + "José\n".encode(), ("UTF-8 BOM", "José"), id="bom-accent"),
    ],
)
def test_single_encoding_decodes(raw: bytes, expected: tuple[str, str]) -> None:
    decoded = decode_bytes(raw, "x.txt")
    assert decoded.encoding == expected[0]
    assert expected[1] in decoded.text


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [
        pytest.param(
            _lines((UTF8_LINE, "utf-8"), (GBK_LINE, "gbk")),
            r"x\.txt：同一文件混用了两种编码：第 1 行是 UTF-8，而第 2 行第 1 个字节（文件偏移 83，"
            r"值 0xB1）起是 GB18030",
            id="utf8-then-gbk",
        ),
        pytest.param(
            _lines((GBK_LINE, "gbk"), ("ascii", "ascii"), (UTF8_LINE, "utf-8")),
            r"第 1 行是 GB18030，而第 3 行第 1 个字节.*起是 UTF-8",
            id="gbk-then-utf8",
        ),
        pytest.param(
            BOM + _lines((UTF8_LINE, "utf-8")) + b"\xff\n",
            r"x\.txt：文件以 UTF-8 BOM 开头，但第 2 行第 1 个字节（文件偏移 86，值 0xFF）"
            r"不是合法的 UTF-8",
            id="bom-then-invalid",
        ),
        pytest.param(
            BOM + _lines((GBK_LINE, "gbk")),
            r"文件以 UTF-8 BOM 开头，但第 1 行第 4 个字节（文件偏移 3，值 0xB1）",
            id="bom-then-gbk",
        ),
        pytest.param(
            b"abc\n\xff\xfe\n", r"第 2 行第 1 个字节.*无法按 UTF-8 或 GB18030 解码", id="junk"
        ),
        # found by Hypothesis: 郑 in GB18030 (D6 A3) is also valid UTF-8 (U+05A3)
        pytest.param(
            _lines(("000郑", "gb18030")),
            r"第 1 行第 4 个字节（文件偏移 3，值 0xD6）起的内容既是合法的 UTF-8"
            r".*读作“000郑”.*无法确定编码",
            id="gb-line-valid-as-utf8",
        ),
        pytest.param(
            _lines(("000郑", "gb18030"), ("张三", "utf-8")),
            r"第 1 行第 4 个字节.*无法确定编码",
            id="gb-narrow-then-utf8",
        ),
        pytest.param(
            _lines(("张三", "utf-8"), ("José", "utf-8")),
            r"第 2 行第 4 个字节.*读作“José”.*无法确定编码.*带 BOM 的 UTF-8",
            id="accent-only-line",
        ),
    ],
)
def test_refused_with_file_line_and_byte(raw: bytes, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        decode_bytes(raw, "x.txt")


def test_csv_with_bom_and_bad_byte_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(BOM + "person_id,姓名\nP1,".encode() + b"\xe5\x00\n")
    with pytest.raises(
        InputError, match=re.escape(str(path)) + r"：文件以 UTF-8 BOM 开头，但第 2 行"
    ):
        read_table(path)


# Property layer -------------------------------------------------------------------------------

# Characters both encodings hold, with names and numbers among them (a decoded result that
# differs from the source would show which identifier turned into mojibake).
ALPHABET = (
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤原告被住址电话身份证号省市区县路街道镇村"
    "人民法院检察院０１２３４５６７８９0123456789 ，。：（）"
)
LINE = st.text(alphabet=ALPHABET, min_size=4, max_size=40).filter(lambda s: s.strip() != "")
ENCODED_LINES = st.lists(
    st.tuples(LINE, st.sampled_from(["utf-8", "gb18030"])), min_size=1, max_size=8
)


def _check_random_bytes(raw: bytes) -> None:
    try:
        decoded = decode_bytes(raw, "r.bin")
    except InputError as exc:
        assert str(exc).startswith("r.bin：") and re.search(r"第 \d+ 行", str(exc))
        return
    body = raw[len(BOM) :] if decoded.encoding == "UTF-8 BOM" else raw
    assert decoded.text.encode("gb18030" if decoded.encoding == "GB18030" else "utf-8") == body


def _check_mixed_lines(lines: list[tuple[str, str]]) -> None:
    raw = b"".join((text + "\n").encode(enc) for text, enc in lines)
    source = "".join(text + "\n" for text, _ in lines)
    cjk = {enc for text, enc in lines if any(ord(c) >= 0x800 for c in text)}
    try:
        decoded = decode_bytes(raw, "m.txt")
    except InputError as exc:
        message = str(exc)
        assert message.startswith("m.txt：") and "第" in message and "字节" in message
        assert len(cjk) == 2 or "无法" in message
        return
    # decoded: the text must be exactly the source, so no identifier hides in mojibake
    assert decoded.text == source
    assert len(cjk) < 2


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_give_text_or_chinese_error(raw: bytes) -> None:
    _check_random_bytes(raw)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(ENCODED_LINES)
def test_lines_in_mixed_encodings_are_refused_never_mangled(lines: list[tuple[str, str]]) -> None:
    _check_mixed_lines(lines)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_deep(raw: bytes) -> None:
    _check_random_bytes(raw)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(ENCODED_LINES)
def test_mixed_lines_deep(lines: list[tuple[str, str]]) -> None:
    _check_mixed_lines(lines)


# CSV: rows of names and ID numbers, each row in its own encoding --------------------------------

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
ROW = st.tuples(
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
    st.integers(min_value=0, max_value=99_999),
    st.sampled_from(["utf-8", "gb18030"]),
)
ROWS = st.lists(ROW, min_size=1, max_size=12, unique_by=lambda r: (r[0] + r[1], r[2]))


def _csv(rows: list[tuple[str, str, int, str]]) -> tuple[bytes, list[str], list[str]]:
    names, ids = [], []
    raw = "person_id,姓名,公民身份号码\n".encode()
    for k, (surname, given_name, n, enc) in enumerate(rows):
        body = f"3307021985{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        ident = body + gb11643_check_char(body)
        names.append(surname + given_name)
        ids.append(ident)
        raw += f"P{k},{surname + given_name},{ident}\n".encode(enc)
    return raw, names, ids


def _check_csv(rows: list[tuple[str, str, int, str]], tmp: Path) -> None:
    raw, names, ids = _csv(rows)
    path = tmp / "persons.csv"
    path.write_bytes(raw)
    try:
        frame, _ = read_table(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}：") and "第" in str(exc)
        assert "gb18030" in {enc for *_, enc in rows}  # the header line is UTF-8
        return
    assert frame["姓名"].tolist() == names and frame["公民身份号码"].tolist() == ids


@settings(max_examples=50, deadline=None)
@given(ROWS)
def test_csv_rows_in_mixed_encodings_read_exactly_or_refused(
    rows: list[tuple[str, str, int, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_csv(rows, Path(tmp))


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(ROWS)
def test_csv_rows_deep(rows: list[tuple[str, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_csv(rows, Path(tmp))


def _check_release(rows: list[tuple[str, str, int, str]], tmp: Path) -> None:
    raw, names, ids = _csv(rows)
    (tmp / "in").mkdir()
    (tmp / "in" / "parties.csv").write_bytes(raw)
    try:
        desensitize_dataset(tmp / "in", tmp / "out", load_policy("teaching"), b"k" * 32)
    except InputError as exc:
        assert "parties.csv" in str(exc) and not (tmp / "out").exists()
        return
    out = pd.read_parquet(tmp / "out" / "parties.parquet").astype(str).to_csv()
    assert not [v for v in names + ids if v in out]


@settings(max_examples=5, deadline=None)
@given(ROWS)
def test_release_of_random_csv_holds_no_original(rows: list[tuple[str, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_release(rows, Path(tmp))


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(ROWS)
def test_release_of_random_csv_deep(rows: list[tuple[str, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_release(rows, Path(tmp))
