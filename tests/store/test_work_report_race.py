"""Two planners approving the same work report at the same moment, on PostgreSQL: exactly one wins.

As in test_submission_race.py (whose helpers this reuses): two Stores with their own connection pools,
released together by a barrier, both acting on the version they both read. The loser gets a
ConflictError naming the winner; the report's history holds one approval, and the task's progress
exactly one recorded update. Repeated on fresh tasks of the Jiaxing plan, so a lost update has many
chances to show.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from planwatch.errors import ConflictError
from planwatch.model import SubmissionState, TaskState, TaskUpdate
from planwatch.store import Store, open_store

from .test_submission_race import REPEATS, pg_url, race  # noqa: F401 (pg_url is a fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_plan_stores(pg_url, jiaxing_plan) -> Iterator[tuple[Store, Store, Store]]:  # noqa: F811
    """The Jiaxing plan on a clean PostgreSQL schema, opened three times: a checker and two planners."""
    main = open_store(pg_url)
    main.init()
    main.load_plan(jiaxing_plan, source="jiaxing")
    one, two = open_store(pg_url), open_store(pg_url)
    yield main, one, two
    for s in (main, one, two):
        s.dispose()


def test_two_planners_approving_one_report_at_once_one_wins(pg_plan_stores, jiaxing_plan):
    main, one, two = pg_plan_stores
    tasks = [t.id for t in jiaxing_plan.tasks if t.confirmed][:REPEATS]
    assert len(tasks) == REPEATS
    for n, task_id in enumerate(tasks):
        update = TaskUpdate(task_id=task_id, state=TaskState.on_schedule, progress=f"第{n + 1}项已按计划推进",
                            lead_unit="市发展改革委", as_of="2025-06-30")
        sent = main.enter_work_report(None, update, unit="市发展改革委", actor="reporter", submit=True)

        def approve(store: Store, actor: str, report_id: int = sent.id):
            return lambda: store.decide_work_report(report_id, "approve", actor=actor, expected_version=1)

        results = race(approve(one, "planner_a"), approve(two, "planner_b"))
        won = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
        assert len(won) == 1, f"race {n}: {results!r}"
        winner = ("planner_a", "planner_b")[won[0]]
        refused = results[1 - won[0]]
        assert isinstance(refused, ConflictError), f"race {n}: {refused!r}"
        assert f"已被 {winner} 于" in str(refused) and "（第 2 版，你看到的是第 1 版）" in str(refused)
        after = main.work_report(sent.id)
        assert (after.state, after.version, after.updated_by) == (SubmissionState.approved, 2, winner)
        assert [(e.action, e.actor) for e in main.work_report_events(sent.id)] == [
            ("submit", "reporter"), ("approve", winner)]
        recorded = [r for r in main.task_progress().history if r.task_id == task_id]
        assert [(r.progress, r.file_name) for r in recorded] == [(update.progress, f"工作填报 #{sent.id}")]
    assert len(main.task_progress().history) == REPEATS
