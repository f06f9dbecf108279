"""Operators: table-driven behaviour, key-consistency and the court numbering rule."""

from __future__ import annotations

import datetime as dt
import hmac

import pyarrow as pa
import pytest

from desensitize import Desensitizer, OperatorContext, get_operator, load_policy
from desensitize.keyed import BULK_HASH_MIN, digests
from desensitize.operators import pseudonym as pseudonym_module
from desensitize.operators.date_shift import shift_days
from desensitize.operators.pseudonym import SMALL_BATCH, PseudonymExhausted
from desensitize.recognizers.cn_plate import PlateRecognizer
from zhcodes import gb11643_valid, gb32100_valid, luhn_valid

KEY = b"operator-test-key-0123456789"


def run(
    op: str,
    entity: str,
    value: str,
    params: dict[str, object] | None = None,
    ctx: OperatorContext | None = None,
) -> str:
    operator = get_operator(op)
    return operator.operate(
        entity, value, operator.validate(params or {}), ctx or OperatorContext(key=KEY)
    )


@pytest.mark.parametrize(
    ("op", "entity", "value", "params", "expected"),
    [
        ("keep", "PERSON", "张三", {}, "张三"),
        ("redact", "PHONE", "13812342345", {}, ""),
        ("redact", "PHONE", "13812342345", {"replacement": "××"}, "××"),
        ("replace", "PHONE", "13812342345", {}, "〔电话〕"),
        ("mask", "PHONE", "13812342345", {}, "138****2345"),
        ("mask", "PHONE", "138 1234 2345", {}, "138****2345"),
        ("mask", "PHONE", "1234", {}, "****"),
        (
            "mask",
            "BANK_CARD",
            "6222021234567890128",
            {"keep_start": 6, "keep_end": 4, "char": "×"},
            "622202×××××××××0128",
        ),
        ("surname_mou", "PERSON", "张三", {}, "张某"),
        ("surname_mou", "PERSON", "李晓梅", {}, "李某"),
        ("surname_mou", "PERSON", "欧阳娜娜", {}, "欧阳某"),
        ("surname_mou", "PERSON", "欧阳", {}, "欧某"),
        ("surname_mou", "PERSON", "阿依古丽·买买提", {}, "阿某"),
        ("surname_mou", "PERSON", "约翰·史密斯", {}, "约某"),
        ("surname_mou", "PERSON", "John Smith", {}, "J"),
        ("generalize", "DATE", "1985-03-05", {"to": "year"}, "1985年"),
        (
            "generalize",
            "ID_CARD",
            "330702198503051235",
            {"to": "region_year"},
            "浙江省金华市婺城区1985年生",
        ),
        (
            "generalize",
            "ADDRESS",
            "浙江省金华市婺城区城北街道人民路88号",
            {"to": "county"},
            "浙江省金华市婺城区",
        ),
        ("generalize", "ADDRESS", "人民路88号", {"to": "county"}, ""),
    ],
)
def test_operator_table(
    op: str, entity: str, value: str, params: dict[str, object], expected: str
) -> None:
    assert run(op, entity, value, params) == expected


