"""Accumulators for action rows and planted-violation rows, filled block by block (one block per
step of the timeline) and turned into Arrow tables once."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from legal import ACTION_TYPES, threshold
from synthgen.core.dates import add_months
from synthgen.enforcement.registry import KIND_ASSET_TYPE, asset_ids

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]
ACTION_ORDER = list(ACTION_TYPES)
_ORDER = {name: i for i, name in enumerate(ACTION_ORDER)}
# control measures carry a term (民诉法解释第四百八十五条, legal/enforcement.yaml); 续封 restarts it
MEASURES = ("查封", "轮候查封", "续封", "扣押", "冻结")
_MEASURE_CODES = np.array([_ORDER[m] for m in MEASURES], dtype=np.int8)


def _term_end(types: npt.NDArray[np.int8], kinds: Ints, dates: Days) -> Days:
    """Last day of each measure's term (NaT for other actions and measures without an asset)."""
    years = threshold("seal_term_years")
    by_kind = np.zeros(max(KIND_ASSET_TYPE) + 1, dtype=np.int64)
    for code, label in KIND_ASSET_TYPE.items():
        by_kind[code] = int(years.get(label, 0))
    months = 12 * by_kind[kinds]
    out = np.full(dates.size, np.datetime64("NaT"), dtype="datetime64[D]")
    for m in np.unique(months[months > 0]):
        sel = np.isin(types, _MEASURE_CODES) & (months == m)
        out[sel] = add_months(dates[sel], int(m))
    return out


def days(n: Any) -> npt.NDArray[np.timedelta64]:
    return np.asarray(n, dtype=np.int64).astype("timedelta64[D]")


def _vec(value: Any, n: int, dtype: Any) -> npt.NDArray[Any]:
    return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()


class ActionLog:
    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []

    def add(
        self,
        case: Ints,
        action: str,
        date: Any,
        kind: Any = 0,
        index: Any = -1,
        amount: Any = np.nan,
        note: str | None = None,
    ) -> None:
        n = case.size
        if n == 0:
            return
        self.blocks.append(
            {
                "case": case.astype(np.int64),
                "type": _vec(_ORDER[action], n, np.int8),
                "date": np.asarray(date, dtype="datetime64[D]"),
                "kind": _vec(kind, n, np.int8),
                "index": _vec(index, n, np.int64),
                "amount": _vec(amount, n, np.float64),
                "note": note,
            }
        )

    def measures_of(self, cases: Ints) -> tuple[Ints, Ints, Ints]:
        """(case, asset kind, asset index) of every control measure logged for ``cases``."""
        found: list[tuple[Ints, Ints, Ints]] = []
        for b in self.blocks:
            if int(b["type"][0]) not in _MEASURE_CODES:
                continue
            sel = np.isin(b["case"], cases) & (b["kind"] > 0)
            found.append((b["case"][sel], b["kind"][sel].astype(np.int64), b["index"][sel]))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return tuple(np.concatenate([f[i] for f in found]) for i in range(3))  # type: ignore[return-value]

    def measure_dates(self, cases: Ints) -> tuple[Ints, Ints, Ints, Days]:
        """(case, asset kind, asset index, date) of every control measure logged for ``cases``."""
        found: list[tuple[Ints, Ints, Ints, Days]] = []
        for b in self.blocks:
            if int(b["type"][0]) not in _MEASURE_CODES:
                continue
            sel = np.isin(b["case"], cases) & (b["kind"] > 0)
            found.append((b["case"][sel], b["kind"][sel].astype(np.int64), b["index"][sel],
                          b["date"][sel]))  # fmt: skip
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, np.zeros(0, dtype="datetime64[D]")
        return tuple(np.concatenate([f[i] for f in found]) for i in range(4))  # type: ignore[return-value]

    def to_table(self, prefix: str, case_ids: pa.Array, end: np.datetime64) -> pa.Table:
        """Rows dated after the data end are not yet known and are dropped; rows are ordered by
        case, date and procedural order, and numbered in that order."""
        cols = {
            k: np.concatenate([b[k] for b in self.blocks])
            for k in ("case", "type", "date", "kind", "index", "amount")
        }
        notes = np.concatenate(
            [np.full(b["case"].size, b["note"] or "", dtype=object) for b in self.blocks]
        )
        keep = cols["date"] <= end
        order = np.lexsort((cols["type"][keep], cols["date"][keep], cols["case"][keep]))
        sel = np.flatnonzero(keep)[order]
        kind = cols["kind"][sel].astype(np.int64)
        labels = np.array(
            [None, *[KIND_ASSET_TYPE[k] for k in sorted(KIND_ASSET_TYPE)]], dtype=object
        )
        note = notes[sel]
        return pa.table(
            {
                "action_id": pc.binary_join_element_wise(
                    pa.scalar(f"EA{prefix}"),
                    pc.utf8_lpad(
                        pc.cast(pa.array(np.arange(1, sel.size + 1)), pa.string()), 9, "0"
                    ),
                    "",
                ),
                "case_id": case_ids.take(pa.array(cols["case"][sel])),
                "action_type": pa.array(
                    np.array(ACTION_ORDER, dtype=object)[cols["type"][sel]], type=pa.string()
                ),
                "action_date": pa.array(cols["date"][sel]),
                "asset_type": pa.array(labels[kind], type=pa.string()),
                "asset_id": asset_ids(prefix, kind, cols["index"][sel]),
                "amount": pa.array(cols["amount"][sel], type=pa.float64(), from_pandas=True),
                "note": pa.array(_blank_to_null(note), type=pa.string()),
                "term_end": pa.array(
                    _term_end(cols["type"][sel], kind, cols["date"][sel]),
                    type=pa.date32(),
                    from_pandas=True,
                ),
            }
        )


