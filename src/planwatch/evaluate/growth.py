"""Average annual growth targets (年均增长7以上): the realised average rate against the target rate."""

from __future__ import annotations

import numpy as np

from planwatch.model import Comparator, Direction, Indicator, Status

from .evidence import gap_note, is_none
from .level import _sources, mark_missing
from .measures import Case, Measures, about_tolerance, direction_of
from .paths import geometric_mask
from .tolerance import EPSILON, above, at_least, at_most, below

CURRENT, COMPARABLE = "current", "comparable"
BASIS_LABELS = {CURRENT: "现价", COMPARABLE: "可比价"}


def price_basis(indicator: Indicator | None) -> str | None:
    """The price basis the plan's footnote gives the indicator: ``current`` (现价), ``comparable`` (可比价) or None."""
    notes = set(indicator.notes) if indicator is not None else set()
    if "current_prices" in notes:
        return CURRENT
    if "comparable_prices" in notes:
        return COMPARABLE
    return None


def from_levels(case: Case, rate: np.ndarray) -> np.ndarray:
    """Where :func:`realised_rate` took the rate from two levels (neither a chain nor a cumulative change)."""
    ev = case.evidence
    with np.errstate(invalid="ignore"):
        chained = ev.growth_years > 0
        cum = np.isfinite(ev.cumulative) & (ev.cumulative_year > case.base_year)
    return np.isfinite(rate) & ~chained & ~cum


def level_basis_note(basis: str | None) -> str | None:
    """What a rate computed from levels is, by the indicator's price basis (levels are at current prices)."""
    if basis == CURRENT:
        return "按现价水平值计算，为名义增速"
    if basis == COMPARABLE:
        return "按现价水平值计算，为名义增速，目标按可比价，口径不同，仅供参考"
    return None


