"""The one tolerance rule for every threshold comparison: floating error never decides a verdict.

A completion of (68.5 − 60)/(70 − 60) = 0.85 against 0.8 + 0.05 = 0.8500000000000001, or a trend
that lands on 27.000000000000004 against 27以下, are meant to be equal. Every ≥ / ≤ against a
threshold in the rules and methods goes through :func:`at_least` / :func:`at_most`, which treat two
numbers as equal when they differ by at most ``EPSILON`` × max(1, |x|, |y|) (relative for large
numbers, absolute below 1). Real differences are never that small: data carry at most a few
decimals.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-9


def slack(x, y) -> np.ndarray:
    """How far apart x and y may be and still count as equal (infinite or NaN sides ignored)."""
    ax, ay = np.abs(np.asarray(x, float)), np.abs(np.asarray(y, float))
    ax = np.where(np.isfinite(ax), ax, 0.0)
    ay = np.where(np.isfinite(ay), ay, 0.0)
    return EPSILON * np.maximum(1.0, np.maximum(ax, ay))


def at_least(x, y) -> np.ndarray:
    """x ≥ y, up to floating error; False where either is NaN."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    with np.errstate(invalid="ignore"):
        return x >= y - slack(x, y)


def at_most(x, y) -> np.ndarray:
    """x ≤ y, up to floating error; False where either is NaN."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    with np.errstate(invalid="ignore"):
        return x <= y + slack(x, y)


def within(x, low, high) -> np.ndarray:
    """low ≤ x ≤ high, up to floating error (either side may be infinite)."""
    return at_least(x, low) & at_most(x, high)


def equal(x, y) -> np.ndarray:
    """x = y, up to floating error."""
    return at_least(x, y) & at_most(x, y)


def above(x, y) -> np.ndarray:
    """x > y by more than floating error; False where either is NaN."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    with np.errstate(invalid="ignore"):
        return x > y + slack(x, y)


def below(x, y) -> np.ndarray:
    """x < y by more than floating error; False where either is NaN."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    with np.errstate(invalid="ignore"):
        return x < y - slack(x, y)
