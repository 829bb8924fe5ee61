"""时间过半、任务过半: completion along the planned path against the share of time elapsed."""

from __future__ import annotations

import numpy as np

from planwatch.model import Status

from ..measures import Measures
from ..settings import EvaluationSettings
from ..tolerance import at_least

LABEL = "时间进度法"
DESCRIPTION = "实际完成进度与规划期时间进度对比"
CATEGORY_LABELS: dict[str, str] = {}


def classify(m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ahead if completion ≥ time + ahead_margin; on_track if ≥ time − lagging_margin; else lagging (≥ as in tolerance)."""
    done, time = m["completion"], m["time_share"]
    with np.errstate(invalid="ignore", divide="ignore"):
        status = np.where(at_least(done, time + settings.ahead_margin), Status.ahead.value,
                          np.where(at_least(done, time - settings.lagging_margin), Status.on_track.value,
                                   Status.lagging.value))
        ratio = np.where(time > 0, done / time, np.nan)
    status = np.where(np.isfinite(done) & np.isfinite(time), status, Status.not_assessable.value).astype(object)
    return status, ratio, np.full(m.n, None, dtype=object)
