"""Generalization of quasi-identifiers: birth date → year or age band, address → county,
ID number → region and birth year."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from desensitize.divisions import division_names
from desensitize.operators.base import Operator, OperatorContext
from desensitize.recognizers.dates import parse_date
from zhcodes import load_divisions


class GeneralizeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Literal["year", "age_band", "county", "region_year"]
    band: int = Field(10, ge=1, le=50)


def age_band(birth: dt.date, on: dt.date, band: int) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    low = (age // band) * band
    return f"{low}-{low + band - 1}岁"


def _region_year(value: str) -> str:
    value = value.strip().upper()
    if len(value) not in (15, 18) or not value[:6].isdigit():
        return ""
    year = value[6:10] if len(value) == 18 else "19" + value[6:8]
    try:
        region = load_divisions().full_name(value[:6])
    except KeyError:
        region = value[:2] + "0000"
    return f"{region}{year}年生"


class Generalize(Operator):
    name = "generalize"
    params_model = GeneralizeParams

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, GeneralizeParams)
        if params.to == "county":
            return value[: division_names().strip_prefix(value.strip())]
        if params.to == "region_year":
            return _region_year(value)
        date = parse_date(value) or _iso(value)
        if date is None:
            return ""
        if params.to == "year":
            return f"{date.year}年"
        return age_band(date, ctx.reference_date, params.band)


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
