"""A task late by its planned completion, on the real Jiaxing tasks: not done and the planned completion passed at
the date judged → 滞后, with the days counted exactly; the lead unit of its assignment counts in the roll-ups."""

from __future__ import annotations

from planwatch.evaluate.tasks import tasks_overview
from planwatch.model import TaskAssignment, TaskState, TaskUpdate

ASSIGNED = {
    "box5.1": TaskAssignment(task_id="box5.1", lead_unit="市委人才办", co_units=["市人力社保局", "市教育局"],
                             planned_completion="2024-12-31"),
    "box5.2": TaskAssignment(task_id="box5.2", lead_unit="市教育局", planned_completion="2025-06-30"),
    "box5.3": TaskAssignment(task_id="box5.3", lead_unit="市科技局", planned_completion="2024-02-29"),
    "box5.4": TaskAssignment(task_id="box5.4", lead_unit="市科技局", planned_completion="2025-01-01"),
    "box5.5": TaskAssignment(task_id="box5.5", lead_unit="市金融办", planned_completion="2024-12-31"),
}
UPDATES = [
    TaskUpdate(task_id="box5.1", state=TaskState.on_schedule, progress="人才新政已出台", lead_unit="市人才办",
               as_of="2025-06-30"),
    TaskUpdate(task_id="box5.2", state=TaskState.on_schedule, as_of="2025-06-30"),
    TaskUpdate(task_id="box5.3", state=TaskState.done, as_of="2024-12-31"),
    TaskUpdate(task_id="box5.5", state=TaskState.behind, progress="试验区申报未获批", as_of="2025-06-30"),
    TaskUpdate(task_id="box5.6", state=TaskState.on_schedule, lead_unit="市经信局", as_of="2025-03-31"),
]


def views(overview) -> dict:
    return {v.task.id: v for v in overview.views if v.task.box == "专栏5"}


def test_the_planned_completion_passed_makes_a_task_late_with_the_days_counted(jiaxing_plan):
    o = tasks_overview(jiaxing_plan, UPDATES, assignments=ASSIGNED)
    assert (o.as_of, o.judged_at) == ("2025-06-30", "2025-06-30")  # the latest update's date
    v = views(o)
    # 2024-12-31 → 2025-06-30: 181 days; reported 按计划推进, judged 滞后
    assert (v["box5.1"].state, v["box5.1"].reported, v["box5.1"].overdue_days, v["box5.1"].late) == (
        TaskState.behind, TaskState.on_schedule, 181, True)
    assert v["box5.1"].reasons == ("计划于 2024-12-31 完成，已逾期 181 天", "最新填报（2025-06-30）为“按计划推进”")
    assert (v["box5.1"].lead_unit, v["box5.1"].co_units, v["box5.1"].planned_completion) == (
        "市委人才办", ("市人力社保局", "市教育局"), "2024-12-31")  # the assignment's, not the update's 市人才办
    # due on the day judged: not passed
    assert (v["box5.2"].state, v["box5.2"].overdue_days, v["box5.2"].reasons) == (TaskState.on_schedule, None, ())
    # done counts as done whenever it was due
    assert (v["box5.3"].state, v["box5.3"].late) == (TaskState.done, False)
    # no update at all: 2025-01-01 → 2025-06-30 is 180 days
    assert (v["box5.4"].state, v["box5.4"].reported, v["box5.4"].reasons) == (
        TaskState.behind, None, ("计划于 2025-01-01 完成，已逾期 180 天", "尚无进展填报"))
    assert v["box5.5"].reasons == ("计划于 2024-12-31 完成，已逾期 181 天", "最新填报（2025-06-30）为“滞后”")
    # no assignment: the update's lead unit, nothing planned
    assert (v["box5.6"].lead_unit, v["box5.6"].planned_completion, v["box5.6"].late) == ("市经信局", None, False)
    assert [t.task.id for t in o.late] == ["box5.1", "box5.4", "box5.5"]
    box5 = next(r for r in o.rollups["box"] if r.group == "专栏5")
    assert (box5.states["behind"], box5.states["on_schedule"], box5.states["done"], box5.states[""], box5.late) == (
        3, 2, 1, 2, 3)
    units = {r.group: (r.count, r.late) for r in o.rollups["unit"]}
    assert (units["市委人才办"], units["市科技局"], units["市经信局"]) == ((1, 1), (2, 1), (1, 0))
    row = next(t for t in o.to_json()["tasks"] if t["id"] == "box5.1")
    assert (row["state"], row["reported"], row["overdue_days"], row["co_units"]) == (
        "behind", "on_schedule", 181, ["市人力社保局", "市教育局"])


def test_the_date_judged_is_the_one_asked_for(jiaxing_plan):
    # the year-end of 2024, as the reports judge: box5.1's update of 2025 is not read and its date has not passed
    v = views(tasks_overview(jiaxing_plan, UPDATES, as_of="2024-12-31", assignments=ASSIGNED))
    assert (v["box5.1"].state, v["box5.1"].late, v["box5.1"].reasons) == (None, False, ())
    assert (v["box5.4"].state, v["box5.3"].state) == (None, TaskState.done)
    v = views(tasks_overview(jiaxing_plan, UPDATES, as_of="2025-12-31", assignments=ASSIGNED))
    assert (v["box5.1"].overdue_days, v["box5.2"].overdue_days, v["box5.4"].overdue_days) == (365, 184, 364)
    # across a leap day: 2024-02-28 → 2024-03-01 is 2 days
    leap = {"box5.1": ASSIGNED["box5.1"].model_copy(update={"planned_completion": "2024-02-28"})}
    v = views(tasks_overview(jiaxing_plan, [], as_of="2024-03-01", assignments=leap))
    assert v["box5.1"].reasons == ("计划于 2024-02-28 完成，已逾期 2 天", "尚无进展填报")


def test_without_assignments_or_updates_nothing_is_late(jiaxing_plan):
    o = tasks_overview(jiaxing_plan, [], assignments=ASSIGNED)
    assert o.judged_at is None and o.late == () and o.total.states[""] == 49
