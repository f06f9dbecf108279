"""Release report (Chinese Markdown + JSON) and audit log: counts, operators and new values —
never an original value."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desensitize.release.record import Release


REPORT_FILE = "release_report.json"
SURROGATES_FILE = "surrogates.sha256"


def surrogate_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def load_surrogate_hashes(path: Path) -> set[str] | None:
    """The surrogate hashes of the release that holds ``path`` (a release folder, or a file or
    folder inside one); None when ``path`` is not in a release made by ``desensitize dataset``."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        report = folder / REPORT_FILE
        if report.is_file():
            try:
                meta = json.loads(report.read_text(encoding="utf-8")).get("surrogates_sha256")
            except (OSError, json.JSONDecodeError):
                return None
            if not isinstance(meta, dict) or not (folder / str(meta.get("file"))).is_file():
                return None
            lines = (folder / str(meta["file"])).read_text(encoding="ascii").split()
            return set(lines)
    return None


def release_dict(release: Release) -> dict[str, object]:
    return {
        "policy": release.policy,
        "documents": release.documents,
        "encodings": release.encodings,
        "columns": {
            t: [{"column": p.column, "entity": p.entity, "source": p.source} for p in plans]
            for t, plans in release.tables.items()
        },
        "counts": [
            {"where": w, "what": e, "operator": o, "n": n}
            for (w, e, o), n in sorted(release.counts.items())
        ],
        "risk": {t: r.to_dict() for t, r in release.risk.items()},
        "checks": release.checks,
        "failures": release.failures,
        "skipped": release.skipped,
        "surrogates_sha256": {"file": SURROGATES_FILE, "n": release.surrogate_count},
    }


def release_markdown(release: Release) -> str:
    lines = [f"# 脱敏发布报告（策略：{release.policy}）", "", "## 发布检查", ""]
    lines += [f"- {name}：{'通过' if ok else '未通过'}" for name, ok in release.checks.items()]
    lines += ["", "## 列的识别与处理", "", "| 表 | 列 | 实体 | 依据 |", "|---|---|---|---|"]
    for table, plans in release.tables.items():
        lines += [f"| {table} | {p.column} | {p.entity or '保留'} | {p.source} |" for p in plans]
    lines += ["", "## 处理计数", "", "| 位置 | 实体/列 | 算子 | 次数 |", "|---|---|---|---|"]
    lines += [f"| {w} | {e} | {o} | {n} |" for (w, e, o), n in sorted(release.counts.items())]
    if release.risk:
        lines += ["", "## 重识别风险", ""]
        for table, r in release.risk.items():
            lines.append(
                f"- {table}：k = {r.k}，样本唯一 {r.sample_uniques} 条，检察官风险最大 "
                f"{r.prosecutor_risk_max:.3f}、平均 {r.prosecutor_risk_mean:.3f}"
                + (f"，l = {r.l_diversity}" if r.l_diversity is not None else "")
            )
    lines += ["", "## 输入编码", ""] + [f"- {k}：{v}" for k, v in sorted(release.encodings.items())]
    lines += ["", "`_truth/` 为教师专用材料，未复制到发布目录。", ""]
    return "\n".join(lines)


def write_reports(out: Path, release: Release) -> None:
    (out / "release_report.md").write_text(release_markdown(release), encoding="utf-8")
    (out / "release_report.json").write_text(
        json.dumps(release_dict(release), ensure_ascii=False, indent=2, default=str),
        encoding="utf-8",
    )
    if release.surrogates_written is None:
        (out / SURROGATES_FILE).write_text(
            "".join(f"{h}\n" for h in release.produced_sha256), encoding="ascii"
        )
    with (out / "audit_log.jsonl").open("w", encoding="utf-8") as fh:
        for entry in release.audit:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
