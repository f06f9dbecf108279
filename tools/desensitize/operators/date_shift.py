"""Per-case date shift: every date of one case moves by the same keyed number of days, so
intervals within a case (deadlines, 期限) are exact; weekdays are kept by shifting whole weeks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from desensitize.keyed import as_uint, digests
from desensitize.operators.base import Operator, OperatorContext
from desensitize.recognizers.dates import format_like, parse_date

GLOBAL_UNIT = "\x00dataset"


class DateShiftParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_weeks: int = Field(8, ge=1, le=520)


def shift_days(key: bytes, units: list[str], max_weeks: int) -> npt.NDArray[np.int64]:
    """Keyed offsets in whole weeks, never zero, within ±``max_weeks``."""
    d = digests(key, "DATE_SHIFT", units)
    weeks = as_uint(d, 0) % (2 * max_weeks) - max_weeks
    weeks = np.where(weeks >= 0, weeks + 1, weeks)
    return weeks * 7


class DateShift(Operator):
    name = "date_shift"
    params_model = DateShiftParams

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, DateShiftParams)
        date = parse_date(value)
        if date is None:
            return value
        unit = ctx.case_id or GLOBAL_UNIT
        days = int(shift_days(ctx.require_key(self.name), [unit], params.max_weeks)[0])
        return format_like(value, date + dt.timedelta(days=days))