def realised_rate(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(average annual rate %, years covered, last year, sources) per region.

    Preference: chained yearly growth observations (comparable prices), then a cumulative change
    since the base, then two levels (base and latest, current prices).

    Yearly changes are dated, not counted: the average compounds the observed years only
    (Σ ln(1 + g)/k over the k changes), while the years covered run from the base to the last observed
    year — a year missing inside the chain is a gap (see :func:`gap_notes`), taken at the observed average.
    """
    ev = case.evidence
    n = case.n
    rate = np.full(n, np.nan)
    years = np.full(n, np.nan)
    last = np.full(n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        chained = ev.growth_years > 0
        rate = np.where(chained, np.expm1(ev.growth_log / np.where(chained, ev.growth_years, 1)) * 100, rate)
        years = np.where(chained, ev.growth_last_year - case.base_year, years)
        last = np.where(chained, ev.growth_last_year, last)

        t_cum = ev.cumulative_year - case.base_year
        cum = ~chained & np.isfinite(ev.cumulative) & (t_cum > 0)
        from_cum = np.expm1(np.log1p(ev.cumulative / 100) / np.where(cum, t_cum, 1)) * 100
        rate = np.where(cum, from_cum, rate)
        years = np.where(cum, t_cum, years)
        last = np.where(cum, ev.cumulative_year, last)

        t_lv = ev.level_year - case.base_year
        lv = ~chained & ~cum & np.isfinite(ev.level) & np.isfinite(case.baseline) & (t_lv > 0) \
            & geometric_mask(True, case.baseline, ev.level) & is_none(ev.level_bound)
        from_lv = np.expm1(np.log(ev.level / case.baseline) / np.where(lv, t_lv, 1)) * 100
        rate = np.where(lv, from_lv, rate)
        years = np.where(lv, t_lv, years)
        last = np.where(lv, ev.level_year, last)
    sources = np.empty(n, dtype=object)
    level_sources = _sources(ev.level_source, ev.base_source)
    for i in range(n):
        if chained[i]:
            sources[i] = list(ev.growth_sources[i] or [])
        elif cum[i]:
            sources[i] = [ev.cumulative_source[i]] if ev.cumulative_source[i] else []
        else:
            sources[i] = level_sources[i] if lv[i] else []
    return rate, years, last, sources


def gap_notes(gaps: np.ndarray, used: np.ndarray) -> np.ndarray:
    """The gap sentence (缺2022年数据，按2021、2023两年计算) per region whose used chain has a gap, else None."""
    out = np.full(len(gaps), None, dtype=object)
    for i in np.flatnonzero(used & ~is_none(gaps)).tolist():
        out[i] = gap_note(*gaps[i])
    return out


def _has_rate(case: Case) -> np.ndarray:
    """Where some average rate can be computed (the cheap test behind :func:`why_no_rate`)."""
    ev = case.evidence
    with np.errstate(invalid="ignore"):
        return (ev.growth_years > 0) | (np.isfinite(ev.cumulative) & (ev.cumulative_year > case.base_year)) | (
            np.isfinite(ev.level) & np.isfinite(case.baseline) & (ev.level_year > case.base_year)
            & is_none(ev.level_bound))


def why_no_rate(case: Case) -> np.ndarray:
    """A reason per region why no average rate could be computed."""
    ev = case.evidence
    out = np.full(case.n, None, dtype=object)
    for i in np.flatnonzero(~_has_rate(case)):
        if np.isfinite(ev.level[i]) and not np.isfinite(case.baseline[i]):
            out[i] = f"仅有{int(ev.level_year[i])}年一个水平值且缺少基期值，无法计算年均增速"
        elif np.isfinite(ev.level[i]) and ev.level_bound[i] is not None:
            out[i] = "实际值只是一个界限（如“超过”），无法计算年均增速"
        elif np.isfinite(ev.level[i]):
            out[i] = "只有基期当年的数据，尚无法计算年均增速"
        else:
            out[i] = "没有可用于计算年均增速的增长率或水平值数据"
    return out


def measure(case: Case) -> Measures:
    """Judge an average-annual-growth target for every region."""
    target = case.target
    m = Measures(case.n, rate_unit="%")
    rate, years, last, sources = realised_rate(case)
    has = np.isfinite(rate)
    mark_missing(m, case, has)
    m["sources"] = sources
    if target.value is None:
        m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable, "目标增速缺失")
        return m
    m.set_verdict(~has, Status.not_assessable, why_no_rate(case))
    g_t, span = float(target.value), case.span
    direction = direction_of(target, None)
    m["actual"], m["actual_year"] = rate, last
    m["target"] = m["expected"] = np.full(case.n, g_t)
    m["baseline"] = case.baseline
    m["observed_rate"], m["planned_rate"] = rate, np.full(case.n, g_t)
    m["time_share"] = years / span if span else np.ones(case.n)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        log_t, log_a = np.log1p(g_t / 100), np.log1p(rate / 100)
        # Completion: share of the period's compounded growth already realised (1 = secured).
        m["completion"] = years * log_a / (span * log_t) if log_t != 0 else np.full(case.n, np.nan)
        left = span - years
        need = np.expm1((span * log_t - years * log_a) / np.where(left > 0, left, np.nan)) * 100
        m["required_rate"] = np.where(left > 0, need, np.nan)
        m["projection"] = rate
        m["projection_share"] = log_a / log_t if log_t != 0 else np.full(case.n, np.nan)
        when = case.base_year + np.ceil(span * log_t / log_a - EPSILON)
        m["projection_year"] = np.where((log_a > 0) & (log_t > 0) & (when <= case.end_year + case.settings.projection_horizon), when, np.nan)
    if target.comparator == Comparator.about:
        tol = about_tolerance(target, "%", case.settings)
        holds = at_most(np.abs(rate - g_t), tol)
        ahead_ok = above(rate, g_t + tol) if direction == Direction.higher_is_better else below(rate, g_t - tol)
        holds = holds | ahead_ok
    elif direction == Direction.lower_is_better:
        holds = at_most(rate, g_t)
    else:
        holds = at_least(rate, g_t)
    m["gap"] = (g_t - rate) if direction != Direction.lower_is_better else (rate - g_t)
    final = case.year >= case.end_year
    if direction == Direction.higher_is_better and target.comparator != Comparator.about and g_t > 0:
        # A growth floor: the period's growth can be secured before its end.
        m["met"] = has & at_least(m["completion"], 1.0)
    else:
        m["met"] = has & holds & final
        m.set_verdict(has & holds & (not final), Status.on_track)
        m.set_verdict(has & ~holds & (not final), Status.lagging)
    m["warning"] = has & ~holds & ~m["met"]
    notes = gap_notes(case.evidence.growth_gaps, has & (case.evidence.growth_years > 0))
    # A rate from levels is a current-price (nominal) rate: said beside the average, and in the rule note.
    level_note = level_basis_note(price_basis(case.indicator))
    lv = from_levels(case, rate)
    if level_note and lv.any():
        notes[lv] = level_note
        m.rule_note = f"由{BASIS_LABELS[CURRENT]}水平值计算的年均增速为名义增速" + (
            "（指标按可比价，口径不同）" if price_basis(case.indicator) == COMPARABLE else "")
    m["rate_note"] = notes
    return m
