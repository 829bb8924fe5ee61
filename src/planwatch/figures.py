"""How a figure is written: one precision rule, used by every sentence, table, chart and page.

The rule: a figure keeps at most two decimals (trailing zeros dropped: 7569.53, 74.5, 9000); money
per person in 元 is whole (人均可支配收入 64240 元); a small non-zero figure below 0.1 keeps four
(0.0156 吨标准煤/万元). Shares of the period or of the distance covered are percentages with one
decimal (64.7%). Rounding is half-to-even on the binary value, as Python's format does.
"""

from __future__ import annotations

import math
import re

from planwatch.model import Bound, Comparator
from planwatch.vocabulary import BOUND_SIGNS, BOUND_WORDS, COMPARATOR_WORDS, MISSING

WHOLE_UNITS = ("元", "元/人", "美元", "美元/人")


def decimals(value: float, unit: str | None = None) -> int:
    """The number of decimals a figure of ``unit`` is written with."""
    if unit in WHOLE_UNITS:
        return 0
    if value != 0 and abs(value) < 0.1:
        return 4
    return 2


def fmt_number(value: float | None, unit: str | None = None) -> str:
    """A figure by the precision rule, without its unit; '—' when missing or not finite."""
    if value is None or not math.isfinite(value):
        return MISSING
    text = f"{value:.{decimals(value, unit)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_share(share: float | None) -> str:
    """A share (0.6472) as a percentage with one decimal ('64.7%'); '—' when missing."""
    if share is None or not math.isfinite(share):
        return MISSING
    return f"{share * 100:.1f}%"


def fmt_value(value: float | None, bound: Bound | str | None = None, unit: str | None = None) -> str:
    """An observed value for a table cell, with its bound sign (>129); '—' when missing."""
    if value is None or not math.isfinite(value):
        return MISSING
    sign = BOUND_SIGNS[Bound(bound)] if bound else ""
    return sign + fmt_number(value, unit)


def with_unit(value: float | None, unit: str | None = None, bound: Bound | str | None = None) -> str:
    """A value followed by its unit, with a bound in words, for running text (超过129万人)."""
    if value is None or not math.isfinite(value):
        return MISSING
    word = BOUND_WORDS[Bound(bound)] if bound else ""
    return f"{word}{fmt_number(value, unit)}{unit or ''}"


def fmt_rate(rate: float | None, unit: str | None = "%") -> str:
    """An annual rate in its unit: '6.2%' on a geometric path, '0.25个百分点/年' on a linear one; '—' when missing."""
    if rate is None or not math.isfinite(rate):
        return MISSING
    unit = unit or "%"
    return f"{fmt_number(rate, '%' if unit == '%' else None)}{unit}"


def difference(value: float, unit: str | None) -> str:
    """A difference between two values: percentage points for a % unit."""
    if unit == "%":
        return f"{fmt_number(value, unit)}个百分点"
    return with_unit(value, unit)


def target_with_unit(text: str, unit: str | None) -> str:
    """The printed target with its unit after the number (93以上 → 93%以上), unless already there."""
    if not unit or unit in text:
        return text
    return re.sub(r"^([-+]?\d+(?:\.\d+)?)", lambda m: m[1] + unit, text, count=1)


def target_phrase(value: float | None, comparator: Comparator | str | None, unit: str | None = None,
                  value_max: float | None = None) -> str:
    """A target as a reader says it: 9500亿元以上, 75%左右, 5%～6%; '—' without a value."""
    if value is None:
        return MISSING
    unit = unit or ""
    if comparator == Comparator.between and value_max is not None:
        return f"{fmt_number(value, unit)}{unit}～{fmt_number(value_max, unit)}{unit}"
    word = COMPARATOR_WORDS.get(Comparator(comparator), "") if comparator else ""
    return f"{fmt_number(value, unit)}{unit}{word}"
