"""Five-year cumulative targets ([16] 用水量降低, [5] 近视率降低): the change realised so far against the share due.

What a bracketed figure counts is decided by :func:`change_basis` from the unit and the name:

- **relative** (%, the indicator an intensity or amount: 万元地区生产总值用水量降低 [16]): a change of T % of the
  base level. Spread evenly in compounded terms a reduction leaves 1 − (1 − T)^(t/N) due after t years, an
  increase (1 + T)^(t/N) − 1; yearly changes compound. A reviewer can set the indicator's path to linear to
  spread the total evenly instead (T·t/N).
- **points** (%, the indicator itself a share or rate: 儿童青少年总体近视率降低 [5]): T percentage points of the
  rate, due linearly (T·t/N); yearly changes add up.
- **amount** (any other unit: 新增城镇就业人数 [30] 万人, 人均期望寿命 [1] 岁): T units, due linearly; yearly
  changes add up.

Yearly changes are dated as in :mod:`growth`: t runs from the base to the last observed year, a year missing
inside the chain is a gap, taken at the observed yearly average and said in ``rate_note``.
"""

from __future__ import annotations

import re

import numpy as np

from planwatch.model import Indicator, PathShape, Status, Target

from .evidence import is_none
from .growth import gap_notes
from .level import mark_missing
from .measures import Case, Measures
from .tolerance import EPSILON, at_least, below

RELATIVE, POINTS, AMOUNT = "relative", "points", "amount"
_PERCENT_UNITS = ("%", "％")
_POINT_UNITS = ("个百分点", "百分点")
# A % indicator whose name (reduction/increase words taken off) ends in one of these measures a share or rate.
_RATE_ENDINGS = ("率", "比重", "占比", "比例", "比率", "覆盖率", "普及率", "份额")
_CHANGE_WORDS = ("累计", "降低", "下降", "减少", "削减", "压减", "提高", "提升", "增加", "上升", "增长")


def change_basis(indicator: Indicator, target: Target | None = None) -> str:
    """What a cumulative figure counts: ``points``, ``relative`` or ``amount`` (the one rule, from unit and name).

    A target stated in 个百分点 is in points. Unit % (or none): points when the indicator, once its change words
    (降低, 提高 …) are taken off its name, is a share or rate (its name ends in 率, 比重, 占比, 比例 …) — its level is
    itself a %, so a reduction of 5 is 5 percentage points; otherwise relative (an intensity, 用水量, 能耗, 排放: a
    reduction of 16 is 16 % of the base level). Any other unit (万人, 岁, 张) is an amount of that unit.
    """
    unit = ((target.unit if target is not None else None) or "").strip()
    if unit in _POINT_UNITS:
        return POINTS
    unit = (indicator.unit or unit).strip()
    if unit and unit not in _PERCENT_UNITS:
        return AMOUNT
    core = indicator.name
    for word in _CHANGE_WORDS:
        core = core.replace(word, "")
    core = re.sub(r"[（(][^（()）]*[)）]$", "", core.strip()).strip()  # a trailing note: （省控断面）
    return POINTS if core.endswith(_RATE_ENDINGS) else RELATIVE


def is_reduction(case: Case) -> bool:
    """Whether the indicator is named as a reduction (降低, 下降, 减少 …)."""
    text = f"{case.indicator.name}{case.target.text}{case.target.qualifier or ''}"
    return any(word in text for word in case.settings.reduction_words)


