"""`jianlab grade report --html`: one self-contained HTML page per course for the instructor.

Per lab: how many students stand where (未提交, 迟交, 待人工评分, ...), the distribution of lab
scores and of each question, the item analysis, and the submissions that need a look (late,
waiting, flagged). Charts are inline SVG with glyphs as paths, so the page shows Chinese on any
machine and can be mailed or archived as a single file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cjkplot import setup_cjk
from jianlab.grading.export import wide_table
from jianlab.grading.passrule import (
    FAILED,
    PASSED,
    PENDING,
    REASON_COLUMN,
    VERDICT_COLUMN,
    rule_text,
)
from jianlab.grading.report import distribution_figure, figure_svg, item_analysis
from jianlab.grading.standing import GRADED, STATUS_ORDER, standing_table
from jianlab.labs.models import CourseSpec
from jianlab.labs.policy import LatePolicy


def policy_text(policy: LatePolicy) -> str:
    if policy.penalty_per_day_percent == 0 and policy.hard_deadline_days is None:
        return "迟交不扣分（只标记）"
    parts = [f"宽限 {policy.grace_hours:g} 小时"]
    parts.append(f"之后每天扣得分的 {policy.penalty_per_day_percent:g}%")
    parts.append(f"最多扣 {policy.max_penalty_percent:g}%")
    if policy.hard_deadline_days is not None:
        parts.append(f"截止 {policy.hard_deadline_days:g} 天后不计分")
    return "，".join(parts)


def _total_svg(rows: pd.DataFrame, lab: str) -> str:
    setup_cjk()
    fig, ax = plt.subplots(figsize=(5, 3))
    top = float(rows["max_score"].iloc[0]) if len(rows) else 1.0
    bins = [float(x) for x in np.linspace(0, top, 11)]
    ax.hist(rows["final"].dropna(), bins=bins, color="tab:green")
    ax.set_title(f"{lab} 实验得分分布（扣除迟交后）", fontsize=10)
    ax.set_xlabel("得分")
    ax.set_ylabel("人数")
    fig.tight_layout()
    return figure_svg(fig)


def _status_counts(rows: pd.DataFrame) -> list[tuple[str, int]]:
    counts = Counter(status for statuses in rows["statuses"] for status in statuses)
    known = [(s, counts[s]) for s in STATUS_ORDER if counts[s]]
    return known + sorted((s, n) for s, n in counts.items() if s not in STATUS_ORDER)


def _attention(rows: pd.DataFrame) -> list[dict[str, str]]:
    out = []
    for r in rows.to_dict("records"):
        if r["statuses"] != [GRADED] or r["flags"]:
            out.append(
                {
                    "student": str(r["student_id"]),
                    "name": f"{r['last_name']}{r['first_name']}",
                    "statuses": "；".join(r["statuses"]),
                    "flags": "；".join(r["flags"]),
                }
            )
    return out


def _lab_context(root: Path, lab: str, rows: pd.DataFrame) -> dict[str, Any]:
    items = item_analysis(root, lab)
    finals = rows["final"].dropna()
    return {
        "id": lab,
        "students": len(rows),
        "finals": len(finals),
        "mean": f"{finals.mean():.2f}" if len(finals) else "—",
        "max_score": f"{rows['max_score'].iloc[0]:g}",
        "status_counts": _status_counts(rows),
        "total_svg": _total_svg(rows, lab),
        "items_svg": figure_svg(distribution_figure(root, lab)),
        "items_columns": list(items.columns),
        "items_rows": [["—" if pd.isna(v) else f"{v}" for v in row] for row in items.values],
        "attention": _attention(rows),
    }


def _pass_context(root: Path, spec: CourseSpec | None) -> dict[str, Any] | None:
    """The course's 合格线 with how many students pass, fail or wait, and who fails and why."""
    if spec is None or spec.pass_rule is None:
        return None
    table = wide_table(root, spec)
    if VERDICT_COLUMN not in table:
        return {"rule": rule_text(spec.pass_rule), "counts": [], "failed": []}
    counts = table[VERDICT_COLUMN].value_counts()
    failed = table[table[VERDICT_COLUMN] == FAILED]
    return {
        "rule": rule_text(spec.pass_rule),
        "counts": [(v, int(counts.get(v, 0))) for v in (PASSED, FAILED, PENDING)],
        "failed": [
            {"student": r["学号"], "name": r["姓名"], "reason": r[REASON_COLUMN]}
            for r in failed.to_dict("records")
        ],
    }


def render_dashboard(root: Path, spec: CourseSpec | None, out: Path) -> Path:
    policy = spec.late_policy if spec is not None else LatePolicy()
    standing = standing_table(root, policy)
    labs = [_lab_context(root, str(lab), rows) for lab, rows in standing.groupby("lab", sort=False)]
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["j2"])
    )
    page = env.get_template("dashboard.html.j2").render(
        title=spec.title if spec is not None else root.name,
        generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        policy=policy_text(policy),
        labs=labs,
        passing=_pass_context(root, spec),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
