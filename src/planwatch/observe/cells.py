"""Reading one observation cell as printed: numbers, bounds (>129, 超129), qualitative text."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from planwatch.model import Bound

ABOVE_PREFIXES = (">=", "≥", ">", "超过", "超", "突破", "高于", "大于", "逾", "多于", "不低于", "不少于")
BELOW_PREFIXES = ("<=", "≤", "<", "低于", "小于", "不足", "不到", "不超过", "不高于")
ABOVE_SUFFIXES = ("以上", "多", "余")
BELOW_SUFFIXES = ("以下", "以内")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Spellings of an infinite or undefined number (after NFKC, lower case, sign dropped). Excel's error
# values (#N/A, #DIV/0!) are left to the ordinary rule: not a number, or a text where text is expected.
NON_FINITE = {"inf", "infinity", "nan", "∞"}
# A date as sheets write it (2023-06-30, 2023/6/30, 2023.6.30, 2023年6月30日, a spreadsheet's midnight
# 2023-06-30 00:00:00), or a month alone (2023-06, 2023年6月).
FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?")
MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
# Units whose values are ranks or labels rather than quantities.
QUALITATIVE_UNITS = {"位次", "名次", "排名", "位", "名", "等级", "级", "定性", "文字", "-"}


@dataclass
class Reading:
    """A cell read as a number (with an optional bound) or as text."""

    value: float | None = None
    bound: Bound | None = None
    text: str | None = None
    percent: bool = False
    non_finite: bool = False

    @property
    def numeric(self) -> bool:
        return self.value is not None


def normalise(text: str) -> str:
    """NFKC-normalised, trimmed text (full-width digits and signs become ASCII)."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(text: str) -> float | None:
    """A plain decimal number with optional thousands separators, or None (also for one too large: 1e309)."""
    t = text.replace(",", "").replace(" ", "")
    if not NUMBER.match(t):
        return None
    number = float(t)
    return number if math.isfinite(number) else None


def parse_date(cell: str) -> str | None:
    """A date cell as YYYY-MM-DD (a month alone → its last day); None when it is not a date."""
    text = normalise(cell)
    try:
        if m := FULL_DATE.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := MONTH.fullmatch(text):
            year, month = int(m[1]), int(m[2])
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    except ValueError:
        return None
    return None


def is_non_finite(text: str) -> bool:
    """Whether a cell spells infinity or not-a-number (inf, -Infinity, NaN, 1e309, ∞): no figure can be."""
    t = text.replace(",", "").replace(" ", "").lower().lstrip("+-")
    return t in NON_FINITE or (bool(NUMBER.match(t)) and not math.isfinite(float(t)))


def read_cell(raw: str) -> Reading:
    """The value of a cell: number, bound + number, or text (anything else)."""
    text = normalise(raw)
    body, bound = text, None
    for prefixes, b in ((ABOVE_PREFIXES, Bound.above), (BELOW_PREFIXES, Bound.below)):
        for p in prefixes:
            if body.startswith(p):
                body, bound = body[len(p):].strip(), b
                break
        if bound:
            break
    if bound is None:
        for suffixes, b in ((ABOVE_SUFFIXES, Bound.above), (BELOW_SUFFIXES, Bound.below)):
            for s in suffixes:
                head = body[: -len(s)].rstrip("%")
                if body.endswith(s) and (parse_number(head) is not None or is_non_finite(head)):
                    body, bound = body[: -len(s)].strip(), b
                    break
            if bound:
                break
    percent = body.endswith("%")
    if is_non_finite(body.rstrip("%").strip()):
        return Reading(text=text, non_finite=True)
    number = parse_number(body.rstrip("%").strip())
    if number is None:
        return Reading(text=text)
    return Reading(value=number, bound=bound, percent=percent)


def is_qualitative_unit(unit: str) -> bool:
    """Whether a unit labels ranks or words (位次), so a non-numeric value is expected."""
    return normalise(unit) in QUALITATIVE_UNITS
