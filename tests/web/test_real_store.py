"""The API over the shared store holding the real Jiaxing plan and its real reported data."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from planwatch.web import WebSettings, create_app


@pytest.fixture
def real_client(real_store) -> TestClient:
    return TestClient(create_app(WebSettings(db="sqlite://"), store=real_store))


def test_plan_is_the_jiaxing_14th_plan(real_client):
    data = real_client.get("/api/plan").json()
    meta = data["meta"]
    assert (meta["region"], meta["period_start"], meta["period_end"], meta["base_year"]) == ("嘉兴市", 2021, 2025, 2020)
    gdp = next(i for i in data["indicators"] if i["no"] == "1")
    assert (gdp["name"], gdp["unit"], gdp["baseline"]["value"], gdp["target"]["value"]) == (
        "地区生产总值", "亿元", 5509.5, 9000.0)


def test_findings_default_to_2024_with_gdp_actual(real_client):
    data = real_client.get("/api/findings").json()
    assert (data["year"], data["region"]) == (2024, "嘉兴市")
    gdp = next(f for f in data["findings"] if f["indicator"] == "地区生产总值")
    assert (gdp["actual"], gdp["actual_year"], gdp["target"]) == (7569.53, 2024, 9000.0)
    assert sum(s["count"] for s in data["summary"]) == data["total"] == len(data["findings"])
    assert all(f["status_label"] for f in data["findings"])


def test_gdp_observations_keep_the_final_2020_figure_and_its_revision(real_client):
    data = real_client.get("/api/indicators/1").json()
    assert data["indicator"]["name"] == "地区生产总值"
    by_year = {o["year"]: o for o in data["observations"] if o["kind"] == "level"}
    assert by_year[2020]["value"] == 5563.58 and by_year[2021]["value"] == 6388.38
    assert by_year[2024]["value"] == 7569.53
    assert sorted(r["value"] for r in by_year[2020]["revisions"]) == [5509.52, 5563.58]
    assert data["chart"]["actual"][:2] == [[2020, 5563.58], [2021, 6388.38]]


def test_dashboard_page_renders_from_the_real_store(real_client):
    r = real_client.get("/")
    assert r.status_code == 200 and "地区生产总值" in r.text and 'lang="zh-CN"' in r.text