@pytest.mark.parametrize(
    ("params", "error"),
    [({"keep_start": -1}, "keep_start"), ({"char": "**"}, "char"), ({"bogus": 1}, "bogus")],
)
def test_mask_rejects_bad_params(params: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        get_operator("mask").validate(params)


def test_age_band_uses_reference_date() -> None:
    ctx = OperatorContext(key=KEY, reference_date=dt.date(2024, 3, 4))
    assert run("generalize", "DATE", "1985-03-05", {"to": "age_band", "band": 5}, ctx) == "35-39岁"


def test_court_numbering_on_collision() -> None:
    des = Desensitizer(load_policy("court"))
    out = des.text("被告人张三、张四与证人张三峰，被告人张三供述。").text
    assert out == "被告人张某1、张某2与证人张某3，被告人张某1供述。"


@pytest.mark.parametrize(
    ("entity", "value", "check"),
    [
        ("ID_CARD", "11010519491231002X", gb11643_valid),
        ("BANK_CARD", "6222021234567890128", luhn_valid),
        ("USCC", "91330100799655058B", gb32100_valid),
        ("PHONE", "13912345678", lambda s: len(s) == 11 and s[0] == "1" and s.isdigit()),
        (
            "PLATE",
            "浙GD12345",
            lambda s: PlateRecognizer.pattern.fullmatch(s) is not None and s[2] == "D",
        ),
        ("PERSON", "张三", lambda s: 2 <= len(s) <= 4 and s != "张三"),
    ],
)
def test_surrogates_look_real_and_differ(entity: str, value: str, check: object) -> None:
    out = run("pseudonym", entity, value, {"style": "surrogate"})
    assert out != value
    assert callable(check) and check(out)


def test_id_surrogate_keeps_birth_year_and_sex() -> None:
    out = run("pseudonym", "ID_CARD", "11010519491231002X", {"style": "surrogate"})
    assert out[6:10] == "1949" and int(out[16]) % 2 == 0


@pytest.mark.parametrize("style", ["token", "surrogate"])
def test_pseudonym_is_consistent_per_key_and_differs_across_keys(style: str) -> None:
    a1 = run("pseudonym", "PERSON", "李晓梅", {"style": style}, OperatorContext(key=KEY))
    a2 = run("pseudonym", "PERSON", "李晓梅", {"style": style}, OperatorContext(key=KEY))
    b = run(
        "pseudonym",
        "PERSON",
        "李晓梅",
        {"style": style},
        OperatorContext(key=b"another-key-0123456789"),
    )
    assert a1 == a2 and a1 != b


def test_pseudonym_normalizes_spelling_variants() -> None:
    ctx = OperatorContext(key=KEY)
    assert run("pseudonym", "ID_CARD", "11010519491231002x", {}, ctx) == run(
        "pseudonym", "ID_CARD", "11010519491231002X", {}, ctx
    )
    assert run("pseudonym", "PHONE", "+86 139 1234 5678", {}, ctx) == run(
        "pseudonym", "PHONE", "13912345678", {}, ctx
    )


def test_pseudonym_without_key_is_an_error() -> None:
    with pytest.raises(ValueError, match="密钥"):
        run("pseudonym", "PERSON", "张三", {}, OperatorContext())


def test_column_path_matches_text_path() -> None:
    op = get_operator("pseudonym")
    params = op.validate({"style": "surrogate"})
    values = ["11010519491231002X", "330702850305123", "11010519491231002X", None]
    column = op.map_column("ID_CARD", pa.array(values), params, OperatorContext(key=KEY))  # type: ignore[attr-defined]
    single = [run("pseudonym", "ID_CARD", v, {"style": "surrogate"}) for v in values[:3]]
    assert column.to_pylist()[:3] == single
    assert column.to_pylist()[3] is None


def test_surrogates_never_equal_a_forbidden_original() -> None:
    ctx = OperatorContext(key=KEY)
    first = run("pseudonym", "PERSON", "张三", {"style": "surrogate"}, OperatorContext(key=KEY))
    ctx.originals["PERSON"] = {first}
    assert run("pseudonym", "PERSON", "张三", {"style": "surrogate"}, ctx) != first


def test_date_shift_keeps_intervals_within_a_case() -> None:
    ctx = OperatorContext(key=KEY, case_id="C001")
    a = run("date_shift", "DATE", "2023年3月5日", {}, ctx)
    b = run("date_shift", "DATE", "2023-03-12", {}, ctx)
    da = dt.date(*map(int, a.replace("年", "-").replace("月", "-").rstrip("日").split("-")))
    db = dt.date.fromisoformat(b)
    assert (db - da).days == 7 and a != "2023年3月5日"


def test_date_shift_whole_weeks_never_zero() -> None:
    days = shift_days(KEY, [f"C{i}" for i in range(500)], 8)
    assert (days % 7 == 0).all() and (days != 0).all() and abs(days).max() <= 56


@pytest.mark.parametrize(
    ("values", "offset"),
    [
        ([f"11010519{i:010d}" for i in range(BULK_HASH_MIN + 3)], 0),  # ID-like ASCII
        ([f"张{i}·阿依古丽" for i in range(BULK_HASH_MIN + 9)], 5),  # multi-byte, sliced array
        ([f"v{i % 7}" for i in range(BULK_HASH_MIN)], 0),  # short, repeated values
    ],
)
def test_bulk_hmac_equals_the_standard_library(values: list[str], offset: int) -> None:
    """Large Arrow columns are hashed by DuckDB: every byte must equal ``hmac.digest``."""
    key = b"bulk-key-0123456789abcdef"
    arr = pa.array(values).slice(offset)
    bulk = digests(key, "PERSON", arr, attempt=3)
    assert bulk.shape == (len(values) - offset, 32)
    for i in (0, 1, len(arr) // 2, len(arr) - 1):
        expected = hmac.digest(key, f"PERSON\x1f3\x1f{values[offset + i]}".encode(), "sha256")
        assert bytes(bulk[i]) == expected
    small = digests(key, "PERSON", values[offset : offset + 50], attempt=3)
    assert (bulk[:50] == small).all()


@pytest.mark.parametrize("count", [3, SMALL_BATCH + 5])  # the list path and the Arrow path
def test_exhausted_redraws_stop_with_a_chinese_error(
    monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """When every draw clashes the release must stop (a ValueError the CLI reports), never
    hand out a replacement that equals or holds a real value."""
    monkeypatch.setattr(pseudonym_module, "MAX_ATTEMPTS", 0)
    op = get_operator("pseudonym")
    params = op.validate({"style": "surrogate"})
    values = [f"张{i:04d}" for i in range(count)]
    with pytest.raises(PseudonymExhausted, match="次重抽后仍有") as info:
        op.map_values("PERSON", values, params, OperatorContext(key=KEY))  # type: ignore[attr-defined]
    assert isinstance(info.value, ValueError) and f"仍有 {count} 个" in str(info.value)
