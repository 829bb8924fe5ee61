"""Project reports in the store, on SQLite and PostgreSQL: every import kept, the latest per project-year counting."""

from __future__ import annotations

import pytest

from planwatch.errors import InputError
from planwatch.model import Milestone, ProjectReport
from planwatch.observe.projects import projects_from_sheet
from planwatch.samples import SAMPLES


@pytest.fixture
def plan_store(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    return store


def report(key: str, year: int, as_of: str, completed: float | None = None, **extra) -> ProjectReport:
    return ProjectReport(project_key=key, name=extra.pop("name", key), year=year, as_of=as_of,
                         completed_investment_yi_yuan=completed, **extra)


def test_round_trip_and_revisions(plan_store):
    assert plan_store.project_reports().latest == []
    written = plan_store.record_project_reports(None, [
        report("box3.1", 2023, "2023-12-31", 80.0, planned_investment_yi_yuan=80.0, lead_unit="市交通运输局",
               region="嘉兴市", total_investment_yi_yuan=382.8, planned={Milestone.started: "2021-06-30"},
               actual={Milestone.started: "2021-05-28"}, row=2),
        report("示例：新院区", 2023, "2023-12-31", 1.5, in_plan=False)], file_name="2023.csv")
    assert written == 2
    # the same project-year again, later: a new record; the first stays as a revision
    plan_store.record_project_reports(None, [report("box3.1", 2023, "2024-03-31", 82.4)], file_name="2023-核定.csv")
    # an earlier date recorded later does not displace the later one
    plan_store.record_project_reports(None, [report("box3.1", 2023, "2023-06-30", 30.0)])
    reports = plan_store.project_reports()
    assert reports.plan_key == plan_store.plans()[0].key
    assert [(r.project_key, r.as_of, r.completed_investment_yi_yuan, r.file_name) for r in reports.history] == [
        ("box3.1", "2023-12-31", 80.0, "2023.csv"), ("示例：新院区", "2023-12-31", 1.5, "2023.csv"),
        ("box3.1", "2024-03-31", 82.4, "2023-核定.csv"), ("box3.1", "2023-06-30", 30.0, None)]
    latest = {(r.project_key, r.year): r for r in reports.latest}
    assert latest["box3.1", 2023].completed_investment_yi_yuan == 82.4
    first = reports.history[0]
    assert (first.lead_unit, first.region, first.total_investment_yi_yuan, first.row) == ("市交通运输局", "嘉兴市", 382.8, 2)
    assert first.planned == {Milestone.started: "2021-06-30"} and first.actual == {Milestone.started: "2021-05-28"}
    assert reports.history[1].in_plan is False and first.in_plan is True
    assert plan_store.extra_projects() == ["示例：新院区"]


def test_unknown_project_or_bad_date_writes_nothing(plan_store):
    with pytest.raises(InputError, match=r"规划中没有项目 box3\.10"):
        plan_store.record_project_reports(None, [report("box3.1", 2023, "2023-12-31"), report("box3.10", 2023, "2023-12-31")])
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        plan_store.record_project_reports(None, [report("box3.1", 2023, "2023-12-31", planned={Milestone.started: "2023-13-01"})])
    with pytest.raises(InputError, match=r"box3\.2 是规划列名项目的编号"):
        plan_store.record_project_reports(None, [report("box3.2", 2023, "2023-12-31", in_plan=False)])
    assert plan_store.project_reports().history == []


def test_the_sample_sheet_imports_twice_as_revisions(plan_store, jiaxing_plan):
    sample = SAMPLES / "data" / "jiaxing-projects-sample.csv"
    first = projects_from_sheet(sample, jiaxing_plan.projects, as_of="2024-12-31", known_extra=plan_store.extra_projects())
    assert plan_store.record_project_reports(None, first.reports, file_name=sample.name) == 29
    again = projects_from_sheet(sample, jiaxing_plan.projects, as_of="2025-01-31", known_extra=plan_store.extra_projects())
    assert again.added == [] and set(again.matched_by.values()) == {"key", "number", "known"}
    plan_store.record_project_reports(None, again.reports, file_name=sample.name)
    reports = plan_store.project_reports()
    assert len(reports.history) == 58 and len(reports.latest) == 29
    assert {r.as_of for r in reports.latest} == {"2025-01-31"}
    assert plan_store.extra_projects() == ["示例：科创园区配套道路工程", "示例：城市污水处理厂扩建工程", "示例：市第一医院新院区"]
