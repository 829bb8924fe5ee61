"""JSON API over a real store and the real evaluator: exact values, order, errors.

The expected figures are worked out by hand from the sample plan and the sample observations
(tests/web/conftest.py), never read back from the code under test:

- 地区生产总值 (T2-1): plan base 5509.5 (2020) → target 9000 (2025), geometric path (亿元);
  the plan's own base value counts for the plan's region, not the revised 2020 figure 5563.58.
- 常住人口城镇化率 (T2-3): 69 (2020) → 75左右 (2025), linear; the latest figure is 72.4 (2022).
- 研发经费支出占比 (T2-5): 3.1 (2020) → 3.75 (2025), linear; 3.56 in 2024.
- 全员劳动生产率增长 (T2-2): no observation at all → 无数据.
- elapsed_time: ahead when completion ≥ time + 0.05, lagging when < time − 0.05 (EvaluationSettings);
  a value older than year − 1 is stale; at the period end (2025) lagging/on_track/ahead → not_achieved.
"""

from __future__ import annotations

import math
import sqlite3

import pytest
from fastapi.testclient import TestClient

from planwatch.errors import StoreError
from planwatch.web import WebSettings, create_app

from .conftest import fill_store

# GDP, geometric: completion = ln(actual/base) / ln(target/base)
GDP_BASE, GDP_TARGET = 5509.5, 9000.0
GDP_SPAN = math.log(GDP_TARGET / GDP_BASE)  # ln(9000/5509.5) = ln(1.633542) = 0.490751
# 2024: ln(7569.5/5509.5) / 0.490751 = 0.317653 / 0.490751 = 0.64728 → 64.7%
GDP_COMPLETION_2024 = math.log(7569.5 / GDP_BASE) / GDP_SPAN
# expected 2024 = 5509.5 × (9000/5509.5)^(4/5) = 8158.615 → 8158.62
GDP_EXPECTED_2024 = GDP_BASE * (GDP_TARGET / GDP_BASE) ** (4 / 5)
# projection: 2024 carried one more year at the slower of the 2020–24 average (8.26 %) and the recent window's
# (recent_window_years 3: 2022 → 2024, (7569.5/6739.45)^(1/2) − 1 = 5.98 %) — issue 8 class 9
# = 7569.5 × 1.059794 = 8022.11 (< 9000 → 预警)
GDP_PROJECTION_2025 = 7569.5 * (7569.5 / 6739.45) ** (1 / 2)


def test_findings_default_to_latest_data_year_and_plan_region(client):
    data = client.get("/api/findings").json()
    # the latest year with a value of a current indicator: T2-1 and T2-5 have 2024
    assert (data["year"], data["region"], data["method"]) == (2024, "嘉兴市", "elapsed_time")
    assert data["years"] == [2021, 2022, 2023, 2024, 2025]
    assert data["regions"] == ["嘉兴市", "南湖区"]
    assert data["final"] is False


def test_findings_are_current_plan_only_in_plan_order(client):
    rows = client.get("/api/findings?year=2024").json()["findings"]
    # T1-1 belongs to the previous plan (表1): not judged here
    assert [r["indicator_id"] for r in rows] == ["T2-1", "T2-2", "T2-3", "T2-5"]
    gdp = rows[0]
    # 64.7% done at 80% of the time: 0.647 < 0.80 − 0.05 → 滞后; projection 8022.11 < 9000 → 预警
    assert gdp["status"] == "lagging" and gdp["status_label"] == "滞后" and gdp["warning"] is True
    assert gdp["actual"] == 7569.5 and gdp["actual_display"] == "7569.5" and gdp["actual_year"] == 2024
    assert gdp["completion"] == pytest.approx(GDP_COMPLETION_2024, abs=1e-12)
    assert gdp["completion_display"] == "64.7%"
    assert gdp["expected"] == pytest.approx(GDP_EXPECTED_2024, abs=1e-9) and gdp["expected_display"] == "8158.62"
    assert gdp["projection"] == pytest.approx(GDP_PROJECTION_2025, abs=1e-9)
    assert gdp["projection_display"] == "8022.11"
    # required: 9000/7569.5 − 1 = 0.18898 → 18.9% in the one year left
    assert gdp["required_rate"] == pytest.approx((9000 / 7569.5 - 1) * 100, abs=1e-9)
    assert gdp["required_rate_display"] == "18.9%"
    assert gdp["time_elapsed_display"] == "80.0%"
    assert gdp["baseline_display"] == "5509.5" and gdp["target_text"] == "9000"
    assert gdp["url"] == "/indicators/T2-1?year=2024&region=%E5%98%89%E5%85%B4%E5%B8%82&method=elapsed_time"
    assert rows[1]["status"] == "no_data" and rows[1]["actual_display"] == "—"
    urban = rows[2]
    # (72.4 − 69) / (75 − 69) = 3.4 / 6 = 0.5667 at the 2022 time share (2022 − 2020)/5 = 0.4:
    # 0.5667 ≥ 0.4 + 0.05 → 快于预期, said to rest on 2022 data (2022 < 2024 − 1)
    assert urban["completion"] == pytest.approx(3.4 / 6, abs=1e-12)
    assert urban["actual_display"] == "72.4（2022年）" and urban["completion_display"] == "56.7%"
    assert (urban["status"], urban["stale"], urban["status_text"]) == ("ahead", True, "快于预期（按2022年数据）")
    # expected: 69 + 6 × 0.4 = 71.4
    assert urban["expected"] == pytest.approx(71.4, abs=1e-12) and urban["expected_display"] == "71.4"
    rd = rows[3]
    # (3.56 − 3.1) / (3.75 − 3.1) = 0.46 / 0.65 = 0.70769 → 70.8% < 0.80 − 0.05 → 滞后;
    # projection 3.56 + 0.46/4 = 3.675 < 3.75 → 预警; expected 3.1 + 0.65 × 0.8 = 3.62
    assert rd["category"] == "科技创新" and rd["actual_display"] == "3.56"
    assert rd["completion"] == pytest.approx(0.46 / 0.65, abs=1e-12) and rd["completion_display"] == "70.8%"
    assert (rd["status"], rd["warning"]) == ("lagging", True)
    assert rd["expected"] == pytest.approx(3.62, abs=1e-12) and rd["expected_display"] == "3.62"


