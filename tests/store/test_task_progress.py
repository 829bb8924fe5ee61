"""Task progress in the store, on SQLite and PostgreSQL: every update kept, the latest counting."""

from __future__ import annotations

import pytest

from planwatch.errors import InputError, StoreError
from planwatch.model import TaskState, TaskUpdate
from planwatch.observe.task_progress import progress_from_sheet


@pytest.fixture
def plan_store(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    return store


def update(task_id: str, state: TaskState, as_of: str, progress: str = "", lead_unit: str | None = None) -> TaskUpdate:
    return TaskUpdate(task_id=task_id, state=state, progress=progress, lead_unit=lead_unit, as_of=as_of)


def test_round_trip_and_history(plan_store):
    assert plan_store.task_progress().latest == {}
    first = plan_store.record_task_progress(None, [
        update("box5.1", TaskState.on_schedule, "2025-06-30", "已出台人才新政", "市委人才办"),
        update("box5.2", TaskState.not_started, "2025-06-30")], file_name="上半年.csv")
    assert [(r.task_id, r.state, r.file_name) for r in first] == [
        ("box5.1", TaskState.on_schedule, "上半年.csv"), ("box5.2", TaskState.not_started, "上半年.csv")]
    plan_store.record_task_progress(None, [update("box5.1", TaskState.done, "2025-12-31", "全部完成")])
    progress = plan_store.task_progress()
    assert progress.plan_key == plan_store.plans()[0].key
    assert [(r.task_id, r.as_of) for r in progress.history] == [
        ("box5.1", "2025-06-30"), ("box5.2", "2025-06-30"), ("box5.1", "2025-12-31")]
    assert progress.latest["box5.1"].state == TaskState.done and progress.latest["box5.1"].progress == "全部完成"
    assert progress.latest["box5.2"].state == TaskState.not_started
    first_lead = progress.history[0].lead_unit
    assert first_lead == "市委人才办"
    # an update describing an earlier date, recorded later, does not displace the newer one
    plan_store.record_task_progress(None, [update("box5.1", TaskState.behind, "2025-03-31")])
    assert plan_store.task_progress().latest["box5.1"].state == TaskState.done
    assert len(plan_store.task_progress().history) == 4


def test_unknown_task_or_bad_date_writes_nothing(plan_store):
    with pytest.raises(StoreError, match=r"没有任务 box99\.1"):
        plan_store.record_task_progress(None, [update("box5.1", TaskState.done, "2025-06-30"),
                                               update("box99.1", TaskState.done, "2025-06-30")])
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        plan_store.record_task_progress(None, [update("box5.1", TaskState.done, "2025-13-01")])
    with pytest.raises(StoreError, match="没有键为 nope 的规划"):
        plan_store.record_task_progress("nope", [update("box5.1", TaskState.done, "2025-06-30")])
    assert plan_store.task_progress().history == []


def test_two_sheet_imports_then_a_sheet_with_a_bad_row(plan_store, jiaxing_plan, tmp_path):
    header = "序号,主要工作任务,进展情况,牵头单位,进展状态\n"
    for as_of, state in (("2025-06-30", "按计划推进"), ("2025-12-31", "已完成")):
        sheet = tmp_path / f"{as_of}.csv"
        sheet.write_text(header + f"专栏5-8,,进展{as_of},市经信局,{state}\n", encoding="utf-8")
        result = progress_from_sheet(sheet, jiaxing_plan.tasks, as_of=as_of)
        assert not result.issues
        plan_store.record_task_progress(None, result.updates, file_name=sheet.name)
    progress = plan_store.task_progress()
    assert [r.state for r in progress.history] == [TaskState.on_schedule, TaskState.done]
    assert progress.latest["box5.8"].as_of == "2025-12-31" and progress.latest["box5.8"].row == 2

    bad = tmp_path / "bad.csv"
    bad.write_text(header + "专栏5-1,,,,已完成\n专栏5-2,,,,差不多\n", encoding="utf-8")
    result = progress_from_sheet(bad, jiaxing_plan.tasks, as_of="2026-03-31")
    assert [(i.row, i.kind) for i in result.issues] == [(3, "bad_state")]
    # the CLI writes nothing from a sheet with issues; the store is unchanged
    assert len(plan_store.task_progress().history) == 2
