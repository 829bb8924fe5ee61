"""Open SDG / Eurostat: the observed average annual rate against the rate the target requires.

The required rate is the base→target rate over the whole period (compound % per year, or units
per year for a rate or share indicator, where a growth rate of a rate would mean nothing).
"""

from __future__ import annotations

import numpy as np

from ..measures import Measures
from ..settings import EvaluationSettings
from .tiers import categorise

LABEL = "Open SDG 进度法"
DESCRIPTION = "实际年均变化率与所需年均变化率之比"
CATEGORY_LABELS = {
    "target_achieved": "已达标",
    "substantial_progress": "进展显著",
    "moderate_progress": "有进展但需加快",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
}


def classify(m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio observed/required rate: ≥ substantial → on_track; otherwise lagging, by category."""
    with np.errstate(invalid="ignore", divide="ignore"):
        planned = m["planned_rate"]
        ratio = np.where(np.isfinite(planned) & (planned != 0), m["observed_rate"] / planned, np.nan)
    return categorise(ratio, m["met"], on_track=(settings.open_sdg_substantial, "substantial_progress"),
                      progress=(settings.open_sdg_moderate, "moderate_progress"))