def test_summary_counts_the_period_statuses_in_fixed_order(client):
    data = client.get("/api/findings?year=2024").json()
    summary = {s["status"]: (s["count"], s["label"], s["stale"]) for s in data["summary"]}
    # The report's rule: the period's core statuses, then any other a finding has (none here).
    assert list(summary) == ["achieved", "ahead", "on_track", "lagging", "no_data", "pending_target"]
    # 2024: T2-1 and T2-5 滞后, T2-3 快于预期 (on 2022 data), T2-2 无数据
    assert summary["lagging"] == (2, "滞后", 0)
    assert summary["ahead"] == (1, "快于预期", 1)
    assert summary["on_track"] == (0, "基本符合预期", 0)
    assert summary["no_data"] == (1, "无数据", 0)
    assert summary["achieved"] == (0, "提前实现", 0)
    # T2-3 (快于预期 at 2022) is warned too: its recent pace projects 73.9 < 74.5 (issue 8 class 9)
    assert data["total"] == 4 and data["warnings"] == 3


def test_final_year_reads_achieved_as_yi_shi_xian(client):
    data = client.get("/api/findings?year=2025").json()
    assert data["final"] is True
    summary = {s["status"]: (s["label"], s["count"]) for s in data["summary"]}
    assert summary["achieved"] == ("已实现", 0)
    # At the period's end nothing is 滞后 or 快于预期 any more; with no 2025 figure yet, 已实现/未实现 cannot be said
    # and the trend decides (issue 8: the final review is written before the final data):
    # T2-1 7569.5 (2024): at the slower recent pace 7569.5 × (7569.5/6739.45)^(1/2) = 8022.11 < 9000 → 预计难以完成;
    # T2-5 3.56 (2024): 3.1 + (3.56 − 3.1)/4·5 = 3.675 < 3.75 → 预计难以完成;
    # T2-3 72.4 (2022): base → latest 69 + (72.4 − 69)/2·5 = 77.5, but the recent window (2021 71.9 → 2022 72.4,
    # 0.5/yr) is slower (issue 8 class 9): 72.4 + 0.5 × 3 = 73.9 < 74.5 (75左右 ± 0.5) → 预计难以完成.
    # At the end 滞后 / 快于预期 no longer occur: the summary shows the end's statuses, as the report does.
    assert summary["not_achieved"] == ("未实现", 0) and "lagging" not in summary and "ahead" not in summary
    assert summary["likely_missed"] == ("预计难以完成", 3) and "likely_achieved" not in summary
    urban = next(f for f in data["findings"] if f["indicator_id"] == "T2-3")
    assert urban["status_text"] == "预计难以完成（按2022年数据）"
    gdp = next(f for f in data["findings"] if f["indicator_id"] == "T2-1")
    assert gdp["actual_display"] == "7569.5（2024年）"


