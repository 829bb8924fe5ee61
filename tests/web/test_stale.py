"""A dashboard card says how many of its findings rest on stale data (the real demo store)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from planwatch.web import WebSettings, create_app


def test_cards_say_how_many_rest_on_stale_data(jiaxing_store_shared):
    jiaxing_store_shared.change_settings({"public": True})
    client = TestClient(create_app(WebSettings(db=jiaxing_store_shared.url), store=jiaxing_store_shared))
    summary = {s["status"]: (s["count"], s["stale"]) for s in client.get("/api/findings?year=2024").json()["summary"]}
    # 2024 judged on 2021–22 data: PM2.5 (achieved), five ahead, income growth and unemployment (on track: an annual
    # control target held, never 提前实现).
    assert summary["achieved"] == (2, 1) and summary["ahead"] == (5, 5) and summary["on_track"] == (2, 2)
    assert summary["lagging"] == (3, 0)
    page = client.get("/?year=2024").text
    assert "其中5项数据滞后" in page and "快于预期（按2021年数据）" in page
