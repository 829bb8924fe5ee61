"""Project tracking judged: each project's status by a stated rule, and the roll-ups of the projects.

The rule (docs/methodology.md §6 quotes it; the thresholds are :class:`ProjectSettings`). A project is
judged at a date D — the end of the year judged, or the latest date the sheets describe when that is
earlier — on its latest reports of that year and before (the latest non-empty value of each field
counts: a blank cell means "not reported", not "erased"):

- **已完成** (``done``): it was put into service (投用) or completed (完工) on or before D.
- **滞后** (``behind``), with each reason named:
  - investment: the year's completed investment is below ``investment_share`` of the year's planned
    investment, prorated by the share of the year elapsed at D (the whole year once D is past it);
  - a milestone (立项 / 开工 / 完工 / 投用) late by more than ``milestone_margin_days``: not reached and
    D more than the margin past its planned date (逾期), or reached in the year judged more than the
    margin after its planned date.
- **未启动** (``not_started``): not behind, not started (开工) by D, and no investment completed yet.
- **按计划推进** (``on_schedule``): every other project with a report.
- 未填报 (no state): no report of the project at all.

A project is also **停滞** (stalled) when the year's planned investment is positive and the completed
investment reported for it is zero. The states are the task states (:class:`~planwatch.model.TaskState`)
and their labels those of the tasks (vocabulary.TASK_STATE_LABELS).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from planwatch.figures import fmt_number, fmt_share
from planwatch.model import MILESTONES, Comparator, Milestone, OutlineNode, Plan, Programme, ProjectReportRow, TaskState
from planwatch.store import Store
from planwatch.vocabulary import (
    MILESTONE_LABELS,
    NO_GROUP,
    PROJECT_NOT_IN_PLAN,
    task_state_label,
)

__all__ = ["GROUPINGS", "ProgrammeProgress", "ProjectSettings", "ProjectView", "ProjectsOverview", "RollupRow",
           "default_year", "judge_date", "programme_progress", "project_views", "projects_from_store", "projects_overview", "roll_up"]


class ProjectSettings(BaseModel):
    """Thresholds of the project and task rules; override any by name (documented in docs/methodology.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    investment_share: float = Field(
        0.8,
        description="项目年度完成投资低于年度计划投资（按截至日期的时间进度折算）的此比例，项目为“滞后”",
        gt=0.0, le=1.0,
    )
    milestone_margin_days: int = Field(
        90,
        description="项目节点（立项、开工、完工、投用）晚于计划日期超过此天数（已实现的按实际日期，未实现的按截至日期），项目为“滞后”",
        ge=0,
    )
    task_stalled_days: int = Field(
        180,
        description="任务最新进展状态为“未启动”或“滞后”，且至少此天数之前的填报已是同一状态，列为“停滞”",
        ge=0,
    )


@dataclass(frozen=True)
class ProjectView:
    """One tracked project as judged at a date: its figures, milestones, state and the reasons for it."""

    key: str
    name: str
    in_plan: bool
    box: str  # 专栏3, or 规划未列名
    chapter: str  # 四、忠实践行…, or 规划未列名
    line: int | None
    lead_unit: str | None
    region: str | None
    total_investment: float | None  # 亿元
    year: int
    data_year: int | None  # the year the investment figures are for (the judged year, or the latest before)
    year_planned: float | None
    year_completed: float | None
    cumulative_completed: float  # from the plan's first year to the judged year, 亿元
    planned: Mapping[Milestone, str]
    actual: Mapping[Milestone, str]  # only those reached by the judging date
    state: TaskState | None
    reasons: tuple[str, ...]
    late: tuple[Milestone, ...]
    stalled: bool

    @property
    def state_label(self) -> str:
        """未启动 / 按计划推进 / 滞后 / 已完成, 未填报 without a report."""
        return task_state_label(self.state)

    @property
    def reason_text(self) -> str:
        """The reasons as one sentence."""
        return "；".join(self.reasons)

    @property
    def year_share(self) -> float | None:
        """The year's completed investment over its planned investment."""
        if self.year_planned and self.year_completed is not None:
            return self.year_completed / self.year_planned
        return None

    @property
    def planned_start(self) -> str | None:
        """计划开工."""
        return self.planned.get(Milestone.started)

    @property
    def planned_finish(self) -> str | None:
        """计划完工."""
        return self.planned.get(Milestone.completed)


@dataclass(frozen=True)
class RollupRow:
    """A group of projects: how many, in which state, late and stalled, and their investment."""

    group: str
    count: int
    states: Mapping[str, int]  # TaskState code, or "" for 未填报 → count
    late: int
    stalled: int
    total_investment: float
    year_planned: float
    year_completed: float
    cumulative_completed: float

    @property
    def year_share(self) -> float | None:
        """Completed over planned investment of the year."""
        return self.year_completed / self.year_planned if self.year_planned else None


@dataclass(frozen=True)
class ProgrammeProgress:
    """A programme's stated totals (551: 500个左右, 1万亿元以上) against the tracked projects."""

    name: str
    title: str
    target_count: float | None
    count_comparator: Comparator | None
    target_investment: float | None
    investment_comparator: Comparator | None
    tracked: int
    tracked_in_plan: int
    tracked_not_in_plan: int
    cumulative_completed: float
    first_year: int | None
    year: int
    line: int

    @property
    def count_share(self) -> float | None:
        """Tracked projects over the planned count."""
        return self.tracked / self.target_count if self.target_count else None

    @property
    def investment_share(self) -> float | None:
        """Completed investment over the planned total."""
        return self.cumulative_completed / self.target_investment if self.target_investment else None


@dataclass(frozen=True)
class ProjectsOverview:
    """Everything the surfaces show of the projects at one date: views, roll-ups, programmes."""

    year: int
    data_year: int | None  # the year whose investment the roll-ups sum (the year judged, or the latest before)
    as_of: str | None
    settings: ProjectSettings
    views: tuple[ProjectView, ...]
    rollups: Mapping[str, tuple[RollupRow, ...]]  # grouping → rows
    programmes: tuple[ProgrammeProgress, ...]
    total: RollupRow

    @property
    def late(self) -> tuple[ProjectView, ...]:
        """Projects with a late milestone."""
        return tuple(v for v in self.views if v.late)

    @property
    def stalled(self) -> tuple[ProjectView, ...]:
        """Projects stalled (planned investment, none completed)."""
        return tuple(v for v in self.views if v.stalled)

    @property
    def behind(self) -> tuple[ProjectView, ...]:
        """Projects judged 滞后 (late, or investment below the share)."""
        return tuple(v for v in self.views if v.state == TaskState.behind)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (for the API and pages): every view, roll-up and programme."""
        return {
            "year": self.year, "data_year": self.data_year, "as_of": self.as_of, "settings": self.settings.model_dump(),
            "projects": [view_json(v) for v in self.views],
            "rollups": {k: [rollup_json(r) for r in rows] for k, rows in self.rollups.items()},
            "total": rollup_json(self.total),
            "programmes": [programme_json(p) for p in self.programmes],
            "late": [v.key for v in self.late], "stalled": [v.key for v in self.stalled],
        }


# ---------------------------------------------------------------- the rule


T = TypeVar("T")


def judge_date(year: int, reports: Iterable[ProjectReportRow]) -> str:
    """The date a year is judged at: its last day, or the latest date the reports describe if earlier."""
    end = f"{year}-12-31"
    dates = [r.as_of for r in reports]
    return min(end, max(dates)) if dates else end


def _elapsed(year: int, at: date) -> float:
    """Share of ``year`` elapsed at ``at`` (whole days, the day itself included)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if at >= end:
        return 1.0
    if at < start:
        return 0.0
    return ((at - start).days + 1) / ((end - start).days + 1)


def _latest(values: Iterable[T | None]) -> T | None:
    """The first value given (not None, not blank) of values listed latest first."""
    for value in values:
        if value is not None and value != "":
            return value
    return None


def _latest_dates(dates: Sequence[tuple[str | None, ...]]) -> dict[Milestone, str]:
    """The latest date reported for each milestone, from each report's dates (oldest first, Milestone order)."""
    latest: dict[Milestone, str] = {}
    for m, column in zip(MILESTONES, zip(*dates, strict=True), strict=True):
        found = _latest(reversed(column))
        if found is not None:
            latest[m] = found
    return latest


def judge_project(reports: Sequence[ProjectReportRow], year: int, as_of: str, settings: ProjectSettings,
                  first_year: int | None = None) -> dict[str, Any]:
    """State, reasons, late milestones, stalled flag and figures of one project from its reports (oldest first)."""
    if not reports:
        return {"state": None, "reasons": ("尚无项目进展填报",), "late": (), "stalled": False, "data_year": None,
                "year_planned": None, "year_completed": None, "cumulative": 0.0, "planned": {}, "actual": {}}
    planned = _latest_dates([r.planned for r in reports])
    reported = _latest_dates([r.actual for r in reports])
    actual = {m: d for m, d in reported.items() if d <= as_of}
    by_year: dict[int, ProjectReportRow] = {}
    for r in reports:
        by_year[r.year] = r  # reports are in the order that counts: the latest of a year wins
    data_year = max((y for y in by_year if y <= year), default=None)
    record = by_year.get(data_year) if data_year is not None else None
    year_planned = record.planned_investment_yi_yuan if record else None
    year_completed = record.completed_investment_yi_yuan if record else None
    cumulative = sum(r.completed_investment_yi_yuan or 0.0 for y, r in by_year.items()
                     if y <= year and (first_year is None or y >= first_year))

    reasons: list[str] = []
    late: list[Milestone] = []
    judged_on = date.fromisoformat(as_of)  # parsed once: every milestone is measured against it
    margin = settings.milestone_margin_days
    for m in MILESTONES:
        due = planned.get(m)
        if due is None:
            continue
        label, reached = MILESTONE_LABELS[m], actual.get(m)
        if reached is not None:
            if reached[:4] == str(year):
                delay = (date.fromisoformat(reached) - date.fromisoformat(due)).days
                if delay > margin:
                    late.append(m)
                    reasons.append(f"{label}计划{due}，实际{reached}，推迟{delay}天（超过{margin}天）")
        else:
            overdue = (judged_on - date.fromisoformat(due)).days
            if overdue > margin:
                late.append(m)
                reasons.append(f"{label}计划{due}，截至{as_of}尚未{label}，已逾期{overdue}天（超过{margin}天）")

    behind_investment = False
    money_text = ""
    if year_planned and year_completed is not None and data_year is not None:
        elapsed = _elapsed(data_year, judged_on)
        expected = year_planned * elapsed
        share = year_completed / expected if expected else None
        prorated = "" if elapsed >= 1 else f"按截至{as_of}的时间进度折算为{fmt_number(expected)}亿元"
        money_text = (f"{data_year}年完成投资{fmt_number(year_completed)}亿元，年度计划投资{fmt_number(year_planned)}亿元"
                      f"{'（' + prorated + '）' if prorated else ''}，完成{fmt_share(share)}")
        behind_investment = share is not None and share < settings.investment_share
        if behind_investment:
            reasons.insert(0, f"{money_text}，低于{fmt_share(settings.investment_share)}")
    stalled = bool(year_planned) and year_completed == 0

    done = next((m for m in (Milestone.in_service, Milestone.completed) if m in actual), None)
    if done is not None:
        state: TaskState = TaskState.done
        reasons = [f"已于{actual[done]}{MILESTONE_LABELS[done]}"]
        late, stalled = [], False
    elif late or behind_investment:
        state = TaskState.behind
    elif Milestone.started not in actual and cumulative == 0 and not year_completed:
        state = TaskState.not_started
        due = planned.get(Milestone.started)
        reasons.append(f"截至{as_of}尚未开工" + (f"（计划{due}开工）" if due else ""))
    else:
        state = TaskState.on_schedule
        reasons.append((money_text + "，" if money_text else "") + "各节点未超过计划日期"
                       f"{margin}天以上")
    if stalled:
        reasons.append(f"停滞：{data_year}年计划投资{fmt_number(year_planned)}亿元，完成投资为0")
    if data_year is not None and data_year < year and state != TaskState.done:
        reasons.append(f"（{year}年尚无填报，投资按{data_year}年数据）")
    return {"state": state, "reasons": tuple(reasons), "late": tuple(late), "stalled": stalled,
            "data_year": data_year, "year_planned": year_planned, "year_completed": year_completed,
            "cumulative": round(cumulative, 8), "planned": planned, "actual": actual}


# ---------------------------------------------------------------- views


def outline_groups(outline: Sequence[OutlineNode]) -> tuple[dict[str, str], dict[str, str]]:
    """Box label by node id (box3 → 专栏3) and chapter heading by node id (any node → 四、忠实践行…)."""
    nodes = {n.id: n for n in outline}
    boxes = {n.id: f"{n.label}".strip() or n.id for n in outline if n.kind == "box"}
    chapter: dict[str, str] = {}
    for n in outline:
        top = n
        while top.parent and top.parent in nodes and top.level > 1:
            top = nodes[top.parent]
        chapter[n.id] = f"{top.label}{top.title}" if top.level == 1 else top.title
    return boxes, chapter


def project_views(plan: Plan, reports: Sequence[ProjectReportRow], year: int, *, as_of: str | None = None,
                  settings: ProjectSettings | None = None) -> tuple[ProjectView, ...]:
    """Every project of the plan (tracked or not) and every project the sheets added, judged at ``as_of``.

    ``reports`` in the order that counts (oldest first: by as_of, then as recorded); those of later
    years than ``year`` are not read.
    """
    settings = settings or ProjectSettings()
    used = [r for r in reports if r.year <= year]
    as_of = as_of or judge_date(year, used)
    ordered = sorted(used, key=attrgetter("as_of"))  # stable: recorded order within a date
    by_key: dict[str, list[ProjectReportRow]] = defaultdict(list)
    for r in ordered:
        by_key[r.project_key].append(r)
    boxes, chapters = outline_groups(plan.outline)
    first_year = plan.meta.period_start
    views = []
    for p in plan.projects:
        views.append(_view(p.key, p.name, True, boxes.get(p.section or "", p.section or NO_GROUP),
                           chapters.get(p.section or "", NO_GROUP), p.line, p.investment_yi_yuan,
                           by_key.get(p.key, []), year, as_of, settings, first_year))
    known = {p.key for p in plan.projects}
    for key, rs in by_key.items():
        if key not in known:
            views.append(_view(key, rs[-1].name, False, PROJECT_NOT_IN_PLAN, PROJECT_NOT_IN_PLAN, None, None,
                               rs, year, as_of, settings, first_year))
    return tuple(views)


def _view(key: str, name: str, in_plan: bool, box: str, chapter: str, line: int | None, plan_total: float | None,
          reports: Sequence[ProjectReportRow], year: int, as_of: str, settings: ProjectSettings,
          first_year: int | None) -> ProjectView:
    j = judge_project(reports, year, as_of, settings, first_year)
    total = _latest(r.total_investment_yi_yuan for r in reversed(reports))
    return ProjectView(
        key=key, name=name, in_plan=in_plan, box=box, chapter=chapter, line=line,
        lead_unit=_latest(r.lead_unit for r in reversed(reports)), region=_latest(r.region for r in reversed(reports)),
        total_investment=total if total is not None else plan_total, year=year, data_year=j["data_year"],
        year_planned=j["year_planned"], year_completed=j["year_completed"], cumulative_completed=j["cumulative"],
        planned=j["planned"], actual=j["actual"], state=j["state"], reasons=j["reasons"], late=j["late"],
        stalled=j["stalled"])


# ---------------------------------------------------------------- roll-ups

GROUPINGS: dict[str, Callable[[ProjectView], str]] = {
    "box": lambda v: v.box,
    "chapter": lambda v: v.chapter,
    "unit": lambda v: v.lead_unit or NO_GROUP,
    "region": lambda v: v.region or NO_GROUP,
}
GROUPING_LABELS = {"box": "专栏", "chapter": "篇章", "unit": "牵头单位", "region": "地区"}


def roll_up(views: Sequence[ProjectView], by: str | Callable[[ProjectView], str],
            data_year: int | None = None) -> tuple[RollupRow, ...]:
    """Projects grouped (by box, chapter, unit, region or any key), groups in order of first appearance;
    the year's investment is that of ``data_year`` (default: the latest year any project reports)."""
    key = GROUPINGS[by] if isinstance(by, str) else by
    year = data_year if data_year is not None else latest_data_year(views)
    groups: dict[str, list[ProjectView]] = {}
    for v in views:
        groups.setdefault(key(v), []).append(v)
    return tuple(rollup_row(name, members, year) for name, members in groups.items())


def latest_data_year(views: Iterable[ProjectView]) -> int | None:
    """The latest year whose investment any project reports (up to the year judged)."""
    return max((v.data_year for v in views if v.data_year is not None), default=None)


def rollup_row(name: str, members: Sequence[ProjectView], data_year: int | None) -> RollupRow:
    """One group's counts and sums; the year's investment is that of ``data_year``."""
    states: dict[str, int] = {str(s): 0 for s in TaskState} | {"": 0}
    late = stalled = 0
    for v in members:  # the counts in one pass; the sums below stay sum()s, so every total is added as before
        states[v.state.value if v.state else ""] += 1
        late += bool(v.late)
        stalled += v.stalled
    of_year = [v for v in members if v.data_year == data_year]
    return RollupRow(
        group=name, count=len(members), states=states, late=late, stalled=stalled,
        total_investment=round(sum(v.total_investment or 0.0 for v in members), 8),
        year_planned=round(sum(v.year_planned or 0.0 for v in of_year), 8),
        year_completed=round(sum(v.year_completed or 0.0 for v in of_year), 8),
        cumulative_completed=round(sum(v.cumulative_completed for v in members), 8))


def programme_progress(programme: Programme, views: Sequence[ProjectView], year: int,
                       first_year: int | None) -> ProgrammeProgress:
    """A programme's totals against the tracked projects (those with a report): count and cumulative investment."""
    tracked = [v for v in views if v.state is not None]
    return ProgrammeProgress(
        name=programme.name, title=programme.title, target_count=programme.project_count,
        count_comparator=programme.project_count_comparator, target_investment=programme.investment_yi_yuan,
        investment_comparator=programme.investment_comparator, tracked=len(tracked),
        tracked_in_plan=sum(1 for v in tracked if v.in_plan), tracked_not_in_plan=sum(1 for v in tracked if not v.in_plan),
        cumulative_completed=round(sum(v.cumulative_completed for v in tracked), 8), first_year=first_year, year=year,
        line=programme.line)


def projects_overview(plan: Plan, reports: Sequence[ProjectReportRow], year: int, *, as_of: str | None = None,
                      settings: ProjectSettings | None = None) -> ProjectsOverview:
    """The projects judged at ``year`` with every roll-up and the programme totals (pure)."""
    settings = settings or ProjectSettings()
    used = [r for r in reports if r.year <= year]
    as_of = as_of or (judge_date(year, used) if used else None)
    views = project_views(plan, used, year, as_of=as_of, settings=settings)
    data_year = latest_data_year(views)
    rollups = {name: roll_up(views, name, data_year) for name in GROUPINGS}
    programmes = tuple(programme_progress(p, views, year, plan.meta.period_start) for p in plan.programmes)
    return ProjectsOverview(year=year, data_year=data_year, as_of=as_of, settings=settings, views=views,
                            rollups=rollups, programmes=programmes, total=rollup_row("合计", views, data_year))


# ---------------------------------------------------------------- JSON


def view_json(v: ProjectView) -> dict[str, Any]:
    """A project view as JSON-ready data."""
    return {"key": v.key, "name": v.name, "in_plan": v.in_plan, "box": v.box, "chapter": v.chapter, "line": v.line,
            "lead_unit": v.lead_unit, "region": v.region, "total_investment": v.total_investment,
            "year": v.year, "data_year": v.data_year, "year_planned": v.year_planned, "year_completed": v.year_completed,
            "cumulative_completed": v.cumulative_completed,
            "milestones": {str(m): {"label": MILESTONE_LABELS[m], "planned": v.planned.get(m), "actual": v.actual.get(m)}
                           for m in Milestone},
            "state": str(v.state) if v.state else None, "state_label": v.state_label, "reasons": list(v.reasons),
            "late": [str(m) for m in v.late], "stalled": v.stalled}


def rollup_json(r: RollupRow) -> dict[str, Any]:
    """A roll-up row as JSON-ready data."""
    return {"group": r.group, "count": r.count, "states": dict(r.states), "late": r.late, "stalled": r.stalled,
            "total_investment": r.total_investment, "year_planned": r.year_planned, "year_completed": r.year_completed,
            "year_share": r.year_share, "cumulative_completed": r.cumulative_completed}


def programme_json(p: ProgrammeProgress) -> dict[str, Any]:
    """A programme's progress as JSON-ready data."""
    return {"name": p.name, "title": p.title, "target_count": p.target_count,
            "count_comparator": str(p.count_comparator) if p.count_comparator else None,
            "target_investment": p.target_investment,
            "investment_comparator": str(p.investment_comparator) if p.investment_comparator else None,
            "tracked": p.tracked, "tracked_in_plan": p.tracked_in_plan, "tracked_not_in_plan": p.tracked_not_in_plan,
            "cumulative_completed": p.cumulative_completed, "count_share": p.count_share,
            "investment_share": p.investment_share, "first_year": p.first_year, "year": p.year, "line": p.line}


# ---------------------------------------------------------------- the I/O edge


def projects_from_store(store: Store, year: int | None = None, *, plan_key: str | None = None,
                        settings: ProjectSettings | None = None) -> ProjectsOverview:
    """Read a plan and its project reports from the store and judge them at ``year`` (default: the latest
    year reported, within the plan's period)."""
    plan = store.plan(plan_key)
    reports = store.project_report_rows(plan_key)
    if year is None:
        year = default_year(plan, reports)
    return projects_overview(plan, reports, year, settings=settings)


def default_year(plan: Plan, reports: Iterable[ProjectReportRow]) -> int:
    """The year judged when none is asked: the latest year reported, within the plan's period."""
    year = max([r.year for r in reports] or [plan.meta.period_start or date.today().year])
    if plan.meta.period_end is not None:
        year = min(year, plan.meta.period_end)
    return year
