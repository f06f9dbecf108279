"""Where the repo's content folders are, so commands work from any working directory."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    env = os.environ.get("JIANLAB_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


def labs_dir() -> Path:
    return repo_root() / "labs"


def courses_dir() -> Path:
    return repo_root() / "courses"


def grading_dir() -> Path:
    return repo_root() / "grading"


def datasets_build_dir() -> Path:
    return repo_root() / "datasets" / "synthetic" / "build"
