"""Level targets (9000亿元, 93以上, PM2.5 27以下, 75左右): progress along the planned path."""

from __future__ import annotations

import numpy as np

from planwatch.figures import with_unit
from planwatch.model import Attribute, Bound, Comparator, Direction, PathShape, Status

from .evidence import is_none
from .measures import Case, Measures, about_tolerance, direction_of, thresholds
from .paths import average_rate, completion, expected_value, geometric_mask
from .projection import project, year_reached
from .tolerance import equal, within

# Said in the explanation of a target judged by its line alone (no base value, or base = target).
BY_LINE = "按目标线判断"
# The comparators whose line can be judged without a base: a floor, a ceiling, a band.
_LINES = (Comparator.at_least, Comparator.at_most, Comparator.about, Comparator.between)


def mark_missing(m: Measures, case: Case, has_value: np.ndarray | None = None) -> None:
    """Verdicts for regions without a usable value: no data at all, or only words."""
    ev = case.evidence
    has_value = np.zeros(case.n, dtype=bool) if has_value is None else has_value
    earlier = ~ev.any_rows & np.isfinite(ev.earlier_year)
    if earlier.any():
        m.set_verdict(earlier, Status.no_data, np.array(
            [f"规划期内尚无实际数据（最新为{int(y)}年，早于基期{case.base_year}年）" if e else None
             for e, y in zip(earlier, ev.earlier_year, strict=True)], dtype=object))
    m.set_verdict(~ev.any_rows, Status.no_data, "截至评估年份尚无实际数据")
    texts = np.array([f"仅有定性描述（{t}），无法与目标数值比较" if t else None for t in ev.text], dtype=object) \
        if np.any(~is_none(ev.text)) else None
    if texts is not None:
        m.set_verdict(~has_value & ~is_none(ev.text), Status.not_assessable, texts)


def prepare(case: Case) -> Measures:
    """Measures carrying the latest level, its year, bound, sources and the baseline."""
    ev = case.evidence
    m = Measures(case.n, rate_unit="%")
    m["actual"] = ev.level
    m["actual_year"] = ev.level_year
    m["baseline"] = case.baseline
    m["bound"] = ev.level_bound
    m["sources"] = _sources(ev.level_source, ev.base_source)
    mark_missing(m, case, np.isfinite(ev.level))
    return m


def _sources(*columns: np.ndarray) -> np.ndarray:
    """Distinct sources per region, in column order (one list per region)."""
    rows = zip(*(c.tolist() for c in columns), strict=True)
    return np.fromiter((_distinct(items) for items in rows), dtype=object, count=len(columns[0]))


def _distinct(items: tuple) -> list[str]:
    seen: list[str] = []
    for s in items:
        if s and s not in seen:
            seen.append(str(s))
    return seen


def measure(case: Case) -> Measures:
    """Judge a level target for every region."""
    m = prepare(case)
    target = case.target
    if target.value is None:
        m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable, "目标值缺失")
        return m
    ev, n_years = case.evidence, case.span
    base = case.baseline
    direction = direction_of(target, _scalar(base))
    low, high = thresholds(target, direction, about_tolerance(target, case.unit, case.settings))
    goal = _goal(target.value, low, high, base, direction)
    geometric = case.path == PathShape.geometric
    geo = geometric_mask(geometric, base, target.value)
    linear_rate = not geometric
    m.linear_rate = linear_rate
    m.rate_unit = "%" if geometric else _per_year(case.unit)

    sign = _sign(direction, base, target.value)
    m["direction_sign"] = sign
    actual, when = ev.level, ev.level_year
    has = np.isfinite(actual)
    elapsed = np.where(has, when - case.base_year, case.year - case.base_year)
    share = elapsed / n_years if n_years > 0 else np.ones(case.n)
    left = np.where(has, case.end_year - when, case.end_year - case.year)
    met = has & within(actual, low, high)
    m["target"] = np.full(case.n, float(target.value))
    m["time_share"] = share
    m["expected"] = expected_value(base, target.value, share, geo)
    m["completion"] = completion(base, actual, target.value, geo)
    m["met"] = met
    m["gap"] = sign * (goal - actual)
    m["observed_rate"] = average_rate(base, actual, elapsed, geo)
    m["planned_rate"] = average_rate(base, target.value, n_years, geo)
    # The rate still needed runs from the latest value to the goal: no base is needed for it, so a floor with no
    # base still gets a rate in its path's own unit (% on a geometric path), never units/year shown as %.
    ahead = geometric_mask(geometric, actual, goal)
    m["required_rate"] = np.where((left > 0) & ~met, average_rate(actual, goal, left, ahead), np.nan)
    pace = _pace(case, m["observed_rate"], sign, geo)
    m["projection"] = np.where(left > 0, project(actual, pace, left, geo), actual)
    m["projection_share"] = completion(base, m["projection"], target.value, geo)
    reached = year_reached(actual, when, goal, pace, geo,
                           last_year=case.end_year + case.settings.projection_horizon)
    m["projection_year"] = np.where(met, when, reached)
    projected_ok = within(m["projection"], low, high)
    m["warning"] = has & np.isfinite(base) & ~met & ~projected_ok
    m["bound_side"] = _bound_side(ev.level_bound, direction, sign)
    _rebased(case, m, geometric)
    _held_each_year(case, m)
    _overshot_the_band(case, m, low, high, direction)
    _judge_by_line(case, m, low, high, projected_ok)
    _fell_back(case, m, low, high, projected_ok)
    no_base = has & ~met & ~np.isfinite(base)
    m.set_verdict(no_base, Status.not_assessable, "缺少基期值，无法计算完成进度（实际值尚未达到目标）")
    if linear_rate:
        m.rule_note = "该指标按线性路径评估，年均变化以每年变化量（而非增长率）计算"
    return m


