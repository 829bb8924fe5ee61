"""The plan's family in the browser (issue 10, web/families.py): the family table, one indicator compared across
the plans, its CSV and XLSX, the JSON twins, on the real Jiaxing store (the 14th alone, then with the conftest
15th plan beside it, served under /p/{key}/)."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from planwatch.store.plans import plan_key

from .people import app_client

HEADERS = ["规划", "来源", "规划期", "指标编号", "指标名称", "单位", "属性", "基期值", "基期年份", "规划目标", "目标值",
           "目标年份", "目标年实际值", "最新值", "最新值年份", "实际值单位", "评估结论", "评估依据", "评估年份",
           "下一规划目标", "下一规划目标年份"]
OLD_GDP = ["十三五", "据下一规划表1", "2016—2020", "T1-1", "地区生产总值", "亿元", "", "3517.1", "2015", "5000", "5000.0",
           "2020", "5509.5", "", "", "亿元", "已实现", "表1完成情况", "2020", "9000", "2025"]


def at(key: str, path: str) -> str:
    return f"/p/{quote(key, safe='')}{path}"


@pytest.fixture
def one(real_store, jiaxing_plan):
    """A public client of the real store holding the 14th plan alone, and its key."""
    return app_client(real_store), plan_key(jiaxing_plan)


@pytest.fixture
def both(two_plans):
    store, fourteenth, fifteenth = two_plans
    store.change_settings({"public": True})
    return app_client(store), fourteenth, fifteenth


def test_the_family_page_shows_each_series_target_and_outcome_per_plan(one):
    client, _ = one
    data = client.get("/api/plan/family").json()
    assert data["family"]["label"] == "嘉兴市 十三五 → 十四五" and data["current"] == 1
    assert [(m["label"], m["source"]) for m in data["family"]["members"]] == [("十三五", "table1"),
                                                                            ("十四五", "stored")]
    gdp = data["series"][0]
    assert (gdp["name"], gdp["url"]) == ("地区生产总值", "/plan/family/T2-1")
    assert [(c["indicator_id"], c["target_display"], c["outcome_display"], c["status_label"]) for c in gdp["cells"]] \
        == [("T1-1", "5000亿元", "5509.5", "已实现"), ("T2-1", "9000亿元", "7569.53（2024年，最新）", "滞后")]
    # A 表1 row no 表2 row continues: linked by its 表1 id, an empty cell for the 14th.
    old_only = next(s for s in data["series"] if s["name"] == "七大万亿级产业增加值")
    assert old_only["url"] == "/plan/family/T1-3" and old_only["cells"][1] is None
    page = client.get("/plan/family")
    assert page.status_code == 200 and "历次规划：嘉兴市 十三五 → 十四五" in page.text
    assert 'href="/plan/family/T2-1"' in page.text and "7569.53（2024年，最新）" in page.text
    # Reached from the plan text and from the indicator page.
    assert 'href="/plan/family"' in client.get("/plan").text
    assert '<a href="/plan/family/T2-1">历次规划对比</a>' in client.get("/indicators/T2-1").text


def test_one_indicator_compared_with_its_json_csv_and_xlsx(one):
    client, _ = one
    data = client.get("/api/plan/family/T2-1").json()
    assert [(r["plan"], r["indicator_id"], r["base_display"], r["base_year"], r["target_text"], r["target_year"],
             r["outcome_display"], r["status_label"], r["basis_label"], r["next_target_text"]) for r in data["rows"]] \
        == [("十三五", "T1-1", "3517.1", 2015, "5000", 2020, "5509.5", "已实现", "表1完成情况", "9000"),
            ("十四五", "T2-1", "5509.5", 2020, "9000", 2025, "7569.53（2024年，最新）", "滞后", "进度评估", None)]
    assert data["chart"] == {"unit": "亿元", "years": [2015, 2020, 2024, 2025],
                             "actual": [[2015, 3517.1], [2020, 5509.5], [2024, 7569.53]],
                             "targets": [[2020, 5000.0, "十三五 5000"], [2025, 9000.0, "十四五 9000"]]}
    page = client.get("/plan/family/T2-1")
    assert page.status_code == 200 and "历次规划对比：地区生产总值" in page.text
    assert 'data-chart="family" data-src="/api/plan/family/T2-1"' in page.text
    answer = client.get("/plan/family/T2-1/table.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == ("attachment; filename=\"family-T2-1.csv\"; filename*=UTF-8''"
                                                     + quote("地区生产总值_历次规划对比.csv", safe=""))
    assert list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))) == [
        HEADERS, OLD_GDP,
        ["十四五", "已载入规划", "2021—2025", "T2-1", "地区生产总值", "亿元", "预期性", "5509.5", "2020", "9000", "9000.0",
         "2025", "", "7569.53", "2024", "亿元", "滞后", "进度评估", "2024", "", ""]]
    book = load_workbook(io.BytesIO(client.get("/plan/family/T2-1/table.xlsx").content))
    assert [list(r) for r in book["历次规划对比"].iter_rows(values_only=True)] == [
        HEADERS,
        ["十三五", "据下一规划表1", "2016—2020", "T1-1", "地区生产总值", "亿元", None, 3517.1, 2015, "5000", 5000, 2020,
         5509.5, None, None, "亿元", "已实现", "表1完成情况", 2020, "9000", 2025],
        ["十四五", "已载入规划", "2021—2025", "T2-1", "地区生产总值", "亿元", "预期性", 5509.5, 2020, "9000", 9000, 2025,
         None, 7569.53, 2024, "亿元", "滞后", "进度评估", 2024, None, None]]
    # A 表1 row asked by its own id: the 14th lists no such indicator.
    old = client.get("/api/plan/family/T1-3").json()["rows"]
    assert [(r["plan"], r["listed"], r["status_label"]) for r in old] == [("十三五", True, "无法评估"),
                                                                         ("十四五", False, "未列此指标")]
    page = client.get("/plan/family/T1-3")
    assert page.status_code == 200 and '<td colspan="6">未列此指标</td>' in page.text
    # A 表2 row the 13th did not list: its row is empty, with the 14th's target as the next one.
    new = client.get("/api/plan/family/T2-2").json()["rows"][0]
    assert (new["listed"], new["indicator_id"], new["next_target_text"], new["next_target_year"]) == (
        False, None, "7以上", 2025)
    assert list(csv.reader(io.StringIO(client.get("/plan/family/T2-2/table.csv").content.decode("utf-8-sig"))))[1] \
        == ["十三五", "据下一规划表1", "2016—2020", "", "", "", "", "", "", "", "", "", "", "", "", "", "未列此指标", "", "",
            "7以上", "2025"]
    # Asked as the indicator page is (表2's number): the same comparison.
    assert client.get("/api/plan/family/1").json()["rows"] == data["rows"]


def test_an_unknown_indicator_is_a_404_in_chinese(one):
    client, key = one
    message = f"规划 {key} 中没有指标 T9（表1、表2均未列出）"
    page = client.get("/plan/family/T9")
    assert page.status_code == 404 and message in page.text and "Traceback" not in page.text
    answer = client.get("/api/plan/family/T9")
    assert (answer.status_code, answer.json()["error"], answer.json()["code"]) == (404, message, "not_found")
    assert client.get("/plan/family/T9/table.csv").status_code == 404
    bad = client.get(f"/api/plan/family/{quote(':x')}")
    assert bad.status_code == 404 and "应为 规划键:指标编号" in bad.json()["error"]
    assert client.get("/plan/family/T2-1/table.pdf").status_code == 404
    assert client.get("/api/plan/family/%20").status_code == 404


def test_with_the_15th_plan_each_app_shows_the_three_plans(both):
    client, fourteenth, fifteenth = both
    rows = client.get(at(fifteenth, "/api/plan/family/T2-1")).json()["rows"]
    assert [(r["plan"], r["target_text"], r["outcome_display"], r["status_label"], r["next_target_text"])
            for r in rows] == [("十三五", "5000", "5509.5", "已实现", "9000"),
                               ("十四五", "9000", "7569.53（2024年，最新）", "滞后", "12000"),
                               ("十五五", "12000", "8800（2026年，最新）", "基本符合预期", None)]
    family = client.get(at(fifteenth, "/api/plan/family")).json()
    assert family["current"] == 2 and family["series"][0]["url"] == "/plan/family/T2-1"
    # From the 15th plan, the 13th's 表1 row is named by the 14th's key.
    ref = quote(f"{fourteenth}:T1-1", safe=":")
    assert client.get(at(fifteenth, f"/api/plan/family/{ref}")).json()["rows"][2]["next_target_text"] is None
    assert client.get(at(fifteenth, "/api/plan/family/T1-1")).status_code == 404
    page = client.get(at(fourteenth, "/plan/family"))
    assert page.status_code == 200 and f'href="/p/{fourteenth}/plan/family/T2-1"' in page.text
