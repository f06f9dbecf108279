"""中国常用编码：行政区划 (GB/T 2260)、身份证号 (GB 11643)、统一社会信用代码 (GB 32100)、Luhn。

Shared by the generator (which must only emit valid codes) and by desensitize (which uses the
same checks to score detections), so both sides agree on what "valid" means.
"""

from zhcodes.checksums import (
    gb11643_check_char,
    gb11643_check_chars,
    gb11643_valid,
    gb32100_check_char,
    gb32100_valid,
    luhn_check_digit,
    luhn_valid,
)
from zhcodes.divisions import Divisions, load_divisions

__all__ = [
    "Divisions",
    "gb11643_check_char",
    "gb11643_check_chars",
    "gb11643_valid",
    "gb32100_check_char",
    "gb32100_valid",
    "load_divisions",
    "luhn_check_digit",
    "luhn_valid",
]
