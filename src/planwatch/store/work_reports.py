"""Work reports (工作填报): what a responsible unit reports of a task or a project through the workspace.

A work report is a task's progress update (:class:`~planwatch.model.TaskUpdate`, kind ``task``) or one
year of a project (:class:`~planwatch.model.ProjectReport`, kind ``project``). There is one report per
task, and one per project and year; it moves through the very steps a figure of a data round does
(:data:`planwatch.store.rounds.TRANSITIONS`, the one home of that rule: save, submit, approve, return
with a comment, withdraw, and a new save or submit after approval for the next update). Every step
adds an event carrying the content as it then was; an action names the version it was taken on and is
refused (ConflictError) when someone changed the report meanwhile.

**Approval records the content** in the same transaction — the update through
:func:`planwatch.store.task_progress.record`, the project-year through
:func:`planwatch.store.projects.record` — so the task and project pages, which read only recorded
updates and reports, change on approval and on nothing before it. Who may report what (the lead unit)
is decided before, where the content is read (:mod:`planwatch.web.work_context`).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import AccessError, ConflictError, InputError, NotFoundError
from planwatch.model import ProjectReport, SubmissionState, TaskUpdate, WorkKind
from planwatch.vocabulary import WORK_KIND_LABELS, submission_state_label

from . import audit, schema
from . import plans as plans_db
from . import projects as projects_db
from . import task_progress as progress_db
from .plans import inserted_id, now
from .rounds import Step, allowed, check_decision, check_version, decision

Content = TaskUpdate | ProjectReport
# The states in which a report is still its unit's work in progress.
OPEN_STATES = frozenset({SubmissionState.draft, SubmissionState.submitted, SubmissionState.returned})


class WorkReport(BaseModel):
    """The current state of one work report: its content, the unit reporting, where it stands."""

    id: int
    plan_key: str
    kind: WorkKind
    subject: str  # the task id, or the project key
    year: int | None = None  # a project report's year
    unit: str  # the unit reporting (the lead unit, or 规划处 for a task or project with none)
    task: TaskUpdate | None = None
    project: ProjectReport | None = None
    state: SubmissionState
    version: int
    comment: str | None = None
    author: str
    created_at: datetime
    updated_at: datetime
    updated_by: str

    @property
    def state_label(self) -> str:
        return submission_state_label(self.state)

    @property
    def kind_label(self) -> str:
        return WORK_KIND_LABELS[self.kind]

    @property
    def content(self) -> Content:
        """The update or project-year report an approval records."""
        found = self.task if self.kind == WorkKind.task else self.project
        assert found is not None, "a stored work report always holds its content"
        return found


class WorkReportEvent(Step):
    """One step of a work report, with the content as it was after the step."""

    report_id: int
    task: TaskUpdate | None = None
    project: ProjectReport | None = None


def identity(content: Content) -> tuple[WorkKind, str, int | None]:
    """(kind, subject, year) of what a content reports on: one report each."""
    if isinstance(content, TaskUpdate):
        return WorkKind.task, content.task_id, None
    return WorkKind.project, content.project_key, content.year


def _content_json(content: Content) -> str:
    return content.model_dump_json()


def _parsed(kind: WorkKind, text: str) -> dict[str, TaskUpdate | ProjectReport]:
    if kind == WorkKind.task:
        return {"task": TaskUpdate.model_validate_json(text)}
    return {"project": ProjectReport.model_validate_json(text)}


def _selected():
    """The work reports with their plan's key, read in the same statement (not one query per report)."""
    t, p = schema.work_reports, schema.plans
    return select(t, p.c.key.label("plan_key")).join(p, p.c.id == t.c.plan_id)


def _report(row) -> WorkReport:
    kind = WorkKind(row.kind)
    return WorkReport(id=row.id, plan_key=row.plan_key, kind=kind, subject=row.subject, year=row.year,
                      unit=row.unit, **_parsed(kind, row.content), state=SubmissionState(row.state),
                      version=row.version, comment=row.comment, author=row.author, created_at=row.created_at,
                      updated_at=row.updated_at, updated_by=row.updated_by)


def get(conn: Connection, report_id: int) -> WorkReport:
    row = conn.execute(_selected().where(schema.work_reports.c.id == report_id)).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {report_id} 的工作填报")
    return _report(row)


def find(conn: Connection, plan_key: str | None, kind: WorkKind, subject: str, year: int | None) -> WorkReport | None:
    """The report of a task (or of a project's year), if one was ever entered."""
    t = schema.work_reports
    query = _selected().where(t.c.plan_id == plans_db.plan_id_of(conn, plan_key), t.c.kind == str(kind),
                              t.c.subject == subject)
    query = query.where(t.c.year.is_(None) if year is None else t.c.year == year)
    row = conn.execute(query).first()
    return None if row is None else _report(row)


def reports(conn: Connection, plan_key: str | None, *, state: SubmissionState | None = None, unit: str | None = None,
            kind: WorkKind | None = None, subject: str | None = None) -> list[WorkReport]:
    """A plan's work reports matching the filters, oldest first."""
    t = schema.work_reports
    query = _selected().where(t.c.plan_id == plans_db.plan_id_of(conn, plan_key)).order_by(t.c.id)
    for column, value in ((t.c.state, state), (t.c.unit, unit), (t.c.kind, kind), (t.c.subject, subject)):
        if value is not None:
            query = query.where(column == str(value))
    return [_report(row) for row in conn.execute(query)]


