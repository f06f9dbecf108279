"""Name → recognizer class; a policy enables a subset by name."""

from __future__ import annotations

from collections.abc import Iterable

from desensitize.recognizers.base import Recognizer
from desensitize.recognizers.certificates import (
    PassportNumberRecognizer,
    PassportRecognizer,
    PropertyCertificateRecognizer,
)
from desensitize.recognizers.cn_address import AddressRecognizer
from desensitize.recognizers.cn_id import ResidentId15Recognizer, ResidentId18Recognizer
from desensitize.recognizers.cn_phone import (
    InternationalPhoneRecognizer,
    LandlineRecognizer,
    MobileRecognizer,
)
from desensitize.recognizers.cn_plate import PlateRecognizer
from desensitize.recognizers.dates import DateRecognizer
from desensitize.recognizers.finance import (
    BankCardRecognizer,
    InsurancePolicyRecognizer,
    LabeledAccountRecognizer,
    UsccRecognizer,
)
from desensitize.recognizers.online import EmailRecognizer, OnlineAccountRecognizer
from desensitize.recognizers.person_alias import AliasRecognizer, LatinNameRecognizer
from desensitize.recognizers.person_anchored import AnchoredNameRecognizer
from desensitize.recognizers.person_case_title import CaseTitleNameRecognizer
from desensitize.recognizers.person_id_aside import IdAsideNameRecognizer
from desensitize.recognizers.person_layout import ProfileNameRecognizer, TableNameRecognizer
from desensitize.recognizers.person_lists import (
    LedgerNameRecognizer,
    SpeakerNameRecognizer,
    TitledNameRecognizer,
)
from desensitize.recognizers.person_name import (
    MaskedNameRecognizer,
    MinorityNameRecognizer,
)
from desensitize.recognizers.person_repeated import RepeatedNameRecognizer
from desensitize.recognizers.person_rows import LedgerRowNameRecognizer
from desensitize.recognizers.person_segmented import SegmentedNameRecognizer
from desensitize.recognizers.person_tree import FamilyTreeNameRecognizer
from desensitize.recognizers.vin import VinRecognizer

RECOGNIZERS: dict[str, type[Recognizer]] = {
    cls.name: cls
    for cls in (
        ResidentId18Recognizer,
        ResidentId15Recognizer,
        MobileRecognizer,
        LandlineRecognizer,
        InternationalPhoneRecognizer,
        BankCardRecognizer,
        UsccRecognizer,
        InsurancePolicyRecognizer,
        LabeledAccountRecognizer,
        PlateRecognizer,
        PropertyCertificateRecognizer,
        PassportRecognizer,
        PassportNumberRecognizer,
        VinRecognizer,
        EmailRecognizer,
        OnlineAccountRecognizer,
        AddressRecognizer,
        AnchoredNameRecognizer,
        MinorityNameRecognizer,
        AliasRecognizer,
        LatinNameRecognizer,
        ProfileNameRecognizer,
        TableNameRecognizer,
        RepeatedNameRecognizer,
        CaseTitleNameRecognizer,
        IdAsideNameRecognizer,
        LedgerNameRecognizer,
        LedgerRowNameRecognizer,
        FamilyTreeNameRecognizer,
        SegmentedNameRecognizer,
        SpeakerNameRecognizer,
        TitledNameRecognizer,
        MaskedNameRecognizer,
        DateRecognizer,
    )
}


class RecognizerRegistry:
    """The instantiated recognizers a run uses (each builds its regexes once)."""

    def __init__(self, recognizers: Iterable[Recognizer]) -> None:
        self.recognizers = list(recognizers)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> RecognizerRegistry:
        unknown = [n for n in names if n not in RECOGNIZERS]
        if unknown:
            raise KeyError(f"未知识别器：{', '.join(unknown)}；可用：{', '.join(RECOGNIZERS)}")
        return cls(RECOGNIZERS[n]() for n in names)

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.recognizers]


def default_registry() -> RecognizerRegistry:
    return RecognizerRegistry.from_names(list(RECOGNIZERS))
