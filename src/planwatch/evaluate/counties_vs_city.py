"""The counties' plans against the city's: do the county targets add up to, and live up to, the city's?

A city office checks its 县(市、区) plans against its own (issue 10). For each indicator of the city's plan
(matched in a county plan by :mod:`planwatch.series_match`: normalised name, synonyms, unit family):

- a total (:func:`.comparability.is_total`: 亿元, 万人, 万吨 …) — the counties' targets are summed, in the city's
  unit, against the city's target (地区生产总值 9000亿元): a sum below an at-least target (above an at-most one)
  cannot deliver the city's. The sum assumes the counties partition the city, as 嘉兴市's seven do; a county
  with a plan but without the indicator is named, since the sum then lacks its share;
- a rate, share, intensity or growth (%, 微克/立方米, 年均增长 …) — the range of the counties' targets, and the
  counties whose target is weaker than the city's (lower on a higher-is-better indicator, higher on a
  lower-is-better one such as PM2.5 浓度);
- an indicator the city has and a county plan lacks is listed per county.

Every item carries both plans' places (plan key, line or location), so a person can open each plan at the row.
:func:`check` is pure; :func:`read_county_check` reads the plans and the region tree from a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planwatch.errors import EvaluationError
from planwatch.model import Comparator, Direction, Indicator, Plan
from planwatch.numbers import UnitError, convert
from planwatch.series_match import SeriesIndex
from planwatch.store import Store
from planwatch.store.plans import plan_key
from planwatch.vocabulary import (
    COUNTY_RATE_ABOVE,
    COUNTY_RATE_BELOW,
    COUNTY_TOTAL_COVERS,
    COUNTY_TOTAL_OVER,
    COUNTY_TOTAL_SHORT,
    COUNTY_TOTAL_WITHIN,
    place_in_plan,
    series_match_label,
)

from .comparability import is_total


@dataclass(frozen=True)
class PlanItem:
    """One indicator's target in one plan, with where a person finds it."""

    plan_key: str
    region: str
    indicator_id: str
    name: str
    unit: str | None
    value: float | None
    text: str
    line: int
    location: str | None = None

    @property
    def place(self) -> str:
        """第455行, or the reader's location (p.9 表2 第14行)."""
        return place_in_plan(self.line, self.location)


@dataclass(frozen=True)
class CountyTarget:
    """A county plan's target for a city indicator: as written, in the city's unit, and why it was matched."""

    item: PlanItem
    value: float | None  # in the city's unit
    match: str  # 名称、单位相同 / 同义名称（…）


@dataclass(frozen=True)
class TotalCheck:
    """A total: the counties' targets summed against the city's."""

    city: PlanItem
    counties: tuple[CountyTarget, ...]
    county_sum: float
    difference: float  # county_sum − the city's target, in the city's unit
    consistent: bool
    verdict: str
    lacking: tuple[str, ...]  # counties with a plan but no value for it: the sum lacks their share


@dataclass(frozen=True)
class RateCheck:
    """A rate, share or growth: the range of the counties' targets and the counties weaker than the city."""

    city: PlanItem
    counties: tuple[CountyTarget, ...]
    low: float
    high: float
    weaker: tuple[CountyTarget, ...]
    verdict: str  # what a weaker county's target is: 低于全市目标 / 高于全市目标


@dataclass(frozen=True)
class MissingIndicator:
    """An indicator of the city's plan that a county's plan lacks."""

    city: PlanItem
    county: str
    county_plan_key: str


@dataclass(frozen=True)
class CountyCheck:
    """The whole check of one city plan against its counties' plans."""

    city_key: str
    city_region: str
    counties: tuple[tuple[str, str], ...]  # (county, plan key) with a plan, in the region tree's order
    without_plan: tuple[str, ...]  # counties of the region tree with no plan for the period
    totals: tuple[TotalCheck, ...]
    rates: tuple[RateCheck, ...]
    missing: tuple[MissingIndicator, ...]
    not_compared: tuple[PlanItem, ...]  # city indicators without a value (省下达, 与经济增长同步)


def item_of(plan: Plan, key: str, ind: Indicator) -> PlanItem:
    """The :class:`PlanItem` of an indicator of a plan."""
    return PlanItem(plan_key=key, region=plan.meta.region or "", indicator_id=ind.id, name=ind.name,
                    unit=ind.unit, value=ind.target.value, text=ind.target.text, line=ind.line,
                    location=ind.location)


def in_unit(value: float | None, unit: str | None, wanted: str | None) -> float | None:
    """A county's value in the city's unit (万元 → 亿元); units the matcher paired are of one family."""
    if value is None or not unit or not wanted or unit == wanted:
        return value
    try:
        return convert(value, unit, wanted)
    except UnitError:  # an unknown unit pairs only with itself: nothing to convert
        return value


def lower_is_better(ind: Indicator) -> bool:
    """Whether less is the goal (PM2.5 27以下, a total held below a ceiling)."""
    return ind.target.direction == Direction.lower_is_better or ind.target.comparator == Comparator.at_most


