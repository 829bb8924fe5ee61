"""The planned path from base to target: its shape, the expected value, time and progress on it.

All functions take numpy arrays (or scalars) and return arrays, so one call judges every region.
Rates are in % per year on a geometric path and in units (percentage points for %) per year on a
linear path.
"""

from __future__ import annotations

import numpy as np

from planwatch.model import Indicator, PathShape

from .settings import EvaluationSettings


def default_path(indicator: Indicator, settings: EvaluationSettings) -> PathShape:
    """The indicator's path shape: as reviewed, else geometric for compounding units, else linear."""
    if indicator.path is not None:
        return PathShape(indicator.path)
    unit = (indicator.unit or indicator.target.unit or "").strip()
    return PathShape.geometric if unit in settings.geometric_units else PathShape.linear


def time_elapsed(year: int, base_year: int, end_year: int) -> float:
    """Share of the plan period gone at ``year``: (year − base) / (end − base)."""
    span = end_year - base_year
    return (year - base_year) / span if span > 0 else 1.0


def geometric_mask(geometric: bool, *values) -> np.ndarray:
    """Where the geometric formulas apply: the path is geometric and every value is positive.

    Elsewhere (a zero or negative base, say) the linear formulas are used, so each element of a
    result is computed consistently by one shape.
    """
    arrays = [np.asarray(v, float) for v in values]
    ok = np.full(np.broadcast(*arrays).shape if arrays else (), bool(geometric))
    for v in arrays:
        ok = ok & np.isfinite(v) & (v > 0)
    return ok


def _log(x) -> np.ndarray:
    x = np.asarray(x, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.where(x > 0, x, np.nan))


def expected_value(base, target, share, geo) -> np.ndarray:
    """Value on the planned path after ``share`` of the period (0 = base, 1 = target)."""
    base, target = np.asarray(base, float), np.asarray(target, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = base * np.exp(_log(target / base) * share)
    return np.where(geo, g, base + (target - base) * share)


def completion(base, actual, target, geo) -> np.ndarray:
    """Share of the base→target distance covered, measured along the path (1 = target reached).

    On a geometric path this is the share of the log-distance, so a value exactly on the planned
    path has a completion equal to the time elapsed.
    """
    base, actual, target = (np.asarray(x, float) for x in (base, actual, target))
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = target != base
        lin = np.where(moved, (actual - base) / np.where(moved, target - base, 1.0), np.nan)
        g = np.where(moved, _log(actual / base) / np.where(moved, _log(target / base), 1.0), np.nan)
    return np.where(geo, g, lin)


def average_rate(start, end, years, geo) -> np.ndarray:
    """Average annual change from ``start`` to ``end`` over ``years``: % (geo) or units/year."""
    start, end, years = (np.asarray(x, float) for x in (start, end, years))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pos = years > 0
        n = np.where(pos, years, 1.0)
        lin = (end - start) / n
        g = np.expm1(_log(end / start) / n) * 100.0
    return np.where(pos, np.where(geo, g, lin), np.nan)


def advance(value, rate, years, geo) -> np.ndarray:
    """``value`` carried forward ``years`` at ``rate`` (the inverse of :func:`average_rate`)."""
    value, rate, years = (np.asarray(x, float) for x in (value, rate, years))
    with np.errstate(invalid="ignore", over="ignore"):
        g = value * np.power(1.0 + rate / 100.0, years)
    return np.where(geo, g, value + rate * years)


def years_to_reach(start, goal, rate, geo) -> np.ndarray:
    """Years needed to go from ``start`` to ``goal`` at ``rate``; NaN if that pace never gets there."""
    start, goal, rate = (np.asarray(x, float) for x in (start, goal, rate))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = _log(goal / start) / np.log1p(rate / 100.0)
        lin = (goal - start) / rate
    n = np.where(geo, g, lin)
    # Moving the wrong way (or not at all) never arrives.
    return np.where(np.isfinite(n) & (n >= 0), n, np.nan)


def planned_path(baseline: float | None, target: float | None, base_year: int | None, end_year: int | None,
                 shape: PathShape | None) -> list[tuple[int, float]]:
    """The value the plan asks for each year from base to target year, by :func:`expected_value`.

    Empty when the base or target is unknown; geometric only where both are positive, as in judging.
    """
    if baseline is None or target is None or not base_year or not end_year or end_year <= base_year:
        return []
    geo = geometric_mask(shape == PathShape.geometric, baseline, target)
    years = np.arange(base_year, end_year + 1)
    values = expected_value(baseline, target, (years - base_year) / (end_year - base_year), geo)
    return [(int(y), float(v)) for y, v in zip(years, values, strict=True)]
