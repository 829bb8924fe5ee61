"""UN Statistics Division, SDG Progress Chart (technical note): the share of the base→target distance the
value extrapolated at the current CAGR would cover by the target year.

As UNSD publishes it::

    CAGR_a = (v_t/v_b)^(1/(t − b)) − 1       base year b to latest year t
    v_e    = v_t · (1 + CAGR_a)^(T − t)      extrapolated to the target year T
    r      = (v_e − v_b) / (v_T − v_b)       v_T the target value

for every level series (a total, a rate or a share alike), with the base→latest CAGR only (not
planwatch's slower-of-recent-trend projection). Values of opposite signs or a zero base give no ratio.
Thresholds: r ≥ ``unsd_on_track`` (0.95) on track, ≥ ``unsd_fair`` (0.10) fair progress, ≥ 0 limited,
< 0 deterioration; a target met is target_achieved.

Targets on a rate itself (年均增长, 比较性, 累计) carry no level series in their measures; their ratio is
the rule's own projected share of the target (``projection_share``).
"""

from __future__ import annotations

import numpy as np

from ..measures import Measures
from ..settings import EvaluationSettings
from .levels import cagr, level_rows
from .tiers import categorise

LABEL = "联合国统计司（UNSD）推算法"
DESCRIPTION = "按基期以来年均增长率推算期末值，计算可完成的目标距离比例"
CATEGORY_LABELS = {
    "target_achieved": "已达标",
    "on_track": "基本可实现",
    "fair_progress": "有一定进展，需加快",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
}


def extrapolated(m: Measures) -> np.ndarray:
    """v_e = v_t · (1 + CAGR_a)^(T − t) per region; with s = (t − b)/(T − b): v_t · (v_t/v_b)^((1 − s)/s)."""
    base, actual, share = m["baseline"], m["actual"], m["time_share"]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rate = cagr(base, actual, share)  # CAGR per share-of-period unit: (v_t/v_b)^(1/s) − 1
        return actual * (1.0 + rate) ** (1.0 - share)


def progress_ratio(m: Measures) -> np.ndarray:
    """r per region: (v_e − v_b)/(v_T − v_b) for a level series, else the rule's projected share."""
    base, target = m["baseline"], m["target"]
    with np.errstate(invalid="ignore", divide="ignore"):
        moved = np.isfinite(target - base) & (target != base)
        levels = np.where(moved, (extrapolated(m) - base) / np.where(moved, target - base, 1.0), np.nan)
    return np.where(level_rows(m), levels, np.asarray(m["projection_share"], float))


def classify(m: Measures, settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """r ≥ unsd_on_track → on_track; ≥ unsd_fair fair; ≥ 0 limited; < 0 deterioration."""
    return categorise(progress_ratio(m), m["met"], on_track=(settings.unsd_on_track, "on_track"),
                      progress=(settings.unsd_fair, "fair_progress"))
