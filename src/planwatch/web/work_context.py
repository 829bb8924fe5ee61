"""The data behind the work-report pages (工作填报): one context function per page, shared by its HTML and JSON.

- :func:`task_context`: a task with its assignment, judged state and recorded updates, and — for whoever
  may see it — its work report, the form to report and the planner's decisions (/tasks/{id});
- :func:`project_context`: the same for a project and a year of it (/projects/{key});
- :func:`work_context`: a reporter's own tasks and projects, a planner's queue of submitted reports (/work).

Who may report: a planner any task or project (for its lead unit, or 规划处 when it has none); a reporter
only those whose lead unit is its own — the lead unit the task and project pages show (the task's
assignment, else its latest update's; the project's latest report's). A reporter sees its own unit's
reports only, the public none: the task and project pages otherwise show recorded (approved or
imported) data only. A report typed in a form or posted to the API is read here into the update or
project-year report it records (:func:`task_content`, :func:`project_content`), every problem named.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, Field

from planwatch.errors import AccessError, InputError, NotFoundError
from planwatch.evaluate.projects import ProjectView
from planwatch.evaluate.tasks import TaskView
from planwatch.figures import fmt_number
from planwatch.model import Milestone, ProjectReport, SubmissionState, TaskUpdate, WorkKind
from planwatch.observe.cells import parse_date
from planwatch.observe.projects import check_order, parse_amount
from planwatch.observe.submissions import PLANNING_OFFICE
from planwatch.observe.task_progress import ALLOWED_STATES, parse_state
from planwatch.store import User, check_date
from planwatch.store.accounts import role_may
from planwatch.store.plans import plan_key
from planwatch.store.work_reports import OPEN_STATES, WorkReport, WorkReportEvent
from planwatch.vocabulary import (
    MILESTONE_LABELS,
    TASK_STATE_LABELS,
    fmt_moment,
    place_in_plan,
    submission_state_label,
    task_state_label,
)

from .auth import Viewer
from .context import Dashboard, Snapshot, as_record, period_years
from .projects import projects_judged, tasks_judged

PROGRESS_CHARS = 2000
UNIT_CHARS = 100
# No control characters but tabs and line breaks in a progress text (PostgreSQL refuses NUL).
PLAIN_TEXT = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*")
Choice = TypeVar("Choice", SubmissionState, WorkKind)


class WorkInput(BaseModel):
    """A work report as typed in a form or posted to the API: texts, read by task_content / project_content."""

    state: str = ""
    progress: str = ""
    as_of: str = ""
    year: str = ""
    planned_investment: str = ""
    completed_investment: str = ""
    actual: dict[Milestone, str] = Field(default_factory=dict)
    lead_unit: str = ""
    region: str = ""


# ---------------------------------------------------------------- subjects and scope


def find_task(dash: Dashboard, snap: Snapshot, task_id: str) -> tuple[TaskView, dict[str, Any]]:
    """A confirmed task as the task page judges it, with its row; 404 for any other id."""
    overview, rows = tasks_judged(dash, snap)
    for view, row in zip(overview.views, rows, strict=True):
        if view.task.id == task_id:
            return view, row
    raise NotFoundError(f"没有编号为 {task_id[:40]} 的任务（应为已确认的任务编号，如 box5.1）")


def find_project(dash: Dashboard, snap: Snapshot, key: str, year: int | None) -> tuple[ProjectView, dict[str, Any]]:
    """A project as the projects page judges it at ``year`` (default: the latest reported), with its row."""
    overview, rows = projects_judged(dash, snap, year)
    for view, row in zip(overview.views, rows, strict=True):
        if view.key == key:
            return view, row
    raise NotFoundError(f"没有编号为 {key[:60]} 的项目（应为项目编号，如 box3.1，或规划未列名项目的名称）")


def reporting_unit(user: User, noun: str, subject: str, lead: str | None) -> str:
    """The unit the account reports for on a task or project (``noun`` 任务 or 项目), or AccessError naming its unit."""
    if not role_may(user.role, "report"):
        raise AccessError(f"{user.role_label}账号（{user.name}）不能填报{noun}进展")
    if user.role != "reporter":
        return lead or PLANNING_OFFICE
    if lead is None or lead != user.unit:
        whose = f"牵头单位为{lead}" if lead else f"该{noun}尚未明确牵头单位"
        raise AccessError(f"{user.unit}不是{noun} {subject} 的牵头单位（{whose}），不能填报该{noun}的进展")
    return lead


def may_see(user: User | None, report: WorkReport) -> bool:
    """Planners see every report, a reporter its own unit's, nobody else any (they are not approved data)."""
    if user is None:
        return False
    return role_may(user.role, "review") or (user.role == "reporter" and report.unit == user.unit)


