"""The level series behind a rule's measures, for the methods that work on levels as published.

Open SDG and the UNSD Progress Chart both start from the compound annual growth rate (CAGR) of the
series' values, whatever the series measures (a total, a rate, a share). A level rule's measures carry
the base value *B*, the latest value *A* and the target *T*; the case tells the period's length *N*
(``Measures.span``) and whether the measures are such a series at all (``Measures.level_series``):
rules that measure rates rather than levels (年均增长, 比较性, 累计) have none, and their rate and
target are compared as they are.
"""

from __future__ import annotations

import numpy as np

from ..measures import Measures


def level_rows(m: Measures) -> np.ndarray:
    """Where the measures carry a level series (base, latest and target values), not a rate."""
    return np.full(m.n, m.level_series) & np.isfinite(m["baseline"]) & np.isfinite(m["target"])


def period_years(m: Measures) -> np.ndarray:
    """N, base year to target year, for every region (NaN when the case has no period)."""
    return np.full(m.n, float(m.span) if m.span > 0 else np.nan)


def cagr(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    """(end/start)^(1/years) − 1, as a fraction; NaN where the values differ in sign or years ≤ 0."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = end / start
        ok = np.isfinite(ratio) & (ratio > 0) & np.isfinite(years) & (years > 0)
        return np.where(ok, np.expm1(np.log(np.where(ok, ratio, 1.0)) / np.where(ok, years, 1.0)), np.nan)


def progress_sign(m: Measures) -> np.ndarray:
    """d: +1 where a rise is progress, −1 where a fall is (the desired direction of the series).

    As the rule decided it (``direction_sign``: from the comparator, the stated direction, or a band's side
    seen from the base); where a rule set none, the direction from base to target.
    """
    decided = np.asarray(m["direction_sign"], float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(decided), decided, np.sign(m["target"] - m["baseline"]))


__all__ = ["cagr", "level_rows", "period_years", "progress_sign"]
