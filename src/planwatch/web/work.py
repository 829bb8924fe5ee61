"""Work reports in the browser and the API (工作填报): a unit reports a task's progress or a project's year,
a planner approves or returns it, on the task and project pages, the work list /work and their JSON twins.

Each page has its JSON twin built by the same context function (:mod:`.work_context`). Who may report is
decided there (the lead unit) before the content is read; reports are stored and their states changed by
:meth:`planwatch.store.Store.enter_work_report` and :meth:`~planwatch.store.Store.decide_work_report` only,
on the version the person saw (of two planners acting at once one wins, the other is told who changed it),
and approval records the update or project-year report in the same transaction.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from planwatch.errors import AccessError, ConflictError, InputError, NotFoundError
from planwatch.model import Milestone, WorkKind
from planwatch.store import User
from planwatch.store.plans import plan_key
from planwatch.store.work_reports import WorkReport

from .auth import CSRF, Viewer, require
from .context import Dashboard, period_years
from .error_pages import status_of
from .projects import YEAR
from .render import render
from .rounds import COMMENT, DECISION_RESPONSES, PLAIN, VERSION, DecisionIn, account, form_data, seen_version
from .state import dashboard
from .work_context import (
    PROGRESS_CHARS,
    UNIT_CHARS,
    WorkInput,
    amount_text,
    check_report_scope,
    find_project,
    find_task,
    project_content,
    project_context,
    report_record,
    reporting_unit,
    reports_context,
    subject_url,
    task_content,
    task_context,
    work_context,
)

router = APIRouter()
TaskId = Annotated[str, Path(max_length=40, description="任务编号，如 box5.1")]
ProjectKey = Annotated[str, Path(max_length=200, description="项目编号，如 box3.1（规划未列名的项目为其名称）")]
# Ids as stored (INTEGER: 32-bit on PostgreSQL); anything larger is no id at all, refused before the store.
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="工作填报编号")]
FIELD_TEXT = 40  # a state, a date or an amount as typed


class WorkReportIn(BaseModel):
    """A unit's work report: a task's progress (kind task) or a project's figures for a year (kind project)."""

    kind: WorkKind = Field(description="task（任务进展）或 project（项目年度进展）")
    subject: str = Field(max_length=200, pattern=PLAIN, description="任务编号（box5.1）或项目编号（box3.1）")
    state: str | None = Field(None, max_length=FIELD_TEXT, pattern=PLAIN,
                              description="任务：进展状态 not_started / on_schedule / behind / done（或中文）")
    progress: str | None = Field(None, max_length=PROGRESS_CHARS, description="任务：进展情况")
    year: int | None = Field(None, ge=1900, le=2200, description="项目：年度（规划期内）")
    planned_investment: float | None = Field(None, description="项目：年度计划投资（亿元）")
    completed_investment: float | None = Field(None, description="项目：年度完成投资（亿元）")
    actual: dict[Milestone, Annotated[str, Field(max_length=FIELD_TEXT, pattern=PLAIN)]] = Field(
        default_factory=dict, description="项目：实际日期（approved 立项、started 开工、completed 完工、in_service 投用）")
    lead_unit: str | None = Field(None, max_length=UNIT_CHARS, pattern=PLAIN, description="项目：牵头单位")
    region: str | None = Field(None, max_length=UNIT_CHARS, pattern=PLAIN, description="项目：所在地区")
    as_of: str | None = Field(None, max_length=FIELD_TEXT, pattern=PLAIN, description="截至日期 YYYY-MM-DD（默认今天）")
    submit: bool = Field(True, description="true 报送，false 保存草稿")
    version: int | None = Field(None, ge=0, description="看到的版本号（0：尚未填报）；填报已被改动时拒绝（409）")

    def typed(self) -> WorkInput:
        """The body as the form's texts: one reading of a report, whichever way it came."""
        return WorkInput(state=self.state or "", progress=self.progress or "", as_of=self.as_of or "",
                         year=str(self.year) if self.year is not None else "",
                         planned_investment=amount_text(self.planned_investment),
                         completed_investment=amount_text(self.completed_investment), actual=dict(self.actual),
                         lead_unit=self.lead_unit or "", region=self.region or "")


WORK_REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "保存或报送后的填报（id、state、state_label、version、content_text …）"},
    403: {"description": "本单位不是该任务或项目的牵头单位（消息写明单位）"},
    404: {"description": "没有该任务或项目"},
    409: {"description": "填报已被他人改动"},
}


# ---------------------------------------------------------------- entering a report


def enter_task_report(dash: Dashboard, user: User, task_id: str, data: WorkInput, *, submit: bool,
                      version: int | None) -> WorkReport:
    """Save or submit a task's progress for the account's unit: who may, first; then what was typed."""
    snap = dash.snapshot()
    view, _ = find_task(dash, snap, task_id)
    unit = reporting_unit(user, "任务", view.task.id, view.lead_unit)
    content = task_content(view, data)
    return dash.store.enter_work_report(plan_key(snap.plan), content, unit=unit, actor=user.name, submit=submit,
                                        expected_version=version)