def check_report_scope(user: User, report: WorkReport) -> None:
    """Refuse a reporter another unit's report, naming only its own unit."""
    if user.role == "reporter" and report.unit != user.unit:
        raise AccessError(f"{user.unit}只能查看和填报本单位牵头的任务和项目：编号 {report.id} 的填报不属于{user.unit}")


# ---------------------------------------------------------------- reading a report


def _text(value: str, what: str, limit: int, problems: list[str]) -> str:
    value = value.strip()
    if len(value) > limit:
        problems.append(f"{what}过长：最多 {limit} 个字符")
    elif not PLAIN_TEXT.fullmatch(value):
        problems.append(f"{what}含有控制字符：请只填写文字")
    return value


def _as_of(value: str, problems: list[str]) -> str:
    value = value.strip() or date.today().isoformat()
    try:
        return check_date(value)
    except InputError:
        problems.append(f"截至日期“{value[:20]}”无效：应为 YYYY-MM-DD，如 2025-06-30")
        return value


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InputError("；".join(problems))


def task_content(view: TaskView, data: WorkInput) -> TaskUpdate:
    """The update a task report records, or InputError naming every field that is wrong."""
    problems: list[str] = []
    state = parse_state(data.state) if data.state.strip() else None
    if state is None:
        shown = f"“{data.state.strip()[:20]}”无效" if data.state.strip() else "为空"
        problems.append(f"进展状态{shown}：应为 {ALLOWED_STATES} 之一")
    progress = _text(data.progress, "进展情况", PROGRESS_CHARS, problems)
    as_of = _as_of(data.as_of, problems)
    _refuse(problems)
    assert state is not None
    return TaskUpdate(task_id=view.task.id, state=state, progress=progress, lead_unit=view.lead_unit, as_of=as_of)


def project_content(view: ProjectView, data: WorkInput, years: list[int]) -> ProjectReport:
    """The project-year report a project report records, or InputError naming every field that is wrong."""
    problems: list[str] = []
    year_text = data.year.strip()
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else None
    if year is None:
        span = f"{years[0]}—{years[-1]}" if years else "规划期"
        problems.append(f"年度“{year_text[:10]}”无效：应为规划期内的年份（{span}）" if year_text else "请填写年度")
    amounts: dict[str, float | None] = {}
    for field, label in (("planned_investment", "年度计划投资"), ("completed_investment", "年度完成投资")):
        raw = getattr(data, field).strip()
        amounts[field] = parse_amount(raw) if raw else None
        if raw and amounts[field] is None:
            problems.append(f"{label}“{raw[:20]}”不是有效金额：应为不小于 0 的数字（亿元），如 12.5")
    as_of = _as_of(data.as_of, problems)
    actual: dict[Milestone, str] = {}
    for m in Milestone:
        raw = data.actual.get(m, "").strip()
        if not raw:
            continue
        parsed = parse_date(raw)
        label = f"实际{MILESTONE_LABELS[m]}"
        if parsed is None:
            problems.append(f"{label}“{raw[:20]}”不是有效日期：应为 YYYY-MM-DD，如 2025-06-30")
        elif parsed > as_of:
            problems.append(f"{label} {parsed} 晚于截至日期 {as_of}：尚未发生的节点不填")
        else:
            actual[m] = parsed
    check_order(actual, "实际", lambda _column, _kind, message: problems.append(message))
    lead = _text(data.lead_unit, "牵头单位", UNIT_CHARS, problems) or view.lead_unit
    region = _text(data.region, "所在地区", UNIT_CHARS, problems) or view.region
    _refuse(problems)
    assert year is not None
    return ProjectReport(project_key=view.key, name=view.name, in_plan=view.in_plan, year=year, lead_unit=lead,
                         region=region, planned_investment_yi_yuan=amounts["planned_investment"],
                         completed_investment_yi_yuan=amounts["completed_investment"], actual=actual, as_of=as_of)


