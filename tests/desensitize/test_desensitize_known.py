"""``text.known.KnownNames`` finds exactly what ``KnownNamesRecognizer`` finds (it only answers
the candidate starts by set look-ups instead of testing every name with the same first
character), on tricky layouts and on a persons-sized list of names."""

from __future__ import annotations

import random

import pytest

from desensitize.recognizers.base import SEP
from desensitize.recognizers.person_name import KnownNamesRecognizer
from desensitize.text.known import KnownNames

NAMES = ["张玉", "张玉兰", "马丽", "司马丽华", "欧阳娜娜", "于雷", "雷峰", "黄岩", "权利", "李明"]
TEXTS = [
    "收件人签名：张玉兰。张玉到庭。",  # a known name as the head of a longer one
    "被告人司马丽华与马丽系同事。",  # ... and as the tail of a compound surname
    "关于雷峰申请执行一案，于雷未到庭。",  # 于雷 inside 关于: skipped, 雷峰 found
    "台州市黄岩区人民法院；证人黄岩。",  # the district, then the person
    "欧阳娜娜、李明、张玉" + SEP + "李明" + SEP + "",  # batch separators, end of text
    "财产性权利；权利：本院",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_hits_as_recognizer(text: str) -> None:
    assert KnownNames(NAMES).find(text) == KnownNamesRecognizer(NAMES).find(text)


@pytest.mark.parametrize("names", [NAMES[:3], NAMES], ids=["few-names-str-find", "many"])
def test_same_hits_within_bounds(names: list[str]) -> None:
    text = "张玉兰和张玉、马丽华" * 3
    for lo, hi in [(0, len(text)), (1, 12), (4, 6), (5, 5)]:
        assert KnownNames(names).find(text, lo, hi) == KnownNamesRecognizer(names).find(
            text, lo, hi
        )


def test_same_hits_on_persons_sized_list() -> None:
    rng = random.Random(3)
    surnames, given = (
        "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林欧阳司马",
        "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞兰华",
    )
    names = {
        rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice([1, 2])))
        for _ in range(3000)
    }
    text = "".join(
        rng.choice([rng.choice(sorted(names)), "，", "被告人", "与", "关于", "王", "黄岩区"])
        for _ in range(4000)
    )
    assert KnownNames(names).find(text) == KnownNamesRecognizer(names).find(text)
