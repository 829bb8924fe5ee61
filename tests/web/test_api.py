"""JSON API against the in-memory store: exact values, order, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from planwatch.errors import StoreError
from planwatch.web import WebSettings, create_app

from .conftest import FakeEvaluate, FakeStore, sample_observations


def test_findings_default_to_latest_data_year_and_plan_region(client):
    data = client.get("/api/findings").json()
    assert (data["year"], data["region"], data["method"]) == (2024, "嘉兴市", "elapsed_time")
    assert data["years"] == [2021, 2022, 2023, 2024, 2025]
    assert data["regions"] == ["嘉兴市", "南湖区"]
    assert data["final"] is False


def test_findings_are_current_plan_only_in_plan_order(client):
    rows = client.get("/api/findings?year=2024").json()["findings"]
    assert [r["indicator_id"] for r in rows] == ["T2-1", "T2-2", "T2-3", "T2-5"]
    gdp = rows[0]
    assert gdp["status"] == "lagging" and gdp["status_label"] == "滞后" and gdp["warning"] is True
    assert gdp["actual"] == 7569.5 and gdp["actual_display"] == "7569.5"
    assert gdp["completion"] == 0.5902 and gdp["completion_display"] == "59.0%"
    assert gdp["baseline_display"] == "5509.5" and gdp["target_text"] == "9000"
    assert gdp["url"] == "/indicators/T2-1?year=2024&region=%E5%98%89%E5%85%B4%E5%B8%82&method=elapsed_time"
    urban = rows[2]
    assert urban["actual_display"] == "72.4（2022年）" and urban["completion_display"] == "56.7%"
    assert rows[3]["category"] == "科技创新" and rows[3]["actual_display"] == "—"


def test_summary_counts_every_status_in_fixed_order(client):
    data = client.get("/api/findings?year=2024").json()
    summary = {s["status"]: (s["count"], s["label"]) for s in data["summary"]}
    assert list(summary) == ["achieved", "ahead", "on_track", "lagging", "not_achieved", "no_data",
                             "pending_target", "not_assessable"]
    assert summary["lagging"] == (1, "滞后")
    assert summary["on_track"] == (1, "基本符合预期")
    assert summary["no_data"] == (1, "无数据")
    assert summary["not_assessable"] == (1, "无法评估")
    assert summary["achieved"] == (0, "提前实现")
    assert data["total"] == 4 and data["warnings"] == 1


def test_final_year_reads_achieved_as_yi_shi_xian(client):
    data = client.get("/api/findings?year=2025").json()
    assert data["final"] is True
    assert {s["status"]: s["label"] for s in data["summary"]}["achieved"] == "已实现"


def test_status_chart_counts_by_category(client):
    chart = client.get("/api/findings?year=2022").json()["chart"]
    assert chart["categories"] == ["经济发展", "科技创新"]
    assert [(s["status"], s["data"]) for s in chart["series"]] == [
        ("on_track", [2, 0]), ("no_data", [0, 1]), ("not_assessable", [1, 0])]


def test_evaluator_sees_only_the_chosen_region_and_is_memoised(client, fake_evaluate):
    client.get("/api/findings?year=2023")
    client.get("/?year=2023")
    client.get("/api/findings?year=2023&region=南湖区")
    assert fake_evaluate.calls == [(2023, "elapsed_time", ["嘉兴市"]), (2023, "elapsed_time", ["南湖区"])]


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
    assert chart["planned"] == [[2020, 5509.5], [2021, 6092.1], [2022, 6736.3], [2023, 7448.6], [2024, 8236.2],
                                [2025, 9107.2]]
    assert chart["target"] == {"year": 2025, "value": 9000.0, "text": "9000"}
    assert chart["projection"] == [[2024, 7569.5], [2025, 8610.2]]


def test_indicator_found_by_table_number(client):
    assert client.get("/api/indicators/3").json()["indicator"]["id"] == "T2-3"


def test_bound_observation_is_displayed_with_its_bound(client):
    obs = client.get("/api/indicators/T2-1?region=南湖区").json()["observations"]
    assert [(o["value"], o["bound"], o["value_display"]) for o in obs] == [(900.0, ">", ">900")]


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
        "/api/indicators/T9-9": (404, "未找到指标：T9-9"),
        "/api/findings?year=2030": (400, "年份 2030 不在规划期 2021–2025 内"),
        "/api/findings?year=abc": (400, "参数 year 的值 'abc' 无效（应为整数）"),
        "/api/findings?region=杭州市": (400, "未知地区：杭州市（可选：嘉兴市、南湖区）"),
        "/api/findings?method=magic": (400, "未知评估方法：magic"),
        "/api/nothing": (404, "页面不存在"),
    }
    for path, (status, message) in cases.items():
        r = client.get(path)
        assert (r.status_code, r.json()) == (status, {"error": message, "status": status}), path


def test_empty_store_is_503():
    app = create_app(WebSettings(db="sqlite://"), store=FakeStore(None, []), evaluate=FakeEvaluate())
    r = TestClient(app).get("/api/findings")
    assert r.status_code == 503
    assert r.json()["error"] == "数据库中还没有规划：请先运行 planwatch init 和 planwatch load plan.yaml"


def test_store_that_cannot_open_is_503(monkeypatch):
    import planwatch.store as store_module

    def refuse(url):
        raise StoreError(f"无法打开数据库 {url}")

    monkeypatch.setattr(store_module, "open_store", refuse, raising=False)
    r = TestClient(create_app(WebSettings(db="sqlite:///missing.db"))).get("/api/plan")
    assert (r.status_code, r.json()["error"]) == (503, "无法打开数据库 sqlite:///missing.db")


def test_unexpected_failure_is_500_without_traceback(fake_store):
    def broken(plan, frame, year, *, method):
        raise ZeroDivisionError("boom")

    app = create_app(WebSettings(db="sqlite://"), store=fake_store, evaluate=broken)
    r = TestClient(app, raise_server_exceptions=False).get("/")
    assert r.status_code == 500
    assert "服务器内部错误（ZeroDivisionError）" in r.text and "Traceback" not in r.text


def test_snapshot_is_reread_after_cache_expires(fake_evaluate):
    store = FakeStore(None, sample_observations())
    app = create_app(WebSettings(db="sqlite://", cache_seconds=0), store=store, evaluate=fake_evaluate)
    c = TestClient(app)
    assert c.get("/api/plan").status_code == 503
    from .conftest import sample_plan

    store._plan = sample_plan()
    assert c.get("/api/plan").status_code == 200


def test_methods_offered_and_passed_to_the_evaluator(client, fake_evaluate):
    data = client.get("/api/findings?year=2022&method=open_sdg").json()
    assert data["method"] == "open_sdg"
    assert [(m["code"], m["label"]) for m in data["methods"]] == [
        ("elapsed_time", "时间进度法"), ("open_sdg", "Open SDG 法"), ("unsd", "联合国统计司法")]
    assert fake_evaluate.calls == [(2022, "open_sdg", ["嘉兴市"])]
