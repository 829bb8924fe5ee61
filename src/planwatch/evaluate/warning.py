"""Graded warnings (预警分级), the trend judgement (可能难以实现) and the end-of-period grades
(超额完成, 基本完成): the vocabulary the reviews use, decided from measures the rules already found.

Grades, 一级 the most serious:

- where the trend gives a projected share of the target by the target year (``projection_share``):
  三级 when it is at least ``warning_grade_shares[0]`` (0.9), 二级 at least ``[1]`` (0.7), else 一级;
- where there is no distance to project (a floor with no base): the distance to the line as a share of the
  target: 三级 up to ``warning_grade_gaps[0]`` (2%), 二级 up to ``[1]`` (5%), else 一级;
- a value that fell back from its target while the trend still meets it: 三级;
- a binding (约束性) indicator's warning is one grade more serious (三级 → 二级, 二级 → 一级).
"""

from __future__ import annotations

import numpy as np

from planwatch.model import Comparator, Outlook, Status

from .measures import Measures
from .settings import EvaluationSettings
from .tolerance import at_least

_PROGRESS = (Status.ahead.value, Status.on_track.value, Status.lagging.value)


def warning_levels(m: Measures, warned: np.ndarray, *, binding: bool, settings: EvaluationSettings) -> np.ndarray:
    """The grade (1–3) of each warned finding, 0 where there is no warning."""
    share = np.asarray(m["projection_share"], float)
    by_share = np.where(at_least(share, settings.warning_grade_shares[0]), 3,
                        np.where(at_least(share, settings.warning_grade_shares[1]), 2, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        off = np.abs(np.asarray(m["gap"], float)) / np.abs(np.asarray(m["target"], float))
    near, far = settings.warning_grade_gaps
    by_gap = np.where(off <= near, 3, np.where(off <= far, 2, 1))
    by_gap = np.where(np.isfinite(off), by_gap, 2)  # no distance at all: the middle grade
    level = np.where(np.isfinite(share) & ~m["by_line"], by_share, by_gap)
    level = np.where(m["warning_said"], 3, level)  # fell back, but the trend still meets the target
    if binding:
        level = np.maximum(level - 1, 1)
    return np.where(warned, level, 0)


def outlooks(status: np.ndarray, m: Measures, *, during_period: bool) -> np.ndarray:
    """The trend judgement beside a progress status during the period: at_risk where the projection (or the
    line) misses the target, on_course where a projection meets it; None where settled or unknown."""
    out = np.full(len(status), None, dtype=object)
    if not during_period:
        return out
    in_progress = np.isin(status, _PROGRESS)
    projected = np.isfinite(np.asarray(m["projection"], float))
    trend_misses = m["warning"].astype(bool) & ~m["warning_said"]
    out[in_progress & trend_misses] = Outlook.at_risk.value
    out[in_progress & ~trend_misses & projected] = Outlook.on_course.value
    return out


def end_shares(m: Measures, *, by_completion: bool) -> np.ndarray:
    """How much of the target the final figures achieved: the completion of a level or cumulative target,
    the ratio of realised to targeted growth of a growth or comparative one (6.59 vs 7以上 → 0.94)."""
    return np.asarray(m["completion"] if by_completion else m["projection_share"], float)


def grade_at_end(status: np.ndarray, m: Measures, final_data: np.ndarray, *, shares: np.ndarray,
                 comparator: Comparator | None, binding: bool, settings: EvaluationSettings) -> None:
    """超额完成 and 基本完成 on the target year's data, in place: a met target beyond ``exceeded_share`` is
    exceeded (never a 左右 band or a control target, where going past is no merit); an anticipatory target
    missed by less than ``1 − nearly_achieved_share`` is nearly achieved (a binding one missed is 未实现)."""
    gradable = final_data & ~m["by_line"]
    exceeded = gradable & (status == Status.achieved.value) & at_least(shares, settings.exceeded_share)
    if comparator not in (Comparator.about, Comparator.between, Comparator.exactly):
        status[exceeded] = Status.exceeded.value
    if not binding:
        nearly = gradable & (status == Status.not_achieved.value) & at_least(shares, settings.nearly_achieved_share)
        status[nearly] = Status.nearly_achieved.value
