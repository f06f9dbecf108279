"""Item analysis of one lab: score distributions, difficulty and discrimination per question.

Difficulty is the mean share of points earned (classical p-value) over the students who have a
grade for the question; a question still waiting for manual grading is not counted as 0.
Discrimination is the corrected item–total correlation (the item against the total of the other
items) over the students graded on every question, so an item does not correlate with itself.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from cjkplot import setup_cjk
from jianlab.grading.export import question_label
from jianlab.grading.scores import score_table


def _discrimination(wide: pd.DataFrame, question: str) -> float:
    complete = wide.dropna()
    if len(complete) < 3:
        return float("nan")
    item = complete[question]
    rest = complete.sum(axis=1) - item
    if item.std(ddof=0) == 0 or rest.std(ddof=0) == 0:
        return float("nan")
    return round(float(np.corrcoef(item, rest)[0, 1]), 3)


def item_analysis(root: Path, lab: str) -> pd.DataFrame:
    long = score_table(root, [lab])
    wide = long.pivot_table(
        index="student_id", columns="question", values="score", sort=False, dropna=False
    )
    maxima = long.drop_duplicates("question").set_index("question")["max_score"]
    rows = []
    for position, question in enumerate(wide.columns, start=1):
        item = wide[question].dropna()
        top = maxima[question]
        rows.append(
            {
                "题目": question_label(str(question), position),
                "满分": top,
                "已评人数": len(item),
                "待人工评分": int(long[(long["question"] == question)]["needs_manual"].sum()),
                "平均分": round(item.mean(), 3) if len(item) else np.nan,
                "难度（得分率）": round(item.mean() / top, 3) if len(item) else np.nan,
                "区分度（校正题总相关）": _discrimination(wide, str(question)),
                "满分人数": int((item >= top).sum()),
                "零分人数": int((item == 0).sum()),
            }
        )
    return pd.DataFrame(rows)


def distribution_figure(root: Path, lab: str) -> Figure:
    setup_cjk()
    table = score_table(root, [lab])
    questions = list(dict.fromkeys(table["question"]))
    long = table.dropna(subset=["score"])
    fig, axes = plt.subplots(1, len(questions), figsize=(2.6 * len(questions), 3), squeeze=False)
    for position, (ax, question) in enumerate(zip(axes[0], questions, strict=True), start=1):
        part = long[long["question"] == question]
        top = float(part["max_score"].iloc[0]) if len(part) else 1.0
        ax.hist(part["score"], bins=np.linspace(0, top, 6), color="tab:blue")
        ax.set_title(question_label(question, position), fontsize=9)
        ax.set_xlabel("得分")
        ax.set_ylabel("人数")
    fig.suptitle(f"{lab} 各题得分分布（只计已评分）")
    fig.tight_layout()
    return fig


def plot_distributions(root: Path, lab: str, out: Path) -> Path:
    fig = distribution_figure(root, lab)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(out)
    return out


def figure_svg(fig: Figure) -> str:
    """Inline SVG with glyphs drawn as paths: the page shows Chinese without any font installed."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
