"""``evaluate``: every current-plan target judged for every region at one year by one method.

The work is columnar: each indicator × target is judged for all regions at once with numpy
(see the rule modules); only the final Finding objects are built one by one.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planwatch.errors import EvaluationError
from planwatch.model import (
    Assessment,
    Attribute,
    Bound,
    Finding,
    Indicator,
    Outlook,
    PathShape,
    Plan,
    Status,
    Target,
    TargetKind,
    observed_kind,
    observed_unit,
)
from planwatch.vocabulary import is_final

from . import comparative, cumulative, rules, warning
from .comparability import is_total, not_comparable_reason
from .evidence import ObservationsLike, gather, is_none, observation_frame, prepare, used_derived, used_vintages
from .explanation import explanations
from .measures import Case, Measures
from .methods import method_module
from .paths import default_path, time_elapsed
from .settings import EvaluationSettings, resolve_settings


@dataclass
class Block:
    """The judged measures of one indicator × target for all regions."""

    indicator: Indicator
    target: Target
    kind: TargetKind
    regions: pd.Index
    measures: Measures
    status: np.ndarray
    ratio: np.ndarray
    category: np.ndarray
    base_year: int
    end_year: int
    path: PathShape
    vintages: np.ndarray  # vintage of the figure each region's judgement rests on
    derived: np.ndarray  # whether that figure was summed from the regions below


def plan_years(plan: Plan) -> tuple[int, int]:
    """(base year, end year) of the plan; an EvaluationError if the plan does not say."""
    meta = plan.meta
    end = meta.period_end
    base = meta.base_year if meta.base_year is not None else (meta.period_start - 1 if meta.period_start else None)
    if end is None or base is None:
        raise EvaluationError("规划缺少规划期（起止年份），无法评估；请在 plan.yaml 中补充 period_start/period_end")
    return base, end


def check_year(plan: Plan, year: int) -> None:
    """Raise an EvaluationError unless ``year`` lies within base year .. end year."""
    base, end = plan_years(plan)
    if not isinstance(year, (int, np.integer)) or not base <= year <= end:
        raise EvaluationError(f"评估年份 {year} 超出规划期：应在基期 {base} 年至目标年 {end} 年之间")


def resolve_regions(plan: Plan, frame: pd.DataFrame, regions: Sequence[str] | None, ids: set[str],
                    known_regions: Collection[str] = ()) -> list[str]:
    """The regions to judge: as asked (each must have data or be known), else the plan's and every one with data."""
    own = plan.meta.region
    # Distinct values first, then str(): the columns hold ~1 M rows but only thousands of names.
    if regions is not None:
        known = {str(r) for r in frame["region"].dropna().unique()}
        unknown = [r for r in regions if r != own and r not in known and r not in known_regions]
        if unknown:
            have = "、".join(sorted(known)) or "（无）"
            raise EvaluationError(f"地区“{'、'.join(unknown)}”没有任何观测数据；已有数据的地区：{have}")
        return list(dict.fromkeys(regions))
    indicator = frame["indicator"]
    wanted = [i for i in indicator.unique() if str(i) in ids]
    with_data = {str(r) for r in frame.loc[indicator.isin(wanted).to_numpy(), "region"].dropna().unique()}
    others = sorted(with_data - {own})
    return ([own] if own else []) + others if (own or others) else ["本地区"]


def _years_of(plan: Plan, indicator: Indicator, target: Target) -> tuple[int, int]:
    base, end = plan_years(plan)
    t_base = target.base_year or indicator.baseline.year or (indicator.period_start - 1 if indicator.period_start else base)
    return int(t_base), int(target.year or indicator.period_end or end)


def _baseline(indicator: Indicator, target: Target, evidence, regions: pd.Index, own: str | None) -> np.ndarray:
    """Base value per region: the plan's for the plan's region, else the base-year observation."""
    base = evidence.base_level.copy()
    plan_value = indicator.baseline.value
    if target.kind == TargetKind.maintain and plan_value is None and target.value is not None:
        plan_value = target.value
    if plan_value is not None and own is not None:
        base[regions == own] = float(plan_value)
    return base