def _rebased(case: Case, m: Measures, geometric: bool) -> None:
    """Where the base year's value as now observed differs from the plan's (a census rebasing: 城镇化率 69 in
    the plan, 71.3 on the census basis), the completion on the observed base as well; the plan's stays the
    judgement, both are shown."""
    observed, plan_base, target = case.evidence.base_level, case.baseline, case.target.value
    assert target is not None
    with np.errstate(invalid="ignore"):
        differs = np.isfinite(observed) & np.isfinite(plan_base) & ~equal(observed, plan_base)
    if not differs.any():
        return
    geo = geometric_mask(geometric, observed, target)
    m["rebased_baseline"] = np.where(differs, observed, np.nan)
    m["rebased_completion"] = np.where(differs, completion(observed, m["actual"], target, geo), np.nan)


def _plain_levels(rows) -> np.ndarray:
    """Rows that are plain level values (a number, no bound)."""
    return (rows.kind == "level") & np.isfinite(rows.value) & is_none(rows.bound)


def _pace(case: Case, long_rate: np.ndarray, sign: np.ndarray, geo: np.ndarray) -> np.ndarray:
    """The pace a projection carries forward: the slower of base → latest and the recent window's trend.

    The recent window is ``recent_window_years`` years ending at the data year: its trend runs from the
    earliest plain level observed in the window after the base year to the latest value. "Slower" is
    measured in the direction of progress (``sign``); where either trend is missing the long one stands.
    """
    rows, window = case.rows, case.settings.recent_window_years
    if rows is None or len(rows) == 0 or window < 2:
        return long_rate
    ev = case.evidence
    latest = ev.level_year[rows.rc]
    with np.errstate(invalid="ignore"):
        inside = _plain_levels(rows) & (rows.year < latest) & (rows.year >= latest - (window - 1)) \
            & (rows.year > case.base_year)
    idx = np.flatnonzero(inside)
    if not len(idx):
        return long_rate
    hit, first = np.unique(rows.rc[idx], return_index=True)
    start, start_year = np.full(case.n, np.nan), np.full(case.n, np.nan)
    start[hit], start_year[hit] = rows.value[idx[first]], rows.year[idx[first]]
    recent = average_rate(start, ev.level, ev.level_year - start_year, geo)
    with np.errstate(invalid="ignore"):
        slower = np.isfinite(long_rate) & np.isfinite(recent) & (sign * recent < sign * long_rate)
    return np.where(slower, recent, long_rate)


# Ends the fall-back note when the warning comes from the fall back alone (the trend still meets the target).
WARNED = "，列入预警"


