"""Which targets another region (a county) can be held to: a total never, a rate, share or intensity yes.

A plan's table states the targets of the plan's own region (嘉兴市 地区生产总值 9000亿元). Judged for one of
its counties, a *total* — an extensive quantity, which adds up over the counties — is meaningless:
南湖区 GDP 1050亿元 is not 11.7% of the way to the city's 9000亿元. A *rate, share or intensity*
(城镇化率 75%左右, R&D 占比 3.75%, PM2.5 27以下 微克/立方米, 人均…, 每千人口…) does not add up, and is the
standard a city office checks its counties against; so is a growth rate (年均增长 7以上).

The one rule, :func:`is_total`, reads the unit as :func:`planwatch.numbers.parse_unit` does, and the
indicator's name for the per-head words a unit alone cannot show (每万人高价值发明专利拥有量 is counted in 件):

- a unit with a denominator (元/人, 万元/人, 微克/立方米, 吨标准煤/万元, 人/亿元, 公里/小时) is an intensity;
- %, ‰, 百分点 and the time units (岁, 年, 天, 小时, 分钟) are rates or levels of a person or place;
- money without 万/亿 (元, 美元) is a per-head amount (居民收入, 最低工资): totals are written in 万元, 亿元;
- every other known unit is an amount (亿元, 万元, 亿美元, 万人, 人, 户, 件, 个, 家, 万吨, 公里, 平方米,
  万千瓦, 万吨标煤 …): a total — unless the name says it is per head or per unit (每…, 人均, 户均, 亩均, 地均,
  单位…, 平均, 比重, 占比, 比例, 密度, 强度);
- an unknown unit (倍, or none at all) is not called a total: such a target is judged as before.
"""

from __future__ import annotations

import math
import re

from planwatch.figures import target_with_unit, with_unit
from planwatch.numbers import parse_unit, to_halfwidth

# Unit families (planwatch.numbers) that measure a rate, a share or a level of a person or place, not an amount.
RATE_FAMILIES = frozenset({"percent", "percentage_point", "age", "years", "days", "hours", "minutes"})
# Words in an indicator's name that make an amount unit per head or per unit (每千人口拥有执业医师数 4.5 人).
PER_UNIT_WORDS = ("每", "人均", "户均", "亩均", "地均", "平均", "比重", "占比", "比例", "密度", "强度")
_PER_UNIT_PREFIXES = ("单位",)  # 单位地区生产总值能源消耗 (but 规上单位数 is a count)
_NOTE = re.compile(r"\([^()]*\)$")  # 万套(户): the note in brackets does not change the unit


def is_total(unit: str | None, name: str = "") -> bool:
    """Whether a target in ``unit`` for the indicator ``name`` states a total (an amount that adds up over regions)."""
    name = name or ""
    if any(w in name for w in PER_UNIT_WORDS) or name.startswith(_PER_UNIT_PREFIXES):
        return False
    text = _NOTE.sub("", to_halfwidth(unit or "").strip().replace(" ", ""))
    if not text:
        return False
    parsed = parse_unit(text)
    if not parsed.known or "/" in parsed.family:
        return False
    if parsed.family.startswith("money_") and parsed.scale < 1e4:
        return False  # plain 元: a per-head amount (居民收入 元, 最低工资 元); totals are in 万元, 亿元
    return parsed.family not in RATE_FAMILIES


def not_comparable_reason(region: str, own: str, target_text: str, unit: str | None, actual: float | None = None,
                          actual_year: float | None = None, actual_unit: str | None = None,
                          bound: str | None = None) -> str:
    """Why a total target of the plan's region is not judged for another region (said in the explanation).

    2024年实际1050亿元；南湖区的总量不对照嘉兴市的目标9000亿元（总量指标只与本地区的目标比较；如需评估，
    请使用南湖区自身规划或分解下达的目标）
    """
    seen = ""
    if actual is not None and math.isfinite(actual):
        when = f"{int(actual_year)}年" if actual_year is not None and math.isfinite(actual_year) else ""
        seen = f"{when}实际{with_unit(actual, actual_unit or unit, bound or None)}；"
    target = target_with_unit(target_text, unit) if target_text else ""
    return (f"{seen}{region}的总量不对照{own}的目标{target}（总量指标只与本地区的目标比较；"
            f"如需评估，请使用{region}自身规划或分解下达的目标）")
