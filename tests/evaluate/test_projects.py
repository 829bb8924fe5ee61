"""The project status rule and the roll-ups, on the real Jiaxing plan's projects and programme.

专栏3 (lines 836–851) names 9 railways with total investments 382.8 + 338 + 57.4 + 170.2 + 105 + 171.2 + 120
+ 123.7 + 120 = 1588.3 亿元; line 1297 sets the “551” programme: 500个左右 projects, 累计 1万亿元以上.
The boxes of tasks hold 8 (专栏5) + 4 (7) + 3 (8) + 4 (9) + 3 (10) + 3 (11) + 10 (12) + 7 (13) + 7 (14) = 49 items.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.evaluate.projects import ProjectSettings, judge_project, projects_overview, roll_up
from planwatch.evaluate.tasks import tasks_overview
from planwatch.model import Comparator, Milestone, ProjectReport, ProjectReportRow, TaskState, TaskUpdate

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
S = ProjectSettings()


def rep(year: int, as_of: str = "2024-12-31", key: str = "box3.2", plan: float | None = None,
        completed: float | None = None, **extra) -> ProjectReportRow:
    return ProjectReportRow.of(ProjectReport(project_key=key, name=extra.pop("name", key), year=year, as_of=as_of,
                                             planned_investment_yi_yuan=plan, completed_investment_yi_yuan=completed,
                                             **extra))


def test_investment_below_the_share_is_behind():
    j = judge_project([rep(2024, plan=70, completed=41.3, actual={Milestone.started: "2022-08-15"})], 2024,
                      "2024-12-31", S)
    assert j["state"] == TaskState.behind and not j["late"]
    assert j["reasons"] == ("2024年完成投资41.3亿元，年度计划投资70亿元，完成59.0%，低于80.0%",)
    # 56 of 70 is exactly 80%: not below the share
    assert judge_project([rep(2024, plan=70, completed=56, actual={Milestone.started: "2022-08-15"})], 2024,
                         "2024-12-31", S)["state"] == TaskState.on_schedule


def test_the_year_plan_is_prorated_by_the_time_elapsed():
    # at 2024-06-30, 182 of 366 days: 40 × 182/366 = 19.89 expected; 16 is 80.4% of it
    j = judge_project([rep(2024, "2024-06-30", plan=40, completed=16, actual={Milestone.started: "2022-12-20"})],
                      2024, "2024-06-30", S)
    assert j["state"] == TaskState.on_schedule
    assert j["reasons"][0].startswith("2024年完成投资16亿元，年度计划投资40亿元（按截至2024-06-30的时间进度折算为19.89亿元），完成80.4%")


def test_milestones_late_by_more_than_the_margin():
    overdue = judge_project([rep(2024, planned={Milestone.started: "2024-03-31"})], 2024, "2024-12-31", S)
    assert overdue["state"] == TaskState.behind and overdue["late"] == (Milestone.started,)
    assert overdue["reasons"] == ("开工计划2024-03-31，截至2024-12-31尚未开工，已逾期275天（超过90天）",)
    within = judge_project([rep(2024, planned={Milestone.started: "2024-10-02"})], 2024, "2024-12-31", S)
    assert within["state"] == TaskState.not_started and within["late"] == ()
    assert within["reasons"] == ("截至2024-12-31尚未开工（计划2024-10-02开工）",)
    reached_late = [rep(2023, planned={Milestone.started: "2023-03-31"}, actual={Milestone.started: "2023-10-31"},
                        completed=1.2)]
    j = judge_project(reached_late, 2023, "2023-12-31", S)
    assert j["state"] == TaskState.behind and j["reasons"] == ("开工计划2023-03-31，实际2023-10-31，推迟214天（超过90天）",)
    # a milestone reached late in an earlier year is history: the next year is judged on its own
    assert judge_project(reached_late, 2024, "2024-12-31", S)["state"] == TaskState.on_schedule
    # a wider margin takes it back on schedule
    assert judge_project(reached_late, 2023, "2023-12-31", ProjectSettings(milestone_margin_days=250))["state"] == \
        TaskState.on_schedule


def test_done_stalled_and_not_reported():
    done = judge_project([rep(2022, planned={Milestone.in_service: "2022-09-30"}, actual={Milestone.in_service: "2022-09-22"})],
                         2024, "2024-12-31", S)
    assert done["state"] == TaskState.done and done["reasons"] == ("已于2022-09-22投用",)
    # an actual date after the judging date has not happened yet
    later = judge_project([rep(2024, actual={Milestone.completed: "2024-11-30", Milestone.started: "2022-03-28"})],
                          2024, "2024-06-30", S)
    assert later["state"] == TaskState.on_schedule
    stalled = judge_project([rep(2024, plan=10, completed=0, actual={Milestone.started: "2023-04-10"})], 2024,
                            "2024-12-31", S)
    assert stalled["state"] == TaskState.behind and stalled["stalled"] is True
    assert stalled["reasons"][-1] == "停滞：2024年计划投资10亿元，完成投资为0"
    assert judge_project([], 2024, "2024-12-31", S)["state"] is None


def test_overview_of_the_real_plan(jiaxing_plan):
    reports = [
        rep(2023, "2024-12-31", "box3.1", 80, 82.4, region="嘉兴市", lead_unit="市交通运输局",
            actual={Milestone.started: "2021-05-28"}),
        rep(2024, "2024-12-31", "box3.1", 80, 79, actual={Milestone.started: "2021-05-28"}),
        rep(2024, "2024-12-31", "box3.2", 70, 41.3, region="平湖市", lead_unit="市交通运输局",
            actual={Milestone.started: "2022-08-15"}),
        rep(2024, "2024-12-31", "示例：新院区", 6, 6.3, name="示例：新院区", in_plan=False, region="经开区",
            lead_unit="市卫生健康委", actual={Milestone.started: "2024-03-18"}),
        rep(2025, "2025-06-30", "box3.1", 50, 10),  # a later year than the one judged: not read
    ]
    o = projects_overview(jiaxing_plan, reports, 2024)
    assert (o.as_of, o.data_year) == ("2024-12-31", 2024)
    assert [v.key for v in o.views] == [f"box3.{n}" for n in range(1, 10)] + ["示例：新院区"]
    states = {v.key: v.state for v in o.views}
    assert states["box3.1"] == TaskState.on_schedule and states["box3.2"] == TaskState.behind
    assert [k for k, s in states.items() if s is None] == [f"box3.{n}" for n in range(3, 10)]
    box = {r.group: r for r in o.rollups["box"]}
    assert box["专栏3"].count == 9 and box["专栏3"].total_investment == pytest.approx(1588.3)
    assert (box["专栏3"].year_planned, box["专栏3"].year_completed) == (150, 120.3)
    assert box["规划未列名"].count == 1
    region = {r.group: (r.count, r.year_planned, r.year_completed) for r in o.rollups["region"]}
    assert region == {"嘉兴市": (1, 80, 79), "平湖市": (1, 70, 41.3), "未注明": (7, 0, 0), "经开区": (1, 6, 6.3)}
    unit = {r.group: r.states[str(TaskState.behind)] for r in o.rollups["unit"]}
    assert unit == {"市交通运输局": 1, "未注明": 0, "市卫生健康委": 0}
    chapter = [r.group for r in o.rollups["chapter"]]
    assert chapter == ["四、忠实践行“八八战略”，奋力建设“五彩嘉兴”，勇当新发展格局开路先锋", "规划未列名"]
    (programme,) = o.programmes
    assert (programme.name, programme.target_count, programme.count_comparator, programme.target_investment,
            programme.investment_comparator, programme.line) == ("551", 500, Comparator.about, 10000, Comparator.at_least, 1297)
    assert (programme.tracked, programme.tracked_in_plan, programme.tracked_not_in_plan) == (3, 2, 1)
    assert programme.cumulative_completed == pytest.approx(82.4 + 79 + 41.3 + 6.3)
    assert programme.count_share == pytest.approx(3 / 500)
    assert o.total.count == 10 and [v.key for v in o.behind] == ["box3.2"]
    assert o.to_json()["projects"][1]["reasons"] == ["2024年完成投资41.3亿元，年度计划投资70亿元，完成59.0%，低于80.0%"]
    assert [r.group for r in roll_up(o.views, lambda v: "规划内" if v.in_plan else "规划外")] == ["规划内", "规划外"]


def test_a_year_without_reports_is_judged_on_the_latest_before(jiaxing_plan):
    o = projects_overview(jiaxing_plan, [rep(2024, "2024-12-31", "box3.2", 70, 60, actual={Milestone.started: "2022-08-15"})],
                          2025)
    v = next(v for v in o.views if v.key == "box3.2")
    assert (o.as_of, o.data_year, v.data_year, v.state) == ("2024-12-31", 2024, 2024, TaskState.on_schedule)
    assert v.reasons[-1] == "（2025年尚无填报，投资按2024年数据）"


def test_tasks_rolled_up_by_box_with_late_and_stalled(jiaxing_plan):
    updates = [
        TaskUpdate(task_id="box5.1", state=TaskState.not_started, as_of="2024-01-31", lead_unit="市委人才办"),
        TaskUpdate(task_id="box5.1", state=TaskState.not_started, as_of="2024-12-31", lead_unit="市委人才办"),
        TaskUpdate(task_id="box5.2", state=TaskState.behind, as_of="2024-12-31", lead_unit="市教育局"),
        TaskUpdate(task_id="box12.1", state=TaskState.done, as_of="2024-06-30"),
    ]
    o = tasks_overview(jiaxing_plan, updates)
    assert o.as_of == "2024-12-31" and o.total.count == 49
    boxes = {r.group: r.count for r in o.rollups["box"]}
    assert boxes == {"专栏5": 8, "专栏7": 4, "专栏8": 3, "专栏9": 4, "专栏10": 3, "专栏11": 3, "专栏12": 10,
                     "专栏13": 7, "专栏14": 7}
    box5 = next(r for r in o.rollups["box"] if r.group == "专栏5")
    assert (box5.states["not_started"], box5.states["behind"], box5.states[""], box5.late, box5.stalled) == (1, 1, 6, 1, 1)
    assert [v.task.id for v in o.late] == ["box5.2"]
    assert [(v.task.id, v.stalled_since) for v in o.stalled] == [("box5.1", "2024-01-31")]
    assert {r.group: r.count for r in o.rollups["unit"]} == {"市委人才办": 1, "市教育局": 1, "未注明": 47}
    # 335 days of 未启动 are below a 400-day setting
    assert tasks_overview(jiaxing_plan, updates, settings=ProjectSettings(task_stalled_days=400)).stalled == ()
    # judged before the later updates, box5.1 has one update only
    assert tasks_overview(jiaxing_plan, updates, as_of="2024-06-30").stalled == ()


def test_every_project_setting_documented():
    text = DOC.read_text(encoding="utf-8")
    for name, field in ProjectSettings.model_fields.items():
        assert f"`{name}`" in text, f"setting {name} is not documented"
        assert field.description
