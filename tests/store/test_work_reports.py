"""Task assignments and work reports on SQLite and PostgreSQL, on the real Jiaxing plan: assignments set and
audited all or nothing; a unit's report moves through the submission states; approval records exactly one
update (or project-year report) in the same transaction; a stale version and every refusal write nothing."""

from __future__ import annotations

import pytest

from planwatch.errors import AccessError, ConflictError, DataImportError, InputError
from planwatch.evaluate.projects import projects_from_store
from planwatch.evaluate.tasks import tasks_from_store
from planwatch.model import Milestone, ProjectReport, SubmissionState, TaskAssignment, TaskState, TaskUpdate, WorkKind

TALENT = "box5.1"  # 实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。
UPDATE = TaskUpdate(task_id=TALENT, state=TaskState.on_schedule, progress="人才新政已出台，首批认定312人",
                    lead_unit="市委人才办", as_of="2025-06-30")
RAILWAY = "box3.1"  # 通苏嘉甬铁路（嘉兴段）, 382.8 亿元
SHEET_ROW = ProjectReport(project_key=RAILWAY, name="通苏嘉甬铁路（嘉兴段）", year=2024, lead_unit="市交通运输局",
                          region="嘉兴市", planned_investment_yi_yuan=50.0, planned={Milestone.started: "2024-09-30"},
                          as_of="2024-06-30")


@pytest.fixture
def plan_store(store, jiaxing_plan):
    store.load_plan(jiaxing_plan)
    return store


def rows(store) -> tuple[int, int, int]:
    """(work reports, task updates, project reports) in the store."""
    return (len(store.work_reports()), len(store.task_progress().history), len(store.project_reports().history))


def work_audit(store) -> list[str]:
    """The audited steps of work reports, oldest first."""
    return [e.action for e in reversed(store.audit_entries()) if e.action.startswith("work_report.")]


# ---------------------------------------------------------------- assignments


def test_assignments_are_set_replaced_and_audited(plan_store):
    (done,) = plan_store.assign_tasks([TaskAssignment(task_id=TALENT, lead_unit=" 市委人才办 ",
                                                      co_units=["市人力社保局、市教育局"], planned_completion="2024-12-31")],
                                      actor="planner1")
    assert (done.task_id, done.lead_unit, done.co_units, done.planned_completion, done.updated_by) == (
        TALENT, "市委人才办", ["市人力社保局", "市教育局"], "2024-12-31", "planner1")
    plan_store.assign_tasks([TaskAssignment(task_id=TALENT, lead_unit="市科技局")], actor="planner2")
    held = plan_store.task_assignments()
    assert list(held) == [TALENT]
    assert (held[TALENT].lead_unit, held[TALENT].co_units, held[TALENT].planned_completion) == ("市科技局", [], None)
    audited = plan_store.audit_entries(action="task.assign")
    key = plan_store.plans()[0].key
    assert [(e.actor, e.subject, e.before, e.after) for e in audited] == [
        ("planner2", f"{key} {TALENT}",
         {"lead_unit": "市委人才办", "co_units": ["市人力社保局", "市教育局"], "planned_completion": "2024-12-31"},
         {"lead_unit": "市科技局", "co_units": [], "planned_completion": None}),
        ("planner1", f"{key} {TALENT}", None,
         {"lead_unit": "市委人才办", "co_units": ["市人力社保局", "市教育局"], "planned_completion": "2024-12-31"})]


@pytest.mark.parametrize(("entry", "message"), [
    (TaskAssignment(task_id="box99.1", lead_unit="市科技局"), "任务 box99.1：规划中没有该任务（应为任务编号，如 box5.1）"),
    (TaskAssignment(task_id="p419.1", lead_unit="市科技局"), "任务 p419.1 是正文任务候选，尚未在规划文件中确认"),
    (TaskAssignment(task_id=TALENT, lead_unit=" "), "任务 box5.1 缺少牵头单位"),
    (TaskAssignment(task_id=TALENT, lead_unit="市科技局", planned_completion="2024-13-01"),
     "任务 box5.1 的计划完成时间 2024-13-01 无效：应为 YYYY-MM-DD，如 2025-12-31"),
    (TaskAssignment(task_id=TALENT, lead_unit="市科技局", co_units=["市科技局"]), "任务 box5.1：市科技局 既是牵头单位又是配合单位"),
    (TaskAssignment(task_id=TALENT, lead_unit="市科\x00技局"), "牵头单位含有控制字符"),
], ids=["unknown", "unconfirmed", "no-lead", "bad-date", "lead-as-co", "control"])
def test_a_bad_assignment_names_the_field_and_writes_nothing(plan_store, entry, message):
    with pytest.raises(InputError) as refused:
        plan_store.assign_tasks([entry])
    assert message in str(refused.value)
    assert plan_store.task_assignments() == {} and plan_store.audit_entries(action="task.assign") == []


