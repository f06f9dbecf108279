"""Loads the shipped word lists once and exposes them as frozen sets and compiled patterns."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from faker.providers.person.zh_CN import Provider as _ZhPerson

from desensitize.trie import trie_pattern


@dataclass(frozen=True)
class Lexicon:
    single_surnames: frozenset[str]
    compound_surnames: frozenset[str]
    surname_weights: dict[str, float]
    given_name_chars: tuple[str, ...]
    person_anchors: tuple[str, ...]
    official_anchors: tuple[str, ...]
    official_labels: tuple[str, ...]
    neutral_labels: frozenset[str]
    servant_prefixes: tuple[str, ...]
    yi_clan_names: frozenset[str]
    tibetan_syllables: tuple[str, ...]
    alias_blanks: frozenset[str]
    case_file_roles: frozenset[str]
    official_context: tuple[str, ...]
    private_records: tuple[str, ...]
    name_stop_chars: frozenset[str]
    name_followers: tuple[str, ...]
    common_words: tuple[str, ...]
    ethnic_groups: tuple[str, ...]
    context: dict[str, tuple[str, ...]]
    alias_anchors: tuple[str, ...]
    quote_anchors: tuple[str, ...]
    minority_name_heads: tuple[str, ...]
    table_name_headers: frozenset[str]
    profile_non_names: frozenset[str]
    weak_person_anchors: tuple[str, ...]
    organization_breakers: tuple[str, ...]
    anchor_fillers: tuple[str, ...]
    address_titles: tuple[str, ...]
    predicate_words: frozenset[str]
    signature_labels: tuple[str, ...]
    clause_time_words: tuple[str, ...]
    cue_compounds: tuple[str, ...]
    case_title_crimes: tuple[str, ...]
    # bare kinship words (夫, 长子, 女婿): the labels of a family tree's nodes
    kin_terms: tuple[str, ...]
    # reduplicated words (常常, 明明) that a reduplicated given name must not be taken for
    reduplicated_words: frozenset[str]
    # characters given names are made of: Faker's and the wide surrogate space's
    # (data/surrogate_names.yaml); 文明 and 和平 read as names, 单位 and 信息 do not
    name_chars: frozenset[str]

    def is_surname_at(self, text: str, pos: int) -> int:
        """Length of the surname starting at ``pos`` (compound first), 0 if none."""
        if text[pos : pos + 2] in self.compound_surnames:
            return 2
        return 1 if text[pos : pos + 1] in self.single_surnames else 0


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """Regex matching any of ``words``, the longest where several start at one position (被告人
    wins over 被告), shaped as a trie: a flat alternation of a few hundred words makes the
    regex engine try every branch at every position (docs/desensitize-recall.md)."""
    return trie_pattern(words)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = yaml.safe_load(
        resources.files("desensitize").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    )
    weights = {str(k): float(v) for k, v in _ZhPerson.last_names.items()}
    compound = frozenset(raw["compound_surnames"]) | {s for s in weights if len(s) == 2}
    for name in compound:
        weights.setdefault(name, 0.01)
    extra = {c: 0.01 for c in raw["extra_surnames"] if c not in weights}
    given_chars = sorted({c for name in _ZhPerson.first_names for c in name})
    return Lexicon(
        # the extra surnames are recognized but never drawn for surrogates (weights unchanged)
        single_surnames=frozenset(s for s in [*weights, *extra] if len(s) == 1),
        compound_surnames=compound,
        surname_weights=weights,
        given_name_chars=tuple(given_chars),
        person_anchors=(
            *raw["person_anchors"],
            *_composed(raw["kin_prefixes"], raw["kin_terms"]),
            *_composed(raw["occupation_stems"], raw["occupation_suffixes"]),
        ),
        official_anchors=tuple(raw["official_anchors"]),
        official_labels=tuple(raw["official_labels"]),
        neutral_labels=frozenset(raw["neutral_labels"]),
        servant_prefixes=tuple(raw["servant_prefixes"]),
        yi_clan_names=frozenset(raw["yi_clan_names"]),
        tibetan_syllables=tuple(raw["tibetan_syllables"]),
        alias_blanks=frozenset(raw["alias_blanks"]),
        case_file_roles=frozenset(raw["case_file_roles"]),
        official_context=tuple(raw["official_context"]),
        private_records=tuple(raw["private_records"]),
        name_stop_chars=frozenset(raw["name_stop_chars"]),
        name_followers=tuple(raw["name_followers"]),
        common_words=tuple(raw["common_words"]),
        ethnic_groups=tuple(raw["ethnic_groups"]),
        context={k: tuple(v) for k, v in raw["context"].items()},
        alias_anchors=tuple(raw["alias_anchors"]),
        quote_anchors=tuple(raw["quote_anchors"]),
        minority_name_heads=tuple(raw["minority_name_heads"]),
        table_name_headers=frozenset(raw["table_name_headers"]),
        profile_non_names=frozenset(raw["profile_non_names"]),
        weak_person_anchors=(
            *raw["weak_person_anchors"],
            *_composed(raw["person_nouns"], raw["person_links"]),
        ),
        organization_breakers=tuple(raw["organization_breakers"]),
        anchor_fillers=tuple(raw["anchor_fillers"]),
        address_titles=tuple(raw["address_titles"]),
        predicate_words=frozenset(raw["predicate_words"]),
        signature_labels=_two_characters(raw["signature_labels"], "signature_labels"),
        clause_time_words=tuple(raw["clause_time_words"]),
        cue_compounds=tuple(raw["cue_compounds"]),
        case_title_crimes=tuple(raw["case_title_crimes"]),
        kin_terms=(*raw["kin_terms"], *raw["tree_kin_terms"]),
        reduplicated_words=frozenset(raw["reduplicated_words"]),
        name_chars=frozenset(given_chars) | _wide_name_chars(),
    )


def _composed(heads: list[str], tails: list[str]) -> tuple[str, ...]:
    """Every head + tail (其 + 妻子, 男子 + 名叫): relations and descriptions are open-ended in
    prose, their parts are not."""
    return tuple(h + t for h in heads for t in tails)


def _two_characters(words: list[str], key: str) -> tuple[str, ...]:
    """Words a fixed-width look-behind reads (the regex skips ahead to the colon after them)."""
    wrong = [w for w in words if len(w) != 2]
    if wrong:
        raise ValueError(f"lexicon.yaml 的 {key} 只能是两个字的词：{wrong}")
    return tuple(words)


def _wide_name_chars() -> frozenset[str]:
    raw = yaml.safe_load(
        resources.files("desensitize")
        .joinpath("data/surrogate_names.yaml")
        .read_text(encoding="utf-8")
    )
    return frozenset(c for c in str(raw["given_name_chars"]) if not c.isspace())