def evaluate(plan: Plan, observations: ObservationsLike, year: int, *, method: str = "elapsed_time",
             regions: Sequence[str] | None = None, settings: EvaluationSettings | dict | None = None,
             known_regions: Collection[str] = ()) -> Assessment:
    """Judge every target of the plan's indicators for each region at ``year`` by ``method``.

    ``regions`` None judges the plan's region and every region with data; a region asked for must
    have data or be one of ``known_regions`` (the store's region tree), where it is judged 无数据.
    Surfaces call :func:`planwatch.evaluate.scope.assess`, which decides the defaults once.
    """
    module = method_module(method)
    settings = resolve_settings(settings)
    check_year(plan, year)
    base, end = plan_years(plan)
    with _collector_paused():
        blocks = judge(plan, observations, year, method=method, regions=regions, settings=settings,
                       known_regions=known_regions)
        findings = findings_of(blocks, year, method, module, final=is_final(year, end),
                               stale_before=year - settings.stale_after_years)
    return Assessment(plan_title=plan.meta.title, region=plan.meta.region, year=year, method=method,
                      period_start=plan.meta.period_start, period_end=end, base_year=base,
                      findings=findings, settings=settings.to_dict())


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: the many small lists and Findings built here are none of them
    garbage, yet their allocation triggers collections that walk every live object, again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def judge(plan: Plan, observations: ObservationsLike, year: int, *, method: str, regions: Sequence[str] | None,
          settings: EvaluationSettings, known_regions: Collection[str] = ()) -> list[Block]:
    """The columnar result: one Block per indicator × target, arrays over the regions."""
    module = method_module(method)
    indicators = plan.current_indicators()
    frame = observation_frame(observations)
    ids = {i.id for i in indicators}
    wanted = resolve_regions(plan, frame, regions, ids, known_regions)
    index = pd.Index(wanted)
    needed = ids | {code for code in _reference_codes(plan, indicators, settings)}
    parts = prepare(frame, year, index, needed)
    own = plan.meta.region
    blocks = []
    for ind in indicators:
        for target in ind.targets or [ind.target]:
            case = _case(plan, ind, target, year, index, parts, own, settings)
            m = rules.measure(case)
            _not_comparable(case, m, own)
            blocks.append(_classify(case, m, module, settings, year))
    return blocks


def _reference_codes(plan: Plan, indicators: list[Indicator], settings: EvaluationSettings) -> list[str]:
    """Ids or codes of the series comparative targets refer to (their rows must be kept)."""
    codes = []
    for ind in indicators:
        if any(t.kind == TargetKind.comparative for t in ind.targets or [ind.target]):
            ref = comparative.find_reference(plan, ind, settings)
            if ref is not None:
                codes.append(ref[0])
    return codes


def _case(plan, ind, target, year, index, parts, own, settings) -> Case:
    t_base, t_end = _years_of(plan, ind, target)
    kind = TargetKind(target.kind)
    # The probe's evidence is gathered just below, once ``reduction`` (which reads the probe) is known.
    probe = Case(ind, target, kind, year, t_base, t_end, index, np.array([]), None, settings,  # type: ignore[arg-type]
                 default_path(ind, settings))
    reduction = kind in (TargetKind.cumulative_change, TargetKind.assigned) and cumulative.is_reduction(probe)
    rows = parts.get(ind.id)
    ev = gather(rows, index, t_base, reduction=reduction)
    probe.evidence, probe.rows = ev, rows
    probe.baseline = _baseline(ind, target, ev, index, own)
    # Only an observed base counts as a source; the plan's own base value is the plan's.
    from_plan = ~(probe.baseline == ev.base_level)
    # numpy's stubs don't admit None as a where() branch; numpy broadcasts it into the object array.
    ev.base_source = np.where(from_plan, None, ev.base_source).astype(object)  # type: ignore[call-overload]
    if kind == TargetKind.comparative:
        ref = comparative.find_reference(plan, ind, settings)
        if ref is not None:
            probe.reference_name = ref[1]
            probe.reference_rows = parts.get(ref[0])
            probe.reference = gather(probe.reference_rows, index, t_base)
            ref_ind = plan.indicator(ref[0])
            if ref_ind is not None and ref_ind.baseline.value is not None and own is not None:
                probe.reference.base_level[index == own] = ref_ind.baseline.value
    return probe


