"""Comparative targets (高于地区生产总值年均增长, 与经济增长基本同步): a rate against another rate.

The referenced quantity is found by name (see :func:`find_reference`); both average rates are
taken over the same years when both are observed year by year.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from planwatch.model import Comparator, Direction, Indicator, ObservationKind, Plan, Status, TargetKind

from . import growth
from .evidence import chain_gaps
from .level import mark_missing
from .measures import Case, Measures
from .settings import EvaluationSettings
from .tolerance import above, at_most


def find_reference(plan: Plan, indicator: Indicator, settings: EvaluationSettings) -> tuple[str, str] | None:
    """(id or series code, name) of the quantity a comparative target refers to, or None."""
    target = indicator.target if indicator.target.kind == TargetKind.comparative else next(
        (t for t in indicator.targets if t.kind == TargetKind.comparative), indicator.target)
    if target.reference_indicator:
        key = target.reference_indicator
        ind = plan.indicator(key)
        if ind is not None:
            return ind.id, ind.name
        for s in plan.series:
            if s.code == key:
                return s.code, s.name
        return key, key
    words = _reference_words(target.reference or target.text, settings)
    if not words:
        return None
    # Declared rate series first (GDP real growth), among them one on the indicator's own price basis (a 现价
    # indicator against nominal growth, a 可比价 one against real growth); then table indicators, never the row itself.
    own = growth.price_basis(indicator)

    def rank(s) -> tuple[bool, int]:
        basis = name_basis(s.name)
        return s.kind != ObservationKind.annual_growth, (0 if basis == own else 1 if basis is None else 2) if own else 0

    series = sorted(plan.series, key=rank)
    for s in series:
        if any(w in s.name or w == s.code for w in words):
            return s.code, s.name
    for ind in plan.indicators:
        if ind.id != indicator.id and ind.period_end == indicator.period_end and any(w in ind.name for w in words):
            return ind.id, ind.name
    return None


_NAME_BASIS = ((growth.COMPARABLE, ("实际", "可比")), (growth.CURRENT, ("名义", "现价", "当年价")))


def name_basis(name: str | None) -> str | None:
    """The price basis a series' name states (GDP实际增长率 → comparable, GDP名义增长率 → current), or None."""
    for basis, words in _NAME_BASIS:
        if name and any(w in name for w in words):
            return basis
    return None


def basis_notes(case: Case, own_lv: np.ndarray, ref_lv: np.ndarray) -> np.ndarray:
    """Per region, the price-basis sentence where the two rates are on different bases, else None.

    The own basis is the plan's footnote (现价/可比价); a rate from levels is a current-price rate. The
    reference's basis is its name's (GDP实际增长率: 可比价), a rate from its levels at current prices.
    "居民人均可支配收入按现价、经济增长按可比价，口径不同，仅供参考".
    """
    out = np.full(case.n, None, dtype=object)
    declared = growth.price_basis(case.indicator)
    ref_declared = name_basis(case.reference_name)
    own_label, ref_label = _own_label(case), _reference_label(case)
    for i in range(case.n):
        own = growth.CURRENT if own_lv[i] else declared
        ref = growth.CURRENT if ref_lv[i] and ref_declared is None else ref_declared
        if own is None:
            continue
        if ref is None:
            out[i] = f"{own_label}按{growth.BASIS_LABELS[own]}，{ref_label}的价格口径未注明，仅供参考"
        elif own != ref:
            out[i] = (f"{own_label}按{growth.BASIS_LABELS[own]}、{ref_label}按{growth.BASIS_LABELS[ref]}，"
                      "口径不同，仅供参考")
    return out


def _own_label(case: Case) -> str:
    """The indicator's name without its rate words: 居民人均可支配收入年均增长 → 居民人均可支配收入."""
    name = case.indicator.name
    for word in case.settings.reference_strip_words:
        name = name.replace(word, "")
    return name.strip() or case.indicator.name


