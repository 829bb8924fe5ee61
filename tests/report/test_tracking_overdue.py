"""Tasks past their planned completion in the mid-term review, on the real Jiaxing plan: named with the days in
the chapter's text; the task tables keep their six columns (a date column made their Word rows a line taller)."""

from __future__ import annotations

from planwatch.model import TaskAssignment, TaskState, TaskUpdate
from planwatch.report import context_from_store
from planwatch.store import open_store


def test_tasks_past_their_planned_completion_are_named_in_the_text(tmp_path, jiaxing_plan):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    store.load_plan(jiaxing_plan)
    store.assign_tasks([TaskAssignment(task_id="box5.1", lead_unit="市委人才办", planned_completion="2023-06-30"),
                        TaskAssignment(task_id="box7.1", lead_unit="市大数据局", planned_completion="2023-12-31")])
    store.record_task_progress(None, [
        TaskUpdate(task_id="box5.1", state=TaskState.on_schedule, as_of="2023-06-30", progress="政策起草中"),
        TaskUpdate(task_id="box7.1", state=TaskState.on_schedule, as_of="2023-06-30")])
    _, tasks = context_from_store(store, "midterm").tracking  # 2023, judged at 2023-12-31
    assert tasks.paragraphs[0] == ("规划9个专栏列出主要任务和重大改革49项，截至2023-06-30，按计划推进1项，滞后1项，未填报47项；"
                                   "其中停滞0项，超过计划完成时间仍未完成1项。")
    assert "超过计划完成时间（任务分工）仍未完成的，为“滞后”" in tasks.paragraphs[1]
    assert tasks.paragraphs[2] == ("超过计划完成时间仍未完成的任务：专栏5第1项实行更加开放的人才政策"
                                   "（计划于 2023-06-30 完成，已逾期 184 天）。")
    late, every = tasks.tables[2:]
    assert late.headers == every.headers == ("专栏", "序号", "任务", "状态", "牵头单位", "进展情况")
    assert late.rows == (("专栏5", "1", "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。", "滞后", "市委人才办",
                          "政策起草中（2023-06-30）"),)
    assert every.rows[8][:5] == ("专栏7", "1", "建设“一个中心”", "按计划推进", "市大数据局")
    store.dispose()
