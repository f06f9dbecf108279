"""`grade_findings`: grading a given finding list (an answer key) the way the engine grades."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from review import ReviewInputError, grade_findings, run_review
from support.review_world import AS_OF, World

D = dt.date


def _world(world: World) -> World:
    world.compliant_zb("OK")  # no finding, timely: 优质
    world.compliant_zb("SLOW")  # notice on day 4: 合格
    world.drop("SLOW", "执行通知")
    world.act("SLOW", "执行通知", D(2023, 1, 6))
    world.compliant_zb("FLAW")  # ZB-02 (瑕疵)
    world.drop("FLAW", "限制消费令")
    world.compliant_zb("BAD", t=D(2023, 3, 1))  # ZB-05 (不合格) and ZB-02
    world.drop("BAD", "限制消费令")
    return world


@pytest.mark.parametrize(
    ("findings", "want"),
    [
        # the engine's own findings give the engine's grades
        ([("FLAW", "ZB-02"), ("BAD", "ZB-02"), ("BAD", "ZB-05")],
         {"OK": "优质", "SLOW": "合格", "FLAW": "瑕疵", "BAD": "不合格"}),
        # a lead and a benchmark never lower a grade
        ([("OK", "ZB-04V"), ("OK", "ZB-03"), ("SLOW", "ZB-04I")],
         {"OK": "优质", "SLOW": "合格", "FLAW": "优质", "BAD": "优质"}),
        # one 不合格 violation outweighs any number of 瑕疵 ones
        ([("OK", "ZB-12"), ("OK", "ZB-07"), ("SLOW", "ZB-07")],
         {"OK": "不合格", "SLOW": "瑕疵", "FLAW": "优质", "BAD": "优质"}),
        ([], {"OK": "优质", "SLOW": "合格", "FLAW": "优质", "BAD": "优质"}),
    ],
)  # fmt: skip
def test_grades_follow_the_catalog(
    world: World,
    write_world: Callable[[World], Path],
    findings: list[tuple[str, str]],
    want: dict[str, str],
) -> None:
    root = write_world(_world(world))
    frame = pd.DataFrame(findings, columns=["case_id", "rule_id"], dtype=object)
    got = grade_findings(root, frame)
    assert dict(zip(got["case_id"], got["grade"], strict=True)) == want


def test_same_grades_as_the_engine(world: World, write_world: Callable[[World], Path]) -> None:
    root = write_world(_world(world))
    result = run_review(root, as_of=AS_OF)
    engine = result.grades.to_pandas().set_index("case_id")["grade"].sort_index()
    mine = grade_findings(root, result.findings[["case_id", "rule_id"]].astype(str))
    assert mine.set_index("case_id")["grade"].sort_index().equals(engine)


def test_unknown_rule_is_refused(world: World, write_world: Callable[[World], Path]) -> None:
    root = write_world(_world(world))
    with pytest.raises(ReviewInputError, match="ZB-99"):
        grade_findings(root, pd.DataFrame({"case_id": ["OK"], "rule_id": ["ZB-99"]}))
