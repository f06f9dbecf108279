"""Asset registries of one partition, held as integer-indexed column blocks while the case
timelines are drawn and turned into Arrow tables once at the end.

Asset ids are a kind prefix, the partition and a sequence number (BA33202300000001); actions
refer to an asset by (kind, index) until the ids are formatted, so no per-row strings are built
while generating."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from synthgen.enforcement.ids import digit_strings, luhn_numbers

Ints = npt.NDArray[np.int64]
KINDS = {
    "bank": (1, "BA", "存款"),
    "vehicle": (2, "VH", "车辆"),
    "estate": (3, "RE", "不动产"),
    "policy": (4, "IP", "保险"),
    "fund": (5, "HF", "公积金"),
}
KIND_PREFIX = {code: prefix for code, prefix, _ in KINDS.values()}
KIND_ASSET_TYPE = {code: label for code, _, label in KINDS.values()}
CARD_BANKS = {
    "中国工商银行": 622202,
    "中国农业银行": 622848,
    "中国银行": 621661,
    "中国建设银行": 621700,
    "交通银行": 622262,
    "招商银行": 621483,
    "中国邮政储蓄银行": 621799,
    "兴业银行": 622909,
}
PAYMENT = {"支付宝": 2088, "财付通": 1000}
INSURERS = [
    "中国人寿保险股份有限公司",
    "中国平安人寿保险股份有限公司",
    "太平洋人寿保险股份有限公司",
    "新华人寿保险股份有限公司",
    "泰康人寿保险有限责任公司",
    "中国人民财产保险股份有限公司",
]
CASH_PRODUCTS = ["终身寿险", "年金保险", "两全保险"]
PLAIN_PRODUCTS = ["意外伤害保险", "医疗保险"]


def asset_ids(prefix: str, kind: Ints, index: Ints) -> pa.Array:
    """String ids for (kind, index) pairs; kind 0 gives null."""
    out = pa.nulls(kind.size, type=pa.string())
    for code, pre in KIND_PREFIX.items():
        mask = kind == code
        if mask.any():
            num = pc.utf8_lpad(pc.cast(pa.array(index[mask] + 1), pa.string()), 8, "0")
            ids = pc.binary_join_element_wise(pa.scalar(f"{pre}{prefix}"), num, "")
            out = pc.replace_with_mask(out, pa.array(mask), ids)
    return out


class Registry:
    """Column blocks per registry table; ``add`` returns the new rows' indices."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.count: dict[str, int] = defaultdict(int)

    def add(self, table: str, n: int, **cols: Any) -> Ints:
        start = self.count[table]
        # every column is a copy: ``set`` writes into them, and two columns must never share
        # one array (owner_since starts as registered_date and changes on a transfer)
        block = {k: np.broadcast_to(v, (n,)).copy() for k, v in cols.items()}
        self.blocks[table].append(block)
        self.count[table] += n
        return np.arange(start, start + n, dtype=np.int64)

    def column(self, table: str, name: str) -> npt.NDArray[Any]:
        return (
            np.concatenate([b[name] for b in self.blocks[table]])
            if self.blocks[table]
            else np.array([])
        )

    def set(self, table: str, name: str, rows: Ints, values: Any) -> None:
        """Overwrite values of already added rows (dates known only after the timeline)."""
        offset = 0
        for block in self.blocks[table]:
            size = len(next(iter(block.values())))
            sel = (rows >= offset) & (rows < offset + size)
            if sel.any():
                vals = np.broadcast_to(values, rows.shape)[sel] if np.ndim(values) else values
                block[name][rows[sel] - offset] = vals
            offset += size


def bank_numbers(
    rng: np.random.Generator, bank: npt.NDArray[Any], kind: npt.NDArray[Any]
) -> pa.Array:
    n = bank.size
    numbers = np.empty(n, dtype=object)
    card = kind == "借记卡"
    bins = np.array([CARD_BANKS.get(b, 622202) for b in bank[card]], dtype=np.int64)
    numbers[card] = luhn_numbers(rng, bins, 19).to_numpy(zero_copy_only=False)
    corp = kind == "对公账户"
    numbers[corp] = digit_strings(rng, np.full(int(corp.sum()), 33), 2, 19).to_numpy(
        zero_copy_only=False
    )
    pay = kind == "支付账户"
    prefixes = np.array([PAYMENT.get(b, 2088) for b in bank[pay]], dtype=np.int64)
    numbers[pay] = digit_strings(rng, prefixes, 4, 16).to_numpy(zero_copy_only=False)
    return pa.array(numbers, type=pa.string())
