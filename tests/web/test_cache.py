"""The dashboard keeps its inputs and judgements while the store's data version holds, and every write
(import, adjustment, region edit) shows on the next look at the version. On a real SQLite store; the
evaluator and the store are wrapped to count calls, never replaced."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from planwatch.model import Observation
from planwatch.web import WebSettings, context, create_app

from .conftest import REGION


@pytest.fixture
def calls(monkeypatch, web_store) -> dict[str, int]:
    """How often the dashboard read the whole inputs, judged, and looked at the data version."""
    counts = {"read_inputs": 0, "assess": 0, "data_version": 0}

    def counted(name, func):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return func(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(context, "read_inputs", counted("read_inputs", context.read_inputs))
    monkeypatch.setattr(context, "assess", counted("assess", context.assess))
    monkeypatch.setattr(web_store, "data_version", counted("data_version", web_store.data_version))
    return counts


def _client(store, cache_seconds: float = 0) -> TestClient:
    return TestClient(create_app(WebSettings(db=store.url, cache_seconds=cache_seconds), store=store))


def _gdp(client: TestClient, path: str = "/api/findings?year=2024") -> dict:
    return next(f for f in client.get(path).json()["findings"] if f["indicator_id"] == "T2-1")


def test_requests_without_a_write_read_and_judge_once(web_store, calls):
    client = _client(web_store)
    for path in ("/", "/api/findings?year=2024", "/api/findings?year=2024", "/indicators/T2-1?year=2024",
                 "/api/indicators/T2-1?year=2024"):
        assert client.get(path).status_code == 200
    assert calls["read_inputs"] == 1
    assert calls["assess"] == 1  # one choice: 2024, 嘉兴市, the default method
    assert calls["data_version"] == 5  # cache_seconds=0: every request looks, and only looks
    client.get("/api/findings?year=2023")
    assert (calls["read_inputs"], calls["assess"]) == (1, 2)


def test_an_import_shows_on_the_next_request(web_store, calls):
    client = _client(web_store)
    assert _gdp(client)["actual"] == 7569.5
    web_store.add_observations([Observation(indicator="T2-1", region=REGION, year=2024, value=7600.1, unit="亿元",
                                            vintage="final", source="https://example.cn/2024-final")])
    assert _gdp(client)["actual"] == 7600.1
    assert _gdp(client, "/api/indicators/T2-1?year=2024")["actual"] == 7600.1
    observed = client.get("/api/indicators/T2-1?year=2024").json()["observations"]
    assert [o["value"] for o in observed if o["year"] == 2024] == [7600.1]
    assert calls["read_inputs"] == 2 and calls["assess"] == 2


def test_an_adjustment_shows_on_the_next_request(web_store, calls):
    client = _client(web_store)
    assert _gdp(client)["target"] == 9000
    web_store.add_adjustment("T2-1", new_value=9500, reason="测试：上调目标")
    assert _gdp(client)["target"] == 9500
    assert next(i for i in client.get("/api/plan").json()["indicators"] if i["id"] == "T2-1")["target"]["value"] == 9500


def test_a_region_edit_shows_on_the_next_request(web_store):
    client = _client(web_store)
    assert "秀洲区" not in client.get("/api/regions").json()["choices"]
    web_store.add_regions([{"name": "秀洲区", "parent": REGION, "level": "county"}])
    assert "秀洲区" in client.get("/api/regions").json()["choices"]
    version = web_store.data_version()
    web_store.add_regions([{"name": "秀洲区", "parent": None, "level": "county"}])  # edited in place
    assert web_store.data_version() != version


def test_a_burst_looks_at_the_version_once_a_second(web_store, calls):
    client = _client(web_store, cache_seconds=30)
    for _ in range(5):
        client.get("/api/findings?year=2024")
    assert calls["data_version"] <= 2  # one look per second; two only if the second ticked over
    web_store.add_observations([Observation(indicator="T2-1", region=REGION, year=2024, value=7611.0, unit="亿元",
                                            vintage="final")])
    time.sleep(context.VERSION_CHECK_SECONDS + 0.05)
    assert _gdp(client)["actual"] == 7611.0  # 30 s of cache_seconds no longer hide a write


def test_concurrent_first_requests_read_and_judge_once(web_store, calls):
    dash = create_app(WebSettings(db=web_store.url, cache_seconds=0), store=web_store).state.dashboard
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: context.dashboard_context(dash, 2024), range(16)))
    assert all(p["findings"] == pages[0]["findings"] for p in pages)
    assert calls["read_inputs"] == 1 and calls["assess"] == 1


def test_while_one_request_looks_the_others_are_answered_from_hand(web_store, monkeypatch):
    dash = create_app(WebSettings(db=web_store.url, cache_seconds=0), store=web_store).state.dashboard
    first = dash.snapshot()
    looking, release = threading.Event(), threading.Event()
    real = web_store.data_version

    def slow_version():  # a look held up, as by an import holding the database
        looking.set()
        release.wait(10)
        return real()

    monkeypatch.setattr(web_store, "data_version", slow_version)
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(dash.snapshot)
        assert looking.wait(10)
        started = time.monotonic()
        assert dash.snapshot() is first
        assert time.monotonic() - started < 1
        release.set()
        assert held.result(10) is first  # nothing was written: the same snapshot


def test_memo_keeps_the_most_recent_values_of_one_version(web_store):
    dash = create_app(WebSettings(db=web_store.url, cache_seconds=0), store=web_store).state.dashboard
    snap = dash.snapshot()
    memo = context.Memo(size=2)
    computed: list[int] = []
    for n in (1, 2, 1, 3, 1, 2):
        memo.get(snap, (n,), lambda n=n: computed.append(n) or n)
    assert computed == [1, 2, 3, 2]  # 1 kept as recently used; 2 dropped when 3 came
    older = context.Snapshot(snap.inputs, (*snap.version[:-1], "older"))
    assert memo.get(older, (1,), lambda: "older") == "older"
    memo.keep_only(snap)
    assert memo.get(older, (1,), lambda: "again") == "again"