def _reference_label(case: Case) -> str:
    """The compared quantity as the plan names it: 与经济增长基本同步 → 经济增长."""
    text = case.target.reference or case.reference_name or ""
    for prefix in ("高于", "低于", "不低于", "快于", "与", "同"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for word in ("基本同步", "同步"):
        text = text.replace(word, "")
    return text.strip() or (case.reference_name or "比较对象")


def _reference_words(text: str | None, settings: EvaluationSettings) -> list[str]:
    """The referenced quantity's core words: the text without rate words, plus its synonyms."""
    if not text:
        return []
    core = text
    for prefix in ("高于", "低于", "不低于", "快于", "与", "同"):
        if core.startswith(prefix):
            core = core[len(prefix):]
    for word in ("基本同步", "同步", *settings.reference_strip_words):
        core = core.replace(word, "")
    core = core.strip()
    words = [core] if core else []
    for key, synonyms in settings.reference_synonyms.items():
        if core and (core == key or core in synonyms or key in core):
            words += [key, *synonyms]
    return list(dict.fromkeys(w for w in words if w))


def _chained_common(own: pd.DataFrame, ref: pd.DataFrame, regions: pd.Index, base_year: int):
    """Average yearly growth of both over the years both were observed, per region.

    Returns (own rate, reference rate, years covered — base to last common year —, last common year,
    sources, gaps): the averages compound the common years only; a year missing between the base and the
    last common year is a gap, (observed years, missing years) per region as in ``Evidence.growth_gaps``.
    """
    def yearly(rows: pd.DataFrame) -> pd.DataFrame:
        g = rows[(rows["kind"] == "annual_growth") & rows["value"].notna() & (rows["year"] > base_year)]
        return g.drop_duplicates(["region", "year"], keep="last")[["region", "year", "value", "source"]]

    both = yearly(own).merge(yearly(ref), on=["region", "year"], suffixes=("_own", "_ref"))
    if both.empty:
        return None
    with np.errstate(invalid="ignore"):
        both = both.assign(lo=np.log1p(both["value_own"] / 100), lr=np.log1p(both["value_ref"] / 100))
    agg = both.groupby("region").agg(lo=("lo", "sum"), lr=("lr", "sum"), k=("lo", "size"), last=("year", "max"))
    agg = agg.reindex(regions)
    k = agg["k"].to_numpy(float)
    own_rate = np.expm1(agg["lo"].to_numpy(float) / k) * 100
    ref_rate = np.expm1(agg["lr"].to_numpy(float) / k) * 100
    sources = {r: list(dict.fromkeys([*g["source_own"].dropna(), *g["source_ref"].dropna()]))
               for r, g in both.groupby("region")}
    last = agg["last"].to_numpy(float)
    codes = regions.get_indexer(both["region"].to_numpy())  # type: ignore[arg-type]
    gaps = chain_gaps(codes, both["year"].to_numpy(), np.nan_to_num(k), last, base_year, len(regions))
    return own_rate, ref_rate, last - base_year, last, sources, gaps


def measure(case: Case) -> Measures:
    """Judge a comparative target for every region."""
    own_rows, ref_rows = case.rows, case.reference_rows
    m = Measures(case.n, rate_unit="%")
    if case.reference is None:
        mark_missing(m, case)
        m.set_verdict(np.ones(case.n, dtype=bool), Status.not_assessable,
                      f"无法确定比较对象“{case.target.reference or case.target.text}”对应的指标或数据序列")
        return m
    own_rate, years, last, sources = growth.realised_rate(case)
    ref_case = dataclasses.replace(case, evidence=case.reference, baseline=case.reference.base_level)
    ref_rate, _ref_years, _ref_last, ref_sources = growth.realised_rate(ref_case)
    merged = np.empty(case.n, dtype=object)
    for i, (a, b) in enumerate(zip(sources, ref_sources, strict=True)):
        merged[i] = list(dict.fromkeys([*(a or []), *(b or [])]))
    sources = merged
    matched = np.zeros(case.n, dtype=bool)
    common = _chained_common(own_rows.frame(), ref_rows.frame(), case.regions, case.base_year) \
        if own_rows is not None and ref_rows is not None else None
    if common is not None:
        c_own, c_ref, c_k, c_last, c_sources, c_gaps = common
        matched = np.isfinite(c_own) & np.isfinite(c_ref)
        own_rate = np.where(matched, c_own, own_rate)
        ref_rate = np.where(matched, c_ref, ref_rate)
        years = np.where(matched, c_k, years)
        last = np.where(matched, c_last, last)
        for j in np.flatnonzero(matched).tolist():
            sources[j] = c_sources.get(case.regions[j], sources[j])
    gaps = case.evidence.growth_gaps.copy()
    if common is not None:
        gaps = np.where(matched, c_gaps, gaps)
    has = np.isfinite(own_rate)
    mark_missing(m, case, has)
    m.set_verdict(~has, Status.not_assessable, growth.why_no_rate(case))
    m.set_verdict(has & ~np.isfinite(ref_rate), Status.not_assessable, f"缺少比较对象“{case.reference_name}”的同期增速数据")
    m["sources"] = sources
    m["actual"], m["actual_year"] = own_rate, last
    m["target"] = m["expected"] = m["planned_rate"] = ref_rate
    m["observed_rate"] = m["projection"] = own_rate
    m["time_share"] = years / case.span if case.span else np.ones(case.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = own_rate - ref_rate
        m["projection_share"] = own_rate / ref_rate
        tol = case.settings.comparative_tolerance_pp
        comparator, direction = case.target.comparator, case.target.direction
        if comparator == Comparator.at_most or direction == Direction.lower_is_better:
            holds, gap = at_most(diff, 0.0), diff
        elif comparator == Comparator.about:
            holds = at_most(np.abs(diff), tol)
            if direction == Direction.higher_is_better:
                holds = holds | above(diff, 0.0)
            gap = -diff
        else:
            holds, gap = above(diff, 0.0), -diff
    m["gap"] = gap
    ok = has & np.isfinite(ref_rate)
    final = case.year >= case.end_year
    m["met"] = ok & holds & final
    m.set_verdict(ok & holds & (not final), Status.on_track)
    m.set_verdict(ok & ~holds & (not final), Status.lagging)
    m["warning"] = ok & ~holds
    notes = growth.gap_notes(gaps, ok & (matched | (case.evidence.growth_years > 0)))
    # Price basis: a 现价 rate against real growth (or the reverse) is still compared, but said to differ.
    own_lv = ~matched & growth.from_levels(case, own_rate)
    ref_lv = ~matched & growth.from_levels(ref_case, ref_rate)
    for i, basis in enumerate(basis_notes(case, own_lv, ref_lv).tolist()):
        if basis and ok[i]:
            notes[i] = f"{notes[i]}；{basis}" if notes[i] else basis
    m["rate_note"] = notes
    m.rule_note = f"与“{case.reference_name}”比较同期年均增速" + ("" if matched.all() else "（部分地区年份不完全对应）")
    return m
