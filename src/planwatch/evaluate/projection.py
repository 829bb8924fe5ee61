"""Trend projection: where the current pace leads by the target year, and when it meets the goal."""

from __future__ import annotations

import numpy as np

from .paths import advance, years_to_reach
from .tolerance import EPSILON


def project(actual, rate, years_left, geo) -> np.ndarray:
    """Value at the target year if the observed average pace continues."""
    return advance(actual, rate, np.maximum(np.asarray(years_left, float), 0.0), geo)


def year_reached(actual, actual_year, goal, rate, geo, *, last_year: int) -> np.ndarray:
    """Year the goal would be reached at ``rate`` from ``actual``; NaN if never or after ``last_year``."""
    years = years_to_reach(actual, goal, rate, geo)
    with np.errstate(invalid="ignore"):
        # A hair of slack so a pace that lands exactly on the goal is not pushed a year later.
        when = np.ceil(np.asarray(actual_year, float) + years - EPSILON)
    return np.where(np.isfinite(when) & (when <= last_year), when, np.nan)