def _fell_back(case: Case, m: Measures, low: float, high: float, projected_ok: np.ndarray) -> None:
    """A value that met its target in an earlier year of the period and no longer does: a warning, and a note
    (2021年曾达到目标93%以上，2023年回落至92%) beside the status the path rule gives. Where the trend still
    meets the target the note itself says why it is warned (…，列入预警), as no projection note will."""
    rows, ev = case.rows, case.evidence
    if rows is None or len(rows) == 0:
        return
    latest = ev.level_year[rows.rc]
    with np.errstate(invalid="ignore"):
        earlier = _plain_levels(rows) & (rows.year < latest) & (rows.year > case.base_year) \
            & within(rows.value, low, high)
    idx = np.flatnonzero(earlier)
    if not len(idx):
        return
    hit, first = np.unique(rows.rc[idx], return_index=True)
    fell = np.zeros(case.n, dtype=bool)
    fell[hit] = True
    fell &= np.isfinite(ev.level) & ~m["met"] & is_none(ev.level_bound)
    if not fell.any():
        return
    when = dict(zip(hit.tolist(), rows.year[idx[first]].tolist(), strict=True))
    goal, unit = _target_phrase(case), case.unit
    notes = np.full(case.n, None, dtype=object)
    for i in np.flatnonzero(fell).tolist():
        earlier_value = rows.value[idx[first[hit.tolist().index(i)]]]
        moved = "回落" if ev.level[i] < earlier_value else "反弹"
        notes[i] = (f"{when[i]}年曾达到目标{goal}，{int(ev.level_year[i])}年{moved}至"
                    f"{with_unit(float(ev.level[i]), unit)}") + (WARNED if projected_ok[i] else "")
    m["warning"] = m["warning"] | fell
    m["warning_said"] = fell & projected_ok
    m["fell_back_note"] = notes


_COMPARATOR_WORDS = {Comparator.at_least: "以上", Comparator.at_most: "以下", Comparator.about: "左右"}


def _target_phrase(case: Case) -> str:
    """The target as a reader says it with its unit: 93%以上, 27微克/立方米以下, 5%～6%."""
    target, unit = case.target, case.unit
    assert target.value is not None
    if target.comparator == Comparator.between and target.value_max is not None:
        return f"{with_unit(float(target.value), unit)}～{with_unit(float(target.value_max), unit)}"
    return with_unit(float(target.value), unit) + _COMPARATOR_WORDS.get(target.comparator, "")  # type: ignore[arg-type]


def _judge_by_line(case: Case, m: Measures, low: float, high: float, projected_ok: np.ndarray) -> None:
    """A floor, ceiling or band with no distance to measure (no base, or base = target): its side of the line.

    On the wrong side the target is 滞后 (at the end year the end-of-period rule makes it 未实现), with a
    warning when the indicator is binding (约束性), when the period is over, or when a trend exists and
    misses the line; completion stays empty. A bound that cannot prove the wrong side (">12") is left alone.
    """
    target = case.target
    if target.comparator not in _LINES or target.value is None:
        return
    base, actual = case.baseline, m["actual"]
    flat = ~np.isfinite(base) | equal(base, float(target.value))
    wrong = np.isfinite(actual) & ~m["met"] & flat & (m["bound_side"] <= 0)
    if not wrong.any():
        return
    binding = case.indicator.attribute == Attribute.binding
    final = case.year >= case.end_year
    trend_misses = np.isfinite(m["projection"]) & ~projected_ok
    m["warning"] = np.where(wrong, binding or final or trend_misses, m["warning"]).astype(bool)
    m["completion"] = np.where(wrong, np.nan, m["completion"])
    m["by_line"] = m["by_line"] | wrong
    m.set_verdict(wrong, Status.lagging, _line_reasons(case, m, wrong, low, high))


def _band_text(low: float, high: float, unit: str) -> str:
    return f"{with_unit(low, unit)}～{with_unit(high, unit)}"


def _held_each_year(case: Case, m: Measures) -> None:
    """An annual control target (年度控制目标) holds a level every year instead of reaching one: a 左右 band
    with no base, or with the base already inside it (城镇调查失业率 5.5左右). Inside the band during the
    period it is 基本符合预期, as the national mid-term review judges it — never 提前实现; only the target
    year settles it (已实现 / 未实现, or 预计… before its data). The band said is the one judged."""
    target = case.target
    if target.comparator != Comparator.about or case.year >= case.end_year or not _is_control(case):
        return
    holding = m["met"].copy()
    if not holding.any():
        return
    m["met"] = m["met"] & ~holding
    m["by_line"] = m["by_line"] | holding
    m["required_rate"] = np.where(holding, np.nan, m["required_rate"])  # a level held needs no further change
    band = _band_text(*_literal_band(case), case.unit)
    m.set_verdict(holding, Status.on_track, f"在目标区间{band}内（年度控制目标，逐年判断）")