def _blank_to_null(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    out = values.copy()
    out[out == ""] = None
    return out


class TruthLog:
    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []

    def add(
        self, case: Ints, rule: str, detail: pa.Array | str, kind: Any = 0, index: Any = -1
    ) -> None:
        n = case.size
        if n == 0:
            return
        text = (
            pa.array(np.full(n, detail, dtype=object), type=pa.string())
            if isinstance(detail, str)
            else detail
        )
        self.blocks.append(
            {
                "case": case.astype(np.int64),
                "rule": rule,
                "detail": text,
                "kind": _vec(kind, n, np.int8),
                "index": _vec(index, n, np.int64),
            }
        )

    def to_table(self, prefix: str, case_ids: pa.Array) -> pa.Table:
        if not self.blocks:
            return pa.table(
                {
                    "case_id": pa.array([], pa.string()),
                    "rule_id": pa.array([], pa.string()),
                    "asset_id": pa.array([], pa.string()),
                    "detail": pa.array([], pa.string()),
                }
            )
        case = np.concatenate([b["case"] for b in self.blocks])
        rule = np.concatenate(
            [np.full(b["case"].size, b["rule"], dtype=object) for b in self.blocks]
        )
        kind = np.concatenate([b["kind"] for b in self.blocks]).astype(np.int64)
        index = np.concatenate([b["index"] for b in self.blocks])
        detail = pa.concat_arrays([b["detail"] for b in self.blocks])
        order = np.lexsort((rule.astype(str), case))
        return pa.table(
            {
                "case_id": case_ids.take(pa.array(case[order])),
                "rule_id": pa.array(rule[order], type=pa.string()),
                "asset_id": asset_ids(prefix, kind[order], index[order]),
                "detail": detail.take(pa.array(order)),
            }
        )


def text(before: str, numbers: Any, after: str) -> pa.Array:
    return pc.binary_join_element_wise(
        pa.scalar(before),
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()),
        pa.scalar(after),
        "",
    )