def enter_project_report(dash: Dashboard, user: User, key: str, data: WorkInput, *, submit: bool,
                         version: int | None) -> WorkReport:
    """Save or submit a project's figures for a year, for the account's unit: who may, first; then what was typed."""
    snap = dash.snapshot()
    view, _ = find_project(dash, snap, key, None)
    unit = reporting_unit(user, "项目", view.name, view.lead_unit)
    content = project_content(view, data, period_years(snap.plan))
    return dash.store.enter_work_report(plan_key(snap.plan), content, unit=unit, actor=user.name, submit=submit,
                                        expected_version=version)


def posted_input(form: FormData) -> WorkInput:
    """The report form's fields (each cut at its bound: the reading refuses what is too long)."""
    def text(name: str, limit: int = FIELD_TEXT) -> str:
        return str(form.get(name) or "")[:limit + 1]

    return WorkInput(state=text("state"), progress=text("progress", PROGRESS_CHARS), as_of=text("as_of"),
                     year=text("year"), planned_investment=text("planned_investment"),
                     completed_investment=text("completed_investment"),
                     actual={m: text(f"actual-{m}") for m in Milestone if text(f"actual-{m}")},
                     lead_unit=text("lead_unit", UNIT_CHARS), region=text("region", UNIT_CHARS))


def posted_version(form: FormData) -> int | None:
    """The version a report form was filled on: 0 (nothing reported yet) when the field is missing."""
    return seen_version(str(form.get("version") or "0"))


def back_to(request: Request, url: str) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}{url}", status_code=303)


# ---------------------------------------------------------------- a task


