"""Cues added after the thirteenth hard-set batch (docs/desensitize-recall.md): bank branches
stay whole, signature-line labels (复核：, 制单：) announce names, chat nicknames (阿X, 老X, 小X)
of persons found in the same text are aliases, a time adverb (那天, 当晚) may open a clause
whose subject is a name, and 记录人 names an official only in a case file.
One row per rule, with the near misses each rule must leave alone."""

from __future__ import annotations

from functools import lru_cache

import pytest

from desensitize import Analyzer, Desensitizer
from desensitize.lexicon import _two_characters
from desensitize.policy import load_policy


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return Analyzer()


def _names(text: str) -> list[str]:
    return [text[s.start : s.end] for s in _analyzer().analyze(text) if s.entity == "PERSON"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a branch after the bank's name: 西工 ends in the job suffix 工, 支 is a surname
        ("收款人：伍振邦，开户行：中国农业银行洛阳西工支行", ["伍振邦"]),
        ("| 户名 | 开户行 |\n| 伍振邦 | 中国农业银行洛阳西工支行 |", ["伍振邦"]),
        ("| 户名 | 开户行 |\n| 伍振邦 | 洛阳西工支行 |", ["伍振邦"]),
        ("汇入交通银行平顶山分行营业部，证人储建平在该储蓄所工作", ["储建平"]),
        ("经办人：车宏伟，开户行：农商银行城关支行营业室", ["车宏伟"]),
        # the branch's head still reads a name after its role word
        ("农业银行西峡支行行长阎振华称对此不知情", ["阎振华"]),
        # signature labels at a line or field start
        ("经办人：欧阳建新    复核：司徒慧敏", ["欧阳建新", "司徒慧敏"]),
        ("制单：温晓东  审核：姬文华  出纳：褚丽娟", ["温晓东", "姬文华", "褚丽娟"]),
        ("制表：谢春燕\n校对：邬海燕", ["谢春燕", "邬海燕"]),
        # a label with no name after it, or inside a sentence
        ("复核：无误    审核：同意    负责人：（签字）", []),
        ("该笔款项经审核：同意拨付。", []),
        # nicknames of a name found in the same text, in display-name or alias position
        ("“阿坤-建材”（被执行人龚志坤）：钱再宽限半个月", ["阿坤", "龚志坤"]),
        ("群聊（被告人郑晓芳）：\n小芳 2023-08-14 20:31\n货到了吗", ["郑晓芳", "小芳"]),
        ("“阿梅”系被告人之妻苗春梅的微信昵称", ["阿梅", "苗春梅"]),
        ("被告人滕国强供述：大家都叫我“老强”", ["滕国强", "老强"]),
        ("一起干活的柏建军叫“小军”", ["柏建军", "小军"]),
        # same shape, no alias position, or no name in the text holds the character
        ("被害人金心怡说那天他说了句“小心”", ["金心怡"]),
        ("被告人王家明回老家后，“老地方”见面", ["王家明"]),
        ("“阿坤-建材”：钱再宽限半个月", []),
        # a time adverb opening a clause, then a full name ending cleanly
        ("那天翟海林在老林场门口等我", ["翟海林"]),
        ("当晚王立军在家", ["王立军"]),
        ("当天下午王某在家，随后向东逃离", []),
        ("随后关机，次日凌晨方知", []),
        # a weak cue inside a common word is none (方向 holds 向)
        ("随后方向盘失灵。", []),
        # 记录人 is court or police staff in a case file, a private person in company minutes
        ("约谈人：王春梅　　记录人：周华\n被约谈人：崔婷婷", ["崔婷婷"]),
        ("会议纪要\n记录人：戚文杰    校对：邬海燕", ["戚文杰", "邬海燕"]),
    ],
)
def test_cues(text: str, names: list[str]) -> None:
    assert _names(text) == names


def test_a_branch_name_in_a_table_survives_release() -> None:
    """The held-out case: the branch name came out as 中国农业银行洛阳西工沙凯华."""
    text = "| 户名 | 开户行 | 金额 |\n| 伍振邦 | 中国农业银行洛阳西工支行 | 3,000元 |"
    out = Desensitizer(load_policy("teaching"), key=b"k" * 32).text(text).text
    assert ("中国农业银行洛阳西工支行" in out, "伍振邦" in out) == (True, False)


@pytest.mark.parametrize(
    ("words", "ok"), [(["复核", "制单"], True), (["复核", "审核人"], False), (["核"], False)]
)
def test_signature_labels_must_have_two_characters(words: list[str], ok: bool) -> None:
    if ok:
        assert _two_characters(words, "signature_labels") == tuple(words)
    else:
        with pytest.raises(ValueError, match="两个字"):
            _two_characters(words, "signature_labels")
