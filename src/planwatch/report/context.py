"""The report context: everything a report says, as plain data shared by every format.

``build_context`` is pure (plan, assessment, observations, adjustments → ReportContext);
``context_from_store`` is the I/O edge that reads a store and runs the evaluation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from planwatch.evaluate import (
    DEFAULT_METHOD,
    EvaluationSettings,
    assess,
    evaluate_previous_plan,
    method_label,
    read_inputs,
)
from planwatch.evaluate.evidence import observation_frame
from planwatch.evaluate.methods import METHODS
from planwatch.evaluate.projects import ProjectSettings, ProjectsOverview, projects_from_store
from planwatch.evaluate.tasks import TasksOverview, tasks_from_store
from planwatch.figures import fmt_number, fmt_value, with_unit
from planwatch.model import (
    Assessment,
    Attribute,
    Finding,
    Observation,
    Plan,
    Status,
    TargetAdjustment,
)
from planwatch.presentation import (
    FindingView,
    Point,
    chart_series,
    observed_points,
    sentences,
    status_counts,
    summary_statuses,
)
from planwatch.store import Store
from planwatch.vocabulary import (
    OBSERVATION_KIND_LABELS,
    STATUS_DEFINITIONS,
    definition_label,
    status_label,
)

from .contents import (
    KIND_LABELS,
    AdjustmentRow,
    CategorySection,
    CountTable,
    IndicatorRow,
    MethodInfo,
    ObservationRow,
    PreviousRow,
    ProjectRow,
    ProseRow,
    ReportContext,
    cover_label,
    report_year,
)
from .evidence import SourceBook, latest_observations, observation_source, vintage_rank
from .tracking import projects_section, tasks_section

__all__ = ["KIND_LABELS", "Point", "ReportContext", "build_context", "context_from_store"]

# The reports with the chapters 重大项目建设情况 and 主要任务和重大改革推进情况.
TRACKING_KINDS = ("midterm", "final")


# ---------------------------------------------------------------- assembly


def _primary_findings(findings: Sequence[Finding], plan: Plan) -> list[tuple[Finding, list[Finding]]]:
    """One primary finding per indicator (the one for its primary target), with the others."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.indicator_id].append(f)
    order = {ind.id: n for n, ind in enumerate(plan.indicators)}
    result = []
    for ind_id in sorted(grouped, key=lambda k: (order.get(k, len(order)), k)):
        group = grouped[ind_id]
        ind = plan.indicator(ind_id)
        primary = next((f for f in group if ind is not None and f.kind == ind.target.kind), group[0])
        result.append((primary, [f for f in group if f is not primary]))
    return result


def _indicator_row(
    f: Finding,
    others: list[Finding],
    book: SourceBook,
    points: Mapping[tuple[str, str], tuple[Point, ...]],
    final: bool,
) -> IndicatorRow:
    numbers = tuple(sorted({book.cite(s) for s in f.sources if s}))
    paragraph = sentences.indicator_paragraph(
        f,
        target_year=f.target_year,
        source_numbers=numbers,
        final=final,
        geometric=f.path != "linear",
    )
    for other in others:
        paragraph += f"另一目标“{other.target_text}”：{FindingView(other, final).status_text}。"
        if other.explanation:
            paragraph += other.explanation
    chart = chart_series(f, points)
    return IndicatorRow(
        view=FindingView(f, final),
        chart=chart,
        paragraph=paragraph,
        source_numbers=numbers,
        chart_key=f"ind-{re.sub(r'[^0-9A-Za-z]+', '-', f.indicator_id).strip('-')}" if chart.drawable else None,
    )


def _status_columns(rows: Sequence[IndicatorRow], final: bool) -> tuple[str, ...]:
    return tuple(str(s) for s in summary_statuses([r.view for r in rows], final=final))


def count_table(heading: str, rows: Sequence[IndicatorRow], group_of, statuses: tuple[str, ...],
                final: bool) -> CountTable:
    """Counts of ``rows`` by status within each group, groups in order of appearance."""
    groups: dict[str, list[IndicatorRow]] = {}
    for r in rows:
        groups.setdefault(group_of(r), []).append(r)
    table_rows = tuple(
        (name, tuple(sum(1 for r in members if r.status == s) for s in statuses), len(members))
        for name, members in groups.items()
    )
    labels = tuple(status_label(s, final=final) for s in statuses)
    return CountTable(heading, statuses, labels, table_rows)