# ---------------------------------------------------------------- records as shown


def content_text(content: TaskUpdate | ProjectReport) -> str:
    """What a report says, in one line: 按计划推进：已出台实施方案（截至 2025-06-30）."""
    if isinstance(content, TaskUpdate):
        said = f"{task_state_label(content.state)}" + (f"：{content.progress}" if content.progress else "")
        return f"{said}（截至 {content.as_of}）"
    parts = [f"{content.year}年计划投资{fmt_number(content.planned_investment_yi_yuan)}亿元，"
             f"完成投资{fmt_number(content.completed_investment_yi_yuan)}亿元"]
    parts += [f"{when}{MILESTONE_LABELS[m]} {d}" for when, dates in (("计划", content.planned), ("实际", content.actual))
              for m, d in dates.items()]
    parts += [f"{label}：{value}" for label, value in (("牵头单位", content.lead_unit), ("所在地区", content.region))
              if value]
    return "；".join(parts) + f"（截至 {content.as_of}）"


def subject_url(report: WorkReport) -> str:
    """The page of what the report is about (a project's at the report's year)."""
    if report.kind == WorkKind.task:
        return f"/tasks/{quote(report.subject, safe='')}"
    return f"/projects/{quote(report.subject, safe='')}?year={report.year}"


def report_record(report: WorkReport, title: str | None = None) -> dict[str, Any]:
    """A work report as shown: its fields with labels, what it says in words, and the page of its subject."""
    return {**as_record(report), "kind_label": report.kind_label, "state_label": report.state_label,
            "title": title or report.subject, "content_text": content_text(report.content),
            "updated_at_display": fmt_moment(report.updated_at), "url": subject_url(report)}


def event_record(event: WorkReportEvent) -> dict[str, Any]:
    content = event.task or event.project
    assert content is not None, "every step keeps the content as it then was"
    return {**as_record(event), "action_label": event.action_label, "state_label": submission_state_label(event.state),
            "content_text": content_text(content), "at_display": fmt_moment(event.at)}


def shown_report(dash: Dashboard, user: User | None, report: WorkReport | None, title: str) -> dict[str, Any] | None:
    """The report with its steps for whoever may see it; None for anyone else."""
    if report is None or not may_see(user, report):
        return None
    return {**report_record(report, title), "events": [event_record(e) for e in dash.store.work_report_events(report.id)]}


def decisions(viewer: Viewer, report: WorkReport | None) -> dict[str, bool]:
    """Which buttons the page offers on a report the viewer sees."""
    user = viewer.user
    if report is None or user is None or not may_see(user, report):
        return {"may_decide": False, "may_withdraw": False}
    return {"may_decide": viewer.may("review") and report.state == SubmissionState.submitted,
            "may_withdraw": user.role == "reporter" and report.state in OPEN_STATES}


def refusal(viewer: Viewer, noun: str, subject: str, lead: str | None) -> str | None:
    """Why the viewer may not report on this subject (None when it may), as the refusal would say it."""
    if viewer.user is None or not viewer.may("report"):
        return "登录后由牵头单位填报进展" if viewer.user is None else None
    try:
        reporting_unit(viewer.user, noun, subject, lead)
    except AccessError as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------- a task


