"""Dispatch of a target to the rule of its kind, and the small rules: assigned, maintain, text."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from planwatch.model import Status, TargetKind

from . import comparative, cumulative, growth, level
from .measures import Case, Measures
from .tolerance import at_least, at_most


def measure(case: Case) -> Measures:
    """Apply the rule of the case's target kind; every region at once."""
    return RULES[case.kind](case)


def assigned_kind(case: Case) -> TargetKind:
    """The kind an assigned (省下达) value takes once entered."""
    if case.target.assigned_kind is not None:
        return TargetKind(case.target.assigned_kind)
    return TargetKind.cumulative_change if case.target.cumulative else TargetKind.level


def _assigned(case: Case) -> Measures:
    if case.target.value is None:
        m = Measures(case.n)
        who = case.target.assigned_by or "上级"
        m.set_verdict(np.ones(case.n, dtype=bool), Status.pending_target, f"目标值由{who}下达，尚未录入")
        return m
    case.kind = assigned_kind(case)
    return measure(case)


def _maintain(case: Case) -> Measures:
    """A hold-the-line target (167 → 167): met each year the value is at least the base."""
    m = level.prepare(case)
    ev = case.evidence
    floor = np.full(case.n, case.target.value if case.target.value is not None else np.nan)
    floor = np.where(np.isfinite(floor), floor, case.baseline)
    m["target"] = floor
    m["expected"] = floor
    has = np.isfinite(ev.level) & np.isfinite(floor)
    lower = case.target.direction == "lower_is_better"
    holds = at_most(ev.level, floor) if lower else at_least(ev.level, floor)
    with np.errstate(invalid="ignore"):
        m["gap"] = (ev.level - floor) if lower else (floor - ev.level)
    m["met"] = has & holds & (case.year >= case.end_year)
    m.set_verdict(has & holds & (case.year < case.end_year), Status.on_track)
    m.set_verdict(has & ~holds, Status.lagging)
    m["warning"] = has & ~holds
    m.set_verdict(~has & np.isfinite(ev.level), Status.not_assessable, "缺少应保持的基期值")
    m.rule_note = "保持类目标：实际值不低于基期值即为符合"
    return m


def _text(case: Case) -> Measures:
    m = Measures(case.n)
    level.mark_missing(m, case)
    m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable, "目标为定性表述，无法量化评估")
    return m


# The target kinds: a new kind is a rule (Case → Measures) registered here, a label in
# planwatch.vocabulary.TARGET_KIND_LABELS, and its test; tests/evaluate/test_kinds.py checks all three agree.
Rule = Callable[[Case], Measures]
RULES: dict[TargetKind, Rule] = {
    TargetKind.level: level.measure,
    TargetKind.annual_growth: growth.measure,
    TargetKind.cumulative_change: cumulative.measure,
    TargetKind.comparative: comparative.measure,
    TargetKind.assigned: _assigned,
    TargetKind.maintain: _maintain,
    TargetKind.text: _text,
}
