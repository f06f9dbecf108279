"""configkit turns pydantic errors into Chinese sentences naming the file, the key path and, for
a misspelled key, the closest valid one; YAML syntax errors name the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from configkit import ConfigError, StrictModel, read_yaml, validate


class Suspects(StrictModel):
    male_share: float = Field(ge=0, le=1, description="男性占比")
    ages: list[int] = Field(default_factory=list, description="年龄")


class Model(StrictModel):
    suspects: Suspects = Field(description="嫌疑人")
    arrest: dict[str, Suspects] = Field(default_factory=dict, description="按年份")
    layers: list[Suspects] = Field(default_factory=list, description="列表")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"suspects": {"male_shar": 0.8}}, ["未知的键 suspects.male_shar", "suspects.male_share"]),
        ({"suspect": {"male_share": 0.8}}, ["未知的键 suspect", "是否想写 suspects"]),
        (
            {"suspects": {"male_share": 0.5}, "arrest": {"2021": {"male_sahre": 1}}},
            ["未知的键 arrest.2021.male_sahre", "arrest.2021.male_share"],
        ),
        (
            {"suspects": {"male_share": 0.5}, "layers": [{"male_share": 0.1, "agez": [1]}]},
            ["未知的键 layers.0.agez", "layers.0.ages"],
        ),
        ({"suspects": {"male_share": "多"}}, ["suspects.male_share", "应为数字"]),
        ({"suspects": {"male_share": 2}}, ["suspects.male_share", "应不大于 1"]),
        ({"suspects": {}}, ["缺少必需的键 suspects.male_share"]),
        ({"suspects": {"male_share": 0.5, "zzzzzz": 1}}, ["未知的键 suspects.zzzzzz"]),
        ("不是映射", ["情景.yaml 不符合要求"]),
    ],
)
def test_errors_name_the_key_in_chinese(data: object, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        validate(data, Model, "情景.yaml")
    message = str(info.value)
    assert message.startswith("情景.yaml 不符合要求")
    for part in expected:
        assert part in message


def test_no_suggestion_for_a_key_unlike_any_other() -> None:
    with pytest.raises(ConfigError) as info:
        validate({"suspects": {"male_share": 0.5, "zzzzzz": 1}}, Model, "x")
    assert "是否想写" not in str(info.value)


def test_valid_data_passes() -> None:
    model = validate({"suspects": {"male_share": 0.5}}, Model, "x")
    assert model.suspects.male_share == 0.5


class OwnError(ValueError):
    pass


def test_caller_error_class(tmp_path: Path) -> None:
    with pytest.raises(OwnError):
        validate({}, Model, "x", error=OwnError)
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(OwnError, match=r"不是有效的 YAML（第 \d+ 行"):
        read_yaml(bad, error=OwnError)


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"\xff\xfe\x00bad", "不是 UTF-8"), (None, "文件不存在")],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, match: str) -> None:
    path = tmp_path / "p.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=match):
        read_yaml(path)
