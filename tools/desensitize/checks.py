"""Release checks (GB/T 37964 验证): residual scan, originals absent, key absent, and
re-identification risk on the declared quasi-identifiers. Failures are collected, not raised, so
the refusal message lists every reason at once."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.desensitizer import Desensitizer
from desensitize.policy import Policy
from desensitize.release import Release
from desensitize.risk import measure
from desensitize.tables import FREE_TEXT, KEY


def _string_cells(frames: dict[str, pd.DataFrame]) -> list[tuple[str, str, pd.Series]]:
    cells = []
    for name, df in frames.items():
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                cells.append((name, str(col), df[col].dropna().astype(str)))
    return cells


def run_checks(
    release: Release,
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    des: Desensitizer,
    produced: set[str],
    originals: dict[str, set[str]],
    key: bytes,
    policy: Policy,
    qi_map: dict[str, list[str]],
    sensitive: dict[str, str],
) -> None:
    residual = []
    for name, body in texts.items():
        for s in des.residual(body, produced):
            residual.append(f"{name}@{s.start}:{s.entity}")
    for name, col, values in _string_cells(frames):
        plan = {p.column: p for p in release.tables[name]}.get(col)
        if plan is not None and plan.entity == FREE_TEXT:
            found = des.residual_many(values.tolist(), produced)
            for idx, spans in zip(values.index, found, strict=True):
                residual += [f"{name}.{col}[{idx}]:{s.entity}" for s in spans]
    release.checks["残留扫描"] = not residual
    if residual:
        release.failures.append(f"残留扫描发现 {len(residual)} 处个人信息，例如 {residual[:3]}")
    leaked = _leaks(frames, texts, originals["PERSON"], originals["OTHER"], release)
    release.checks["原值不出现"] = not leaked
    if leaked:
        release.failures.append(f"输出中仍出现原始标识值：{'、'.join(leaked[:5])}")
    key_hits = [n for n, b in texts.items() if key.decode("latin-1") in b]
    key_hits += [
        f"{n}.{c}"
        for n, c, v in _string_cells(frames)
        if v.str.contains(key.decode("latin-1"), regex=False).any()
    ]
    release.checks["密钥不出现"] = not key_hits
    if key_hits:
        release.failures.append(f"密钥出现在 {key_hits[:3]}")
    for table, cols in qi_map.items():
        if table not in frames:
            release.failures.append(f"声明了准标识符的表 {table} 不存在")
            continue
        r = measure(frames[table], cols, sensitive.get(table), policy.risk.k)
        release.risk[table] = r
        ok = r.k >= policy.risk.k and r.prosecutor_risk_max <= max(
            policy.risk.max_prosecutor_risk, 1 / policy.risk.k
        )
        if r.l_diversity is not None:
            ok = ok and r.l_diversity >= policy.risk.l
        release.checks[f"重识别风险：{table}"] = ok
        if not ok:
            release.failures.append(
                f"表 {table} 在准标识符 {'、'.join(cols)} 上 k = {r.k}（要求 ≥ {policy.risk.k}）"
                + (
                    f"，l = {r.l_diversity}（要求 ≥ {policy.risk.l}）"
                    if r.l_diversity is not None
                    else ""
                )
            )


def _leaks(
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    names: set[str],
    identifiers: set[str],
    release: Release,
) -> list[str]:
    """Where an original value survives: identifiers anywhere; names in processed or free-text
    columns and documents (a name such as 高中 may equal an unrelated category elsewhere)."""
    ids = pa.array(sorted(identifiers), type=pa.string())
    both = pa.array(sorted(identifiers | names), type=pa.string())
    hits = []
    for table, col, cells in _string_cells(frames):
        plan = {p.column: p for p in release.tables[table]}.get(col)
        processed = plan is not None and plan.entity not in (None, KEY)
        arr = pa.array(cells.to_numpy(dtype=object), type=pa.string())
        n = pc.sum(pc.is_in(arr, value_set=both if processed else ids)).as_py() or 0
        if n:
            hits.append(f"{table}.{col}（{n} 处）")
    long_values = [v for v in identifiers | names if len(v) >= 2]
    for doc, body in texts.items():
        n = sum(1 for v in long_values if v in body)
        if n:
            hits.append(f"{doc}（{n} 处）")
    return hits
