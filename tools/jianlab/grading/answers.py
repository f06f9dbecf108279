"""Kernel side of trusted grading: write a question's declared values as data files.

This file runs INSIDE the student's kernel (its text is embedded in a cell the grader appends
after each autograded test cell), so it imports nothing from jianlab and binds nothing in the
student's namespace. It only ever writes data formats the grader can read without executing
anything: JSON, Parquet and `.npy` without pickle. What it writes is the student's answer and
nothing more; the verdict is computed elsewhere (docs/grading.md).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

ANSWERS_DIR = ".jianlab-answers"
STATUS_FILE = "_status.json"
SUFFIX = {"scalar": ".json", "json": ".json", "series": ".parquet", "dataframe": ".parquet"}
SUFFIX["array"] = ".npy"
SERIES_COLUMN = "value"
SCALARS = (bool, int, float, str, type(None))


def _scalar(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if not isinstance(value, SCALARS):
        raise TypeError(f"应为数值、字符串或布尔值，实际为 {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps({"value": value}, ensure_ascii=False), encoding="utf-8")


def _write_series(path: Path, value: Any) -> None:
    import pandas as pd

    if not isinstance(value, pd.Series):
        raise TypeError(f"应为 pandas.Series，实际为 {type(value).__name__}")
    value.rename(SERIES_COLUMN).to_frame().to_parquet(path)


def _write_frame(path: Path, value: Any) -> None:
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"应为 pandas.DataFrame，实际为 {type(value).__name__}")
    frame = value.copy()
    frame.columns = [str(c) for c in frame.columns]
    frame.to_parquet(path)


def _write_array(path: Path, value: Any) -> None:
    import numpy as np

    array = np.asarray(value)
    if array.dtype == object:
        raise TypeError("数组元素应为数值或字符串（不能是任意对象）")
    with path.open("wb") as fh:
        np.save(fh, array, allow_pickle=False)


def _write(path: Path, kind: str, value: Any) -> None:
    if kind == "scalar":
        _write_json(path, _scalar(value))
    elif kind == "json":
        _write_json(path, json.loads(json.dumps(value, allow_nan=False)))
    elif kind == "series":
        _write_series(path, value)
    elif kind == "dataframe":
        _write_frame(path, value)
    else:
        _write_array(path, value)


def export_answers(directory: str, declared: dict[str, str], namespace: dict[str, Any]) -> None:
    """Write every declared name found in `namespace`; record why the others are missing."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    status: dict[str, str] = {}
    for name, kind in declared.items():
        if name not in namespace:
            status[name] = "未定义"
            continue
        try:
            _write(out / f"{name}{SUFFIX[kind]}", kind, namespace[name])
            status[name] = "ok"
        except Exception as exc:  # the student's value, however odd, fails only this name
            status[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
    (out / STATUS_FILE).write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")


def cell_source(grade_id: str, declared: dict[str, str]) -> str:
    """Source of the export cell: this module run in a private namespace, then one call."""
    text = Path(__file__).read_text(encoding="utf-8")
    target = f"{ANSWERS_DIR}/{grade_id}"
    return (
        "# jianlab：导出本题答案供评分（评分程序自动添加）\n"
        f"(lambda _ns: (exec({text!r}, _ns), "
        f"_ns['export_answers']({target!r}, {declared!r}, globals())))({{}})\n"
        "None"
    )
