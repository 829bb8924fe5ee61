"""The planner's preview: ?preview=1 judges with the pending (submitted, not yet approved) figures,
marked as a preview, for planners only; the published pages and their cache never see it."""

from __future__ import annotations

import pytest

from planwatch.evaluate import read_inputs
from planwatch.evaluate.scope import with_pending
from planwatch.store import Entry

from .conftest import REGION
from .people import add_people, app_client, cheap_hashing, log_in  # noqa: F401 (fixture)

BANNER = "预览：含 1 项待审核数据，尚未发布"


@pytest.fixture
def pending(web_store):
    """The sample store with a planner, a reporter and a viewer, and a submitted 2024 GDP of 9100 亿元."""
    add_people(web_store, "planner1", "stats", "reader")
    rnd = web_store.open_round(year=2024, regions=[REGION], actor="planner1")
    sub, = web_store.enter_figures(rnd.id, [Entry(indicator="T2-1", region=REGION, responsible_unit="市统计局",
                                                  value=9100.0, unit="亿元", source="2024年统计公报")],
                                   actor="stats", submit=True)
    return web_store, sub


def gdp(body: dict) -> tuple:
    f = next(f for f in body["findings"] if f["indicator_id"] == "T2-1")
    return f["actual"], f["status"], f["completion_display"], f.get("pending")


def test_with_pending_overlays_the_same_figure(pending):
    store, sub = pending
    inputs = read_inputs(store)
    previewed = with_pending(inputs, [sub])
    rows = previewed.frame[(previewed.frame.indicator == "T2-1") & (previewed.frame.region == REGION)
                           & (previewed.frame.year == 2024)]
    assert rows[["value", "source"]].values.tolist() == [[9100.0, "2024年统计公报"]]
    assert len(previewed.frame) == len(inputs.frame)  # replaced, not added
    assert with_pending(inputs, []) is inputs


def test_preview_changes_the_finding_but_not_the_public_one(pending):
    store, sub = pending
    planner, public = app_client(store), app_client(store)
    log_in(planner, "planner1")
    assert gdp(public.get("/api/findings?year=2024").json()) == (7569.5, "lagging", "64.7%", None)
    body = planner.get("/api/findings?year=2024&preview=1").json()
    assert gdp(body) == (9100.0, "achieved", "102.3%", True)
    assert body["preview"]["banner"] == BANNER and body["preview"]["pending"] == 1
    assert body["preview"]["findings"] == 1
    assert [f["pending"] for f in body["findings"] if f["indicator_id"] != "T2-1"] == [False, False, False]
    # the public answer, asked after the preview, is still the published one (no shared cache entry)
    assert gdp(public.get("/api/findings?year=2024").json()) == (7569.5, "lagging", "64.7%", None)
    assert gdp(planner.get("/api/findings?year=2024").json()) == (7569.5, "lagging", "64.7%", None)

    page = planner.get("/?year=2024&preview=1")
    assert page.status_code == 200
    assert BANNER in page.text and page.text.count('class="pending-mark"') == 1
    assert 'name="preview" value="1"' in page.text  # the year/region form stays in the preview
    assert "preview=1" in page.text.split('id="status-chart"')[1].split(">")[0]  # so does the chart's data
    assert BANNER not in planner.get("/?year=2024").text

    ind = planner.get("/api/indicators/T2-1?year=2024&preview=1").json()
    assert [(p["value"], p["responsible_unit"]) for p in ind["preview"]["figures"]] == [(9100.0, "市统计局")]
    assert [f["actual"] for f in ind["findings"]] == [9100.0]
    html = planner.get("/indicators/T2-1?year=2024&preview=1").text
    assert BANNER in html and "待审核数据（预览计入）" in html and "2024年统计公报" in html

    store.decide(sub.id, "approve", actor="planner1", expected_version=sub.version)
    published = gdp(public.get("/api/findings?year=2024").json())
    previewed = planner.get("/api/findings?year=2024&preview=1").json()
    assert published == (9100.0, "achieved", "102.3%", None)
    assert gdp(previewed)[:3] == published[:3] and previewed["preview"]["pending"] == 0


@pytest.mark.parametrize("who", [None, "stats", "reader"])
def test_preview_refused_to_everyone_but_planners(pending, who):
    store, _ = pending
    client = app_client(store)
    if who:
        log_in(client, who)
    for path in ("/api/findings?preview=1", "/api/indicators/T2-1?preview=1"):
        r = client.get(path)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
        assert "仅供规划处账号使用" in r.json()["error"]
    for path in ("/?preview=1", "/indicators/T2-1?preview=1"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 403 and "仅供规划处账号使用" in r.text and BANNER not in r.text
    assert client.get("/api/findings?preview=0").status_code == 200  # public mode: the published view