def events(conn: Connection, report_id: int) -> list[WorkReportEvent]:
    """Every step of a work report, oldest first."""
    report = get(conn, report_id)
    t = schema.work_report_events
    rows = conn.execute(select(t).where(t.c.report_id == report_id).order_by(t.c.id))
    return [WorkReportEvent(id=r.id, report_id=r.report_id, action=r.action, state=SubmissionState(r.state),
                            **_parsed(report.kind, r.content), comment=r.comment, actor=r.actor, at=r.at)
            for r in rows]


def _event(conn: Connection, report: WorkReport, action: str, actor: str) -> None:
    conn.execute(schema.work_report_events.insert().values(
        report_id=report.id, action=action, state=str(report.state), content=_content_json(report.content),
        comment=report.comment, actor=actor, at=report.updated_at))


def _audit(conn: Connection, action: str, before: WorkReport | None, after: WorkReport, actor: str) -> None:
    def shown(r: WorkReport | None):
        if r is None:
            return None
        return {**r.model_dump(mode="json", include={"state", "comment", "version"}),
                "content": r.content.model_dump(mode="json", exclude={"row"}, exclude_defaults=True)}
    year = f" {after.year}" if after.year is not None else ""
    audit.record(conn, actor, f"work_report.{action}", f"work_report:{after.id} {after.kind} {after.subject}{year}",
                 before=shown(before), after=shown(after))


def _update(conn: Connection, current: WorkReport, values: dict, actor: str) -> WorkReport:
    """Write the change only if nobody changed the row since it was read (one wins, the other is told)."""
    t = schema.work_reports
    done = conn.execute(t.update().where(t.c.id == current.id, t.c.version == current.version).values(
        **values, version=current.version + 1, updated_at=now(), updated_by=actor))
    if done.rowcount != 1:
        check_version(get(conn, current.id), current.version)
    return get(conn, current.id)


def _check_content(conn: Connection, plan_key: str | None, content: Content) -> None:
    """The subject is the plan's and the dates are dates: what recording it on approval would refuse, refused now."""
    plan = plans_db.read(conn, plan_key)
    progress_db.check_date(content.as_of)
    if isinstance(content, TaskUpdate):
        if not any(t.id == content.task_id and t.confirmed for t in plan.tasks):
            raise InputError(f"规划中没有任务 {content.task_id}")
        return
    known = {p.key for p in plan.projects} if content.in_plan else set(projects_db.extra_projects(conn, plan_key))
    if content.project_key not in known:
        raise InputError(f"规划中没有项目 {content.project_key}")
    for dates in (content.planned, content.actual):
        for d in dates.values():
            progress_db.check_date(d)


def enter(conn: Connection, plan_key: str | None, content: Content, *, unit: str, actor: str, submit: bool,
          expected_version: int | None = None) -> WorkReport:
    """Save (or submit) a unit's work report; the first save of a task (or project-year) creates its report."""
    _check_content(conn, plan_key, content)
    kind, subject, year = identity(content)
    action = "submit" if submit else "save"
    current = find(conn, plan_key, kind, subject, year)
    leads_to = allowed(action, current)
    values = {"content": _content_json(content), "state": str(leads_to), "comment": None}
    if current is None:
        if expected_version not in (None, 0):
            raise ConflictError("该填报已不存在：请刷新页面后再操作")
        when = now()
        report_id = inserted_id(conn.execute(schema.work_reports.insert().values(
            plan_id=plans_db.plan_id_of(conn, plan_key), kind=str(kind), subject=subject, year=year, unit=unit,
            version=1, author=actor, created_at=when, updated_at=when, updated_by=actor, **values)))
        after = get(conn, report_id)
    else:
        if current.unit != unit:
            # A new lead unit takes the report over once the old one's is settled (approved or withdrawn),
            # never while it is still the old unit's draft, submission or returned report.
            if current.state in OPEN_STATES:
                raise AccessError(f"该填报由 {current.unit} 填报，{unit} 不能修改")
            values["unit"] = unit
        check_version(current, expected_version)
        after = _update(conn, current, values, actor)
    _event(conn, after, action, actor)
    _audit(conn, action, current, after, actor)
    return after


def decide(conn: Connection, report_id: int, action: str, *, actor: str, comment: str | None = None,
           expected_version: int | None = None) -> WorkReport:
    """Approve (recording the content), return (with a comment) or withdraw a report taken at ``expected_version``."""
    check_decision(action)
    current = get(conn, report_id)
    leads_to, comment = decision(action, current, expected_version, comment)
    after = _update(conn, current, {"state": str(leads_to), "comment": comment}, actor)
    _event(conn, after, action, actor)
    _audit(conn, action, current, after, actor)
    if action == "approve":
        source = f"工作填报 #{after.id}"
        if after.task is not None:
            progress_db.record(conn, after.plan_key, [after.task], file_name=source)
        elif after.project is not None:
            projects_db.record(conn, after.plan_key, [after.project], file_name=source)
    return after