def counties_of(city: Plan, plans: Iterable[Plan], children: Sequence[str]) -> tuple[list[Plan], list[str]]:
    """The county plans of the city's period, one per county in ``children``'s order (the last loaded when a
    county has several), and the counties without one."""
    chosen: dict[str, Plan] = {}
    for plan in plans:
        region = plan.meta.region
        if region and region in children and plan.meta.period_end == city.meta.period_end:
            chosen[region] = plan
    return [chosen[c] for c in children if c in chosen], [c for c in children if c not in chosen]


def check(city: Plan, counties: Sequence[Plan], without_plan: Sequence[str] = ()) -> CountyCheck:
    """Totals summed, rates ranged, indicators missing: the city's plan against its counties' plans."""
    city_key = plan_key(city)
    keys = [plan_key(c) for c in counties]
    indexes = [SeriesIndex(c.current_indicators()) for c in counties]
    totals: list[TotalCheck] = []
    rates: list[RateCheck] = []
    missing: list[MissingIndicator] = []
    not_compared: list[PlanItem] = []
    for ind in city.current_indicators():
        own = item_of(city, city_key, ind)
        found: list[CountyTarget] = []
        lacking: list[str] = []
        for county, key, index in zip(counties, keys, indexes, strict=True):
            region = county.meta.region or key
            hit = index.first(ind)
            if hit is None:
                missing.append(MissingIndicator(own, region, key))
                lacking.append(region)
                continue
            other, why = hit
            value = in_unit(other.target.value, other.unit, ind.unit)
            if value is None:
                lacking.append(region)
                continue
            label = series_match_label(why.reason, why.synonyms, why.units)
            found.append(CountyTarget(item_of(county, key, other), value, label))
        if ind.target.value is None:
            not_compared.append(own)
        elif found and is_total(ind.unit, ind.name):
            totals.append(total_check(own, ind, found, lacking))
        elif found:
            rates.append(rate_check(own, ind, found))
    return CountyCheck(city_key=city_key, city_region=city.meta.region or "",
                       counties=tuple((c.meta.region or k, k) for c, k in zip(counties, keys, strict=True)),
                       without_plan=tuple(without_plan), totals=tuple(totals), rates=tuple(rates),
                       missing=tuple(missing), not_compared=tuple(not_compared))


def total_check(own: PlanItem, ind: Indicator, found: list[CountyTarget], lacking: list[str]) -> TotalCheck:
    """The counties' sum against the city's total: at least it for a target to reach, at most for a ceiling."""
    assert own.value is not None  # only called for a city target with a value
    county_sum = sum(c.value for c in found if c.value is not None)
    ceiling = lower_is_better(ind)
    consistent = county_sum <= own.value if ceiling else county_sum >= own.value
    if ceiling:
        verdict = COUNTY_TOTAL_WITHIN if consistent else COUNTY_TOTAL_OVER
    else:
        verdict = COUNTY_TOTAL_COVERS if consistent else COUNTY_TOTAL_SHORT
    return TotalCheck(own, tuple(found), county_sum, county_sum - own.value, consistent, verdict, tuple(lacking))


def rate_check(own: PlanItem, ind: Indicator, found: list[CountyTarget]) -> RateCheck:
    """The counties' range, and those whose target is weaker than the city's."""
    assert own.value is not None
    city_value = own.value
    values = [c.value for c in found if c.value is not None]
    lower = lower_is_better(ind)
    weaker = tuple(c for c in found if c.value is not None and (c.value > city_value if lower else c.value < city_value))
    return RateCheck(own, tuple(found), min(values), max(values), weaker,
                     COUNTY_RATE_ABOVE if lower else COUNTY_RATE_BELOW)


def city_plan_key(store: Store, asked: str | None, children_of: dict[str, list[str]]) -> str:
    """The city plan to check: the one asked for; else the only plan with county plans below its region."""
    if asked:
        return asked
    plans = store.plans()
    regions_with_plans = {p.region for p in plans}
    cities = [p for p in plans if any(c in regions_with_plans for c in children_of.get(p.region or "", []))]
    if len(cities) == 1:
        return cities[0].key
    listed = "；".join(f"{p.key}（{p.title}）" for p in (cities or plans))
    if not cities:
        raise EvaluationError(f"没有找到下辖县（市、区）规划已载入的市级规划，请先载入县级规划并导入地区表；已有规划：{listed}")
    raise EvaluationError(f"有 {len(cities)} 个市级规划下辖县级规划，请用 --plan 指定其中一个：{listed}")


def read_county_check(store: Store, asked: str | None = None) -> CountyCheck:
    """Read the city plan (``asked``, or the only one with county plans), its counties' plans and the region
    tree from ``store``, and check them."""
    children_of: dict[str, list[str]] = {}
    for region in store.regions():
        if region.parent:
            children_of.setdefault(region.parent, []).append(region.name)
    city = store.plan(city_plan_key(store, asked, children_of))
    children = children_of.get(city.meta.region or "", [])
    candidates = [store.plan(p.key) for p in store.plans() if p.region in children]
    counties, without_plan = counties_of(city, candidates, children)
    return check(city, counties, without_plan)
