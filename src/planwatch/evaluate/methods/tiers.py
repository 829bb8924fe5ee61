"""Tiered ratio categories shared by the international methods (Open SDG, UNSD).

Both read a ratio against two thresholds: at or above the upper one is on track, at or above
the lower one is progress, from zero up is limited progress, below zero is deterioration; a
target already met overrides the ratio.
"""

from __future__ import annotations

import numpy as np

from planwatch.model import Status

from ..tolerance import at_least


def categorise(ratio: np.ndarray, met: np.ndarray, *, on_track: tuple[float, str],
               progress: tuple[float, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(status, ratio, category) arrays; ``on_track``/``progress`` are (threshold, category code)."""
    (top, top_code), (mid, mid_code) = on_track, progress
    with np.errstate(invalid="ignore"):
        category = np.where(at_least(ratio, top), top_code,
                            np.where(at_least(ratio, mid), mid_code,
                                     np.where(at_least(ratio, 0.0), "limited_progress", "deterioration"))).astype(object)
    known = np.isfinite(ratio)
    category[~known] = None
    status = np.where(category == top_code, Status.on_track.value, Status.lagging.value).astype(object)
    status[~known] = Status.not_assessable.value
    category[met] = "target_achieved"
    return status, ratio, category
