"""Task progress rolled up: each confirmed task with its latest update, by box, chapter and unit.

A task's state is what its latest update says (by the date described, then as recorded); 未填报 without
one. A task is **late** (滞后) when that state is 滞后, or when it is not 已完成 and its planned completion
(from its assignment) has passed at the date judged — the date asked for, else the latest update's —
and then its state is 滞后 whatever the update said, with the reason '计划于 2024-12-31 完成，已逾期 N 天'.
It is **stalled** (停滞) when it is 未启动 or 滞后 and an update at least ``task_stalled_days``
(:class:`~planwatch.evaluate.projects.ProjectSettings`) before the latest already gave the same state,
with none in between saying otherwise. Its lead unit is its assignment's, else the one its latest update
names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from planwatch.model import Plan, Task, TaskAssignment, TaskState, TaskUpdate
from planwatch.store import Store
from planwatch.vocabulary import NO_GROUP, TASK_PROSE_GROUP, task_state_label

from .projects import ProjectSettings, outline_groups

__all__ = ["TASK_GROUPINGS", "TaskRollupRow", "TaskView", "TasksOverview", "judged_date", "roll_up_tasks",
           "stored_updates", "task_views", "tasks_from_store", "tasks_overview"]

STALLING = (TaskState.not_started, TaskState.behind)


@dataclass(frozen=True)
class TaskView:
    """A confirmed task with its latest update and what that makes it."""

    task: Task
    box: str  # 专栏5, or 正文任务
    chapter: str
    state: TaskState | None
    as_of: str | None
    progress: str
    lead_unit: str | None
    stalled_since: str | None  # the first update of the unbroken run of 未启动/滞后, when stalled
    co_units: tuple[str, ...] = ()
    planned_completion: str | None = None  # YYYY-MM-DD, from the task's assignment
    overdue_days: int | None = None  # not done, and the planned completion passed this many days before the date judged
    reported: TaskState | None = None  # what the latest update says (state may be 滞后 by the planned completion)
    reasons: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        """The latest update says 滞后, or the planned completion has passed with the task not done."""
        return self.state == TaskState.behind

    @property
    def stalled(self) -> bool:
        """未启动 or 滞后 for at least the set number of days."""
        return self.stalled_since is not None

    @property
    def state_label(self) -> str:
        """未启动 / 按计划推进 / 滞后 / 已完成, or 未填报."""
        return task_state_label(self.state)


@dataclass(frozen=True)
class TaskRollupRow:
    """A group of tasks and how many are in each state, late and stalled."""

    group: str
    count: int
    states: dict[str, int]  # TaskState code, or "" for 未填报 → count
    late: int
    stalled: int


@dataclass(frozen=True)
class TasksOverview:
    """The confirmed tasks with their latest state, the roll-ups, late and stalled tasks."""

    as_of: str | None
    views: tuple[TaskView, ...]
    rollups: dict[str, tuple[TaskRollupRow, ...]]
    total: TaskRollupRow
    judged_at: str | None = None  # the date the planned completions are judged at

    @property
    def late(self) -> tuple[TaskView, ...]:
        """Tasks whose latest update says 滞后."""
        return tuple(v for v in self.views if v.late)

    @property
    def stalled(self) -> tuple[TaskView, ...]:
        """Tasks stalled."""
        return tuple(v for v in self.views if v.stalled)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form for the API and pages."""
        return {"as_of": self.as_of, "judged_at": self.judged_at,
                "tasks": [{"id": v.task.id, "box": v.box, "chapter": v.chapter, "no": v.task.no, "text": v.task.text,
                           "line": v.task.line, "state": str(v.state) if v.state else None, "state_label": v.state_label,
                           "reported": str(v.reported) if v.reported else None,
                           "as_of": v.as_of, "progress": v.progress, "lead_unit": v.lead_unit,
                           "co_units": list(v.co_units), "planned_completion": v.planned_completion,
                           "overdue_days": v.overdue_days, "late": v.late, "reasons": list(v.reasons),
                           "stalled": v.stalled, "stalled_since": v.stalled_since} for v in self.views],
                "rollups": {k: [r.__dict__ for r in rows] for k, rows in self.rollups.items()},
                "total": self.total.__dict__,
                "late": [v.task.id for v in self.late], "stalled": [v.task.id for v in self.stalled]}


def judged_date(updates: Sequence[TaskUpdate], as_of: str | None) -> str | None:
    """The date tasks are judged at: ``as_of`` when given, else the latest date the updates describe."""
    return as_of or max((u.as_of for u in updates), default=None)


