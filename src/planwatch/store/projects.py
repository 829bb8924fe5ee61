"""Project tracking in the store: what sheets report of a plan's projects, year by year.

Every import of a project-year is a new row; nothing is overwritten. The latest report of a
project-year (by the date it describes, then by the order recorded) counts; the earlier ones stay as
its revisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import InputError
from planwatch.model import MILESTONES, Milestone, ProjectReport, ProjectReportRow

from . import plans as plans_db
from . import schema
from .task_progress import check_date


class ProjectReportRecord(ProjectReport):
    """A stored report of one project-year."""

    id: int
    file_name: str | None = None
    recorded_at: datetime


class ProjectReports(BaseModel):
    """A plan's project reports: the latest per project-year, and every report (oldest first)."""

    plan_key: str
    latest: list[ProjectReportRecord]
    history: list[ProjectReportRecord]


def _date_column(milestone: Milestone, when: str) -> str:
    return f"{milestone.value}_{when}"


# (milestone, planned column, actual column), resolved once: writing 100,000 reports looks them up 800,000 times.
DATE_KEYS = tuple((m, _date_column(m, "planned"), _date_column(m, "actual")) for m in Milestone)
# The date columns in Milestone order, planned then actual: read back as ProjectReportRow.planned and .actual.
PLANNED_COLUMNS = tuple(schema.project_reports.c[_date_column(m, "planned")] for m in Milestone)
ACTUAL_COLUMNS = tuple(schema.project_reports.c[_date_column(m, "actual")] for m in Milestone)


def record(conn: Connection, plan_key: str | None, reports: Sequence[ProjectReport],
           file_name: str | None = None) -> int:
    """Insert the reports of one plan's projects (all checked before any is written); how many were written."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    plan = plans_db.read(conn, plan_key)
    known = {p.key for p in plan.projects}
    unknown = [r.project_key for r in reports if r.in_plan and r.project_key not in known]
    if unknown:
        raise InputError(f"规划中没有项目 {'、'.join(unknown)}，未写入任何项目进展")
    clash = [r.project_key for r in reports if not r.in_plan and r.project_key in known]
    if clash:
        raise InputError(f"{'、'.join(clash)} 是规划列名项目的编号，不能用作规划未列名项目的名称，未写入任何项目进展")
    # each date once, in the order met (a sheet repeats the same few dates on every row)
    for d in dict.fromkeys(d for r in reports for d in (r.as_of, *r.planned.values(), *r.actual.values())):
        check_date(d)
    at = plans_db.now()
    rows = []
    for r in reports:
        row = {"plan_id": plan_id, "project_key": r.project_key, "name": r.name, "in_plan": r.in_plan, "year": r.year,
               "lead_unit": r.lead_unit or None, "region": r.region or None,
               "total_investment": r.total_investment_yi_yuan, "planned_investment": r.planned_investment_yi_yuan,
               "completed_investment": r.completed_investment_yi_yuan, "as_of": r.as_of, "file_name": file_name,
               "row_no": r.row, "recorded_at": at}
        for m, planned, actual in DATE_KEYS:
            row[planned] = r.planned.get(m)
            row[actual] = r.actual.get(m)
        rows.append(row)
    if rows:
        conn.execute(schema.project_reports.insert(), rows)
    return len(rows)


def reports(conn: Connection, plan_key: str | None) -> ProjectReports:
    """Every report of a plan's projects (oldest first) and the latest per project-year."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    history = _history(conn, plan_id)
    latest: dict[tuple[str, int], ProjectReportRecord] = {}
    for r in sorted(history, key=lambda r: (r.as_of, r.id)):
        latest[r.project_key, r.year] = r
    key = conn.execute(select(schema.plans.c.key).where(schema.plans.c.id == plan_id)).scalar_one()
    return ProjectReports(plan_key=str(key), latest=sorted(latest.values(), key=lambda r: r.id), history=history)


def extra_projects(conn: Connection, plan_key: str | None) -> list[str]:
    """Names of the projects sheets added that the plan's text does not name, in the order first added."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    t = schema.project_reports
    found = conn.execute(select(t.c.project_key).where(t.c.plan_id == plan_id, t.c.in_plan.is_(False))
                         .order_by(t.c.id))
    return list(dict.fromkeys(found.scalars()))


def report_rows(conn: Connection, plan_key: str | None) -> list[ProjectReportRow]:
    """Every report of a plan's projects as the judging reads it, in the order recorded: one SELECT of the
    columns it uses into plain tuples (the rows were checked when written)."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    t = schema.project_reports
    found = conn.execute(select(t.c.project_key, t.c.name, t.c.year, t.c.lead_unit, t.c.region, t.c.total_investment,
                                t.c.planned_investment, t.c.completed_investment, t.c.as_of, *PLANNED_COLUMNS,
                                *ACTUAL_COLUMNS).where(t.c.plan_id == plan_id).order_by(t.c.id))
    return [ProjectReportRow(key, name, year, unit, region, total, planned, completed, as_of, (p1, p2, p3, p4),
                             (a1, a2, a3, a4))
            for key, name, year, unit, region, total, planned, completed, as_of, p1, p2, p3, p4, a1, a2, a3, a4
            in found.all()]


def _record(values: dict[str, Any]) -> ProjectReportRecord:
    """What ``ProjectReportRecord.model_construct(**values)`` gives (every field given, none validated: the
    rows were checked when written), without its per-field loop: reading 100,000 reports, that loop was most
    of the read (bench/projects.py)."""
    record = ProjectReportRecord.__new__(ProjectReportRecord)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


def _history(conn: Connection, plan_id: int) -> list[ProjectReportRecord]:
    t = schema.project_reports
    found = conn.execute(select(t.c.project_key, t.c.name, t.c.in_plan, t.c.year, t.c.lead_unit, t.c.region,
                                t.c.total_investment, t.c.planned_investment, t.c.completed_investment, t.c.as_of,
                                t.c.row_no, t.c.id, t.c.file_name, t.c.recorded_at, *PLANNED_COLUMNS, *ACTUAL_COLUMNS)
                         .where(t.c.plan_id == plan_id).order_by(t.c.id))
    out = []
    for (key, name, in_plan, year, unit, region, total, planned_investment, completed_investment, as_of, row, id_,
         file_name, recorded_at, *dates) in found.all():
        # in the fields' order, as model_construct would set them
        out.append(_record({
            "project_key": key, "name": name, "in_plan": bool(in_plan), "year": year, "lead_unit": unit,
            "region": region, "total_investment_yi_yuan": total, "planned_investment_yi_yuan": planned_investment,
            "completed_investment_yi_yuan": completed_investment,
            "planned": {m: d for m, d in zip(MILESTONES, dates[:len(MILESTONES)], strict=True) if d},
            "actual": {m: d for m, d in zip(MILESTONES, dates[len(MILESTONES):], strict=True) if d},
            "as_of": as_of, "row": row, "id": id_, "file_name": file_name, "recorded_at": recorded_at}))
    return out
