"""Desensitizing documents: the analyzer (recognizers, propagation of found names, protection
of official names and legal text), the ``Desensitizer`` that applies a policy's operators to
the spans it finds, and Word documents handled as one text."""
