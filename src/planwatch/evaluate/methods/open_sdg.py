"""Open SDG (sdg-build ``ProgressMeasure``, after Eurostat): the ratio of compound annual growth rates.

For a series with a target, as Open SDG publishes it::

    CAGR_o = (A/B)^(1/(y_A − b)) − 1        observed, base year to latest year
    CAGR_r = (T/B)^(1/(e − b)) − 1          required, base year to target year
    R      = s · d · CAGR_o / |CAGR_r|      s = −1 for a negative base, d = +1 (rise wanted) or −1

for every series — a total, a rate or a share alike (Open SDG has no percentage-points variant); a zero
base or target is replaced by 0.001, as Open SDG does, and values of opposite signs give no ratio.
Thresholds: R ≥ ``open_sdg_substantial`` (0.95) substantial progress, ≥ ``open_sdg_moderate`` (0.6)
moderate, ≥ 0 limited, < 0 deterioration; a target met is target_achieved.

Targets on a rate itself (年均增长, 比较性, 累计) already state the required rate: R = observed rate /
required rate, the same ratio of CAGRs.
"""

from __future__ import annotations

import numpy as np

from ..measures import Measures
from ..settings import EvaluationSettings
from .levels import cagr, level_rows, period_years, progress_sign
from .tiers import categorise

LABEL = "Open SDG 进度法"
DESCRIPTION = "实际年均增长率与所需年均增长率之比"
CATEGORY_LABELS = {
    "target_achieved": "已达标",
    "substantial_progress": "进展显著",
    "moderate_progress": "有进展但需加快",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
}

# Open SDG replaces a zero base or target by this (a growth rate from or to zero is undefined).
ZERO_STAND_IN = 0.001


def cagr_ratio(m: Measures) -> np.ndarray:
    """R per region: the Open SDG ratio of observed to required CAGR (NaN where undefined)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        planned = m["planned_rate"]
        rates = np.where(np.isfinite(planned) & (planned != 0), m["observed_rate"] / planned, np.nan)
        base = np.where(m["baseline"] == 0, ZERO_STAND_IN, m["baseline"])
        target = np.where(m["target"] == 0, ZERO_STAND_IN, m["target"])
        span = period_years(m)
        observed = cagr(base, m["actual"], m["time_share"] * span)
        required = cagr(base, target, span)
        sign = np.where(base < 0, -1.0, 1.0)
        ok = np.isfinite(required) & (required != 0)
        levels = np.where(ok, sign * progress_sign(m) * observed / np.abs(np.where(ok, required, 1.0)), np.nan)
    return np.where(level_rows(m), levels, rates)


def classify(m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R ≥ substantial → on_track; otherwise lagging, by category (target_achieved where met)."""
    return categorise(cagr_ratio(m), m["met"], on_track=(settings.open_sdg_substantial, "substantial_progress"),
                      progress=(settings.open_sdg_moderate, "moderate_progress"))
