"""合格 or 不合格 under a course's ``pass_rule`` (course.yaml), with the reason when not passed.

A training course certifies rather than ranks, so the export needs a verdict, not only a total.
Both checks read scores after the late penalty: the weighted total already carries it, and a
required item's score is cut by the same fraction as its lab ("扣该次得分的 20%" applies to every
part of that submission). A verdict waits (待定) while a lab is still ungraded or not yet due; a
lab not handed in after its due date counts 0, for the total and for its items.
"""

from __future__ import annotations

import math

import pandas as pd

from jianlab.labs.models import ItemMinimum, PassRule

PASSED, FAILED, PENDING = "合格", "不合格", "待定"
VERDICT_COLUMN, REASON_COLUMN = "是否合格", "不合格原因"
SEP = "；"


def _points(value: float) -> str:
    return f"{value:g}"


def rule_text(rule: PassRule) -> str:
    """The rule in one Chinese sentence, for the dashboard."""
    parts = [f"扣除迟交后加权百分制不低于 {_points(rule.min_total_percent)} 分"]
    parts += [
        f"{i.label}（{i.lab} {i.question}）扣除迟交后不低于 {_points(i.min_points)} 分"
        for i in rule.item_minimums
    ]
    return "，且".join(parts)


def item_scores(long: pd.DataFrame, standing: pd.DataFrame, item: ItemMinimum) -> pd.Series:
    """Student id → the item's score after the lab's late penalty (NaN where there is none)."""
    rows = long[(long["lab"] == item.lab) & (long["question"] == item.question)]
    score = rows.set_index("student_id")["score"]
    lab = standing[standing["lab"] == item.lab].set_index("student_id")
    fraction = lab["penalty_fraction"].reindex(score.index).fillna(0.0)
    return (score * (1.0 - fraction)).round(2)


def _item_reason(item: ItemMinimum, score: float, missed: bool) -> str | None:
    if missed:
        return f"{item.label}未提交（{item.lab}）"
    if math.isnan(score):
        return f"缺少{item.label}的成绩（{item.lab} {item.question}）"
    if score < item.min_points:
        return f"{item.label} {_points(score)} 分，低于最低要求 {_points(item.min_points)} 分"
    return None


def verdict(
    total: float, items: list[tuple[ItemMinimum, float, bool]], rule: PassRule
) -> tuple[str, str]:
    """(是否合格, 不合格原因) of one student: ``total`` is the weighted percentage (NaN while
    pending); ``items`` holds each required item's penalised score and whether its lab was
    missed after the due date."""
    if math.isnan(total):
        return PENDING, ""
    reasons = []
    if total < rule.min_total_percent:
        reasons.append(
            f"加权百分制 {_points(total)} 分，低于合格线 {_points(rule.min_total_percent)} 分"
        )
    reasons += [r for item, s, m in items if (r := _item_reason(item, s, m)) is not None]
    return (FAILED, SEP.join(reasons)) if reasons else (PASSED, "")


def pass_columns(
    weighted: pd.Series,
    long: pd.DataFrame,
    standing: pd.DataFrame,
    missed: pd.DataFrame,
    rule: PassRule,
) -> pd.DataFrame:
    """是否合格 and 不合格原因 per student id. ``missed``: (student_id, lab) pairs not handed in
    after the due date."""
    gone = set(zip(missed["student_id"], missed["lab"], strict=True))
    scores = {id(item): item_scores(long, standing, item) for item in rule.item_minimums}
    rows = {}
    for student, total in weighted.items():
        items = [
            (item, float(scores[id(item)].get(student, math.nan)), (student, item.lab) in gone)
            for item in rule.item_minimums
        ]
        rows[student] = verdict(float(total), items, rule)
    return pd.DataFrame.from_dict(rows, orient="index", columns=[VERDICT_COLUMN, REASON_COLUMN])