def _yearly_sums(case: Case) -> np.ndarray:
    """Σ of the yearly changes after the base per region, in the indicator's own sense (NaN where none).

    For points and amounts yearly changes add up; one change per region and year, the last row counting
    (as :func:`evidence.gather` chains them).
    """
    out = np.full(case.n, np.nan)
    rows = case.rows
    if rows is None or len(rows) == 0:
        return out
    pick = np.flatnonzero((rows.kind == "annual_growth") & np.isfinite(rows.value) & (rows.year > case.base_year))
    if len(pick) == 0:
        return out
    key = rows.rc[pick].astype(np.int64) * 10000 + rows.year[pick]
    _, last_of = np.unique(key[::-1], return_index=True)
    pick = pick[::-1][last_of]
    sums = np.bincount(rows.rc[pick], weights=rows.value[pick], minlength=case.n).astype(float)
    counts = np.bincount(rows.rc[pick], minlength=case.n)
    return np.where(counts > 0, sums, np.nan)


def realised_change(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(cumulative change in the indicator's own sense, years covered, last year, sources, how) per region.

    ``how`` is ``stated`` (a cumulative observation), ``chained`` (yearly changes), ``levels`` (derived from the
    base-year and latest levels) or None. Preference: a stated cumulative figure at least as recent as the
    chained years, then the chain, then — only when neither exists — two levels: for a relative target
    (1 − A/B)·100 for a reduction, (A/B − 1)·100 for an increase (an intensity's levels: 立方米/万元); for points
    B − A (reduction) or A − B (the rate's levels, %). An amount is never derived from levels (a level of
    新增就业 is a year's flow, not a stock).

    Yearly changes are dated: the chain covers t = last observed year − base year; missing years inside it
    are taken at the observed yearly average (k changes observed: relative Σ ln(1 ∓ r)·t/k compounded, points
    and amounts Σ r·t/k).
    """
    ev = case.evidence
    basis = change_basis(case.indicator, case.target)
    reduction = is_reduction(case)
    n = case.n
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        chained = ev.growth_years > 0
        k = np.where(chained, ev.growth_years, 1)
        t_chain = ev.growth_last_year - case.base_year
        if basis == RELATIVE:
            factor = np.exp(ev.growth_log * t_chain / k)
            from_chain = (1 - factor) * 100 if reduction else (factor - 1) * 100
        else:
            from_chain = _yearly_sums(case) * t_chain / k
        t_cum = ev.cumulative_year - case.base_year
        cum = np.isfinite(ev.cumulative) & (t_cum > 0)
        # A stated cumulative figure wins when it is at least as recent as the chained years.
        use_cum = cum & (~chained | (ev.cumulative_year >= ev.growth_last_year))
        use_chain = chained & ~use_cum
        base, latest = ev.base_level, ev.level
        t_lv = ev.level_year - case.base_year
        lv = ~use_cum & ~use_chain & (basis != AMOUNT) & np.isfinite(base) & np.isfinite(latest) & (t_lv > 0) \
            & is_none(ev.level_bound)
        if basis == RELATIVE:
            lv &= (base > 0) & (latest > 0)
            from_lv = (1 - latest / base) * 100 if reduction else (latest / base - 1) * 100
        else:
            from_lv = base - latest if reduction else latest - base
        change = np.where(use_cum, ev.cumulative, np.where(use_chain, from_chain, np.where(lv, from_lv, np.nan)))
        years = np.where(use_cum, t_cum, np.where(use_chain, t_chain, np.where(lv, t_lv, np.nan)))
        last = np.where(use_cum, ev.cumulative_year, np.where(use_chain, ev.growth_last_year,
                                                              np.where(lv, ev.level_year, np.nan)))
    sources = np.empty(n, dtype=object)
    how = np.full(n, None, dtype=object)
    for i in range(n):
        if use_cum[i]:
            sources[i], how[i] = ([ev.cumulative_source[i]] if ev.cumulative_source[i] else []), "stated"
        elif use_chain[i]:
            sources[i], how[i] = list(ev.growth_sources[i] or []), "chained"
        elif lv[i]:
            sources[i] = [s for s in (ev.base_source[i], ev.level_source[i]) if s]
            how[i] = "levels"
        else:
            sources[i] = []
    return change, years, last, sources, how


def _log_factor(change, reduction: bool) -> np.ndarray:
    """ln of the factor a change applies: ln(1 − c) for a reduction, ln(1 + c) for an increase."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log1p(-np.asarray(change, float) / 100) if reduction else np.log1p(np.asarray(change, float) / 100)


def _from_log(log, reduction: bool) -> np.ndarray:
    with np.errstate(over="ignore"):
        return -np.expm1(log) * 100 if reduction else np.expm1(log) * 100


def why_no_change(case: Case, basis: str, reduction: bool) -> np.ndarray:
    """A reason per region why no cumulative change could be found.

    A level observation (a bare % imported as a level) is never taken as the cumulative change itself: the
    reason says so, and what would be needed.
    """
    ev = case.evidence
    word = "降低" if reduction else "提高"
    out = np.full(case.n, "没有逐年变化率或累计变化数据（水平值不能直接换算为该累计目标）", dtype=object)
    for i in np.flatnonzero(np.isfinite(ev.level)).tolist():
        seen = f"{int(ev.level_year[i])}年的观测值{ev.level[i]:g}是水平值，不当作自{case.base_year}年以来的累计{word}幅度"
        if basis == AMOUNT:
            out[i] = f"{seen}（该目标为累计数量，水平值不能换算）；需要累计变化或逐年变化数据"
        elif ev.level_bound[i] is not None:
            out[i] = f"{seen}（只是一个界限）；需要累计变化或逐年变化数据"
        elif not np.isfinite(ev.base_level[i]):
            need = "基期的强度水平值" if basis == RELATIVE else "基期的水平值"
            out[i] = f"{seen}；由水平值推算需要{case.base_year}年{need}，或提供累计变化、逐年变化数据"
        else:
            out[i] = f"{seen}；只有基期当年的数据，尚无法计算累计{word}幅度"
    return out


def measure(case: Case) -> Measures:
    """Judge a cumulative-change target for every region."""
    target = case.target
    m = Measures(case.n, rate_unit="%")
    change, years, last, sources, how = realised_change(case)
    has = np.isfinite(change)
    mark_missing(m, case, has)
    m["sources"] = sources
    if target.value is None:
        m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable, "累计目标值缺失")
        return m
    basis = change_basis(case.indicator, case.target)
    reduction = is_reduction(case)
    m.set_verdict(~has, Status.not_assessable, why_no_change(case, basis, reduction))
    total, span = float(target.value), case.span
    # Only a relative change compounds; points and amounts are spread linearly (a reviewer's linear path too).
    compounded = basis == RELATIVE and case.indicator.path != PathShape.linear
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
            m.rate_unit = "个百分点/年" if basis == POINTS else (f"{case.unit}/年" if basis == AMOUNT else "%/年")
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
    m["rate_note"] = gap_notes(case.evidence.growth_gaps, has & (how == "chained"))
    m.rule_note = rule_note(basis, reduction, compounded, how)
    return m


def rule_note(basis: str, reduction: bool, compounded: bool, how: np.ndarray) -> str:
    """Which rule applied: the basis of the figure, how it is spread, and whether it came from levels."""
    word = "降幅" if reduction else "增幅"
    if basis == POINTS:
        note = "累计目标为百分点（该指标本身是比率或占比），按" + ("每年降低" if reduction else "每年提高") + "的百分点平均分摊"
    elif basis == AMOUNT:
        note = "累计目标为数量，按逐年累加平均分摊"
    else:
        note = "累计目标按逐年" + word + ("复合分摊" if compounded else "平均分摊")
    if np.any(how == "levels"):
        note += "；累计" + ("降低" if reduction else "提高") + ("幅度由基期与最新强度水平值推算：(1 − 最新/基期)×100"
                                                            if basis == RELATIVE and reduction else
                                                            "幅度由基期与最新强度水平值推算：(最新/基期 − 1)×100"
                                                            if basis == RELATIVE else "幅度由基期与最新水平值之差推算")
    return note
