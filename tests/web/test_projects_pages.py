"""/projects and /tasks (filters, exports, JSON twins) and an indicator's chapter work, on the demo's data:
the real Jiaxing store with the shipped project sample sheet loaded as `planwatch demo` loads it, plus a
few task updates (the demo has none)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from planwatch.demo import JIAXING_PROJECTS_SAMPLE, PROJECTS_SAMPLE_AS_OF
from planwatch.model import TaskState, TaskUpdate
from planwatch.observe.projects import projects_from_sheet
from planwatch.store import open_store
from planwatch.web import WebSettings, create_app

CHAPTER_3 = "三、乘势而上开启全面建设社会主义现代化先行市新征程"
CHAPTER_4 = "四、忠实践行“八八战略”，奋力建设“五彩嘉兴”，勇当新发展格局开路先锋"
FORMULA = '=HYPERLINK("http://x.example","点击")'
BEHIND = ["沪乍杭铁路（嘉兴段）", "水乡旅游线（嘉兴段）", "示例：城市污水处理厂扩建工程"]


def load_demo_projects(store) -> None:
    """The project sample sheet, read and recorded as planwatch.demo.run_demo does."""
    result = projects_from_sheet(JIAXING_PROJECTS_SAMPLE, store.plan().projects, as_of=PROJECTS_SAMPLE_AS_OF)
    assert not result.issues
    store.record_project_reports(None, result.reports, file_name=JIAXING_PROJECTS_SAMPLE.name)


UPDATES = [
    TaskUpdate(task_id="box5.1", state=TaskState.on_schedule, progress="已出台实施方案", lead_unit="市科技局",
               as_of="2024-06-30"),
    TaskUpdate(task_id="box5.2", state=TaskState.behind, progress="政策尚在起草", lead_unit="市发展改革委",
               as_of="2023-12-31"),
    TaskUpdate(task_id="box5.2", state=TaskState.behind, progress="政策尚在征求意见", lead_unit="市发展改革委",
               as_of="2024-12-31"),
    TaskUpdate(task_id="box9.1", state=TaskState.done, progress="已完成", lead_unit="市委改革办", as_of="2024-12-31"),
    TaskUpdate(task_id="box12.1", state=TaskState.not_started, progress=FORMULA, lead_unit="市文化广电旅游局",
               as_of="2024-12-31"),
]


@pytest.fixture(scope="module")
def demo_store(_jiaxing_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("projects-pages") / "demo.db"
    shutil.copyfile(_jiaxing_template, path)
    s = open_store(f"sqlite:///{path}")
    load_demo_projects(s)
    s.record_task_progress(None, UPDATES)
    s.change_settings({"public": True})
    yield s
    s.dispose()


@pytest.fixture(scope="module")
def web(demo_store) -> TestClient:
    return TestClient(create_app(WebSettings(db=demo_store.url, cache_seconds=60), store=demo_store))


def names(data: dict) -> list[str]:
    return [p["name"] for p in data["projects"]]


# ---------------------------------------------------------------- /projects


def test_projects_counts_programme_and_reason(web):
    data = web.get("/api/projects").json()
    assert (data["year"], data["data_year"], data["as_of"]) == (2024, 2024, "2024-12-31")
    assert data["total"]["states"] == {"not_started": 1, "on_schedule": 6, "behind": 3, "done": 2, "": 0}
    assert data["total"]["state_counts"] == [1, 6, 3, 2, 0]
    assert (data["total"]["late"], data["total"]["stalled"]) == (0, 1)
    assert (data["total"]["year_planned"], data["total"]["year_completed"]) == (287.4, 240.1)
    assert (data["in_plan"], data["not_in_plan"], data["matched"]) == (9, 3, 12)
    (p551,) = data["programmes"]
    assert (p551["name"], p551["target_count"], p551["target_investment"]) == ("551", 500.0, 10000.0)
    assert (p551["tracked"], p551["tracked_in_plan"], p551["tracked_not_in_plan"]) == (12, 9, 3)
    assert (p551["cumulative_completed"], p551["count_share_display"], p551["investment_share_display"]) == (
        646.5, "2.4%", "6.5%")
    assert p551["span"] == "2021—2024年"
    by_box = {r["group"]: (r["count"], r["state_counts"]) for r in data["rollups"][0]["rows"]}
    assert by_box == {"专栏3": (9, [1, 5, 2, 1, 0]), "规划未列名": (3, [0, 1, 1, 1, 0])}
    assert [g["by"] for g in data["rollups"]] == ["box", "chapter", "unit", "region"]
    rows = {p["key"]: p for p in data["projects"]}
    assert rows["box3.2"]["state_label"] == "滞后"
    assert rows["box3.2"]["reason_text"] == "2024年完成投资41.3亿元，年度计划投资70亿元，完成59.0%，低于80.0%"
    assert rows["box3.2"]["box_no"] == "专栏3 第2项"
    assert rows["box3.8"]["flags"] == ["停滞"]
    assert rows["box3.8"]["reason_text"] == ("2024年完成投资0亿元，年度计划投资10亿元，完成0.0%，低于80.0%；"
                                             "停滞：2024年计划投资10亿元，完成投资为0")
    assert [s["name"] for s in data["stalled"]] == ["水乡旅游线（嘉兴段）"] and data["late"] == []


def test_projects_filters(web):
    assert names(web.get("/api/projects?state=behind").json()) == BEHIND
    assert names(web.get("/api/projects", params={"region": "平湖市"}).json()) == [
        "沪乍杭铁路（嘉兴段）", "金山至平湖市域铁路〔又名沪平城际铁路〕"]
    assert names(web.get("/api/projects", params={"box": "规划未列名", "state": "done"}).json()) == ["示例：科创园区配套道路工程"]
    assert web.get("/api/projects", params={"unit": "市交通运输局"}).json()["matched"] == 4
    assert web.get("/api/projects", params={"chapter": CHAPTER_4}).json()["matched"] == 9
    assert web.get("/api/projects", params={"state": "unreported"}).json()["matched"] == 0
    # An earlier year: judged at its end on the reports up to it: 3 of the 9 railways reported for 2021,
    # and the sheet's own projects start later (so are not listed yet).
    y2021 = web.get("/api/projects?year=2021").json()
    assert (y2021["year"], y2021["total"]["count"], y2021["total"]["states"]["on_schedule"],
            y2021["total"]["states"][""]) == (2021, 9, 3, 6)
    bad = web.get("/api/projects?state=late")
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("筛选条件“状态”无效：late（可选：not_started（未启动）")


def test_projects_page_shows_table_and_filters(web):
    page = web.get("/projects", params={"state": "behind"})
    assert page.status_code == 200
    html = page.text
    assert "重大项目（2024年，截至2024-12-31）" in html
    assert "符合条件的项目 3 个" in html
    assert "2024年完成投资41.3亿元，年度计划投资70亿元，完成59.0%，低于80.0%" in html
    assert "金山至平湖市域铁路" not in html.split("项目清单</h2>")[1].split("</table>")[0]
    assert 'href="/projects.csv?year=2024&amp;state=behind"' in html
    assert '<option value="behind" selected>滞后</option>' in html
    assert "嘉兴市扩大有效投资“551”重大项目计划" in html


def parsed_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_project_exports_equal_the_json(web):
    params = {"region": "平湖市"}
    data = web.get("/api/projects", params=params).json()
    got = web.get("/projects.csv", params=params)
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    header, *rows = parsed_csv(got.content)
    assert header[:3] == ["编号", "项目名称", "规划内"] and header[-4:] == ["状态", "逾期节点", "停滞", "原因"]
    assert len(rows) == len(data["projects"]) == 2
    for row, p in zip(rows, data["projects"], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert (cells["编号"], cells["项目名称"], cells["所在地区"], cells["状态"], cells["原因"]) == (
            p["key"], p["name"], p["region"], p["state_label"], p["reason_text"])
        assert float(cells["年度计划投资（亿元）"]) == p["year_planned"]
        assert float(cells["年度完成投资（亿元）"]) == p["year_completed"]
        assert cells["计划开工"] == p["milestones"]["started"]["planned"]
        assert cells["实际开工"] == (p["milestones"]["started"]["actual"] or "")
    xlsx = web.get("/projects.xlsx", params=params)
    assert xlsx.content == web.get("/projects.xlsx", params=params).content  # the same bytes every time
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [["" if c is None else c for c in r] for r in sheet.iter_rows(values_only=True)]
    assert [str(v) for v in values[0]] == header
    assert [v[1] for v in values[1:]] == [p["name"] for p in data["projects"]]
    assert [v[10] for v in values[1:]] == [70.0, 0.0]  # numbers stay numbers


# ---------------------------------------------------------------- /tasks


def test_tasks_counts_filters_and_stalled(web):
    data = web.get("/api/tasks").json()
    assert data["as_of"] == "2024-12-31"
    assert data["total"]["count"] == 49 and data["total"]["state_counts"] == [1, 1, 1, 1, 45]
    assert (data["total"]["late"], data["total"]["stalled"]) == (1, 1)
    box5 = next(r for r in data["rollups"][0]["rows"] if r["group"] == "专栏5")
    assert (box5["count"], box5["state_counts"]) == (8, [0, 1, 1, 0, 6])
    (late,) = data["late"]
    assert (late["id"], late["state_label"], late["progress"], late["lead_unit"]) == (
        "box5.2", "滞后", "政策尚在征求意见", "市发展改革委")
    assert [t["id"] for t in data["stalled"]] == ["box5.2"] and data["stalled"][0]["stalled_since"] == "2023-12-31"
    assert data["stalled"][0]["flags"] == ["停滞（自2023-12-31）"]
    assert [t["id"] for t in web.get("/api/tasks?state=done").json()["tasks"]] == ["box9.1"]
    assert web.get("/api/tasks", params={"box": "专栏12"}).json()["matched"] == 10
    assert web.get("/api/tasks", params={"unit": "市科技局"}).json()["matched"] == 1
    assert web.get("/api/tasks", params={"chapter": CHAPTER_4}).json()["matched"] == 49
    assert web.get("/api/tasks", params={"state": "unreported", "box": "专栏5"}).json()["matched"] == 6
    page = web.get("/tasks", params={"box": "专栏5"}).text
    assert "符合条件的任务 8 项" in page and "政策尚在征求意见" in page
    assert "发展高水平大学和科研院所" in page and "思想精神弘扬工程" not in page


def test_task_exports_neutralise_formulas(web):
    params = {"box": "专栏12"}
    header, *rows = parsed_csv(web.get("/tasks.csv", params=params).content)
    data = web.get("/api/tasks", params=params).json()
    assert [r[0] for r in rows] == [t["id"] for t in data["tasks"]]
    first = dict(zip(header, rows[0], strict=True))
    assert first["进展情况"] == "'" + FORMULA  # a spreadsheet shows it as text, never runs it
    assert (first["状态"], first["截至"], first["牵头单位"]) == ("未启动", "2024-12-31", "市文化广电旅游局")
    book = web.get("/tasks.xlsx", params=params).content
    cell = load_workbook(io.BytesIO(book)).worksheets[0]["I2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    assert book == web.get("/tasks.xlsx", params=params).content


# ---------------------------------------------------------------- an indicator's chapter


def test_indicator_page_says_the_plan_gives_no_link(web):
    work = web.get("/api/indicators/T2-5").json()["chapter_work"]
    assert work["chapter"] == CHAPTER_3 and work["linked"] is False
    assert work["projects"] == [] and work["tasks"] == []
    assert work["note"] == (f"规划在“{CHAPTER_3}”的表2（第487行）中列出本指标（类别：科技创新），该篇章没有列出重大项目或"
                            "主要任务（另有8条正文任务候选，尚待在规划文件中确认）；规划也没有写明本指标与其他篇章的项目、"
                            "任务的对应关系，因此这里不作推断。按关键词为“科技创新”类指标提出了9个可能对应的工作章节，待确认。"
                            "全部项目和任务见项目页和任务页。")
    assert work["pending"] == 9  # confirmed on /plan/sections (tests/web/test_work_sections.py)
    html = web.get("/indicators/T2-5").text
    assert "所在篇章的重大项目和主要任务" in html and "因此这里不作推断" in html
    assert 'href="/projects?year=2024"' in html


def test_indicator_in_a_chapter_with_work_lists_it(_jiaxing_template, tmp_path):
    """A plan printing an indicator inside the chapter of its tasks and projects: they are listed."""
    path = tmp_path / "moved.db"
    shutil.copyfile(_jiaxing_template, path)
    store = open_store(f"sqlite:///{path}")
    load_demo_projects(store)
    store.record_task_progress(None, UPDATES)
    plan = store.plan()
    next(i for i in plan.indicators if i.id == "T2-5").line = 893  # inside 专栏5, chapter 四
    store.load_plan(plan, note="indicator printed in chapter 四")
    store.change_settings({"public": True})
    web = TestClient(create_app(WebSettings(db=store.url), store=store))
    work = web.get("/api/indicators/T2-5").json()["chapter_work"]
    assert work["chapter"] == CHAPTER_4 and work["linked"] is True
    assert len(work["projects"]) == 9 and len(work["tasks"]) == 49
    assert work["projects"][1]["reason_text"] == "2024年完成投资41.3亿元，年度计划投资70亿元，完成59.0%，低于80.0%"
    assert work["note"] == f"规划在“{CHAPTER_4}”的表2（第893行）中列出本指标；该篇章列有重大项目9个、主要任务49项（项目按2024年判断）。"
    assert work["projects_url"] == "/projects?year=2024&chapter=" + "%E5%9B%9B%E3%80%81" + work["projects_url"].split(
        "%E5%9B%9B%E3%80%81", 1)[1]
    assert web.get(work["projects_url"].replace("/projects", "/api/projects")).json()["matched"] == 9
    assert web.get(work["tasks_url"].replace("/tasks", "/api/tasks")).json()["matched"] == 49
    html = web.get("/indicators/T2-5").text
    assert "重大项目（9个）" in html and "主要任务（49项）" in html and "政策尚在征求意见" in html
    store.dispose()


# ---------------------------------------------------------------- access and caching


def test_pages_need_view_when_not_public(jiaxing_store):
    jiaxing_store.change_settings({"public": False})
    web = TestClient(create_app(WebSettings(db=jiaxing_store.url), store=jiaxing_store))
    for url in ("/api/projects", "/api/tasks"):
        assert web.get(url).status_code == 401
    page = web.get("/projects", follow_redirects=False)
    assert page.status_code in (302, 303, 307) and "/login" in page.headers["location"]
    assert web.get("/tasks.csv", follow_redirects=False).status_code in (302, 303, 307, 401)


def test_roll_up_judged_once_per_data_version(jiaxing_store, monkeypatch):
    import planwatch.web.projects as module

    calls = []
    real = module.projects_overview

    def counted(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "projects_overview", counted)
    jiaxing_store.change_settings({"public": True})
    web = TestClient(create_app(WebSettings(db=jiaxing_store.url, cache_seconds=0), store=jiaxing_store))
    empty = web.get("/api/projects").json()
    assert empty["total"]["states"][""] == 9 and empty["programmes"][0]["tracked"] == 0
    for url in ("/api/projects", "/projects", "/projects.csv", "/projects?state=behind", "/api/indicators/T2-1?year=2021"):
        assert web.get(url).status_code == 200
    # one judgement (of 2021: no report yet, the plan's first year) for the page, its filters, its export
    # and the indicator page of that year
    assert calls == [2021]
    load_demo_projects(jiaxing_store)  # a new data version: judged again, once
    assert web.get("/api/projects").json()["total"]["states"]["behind"] == 3
    assert web.get("/api/projects?state=behind").json()["matched"] == 3
    assert calls == [2021, 2024]
