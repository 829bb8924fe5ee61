"""UN Statistics Division projection ratio: the share of the base→target distance the current
pace would cover by the target year."""

from __future__ import annotations

import numpy as np

from planwatch.model import Status

from ..measures import Measures
from ..settings import EvaluationSettings

LABEL = "UNSD 推算进度法"
CATEGORY_LABELS = {
    "target_achieved": "已达标",
    "on_track": "基本可实现",
    "fair_progress": "有一定进展，需加快",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
}


def classify(m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected share ≥ unsd_on_track → on_track; ≥ unsd_fair fair; ≥ 0 limited; < 0 deterioration."""
    ratio = np.asarray(m["projection_share"], float)
    with np.errstate(invalid="ignore"):
        category = np.where(ratio >= settings.unsd_on_track, "on_track",
                            np.where(ratio >= settings.unsd_fair, "fair_progress",
                                     np.where(ratio >= 0, "limited_progress", "deterioration"))).astype(object)
    known = np.isfinite(ratio)
    category[~known] = None
    status = np.where(category == "on_track", Status.on_track.value, Status.lagging.value).astype(object)
    status[~known] = Status.not_assessable.value
    category[m["met"]] = "target_achieved"
    return status, ratio, category
