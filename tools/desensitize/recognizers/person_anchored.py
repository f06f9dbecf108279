"""Names announced by a role word (被告人, 证人, 其妻 …), the names listed after it (、和及与, a
numbered list, a remark in parentheses between them), and names after weaker cues: prepositions
and verbs (帮, 向, 认识), job titles (店长, 村民代表, 主任) and form labels (欠款人：).

Every reading here starts at a cue the text gives; the parser (``person_name.NameParser``)
decides where the name ends. Candidates go through the shared filter
(``recognizers.base.CandidateFilter``), which also turns away a surname + form of address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from desensitize.lexicon import alternation, load_lexicon
from desensitize.recognizers.base import (
    CJK,
    SEP,
    Candidate,
    CandidateFilter,
    Doc,
    HitRecognizer,
)
from desensitize.recognizers.person_name import (
    OVER_WORD,
    PLACE_SUFFIXES,
    NameReader,
    address_form,
    ends_common_word,
    is_cjk,
)
from desensitize.types import Hit

_LIST_JOINERS = "、和及与"
_BEFORE_ROLE = frozenset(_LIST_JOINERS + "的之其")
# what ends a list item cleanly: the next joiner or the list's end
_CLEAN_ITEM_END = frozenset("、，,。；;")
# A remark in parentheses between the names of a list: （系陶建勋之兄）
_ASIDE = re.compile(r"[(（][^()（）\n]{1,20}[)）](?=[、和及与]|[；;，,\n]\s*\d{1,2}[.、．])")
# The next item of a numbered list: 出庭证人：1.宗立新；2.雷晓娟
_NEXT_ITEM = re.compile(r"[；;，,\n]\s*\d{1,2}[.、．]\s*")
# A description between a role word and a name set off by a space: 见证人：居委会工作人员 尤丽娜
_DESCRIBED = re.compile(f"[^\\s，。；：、,;:（()）]{{2,10}}[ \u3000]+(?=[{CJK}A-Z])")
# What stands before a form label (欠款人：): a line start, punctuation or a space
_LABEL_BEFORE = frozenset(f"\n{SEP}，。；;, \t\u3000")
# Prepositions that are surnames too: a reading starting with one must end cleanly
_PREPOSITIONS = frozenset("向和与同跟对把给从由于在将")
# Words of organization names a low-score reading must not run into (王氏集团 → 王氏集)
_ORG_WORD = re.compile("公司|集团|银行|合作社|商行|经营部|事务所|工厂|厂|中心|协会|医院|学校")
# Units of a bank or credit union that read as surname + name (支行, 储蓄所, 信用社): after a weak
# cue (西工支行: 工 ends a job title) they continue an organization name, never start a name
_ORG_UNIT = re.compile("支行|分行|支局|储蓄|信用社|信用分社|营业[部所室厅]|分理处")


class AnchoredNameRecognizer(HitRecognizer):
    """Names right after a role word (被告人, 证人, 其妻 …), and names listed after it (、和)."""

    name = "person_anchored"
    entities = ("PERSON",)

    def __init__(self) -> None:
        lex = load_lexicon()
        self.reader = NameReader(lex)
        # a signature line may note (签名) between the role and the name: 被约谈人（签名）：; a
        # name follows a colon or at most two spaces (more spaces separate table columns)
        # a remark on the role in parentheses (上诉人（原审被告人）), a list number (证人：1.)
        # and a filler word (被害人包括, 户名分别为) may stand between the role and the name
        self.anchor = re.compile(
            f"(?:{alternation(lex.person_anchors)})"
            "(?:[(（](?:签名|签字|签章|盖章|[^()（）\\n]{0,6}[人告方])[)）])?"
            "(?:\\s*[：:]\\s*|[ \\t]{1,2}|)(?:\\d{1,2}[.、．]\\s*)?"
            f"(?:(?:{alternation(lex.anchor_fillers)})[：:]?)?"
        )
        # a surname must follow (checked inside the regex: these words are frequent)
        heads = "".join(sorted(lex.single_surnames | {c[0] for c in lex.compound_surnames}))
        self.weak = re.compile(f"{alternation(lex.weak_person_anchors)}(?=[{heads}])")
        self.time_words = re.compile(f"{alternation(lex.clause_time_words)}(?=[{heads}])")
        # a word the anchor's last character begins (同时, 同居): no anchor there
        self.cue_compound = re.compile(alternation(lex.cue_compounds))
        # job titles ending in 长, 师, 员, 表, 记, 贩, 商 or 工 (店长, 厨师, 村民代表, 书记, 肉贩),
        # 主任 and 村民/居民/农民…; the
        # look-behind follows the title's last character so that the regex engine can skip
        # ahead to it
        self.titles = re.compile(
            f"(?:[长师员表记贩商工](?<=[{CJK}][长师员表记贩商工])|任(?<=主任)"
            f"|民(?<=[村居农牧渔市网股]民))(?=[{heads}])"
        )
        # a form's label ending in 人 before a colon (欠款人：, 证明人：): a role word the list
        # does not hold yet; the name after it must read cleanly
        self.label = re.compile("人[：:][ \\t]*")
        # a signature line's two-character labels (复核：, 制单：); found from the colon
        self.signature = re.compile(
            f"[：:](?<=(?:{'|'.join(lex.signature_labels)})[：:])[ \\t\u3000]*"
        )
        # a reading that is itself a role word (发现顾客使用…) names nobody
        self.filter = CandidateFilter(
            None,
            (address_form(lex),),
            words=frozenset(lex.person_anchors),
            reject_ends=frozenset(t[-1] for t in lex.address_titles),
        )
        # first characters of the role words: the walk tries the regex only where one starts
        self.anchor_heads = frozenset(w[0] for w in lex.person_anchors)

    def hits(self, doc: Doc) -> list[Hit]:
        text = doc.text
        found = [*self._listed(text), *self._weak(text), *self._after_time_words(text)]
        return self.filter.hits(text, found)

    def _after_time_words(self, text: str) -> Iterator[Candidate]:
        """A three-character name opening a clause after a time adverb (那天翟海林在…)."""
        parser = self.reader.parser
        for a in self.time_words.finditer(text):
            parsed = parser.parse(text, a.end())
            if parsed is not None and parsed[1] >= 0.9 and parsed[0] - a.end() >= 3:
                yield a.end(), parsed[0], 0.8, self.name

    def _listed(self, text: str) -> Iterator[Candidate]:
        """The name after each role word, and the names listed after it (、和及与)."""
        for a in self.anchor.finditer(text):
            pos = a.end()
            first = True
            heads = self.anchor_heads
            while pos < len(text):
                if (text[pos] in heads and self.anchor.match(text, pos)) or (
                    text[pos] in _BEFORE_ROLE
                    and text[pos + 1 : pos + 2] in heads
                    and self.anchor.match(text, pos + 1)
                ):
                    # 其弟帕提古丽·依明, 堂兄和表弟, 被执行人的配偶热娜古丽: the nearer role
                    # word reads the name (the scan meets it next)
                    break
                read = self.reader.read(text, pos)
                if first and (read is None or 0 < read[1] < 0.9):
                    pos, read = self._described(text, pos, read)
                if read is None:
                    break
                end, score, over_word = read
                if (
                    0 < score < 0.9
                    and not over_word
                    and (text[pos] in _PREPOSITIONS or _ORG_WORD.search(text, pos + 1, end + 1))
                ):
                    # 被告人向微信昵称… reads 向微信 only because no name ends there; 甲方：王氏
                    # 集团有限公司 reads 王氏集, into the word 集团
                    break
                # score 0: an already-masked name, read to walk the list but not reported; a
                # later item that reads cleanly up to the next joiner keeps its score, so a
                # common word inside it (孔亮、盛文明、和平) does not hide it
                clean = score >= 0.9 and text[end : end + 1] in _CLEAN_ITEM_END
                score = score if first or not score or clean else score - 0.05
                yield pos, end, score, OVER_WORD if over_word else self.name
                first = False
                after = text[end : end + 1]
                aside = _ASIDE.match(text, end) if after in "(（" else None
                if aside is not None:  # 陶建华（系陶建勋之兄）、蓝玉洁
                    end = aside.end()
                    after = text[end : end + 1]
                item = _NEXT_ITEM.match(text, end) if after in "；;，,\n" else None
                if item is not None:
                    pos = item.end()
                    continue
                if after and after in _LIST_JOINERS:
                    pos = end + 1
                else:
                    break

    def _described(
        self, text: str, pos: int, read: tuple[int, float, bool] | None
    ) -> tuple[int, tuple[int, float, bool] | None]:
        """(start, reading) of the first name after a role word: past a description set off by
        a space when no clean name starts at ``pos`` (见证人：居委会工作人员 尤丽娜)."""
        described = _DESCRIBED.match(text, pos)
        later = self.reader.read(text, described.end()) if described is not None else None
        if described is not None and later is not None and later[1] >= 0.9:
            return described.end(), later
        return pos, read

    def _signatures(self, text: str) -> Iterator[re.Match[str]]:
        """Signature labels opening a line or a field (制单：温晓东    审核：姬文华): a label
        inside a sentence (经复核：…) is not one."""
        for m in self.signature.finditer(text):
            lo = m.start() - 3
            if lo < 0 or text[lo] in _LABEL_BEFORE:
                yield m

    def _labels(self, text: str) -> Iterator[re.Match[str]]:
        """Labels "…人：" opening a line or a field (欠款人：), two to six characters."""
        for m in self.label.finditer(text):
            lo = m.start() - 1
            while lo >= 0 and m.start() - lo <= 5 and is_cjk(text[lo]):
                lo -= 1
            if m.start() - lo >= 2 and (lo < 0 or text[lo] in _LABEL_BEFORE):
                yield m

    def _weak(self, text: str) -> Iterator[Candidate]:
        """Names after weak anchors (帮, 向, 认识): only a full reading ending at a boundary."""
        parser = self.reader.parser
        places = self.reader.places
        cues = (self.weak.finditer(text), self.titles.finditer(text), self._labels(text))
        for a in chain(*cues, self._signatures(text)):
            parsed = parser.parse(text, a.end())
            if parsed is None or parsed[1] < 0.9 or text[parsed[0] - 1] in PLACE_SUFFIXES:
                continue
            if _ORG_UNIT.match(text, a.end()) or ends_common_word(text, a.end() - 1, 0):
                continue  # 西工支行 goes on an organization; 方向盘失灵 holds no cue 向
            if self.cue_compound.match(text, a.end() - 1):
                continue  # 执行通知同时发出: 同 begins 同时, not a cue
            if (
                places.match_at(text, a.start())
                or text[a.start() : a.end() + 1] in places.short_forms
            ):
                continue  # 向阳街道: the anchor begins a place name
            yield a.end(), parsed[0], 0.8, self.name
