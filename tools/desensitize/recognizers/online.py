"""E-mail addresses and QQ / WeChat / Alipay account ids named in context."""

from __future__ import annotations

import re

from desensitize.recognizers.base import PatternRecognizer


class EmailRecognizer(PatternRecognizer):
    name = "email"
    entities = ("EMAIL",)
    pattern = re.compile(
        r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    )
    base_score = 0.95
    gate = ("@",)


class OnlineAccountRecognizer(PatternRecognizer):
    """The id after QQ/微信/支付宝, and a WeChat internal id (wxid_…) wherever it stands: that
    prefix is WeChat's own, so it needs no label (登录账号wxid_…); only the id is the span."""

    name = "online_account"
    entities = ("ONLINE_ID",)
    pattern = re.compile(
        r"(?:(?:QQ|qq|微信|WeChat|wechat|支付宝)(?:号码|账号|帐号|号|ID|id)?(?:为|是)?[:：\s]*"
        r"|(?<![-_A-Za-z0-9])(?=wxid_))"
        r"(wxid_[a-z0-9]{6,24}|[A-Za-z][-_A-Za-z0-9]{5,19}|[1-9]\d{4,11}"
        r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
        r"(?![-_A-Za-z0-9])"
    )
    group = 1
    base_score = 0.85