@router.get("/tasks/{task_id}", response_class=HTMLResponse, include_in_schema=False)
def task_page(request: Request, task_id: TaskId, viewer: Viewer = Depends(require("view")),
              dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One task: its assignment, state and recorded progress; the lead unit reports here, planners decide."""
    return render(request, "task.html", task_context(dash, viewer, task_id))


@router.get("/api/tasks/{task_id}", tags=["api"])
def get_task(task_id: TaskId, viewer: Viewer = Depends(require("view")),
             dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """One task: ``task`` (text, box, chapter, place, lead and co-operating units, planned completion, state and
    reasons), ``history`` (recorded updates, newest first), and for its unit and planners ``report`` (the work
    report with its steps)."""
    return task_context(dash, viewer, task_id)


@router.post("/tasks/{task_id}/report", include_in_schema=False, dependencies=[CSRF])
def task_report_form(request: Request, task_id: TaskId, viewer: Viewer = Depends(require("report")),
                     dash: Dashboard = Depends(dashboard), form: FormData = Depends(form_data)) -> Response:
    """Save (保存草稿) or submit (报送) a task's progress; a refusal shows the page again, as typed, with the reason."""
    data = posted_input(form)
    try:
        enter_task_report(dash, account(viewer), task_id, data, submit=form.get("action") == "submit",
                          version=posted_version(form))
    except (InputError, AccessError, ConflictError) as exc:
        return render(request, "task.html", task_context(dash, viewer, task_id, message=str(exc), posted=data),
                      status_code=status_of(exc))
    return back_to(request, f"/tasks/{quote(task_id, safe='')}")


# ---------------------------------------------------------------- a project


@router.get("/projects/{key}", response_class=HTMLResponse, include_in_schema=False)
def project_page(request: Request, key: ProjectKey, year: int | None = YEAR, viewer: Viewer = Depends(require("view")),
                 dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One project judged at a year: its figures, milestones, state and recorded reports; its lead unit reports a
    year's figures here, planners decide."""
    return render(request, "project.html", project_context(dash, viewer, key, year))


@router.get("/api/projects/{key}", tags=["api"])
def get_project(key: ProjectKey, year: int | None = YEAR, viewer: Viewer = Depends(require("view")),
                dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """One project: ``project`` (as a row of /api/projects), ``history`` (recorded reports, newest first), and for
    its unit and planners ``reports`` (the work reports, one a year, with their steps)."""
    return project_context(dash, viewer, key, year)


@router.post("/projects/{key}/report", include_in_schema=False, dependencies=[CSRF])
def project_report_form(request: Request, key: ProjectKey, viewer: Viewer = Depends(require("report")),
                        dash: Dashboard = Depends(dashboard), form: FormData = Depends(form_data)) -> Response:
    """Save or submit a project's figures for a year; a refusal shows the page again, as typed, with the reason."""
    data = posted_input(form)
    try:
        done = enter_project_report(dash, account(viewer), key, data, submit=form.get("action") == "submit",
                                    version=posted_version(form))
    except (InputError, AccessError, ConflictError) as exc:
        return render(request, "project.html", project_context(dash, viewer, key, message=str(exc), posted=data),
                      status_code=status_of(exc))
    return back_to(request, subject_url(done))


# ---------------------------------------------------------------- the work list and the API


@router.get("/work", response_class=HTMLResponse, include_in_schema=False)
def work_page(request: Request, viewer: Viewer = Depends(require("report")),
              dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """A reporter's tasks and projects with their state; a planner's queue of reports to decide."""
    return render(request, "work.html", work_context(dash, viewer))


@router.get("/api/work", tags=["work"])
def get_work(viewer: Viewer = Depends(require("report")), dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The work list: a reporter's ``tasks`` and ``projects`` (those its unit leads, each with its ``report``) and
    ``own_reports``; a planner's ``queue`` (reports submitted, waiting for a decision)."""
    return work_context(dash, viewer)


@router.get("/api/work-reports", tags=["work"])
def get_work_reports(state: Annotated[str | None, Query(max_length=20, description="状态：draft / submitted / "
                                                                                   "returned / approved / withdrawn")] = None,
                     kind: Annotated[str | None, Query(max_length=20, description="类别：task / project")] = None,
                     viewer: Viewer = Depends(require("report")),
                     dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's work reports the caller may see (a reporter its unit's, a planner all), oldest first."""
    return reports_context(dash, account(viewer), state, kind)


@router.post("/api/work-reports", tags=["work"], status_code=201, dependencies=[CSRF],
             responses=WORK_REPORT_RESPONSES)
def post_work_report(body: WorkReportIn, viewer: Viewer = Depends(require("report")),
                     dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Save or submit (default) a task's progress or a project's figures for a year, for the caller's unit."""
    enter = enter_task_report if body.kind == WorkKind.task else enter_project_report
    done = enter(dash, account(viewer), body.subject, body.typed(), submit=body.submit, version=body.version)
    return report_record(done)


# ---------------------------------------------------------------- decisions


def find_report(dash: Dashboard, report_id: int) -> WorkReport:
    """A work report of the dashboard's plan; 404 for any other id."""
    report = dash.store.work_report(report_id)
    if report.plan_key != plan_key(dash.snapshot().plan):
        raise NotFoundError(f"没有编号为 {report_id} 的工作填报")
    return report


def decide(dash: Dashboard, user: User, report_id: int, action: str, comment: str | None,
           version: int | None) -> WorkReport:
    """Take a step on a report (within the account's scope) on the version the person saw."""
    report = find_report(dash, report_id)
    check_report_scope(user, report)
    if action == "withdraw" and user.role != "reporter":
        raise AccessError("撤回由填报单位操作：规划处请用“退回”并写明意见")
    return dash.store.decide_work_report(report.id, action, actor=user.name, comment=comment,
                                        expected_version=version)


def decision_form(request: Request, dash: Dashboard, viewer: Viewer, report_id: int, action: str, comment: str,
                  version: str) -> Response:
    """A decision from a page's form: back to the subject's page, or that page again with the reason."""
    report = find_report(dash, report_id)
    try:
        done = decide(dash, account(viewer), report_id, action, comment, seen_version(version))
    except (ConflictError, InputError) as exc:
        if report.kind == WorkKind.task:
            page, ctx = "task.html", task_context(dash, viewer, report.subject, message=str(exc))
        else:
            page, ctx = "project.html", project_context(dash, viewer, report.subject, report.year, message=str(exc))
        return render(request, page, ctx, status_code=status_of(exc))
    return back_to(request, subject_url(done))


@router.post("/work-reports/{report_id}/approve", include_in_schema=False, dependencies=[CSRF])
def approve_form(request: Request, report_id: ReportId, comment: Annotated[str, COMMENT] = "",
                 version: Annotated[str, VERSION] = "", viewer: Viewer = Depends(require("review")),
                 dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, viewer, report_id, "approve", comment, version)


@router.post("/work-reports/{report_id}/return", include_in_schema=False, dependencies=[CSRF])
def return_form(request: Request, report_id: ReportId, comment: Annotated[str, COMMENT] = "",
                version: Annotated[str, VERSION] = "", viewer: Viewer = Depends(require("review")),
                dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, viewer, report_id, "return", comment, version)


@router.post("/work-reports/{report_id}/withdraw", include_in_schema=False, dependencies=[CSRF])
def withdraw_form(request: Request, report_id: ReportId, version: Annotated[str, VERSION] = "",
                  viewer: Viewer = Depends(require("report")), dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, viewer, report_id, "withdraw", "", version)


@router.post("/api/work-reports/{report_id}/approve", tags=["work"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_approve(report_id: ReportId, body: DecisionIn | None = None, viewer: Viewer = Depends(require("review")),
                dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Approve a submitted report (planning office): its update or project-year report is recorded now."""
    body = body or DecisionIn()
    return report_record(decide(dash, account(viewer), report_id, "approve", body.comment, body.version))


@router.post("/api/work-reports/{report_id}/return", tags=["work"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_return(report_id: ReportId, body: DecisionIn, viewer: Viewer = Depends(require("review")),
               dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Return a submitted report to its unit with a comment saying what to change (planning office)."""
    return report_record(decide(dash, account(viewer), report_id, "return", body.comment, body.version))


@router.post("/api/work-reports/{report_id}/withdraw", tags=["work"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_withdraw(report_id: ReportId, body: DecisionIn | None = None, viewer: Viewer = Depends(require("report")),
                 dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Withdraw a report not yet approved (its unit); the history keeps it."""
    body = body or DecisionIn()
    return report_record(decide(dash, account(viewer), report_id, "withdraw", body.comment, body.version))
