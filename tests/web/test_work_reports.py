"""Work reports in the browser and the API, on the real Jiaxing store: the lead unit of 专栏5-1 reports through
the task page's form, a planner approves from the page; the public task page changes only then; another unit's
reporter is refused (403, naming its unit) and sees nothing of it; a return needs a comment, a stale decision gets
409; a project's year reported and approved moves the project from 未启动 to 按计划推进."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from planwatch.model import Milestone, ProjectReport, TaskAssignment, TaskState, TaskUpdate
from planwatch.web import WebSettings, create_app
from planwatch.web.work_context import amount_text

from .people import PASSWORD, cheap_hashing, log_in  # noqa: F401 (fixture)

TALENT = "box5.1"
TALENT_TEXT = "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。"
PROGRESS = "人才新政30条已出台，首批认定高层次人才312人"
REFUSED = "市科技局不是任务 box5.1 的牵头单位（牵头单位为市委人才办），不能填报该任务的进展"


@pytest.fixture
def site(real_store):
    """The Jiaxing store (public), a planner and three reporters; 专栏5-1 assigned to 市委人才办, 通苏嘉甬铁路 tracked."""
    store = real_store
    store.add_user("planner1", role="planner", password=PASSWORD)
    for name, unit in (("rcb", "市委人才办"), ("kj", "市科技局"), ("jt", "市交通运输局")):
        store.add_user(name, role="reporter", unit=unit, password=PASSWORD)
    store.assign_tasks([TaskAssignment(task_id=TALENT, lead_unit="市委人才办", co_units=["市人力社保局"],
                                       planned_completion="2025-12-31")])
    store.record_project_reports(None, [ProjectReport(
        project_key="box3.1", name="通苏嘉甬铁路（嘉兴段）", year=2024, lead_unit="市交通运输局", region="嘉兴市",
        planned_investment_yi_yuan=50.0, planned={Milestone.started: "2024-09-30"}, as_of="2024-06-30")],
        file_name="项目进展表.csv")
    app = create_app(WebSettings(db=store.url, cache_seconds=0), store=store)
    return store, app


def client(app, name: str | None = None) -> tuple[TestClient, str]:
    c = TestClient(app, base_url="http://testserver")
    return c, (log_in(c, name) if name else "")


def public_task(app) -> dict[str, Any]:
    anonymous, _ = client(app)
    return next(t for t in anonymous.get("/api/tasks").json()["tasks"] if t["id"] == TALENT)


def test_a_unit_reports_through_the_form_and_a_planner_approves(site):
    store, app = site
    rcb, token = client(app, "rcb")
    page = rcb.get(f"/tasks/{TALENT}").text
    assert f'action="/tasks/{TALENT}/report"' in page and TALENT_TEXT in page and "市人力社保局" in page
    sent = rcb.post(f"/tasks/{TALENT}/report", data={
        "csrf_token": token, "version": "0", "state": "on_schedule", "progress": PROGRESS, "as_of": "2025-06-30",
        "action": "submit"}, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, f"/tasks/{TALENT}")
    own = rcb.get(f"/api/tasks/{TALENT}").json()
    assert (own["report"]["state_label"], own["report"]["version"], own["report"]["unit"]) == ("已报送", 1, "市委人才办")
    assert own["report"]["content_text"] == f"按计划推进：{PROGRESS}（截至 2025-06-30）"
    # not approved: the public page still shows nothing reported
    before = public_task(app)
    assert (before["state_label"], before["progress"], before["lead_unit"]) == ("未填报", "", "市委人才办")
    anonymous, _ = client(app)
    assert PROGRESS not in anonymous.get(f"/tasks/{TALENT}").text and PROGRESS not in anonymous.get("/tasks").text

    planner, ptoken = client(app, "planner1")
    (queued,) = planner.get("/api/work").json()["queue"]
    assert (queued["kind_label"], queued["title"], queued["unit"], queued["url"]) == (
        "任务进展", TALENT_TEXT, "市委人才办", f"/tasks/{TALENT}")
    assert f'action="/work-reports/{queued["id"]}/approve"' in planner.get(f"/tasks/{TALENT}").text
    done = planner.post(f"/work-reports/{queued['id']}/approve", data={"csrf_token": ptoken, "version": "1"},
                        follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/tasks/{TALENT}")

    after = public_task(app)
    assert (after["state_label"], after["progress"], after["as_of"], after["planned_completion"]) == (
        "按计划推进", PROGRESS, "2025-06-30", "2025-12-31")
    assert PROGRESS in anonymous.get("/tasks", params={"box": "专栏5"}).text
    (recorded,) = store.task_progress().history
    assert (recorded.task_id, recorded.file_name) == (TALENT, f"工作填报 #{queued['id']}")
    history = anonymous.get(f"/api/tasks/{TALENT}").json()
    assert [(h["state_label"], h["progress"], h["source"]) for h in history["history"]] == [
        ("按计划推进", PROGRESS, f"工作填报 #{queued['id']}")]
    assert history["report"] is None  # the public sees recorded data only


def test_another_units_reporter_is_refused_and_sees_nothing(site):
    store, app = site
    rcb, token = client(app, "rcb")
    rcb.post(f"/tasks/{TALENT}/report", data={"csrf_token": token, "version": "0", "state": "behind",
                                              "progress": PROGRESS, "as_of": "2025-06-30", "action": "submit"})
    kj, kj_token = client(app, "kj")
    page = kj.get(f"/tasks/{TALENT}").text
    assert REFUSED in page and f'action="/tasks/{TALENT}/report"' not in page and PROGRESS not in page
    form = kj.post(f"/tasks/{TALENT}/report", data={"csrf_token": kj_token, "version": "0", "state": "done",
                                                    "progress": "已完成", "action": "submit"})
    assert form.status_code == 403 and REFUSED in form.text and PROGRESS not in form.text
    api = kj.post("/api/work-reports", headers={"X-CSRF-Token": kj_token},
                  json={"kind": "task", "subject": TALENT, "state": "done"})
    assert (api.status_code, api.json()["error"], api.json()["code"]) == (403, REFUSED, "forbidden")
    assert kj.get(f"/api/tasks/{TALENT}").json()["report"] is None
    assert kj.get("/api/work-reports").json()["reports"] == []
    assert kj.get("/api/work").json()["tasks"] == []
    (report,) = store.work_reports()
    withdraw = kj.post(f"/api/work-reports/{report.id}/withdraw", headers={"X-CSRF-Token": kj_token}, json={})
    assert withdraw.status_code == 403 and "市科技局只能查看和填报本单位牵头的任务和项目" in withdraw.json()["error"]
    assert PROGRESS not in withdraw.text
    assert [(r.unit, r.version) for r in store.work_reports()] == [("市委人才办", 1)] and \
        store.task_progress().history == []


def test_a_bad_form_is_shown_again_as_typed_and_nothing_is_written(site):
    store, app = site
    rcb, token = client(app, "rcb")
    answer = rcb.post(f"/tasks/{TALENT}/report", data={"csrf_token": token, "version": "0", "state": "差不多",
                                                       "progress": PROGRESS, "as_of": "2025-6-30", "action": "submit"})
    assert answer.status_code == 400
    assert "进展状态“差不多”无效：应为 未启动、按计划推进、滞后、已完成" in answer.text
    assert "截至日期“2025-6-30”无效：应为 YYYY-MM-DD，如 2025-06-30" in answer.text
    assert re.search(r'<textarea id="progress"[^>]*>' + re.escape(PROGRESS), answer.text)
    assert store.work_reports() == []


def test_return_needs_a_comment_and_a_stale_decision_is_refused(site):
    store, app = site
    rcb, token = client(app, "rcb")
    sent = rcb.post("/api/work-reports", headers={"X-CSRF-Token": token},
                    json={"kind": "task", "subject": TALENT, "state": "按计划推进", "progress": PROGRESS,
                          "as_of": "2025-06-30"})
    assert sent.status_code == 201 and (sent.json()["state"], sent.json()["version"]) == ("submitted", 1)
    rid = sent.json()["id"]
    planner, ptoken = client(app, "planner1")
    headers = {"X-CSRF-Token": ptoken}
    empty = planner.post(f"/api/work-reports/{rid}/return", headers=headers, json={"version": 1})
    assert (empty.status_code, empty.json()["error"]) == (400, "退回时须写明意见，告诉填报单位需要修改什么")
    back = planner.post(f"/api/work-reports/{rid}/return", headers=headers,
                        json={"version": 1, "comment": "请写明认定口径"})
    assert (back.status_code, back.json()["state_label"], back.json()["comment"]) == (200, "已退回", "请写明认定口径")
    stale = planner.post(f"/api/work-reports/{rid}/approve", headers=headers, json={"version": 1})
    assert stale.status_code == 409
    assert "已被 planner1 于" in stale.json()["error"] and "（第 2 版，你看到的是第 1 版）" in stale.json()["error"]
    assert [r["state"] for r in rcb.get("/api/work-reports", params={"state": "returned"}).json()["reports"]] == [
        "returned"]
    assert store.task_progress().history == []


def test_a_projects_year_reported_and_approved_moves_it_on(site):
    store, app = site
    anonymous, _ = client(app)

    def railway() -> dict[str, Any]:
        return next(p for p in anonymous.get("/api/projects", params={"year": 2024}).json()["projects"]
                    if p["key"] == "box3.1")

    assert (railway()["state_label"], railway()["reasons"]) == ("未启动", ["截至2024-06-30尚未开工（计划2024-09-30开工）"])
    jt, token = client(app, "jt")
    form = jt.get("/projects/box3.1", params={"year": 2024}).text
    assert 'action="/projects/box3.1/report"' in form and 'value="50"' in form  # the year's planned figure kept
    sent = jt.post("/projects/box3.1/report", data={
        "csrf_token": token, "version": "0", "year": "2024", "planned_investment": "50", "completed_investment": "21",
        "actual-started": "2024-05-20", "as_of": "2024-06-30", "action": "submit"}, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, "/projects/box3.1?year=2024")
    assert railway()["state_label"] == "未启动"
    planner, ptoken = client(app, "planner1")
    (queued,) = planner.get("/api/work-reports", params={"state": "submitted"}).json()["reports"]
    assert queued["content_text"] == ("2024年计划投资50亿元，完成投资21亿元；实际开工 2024-05-20；牵头单位：市交通运输局；"
                                      "所在地区：嘉兴市（截至 2024-06-30）")
    page = planner.get("/projects/box3.1", params={"year": 2024}).text
    assert f'action="/work-reports/{queued["id"]}/approve"' in page and "2024年的填报" in page
    assert "已报送" in jt.get("/projects/box3.1", params={"year": 2024}).text
    done = planner.post(f"/api/work-reports/{queued['id']}/approve", headers={"X-CSRF-Token": ptoken},
                        json={"version": 1})
    assert done.status_code == 200
    after = railway()
    assert (after["state_label"], after["reasons"]) == ("按计划推进", [
        "2024年完成投资21亿元，年度计划投资50亿元（按截至2024-06-30的时间进度折算为24.86亿元），完成84.5%，"
        "各节点未超过计划日期90天以上"])
    assert len(store.project_reports().history) == 2


def test_the_tasks_page_and_its_export_show_units_and_planned_completion(site):
    store, app = site
    anonymous, _ = client(app)
    assert (public_task(app)["co_units"], public_task(app)["planned_completion"]) == (["市人力社保局"], "2025-12-31")
    # set after the app started: the data version changes, the page follows
    store.assign_tasks([TaskAssignment(task_id="box5.2", lead_unit="市教育局", co_units=["市科技局", "市财政局"],
                                       planned_completion="2024-12-31")])
    store.record_task_progress(None, [TaskUpdate(task_id="box5.2", state=TaskState.on_schedule,
                                                 progress="新建研究院2家", as_of="2025-06-30")])
    header, *rows = list(csv.reader(io.StringIO(anonymous.get("/tasks.csv", params={"box": "专栏5"}).content
                                                .decode("utf-8-sig"))))
    row = dict(zip(header, next(r for r in rows if r[0] == "box5.2"), strict=True))
    assert (row["状态"], row["牵头单位"], row["配合单位"], row["计划完成"], row["滞后"], row["原因"]) == (
        "滞后", "市教育局", "市科技局、市财政局", "2024-12-31", "是",
        "计划于 2024-12-31 完成，已逾期 181 天；最新填报（2025-06-30）为“按计划推进”")
    page = anonymous.get("/tasks", params={"box": "专栏5"}).text
    assert '<a href="/tasks/box5.2">' in page and "<td>市科技局、市财政局</td>" in page
    assert "滞后，计划于 2024-12-31 完成，已逾期 181 天；最新填报（2025-06-30）为“按计划推进”；新建研究院2家" in page


def test_an_amount_shown_in_the_form_keeps_every_digit():
    # A figure shown in the form is sent back as shown: six significant digits would round 12.345678 to 12.3457.
    assert [amount_text(v) for v in (12.345678, 50.0, 1234567.891, None)] == ["12.345678", "50", "1234567.891", ""]