# The kinds whose target states a quantity of the indicator itself (not a growth rate or a comparison).
_QUANTITY_KINDS = (TargetKind.level, TargetKind.cumulative_change, TargetKind.maintain)
# What a total's finding keeps for another region: its own data (actual, base, own trend), never the distance
# to the plan region's target.
_TO_TARGET = ("expected", "target", "completion", "gap", "required_rate", "planned_rate", "projection_year",
              "projection_share")
_KEPT_VERDICTS = (Status.no_data.value, Status.pending_target.value)


def _not_comparable(case: Case, m: Measures, own: str | None) -> None:
    """A total (9000亿元) stated for the plan's region is never a target of another region: 无法评估, with why.

    Rates, shares, intensities and growth rates are judged for every region against the plan's figure
    (see :mod:`.comparability`). A region without data keeps 无数据, a target not yet entered 待下达.
    ``case.kind`` is read after the rule ran, so an assigned target is judged by the kind it took.
    """
    if own is None or case.kind not in _QUANTITY_KINDS or not is_total(case.unit, case.indicator.name):
        return
    other = np.asarray(case.regions != own) & ~np.isin(m["verdict"], _KEPT_VERDICTS)
    if not other.any():
        return
    text = case.target.text or (str(case.target.value) if case.target.value is not None else "")
    m["verdict"][other] = Status.not_assessable.value
    seen_in = observed_unit(case.kind, case.unit)
    names = case.regions.tolist()
    m["reason"][other] = [not_comparable_reason(str(names[i]), own, text, case.unit, m["actual"][i],
                                                m["actual_year"][i], seen_in, m["bound"][i])
                          for i in np.flatnonzero(other)]
    m["met"] = m["met"] & ~other
    m["warning"] = m["warning"].astype(bool) & ~other
    m["bound_side"] = np.where(other, 0, m["bound_side"])
    for name in _TO_TARGET:
        m[name] = np.where(other, np.nan, m[name])


# Target kinds whose measures hold the indicator's own values (base, latest, target), not rates.
_LEVEL_KINDS = (TargetKind.level, TargetKind.maintain)


def _classify(case: Case, m: Measures, module, settings: EvaluationSettings, year: int) -> Block:
    m.span, m.level_series = case.span, case.kind in _LEVEL_KINDS
    status, ratio, category = module.classify(m, settings)
    status = status.astype(object)
    status[m["met"]] = Status.achieved.value
    # A bound settles only what it can: "> b" proves "at least as good as b", never worse.
    verdict = m["verdict"]
    has_verdict = ~is_none(verdict)
    side = m["bound_side"]
    good = np.isin(status, [Status.achieved.value, Status.ahead.value, Status.on_track.value])
    # A rule's own verdict already weighed the bound (a control band, the side of a line).
    unsettled = (((side > 0) & ~good) | ((side < 0) & good)) & ~has_verdict
    status[unsettled] = Status.not_assessable.value
    m["reason"][unsettled] = "实际值只是一个界限，不足以判断是否符合进度"
    m["warning"][unsettled] = False
    status[has_verdict] = verdict[has_verdict]
    binding = case.indicator.attribute == Attribute.binding
    if settings.final_status_at_end and year >= case.end_year:
        final_data = _settle_at_end(status, m, case.end_year)
        shares = warning.end_shares(m, by_completion=case.kind in _COMPLETION_KINDS)
        warning.grade_at_end(status, m, final_data, shares=shares, comparator=case.target.comparator,
                             binding=binding, settings=settings)
    category = category.astype(object)
    category[has_verdict & ~m["met"]] = None
    m["outlook"] = warning.outlooks(status, m, during_period=year < case.end_year)
    m["warning_level"] = warning.warning_levels(m, m["warning"].astype(bool), binding=binding, settings=settings)
    seen_as = observed_kind(case.kind)
    return Block(case.indicator, case.target, case.kind, case.regions, m, status, ratio, category,
                 case.base_year, case.end_year, case.path, used_vintages(case.rows, case.n, m["actual_year"], seen_as),
                 used_derived(case.rows, case.n, m["actual_year"], seen_as))


