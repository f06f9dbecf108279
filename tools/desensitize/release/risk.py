"""Re-identification risk of a released table on declared quasi-identifiers (GB/T 37964 验证).

k-anonymity = size of the smallest equivalence class; distinct l-diversity = fewest distinct
sensitive values in a class; sample uniques = records alone in their class; prosecutor risk =
1 / class size (max and mean over records), as ARX reports them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class RiskReport:
    rows: int
    quasi_identifiers: tuple[str, ...]
    sensitive: str | None
    k: int
    classes: int
    records_below_k: int
    sample_uniques: int
    sample_unique_share: float
    prosecutor_risk_max: float
    prosecutor_risk_mean: float
    l_diversity: int | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def measure(
    df: pd.DataFrame, qi: list[str], sensitive: str | None = None, k_target: int = 5
) -> RiskReport:
    missing = [c for c in [*qi, *([sensitive] if sensitive else [])] if c not in df.columns]
    if missing:
        raise KeyError(
            f"表中没有这些列：{', '.join(missing)}；现有列：{', '.join(map(str, df.columns))}"
        )
    if df.empty:
        return RiskReport(0, tuple(qi), sensitive, 0, 0, 0, 0, 0.0, 0.0, 0.0, None)
    keys = df[qi].astype("string").fillna("〈空〉")
    sizes = keys.groupby(qi, sort=False, dropna=False)[qi[0]].transform("size")
    classes = int(keys.drop_duplicates().shape[0])
    l_div = None
    if sensitive:
        frame = keys.assign(_s=df[sensitive].astype("string"))
        l_div = int(frame.groupby(qi, dropna=False)["_s"].nunique(dropna=False).min())
    n = len(df)
    return RiskReport(
        rows=n,
        quasi_identifiers=tuple(qi),
        sensitive=sensitive,
        k=int(sizes.min()),
        classes=classes,
        records_below_k=int((sizes < k_target).sum()),
        sample_uniques=int((sizes == 1).sum()),
        sample_unique_share=round(float((sizes == 1).mean()), 6),
        prosecutor_risk_max=round(float((1 / sizes).max()), 6),
        prosecutor_risk_mean=round(classes / n, 6),
        l_diversity=l_div,
    )


def render_zh(r: RiskReport, k_target: int, l_target: int) -> str:
    lines = [
        f"记录数：{r.rows}；准标识符：{'、'.join(r.quasi_identifiers)}",
        f"k-匿名：k = {r.k}（目标 ≥ {k_target}）{'✓' if r.k >= k_target else '✗'}；"
        f"等价类 {r.classes} 个，"
        f"低于 k 的记录 {r.records_below_k} 条",
        f"样本唯一记录：{r.sample_uniques} 条（占 {r.sample_unique_share:.2%}）",
        f"检察官攻击重识别风险：最大 {r.prosecutor_risk_max:.3f}，"
        f"平均 {r.prosecutor_risk_mean:.3f}",
    ]
    if r.l_diversity is not None:
        ok = "✓" if r.l_diversity >= l_target else "✗"
        lines.append(
            f"l-多样性（敏感列 {r.sensitive}）：l = {r.l_diversity}（目标 ≥ {l_target}）{ok}"
        )
    return "\n".join(lines)