def _observation_rows(
    observations: Sequence[Observation], plan: Plan, book: SourceBook
) -> tuple[ObservationRow, ...]:
    used = {id(o) for o in latest_observations(observations)}
    names = {i.id: i.name for i in plan.indicators} | {s.code: s.name for s in plan.series}
    rows = []
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    ordered = sorted(observations, key=lambda o: (order.get(o.indicator, len(order)), o.indicator, o.year,
                                                  str(o.kind), vintage_rank(o.vintage)))
    for o in ordered:
        source = observation_source(o)
        value = o.text if o.value is None and o.text else fmt_value(o.value, o.bound, o.unit)
        rows.append(
            ObservationRow(
                indicator_id=o.indicator,
                indicator_name=names.get(o.indicator, o.extra.get("indicator_name", o.indicator)),
                year=o.year,
                value_text=value,
                unit=o.unit or "",
                kind_label=OBSERVATION_KIND_LABELS[o.kind],
                vintage=o.vintage or "",
                source_number=book.cite(source),
                source=source,
                note=o.note or "",
                quote=str(o.extra.get("source_quote") or ""),
                used=id(o) in used,
            )
        )
    return tuple(rows)


def _adjustment_rows(adjustments: Iterable[TargetAdjustment], plan: Plan) -> tuple[AdjustmentRow, ...]:
    rows = []
    for adj in adjustments:
        ind = plan.indicator(adj.indicator)
        rows.append(
            AdjustmentRow(
                indicator_id=adj.indicator,
                indicator_name=ind.name if ind else (adj.indicator_name or adj.indicator),
                old=adj.old_text or fmt_number(adj.old_value),
                new=adj.new_text or fmt_number(adj.new_value),
                date=adj.date,
                reason=adj.reason,
                document=adj.document,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.date, r.indicator_id)))


def setting_label(name: str) -> str:
    """What an evaluation setting means, in Chinese: the evaluator's own description."""
    field = EvaluationSettings.model_fields.get(name)
    return field.description if field is not None and field.description else name


def _method_info(assessment: Assessment) -> MethodInfo:
    code = assessment.method
    rows = tuple(
        (str(k), setting_label(str(k)), _setting_text(v))
        for k, v in sorted(assessment.settings.items(), key=lambda kv: str(kv[0]))
    )
    definitions = tuple((str(s), definition_label(s), STATUS_DEFINITIONS[s]) for s in Status)
    method = METHODS.get(code)
    label = f"{method.LABEL}：{method.DESCRIPTION}" if method is not None else method_label(code)
    return MethodInfo(code, label, rows, definitions)