def task_context(dash: Dashboard, viewer: Viewer, task_id: str, *, message: str | None = None,
                 posted: WorkInput | None = None) -> dict[str, Any]:
    """/tasks/{id}: the task, its assignment and judged state, its recorded updates (newest first), and for
    whoever may see it its work report with its steps, the report form and the decisions."""
    snap = dash.snapshot()
    view, row = find_task(dash, snap, task_id)
    key = plan_key(snap.plan)
    task = view.task
    history = [{**as_record(r), "state_label": task_state_label(r.state), "source": r.file_name or "",
                "recorded_at_display": fmt_moment(r.recorded_at)}
               for r in reversed(dash.store.task_progress(key).history) if r.task_id == task.id]
    report = next(iter(dash.store.work_reports(key, kind=WorkKind.task, subject=task.id)), None)
    seen = report if report is not None and may_see(viewer.user, report) else None
    refused = refusal(viewer, "任务", task.id, view.lead_unit)
    typed = posted or (WorkInput(state=str(seen.task.state), progress=seen.task.progress, as_of=seen.task.as_of)
                       if seen is not None and seen.task is not None and seen.state != SubmissionState.approved
                       else WorkInput(state=str(view.reported) if view.reported else "", as_of=date.today().isoformat()))
    return {
        "title": f"任务 {task.id}", "plan": {"key": key, "title": snap.plan.meta.title},
        "task": {**row, "detail": task.detail, "place": place_in_plan(task.line, task.location)},
        "history": history,
        "report": shown_report(dash, viewer.user, report, task.text),
        **decisions(viewer, report),
        "may_report": viewer.user is not None and viewer.may("report") and refused is None,
        "refusal": refused,
        "form": {**typed.model_dump(mode="json"), "version": seen.version if seen is not None else 0},
        "states": [{"code": str(s), "label": label} for s, label in TASK_STATE_LABELS.items()],
        "message": message,
    }


# ---------------------------------------------------------------- a project


def project_context(dash: Dashboard, viewer: Viewer, key: str, year: int | None = None, *,
                    message: str | None = None, posted: WorkInput | None = None) -> dict[str, Any]:
    """/projects/{key}: the project judged at ``year``, every recorded report of it (newest first), and for
    whoever may see them its work reports (one a year), the form for a year's figures and the decisions."""
    snap = dash.snapshot()
    view, row = find_project(dash, snap, key, year)
    pk = plan_key(snap.plan)
    history = [{**as_record(r), "source": r.file_name or "", "content_text": content_text(r),
                "recorded_at_display": fmt_moment(r.recorded_at)}
               for r in reversed(dash.store.project_reports(pk).history) if r.project_key == view.key]
    reports = dash.store.work_reports(pk, kind=WorkKind.project, subject=view.key)
    chosen = int(posted.year) if posted is not None and posted.year.isdigit() else view.year
    report = next((r for r in reports if r.year == chosen), None)
    seen = report if report is not None and may_see(viewer.user, report) else None
    refused = refusal(viewer, "项目", view.name, view.lead_unit)
    typed = posted or _project_form(view, seen, chosen)
    return {
        "title": view.name, "plan": {"key": pk, "title": snap.plan.meta.title},
        "project": row, "year": view.year, "years": period_years(snap.plan) or [view.year],
        "history": history,
        "reports": [shown for r in reports if (shown := shown_report(dash, viewer.user, r, view.name)) is not None],
        "report": shown_report(dash, viewer.user, report, view.name),
        **decisions(viewer, report),
        "may_report": viewer.user is not None and viewer.may("report") and refused is None,
        "refusal": refused,
        "form": {**typed.model_dump(mode="json"), "version": seen.version if seen is not None else 0},
        "milestones": [{"code": str(m), "label": MILESTONE_LABELS[m]} for m in Milestone],
        "message": message,
    }


