"""keep, redact, replace, mask."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from desensitize.operators.base import NoParams, Operator, OperatorContext


class Keep(Operator):
    name = "keep"

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        return value


class RedactParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    replacement: str = ""


class Redact(Operator):
    """Deletes the value (the 2016 rule's 删除); an optional fixed replacement such as ××."""

    name = "redact"
    params_model = RedactParams

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, RedactParams)
        return params.replacement


class ReplaceParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    new_value: str | None = None


class Replace(Operator):
    """A label naming the entity (``〔电话〕``) unless a fixed text is given."""

    name = "replace"
    params_model = ReplaceParams
    LABELS: ClassVar[dict[str, str]] = {
        "PHONE": "电话",
        "LANDLINE": "电话",
        "ID_CARD": "身份证号",
        "BANK_CARD": "账号",
        "PLATE": "车牌号",
        "ADDRESS": "地址",
        "PERSON": "姓名",
        "EMAIL": "邮箱",
        "PROPERTY_CERT": "权证号",
        "PASSPORT": "证件号",
        "VIN": "车架号",
        "ONLINE_ID": "账号",
        "USCC": "代码",
    }

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, ReplaceParams)
        return (
            params.new_value
            if params.new_value is not None
            else f"〔{self.LABELS.get(entity, entity)}〕"
        )


class MaskParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep_start: int = Field(3, ge=0)
    keep_end: int = Field(4, ge=0)
    char: str = Field("*", min_length=1, max_length=1)


class Mask(Operator):
    """138****2345: separators are dropped first so the kept digits are the real ends."""

    name = "mask"
    params_model = MaskParams

    def operate(self, entity: str, value: str, params: BaseModel, ctx: OperatorContext) -> str:
        assert isinstance(params, MaskParams)
        compact = value.replace(" ", "").replace("-", "") if entity != "PERSON" else value
        n = len(compact)
        if params.keep_start + params.keep_end >= n:
            return params.char * n
        return (
            compact[: params.keep_start]
            + params.char * (n - params.keep_start - params.keep_end)
            + (compact[n - params.keep_end :] if params.keep_end else "")
        )


__all__ = ["Keep", "Mask", "NoParams", "Redact", "Replace"]
