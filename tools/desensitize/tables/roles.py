"""Column → entity for a table, from header and content (docs/desensitize.md, 列的角色).

Every column is scanned by the recognizers whatever its header: a sample of its cells is
analyzed as it stands and, when that finds nothing, once more behind a name anchor (``姓名：``)
because a bare name has no context to be recognized by. A column whose sample hits an entity
that has a whole-value pattern is then validated on every row (one Arrow regex pass). Headers
(English contract names and the Chinese ones offices use: 姓名, 身份证号, 公民身份号码 …) come
from ``data/column_roles.yaml``; they decide the entity when the content does not contradict
them with a validated personal entity of its own.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr

from desensitize.normalize import FOLD_TABLE
from desensitize.policy import Policy
from desensitize.tables.columns import FREE_TEXT, KEY, ColumnPlan
from desensitize.text.desensitizer import Desensitizer

MIN_SHARE = 0.6  # share of sampled cells that must be wholly one entity
NAME_PROBE = "姓名："
MIN_DISTINCT_NAMES = 10  # fewer distinct values look like a category (高中, 初中 …), not names
LONG_TEXT = 20  # mean length above which an unrecognized column counts as free text


class ColumnRoles(BaseModel):
    model_config = ConfigDict(extra="forbid")
    personal_entities: list[str]
    headers: dict[str, list[str]]
    table_headers: dict[str, dict[str, str]]
    key_names: list[str]
    key_suffixes: list[str]
    patterns: dict[str, str]
    _index: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._index = {h.lower(): e for e, names in self.headers.items() for h in names}

    def header_entity(self, table: str, column: str) -> str | None:
        """The entity a header names (``KEY`` for join keys), None when it names none."""
        name = column.translate(FOLD_TABLE).strip().lower()
        by_table = self.table_headers.get(table, {})
        if name in by_table:
            return by_table[name]
        if name in self.key_names or name.endswith(tuple(self.key_suffixes)):
            return KEY
        return self._index.get(name)

    def is_personal(self, entity: str | None) -> bool:
        return entity is not None and entity in self.personal_entities


@cache
def load_roles() -> ColumnRoles:
    text = resources.files("desensitize").joinpath("data/column_roles.yaml").read_text("utf-8")
    return ColumnRoles.model_validate(yaml.safe_load(text))


def infer_columns(
    table: str, df: pd.DataFrame, des: Desensitizer, sample_rows: int, overrides: dict[str, str]
) -> list[ColumnPlan]:
    roles = load_roles()
    plans = []
    for col in df.columns:
        name = str(col)
        if name in overrides:
            plans.append(ColumnPlan(name, overrides[name], "策略指定"))
            continue
        hinted = roles.header_entity(table, name)
        # the full-column check can only change the role when no header entity decides it
        found = scan_column(df[col], des, sample_rows, validate=hinted in (None, KEY))
        plans.append(_decide(name, hinted, found, roles))
    return plans


def _decide(name: str, hinted: str | None, found: str | None, roles: ColumnRoles) -> ColumnPlan:
    """Content that validates as a personal entity overrides a header naming another role."""
    if roles.is_personal(found) and found != hinted and hinted is not None:
        return ColumnPlan(name, found, "内容识别")
    if hinted is not None:
        return ColumnPlan(name, hinted, "名称提示")
    return ColumnPlan(name, found, "抽样推断")


def scan_column(series: pd.Series, des: Desensitizer, n: int, validate: bool = True) -> str | None:
    """Entity of a column's content, ``FREE_TEXT`` for text holding identifiers, None else."""
    sample = _sample(series, n)
    if sample is None:
        return None
    entity = _whole_entity(sample, des)
    if entity is None and _looks_like_names(sample, des):
        entity = "PERSON"
    if validate and entity is not None and entity != FREE_TEXT:
        entity = _validate(series, entity)
    return entity


def _sample(series: pd.Series, n: int) -> pd.Series | None:
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        return None
    non_null = series.dropna()
    if non_null.empty or not isinstance(non_null.iloc[0], str):
        return None
    sample = non_null.astype(str)
    return sample.sample(n, random_state=0) if len(sample) > n else sample