def task_views(plan: Plan, updates: Sequence[TaskUpdate], *, as_of: str | None = None,
               settings: ProjectSettings | None = None,
               assignments: Mapping[str, TaskAssignment] | None = None) -> tuple[TaskView, ...]:
    """Every confirmed task with its latest update at ``as_of`` (default: the latest update's date) and its
    assignment (lead and co-operating units, planned completion).

    ``updates`` in the order recorded; updates describing a date after ``as_of`` are not read.
    """
    settings = settings or ProjectSettings()
    assignments = assignments or {}
    used = [u for u in updates if as_of is None or u.as_of <= as_of]
    judged = judged_date(used, as_of)
    ordered = sorted(used, key=lambda u: u.as_of)  # stable: recorded order within a date
    by_task: dict[str, list[TaskUpdate]] = defaultdict(list)
    for u in ordered:
        by_task[u.task_id].append(u)
    boxes, chapters = outline_groups(plan.outline)
    titles = {n.id: f"{n.label}{n.title}" for n in plan.outline if n.level == 1}
    views = []
    for t in plan.tasks:
        if not t.confirmed:
            continue
        history = by_task.get(t.id, [])
        latest = history[-1] if history else None
        box = t.box or boxes.get(t.section or "", TASK_PROSE_GROUP)
        chapter = titles.get(t.chapter or "", chapters.get(t.section or "", NO_GROUP))
        assigned = assignments.get(t.id)
        due = assigned.planned_completion if assigned else None
        reported = latest.state if latest else None
        overdue = _overdue_days(reported, due, judged)
        views.append(TaskView(task=t, box=box, chapter=chapter,
                              state=TaskState.behind if overdue is not None else reported,
                              as_of=latest.as_of if latest else None, progress=latest.progress if latest else "",
                              lead_unit=assigned.lead_unit if assigned else (latest.lead_unit if latest else None),
                              stalled_since=_stalled_since(history, settings.task_stalled_days),
                              co_units=tuple(assigned.co_units) if assigned else (), planned_completion=due,
                              overdue_days=overdue, reported=reported, reasons=_reasons(latest, due, overdue)))
    return tuple(views)


def _overdue_days(reported: TaskState | None, due: str | None, judged: str | None) -> int | None:
    """Days the planned completion has passed at the date judged, for a task not done; None when it has not."""
    if reported == TaskState.done or due is None or judged is None:
        return None
    days = (date.fromisoformat(judged) - date.fromisoformat(due)).days
    return days if days > 0 else None


def _reasons(latest: TaskUpdate | None, due: str | None, overdue: int | None) -> tuple[str, ...]:
    """Why a task is 滞后: its planned completion passed (with what its latest update said), or its update says so."""
    reasons = []
    if overdue is not None:
        reasons.append(f"计划于 {due} 完成，已逾期 {overdue} 天")
        if latest is None:
            reasons.append("尚无进展填报")
    if latest is not None and (overdue is not None or latest.state == TaskState.behind):
        reasons.append(f"最新填报（{latest.as_of}）为“{task_state_label(latest.state)}”")
    return tuple(reasons)


def _stalled_since(history: Sequence[TaskUpdate], days: int) -> str | None:
    """The date of the first update of the unbroken run of the latest 未启动/滞后 state, when it is ``days`` old."""
    if not history or history[-1].state not in STALLING:
        return None
    state, since = history[-1].state, history[-1].as_of
    for u in reversed(history):
        if u.state != state:
            break
        since = u.as_of
    elapsed = (date.fromisoformat(history[-1].as_of) - date.fromisoformat(since)).days
    return since if elapsed >= days and len(history) > 1 else None


TASK_GROUPINGS: dict[str, Callable[[TaskView], str]] = {
    "box": lambda v: v.box,
    "chapter": lambda v: v.chapter,
    "unit": lambda v: v.lead_unit or NO_GROUP,
}


def roll_up_tasks(views: Iterable[TaskView], by: str | Callable[[TaskView], str]) -> tuple[TaskRollupRow, ...]:
    """Tasks grouped by box, chapter, unit (or any key), groups in order of first appearance."""
    key = TASK_GROUPINGS[by] if isinstance(by, str) else by
    groups: dict[str, list[TaskView]] = {}
    for v in views:
        groups.setdefault(key(v), []).append(v)
    return tuple(task_rollup_row(name, members) for name, members in groups.items())


def task_rollup_row(name: str, members: Sequence[TaskView]) -> TaskRollupRow:
    """One group's counts."""
    states: dict[str, int] = {str(s): 0 for s in TaskState} | {"": 0}
    for v in members:
        states[str(v.state) if v.state else ""] += 1
    return TaskRollupRow(name, len(members), states, sum(1 for v in members if v.late),
                         sum(1 for v in members if v.stalled))


def tasks_overview(plan: Plan, updates: Sequence[TaskUpdate], *, as_of: str | None = None,
                   settings: ProjectSettings | None = None,
                   assignments: Mapping[str, TaskAssignment] | None = None) -> TasksOverview:
    """The confirmed tasks judged at ``as_of`` with their roll-ups (pure); the overview's date is that of the
    latest update read."""
    views = task_views(plan, updates, as_of=as_of, settings=settings, assignments=assignments)
    dates = [v.as_of for v in views if v.as_of]
    # the date the progress describes: the latest update up to ``as_of`` (as for projects)
    return TasksOverview(as_of=max(dates) if dates else as_of, views=views,
                         rollups={name: roll_up_tasks(views, name) for name in TASK_GROUPINGS},
                         total=task_rollup_row("合计", views),
                         judged_at=judged_date([u for u in updates if as_of is None or u.as_of <= as_of], as_of))


def stored_updates(store: Store, plan_key: str | None = None) -> list[TaskUpdate]:
    """A plan's recorded task updates (imported or approved), in the order recorded."""
    return [TaskUpdate(task_id=r.task_id, state=r.state, progress=r.progress, lead_unit=r.lead_unit,
                       as_of=r.as_of, row=r.row) for r in store.task_progress(plan_key).history]


def tasks_from_store(store: Store, *, as_of: str | None = None, plan_key: str | None = None,
                     settings: ProjectSettings | None = None) -> TasksOverview:
    """Read a plan's tasks, their progress updates and assignments from the store and roll them up at ``as_of``."""
    return tasks_overview(store.plan(plan_key), stored_updates(store, plan_key), as_of=as_of, settings=settings,
                          assignments=store.task_assignments(plan_key))
