"""Task progress in the store: dated updates of a plan's tasks, every one kept, the latest counting."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import InputError, StoreError
from planwatch.model import TaskState, TaskUpdate

from . import plans as plans_db
from . import schema

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


class TaskProgressRecord(BaseModel):
    """A stored update of one task."""

    id: int
    task_id: str
    state: TaskState
    progress: str
    lead_unit: str | None = None
    as_of: str
    file_name: str | None = None
    row: int | None = None
    recorded_at: datetime


class TaskProgress(BaseModel):
    """A plan's task progress: the latest update per task, and every update (oldest first)."""

    plan_key: str
    latest: dict[str, TaskProgressRecord]
    history: list[TaskProgressRecord]


def check_date(value: str) -> str:
    """A date as YYYY-MM-DD, or StoreError naming the form expected."""
    try:
        if not DATE_PATTERN.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise InputError(f"日期 {value[:20]} 无效：应为 YYYY-MM-DD，如 2025-06-30") from None
    return value


def record(conn: Connection, plan_key: str | None, updates: list[TaskUpdate],
           file_name: str | None = None) -> list[TaskProgressRecord]:
    """Insert the updates of one plan's tasks (all checked before any is written)."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    plan = plans_db.read(conn, plan_key)
    known = {t.id for t in plan.tasks}
    unknown = [u.task_id for u in updates if u.task_id not in known]
    if unknown:
        raise StoreError(f"规划中没有任务 {'、'.join(unknown)}，未写入任何进展")
    for u in updates:
        check_date(u.as_of)
    at = plans_db.now()
    rows = [{"plan_id": plan_id, "task_id": u.task_id, "state": str(u.state), "progress": u.progress,
             "lead_unit": u.lead_unit or None, "as_of": u.as_of, "file_name": file_name, "row_no": u.row,
             "recorded_at": at} for u in updates]
    if not rows:
        return []
    conn.execute(schema.task_progress.insert(), rows)
    return _history(conn, plan_id)[-len(rows):]


def progress(conn: Connection, plan_key: str | None) -> TaskProgress:
    """The latest update per task (by date described, then by order recorded) and the full history."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    history = _history(conn, plan_id)
    latest: dict[str, TaskProgressRecord] = {}
    for r in sorted(history, key=lambda r: (r.as_of, r.id)):
        latest[r.task_id] = r
    return TaskProgress(plan_key=_key_of(conn, plan_id), latest=latest, history=history)


def _key_of(conn: Connection, plan_id: int) -> str:
    p = schema.plans
    return str(conn.execute(select(p.c.key).where(p.c.id == plan_id)).scalar_one())


def _history(conn: Connection, plan_id: int) -> list[TaskProgressRecord]:
    t = schema.task_progress
    found = conn.execute(select(t).where(t.c.plan_id == plan_id).order_by(t.c.id))
    return [TaskProgressRecord(id=r.id, task_id=r.task_id, state=TaskState(r.state), progress=r.progress,
                               lead_unit=r.lead_unit, as_of=r.as_of, file_name=r.file_name, row=r.row_no,
                               recorded_at=r.recorded_at) for r in found]
