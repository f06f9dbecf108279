"""Item analysis of one lab: score distributions, difficulty and discrimination per question.

Difficulty is the mean share of points earned (classical p-value); discrimination is the
corrected item–total correlation (the item against the total of the other items), so an item
does not correlate with itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cjkplot import setup_cjk
from jianlab.grading.scores import score_table


def item_analysis(root: Path, lab: str) -> pd.DataFrame:
    long = score_table(root, [lab])
    wide = long.pivot_table(index="student_id", columns="question", values="score", sort=False)
    maxima = long.drop_duplicates("question").set_index("question")["max_score"]
    total = wide.sum(axis=1)
    rows = []
    for question in wide.columns:
        item = wide[question]
        rest = total - item
        both_vary = item.std(ddof=0) > 0 and rest.std(ddof=0) > 0
        rows.append(
            {
                "题目": question,
                "满分": maxima[question],
                "平均分": round(item.mean(), 3),
                "难度（得分率）": round(item.mean() / maxima[question], 3),
                "区分度（校正题总相关）": round(float(np.corrcoef(item, rest)[0, 1]), 3)
                if both_vary
                else np.nan,
                "满分人数": int((item >= maxima[question]).sum()),
                "零分人数": int((item == 0).sum()),
            }
        )
    return pd.DataFrame(rows)


def plot_distributions(root: Path, lab: str, out: Path) -> Path:
    setup_cjk()
    long = score_table(root, [lab])
    questions = list(dict.fromkeys(long["question"]))
    fig, axes = plt.subplots(1, len(questions), figsize=(2.6 * len(questions), 3), squeeze=False)
    for ax, question in zip(axes[0], questions, strict=True):
        part = long[long["question"] == question]
        ax.hist(part["score"], bins=np.linspace(0, part["max_score"].iloc[0], 6), color="tab:blue")
        ax.set_title(question)
        ax.set_xlabel("得分")
        ax.set_ylabel("人数")
    fig.suptitle(f"{lab} 各题得分分布")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(out)
    return out
