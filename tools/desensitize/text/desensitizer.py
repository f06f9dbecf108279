"""The text pipeline: analyze with the policy's recognizers, then apply its operators.

Operators see every value of a document before any replacement (``prepare``), so numbering
(张某1/张某2) and collision-free pseudonyms do not depend on the order of mentions.
``text_many`` treats a batch the same way: it is analyzed as one joined string (see
``engine``), every operator prepares once with the values of the whole batch and then replaces
them all in one call. Spans are exactly those of ``text``; replacements are too, except where
numbering or a collision re-draw depends on which other values the operator saw first (a
batch is one document for 张某1/张某2 numbering).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from desensitize.operators.base import Operator, OperatorContext
from desensitize.operators.registry import get_operator
from desensitize.policy import Policy, load_policy
from desensitize.recognizers.base import SEP
from desensitize.recognizers.person_name import KnownNamesRecognizer
from desensitize.recognizers.registry import RecognizerRegistry
from desensitize.text.engine import Analyzer, _bounds
from desensitize.text.known import KnownNames
from desensitize.types import Hit, OperatorResult, Result, Span


class Desensitizer:
    def __init__(
        self,
        policy: Policy | None = None,
        key: bytes | None = None,
        known_names: Iterable[str] = (),
        context: OperatorContext | None = None,
    ) -> None:
        self.policy = policy or load_policy("teaching")
        self.analyzer = Analyzer(
            RecognizerRegistry.from_names(self.policy.recognizers),
            threshold=self.policy.threshold,
            protect_officials=self.policy.protect_officials,
        )
        self.context = context or OperatorContext(key=key)
        names = [n for n in known_names if n]
        self.known: KnownNamesRecognizer | None = KnownNames(names) if names else None
        self._ops: dict[str, tuple[Operator, BaseModel, str]] = {}

    def analyze(self, text: str) -> list[Span]:
        return self.analyzer.analyze(text, self.known)

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        return self.analyzer.analyze_many(texts, self.known)

    def _operator(self, entity: str) -> tuple[Operator, BaseModel, str]:
        """Operator, validated parameters and name for ``entity`` (validated once per run)."""
        if entity not in self._ops:
            cfg = self.policy.operator_for(entity)
            op = get_operator(cfg.operator)
            self._ops[entity] = (op, op.validate(cfg.params), cfg.operator)
        return self._ops[entity]

    def anonymize(self, text: str, spans: list[Span]) -> Result:
        hits = [(s.start, s.end, s.entity, s.score, s.recognizer) for s in spans]
        return self._splice(text, [0], [len(text)], hits)[0]

    def text(self, text: str) -> Result:
        return self.text_many([text])[0]

    def text_many(self, texts: Sequence[str]) -> list[Result]:
        """``text`` for each of ``texts``, analyzed and replaced as one batch."""
        if not texts:
            return []
        bounds = _bounds(texts)
        joined = SEP.join(texts)
        hits = self.analyzer.analyze_joined(joined, bounds, self.known)
        return self._splice(joined, bounds, [len(t) for t in texts], hits)

    def _replacements(self, values: list[str], hits: list[Hit]) -> list[str]:
        by_entity: dict[str, list[int]] = {}
        for k, h in enumerate(hits):
            by_entity.setdefault(h[2], []).append(k)
        for entity, idx in by_entity.items():
            op, params, _ = self._operator(entity)
            if not op.operate_many_prepares:
                op.prepare(entity, [values[k] for k in idx], params, self.context)
        new = [""] * len(hits)
        for entity, idx in by_entity.items():
            op, params, _ = self._operator(entity)
            done = op.operate_many(entity, [values[k] for k in idx], params, self.context)
            for k, r in zip(idx, done, strict=True):
                new[k] = r
        return new

    def _splice(
        self, joined: str, bounds: list[int], lengths: list[int], hits: list[Hit]
    ) -> list[Result]:
        """Replace sorted ``hits`` of the joined texts; item offsets refer to each new text."""
        new = self._replacements([joined[h[0] : h[1]] for h in hits], hits)
        names = {e: self._operator(e)[2] for e in {h[2] for h in hits}}
        results = []
        k, n = 0, len(hits)
        for lo, length in zip(bounds, lengths, strict=True):
            hi = lo + length
            pieces: list[str] = []
            items: list[OperatorResult] = []
            cursor, shift = lo, -lo
            while k < n and hits[k][0] < hi:
                start, end, entity = hits[k][0], hits[k][1], hits[k][2]
                rep = new[k]
                pieces.append(joined[cursor:start])
                pieces.append(rep)
                at = start + shift
                items.append(OperatorResult(at, at + len(rep), entity, names[entity], rep))
                shift += len(rep) - (end - start)
                cursor = end
                k += 1
            pieces.append(joined[cursor:hi])
            results.append(Result("".join(pieces), items))
        return results

    def residual(self, text: str, produced: set[str] | None = None) -> list[Span]:
        """Detections that are neither kept on purpose nor replacements this run produced."""
        return self.residual_many([text], produced)[0]

    def residual_many(
        self, texts: Sequence[str], produced: set[str] | None = None
    ) -> list[list[Span]]:
        produced = produced or set()
        out: list[list[Span]] = []
        for text, spans in zip(texts, self.analyze_many(texts), strict=True):
            out.append(
                [
                    s
                    for s in spans
                    if s.entity != "DATE"
                    and self.policy.operator_for(s.entity).operator != "keep"
                    and text[s.start : s.end] not in produced
                ]
            )
        return out