def _project_form(view: ProjectView, seen: WorkReport | None, year: int) -> WorkInput:
    """The form as the unit finds it: its report of the year not yet approved, else the figures recorded."""
    if seen is not None and seen.project is not None and seen.state != SubmissionState.approved:
        p = seen.project
        return WorkInput(year=str(p.year), planned_investment=amount_text(p.planned_investment_yi_yuan),
                         completed_investment=amount_text(p.completed_investment_yi_yuan), actual=dict(p.actual),
                         lead_unit=p.lead_unit or "", region=p.region or "", as_of=p.as_of)
    same_year = view.data_year == year
    return WorkInput(year=str(year), planned_investment=amount_text(view.year_planned if same_year else None),
                     completed_investment=amount_text(view.year_completed if same_year else None),
                     actual=dict(view.actual), lead_unit=view.lead_unit or "", region=view.region or "",
                     as_of=date.today().isoformat())


def amount_text(value: float | None) -> str:
    """An amount as a form field shows it: every digit a float holds (``g`` alone would keep six, and a
    figure shown and sent again would come back rounded)."""
    return "" if value is None else format(value, ".15g")


# ---------------------------------------------------------------- the work list and the queue


def work_context(dash: Dashboard, viewer: Viewer) -> dict[str, Any]:
    """/work: a reporter's tasks and projects (those its unit leads) with their state and its report of each;
    for a planner, the reports submitted and waiting for a decision (the queue), oldest first."""
    user = viewer.user
    assert user is not None, "the route asks for the report permission"
    snap = dash.snapshot()
    key = plan_key(snap.plan)
    mine = user.unit if user.role == "reporter" else None
    own = {(r.kind, r.subject, r.year): r for r in dash.store.work_reports(key, unit=mine)} if mine else {}
    tasks_overview, task_rows = tasks_judged(dash, snap)
    projects_overview, project_rows = projects_judged(dash, snap, None)
    titles = {v.task.id: v.task.text for v in tasks_overview.views} | {v.key: v.name for v in projects_overview.views}
    tasks = [{**row, "report": _own(own, WorkKind.task, v.task.id, None)}
             for v, row in zip(tasks_overview.views, task_rows, strict=True) if mine and v.lead_unit == mine]
    projects = [{**row, "report": _own(own, WorkKind.project, v.key, v.year)}
                for v, row in zip(projects_overview.views, project_rows, strict=True) if mine and v.lead_unit == mine]
    queue = [] if mine else [report_record(r, titles.get(r.subject))
                             for r in dash.store.work_reports(key, state=SubmissionState.submitted)]
    return {"title": "工作填报", "plan": {"key": key, "title": snap.plan.meta.title}, "unit": mine,
            "tasks": tasks, "projects": projects, "projects_year": projects_overview.year, "queue": queue,
            "own_reports": [report_record(r, titles.get(r.subject)) for r in own.values()]}


def _own(own: dict[tuple[WorkKind, str, int | None], WorkReport], kind: WorkKind, subject: str,
         year: int | None) -> dict[str, Any] | None:
    found = own.get((kind, subject, year))
    return None if found is None else {"id": found.id, "state": str(found.state), "state_label": found.state_label,
                                       "version": found.version}


def reports_context(dash: Dashboard, user: User, state: str | None, kind: str | None) -> dict[str, Any]:
    """GET /api/work-reports: the plan's reports the account may see (a reporter its unit's), filtered."""
    chosen_state = _choice(state, SubmissionState, "state", "状态")
    chosen_kind = _choice(kind, WorkKind, "kind", "类别")
    key = plan_key(dash.snapshot().plan)
    mine = user.unit if user.role == "reporter" else None
    found = dash.store.work_reports(key, state=chosen_state, kind=chosen_kind, unit=mine)
    return {"filters": {"state": state, "kind": kind}, "reports": [report_record(r) for r in found]}


def _choice(text: str | None, enum: type[Choice], name: str, label: str) -> Choice | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return enum(text)
    except ValueError:
        raise InputError(f"筛选条件“{label}”（{name}）无效：{text[:20]}（可选：{'、'.join(str(e) for e in enum)}）") \
            from None
