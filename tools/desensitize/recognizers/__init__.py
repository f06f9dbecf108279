"""Recognizers: each finds one kind of personal information and returns scored spans."""

from desensitize.recognizers.base import Doc, PatternRecognizer, Recognizer
from desensitize.recognizers.registry import RecognizerRegistry, default_registry

__all__ = ["Doc", "PatternRecognizer", "Recognizer", "RecognizerRegistry", "default_registry"]
