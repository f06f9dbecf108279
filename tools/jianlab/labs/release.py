"""The desensitized student copy of a dataset (`release:` of a lab's dataset in lab.yaml).

Students of a review lab should read what a procuratorate shares: a `desensitize` release,
not the generator's raw output. The release runs once per staging of the shared data (course
build, `labs check`) under a key drawn fresh each time and never stored: nobody, the instructor
included, can turn a surrogate back into the synthetic original, and nothing needs to: the
policy keeps case ids and dates, so the grader joins the student's answers to `_truth/` of the
unreleased build by case id (docs/architecture.md, "一个实验").
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

from desensitize import DesensitizeError, desensitize_dataset, load_policy
from jianlab.labs.models import check_release_policy

CASEFILES_DIR = "casefiles"


def released_copy(dataset: Path, dest: Path, policy: str, documents: bool = True) -> None:
    """Release ``dataset`` into ``dest`` under ``policy``; ``documents=False`` leaves the case
    files out. A refused release (a residual identifier) is a ``ValueError`` in Chinese."""
    check_release_policy(policy)
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".release-", dir=dest.parent) as tmp:
        out = Path(tmp) / "out"
        try:
            desensitize_dataset(dataset, out, load_policy(policy), secrets.token_bytes(32))
        except DesensitizeError as exc:
            raise ValueError(f"数据集 {dataset.name} 按策略 {policy} 发布失败：{exc}") from exc
        if not documents:
            shutil.rmtree(out / CASEFILES_DIR, ignore_errors=True)
        out.rename(dest)
