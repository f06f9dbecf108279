"""The planted analysis traps, measured on the calibration's Monte Carlo sample (the same DGP as
the data) and written to `_truth/planted.json` with the naive estimate, the correct estimate, the
true value and the model that recovers it:

- Simpson's paradox (不批准逮捕 and non-local residence): non-local suspects cluster in urban,
  high-caseload procuratorates, which arrest less. Across procuratorates, the more non-locals, the
  higher the 不捕率; inside procuratorates, non-locals are arrested *more* often (the true is_local
  effect is positive), and the pooled individual-level estimate is biased towards zero.
- Omitted-variable bias (不起诉 on plea_leniency): suspects whose likely sentence is short plead
  more often, so leaving ``minor_offense`` out inflates the plea effect.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from synthgen.criminal.calendar import years_of
from synthgen.criminal.calibrate import Calibrated
from synthgen.criminal.outcomes import decide
from synthgen.criminal.params import COVARIATES, CriminalParams

MAX_ROWS = 100_000


def _frame(params: CriminalParams, cal: Calibrated, procs: pd.DataFrame) -> pd.DataFrame:
    parts = []
    context = procs["context_index"].to_numpy(float)
    urban = procs["urban"].to_numpy(int)
    for pop in cal.sample[:-1]:
        d = decide(params, pop, (cal.arrest, cal.prosecution), cal.effects, cal.shares)
        frame = pd.DataFrame(pop.x(), columns=list(COVARIATES))
        frame["arrest_year"] = years_of(pop.tl.arrest_decided)
        frame["pros_year"] = years_of(pop.tl.pros_decided)
        frame["has_ar"] = d.has_arrest_review
        frame["in_pros"] = d.in_prosecution
        frame["non_arrest"] = (d.arrest == "不批准逮捕").astype(float)
        frame["arrest_decided"] = d.arrest != "其他"
        frame["non_pros"] = (d.prosecution == "不起诉").astype(float)
        frame["pros_decided"] = d.prosecution != "其他"
        frame["arrested"] = d.arrested.astype(float)
        frame["context"] = context[pop.proc]
        frame["urban"] = urban[pop.proc]
        frame["proc"] = pop.proc
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _logit(frame: pd.DataFrame, outcome: str, columns: list[str], year: str) -> pd.Series:
    rows = frame.sample(n=min(MAX_ROWS, len(frame)), random_state=0)
    x = pd.concat(
        [rows[columns], pd.get_dummies(rows[year], prefix="y", drop_first=True, dtype=float)],
        axis=1,
    )
    # one BLAS thread: on a busy shared machine spinning BLAS threads make this several times slower
    with threadpool_limits(limits=1, user_api="blas"):
        fit = sm.GLM(rows[outcome], sm.add_constant(x), family=sm.families.Binomial()).fit()
    return fit.params


def simpson(frame: pd.DataFrame, truth: float) -> dict[str, Any]:
    rows = frame[frame["has_ar"] & frame["arrest_decided"]]
    crude = rows.groupby("is_local")["non_arrest"].mean()
    strata = rows.groupby(["urban", "is_local"])["non_arrest"].mean().unstack()
    naive = _logit(rows, "non_arrest", ["is_local"], "arrest_year")["is_local"]
    by_proc = rows.groupby("proc").agg(
        n=("non_arrest", "size"), rate=("non_arrest", "mean"), local=("is_local", "mean")
    )
    by_proc = by_proc[by_proc["n"] >= 30]
    between = np.polyfit(1.0 - by_proc["local"], by_proc["rate"], 1, w=np.sqrt(by_proc["n"]))[0]
    within = rows.groupby(["proc", "is_local"])["non_arrest"].mean().unstack().dropna()
    correct = _logit(rows, "non_arrest", [*COVARIATES, "context"], "arrest_year")["is_local"]
    return {
        "title": "辛普森悖论：本地户籍与不批准逮捕",
        "outcome": "arrest_reviews.decision = 不批准逮捕",
        "variable": "suspects.is_local",
        "mechanism": "外地户籍嫌疑人集中在城区、案件量大的检察院，这些检察院更少捕"
        "（随机截距与背景指数相关）。",
        "naive": {
            "non_arrest_rate_local": round(float(crude.loc[1.0]), 4),
            "non_arrest_rate_non_local": round(float(crude.loc[0.0]), 4),
            "difference_pp_local_minus_non_local": round(
                100 * float(crude.loc[1.0] - crude.loc[0.0]), 2
            ),
            "pooled_logit_is_local": round(float(naive), 4),
        },
        "between_procuratorates": {
            "slope_non_arrest_rate_on_non_local_share": round(float(between), 4),
            "reading": "检察院层面：外地户籍比例越高，不捕率越高（正斜率）",
            "procuratorates": len(by_proc),
        },
        "within_procuratorates_pp_local_minus_non_local": round(
            100 * float((within[1.0] - within[0.0]).mean()), 2
        ),
        "within_urban_strata_pp": {
            ("城区" if k == 1 else "非城区"): round(100 * float(v[1.0] - v[0.0]), 2)
            for k, v in strata.iterrows()
        },
        "correct_logit_is_local": round(float(correct), 4),
        "truth_is_local": truth,
        "recovering_model": "logit(不批准逮捕) ~ 六个协变量 + 年度 + 检察院随机截距"
        "（或检察院固定效应；或加入 procuratorates.urban 与案件量等背景变量）",
    }


def omitted_variable(frame: pd.DataFrame, truth: float) -> dict[str, Any]:
    rows = frame[frame["in_pros"] & frame["pros_decided"]]
    others = [c for c in COVARIATES if c != "minor_offense"]
    naive = _logit(rows, "non_pros", [*others, "arrested", "context"], "pros_year")
    correct = _logit(rows, "non_pros", [*COVARIATES, "arrested", "context"], "pros_year")
    corr = float(np.corrcoef(rows["plea_leniency"], rows["minor_offense"])[0, 1])
    return {
        "title": "遗漏变量偏误：认罪认罚对不起诉的效应",
        "outcome": "prosecution_reviews.decision = 不起诉",
        "variable": "suspects.plea_leniency",
        "omitted": "suspects.minor_offense",
        "corr_plea_minor": round(corr, 4),
        "naive_logit_plea": round(float(naive["plea_leniency"]), 4),
        "correct_logit_plea": round(float(correct["plea_leniency"]), 4),
        "truth_plea": truth,
        "recovering_model": "logit(不起诉) ~ 六个协变量（含 minor_offense）+ 已逮捕 + 年度"
        " + 检察院随机截距",
    }


def planted_structures(
    params: CriminalParams, cal: Calibrated, procs: pd.DataFrame
) -> dict[str, Any]:
    frame = _frame(params, cal, procs)
    return {
        "note": "在与数据同一生成过程的蒙特卡罗样本上估计；"
        "在生成的数据上重新估计应得到相近的数值（抽样误差内）。",
        "simpson_is_local_arrest": simpson(frame, cal.arrest.coefficients["is_local"]),
        "omitted_variable_plea_prosecution": omitted_variable(
            frame, cal.prosecution.coefficients["plea_leniency"]
        ),
    }
