"""nbgrader's exchange warnings reach the instructor in Chinese (`jianlab course collect`)."""

from __future__ import annotations

import logging

import pytest

from jianlab.course.exchange_log import ChineseExchangeLog

OWNER = (
    "\n/srv/课程/exchange/jc/inbound/stu1+lab01+2026-12-07 12:00:00.1 UTC+aB3 claims to be "
    "submitted by stu1 but is owned by root; cheating attempt?\nyou may disable this warning "
    "by unsetting the option CollectApp.check_owner\n"
)


@pytest.mark.parametrize(
    ("message", "args", "expected"),
    [
        (
            OWNER,
            (),
            "/srv/课程/exchange/jc/inbound/stu1+lab01+2026-12-07 12:00:00.1 UTC+aB3：提交记在学号 "
            "stu1 名下，但文件属于账户 root。",
        ),
        ("No submissions of '%s' for course '%s' to collect", ("lab01", "jc"), "课程 jc 的实验"),
        ("Collecting submission: %s %s", ("stu1", "lab01"), "Collecting submission: stu1 lab01"),
        ("claims to be submitted", (), "claims to be submitted"),  # not the whole message
    ],
)
def test_known_warnings_are_rewritten(message: str, args: tuple[str, ...], expected: str) -> None:
    record = logging.LogRecord("jianlab.exchange", logging.WARNING, "", 1, message, args, None)
    assert ChineseExchangeLog().filter(record) is True
    assert record.getMessage().startswith(expected)
    if record.getMessage() != message % args:
        assert "cheating" not in record.getMessage() and "No submissions" not in record.getMessage()
