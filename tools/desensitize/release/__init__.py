"""Releasing a whole dataset: the phases of ``desensitize_dataset`` (read, plan columns,
transform, desensitize case files, check, write), the release checks (no original value left,
key not reused, re-identification risk), and the reports written beside the release."""
