"""Five-year cumulative targets ([16] 用水量降低): the change realised so far against the share due.

A reduction of T % over N years, spread evenly in compounded terms, leaves 1 − (1 − T)^(t/N) due
after t years; an increase leaves (1 + T)^(t/N) − 1. A reviewer can set the indicator's path to
linear to spread the total evenly instead (T·t/N), as for a number of percentage points.
"""

from __future__ import annotations

import numpy as np

from planwatch.model import PathShape, Status

from .level import mark_missing
from .measures import Case, Measures
from .tolerance import EPSILON, at_least, below


def is_reduction(case: Case) -> bool:
    """Whether the indicator is named as a reduction (降低, 下降, 减少 …)."""
    text = f"{case.indicator.name}{case.target.text}{case.target.qualifier or ''}"
    return any(word in text for word in case.settings.reduction_words)


def realised_change(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(cumulative change % in the indicator's own sense, years covered, last year, sources)."""
    ev = case.evidence
    reduction = is_reduction(case)
    n = case.n
    with np.errstate(invalid="ignore", over="ignore"):
        chained = ev.growth_years > 0
        factor = np.exp(ev.growth_log)
        from_chain = (1 - factor) * 100 if reduction else (factor - 1) * 100
        t_cum = ev.cumulative_year - case.base_year
        cum = np.isfinite(ev.cumulative) & (t_cum > 0)
        # A stated cumulative figure wins when it is at least as recent as the chained years.
        use_cum = cum & (~chained | (ev.cumulative_year >= ev.growth_last_year))
        change = np.where(use_cum, ev.cumulative, np.where(chained, from_chain, np.nan))
        years = np.where(use_cum, t_cum, np.where(chained, ev.growth_years, np.nan))
        last = np.where(use_cum, ev.cumulative_year, np.where(chained, ev.growth_last_year, np.nan))
    sources = np.empty(n, dtype=object)
    for i in range(n):
        if use_cum[i]:
            sources[i] = [ev.cumulative_source[i]] if ev.cumulative_source[i] else []
        else:
            sources[i] = list(ev.growth_sources[i] or []) if chained[i] else []
    return change, years, last, sources


def _log_factor(change, reduction: bool) -> np.ndarray:
    """ln of the factor a change applies: ln(1 − c) for a reduction, ln(1 + c) for an increase."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log1p(-np.asarray(change, float) / 100) if reduction else np.log1p(np.asarray(change, float) / 100)


def _from_log(log, reduction: bool) -> np.ndarray:
    with np.errstate(over="ignore"):
        return -np.expm1(log) * 100 if reduction else np.expm1(log) * 100


def measure(case: Case) -> Measures:
    """Judge a cumulative-change target for every region."""
    target = case.target
    m = Measures(case.n, rate_unit="%")
    change, years, last, sources = realised_change(case)
    has = np.isfinite(change)
    mark_missing(m, case, has)
    m["sources"] = sources
    if target.value is None:
        m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable, "累计目标值缺失")
        return m
    m.set_verdict(~has, Status.not_assessable, "没有逐年变化率或累计变化数据（水平值不能直接换算为该累计目标）")
    total, span = float(target.value), case.span
    reduction = is_reduction(case)
    compounded = case.indicator.path != PathShape.linear
    share = years / span if span else np.ones(case.n)
    left = span - years
    m["actual"], m["actual_year"] = change, last
    m["target"] = np.full(case.n, total)
    m["time_share"] = share
    m["met"] = has & at_least(change, total)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if compounded:
            log_t, log_a = _log_factor(total, reduction), _log_factor(change, reduction)
            m["expected"] = _from_log(log_t * share, reduction)
            m["completion"] = log_a / log_t if log_t != 0 else np.full(case.n, np.nan)
            m["observed_rate"] = _from_log(log_a / years, reduction)
            m["planned_rate"] = np.full(case.n, _from_log(log_t / span, reduction)) if span else np.nan
            m["required_rate"] = np.where(left > 0, _from_log((log_t - log_a) / np.where(left > 0, left, 1), reduction), np.nan)
            m["projection"] = _from_log(log_a * span / years, reduction)
            reach = np.ceil(case.base_year + years * log_t / log_a - EPSILON)
        else:
            m.linear_rate = True
            m.rate_unit = "个百分点/年"
            m["expected"] = total * share
            m["completion"] = change / total if total else np.full(case.n, np.nan)
            m["observed_rate"] = change / years
            m["planned_rate"] = np.full(case.n, total / span) if span else np.nan
            m["required_rate"] = np.where(left > 0, (total - change) / np.where(left > 0, left, 1), np.nan)
            m["projection"] = change * span / years
            reach = np.ceil(case.base_year + years * total / change - EPSILON)
        m["projection_share"] = m["completion"] * span / years
        ok = (reach > 0) & np.isfinite(reach) & (m["projection_share"] > 0)
        m["projection_year"] = np.where(m["met"], last, np.where(ok & (reach <= case.end_year + case.settings.projection_horizon), reach, np.nan))
        m["gap"] = total - change
        m["warning"] = has & ~m["met"] & below(m["projection"], total)
    m.rule_note = ("累计目标按逐年" + ("降幅" if reduction else "增幅") + ("复合分摊" if compounded else "平均分摊"))
    return m
