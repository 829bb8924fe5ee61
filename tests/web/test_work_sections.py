"""Indicator categories and work sections in the browser (web/work_sections.py) over the real Jiaxing store:
the planner's page and its JSON twin, confirm and reject through the form (CSRF) and the API, and the
indicator page listing the tasks and projects of the headings confirmed for its category."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from .people import add_people, app_client, log_in

ECO = quote("生态环境")
ERROR = re.compile(r'class="form-error" role="alert">([^<]*)<')


@pytest.fixture
def jx(jiaxing_store):
    """A planner and a reader logged in over a fresh copy of the real Jiaxing store."""
    add_people(jiaxing_store, "planner1", "reader")
    planner, reader = app_client(jiaxing_store), app_client(jiaxing_store)
    return planner, log_in(planner, "planner1"), reader, log_in(reader, "reader"), jiaxing_store


def test_the_indicator_page_says_the_proposals_wait_for_a_decision(jx):
    planner, _, reader, _, _ = jx
    work = planner.get("/api/indicators/T2-20").json()["chapter_work"]  # 森林覆盖率, 生态环境
    assert (work["linked"], work["pending"], work["sections_url"]) == (False, 6, f"/plan/sections#cat-{ECO}")
    assert work["note"].endswith("因此这里不作推断。按关键词为“生态环境”类指标提出了6个可能对应的工作章节，待确认。"
                                 "全部项目和任务见项目页和任务页。")
    assert f'<a href="/plan/sections#cat-{ECO}">去确认</a>' in planner.get("/indicators/T2-20").text
    assert "去确认" not in reader.get("/indicators/T2-20").text  # the page is the planners'


def test_the_planners_page_confirms_and_the_indicator_page_lists_the_sections_work(jx):
    planner, token, reader, reader_token, store = jx
    page = planner.get("/plan/sections")
    assert page.status_code == 200 and "生态环境：已确认 0 个章节，待确认 6 个" in page.text
    eco = page.text[page.text.index('data-category="生态环境"'):]
    eco = eco[:eco.index("</table>")]
    assert re.findall(r'data-section="([^"]+)"', eco) == ["4.1.1", "4.4", "4.4.2", "4.4.3", "4.4.4", "4.8.1"]
    assert reader.get("/plan/sections").status_code == 403
    assert reader.post("/plan/sections", data={"csrf_token": reader_token, "category": "生态环境", "section": "4.4",
                                                "verdict": "confirmed"}).status_code == 403
    form = {"category": "生态环境", "section": "4.4", "verdict": "confirmed"}
    assert planner.post("/plan/sections", data=form).status_code == 403  # no CSRF token

    done = planner.post("/plan/sections", data={**form, "csrf_token": token}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (
        303, f"/plan/sections?done={ECO}%204.4#cat-{ECO}")
    again = planner.get(done.headers["location"])
    assert "已记录：生态环境 4.4。" in again.text and "生态环境：已确认 1 个章节，待确认 5 个" in again.text
    bad = planner.post("/plan/sections", data={**form, "section": "4.9", "csrf_token": token})
    assert bad.status_code == 400
    assert ERROR.findall(bad.text) == ["章节编号“4.9”不是本规划的篇章、节、条目或专栏：应为规划目录中的编号，如 4.1"
                                       "（见 planwatch sections 或规划文本页）"]

    # 专栏10 “无废城市”建设 (line 1062) and 专栏11 绿色发展重大改革和政策 (line 1095) sit under （四）
    work = planner.get("/api/indicators/T2-20").json()["chapter_work"]
    assert (work["linked"], [s["id"] for s in work["sections"]], work["projects"]) == (True, ["4.4"], [])
    assert [t["id"] for t in work["tasks"]] == ["box10.1", "box10.2", "box10.3", "box11.1", "box11.2", "box11.3"]
    assert work["note"] == ("规划在“三、乘势而上开启全面建设社会主义现代化先行市新征程”的表2（第617行）中列出本指标（类别：生态环境）；"
                            "经人工确认，该类别对应（四）坚定不移走生态优先绿色发展之路，建设美丽嘉兴，列有重大项目0个、主要任务6项"
                            "（项目按2024年判断）。")
    shown = reader.get("/indicators/T2-14").text  # another indicator of the category
    assert "（四）坚定不移走生态优先绿色发展之路，建设美丽嘉兴：主要任务（6项）" in shown and "强化绿色发展的政策保障。" in shown
    entry = store.audit_entries(action="category_section.confirmed")[0]
    assert (entry.actor, entry.after) == ("planner1", {"verdict": "confirmed"})


def test_the_api_links_a_heading_by_hand_and_rejects(jx):
    planner, token, _, _, _ = jx
    headers = {"X-CSRF-Token": token}
    # the railways of 专栏3 sit under 4.1.2, which the rule proposes for no category
    made = planner.post("/api/plan/sections", json={"category": "经济发展", "section_id": "4.1.2", "verdict": "confirmed"},
                        headers=headers)
    assert made.status_code == 200
    assert {k: made.json()[k] for k in ("category", "section_id", "verdict", "verdict_label", "actor")} == {
        "category": "经济发展", "section_id": "4.1.2", "verdict": "confirmed", "verdict_label": "已确认", "actor": "planner1"}
    work = planner.get("/api/indicators/T2-1").json()["chapter_work"]
    assert [p["key"] for p in work["projects"]] == [f"box3.{n}" for n in range(1, 10)] and work["tasks"] == []

    refused = planner.post("/api/plan/sections", json={"category": "经济发展", "section_id": "4.8.2", "verdict": "maybe"},
                           headers=headers)
    assert refused.status_code == 400 and refused.json()["error"] == "决定“maybe”无效：应为 confirmed（已确认） 或 rejected（已否定）"
    planner.post("/api/plan/sections", json={"category": "经济发展", "section_id": "4.8.2", "verdict": "rejected"},
                 headers=headers)
    listed = planner.get("/api/plan/sections").json()
    economy = listed["categories"][0]
    assert (economy["category"], economy["confirmed"], economy["pending"]) == ("经济发展", ["4.1.2"], 3)
    assert [(s["id"], s["verdict"]) for s in economy["sections"]] == [
        ("4.1.2", "confirmed"), ("4.2.3", None), ("4.7", None), ("4.8.2", "rejected"), ("4.8.3", None)]