def _setting_text(value: Any) -> str:
    if isinstance(value, float):
        return fmt_number(value)
    if isinstance(value, Mapping):
        return "；".join(f"{k}={_setting_text(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, (list, tuple)):
        return "、".join(_setting_text(v) for v in value)
    return str(value)


def _latest_by_indicator(observations: Sequence[Observation]) -> dict[str, Observation]:
    latest: dict[str, Observation] = {}
    for o in latest_observations(observations):
        if o.indicator not in latest or o.year >= latest[o.indicator].year:
            latest[o.indicator] = o
    return latest


def _observation_evidence(o: Observation, book: SourceBook) -> str:
    value = o.text if o.value is None and o.text else with_unit(o.value, o.unit, o.bound)
    return f"{o.year}年为{value}[{book.cite(observation_source(o))}]"


def _prose_rows(plan: Plan, observations: Sequence[Observation], rows_by_id: Mapping[str, IndicatorRow],
                book: SourceBook, final: bool) -> tuple[ProseRow, ...]:
    latest = _latest_by_indicator(observations)
    out = []
    for t in plan.targets:
        evidence, has = "暂无对应的实际数据", False
        if t.indicator and t.indicator in rows_by_id and rows_by_id[t.indicator].finding.actual is not None:
            f = rows_by_id[t.indicator].finding
            reached = with_unit(f.actual, f.unit, f.actual_bound)
            verdict = status_label(f.status, final=final)
            evidence = f"对应表中指标“{f.indicator}”：{f.actual_year or f.year}年为{reached}，{verdict}"
            has = True
        elif t.indicator and t.indicator in latest:
            evidence, has = _observation_evidence(latest[t.indicator], book), True
        value = t.value_normalised if t.value_normalised is not None else t.value
        unit = t.unit_normalised or t.unit
        target_text = with_unit(value, unit) if value is not None else t.quote
        if t.qualifier:
            target_text += t.qualifier
        out.append(ProseRow(t.subject, target_text, t.year, t.section_title or t.section or "", t.line,
                            t.quote, evidence, has, t.location))
    return tuple(out)


def _project_rows(plan: Plan, observations: Sequence[Observation], book: SourceBook) -> tuple[ProjectRow, ...]:
    latest = _latest_by_indicator(observations)
    out = []
    for p in plan.projects:
        figures = []
        if p.length_km is not None:
            figures.append(f"长度{fmt_number(p.length_km)}公里")
        if p.investment_yi_yuan is not None:
            figures.append(f"总投资{fmt_number(p.investment_yi_yuan)}亿元")
        match = next((o for code, o in latest.items() if code == p.name or (p.no and code == p.no)), None)
        evidence = _observation_evidence(match, book) if match else "暂无项目进展数据"
        out.append(ProjectRow(p.name, "，".join(figures) or p.text[:60], p.section or "", p.line, evidence,
                              match is not None, p.location))
    return tuple(out)


def _previous_rows(plan: Plan, previous: Assessment | None) -> tuple[PreviousRow, ...]:
    statuses: dict[str, str] = {}
    if previous is not None:
        for f in previous.findings:
            statuses.setdefault(f.indicator_id, status_label(f.status, final=True))
    rows = []
    for i in plan.previous_indicators():
        outcome = ""
        if i.outcome is not None:
            outcome = i.outcome.text or fmt_number(i.outcome.value, i.unit)
        baseline = i.baseline.text or fmt_number(i.baseline.value, i.unit)
        rows.append(PreviousRow(i.no or "", i.name, i.unit or "", baseline,
                                i.target.text or fmt_number(i.target.value, i.unit), outcome or "—",
                                statuses.get(i.id, ""), i.line))
    return tuple(rows)


def _generated_on(observations: Sequence[Observation], adjustments: Sequence[AdjustmentRow],
                  data_year: int | None, year: int) -> date:
    """A date derived from the inputs (never the clock): the latest dated input or the data year's end."""
    dates = [date(data_year or year, 12, 31)]
    for text in [o.vintage or "" for o in observations] + [a.date for a in adjustments]:
        m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
        if m:
            try:
                dates.append(date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                continue
    return max(dates)


def _summary_text(views: Sequence[FindingView], statuses: Sequence[str], region: str, year: int,
                  kind_label: str, lagging_binding: int, warnings: int, *, final: bool) -> str:
    counts = status_counts(views, [Status(s) for s in statuses], final=final)
    parts = [c.text for c in counts if c.count]
    text = f"本{kind_label}评估{region}规划纲要主要指标{len(views)}项（截至{year}年）"
    if parts:
        text += "：其中" + "，".join(parts)
    text += "。"
    stale = [v for v in views if v.finding.stale and v.finding.actual_year]
    if stale:
        years = sorted({v.finding.actual_year for v in stale if v.finding.actual_year})
        span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
        text += f"有{len(stale)}项指标仅有{span}的数据，其评估结论按当年数据作出，待新数据发布后更新。"
    if lagging_binding:
        text += f"约束性指标中有{lagging_binding}项进度滞后或未实现，需重点关注。"
    if warnings:
        text += f"共有{warnings}项指标按目前趋势难以如期实现目标，列入预警。"
    return text


def build_context(
    plan: Plan,
    assessment: Assessment,
    observations: Sequence[Observation],
    adjustments: Sequence[TargetAdjustment],
    kind: str,
    *,
    previous: Assessment | None = None,
    points: Mapping[tuple[str, str], tuple[Point, ...]] | None = None,
    region: str | None = None,
    project_tracking: ProjectsOverview | None = None,
    task_tracking: TasksOverview | None = None,
) -> ReportContext:
    """Assemble a report's content from plan, assessment, observations and adjustments (pure).

    ``points`` are the region's observed values by (indicator, kind), as the evaluation read them
    (see :func:`planwatch.presentation.observed_points`); by default they come from ``observations``.
    """
    meta = plan.meta
    year = assessment.year
    period_start = assessment.period_start or meta.period_start
    period_end = assessment.period_end or meta.period_end
    report_year(kind, year, period_start, period_end)
    region = region or assessment.region or meta.region or ""
    final = assessment.final
    final_review = kind == "final"
    current = {i.id for i in plan.current_indicators()}
    findings = [f for f in assessment.findings if (not region or f.region == region) and f.indicator_id in current]
    regional_obs = [o for o in observations if o.region == region] if region else list(observations)
    if points is None:
        points = observed_points(observation_frame(regional_obs), region) if region else {}

    book = SourceBook()
    rows = [_indicator_row(f, others, book, points, final) for f, others in _primary_findings(findings, plan)]
    statuses = _status_columns(rows, final)
    sections: dict[str, list[IndicatorRow]] = {}
    for r in rows:
        sections.setdefault(r.category, []).append(r)
    adjustment_rows = _adjustment_rows(adjustments, plan)
    observation_rows = _observation_rows(regional_obs, plan, book)
    rows_by_id = {r.finding.indicator_id: r for r in rows}
    prose = _prose_rows(plan, regional_obs, rows_by_id, book, final) if final_review else ()
    projects = _project_rows(plan, regional_obs, book) if final_review else ()
    previous_rows = _previous_rows(plan, previous) if final_review else ()
    tracking = []
    if kind in TRACKING_KINDS and project_tracking is not None:
        tracking.append(projects_section(project_tracking))
    if kind in TRACKING_KINDS and task_tracking is not None:
        settings = project_tracking.settings if project_tracking else ProjectSettings()
        tracking.append(tasks_section(task_tracking, settings.task_stalled_days))

    views = [r.view for r in rows]
    counts = tuple((str(c.status), c.label, c.count)
                   for c in status_counts(views, [Status(s) for s in statuses], final=final))
    actual_years = [r.finding.actual_year for r in rows if r.finding.actual_year]
    obs_years = [o.year for o in regional_obs if o.value is not None or o.text]
    data_year = max(actual_years or obs_years or [0]) or None
    lagging = tuple(
        r for r in rows
        if r.finding.attribute == Attribute.binding
        and r.status in (Status.lagging, Status.not_achieved, Status.likely_missed)
    )
    warned = tuple(r for r in rows if r.finding.warning)
    kind_label = KIND_LABELS[kind]
    title = meta.title + cover_label(kind, year)
    notes = _missing_notes(plan, rows, regional_obs, observations, region, year)
    return ReportContext(
        kind=kind,
        kind_label=kind_label,
        title=title,
        plan_title=meta.title,
        region=region,
        year=year,
        period_start=period_start,
        period_end=period_end,
        base_year=assessment.base_year or meta.base_year,
        data_year=data_year,
        generated_on=_generated_on(regional_obs, adjustment_rows, data_year, year),
        method=_method_info(assessment),
        final=final,
        status_counts=counts,
        total=len(rows),
        by_category=count_table("类别", rows, lambda r: r.category, statuses, final),
        by_attribute=count_table("属性", rows, lambda r: r.attribute_label or "未注明", statuses, final),
        sections=tuple(CategorySection(name, tuple(members)) for name, members in sections.items()),
        lagging_binding=lagging,
        warnings=warned,
        adjustments=adjustment_rows,
        observations=observation_rows,
        sources=book.refs(),
        prose_targets=prose,
        projects=projects,
        previous=previous_rows,
        tracking=tuple(tracking),
        notes=notes,
        summary_text=_summary_text(views, statuses, region, year, kind_label, len(lagging), len(warned),
                                   final=final),
    )


def _missing_notes(plan: Plan, rows: Sequence[IndicatorRow], regional_obs: Sequence[Observation],
                   all_obs: Sequence[Observation], region: str, year: int) -> tuple[str, ...]:
    """Plain statements of what is missing, so a thin report says so instead of looking empty."""
    notes = []
    current = plan.current_indicators()
    if not current:
        notes.append("规划中没有识别出主要指标表，无法逐项评估指标；请检查规划文本或 plan.yaml。")
    if not rows and current:
        notes.append(f"评估结果中没有{region}的指标评估记录。")
    if not regional_obs:
        if all_obs:
            regions = "、".join(sorted({o.region for o in all_obs}))
            notes.append(f"{region}尚无任何实际观测数据（已有数据的地区：{regions}）。")
        else:
            notes.append("尚未导入任何实际观测数据，所有指标均为“无数据”；请先用 planwatch import 导入数据。")
    no_data = [r for r in rows if r.status == Status.no_data]
    if no_data and regional_obs:
        names = "、".join(r.finding.indicator for r in no_data)
        notes.append(f"截至{year}年，以下{len(no_data)}项指标尚无实际数据：{names}。")
    return tuple(notes)


# ---------------------------------------------------------------- the I/O edge


def context_from_store(store: Store, kind: str, year: int | None = None, method: str | None = None,
                       region: str | None = None, *, plan_key: str | None = None) -> ReportContext:
    """Read the store, evaluate the report's year for one region through the shared entry, build the context."""
    inputs = read_inputs(store, plan_key)
    plan = inputs.plan
    year = report_year(kind, year, plan.meta.period_start, plan.meta.period_end, inputs.default_year)
    regions = [region] if region else inputs.default_regions()
    assessment = assess(inputs, year=year, regions=regions, method=method or DEFAULT_METHOD)
    chosen = region or plan.meta.region or (regions[0] if regions else "")
    previous = evaluate_previous_plan(plan) if kind == "final" else None
    project_tracking = task_tracking = None
    if kind in TRACKING_KINDS:  # the projects and tasks of the plan read, judged at the report's year
        project_tracking = projects_from_store(store, year, plan_key=plan_key)
        task_tracking = tasks_from_store(store, as_of=f"{year}-12-31", plan_key=plan_key)
    return build_context(plan, assessment, store.observations(region=chosen or None), store.adjustments(plan_key), kind,
                         previous=previous, points=observed_points(inputs.frame, chosen), region=chosen,
                         project_tracking=project_tracking, task_tracking=task_tracking)
