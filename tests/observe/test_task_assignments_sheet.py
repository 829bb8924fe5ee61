"""The optional columns of a supervision table, 配合单位 and 计划完成时间 (or 计划完成 / 计划完成日期 / 完成时限), read
into task assignments on the real Jiaxing tasks; a row filling them needs its 牵头单位 and a real date."""

from __future__ import annotations

from planwatch.model import TaskAssignment, TaskState
from planwatch.observe.task_progress import match_rows, progress_from_sheet

HEADER = ["序号", "主要工作任务", "进展情况", "牵头单位", "配合单位", "计划完成时间", "进展状态"]


def test_rows_filling_the_new_columns_state_the_tasks_assignment(jiaxing_plan):
    rows = [
        (2, ["专栏5-1", "", "人才新政已出台", "市委人才办", "市人力社保局、市教育局", "2025年12月31日", "按计划推进"]),
        (3, ["专栏5-2", "", "", "市教育局", "", "2025-06", "滞后"]),  # a month: its last day
        (4, ["专栏5-3", "", "", "市科技局", "", "", "未启动"]),  # neither column: the update only
        (5, ["专栏5-4", "", "", "市科技局", "市财政局,市税务局", "2025/9/30", "按计划推进"]),
    ]
    result = match_rows(jiaxing_plan.tasks, HEADER, rows, as_of="2025-06-30")
    assert result.issues == []
    assert [u.task_id for u in result.updates] == ["box5.1", "box5.2", "box5.3", "box5.4"]
    assert result.assignments == [
        TaskAssignment(task_id="box5.1", lead_unit="市委人才办", co_units=["市人力社保局", "市教育局"],
                       planned_completion="2025-12-31", row=2),
        TaskAssignment(task_id="box5.2", lead_unit="市教育局", planned_completion="2025-06-30", row=3),
        TaskAssignment(task_id="box5.4", lead_unit="市科技局", co_units=["市财政局", "市税务局"],
                       planned_completion="2025-09-30", row=5)]


def test_a_bad_date_or_a_missing_lead_unit_is_listed_and_the_row_not_used(jiaxing_plan):
    rows = [
        (2, ["专栏5-1", "", "", "市委人才办", "", "年底前", "按计划推进"]),
        (3, ["专栏5-2", "", "", "", "市教育局", "2025-12-31", "按计划推进"]),
        (4, ["专栏5-3", "", "", "市科技局", "", "2025-02-30", "按计划推进"]),
    ]
    result = match_rows(jiaxing_plan.tasks, HEADER, rows, as_of="2025-06-30")
    assert [(i.row, i.kind, i.message) for i in result.issues] == [
        (2, "bad_date", "第 2 行：计划完成时间“年底前”不是有效日期，应为 YYYY-MM-DD（如 2025-12-31）或年月（如 2025-12）"),
        (3, "missing_lead", "第 3 行：填写了配合单位或计划完成时间，须同时填写牵头单位"),
        (4, "bad_date", "第 4 行：计划完成时间“2025-02-30”不是有效日期，应为 YYYY-MM-DD（如 2025-12-31）或年月（如 2025-12）")]
    assert result.updates == [] and result.assignments == []


def test_a_sheet_headed_完成时限_is_read_and_recorded_with_its_updates(jiaxing_plan, store, tmp_path):
    path = tmp_path / "督查台账.csv"
    path.write_text("序号,主要工作任务,进展情况,牵头单位,配合单位,完成时限,进展状态\n"
                    "专栏5-8,,兼并重组企业12家,市经信局,市市场监管局,2024-12-31,按计划推进\n", encoding="utf-8")
    result = progress_from_sheet(path, jiaxing_plan.tasks, as_of="2025-06-30")
    assert result.issues == []
    store.load_plan(jiaxing_plan)
    store.record_task_progress(None, result.updates, file_name=path.name, assignments=result.assignments,
                               actor="planner1")
    (update,) = store.task_progress().history
    assert (update.task_id, update.state, update.lead_unit) == ("box5.8", TaskState.on_schedule, "市经信局")
    held = store.task_assignments()["box5.8"]
    assert (held.lead_unit, held.co_units, held.planned_completion, held.updated_by) == (
        "市经信局", ["市市场监管局"], "2024-12-31", "planner1")
