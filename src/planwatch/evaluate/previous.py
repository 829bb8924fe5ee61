"""The finished previous plan (表1), judged at its end from the table's own outcome columns."""

from __future__ import annotations

import math

from planwatch.figures import with_unit
from planwatch.model import (
    Assessment,
    Comparator,
    Direction,
    Finding,
    Indicator,
    Outcome,
    Plan,
    Status,
    Target,
    TargetKind,
)
from planwatch.vocabulary import status_label

from .measures import about_tolerance, direction_of, thresholds
from .settings import EvaluationSettings, resolve_settings
from .tolerance import within

METHOD = "final_outcome"


def _growth_of(outcome: Outcome | None) -> float | None:
    if outcome is None:
        return None
    return outcome.growth if outcome.growth is not None else outcome.value


# How an outcome was read: as the table prints it, or derived from the base and end values.
OUTCOME_AS_PRINTED = "完成情况"


def outcome_for(indicator: Indicator, target: Target, kind: TargetKind) -> tuple[float | None, str]:
    """(actual value comparable with the target, how it was read) from the outcome columns."""
    level = indicator.outcome.value if indicator.outcome else None
    if kind == TargetKind.level:
        return level, OUTCOME_AS_PRINTED
    grown = _growth_of(indicator.growth_outcome)
    if grown is None and indicator.outcome is not None:
        grown = indicator.outcome.growth
    if grown is not None:
        return grown, OUTCOME_AS_PRINTED
    base = indicator.baseline.value
    span = (indicator.period_end or 0) - (indicator.period_start or 1) + 1
    if level is None or base is None or span <= 0:
        return None, ""
    if kind == TargetKind.annual_growth and base > 0 and level > 0:
        return ((level / base) ** (1 / span) - 1) * 100, "由期初、期末值推算"
    if kind == TargetKind.cumulative_change and target.cumulative and not _is_reduction_text(indicator, target):
        return level - base, "由期初、期末值推算"
    return None, ""


def _is_reduction_text(indicator: Indicator, target: Target) -> bool:
    text = f"{indicator.name}{target.text}{target.qualifier or ''}"
    return any(w in text for w in EvaluationSettings().reduction_words)


def judge_outcome(indicator: Indicator, target: Target, settings: EvaluationSettings) -> tuple[Status, float | None, str]:
    """(status, actual, reason) of one target of a finished plan."""
    kind = TargetKind(target.kind)
    if kind == TargetKind.assigned:
        if target.value is None:
            return Status.not_assessable, None, "目标由上级下达，表中未列数值"
        kind = TargetKind(target.assigned_kind) if target.assigned_kind else (
            TargetKind.cumulative_change if target.cumulative else TargetKind.level)
    if kind in (TargetKind.text, TargetKind.comparative, TargetKind.maintain) or target.value is None:
        actual, _ = outcome_for(indicator, target, TargetKind.level)
        return Status.not_assessable, actual, "目标为定性或比较表述，表中完成情况无法直接对照"
    actual, how = outcome_for(indicator, target, kind)
    if actual is None:
        return Status.not_assessable, None, "表中未列完成情况"
    if kind == TargetKind.cumulative_change:
        # A five-year figure counts in the indicator's own sense: a reduction of 35.25 beats 23.
        direction = Direction.lower_is_better if target.comparator == Comparator.at_most else Direction.higher_is_better
        t = target.model_copy(update={"direction": direction})
    else:
        t = target
        direction = direction_of(target, indicator.baseline.value if kind == TargetKind.level else None)
    unit = "%" if kind != TargetKind.level else (indicator.unit or "")
    low, high = thresholds(t, direction, about_tolerance(t, unit, settings))
    met = bool(within(actual, low, high))
    return (Status.achieved if met else Status.not_achieved), actual, how


def evaluate_previous_plan(plan: Plan, *, settings: EvaluationSettings | dict | None = None) -> Assessment:
    """Judge the previous plan's targets (表1) at its end: achieved / not_achieved / not_assessable."""
    settings = resolve_settings(settings)
    indicators = plan.previous_indicators()
    end = max((i.period_end for i in indicators if i.period_end is not None), default=plan.meta.base_year)
    start = min((i.period_start for i in indicators if i.period_start), default=None)
    findings = []
    for ind in indicators:
        for target in ind.targets or [ind.target]:
            findings.append(_finding(ind, target, settings, end, plan.meta.region or ""))
    return Assessment(plan_title=plan.meta.title, region=plan.meta.region, year=end or 0, method=METHOD,
                      period_start=start, period_end=end, base_year=(start - 1) if start else None,
                      findings=findings, settings=settings.to_dict())


def outcome_unit(indicator: Indicator, target: Target, kind: TargetKind) -> str:
    """The unit an outcome of ``kind`` is said in: % for a growth rate; a five-year [x] figure in its target's own
    unit as ingest read it (城镇化率 [7.1] 个百分点, 用水量降低 [23] %, 新增城镇就业 [30] 万人); else the indicator's."""
    if kind == TargetKind.annual_growth:
        return "%"
    if kind == TargetKind.cumulative_change and target.unit:
        return target.unit
    return indicator.unit or ""


def _finding(ind: Indicator, target: Target, settings: EvaluationSettings, end: int | None, region: str) -> Finding:
    status, actual, how = judge_outcome(ind, target, settings)
    kind = TargetKind(target.kind)
    if kind == TargetKind.assigned and target.cumulative:
        kind = TargetKind.cumulative_change
    growthish = kind in (TargetKind.annual_growth, TargetKind.cumulative_change)
    unit = outcome_unit(ind, target, kind)
    base = ind.baseline.value
    completion = None
    if not growthish and actual is not None and base is not None and target.value is not None and target.value != base:
        completion = (actual - base) / (target.value - base)
    target_text = target.text or with_unit(target.value, unit)
    if status == Status.not_assessable:
        explanation = f"{how}，{status_label(status)}。"
    else:
        verb = "达到" if status == Status.achieved else "未达到"
        read = "表中所列" if how == OUTCOME_AS_PRINTED else ""
        derived = "" if how == OUTCOME_AS_PRINTED else f"（{how}）"
        explanation = (f"{read}{end}年完成情况为{with_unit(actual, unit)}{derived}，{verb}目标{target_text}，"
                       f"{status_label(status, final=True)}。")
    gap = None
    if actual is not None and target.value is not None and math.isfinite(actual):
        gap = target.value - actual
    return Finding(
        indicator_id=ind.id, no=ind.no, indicator=ind.name, category=ind.category, attribute=ind.attribute,
        unit=ind.unit, region=region, year=end or 0, kind=kind, target_text=target.text, status=status, actual=actual,
        actual_year=(ind.outcome.year if ind.outcome and ind.outcome.year else end),
        baseline=base, target=target.value, completion=completion, time_elapsed=1.0, gap=gap,
        method=METHOD, explanation=explanation, line=ind.line,
    )
