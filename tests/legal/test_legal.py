"""The leaf of legal facts: month counting as 刑事诉讼法第一百零五条 reads, the review deadline,
and the vocabulary file read strictly (a misspelled key is refused, not ignored)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from configkit import ConfigError, read_yaml, validate
from legal import ACTION_TYPES, ZHONGBEN, add_months, prosecution_limit
from legal.vocab import VOCAB_FILE, Vocabulary


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2023-01-15", 1, "2023-02-15"),
        ("2023-01-31", 1, "2023-02-28"),  # no 31 February: the month's last day
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2023-12-31", 2, "2024-02-29"),
        ("2023-03-31", -1, "2023-02-28"),
        ("2023-05-20", 12, "2024-05-20"),
    ],
)
def test_months_count_to_the_same_day(start: str, months: int, expected: str) -> None:
    got = add_months(np.array([start], dtype="datetime64[D]"), months)[0]
    assert str(got) == expected


def test_prosecution_limit_is_one_month_and_fifteen_days() -> None:
    received = np.array(["2023-01-31", "2023-06-10"], dtype="datetime64[D]")
    assert [str(d) for d in prosecution_limit(received)] == ["2023-03-15", "2023-07-25"]


def test_vocabulary_strings() -> None:
    assert ZHONGBEN == "终结本次执行程序"
    assert ACTION_TYPES[:2] == ("执行通知", "报告财产令")
    assert "网络查控" in ACTION_TYPES
    assert len(set(ACTION_TYPES)) == len(ACTION_TYPES)


def test_misspelled_vocabulary_key_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))
    data["closing_methods"]["zhongbne"] = data["closing_methods"].pop("zhongben")
    path = tmp_path / "vocab.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"closing_methods\.zhongbne.*closing_methods\.zhongben"):
        validate(read_yaml(path), Vocabulary, str(path))
