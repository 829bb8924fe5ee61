"""The common result of every target-kind rule: per-region arrays a method then classifies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planwatch.model import Comparator, Direction, Indicator, PathShape, Target, TargetKind

from .evidence import Evidence, is_none
from .settings import EvaluationSettings


@dataclass
class Case:
    """One indicator × target to judge for every region at one year."""

    indicator: Indicator
    target: Target
    kind: TargetKind
    year: int
    base_year: int
    end_year: int
    regions: pd.Index
    baseline: np.ndarray  # base value per region (the plan's for the plan's region)
    evidence: Evidence
    settings: EvaluationSettings
    path: PathShape
    reference: Evidence | None = None  # the referenced series, for comparative targets
    reference_name: str | None = None
    rows: Any = None  # the indicator's observation rows (≤ year), for year-matched comparisons
    reference_rows: Any = None

    @property
    def span(self) -> int:
        """Years from base to target year."""
        return max(self.end_year - self.base_year, 0)

    @property
    def n(self) -> int:
        return len(self.regions)

    @property
    def unit(self) -> str:
        return self.indicator.unit or self.target.unit or ""


@dataclass
class Measures:
    """What a rule found, per region; methods turn it into statuses."""

    n: int
    rate_unit: str = "%"
    rule_note: str = ""  # which rule applied, said in the explanation when it matters
    linear_rate: bool = False  # rates are units/year (a rate or share indicator), not % growth
    # What the methods need to know of the case, set once the rule has run (see assessment._classify):
    span: int = 0  # years from base to target year
    level_series: bool = False  # baseline / actual / target are values of the indicator, not rates
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    NUMERIC = ("actual", "actual_year", "baseline", "expected", "target", "completion", "time_share", "gap",
               "required_rate", "observed_rate", "planned_rate", "projection", "projection_year",
               "projection_share", "rebased_baseline", "rebased_completion", "warning_level",
               "direction_sign")
    # What the explanation says beside the status, each in its own column (never read back out of a text):
    # what qualifies an average rate (a gap in the chain of yearly changes, its price basis), and a value
    # that reached its target and fell back.
    NOTES = ("rate_note", "fell_back_note")
    # by_line: judged by the side of the target line (no distance to measure); warning_said: the fall-back
    # note itself says why the finding is warned (the trend still meets the target).
    FLAGS = ("by_line", "warning_said")

    def __post_init__(self) -> None:
        for name in self.NUMERIC:
            self.arrays.setdefault(name, np.full(self.n, np.nan))
        self.arrays.setdefault("met", np.zeros(self.n, dtype=bool))
        self.arrays.setdefault("warning", np.zeros(self.n, dtype=bool))
        self.arrays.setdefault("bound_side", np.zeros(self.n, dtype=int))
        for name in self.FLAGS:
            self.arrays.setdefault(name, np.zeros(self.n, dtype=bool))
        for name in ("verdict", "reason", "bound", "sources", "outlook", *self.NOTES):
            self.arrays.setdefault(name, np.full(self.n, None, dtype=object))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __setitem__(self, name: str, value) -> None:
        arr = np.asarray(value)
        self.arrays[name] = np.broadcast_to(arr, (self.n,)).copy() if arr.shape != (self.n,) else arr

    def set_verdict(self, mask: np.ndarray, status: str, reason: str | np.ndarray | None = None) -> None:
        """Give a direct status (no_data, not_assessable …) where ``mask`` and none is set yet."""
        free = mask & is_none(self.arrays["verdict"])
        self.arrays["verdict"][free] = status
        if reason is not None:
            reasons = np.broadcast_to(np.asarray(reason, dtype=object), (self.n,))
            self.arrays["reason"][free] = reasons[free]


def direction_of(target: Target, base: float | None) -> Direction:
    """Which way is good for this target: as stated, else from the comparator or base → target."""
    if target.comparator == Comparator.at_most:
        return Direction.lower_is_better
    if target.comparator == Comparator.at_least:
        return Direction.higher_is_better
    if target.direction == Direction.lower_is_better:
        return Direction.lower_is_better
    plain = target.comparator in (None, Comparator.exactly)
    if plain and base is not None and target.value is not None and target.value < base:
        # A plain figure below the base ("0.104 → 0.066") can only mean lower is better.
        return Direction.lower_is_better
    return target.direction


def thresholds(target: Target, direction: Direction, tolerance: float) -> tuple[float, float]:
    """The interval of values that meet the target: (low, high), one side open when one-sided."""
    assert target.value is not None, "thresholds() needs a numeric target"
    value = float(target.value)
    comparator = target.comparator
    if comparator == Comparator.at_least:
        return value, np.inf
    if comparator == Comparator.at_most:
        return -np.inf, value
    if comparator == Comparator.about:
        low, high = value - tolerance, value + tolerance
    elif comparator == Comparator.between and target.value_max is not None:
        low, high = value, float(target.value_max)
    else:
        low = high = value
    if direction == Direction.higher_is_better:
        return low, np.inf
    if direction == Direction.lower_is_better:
        return -np.inf, high
    return low, high


def about_tolerance(target: Target, unit: str, settings: EvaluationSettings) -> float:
    """Half-width of the ≈ band: as reviewed, else a number of points for %, else a share."""
    if target.tolerance is not None:
        return float(target.tolerance)
    if unit.strip() in ("%", "％", "‰"):
        return settings.about_tolerance_pp
    return abs(float(target.value or 0.0)) * settings.about_tolerance_share
