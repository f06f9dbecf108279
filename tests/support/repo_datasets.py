"""The repository's named datasets (manifest builds the labs read), built on first use: a fresh
clone has none (they are gitignored), and `make demo` is not a precondition of the tests or the
benchmarks. The builds are deterministic, so an existing one is reused as it is."""

from __future__ import annotations

from collections.abc import Iterable

from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.labs.datasets import has_tables
from jianlab.labs.paths import datasets_build_dir


def ensure_built(names: Iterable[str]) -> None:
    """Run `jianlab data build NAME` for each named dataset whose folder holds no tables."""
    for name in sorted(set(names)):
        out = datasets_build_dir() / name
        if not has_tables(out):
            args = ["data", "build", name, "--out", str(out), "--force"]
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 0, result.output
