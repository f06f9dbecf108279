"""Late policy of a course (`late_policy:` in course.yaml) and the penalty it implies.

The penalty is a share of the points the student earned, per started day after the grace period,
up to a cap; after the hard deadline a submission is still collected and graded (the record
shows what was handed in) but counts 0. Kept as a pure function of seconds late so that the
export, the report and the tests agree, and so a changed policy needs no regrading.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, model_validator

DAY_S = 86400.0


class LatePolicy(BaseModel):
    """迟交政策：宽限期内不扣分；之后每开始一天扣得分的一定百分比，有上限；最终期限后不计分。"""

    model_config = ConfigDict(extra="forbid")

    grace_hours: float = Field(default=0.0, ge=0, description="截止后的宽限时间（小时），不扣分")
    penalty_per_day_percent: float = Field(
        default=0.0, ge=0, le=100, description="宽限期后每开始一天，扣得分的百分比"
    )
    max_penalty_percent: float = Field(
        default=100.0, ge=0, le=100, description="迟交扣分的上限（得分的百分比）"
    )
    hard_deadline_days: float | None = Field(
        default=None, gt=0, description="截止后多少天为最终期限；之后提交不计分（仍收取并评分）"
    )

    @model_validator(mode="after")
    def _grace_before_hard_deadline(self) -> LatePolicy:
        if self.hard_deadline_days is not None and self.grace_hours > self.hard_deadline_days * 24:
            raise ValueError("宽限期不能长于最终期限")
        return self

    def is_late(self, seconds_late: float) -> bool:
        return seconds_late > self.grace_hours * 3600

    def accepted(self, seconds_late: float) -> bool:
        return self.hard_deadline_days is None or seconds_late <= self.hard_deadline_days * DAY_S

    def days_charged(self, seconds_late: float) -> int:
        excess = seconds_late - self.grace_hours * 3600
        return math.ceil(excess / DAY_S) if excess > 0 else 0

    def penalty_fraction(self, seconds_late: float) -> float:
        """Share of the earned score taken off (1.0 past the hard deadline)."""
        if not self.accepted(seconds_late):
            return 1.0
        percent = min(
            self.max_penalty_percent, self.days_charged(seconds_late) * self.penalty_per_day_percent
        )
        return percent / 100.0
