"""The data round in the browser and the API, end to end on the sample store: a planner opens a round,
two units see exactly their figures, enter, are refused inline, confirm a doubtful value, submit,
upload a sheet; the planner returns one and approves another; the public findings change only
after approval; a stale decision gets 409; the board counts exactly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from planwatch.model import SubmissionState
from planwatch.observe.round_sheet import HEADERS
from planwatch.web import WebSettings, create_app

from .conftest import fill_store
from .people import PASSWORD, csrf_of, log_in

GDP_SOURCE = "2025年嘉兴市国民经济和社会发展统计公报"


@pytest.fixture
def cycle(empty_store):
    """The sample plan (not public), a planner and two reporters with T2-1, T2-3 → 统计局 and T2-5 → 科技局."""
    store = fill_store(empty_store, public=False)
    store.add_user("planner1", role="planner", password=PASSWORD)
    store.add_user("tj", role="reporter", unit="统计局", password=PASSWORD)
    store.add_user("kj", role="reporter", unit="科技局", password=PASSWORD)
    store.assign("T2-1", "统计局")
    store.assign("T2-3", "统计局")
    store.assign("T2-5", "科技局")
    # One app for every person (building one costs more than all requests of a test); each client its own cookies.
    apps[store.url] = create_app(WebSettings(db=store.url, cache_seconds=0), store=store)
    yield store
    del apps[store.url]


apps: dict[str, Any] = {}


def app_client(store) -> TestClient:
    return TestClient(apps[store.url], base_url="http://testserver")


def client_of(store, name):
    client = app_client(store)
    token = log_in(client, name)
    return client, token


def row_form(token, action, rows):
    """The to-do form as the page posts it: ``rows`` maps the row number to its fields."""
    data = {"csrf_token": token, "rows": "2", "action": action}
    for n, fields in rows.items():
        data.update({f"{k}-{n}": v for k, v in fields.items()})
    return data


GDP_ROW = {"indicator": "T2-1", "region": "嘉兴市", "unit": "亿元", "source": GDP_SOURCE, "note": "", "version": "0"}
URBAN_ROW = {"indicator": "T2-3", "region": "嘉兴市", "unit": "%", "source": "", "note": "", "version": "0"}


def finding(client, indicator):
    data = client.get("/api/findings", params={"year": 2025}).json()
    return next((f["actual"], f["actual_year"]) for f in data["findings"] if f["indicator_id"] == indicator)


def test_the_whole_round(cycle):
    store = cycle
    planner, ptoken = client_of(store, "planner1")
    tj, ttoken = client_of(store, "tj")

    # The planner opens a round from the form: the plan's region is offered, checked, with its county.
    page = planner.get("/rounds")
    assert page.status_code == 200
    assert re.search(r'name="regions" value="嘉兴市" checked', page.text)
    assert re.search(r'name="regions" value="南湖区">', page.text)
    opened = planner.post("/rounds", data={"csrf_token": ptoken, "year": "2025", "title": "", "due": "2026-03-31",
                                           "regions": ["嘉兴市"]}, follow_redirects=False)
    assert opened.status_code == 303
    (rnd,) = store.rounds()
    assert opened.headers["location"] == f"/rounds/{rnd.id}/board"
    assert (rnd.title, rnd.year, rnd.due, rnd.regions) == ("2025年度监测数据填报", 2025, "2026-03-31", ["嘉兴市"])
    again = planner.post("/rounds", data={"csrf_token": ptoken, "year": "2025", "regions": ["嘉兴市"]})
    assert again.status_code == 400 and "已有名为“2025年度监测数据填报”的填报轮次" in again.text
    assert tj.post("/rounds", data={"csrf_token": ttoken, "year": "2024"}).status_code == 403

    # The reporter sees exactly its unit's figures, with last year's value, the target and the path value.
    todo = tj.get(f"/api/rounds/{rnd.id}/todo").json()
    assert [(r["indicator"], r["region"]) for r in todo["rows"]] == [("T2-1", "嘉兴市"), ("T2-3", "嘉兴市")]
    gdp, urban = todo["rows"]
    assert (gdp["last_year"]["value"], gdp["last_year"]["display"]) == (7569.5, "7569.5")
    assert urban["last_year"]["value"] is None
    assert (gdp["target"]["display"], urban["target"]["display"]) == ("9000（2025年）", "75左右（2025年）")
    assert (gdp["planned_display"], urban["planned_display"]) == ("9000", "75")
    assert (gdp["state_label"], gdp["input"]["unit"], gdp["input"]["version"]) == ("待填报", "亿元", 0)
    assert todo["unit"] == "统计局"
    html = tj.get(f"/rounds/{rnd.id}").text
    assert "地区生产总值" in html and "常住人口城镇化率" in html and "研发经费" not in html

    # A draft; the empty second row is skipped.
    saved = tj.post(f"/rounds/{rnd.id}/figures", data=row_form(ttoken, "save", {1: {**GDP_ROW, "value": "7900"},
                                                                                 2: {**URBAN_ROW, "value": ""}}))
    assert saved.status_code == 200 and "已保存为草稿 1 项数据" in saved.text
    (draft,) = store.submissions(rnd.id)
    assert (draft.indicator, draft.state, draft.value, draft.version) == ("T2-1", SubmissionState.draft, 7900.0, 1)

    # A unit mistake is refused inline, next to its row; nothing is stored.
    wrong = tj.post(f"/rounds/{rnd.id}/figures", data=row_form(ttoken, "submit", {
        1: {**GDP_ROW, "value": "7569", "unit": "万人", "version": "1"}, 2: {**URBAN_ROW, "value": "73.1"}}))
    assert wrong.status_code == 422
    assert "有 1 处问题，未保存任何数据" in wrong.text
    assert "✗ 单位“万人”：单位无法换算：万人 不能换算为指标单位 亿元" in wrong.text
    assert 'value="7569"' in wrong.text  # what was typed is kept
    assert [(s.indicator, s.state, s.value, s.version) for s in store.submissions(rnd.id)] == [
        ("T2-1", SubmissionState.draft, 7900.0, 1)]

    # A change of more than 30 % against last year needs 确认 and a note before it can be submitted.
    doubtful = tj.post(f"/rounds/{rnd.id}/figures", data=row_form(ttoken, "submit", {
        1: {**GDP_ROW, "value": "12000", "version": "1"}, 2: {**URBAN_ROW, "value": "73.1"}}))
    assert doubtful.status_code == 422
    assert "？需确认：数值“12000”：与上年（2024年 7569.5）相比变化 59%，超过 30%" in doubtful.text
    assert len(store.submissions(rnd.id)) == 1
    sent = tj.post(f"/rounds/{rnd.id}/figures", data=row_form(ttoken, "submit", {
        1: {**GDP_ROW, "value": "12000", "version": "1", "confirm": "1", "note": "含新并入地区"},
        2: {**URBAN_ROW, "value": "73.1"}}))
    assert sent.status_code == 200 and "已报送 2 项数据" in sent.text
    gdp_sub, urban_sub = store.submissions(rnd.id)
    assert [(s.indicator, s.state, s.value, s.version) for s in (gdp_sub, urban_sub)] == [
        ("T2-1", SubmissionState.submitted, 12000.0, 2), ("T2-3", SubmissionState.submitted, 73.1, 1)]

    # Submitted values do not count yet in the public findings.
    store.change_settings({"public": True})
    public = app_client(store)
    assert finding(public, "T2-3") == (72.4, 2022)

    # The planner sees the review forms on a submitted figure's page ...
    page = planner.get(f"/submissions/{urban_sub.id}").text
    assert f'action="/submissions/{urban_sub.id}/approve"' in page and f'action="/submissions/{urban_sub.id}/return"' in page
    assert '<h2 id="decide-h">审核</h2>' in page and '<textarea id="comment" name="comment"' in page
    assert f'name="version" value="{urban_sub.version}"' in page
    # ... and returns one with a comment and approves the other.
    back = planner.post(f"/submissions/{gdp_sub.id}/return", data={"csrf_token": ptoken, "version": "2",
                                                                   "comment": "请核实是否含新并入地区"},
                        follow_redirects=False)
    assert back.status_code == 303
    ok = planner.post(f"/submissions/{urban_sub.id}/approve", data={"csrf_token": ptoken, "version": "1"},
                      follow_redirects=False)
    assert ok.status_code == 303
    assert finding(public, "T2-3") == (73.1, 2025)
    assert finding(public, "T2-1") == (7569.5, 2024)  # the returned figure does not count

    # A second decision on the version the planner saw is refused with who changed it.
    stale = planner.post(f"/submissions/{urban_sub.id}/return", data={"csrf_token": ptoken, "version": "1",
                                                                      "comment": "数值有误"})
    assert stale.status_code == 409
    assert re.search(r"已被 planner1 于 .+ 改为“已通过”（第 2 版，你看到的是第 1 版）", stale.text)
    api_stale = planner.post(f"/api/submissions/{urban_sub.id}/approve", json={"version": 1},
                             headers={"X-CSRF-Token": ptoken})
    assert (api_stale.status_code, api_stale.json()["code"]) == (409, "conflict")

    # The reporter sees the comment beside its row, and the history of the figure.
    todo = tj.get(f"/api/rounds/{rnd.id}/todo").json()
    assert [(r["state_label"], (r["submission"] or {}).get("comment")) for r in todo["rows"]] == [
        ("已退回", "请核实是否含新并入地区"), ("已通过", None)]
    history = tj.get(f"/api/submissions/{gdp_sub.id}").json()
    assert [(e["action_label"], e["state_label"], e["value"]) for e in history["events"]] == [
        ("保存草稿", "草稿", 7900.0), ("报送", "已报送", 12000.0), ("退回", "已退回", 12000.0)]
    assert history["events"][2]["comment"] == "请核实是否含新并入地区"

    # The pre-filled sheet: downloaded, a bad row refused by its row number, then a good sheet stored.
    first = tj.get(f"/rounds/{rnd.id}/sheet.xlsx")
    assert first.status_code == 200
    assert first.content == tj.get(f"/rounds/{rnd.id}/sheet.xlsx").content  # byte-stable
    with zipfile.ZipFile(io.BytesIO(first.content)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    book = load_workbook(io.BytesIO(first.content))
    ws = book.active
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws.freeze_panes == "A2"
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["T2-1", "1", "地区生产总值", "嘉兴市", 2025, "亿元", "7569.5", "9000（2025年）", "12000", GDP_SOURCE,
         "含新并入地区", None],
        ["T2-3", "3", "常住人口城镇化率", "嘉兴市", 2025, "%", None, "75左右（2025年）", "73.1", None, None, None]]
    assert ws["I2"].protection.locked is False and ws["C2"].protection.locked is True

    def upload(sheet_book, action):
        out = io.BytesIO()
        sheet_book.save(out)
        return tj.post(f"/rounds/{rnd.id}/sheet", data={"csrf_token": ttoken, "action": action},
                       files={"file": ("填报表.xlsx", out.getvalue(), "application/octet-stream")})

    ws["I2"] = "七千九百"
    bad = upload(book, "submit")
    assert bad.status_code == 422
    assert "上传的表格有 1 处问题，未保存任何数据" in bad.text
    assert "第 2 行（T2-1 嘉兴市）数值“七千九百”" in bad.text
    assert store.submission(gdp_sub.id).version == 3
    ws["I2"] = 7900
    ws["K2"] = "已核实，不含新并入地区"
    good = upload(book, "submit")
    assert good.status_code == 200 and "已从上传的表格报送 1 项数据" in good.text
    assert [(s.indicator, s.state, s.value, s.version) for s in store.submissions(rnd.id)] == [
        ("T2-1", SubmissionState.submitted, 7900.0, 4), ("T2-3", SubmissionState.approved, 73.1, 2)]

    # Another unit: its own figure through the API; another unit's refused, naming its unit, no data shown.
    kj, ktoken = client_of(store, "kj")
    theirs = kj.get(f"/api/submissions/{gdp_sub.id}")
    assert theirs.status_code == 403
    assert "科技局" in theirs.json()["error"] and "7900" not in theirs.text and "统计局" not in theirs.text
    assert kj.get(f"/submissions/{gdp_sub.id}").status_code == 403
    refused = kj.post("/api/submissions", json={"indicator": "T2-1", "region": "嘉兴市", "year": 2025, "value": 8000,
                                                "unit": "亿元", "source": "x", "note": ""},
                      headers={"X-CSRF-Token": ktoken})
    assert refused.status_code == 403 and "科技局不是指标 1 地区生产总值 的牵头单位" in refused.json()["error"]
    posted = kj.post("/api/submissions", json={"indicator": "T2-5", "region": "嘉兴市", "year": 2025, "value": 3.7,
                                               "unit": "%", "source": "市科技局", "note": ""},
                     headers={"X-CSRF-Token": ktoken})
    assert posted.status_code == 201
    assert (posted.json()["state"], posted.json()["state_label"], posted.json()["version"]) == ("submitted", "已报送", 1)
    bad_value = kj.post("/api/submissions", json={"indicator": "T2-5", "year": 2025, "value": "很多", "unit": "%"},
                        headers={"X-CSRF-Token": ktoken})
    assert bad_value.status_code == 422 and bad_value.json()["problems"][0]["field"] == "value"
    no_round = kj.post("/api/submissions", json={"indicator": "T2-5", "year": 2023, "value": 3.5, "unit": "%"},
                       headers={"X-CSRF-Token": ktoken})
    assert no_round.status_code == 404 and "2023年没有正在填报的轮次" in no_round.json()["error"]
    no_csrf = kj.post("/api/submissions", json={"indicator": "T2-5", "year": 2025, "value": 3.7, "unit": "%"})
    assert no_csrf.status_code == 403
    assert [r["indicator"] for r in kj.get(f"/api/rounds/{rnd.id}/todo").json()["rows"]] == ["T2-5"]
    assert kj.get(f"/api/rounds/{rnd.id}/board").status_code == 403

    # The board: per unit, exact counts; the unassigned indicator listed; exports.
    board = planner.get(f"/api/rounds/{rnd.id}/board").json()
    assert board["units"] == [
        {"unit": "统计局", "due": 2, "draft": 0, "submitted": 1, "returned": 0, "approved": 1, "withdrawn": 0,
         "not_entered": 0, "overdue": False},
        {"unit": "科技局", "due": 1, "draft": 0, "submitted": 1, "returned": 0, "approved": 0, "withdrawn": 0,
         "not_entered": 0, "overdue": False}]
    assert [u["indicator"] for u in board["unassigned"]] == ["T2-2"]
    assert board["totals"]["due"] == 3 and board["totals"]["submitted"] == 2
    page = planner.get(f"/rounds/{rnd.id}/board")
    assert page.status_code == 200 and "未分工（1 项）" in page.text
    exported = planner.get(f"/rounds/{rnd.id}/board.csv")
    assert list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))) == [
        ["责任单位", "应报", "草稿", "已报送", "已退回", "已通过", "已撤回", "待填报", "逾期"],
        ["统计局", "2", "0", "1", "0", "1", "0", "0", ""],
        ["科技局", "1", "0", "1", "0", "0", "0", "0", ""],
        ["合计", "3", "0", "2", "0", "1", "0", "0", ""],
        ["未分工：2. 全员劳动生产率增长", "", "", "", "", "", "", "", ""]]
    sheet = load_workbook(io.BytesIO(planner.get(f"/rounds/{rnd.id}/board.xlsx").content)).active
    assert [c.value for c in sheet[2]] == ["统计局", 2, 0, 1, 0, 1, 0, 0, None]


def test_json_round_opening_and_decisions(cycle):
    store = cycle
    planner, ptoken = client_of(store, "planner1")
    headers = {"X-CSRF-Token": ptoken}
    made = planner.post("/api/rounds", json={"year": 2024, "regions": ["嘉兴市", "南湖区"]}, headers=headers)
    assert made.status_code == 201
    body = made.json()
    assert (body["title"], body["regions"], body["state_label"], body["overdue"]) == (
        "2024年度监测数据填报", ["嘉兴市", "南湖区"], "填报中", False)
    bad = planner.post("/api/rounds", json={"year": 2031}, headers=headers)
    assert (bad.status_code, bad.json()["error"]) == (400, "年份 2031 不在规划期内：应在 2020—2025 之间")
    assert planner.get("/api/rounds/999/board").status_code == 404
    assert planner.get("/api/submissions/999").status_code == 404
    # The planner enters on behalf of the unit: every indicator × region of the round is on its list.
    todo = planner.get(f"/api/rounds/{body['id']}/todo").json()
    assert len(todo["rows"]) == 8
    sent = planner.post("/api/submissions", json={"indicator": "地区生产总值", "region": "南湖区", "year": 2024,
                                                  "value": "950", "unit": "亿元", "source": "区统计局"},
                        headers=headers)
    assert sent.status_code == 201 and sent.json()["responsible_unit"] == "统计局"
    sid = sent.json()["id"]
    no_comment = planner.post(f"/api/submissions/{sid}/return", json={"comment": " "}, headers=headers)
    assert (no_comment.status_code, no_comment.json()["error"]) == (400, "退回时须写明意见，告诉填报单位需要修改什么")
    withdraw = planner.post(f"/api/submissions/{sid}/withdraw", headers=headers)
    assert (withdraw.status_code, withdraw.json()["error"]) == (403, "撤回由填报单位操作：规划处请用“退回”并写明意见")
    done = planner.post(f"/api/submissions/{sid}/approve", json={"version": 1}, headers=headers)
    assert (done.status_code, done.json()["state"], done.json()["version"]) == (200, "approved", 2)
    closed = planner.post(f"/api/rounds/{body['id']}/close", headers=headers)
    assert closed.json()["state_label"] == "已结束"
    late = planner.post("/api/submissions", json={"indicator": "T2-1", "year": 2024, "value": 1, "unit": "亿元"},
                        headers=headers)
    assert late.status_code == 404
    schema = planner.get("/api/openapi.json").json()["paths"]
    for path in ("/api/rounds", "/api/rounds/{round_id}/todo", "/api/rounds/{round_id}/board", "/api/submissions",
                 "/api/submissions/{submission_id}", "/api/submissions/{submission_id}/approve",
                 "/api/submissions/{submission_id}/return", "/api/submissions/{submission_id}/withdraw"):
        assert path in schema
    assert not any(p.startswith("/rounds") or p.startswith("/submissions") for p in schema)


def test_anonymous_and_unassigned(cycle):
    anonymous = app_client(cycle)
    answer = anonymous.get("/rounds", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login?next=%2Frounds")
    assert anonymous.get("/api/rounds").status_code == 401
    token = csrf_of(anonymous)
    assert anonymous.post("/api/submissions", json={"indicator": "T2-1", "year": 2025, "value": 1},
                          headers={"X-CSRF-Token": token}).status_code == 401


def test_a_viewer_sees_the_board_read_only(cycle):
    store = cycle
    store.add_user("reader", role="viewer", password=PASSWORD)
    rnd = store.open_round(year=2025, actor="planner1")
    viewer, token = client_of(store, "reader")
    to_board = viewer.get(f"/rounds/{rnd.id}", follow_redirects=False)
    assert (to_board.status_code, to_board.headers["location"]) == (303, f"/rounds/{rnd.id}/board")
    board = viewer.get(f"/rounds/{rnd.id}/board")
    assert board.status_code == 200 and "<form" not in board.text.split("</header>")[1]
    assert viewer.get(f"/api/rounds/{rnd.id}/board").json()["totals"]["not_entered"] == 3
    assert viewer.get(f"/api/rounds/{rnd.id}/todo").status_code == 403
    answer = viewer.post("/api/submissions", json={"indicator": "T2-1", "year": 2025, "value": 1},
                         headers={"X-CSRF-Token": token})
    assert (answer.status_code, answer.json()["error"]) == (403, "内部只读账号（reader）不能填报数据")


def test_last_years_bounded_figure_keeps_its_bound(cycle):
    """南湖区's 2024 GDP is known only as “超过900亿元” (>900): the 2025 to-do row shows >900, not 900."""
    store = cycle
    planner, ptoken = client_of(store, "planner1")
    tj, _ = client_of(store, "tj")
    planner.post("/rounds", data={"csrf_token": ptoken, "year": "2025", "regions": ["南湖区"]})
    (rnd,) = store.rounds()
    gdp, urban = tj.get(f"/api/rounds/{rnd.id}/todo").json()["rows"]
    assert (gdp["indicator"], gdp["region"], urban["indicator"]) == ("T2-1", "南湖区", "T2-3")
    assert gdp["last_year"] == {"year": 2024, "value": 900.0, "bound": ">", "display": ">900"}
    assert urban["last_year"] == {"year": 2024, "value": None, "bound": None, "display": "—"}