def test_status_chart_counts_by_category(client):
    chart = client.get("/api/findings?year=2022").json()["chart"]
    assert chart["categories"] == ["经济发展", "科技创新"]
    # 2022: T2-1 ln(6739.45/5509.5)/0.490751 = 0.2015/0.4908 = 0.4106 vs 0.40 → 基本符合预期;
    # T2-3 0.5667 ≥ 0.45 → 快于预期; T2-2 and T2-5 (first figure 2024) 无数据
    assert [(s["status"], s["data"]) for s in chart["series"]] == [
        ("ahead", [1, 0]), ("on_track", [1, 0]), ("no_data", [1, 1])]


def test_evaluator_sees_only_the_chosen_region_and_is_memoised(client, monkeypatch):
    from planwatch.web import context

    calls = []
    real_assess = context.assess

    def spy(inputs, *, year=None, regions=None, method="elapsed_time", **kw):
        calls.append((year, method, list(regions or [])))
        return real_assess(inputs, year=year, regions=regions, method=method, **kw)

    monkeypatch.setattr(context, "assess", spy)
    a = client.get("/api/findings?year=2023").json()
    client.get("/?year=2023")
    b = client.get("/api/findings?year=2023&region=南湖区").json()
    assert calls == [(2023, "elapsed_time", ["嘉兴市"]), (2023, "elapsed_time", ["南湖区"])]
    assert {f["region"] for f in a["findings"]} == {"嘉兴市"}
    assert {f["region"] for f in b["findings"]} == {"南湖区"}


def test_indicator_observations_with_revisions(client):
    data = client.get("/api/indicators/T2-1?year=2024").json()
    assert data["indicator"]["name"] == "地区生产总值" and data["indicator"]["attribute_label"] == "预期性"
    obs = data["observations"]
    assert [(o["year"], o["value"], o["vintage"]) for o in obs] == [
        (2020, 5563.58, "final"), (2021, 6388.38, "final"), (2022, 6739.45, "preliminary"),
        (2023, 7062.5, None), (2024, 7569.5, None)]
    assert [(r["value"], r["vintage"]) for r in obs[0]["revisions"]] == [(5509.52, "preliminary"), (5563.58, "final")]
    assert obs[1]["source"] == "https://nextlevelartsconsulting.com/thuadong/5531.html"
    assert [f["status"] for f in data["findings"]] == ["lagging"]


def test_indicator_chart_has_actual_path_target_projection(client):
    chart = client.get("/api/indicators/T2-1?year=2024").json()["chart"]
    assert chart["unit"] == "亿元" and chart["years"] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert chart["actual"] == [[2020, 5563.58], [2021, 6388.38], [2022, 6739.45], [2023, 7062.5], [2024, 7569.5]]
    # planned path: 5509.5 × (9000/5509.5)^(k/5): 6077.69, 6704.47, 7395.89, 8158.62, 9000
    planned = [[2020 + k, GDP_BASE * (GDP_TARGET / GDP_BASE) ** (k / 5)] for k in range(6)]
    assert [y for y, _ in chart["planned"]] == [y for y, _ in planned]
    assert [v for _, v in chart["planned"]] == pytest.approx([v for _, v in planned], abs=1e-9)
    assert [round(v, 2) for _, v in chart["planned"]] == [5509.5, 6077.69, 6704.47, 7395.89, 8158.62, 9000.0]
    assert chart["target"] == {"year": 2025, "value": 9000.0, "text": "9000", "rate": False}
    assert chart["projection"][0] == [2024, 7569.5]
    assert chart["projection"][1][0] == 2025
    assert chart["projection"][1][1] == pytest.approx(GDP_PROJECTION_2025, abs=1e-9)


def test_indicator_chart_lists_no_bound_when_no_value_is_a_bound(client):
    chart = client.get("/api/indicators/T2-1?year=2024").json()["chart"]
    assert chart["bounds"] == []


def test_indicator_found_by_table_number(client):
    assert client.get("/api/indicators/3").json()["indicator"]["id"] == "T2-3"


def test_bound_observation_is_displayed_with_its_bound(client):
    data = client.get("/api/indicators/T2-1?region=南湖区").json()
    obs = data["observations"]
    assert [(o["value"], o["bound"], o["value_display"]) for o in obs] == [(900.0, ">", ">900")]
    # ">900" with no base value cannot be judged against the path: 无法评估, shown with its bound
    [f] = data["findings"]
    assert (f["region"], f["status"], f["actual_display"], f["completion_display"]) == (
        "南湖区", "not_assessable", ">900", "—")


