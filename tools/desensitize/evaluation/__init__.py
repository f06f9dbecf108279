"""Measuring the analyzer: precision and recall against the generator's gold spans, and recall
on the hand-written hard set of layouts the generator does not write
(docs/desensitize-recall.md)."""