# Kinds whose end-of-period share of the target is the completion (level distance, cumulative change); growth
# and comparative targets are graded by the ratio of realised to targeted growth.
_COMPLETION_KINDS = (TargetKind.level, TargetKind.maintain, TargetKind.cumulative_change)


_IN_PROGRESS = [Status.lagging.value, Status.on_track.value, Status.ahead.value]
_JUDGED = [Status.achieved.value, *_IN_PROGRESS]


def _settle_at_end(status: np.ndarray, m: Measures, end_year: int) -> np.ndarray:
    """At (or after) the target year: 已实现 / 未实现 only on the target year's data; before they exist the
    review says 预计完成 / 预计难以完成, decided by the projection (the warning) — as a 总结评估 written
    before the final figures does."""
    with np.errstate(invalid="ignore"):
        final_data = m["actual_year"] >= end_year
    status[final_data & np.isin(status, _IN_PROGRESS)] = Status.not_achieved.value
    early = ~final_data & np.isin(status, _JUDGED)
    warned = m["warning"].astype(bool)
    status[early & warned] = Status.likely_missed.value
    status[early & ~warned] = Status.likely_achieved.value
    return final_data


_FINDING_FIELDS = tuple(Finding.model_fields)
# Slot descriptors: the cheapest way to fill an instance. pydantic types these names as the instance's values,
# so the class-level descriptors' __set__ is invisible to mypy.
_SET_FIELDS_SET = Finding.__pydantic_fields_set__.__set__  # type: ignore[attr-defined]
_SET_EXTRA = Finding.__pydantic_extra__.__set__  # type: ignore[union-attr]
_SET_PRIVATE = Finding.__pydantic_private__.__set__  # type: ignore[union-attr]
_NEW = object.__new__
_SET_ATTR = object.__setattr__


# Every field is set, so every Finding's fields-set is this same set; pydantic only ever adds to it (on
# assignment, a name already present) or copies it, so one shared set is safe and saves one set per Finding.
_ALL_SET = set(_FINDING_FIELDS)


def _finding(data: dict) -> Finding:
    """A Finding from already-checked values for every field, without per-field validation (the hot path)."""
    obj = _NEW(Finding)
    _SET_ATTR(obj, "__dict__", data)
    _SET_FIELDS_SET(obj, _ALL_SET)
    _SET_EXTRA(obj, None)
    _SET_PRIVATE(obj, None)
    return obj


_STATUS = {s.value: s for s in Status}


def _optional(values: np.ndarray) -> list:
    """Numbers as a list of Python scalars with NaN as None."""
    return [None if v != v else v for v in values.tolist()]


def _optional_ints(values: np.ndarray) -> list:
    """Whole numbers (years) as ints, NaN and None as None."""
    return [None if v is None or v != v else int(v) for v in values.tolist()]


def findings_of(blocks: list[Block], year: int, method: str, module, *, final: bool,
                stale_before: int) -> list[Finding]:
    """Materialise the Finding objects (the one per-value Python step); data before ``stale_before`` are stale."""
    out: list[Finding] = []
    for b in blocks:
        out.extend(_block_findings(b, year, method, module, final, stale_before))
    return out