def test_a_sheet_of_assignments_is_written_whole_or_not_at_all(plan_store):
    with pytest.raises(DataImportError) as refused:
        plan_store.assign_tasks([TaskAssignment(task_id="box5.2", lead_unit="市教育局", row=2),
                                 TaskAssignment(task_id="box5.2", lead_unit="市科技局", row=3),
                                 TaskAssignment(task_id="box5.3", lead_unit="市科技局", planned_completion="明年", row=4)])
    assert refused.value.problems == ["第 3 行：任务 box5.2 已在第 2 行分工，同一任务只能有一个牵头单位",
                                      "第 4 行：任务 box5.3 的计划完成时间 明年 无效：应为 YYYY-MM-DD，如 2025-12-31"]
    assert plan_store.task_assignments() == {}


# ---------------------------------------------------------------- a task's report


def test_submit_then_approve_records_exactly_one_update(plan_store):
    draft = plan_store.enter_work_report(None, UPDATE.model_copy(update={"progress": "起草中"}), unit="市委人才办",
                                         actor="rcb1", submit=False)
    assert (draft.kind, draft.subject, draft.year, draft.state, draft.version) == (
        WorkKind.task, TALENT, None, SubmissionState.draft, 1)
    sent = plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=True, expected_version=1)
    assert (sent.id, sent.state, sent.version, sent.task) == (draft.id, SubmissionState.submitted, 2, UPDATE)
    assert rows(plan_store) == (1, 0, 0)  # nothing counts before approval
    done = plan_store.decide_work_report(sent.id, "approve", actor="planner1", expected_version=2)
    assert (done.state, done.version, done.updated_by) == (SubmissionState.approved, 3, "planner1")
    (recorded,) = plan_store.task_progress().history
    assert (recorded.task_id, recorded.state, recorded.progress, recorded.lead_unit, recorded.as_of,
            recorded.file_name) == (TALENT, TaskState.on_schedule, "人才新政已出台，首批认定312人", "市委人才办",
                                    "2025-06-30", f"工作填报 #{done.id}")
    steps = plan_store.work_report_events(done.id)
    assert [(e.action, e.state, e.task.progress if e.task else None, e.actor) for e in steps] == [
        ("save", SubmissionState.draft, "起草中", "rcb1"),
        ("submit", SubmissionState.submitted, "人才新政已出台，首批认定312人", "rcb1"),
        ("approve", SubmissionState.approved, "人才新政已出台，首批认定312人", "planner1")]
    subject = f"work_report:{done.id} task {TALENT}"
    assert [e.action for e in reversed(plan_store.audit_entries(subject=subject))] == [
        "work_report.save", "work_report.submit", "work_report.approve"]
    view = next(v for v in tasks_from_store(plan_store).views if v.task.id == TALENT)
    assert (view.state, view.as_of, view.lead_unit) == (TaskState.on_schedule, "2025-06-30", "市委人才办")


def test_return_needs_a_comment_and_the_unit_submits_again(plan_store):
    sent = plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=True)
    with pytest.raises(InputError, match="退回时须写明意见"):
        plan_store.decide_work_report(sent.id, "return", actor="planner1", comment="  ", expected_version=1)
    assert plan_store.work_report(sent.id).version == 1 and len(plan_store.work_report_events(sent.id)) == 1
    back = plan_store.decide_work_report(sent.id, "return", actor="planner1", comment="请写明认定人数的口径",
                                         expected_version=1)
    assert (back.state, back.comment, back.version) == (SubmissionState.returned, "请写明认定人数的口径", 2)
    again = plan_store.enter_work_report(None, UPDATE.model_copy(update={"progress": "首批认定312人（含柔性引进）"}),
                                         unit="市委人才办", actor="rcb1", submit=True, expected_version=2)
    assert (again.state, again.comment, again.version) == (SubmissionState.submitted, None, 3)
    assert plan_store.task_progress().history == []