def _whole_entity(sample: pd.Series, des: Desensitizer) -> str | None:
    """Following presidio-structured: the entity most sampled cells consist of entirely."""
    whole: Counter[str] = Counter()
    any_pii = 0
    values = sample.tolist()
    for value, found in zip(values, des.analyze_many(values), strict=True):
        spans = [s for s in found if _counts(s.entity, des)]
        if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(value):
            whole[spans[0].entity] += 1
        elif spans:
            any_pii += 1
    if whole and whole.most_common(1)[0][1] >= MIN_SHARE * len(sample):
        entity = whole.most_common(1)[0][0]
        return None if entity == "DATE" else entity
    if any_pii or sample.str.len().mean() > LONG_TEXT:
        return FREE_TEXT
    return None


def _counts(entity: str, des: Desensitizer) -> bool:
    """Personal entities always count (the role must not depend on what the policy does with
    it); others only when the policy changes them (a kept USCC is not a finding)."""
    return load_roles().is_personal(entity) or des.policy.operator_for(entity).operator != "keep"


def _looks_like_names(sample: pd.Series, des: Desensitizer) -> bool:
    """Most cells are wholly a person's name once put behind ``姓名：``, over enough distinct
    values that the column is not a short category list."""
    values = sample.str.strip()
    distinct = values.nunique()
    if distinct < min(MIN_DISTINCT_NAMES, max(2, (len(values) + 1) // 2)):
        return False
    probes = [NAME_PROBE + v for v in values]
    whole = sum(
        any(s.entity == "PERSON" and s.start == len(NAME_PROBE) and s.end == len(p) for s in found)
        for p, found in zip(probes, des.analyze_many(probes), strict=True)
    )
    return whole >= MIN_SHARE * len(values)


def _validate(series: pd.Series, entity: str) -> str:
    """Full-column check of a sampled entity with a whole-value pattern: most non-null cells of
    the whole column must match, else the column is handled as free text."""
    pattern = load_roles().patterns.get(entity)
    if pattern is None:
        return entity
    cells = pa.array(series.dropna().astype(str).to_numpy(dtype=object), type=pa.string())
    if len(cells) == 0:
        return entity
    hits = pc.match_substring_regex(pc.utf8_trim_whitespace(cells), pattern)
    share = pc.sum(hits).as_py() / len(cells)
    return entity if share >= MIN_SHARE else FREE_TEXT


def unruled_columns(tables: dict[str, list[ColumnPlan]], policy: Policy) -> list[str]:
    """Chinese messages for columns holding personal identifiers that the policy has no rule
    for (neither ``entities.<ENTITY>`` nor ``tables.columns.<column>``): the release stops
    rather than fall back to a default nobody chose for that column."""
    roles = load_roles()
    return [
        f"表 {table} 的列 {plan.column} 含个人标识（{plan.entity}，依据：{plan.source}），"
        f"但策略 {policy.name} 没有对应规则；请在策略的 entities 中为 {plan.entity} 指定算子，"
        f"或在 tables.columns 中为列 {plan.column} 指定算子"
        for table, plans in tables.items()
        for plan in plans
        if roles.is_personal(plan.entity)
        and plan.entity not in policy.entities
        and plan.column not in policy.tables.columns
    ]


def identifier_values(
    frames: dict[str, pd.DataFrame], tables: dict[str, list[ColumnPlan]]
) -> dict[str, set[str]]:
    """Every distinct original value of every personal column, names apart from the rest,
    whatever the policy does with the column: the release check searches the output for all
    of them. Taken before any column is transformed; distinct values by Arrow."""
    roles = load_roles()
    found: dict[str, set[str]] = {"PERSON": set(), "OTHER": set()}
    for table, plans in tables.items():
        df = frames[table]
        for plan in plans:
            if not roles.is_personal(plan.entity):
                continue
            cells = df[plan.column].dropna().astype(str).to_numpy(dtype=object)
            distinct = pc.unique(pa.array(cells, type=pa.string())).to_pylist()
            found["PERSON" if plan.entity == "PERSON" else "OTHER"].update(distinct)
    return found
