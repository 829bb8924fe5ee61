"""The plan in the browser (web/plans.py): the outline tree of the real Jiaxing plan, regions side by side,
upload → review flags → publish as version 2, and target adjustment shown original beside adjusted."""

from __future__ import annotations

import re

import pytest

from planwatch.samples import JIAXING_OUTLINE

from .people import add_people, app_client, log_in

OUTLINE_NAME = JIAXING_OUTLINE.name  # jiaxing-14th-fyp-outline.txt
ERROR = re.compile(r'class="form-error" role="alert">([^<]*)<')


def upload(client, token, name=OUTLINE_NAME, data=None, **kw):
    body = JIAXING_OUTLINE.read_bytes() if data is None else data
    return client.post("/plan/upload", files={"file": (name, body, "text/plain")}, data={"csrf_token": token},
                       follow_redirects=False, **kw)


@pytest.fixture(autouse=True)
def drafts_in_tmp_path(tmp_path, monkeypatch):
    """Drafts (and ingest's scratch copies) go to the system's temporary folder: here, this test's own."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture
def jx_planner(jiaxing_store):
    """A planner logged in over a fresh copy of the real Jiaxing store (plan version 1)."""
    add_people(jiaxing_store, "planner1")
    client = app_client(jiaxing_store)
    return client, log_in(client, "planner1"), jiaxing_store


# ---------------------------------------------------------------- /plan


def test_outline_of_the_real_plan_in_public_mode(real_store, jiaxing_plan):
    client = app_client(real_store)  # anonymous: public mode holds `view`
    data = client.get("/api/plan/outline").json()
    # The prose reader is still being tuned: its counts are taken from the plan as ingested today.
    prose, flags = len(jiaxing_plan.targets), len(jiaxing_plan.flags)
    assert data["counts"] == {"outline_nodes": 68, "indicators": 38, "previous_indicators": 34, "prose_targets": prose,
                              "prose_targets_linked": 10, "tasks": 109, "open_flags": flags, "adjustments": 0}
    assert data["version"] == 1
    assert [n["id"] for n in data["outline"]] == ["1", "2", "3", "4", "5"]
    chapter3 = data["outline"][2]
    goals = next(n for n in chapter3["children"] if n["id"] == "3.3")
    table2 = goals["children"][0]
    assert (table2["id"], table2["kind_label"], len(table2["indicators"])) == ("table2", "表格", 38)
    assert len(goals["targets"]) >= 11 and goals["target_count"] == 38 + len(goals["targets"])
    assert sum(root["target_count"] for root in data["outline"]) == 38 + prose  # every target sits in the tree once
    gdp = table2["indicators"][0]
    assert (gdp["id"], gdp["target_display"], gdp["target_year"], gdp["url"]) == ("T2-1", "9000亿元", 2025,
                                                                                   "/indicators/T2-1")
    first = data["prose_targets"][0]
    assert (first["quote"], first["indicator"], first["line"]) == ("地区生产总值达到9000亿元以上", "T2-1", 419)

    page = client.get("/plan")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/indicators/T2-1"><mark>1. 地区生产总值：9000亿元（2025年）</mark></a>' in html
    assert '<a href="/indicators/T2-1"><mark>地区生产总值达到9000亿元以上</mark></a>' in html
    assert 'id="node-box13"' in html and "任务 9 项" in html  # 专栏13 holds 9 tasks, folded
    # the tree (indicators + prose targets), the prose-target table, and the word 高亮 in the lead
    assert html.count("<mark") == 38 + prose + prose + 1
    assert "上传规划文件" not in html  # anonymous: no planner links


# ---------------------------------------------------------------- /plan/regions


def test_regions_side_by_side_use_the_dashboard_judgement(client):
    data = client.get("/api/plan/regions?indicator=T2-1&year=2024").json()
    assert data["regions"] == ["嘉兴市", "南湖区"]
    assert data["indicator"]["id"] == "T2-1" and len(data["rows"]) == 1
    city, county = data["rows"][0]["cells"]
    assert (city["region"], city["actual_display"], city["data_year"]) == ("嘉兴市", "7569.5", 2024)
    assert (county["region"], county["actual_display"]) == ("南湖区", ">900")
    for cell in (city, county):  # the same status as the dashboard gives that region
        findings = client.get(f"/api/findings?year=2024&region={cell['region']}").json()["findings"]
        shown = next(f for f in findings if f["indicator_id"] == "T2-1" and f["kind"] == "level")
        assert (cell["status"], cell["status_text"]) == (shown["status"], shown["status_text"])
    every = client.get("/api/plan/regions?year=2024").json()
    assert [r["id"] for r in every["rows"]] == ["T2-1", "T2-2", "T2-3", "T2-5"]
    page = client.get("/plan/regions?indicator=T2-1&year=2024")
    assert page.status_code == 200 and "南湖区" in page.text and "&gt;900" in page.text
    missing = client.get("/api/plan/regions?indicator=T9-9")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


# ---------------------------------------------------------------- upload → review → publish


def test_upload_resolve_a_flag_and_publish_version_2(jx_planner, jiaxing_plan):
    client, token, store = jx_planner
    flags = len(jiaxing_plan.flags)
    n = next(i for i, f in enumerate(jiaxing_plan.flags) if f.item == "T2-14")  # 单位地区生产总值能源消耗降低
    answer = upload(client, token)
    assert answer.status_code == 303
    draft_url = answer.headers["location"]
    draft_id = draft_url.rsplit("/", 1)[1]
    draft = client.get(f"/api/plan/drafts/{draft_id}").json()
    assert draft["counts"]["indicators"] == 38 and draft["counts"]["flags"] == flags
    assert draft["stored_version"] == 1 and draft["changes"] == []
    assert draft["plan"]["source_file"] == OUTLINE_NAME  # never the server's temporary folder
    flag = draft["flags"][n]
    assert (flag["code"], flag["item"], flag["resolved"]) == ("assigned_pending", "T2-14", False)
    assert flag["subject"]["display"] == "省下达指标"

    bad = client.post(f"/plan/drafts/{draft_id}/flags/{n}", data={"csrf_token": token, "action": "correct",
                                                                "value": "十四点五"})
    assert bad.status_code == 400 and ERROR.findall(bad.text) == ["目标值“十四点五”不是数字：应为普通数字，如 9000 或 3.75"]
    done = client.post(f"/plan/drafts/{draft_id}/flags/{n}", data={"csrf_token": token, "action": "correct",
                                                                 "value": "14.5", "comparator": "at_least"},
                       follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"{draft_url}#flag-{n}")
    confirmed = client.post(f"/api/plan/drafts/{draft_id}/flags/0", json={"action": "confirm"},
                            headers={"X-CSRF-Token": token})
    assert confirmed.json()["open_flags"] == flags - 2
    draft = client.get(f"/api/plan/drafts/{draft_id}").json()
    assert draft["flags"][n]["resolved"] and draft["flags"][n]["subject"]["display"] == "[14.5]"
    assert draft["changes"] == [{"indicator": "T2-14", "name": "单位地区生产总值能源消耗降低", "url": "/indicators/T2-14",
                                 "old_display": "省下达指标", "new_display": "14.5%以上"}]

    refused = client.post(f"/plan/drafts/{draft_id}/publish", data={"csrf_token": token})
    assert refused.status_code == 400
    assert ERROR.findall(refused.text) == [f"还有 {flags - 2} 项待确认事项未处理：请逐项确认或更正，或勾选“仍有未确认事项，仍然发布”"]
    assert store.plans()[0].latest_version == 1  # nothing written

    published = client.post(f"/plan/drafts/{draft_id}/publish", data={"csrf_token": token, "accept_open": "1"},
                            follow_redirects=False)
    assert (published.status_code, published.headers["location"]) == (303, "/plan?published=2")
    summary = store.plans()[0]
    assert (summary.versions, summary.latest_version) == (2, 2)
    target = store.plan().indicator("T2-14").target
    assert (target.value, target.text, target.kind) == (14.5, "[14.5]", "assigned")
    assert store.plan().flags[n].resolved and not store.plan().flags[n + 1].resolved
    entry = store.audit_entries(action="plan.load")[0]
    assert (entry.actor, entry.subject) == ("planner1", summary.key)
    assert entry.after == {"version": 2, "source": OUTLINE_NAME, "open_flags": flags - 2, "adjustments": 1,
                           "note": f"网页上传（planner1）：{OUTLINE_NAME}"}
    assert "已发布为规划第 2 版" in client.get("/plan?published=2").text
    assert client.get(draft_url).status_code == 404  # the draft is gone once published


def test_drafts_belong_to_their_session_and_refuse_bad_files(jx_planner):
    client, token, store = jx_planner
    draft_url = upload(client, token).headers["location"]
    other = app_client(store)
    other_token = log_in(other, "planner1")  # the same account in another browser
    assert other.get(draft_url).status_code == 404
    assert other.post(f"{draft_url}/publish", data={"csrf_token": other_token, "accept_open": "1"}).status_code == 404

    wrong = upload(client, token, name="plan.exe", data=b"MZ\x90\x00")
    assert wrong.status_code == 400
    message = ERROR.findall(wrong.text)[0]
    assert message.startswith("plan.exe: 不支持的规划文件格式 .exe（文件 plan.exe）；支持的格式：.txt（纯文本）")
    assert "planwatch-upload" not in wrong.text and "/tmp" not in wrong.text
    empty = upload(client, token, name="empty.txt", data=b"   \n")
    assert empty.status_code == 400 and ERROR.findall(empty.text) == ["empty.txt: 文件为空，没有可读取的规划内容"]
    huge = client.post("/api/plan/drafts", files={"file": ("big.txt", b"x" * (10 * 1024 * 1024 + 1), "text/plain")},
                       headers={"X-CSRF-Token": token})
    assert huge.status_code == 400 and huge.json()["error"].startswith("big.txt: 规划文件过大（10.0 MB）")
    no_csrf = upload(client, "")
    assert no_csrf.status_code == 403
    assert store.plans()[0].versions == 1


def test_publishing_another_plan_beside_the_shown_one_serves_it_under_its_key(jx_planner):
    client, token, store = jx_planner
    text = JIAXING_OUTLINE.read_text(encoding="utf-8").replace("嘉兴市国民经济和社会发展第十四个五年规划",
                                                               "平湖市国民经济和社会发展第十四个五年规划", 1)
    answer = client.post("/api/plan/drafts", files={"file": ("pinghu.txt", text.encode(), "text/plain")},
                         headers={"X-CSRF-Token": token})
    assert answer.status_code == 201
    draft = answer.json()
    assert draft["plan"]["title"].startswith("平湖市") and draft["plan_key"] != store.plans()[0].key
    published = client.post(f"/api/plan/drafts/{draft['draft']['id']}/publish", json={"accept_open": True},
                            headers={"X-CSRF-Token": token})
    assert published.status_code == 201 and published.json()["key"] == draft["plan_key"]
    assert [p.key for p in store.plans()][1] == draft["plan_key"]
    # each plan under its own /p/{key}/ (web/plan_choice.py); the root no longer names one
    mine = client.get(f"/p/{draft['plan_key']}/api/plan").json()["meta"]
    assert (mine["title"], mine["region"]) == ("平湖市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "平湖市")
    assert client.get("/api/plan").json()["code"] == "plan_required"


# ---------------------------------------------------------------- target adjustment


def test_adjustment_keeps_the_original_beside_the_adjusted_target(web_store):
    add_people(web_store, "planner1")
    client = app_client(web_store)
    token = log_in(client, "planner1")
    form = {"csrf_token": token, "indicator": "T2-1", "new_value": "9500", "comparator": "at_least",
            "reason": "受外部环境影响，经中期评估调整", "document": "嘉政发〔2023〕12号", "date": "2023-06-30"}
    missing = client.post("/plan/adjust", data={**form, "reason": "  "})
    assert missing.status_code == 400 and ERROR.findall(missing.text) == ["调整原因必填：请说明为什么调整目标"]
    same = client.post("/plan/adjust", data={**form, "new_value": "9000", "comparator": ""})
    assert same.status_code == 400
    assert ERROR.findall(same.text) == ["指标 T2-1 地区生产总值 的目标已是 9000亿元以上，未作调整"]
    assert web_store.adjustments() == []

    done = client.post("/plan/adjust", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/plan/adjust?done=T2-1")
    page = client.get("/indicators/T2-1").text
    assert "<del>9000亿元</del>" in page and "<ins>9500亿元以上</ins>" in page
    assert "受外部环境影响，经中期评估调整" in page and "嘉政发〔2023〕12号" in page and "2023-06-30" in page
    shown = client.get("/api/plan/outline").json()["adjustments"]
    assert [(a["indicator"], a["old_value"], a["new_value"], a["old_display"], a["new_display"], a["reason"],
             a["document"], a["date"], a["version"]) for a in shown] == [
        ("T2-1", 9000.0, 9500.0, "9000亿元", "9500亿元以上", "受外部环境影响，经中期评估调整", "嘉政发〔2023〕12号",
         "2023-06-30", 2)]
    assert "<del>9000亿元</del>" in client.get("/plan").text
    entry = web_store.audit_entries(action="target.adjust")[0]
    assert entry.actor == "planner1" and entry.after["value"] == 9500.0

    made = client.post("/api/adjustments", json={"indicator": "T2-3", "new_value": 76, "reason": "人口普查口径变化"},
                       headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    body = made.json()
    assert (body["old_display"], body["new_display"], body["version"]) == ("75%左右", "76%左右", 3)
    again = client.post("/api/adjustments", json={"indicator": "T2-9", "new_value": 1, "reason": "x"},
                        headers={"X-CSRF-Token": token})
    assert again.status_code == 400 and again.json()["error"].startswith("指标“T2-9”不是本规划的现行指标")
    twice = client.get("/api/adjustments?indicator=T2-1").json()["adjustments"]
    assert len(twice) == 1


# ---------------------------------------------------------------- who may


def test_who_may_see_and_change_the_plan(web_store):
    add_people(web_store, "reader")
    anonymous = app_client(web_store)  # public mode: the plan text is public, review is not
    assert anonymous.get("/plan").status_code == 200
    assert anonymous.get("/plan/upload", follow_redirects=False).headers["location"] == "/login?next=%2Fplan%2Fupload"
    assert anonymous.post("/api/adjustments", json={"indicator": "T2-1", "new_value": 1, "reason": "x"}).status_code == 401
    reader = app_client(web_store)
    token = log_in(reader, "reader")
    assert reader.get("/plan/regions").status_code == 200
    refused = reader.get("/plan/adjust")
    assert refused.status_code == 403 and "内部只读账号（reader）不能管理规划、调整目标、分工" in refused.text
    posted = reader.post("/api/adjustments", json={"indicator": "T2-1", "new_value": 1, "reason": "x"},
                         headers={"X-CSRF-Token": token})
    assert posted.status_code == 403
    web_store.change_settings({"public": False})
    private = app_client(web_store)
    assert private.get("/plan", follow_redirects=False).status_code == 303
    assert private.get("/api/plan/outline").status_code == 401


def test_plan_routes_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [("/api/plan/outline", "get"), ("/api/plan/regions", "get"), ("/api/adjustments", "get"),
                         ("/api/adjustments", "post"), ("/api/plan/drafts", "post"),
                         ("/api/plan/drafts/{draft_id}", "get"), ("/api/plan/drafts/{draft_id}/flags/{index}", "post"),
                         ("/api/plan/drafts/{draft_id}/publish", "post")]:
        assert method in paths[path], path
    assert "multipart/form-data" in paths["/api/plan/drafts"]["post"]["requestBody"]["content"]
    assert not any(p.startswith("/plan") for p in paths)