def test_a_stale_version_is_refused_and_changes_nothing(plan_store):
    sent = plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=True)
    plan_store.decide_work_report(sent.id, "return", actor="planner_a", comment="请补充依据", expected_version=1)
    with pytest.raises(ConflictError) as refused:
        plan_store.decide_work_report(sent.id, "approve", actor="planner_b", expected_version=1)
    assert "已被 planner_a 于" in str(refused.value)
    assert "改为“已退回”（第 2 版，你看到的是第 1 版）" in str(refused.value)
    assert plan_store.work_report(sent.id).state == SubmissionState.returned
    assert rows(plan_store) == (1, 0, 0) and len(plan_store.work_report_events(sent.id)) == 2


def test_refusals_write_nothing(plan_store):
    with pytest.raises(InputError, match=r"规划中没有任务 box99\.1"):
        plan_store.enter_work_report(None, UPDATE.model_copy(update={"task_id": "box99.1"}), unit="市委人才办",
                                     actor="rcb1", submit=True)
    with pytest.raises(InputError, match="日期 2025-06-31 无效"):
        plan_store.enter_work_report(None, UPDATE.model_copy(update={"as_of": "2025-06-31"}), unit="市委人才办",
                                     actor="rcb1", submit=True)
    assert rows(plan_store) == (0, 0, 0) and work_audit(plan_store) == []
    draft = plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=False)
    with pytest.raises(AccessError, match="该填报由 市委人才办 填报，市科技局 不能修改"):
        plan_store.enter_work_report(None, UPDATE, unit="市科技局", actor="kj1", submit=True)
    with pytest.raises(ConflictError, match=r"该数据当前为“草稿”（rcb1 于 .*），不能审核通过"):
        plan_store.decide_work_report(draft.id, "approve", actor="planner1")
    assert plan_store.work_report(draft.id).version == 1 and rows(plan_store) == (1, 0, 0)
    assert work_audit(plan_store) == ["work_report.save"]


def test_a_new_lead_unit_takes_a_settled_report_over(plan_store):
    sent = plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=True)
    plan_store.decide_work_report(sent.id, "approve", actor="planner1", expected_version=1)
    later = UPDATE.model_copy(update={"lead_unit": "市人力社保局", "progress": "首批认定400人", "as_of": "2025-12-31"})
    taken = plan_store.enter_work_report(None, later, unit="市人力社保局", actor="rsj1", submit=True, expected_version=2)
    assert (taken.id, taken.unit, taken.state, taken.version) == (sent.id, "市人力社保局", SubmissionState.submitted, 3)
    with pytest.raises(AccessError, match="该填报由 市人力社保局 填报，市委人才办 不能修改"):
        plan_store.enter_work_report(None, UPDATE, unit="市委人才办", actor="rcb1", submit=True)


# ---------------------------------------------------------------- a project's year


def test_approving_a_project_year_changes_its_judgement(plan_store):
    plan_store.record_project_reports(None, [SHEET_ROW], file_name="项目进展表.csv")
    before = next(v for v in projects_from_store(plan_store, 2024).views if v.key == RAILWAY)
    assert (before.state, before.reasons) == (TaskState.not_started, ("截至2024-06-30尚未开工（计划2024-09-30开工）",))
    figures = SHEET_ROW.model_copy(update={"completed_investment_yi_yuan": 21.0, "planned": {},
                                           "actual": {Milestone.started: "2024-05-20"}})
    sent = plan_store.enter_work_report(None, figures, unit="市交通运输局", actor="jt1", submit=True)
    assert (sent.kind, sent.subject, sent.year) == (WorkKind.project, RAILWAY, 2024)
    unchanged = next(v for v in projects_from_store(plan_store, 2024).views if v.key == RAILWAY)
    assert unchanged.state == TaskState.not_started  # submitted, not approved: the page does not move
    plan_store.decide_work_report(sent.id, "approve", actor="planner1", expected_version=1)
    assert rows(plan_store) == (1, 0, 2)
    latest = plan_store.project_reports().history[-1]
    assert (latest.completed_investment_yi_yuan, latest.actual, latest.file_name) == (
        21.0, {Milestone.started: "2024-05-20"}, f"工作填报 #{sent.id}")
    after = next(v for v in projects_from_store(plan_store, 2024).views if v.key == RAILWAY)
    assert after.state == TaskState.on_schedule
    assert after.reasons == ("2024年完成投资21亿元，年度计划投资50亿元（按截至2024-06-30的时间进度折算为24.86亿元），"
                             "完成84.5%，各节点未超过计划日期90天以上",)
    assert after.planned == {Milestone.started: "2024-09-30"}  # the sheet's planned date stays
