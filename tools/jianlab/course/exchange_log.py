"""nbgrader's exchange warnings, as the instructor reads them in `jianlab course collect`.

`collect` drives nbgrader's ExchangeCollect with jianlab's logger; its warnings reach the
instructor's terminal. nbgrader writes them in English, and one of them fires for every
submission under the shared test login (all users run as the hub's account): "… claims to be
submitted by stu1 but is owned by root; cheating attempt?". The filter rewrites the known
messages in Chinese and says when the owner warning can be ignored; other records pass unchanged.
"""

from __future__ import annotations

import logging
import re

MESSAGES = (
    (
        re.compile(
            r"(?P<path>.+) claims to be submitted by (?P<student>\S+) but is owned by "
            r"(?P<owner>.+?); cheating attempt\?.*",
            re.S,
        ),
        "{path}：提交记在学号 {student} 名下，但文件属于账户 {owner}。用系统账户登录时，"
        "这可能是替别人提交，请核实；用共享账户的试用登录（jianlab hub --auth dummy）时"
        "每份提交都会这样，可以忽略。",
    ),
    (
        re.compile(r"No submissions of '(?P<lab>[^']*)' for course '(?P<course>[^']*)' to collect"),
        "课程 {course} 的实验 {lab} 还没有可收取的提交。",
    ),
)


class ChineseExchangeLog(logging.Filter):
    """Rewrites nbgrader's known exchange warnings in Chinese; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().strip()
        for pattern, chinese in MESSAGES:
            found = pattern.fullmatch(message)
            if found:
                record.msg, record.args = chinese.format(**found.groupdict()), ()
                break
        return True