def _is_control(case: Case) -> bool:
    """Whether the plan states a 左右 target as a level to hold: its own base is missing (失业率 “-”) or already
    inside the literal band (5.5 ± 0.5), whatever side counts as good. Read from the plan's base, not a region's."""
    base = case.indicator.baseline.value
    return base is None or bool(within(base, *_literal_band(case)))


def _literal_band(case: Case) -> tuple[float, float]:
    """The 左右 band as printed, value ± tolerance, whichever side counts as good (5.5左右 → 5～6)."""
    target = case.target
    return thresholds(target, Direction.neutral, about_tolerance(target, case.unit, case.settings))


def _overshot_the_band(case: Case, m: Measures, low: float, high: float, direction: Direction) -> None:
    """A neutral 左右 band passed on its far side (base below it, value above it, or the reverse) is missed,
    not 快于预期: 滞后 with a warning (at the end 未实现)."""
    if case.target.comparator != Comparator.about or direction != Direction.neutral or case.target.value is None:
        return
    base, actual, value = case.baseline, m["actual"], float(case.target.value)
    with np.errstate(invalid="ignore"):
        far = np.isfinite(base) & np.isfinite(actual) & ~m["met"] & ~within(base, low, high) \
            & (np.sign(actual - value) == np.sign(value - base))
    if not far.any():
        return
    m["warning"] = m["warning"] | far
    m["by_line"] = m["by_line"] | far
    band = _band_text(low, high, case.unit)
    reasons = np.array([f"{'高于' if a > value else '低于'}目标区间{band}，越过了目标，偏离预期" for a in actual],
                       dtype=object)
    m.set_verdict(far, Status.lagging, reasons)


def _line_reasons(case: Case, m: Measures, wrong: np.ndarray, low: float, high: float) -> np.ndarray:
    """低于目标下限12.5%（无基期值，按目标线判断） for each region judged by the line."""
    unit = case.unit
    band = np.isfinite(low) and np.isfinite(high) and low != high
    out = np.full(case.n, None, dtype=object)
    for i in np.flatnonzero(wrong):
        below = m["actual"][i] < low
        if band:
            side = f"{'低于' if below else '高于'}目标区间{with_unit(low, unit)}～{with_unit(high, unit)}"
        else:
            side = f"低于目标下限{with_unit(low, unit)}" if below else f"高于目标上限{with_unit(high, unit)}"
        why = "无基期值" if not np.isfinite(case.baseline[i]) else "基期值等于目标值，无从计算完成进度"
        out[i] = f"{side}（{why}，{BY_LINE}）"
    return out


def _scalar(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite[0]) if len(finite) else None


def _goal(value: float, low: float, high: float, base: np.ndarray, direction: Direction) -> np.ndarray:
    """The nearest value that meets the target, seen from the base (the edge of a band)."""
    if direction == Direction.higher_is_better and np.isfinite(low):
        return np.full(len(base), low)
    if direction == Direction.lower_is_better and np.isfinite(high):
        return np.full(len(base), high)
    with np.errstate(invalid="ignore"):
        return np.where(base > high, high, np.where(base < low, low, value))


def _sign(direction: Direction, base: np.ndarray, value: float) -> np.ndarray:
    """+1 where going up is progress, −1 where going down is."""
    if direction == Direction.higher_is_better:
        return np.ones(len(base))
    if direction == Direction.lower_is_better:
        return -np.ones(len(base))
    with np.errstate(invalid="ignore"):
        return np.where(base > value, -1.0, 1.0)


def _bound_side(bounds: np.ndarray, direction: Direction, sign: np.ndarray) -> np.ndarray:
    """+1 where a bound says the truth is at least this good, −1 at most this good, 0 no bound."""
    above = np.equal(bounds, Bound.above.value) | np.equal(bounds, Bound.above)
    below = np.equal(bounds, Bound.below.value) | np.equal(bounds, Bound.below)
    side = np.where(above, 1, np.where(below, -1, 0))
    return (side * np.where(sign >= 0, 1, -1)).astype(int)


def _per_year(unit: str) -> str:
    unit = unit.strip()
    if unit in ("%", "％"):
        return "个百分点/年"
    return f"{unit}/年" if unit else "/年"
