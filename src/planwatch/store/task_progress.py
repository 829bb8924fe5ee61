"""Tasks in the store: dated progress updates of a plan's tasks (every one kept, the latest counting), and
who answers for each task by when (assignments: lead unit, co-operating units, planned completion)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import DataImportError, InputError, StoreError
from planwatch.model import Plan, TaskAssignment, TaskState, TaskUpdate

from . import audit, schema
from . import plans as plans_db
from .accounts import lead_and_co, where

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
    return TaskProgress(plan_key=plans_db.plan_key_of(conn, plan_id), latest=latest, history=history)


def _history(conn: Connection, plan_id: int) -> list[TaskProgressRecord]:
    t = schema.task_progress
    found = conn.execute(select(t).where(t.c.plan_id == plan_id).order_by(t.c.id))
    return [TaskProgressRecord(id=r.id, task_id=r.task_id, state=TaskState(r.state), progress=r.progress,
                               lead_unit=r.lead_unit, as_of=r.as_of, file_name=r.file_name, row=r.row_no,
                               recorded_at=r.recorded_at) for r in found]


# ---------------------------------------------------------------- assignments (任务分工)


class TaskAssignmentRecord(TaskAssignment):
    """A task's stored assignment, with who set it and when."""

    updated_by: str
    updated_at: datetime


def _checked(plan: Plan, a: TaskAssignment) -> TaskAssignment:
    """The assignment with its names trimmed and checked, or an InputError naming the field and what was expected."""
    task_id = (a.task_id or "").strip()
    task = next((t for t in plan.tasks if t.id == task_id), None)
    if task is None:
        raise InputError(f"任务 {task_id[:40] or '（空）'}：规划中没有该任务（应为任务编号，如 box5.1）")
    if not task.confirmed:
        raise InputError(f"任务 {task_id} 是正文任务候选，尚未在规划文件中确认（confirmed: true），不能分工")
    lead, co = lead_and_co(a.lead_unit, a.co_units, f"任务 {task_id}")
    due = (a.planned_completion or "").strip() or None
    if due is not None:
        try:
            check_date(due)
        except InputError:
            raise InputError(f"任务 {task_id} 的计划完成时间 {due[:20]} 无效：应为 YYYY-MM-DD，如 2025-12-31") from None
    return TaskAssignment(task_id=task_id, lead_unit=lead, co_units=co, planned_completion=due, row=a.row)


def assign(conn: Connection, plan_key: str | None, entries: Sequence[TaskAssignment], actor: str) -> list[TaskAssignmentRecord]:
    """Set (or replace) the assignment of each task, all or nothing (every problem listed), each change audited."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    key = plans_db.plan_key_of(conn, plan_id)
    plan = plans_db.read(conn, key)
    if not entries:
        raise InputError("没有要写入的任务分工")
    problems: list[str] = []
    checked: dict[str, TaskAssignment] = {}
    for a in entries:
        try:
            done = _checked(plan, a)
        except InputError as exc:
            problems.append(f"{where(a)}{exc}")
            continue
        if done.task_id in checked:
            first = checked[done.task_id]
            at = f"第 {first.row} 行" if first.row is not None else "前面"
            problems.append(f"{where(a)}任务 {done.task_id} 已在{at}分工，同一任务只能有一个牵头单位")
            continue
        checked[done.task_id] = done
    if len(problems) == 1 and len(entries) == 1 and entries[0].row is None:
        raise InputError(problems[0])
    if problems:
        raise DataImportError(f"任务分工有 {len(problems)} 处问题，未写入任何分工：" + "；".join(problems),
                              problems=problems)
    before = assignments(conn, key)
    t = schema.task_assignments
    when = plans_db.now()
    for a in checked.values():
        conn.execute(t.delete().where(t.c.plan_id == plan_id, t.c.task_id == a.task_id))
        conn.execute(t.insert().values(plan_id=plan_id, task_id=a.task_id, lead_unit=a.lead_unit,
                                       co_units=json.dumps(a.co_units, ensure_ascii=False),
                                       planned_completion=a.planned_completion, updated_by=actor, updated_at=when))
        old = before.get(a.task_id)
        audit.record(conn, actor, "task.assign", f"{key} {a.task_id}",
                     before=None if old is None else _shown(old), after=_shown(a))
    after = assignments(conn, key)
    return [after[task_id] for task_id in checked]


def _shown(a: TaskAssignment) -> dict[str, object]:
    return a.model_dump(mode="json", include={"lead_unit", "co_units", "planned_completion"})


def assignments(conn: Connection, plan_key: str | None) -> dict[str, TaskAssignmentRecord]:
    """The stored assignment of each task of a plan, by task id."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    t = schema.task_assignments
    found = conn.execute(select(t).where(t.c.plan_id == plan_id).order_by(t.c.id))
    return {r.task_id: TaskAssignmentRecord(task_id=r.task_id, lead_unit=r.lead_unit, co_units=json.loads(r.co_units),
                                            planned_completion=r.planned_completion, updated_by=r.updated_by,
                                            updated_at=r.updated_at) for r in found}