def test_plan_lists_current_and_previous_indicators(client):
    data = client.get("/api/plan").json()
    assert data["meta"]["region"] == "嘉兴市" and data["years"] == [2021, 2022, 2023, 2024, 2025]
    assert [i["id"] for i in data["indicators"]] == ["T2-1", "T2-2", "T2-3", "T2-5"]
    assert [i["id"] for i in data["previous_indicators"]] == ["T1-1"]
    assert data["indicators"][2]["target_display"] == "75左右"
    assert data["counts"]["indicators"] == 4


def test_regions(client):
    data = client.get("/api/regions").json()
    assert data["choices"] == ["嘉兴市", "南湖区"]
    assert data["regions"][1] == {"name": "南湖区", "parent": "嘉兴市", "level": "county"}


def test_errors_are_chinese_json_with_status(client):
    cases = {
        "/api/indicators/T9-9": (404, "not_found", "未找到指标：T9-9"),
        "/api/findings?year=2030": (400, "invalid_request", "评估年份 2030 超出规划期：应在基期 2020 年至目标年 2025 年之间"),
        "/api/findings?year=abc": (400, "invalid_request", "参数 year 的值 'abc' 无效（应为整数）"),
        "/api/findings?region=杭州市": (400, "invalid_request", "未知地区：杭州市（可选：嘉兴市、南湖区）"),
        "/api/findings?method=magic": (400, "invalid_request", (
            "未知的评估方法“magic”；可用方法：elapsed_time（时间进度法）、"
            "open_sdg（Open SDG 进度法）、unsd（联合国统计司（UNSD）推算法）")),
        "/api/nothing": (404, "not_found", "页面不存在"),
    }
    for path, (status, code, message) in cases.items():
        r = client.get(path)
        assert (r.status_code, r.json()) == (status, {"error": message, "code": code, "status": status}), path


def test_empty_store_is_503(empty_store):
    app = create_app(WebSettings(db=empty_store.url), store=empty_store)
    r = TestClient(app).get("/api/findings")
    assert r.status_code == 503
    assert r.json()["error"] == "数据库中还没有规划，请先运行 planwatch load plan.yaml"


def test_store_that_cannot_open_is_503(monkeypatch):
    import planwatch.store as store_module

    def refuse(url):
        raise StoreError(f"无法打开数据库 {url}")

    monkeypatch.setattr(store_module, "open_store", refuse, raising=False)
    r = TestClient(create_app(WebSettings(db="sqlite:///missing.db"))).get("/api/plan")
    assert (r.status_code, r.json()["error"]) == (503, "无法打开数据库 sqlite:///missing.db")


def test_unexpected_failure_is_500_without_traceback(web_store, tmp_path):
    # A damaged plan row: the stored plan JSON no longer validates, a failure no planwatch error covers.
    with sqlite3.connect(tmp_path / "web.db") as conn:
        conn.execute("UPDATE plan_versions SET plan_json = '{\"meta\": 1}'")
    app = create_app(WebSettings(db=web_store.url), store=web_store)
    r = TestClient(app, raise_server_exceptions=False).get("/")
    assert r.status_code == 500
    assert "服务器内部错误（ValidationError）" in r.text and "Traceback" not in r.text
    assert 'lang="zh-CN"' in r.text


def test_snapshot_is_reread_after_cache_expires(empty_store):
    app = create_app(WebSettings(db=empty_store.url, cache_seconds=0), store=empty_store)
    c = TestClient(app)
    assert c.get("/api/plan").status_code == 503
    fill_store(empty_store)
    assert c.get("/api/plan").status_code == 200
    assert c.get("/api/findings").json()["total"] == 4


def test_methods_offered_and_passed_to_the_evaluator(client):
    data = client.get("/api/findings?year=2022&method=open_sdg").json()
    assert data["method"] == "open_sdg"
    assert [(m["code"], m["label"]) for m in data["methods"]] == [
        ("elapsed_time", "时间进度法"), ("open_sdg", "Open SDG 进度法"), ("unsd", "联合国统计司（UNSD）推算法")]
    assert {f["method"] for f in data["findings"]} == {"open_sdg"}
    gdp = data["findings"][0]
    # Open SDG: observed / required average growth; 2020–22 observed (6739.45/5509.5)^(1/2) − 1 = 10.60%,
    # planned (9000/5509.5)^(1/5) − 1 = 10.31% → ratio 1.03 ≥ 0.95 (进展显著) → 基本符合预期
    observed = (6739.45 / GDP_BASE) ** (1 / 2) - 1
    planned = (GDP_TARGET / GDP_BASE) ** (1 / 5) - 1
    assert round(observed / planned, 2) == 1.03
    assert gdp["status"] == "on_track" and "Open SDG 进度法比值1.03（进展显著）" in gdp["explanation"]
