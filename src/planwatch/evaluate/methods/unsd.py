"""UN Statistics Division projection ratio: the share of the base→target distance the current
pace would cover by the target year."""

from __future__ import annotations

import numpy as np

from ..measures import Measures
from ..settings import EvaluationSettings
from .tiers import categorise

LABEL = "联合国统计司（UNSD）推算法"
DESCRIPTION = "按当前速度推算期末可完成的目标距离比例"
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
    return categorise(ratio, m["met"], on_track=(settings.unsd_on_track, "on_track"),
                      progress=(settings.unsd_fair, "fair_progress"))