def _block_findings(b: Block, year: int, method: str, module, final: bool, stale_before: int) -> list[Finding]:
    """The Findings of one indicator × target: its columns converted once, then zipped row by row."""
    ind, t, m, kind = b.indicator, b.target, b.measures, b.kind
    a = m.arrays
    statuses = [_STATUS[s] for s in b.status.tolist()]
    cats = b.category.tolist()
    inf = float("inf")
    ratios = [None if r is None or r in (inf, -inf) else r for r in _optional(np.asarray(b.ratio, float))]
    elapsed = time_elapsed(year, b.base_year, b.end_year)
    shares = [elapsed if s is None else s for s in _optional(a["time_share"])]
    warnings = [bool(w) and s not in _QUIET for w, s in zip(a["warning"].tolist(), statuses, strict=True)]
    levels = [int(v) if w else None for v, w in zip(a["warning_level"].tolist(), warnings, strict=True)]
    outlooks = [Outlook(o) if o else None for o in a["outlook"].tolist()]
    bounds = [Bound(v) if v else None for v in a["bound"].tolist()]
    cols = {name: _optional(a[name]) for name in ("actual", "baseline", "expected", "target", "completion", "gap",
                                                   "required_rate", "observed_rate", "projection")}
    actual_years, projection_years = _optional_ints(a["actual_year"]), _optional_ints(a["projection_year"])
    stale = [ay is not None and ay < stale_before for ay in actual_years]
    per_row = dict(cols, status=statuses, verdict_reason=a["reason"].tolist(), actual_year=actual_years,
                   actual_bound=bounds, time_elapsed=shares, ratio=ratios, warning=warnings, stale=stale,
                   met=a["met"].tolist(), rate_note=a["rate_note"].tolist(), fell_back_note=a["fell_back_note"].tolist(),
                   by_line=a["by_line"].tolist(), warning_said=a["warning_said"].tolist(), warning_level=levels,
                   outlook=outlooks, rebased_baseline=_optional(a["rebased_baseline"]),
                   rebased_completion=_optional(a["rebased_completion"]), derived=b.derived.tolist())
    texts = explanations(per_row, kind=kind, unit=ind.unit, target_text=t.text, method=method,
                         method_label=module.LABEL, rule_note=m.rule_note, final=final,
                         category_labels=[module.CATEGORY_LABELS.get(c) if c else None for c in cats])
    region_names = [str(r) for r in b.regions.tolist()]
    rows = zip(region_names, statuses, cols["actual"], bounds, actual_years, cols["baseline"],
               cols["expected"], cols["target"], cols["completion"], shares, cols["gap"], cols["required_rate"],
               cols["observed_rate"], cols["projection"], projection_years, ratios, cats, a["sources"], texts, stale,
               b.vintages.tolist(), levels, outlooks, per_row["rebased_baseline"], per_row["rebased_completion"],
               per_row["derived"], strict=True)
    # Keys in field order, as a validated Finding would hold them.
    return [_finding({
        "indicator_id": ind.id, "no": ind.no, "indicator": ind.name, "category": ind.category,
        "attribute": ind.attribute, "unit": ind.unit, "region": region, "year": year, "kind": kind,
        "target_text": t.text, "status": status, "actual": actual, "actual_bound": bound, "actual_year": ay,
        "baseline": base, "expected": expected, "target": target, "completion": completion, "time_elapsed": share,
        "gap": gap, "required_rate": required, "observed_rate": observed, "projection": projection,
        "projection_year": py, "method": method,
        "ratio": ratio, "category_code": cat, "sources": list(sources or []), "explanation": text, "line": ind.line,
        "stale": old, "path": b.path, "base_year": b.base_year, "target_year": b.end_year,
        "vintage": vintage, "warning_level": level, "outlook": outlook, "rate_unit": m.rate_unit,
        "rebased_baseline": rebased, "rebased_completion": rebased_share, "derived": derived,
        "location": ind.location,
    }) for (region, status, actual, bound, ay, base, expected, target, completion, share, gap, required,
            observed, projection, py, ratio, cat, sources, text, old, vintage, level, outlook, rebased,
            rebased_share, derived) in rows]


# Statuses that carry no warning: the target is met (or will be), or nothing could be judged.
_QUIET = (Status.exceeded, Status.achieved, Status.likely_achieved, Status.not_assessable)


def latest_data_year(plan: Plan, observations: ObservationsLike) -> int:
    """The latest year of the period with a value for a current-plan indicator; else the period's first year.

    Base-year values are the starting point, not progress: with nothing newer there is nothing to
    monitor yet, and every surface (CLI, API, dashboard, annual report) opens on the first year.
    """
    base, end = plan_years(plan)
    first = plan.meta.period_start or base + 1
    frame = observation_frame(observations)
    ids = {i.id for i in plan.current_indicators()}
    years = pd.to_numeric(frame.loc[frame["indicator"].astype(str).isin(ids) & frame["value"].notna(), "year"])
    years = years[(years >= first) & (years <= end)]
    return int(years.max()) if len(years) else first
