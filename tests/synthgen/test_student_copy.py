"""A student's copy of a dataset carries no truth: neither the files nor the codebook's priors."""

from __future__ import annotations

import json
from pathlib import Path

from synthgen import student_copy, verify_dataset


def test_student_copy_hides_truth_and_still_verifies(criminal_small: Path, tmp_path: Path) -> None:
    dest = tmp_path / "student"
    student_copy(criminal_small, dest)
    assert not (dest / "_truth").exists()
    text = "".join(
        (dest / name).read_text(encoding="utf-8")
        for name in ("codebook.md", "codebook.json", "datapackage.json", "manifest.json")
    )
    truth = json.loads((criminal_small / "_truth" / "dgp.json").read_text(encoding="utf-8"))
    assert "建模先验" not in text  # the coefficient priors are instructor-only
    assert "year_intercepts" not in text
    assert str(truth["arrest"]["year_intercepts"]["2021"]) not in text
    assert "dgp.json" not in text
    assert verify_dataset(dest) == []
    assert json.loads((dest / "manifest.json").read_text(encoding="utf-8"))["release"] == "student"
    # the instructor's copy still has everything
    assert "建模先验" in (criminal_small / "codebook.md").read_text(encoding="utf-8")
