"""The region picker at scale (issue 12): with many regions the pages carry a search box fed by
/api/regions?q=… instead of a <select> of every region; with few, the <select> stays.

The store is the real SQLite sample store (conftest.py) plus 3,000 regions, as a national store has.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from planwatch.model import Observation
from planwatch.store import open_store
from planwatch.web import WebSettings, create_app
from planwatch.web import context as web_context

from .conftest import NANHU, REGION, fill_store, free_port, running
from .test_hardening import inline_parts

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

HAIYAN = "海盐县"
REAL = [
    {"name": "海宁市", "parent": REGION, "level": "county"},
    {"name": HAIYAN, "parent": REGION, "level": "county"},
    {"name": "嘉善县", "parent": REGION, "level": "county"},
    {"name": "盐官镇", "parent": "海宁市", "level": "town"},
]
SYNTHETIC = [{"name": f"测试县{i:04d}", "parent": REGION, "level": "county"} for i in range(3000)]
REGION_COUNT = 2 + len(REAL) + len(SYNTHETIC)  # 嘉兴市 and 南湖区 come from conftest


def _option_count(html: str) -> int:
    return len(re.findall(r"<option\b", html))


@pytest.fixture
def big_store(tmp_path):
    """The sample store (its own file) with 3,004 more regions, and a 2024 GDP figure for 海盐县."""
    store = open_store(f"sqlite:///{tmp_path / 'national.db'}")
    store.init()
    fill_store(store)
    store.add_regions(REAL + SYNTHETIC)
    store.add_observations([Observation(indicator="T2-1", region=HAIYAN, year=2024, value=1050.2, unit="亿元")])
    yield store
    store.dispose()


@pytest.fixture
def big_client(big_store) -> TestClient:
    return TestClient(create_app(WebSettings(db=big_store.url, cache_seconds=60), store=big_store))


# ---------------------------------------------------------------- pages


def test_many_regions_get_a_search_box_not_a_select(big_client, client):
    assert len(big_client.get("/api/regions").json()["choices"]) == REGION_COUNT
    small = client.get("/?year=2024").text
    for path in ["/?year=2024", "/indicators/T2-1?year=2024"]:
        r = big_client.get(path)
        assert r.status_code == 200
        html = r.text
        assert '<select name="region">' not in html
        assert re.search(r'<input type="search" name="region" value="嘉兴市" list="region-choices"', html)
        assert "测试县0100" not in html and "测试县2999" not in html
        # 5 years + 3 methods + 8 suggestions; the page is barely bigger than the 2-region one
        assert _option_count(html) == 5 + 3 + web_context.REGION_SUGGESTIONS
        assert len(html.encode()) < 20_000
        assert inline_parts(html).blocked == []  # the picker's script is static/regions.js, under the CSP
        assert '<script src="/static/regions.js" defer></script>' in html
    assert len(big_client.get("/?year=2024").text.encode()) - len(small.encode()) < 1_000
    datalist = re.search(r'<datalist id="region-choices">(.*?)</datalist>', big_client.get("/?year=2024").text,
                         re.S).group(1)
    # the plan's own region, then the region tree in its order (children by name)
    assert re.findall(r'value="([^"]+)"', datalist) == [REGION, NANHU, "嘉善县", *(f"测试县000{i}" for i in range(5))]


def test_few_regions_keep_the_select(client, big_client, monkeypatch):
    html = client.get("/?year=2024").text
    assert '<select name="region">' in html and 'type="search"' not in html
    assert re.findall(r"<option(?: selected)?>([^<]+)</option>", html) == [REGION, NANHU]
    # up to the threshold itself the <select> stays
    monkeypatch.setattr(web_context, "REGION_SELECT_MAX", REGION_COUNT)
    html = big_client.get("/?year=2023").text
    assert '<select name="region">' in html and 'type="search"' not in html
    assert _option_count(html) == 5 + 3 + REGION_COUNT
    monkeypatch.setattr(web_context, "REGION_SELECT_MAX", REGION_COUNT - 1)
    assert 'type="search"' in big_client.get("/?year=2022").text


def test_a_typed_region_shows_its_findings(big_client):
    r = big_client.get("/", params={"year": 2024, "region": HAIYAN})
    assert r.status_code == 200
    assert f"{HAIYAN} · 2024年主要指标完成情况" in r.text
    assert re.search(rf'<input type="search" name="region" value="{HAIYAN}"', r.text)
    api = big_client.get("/api/findings", params={"year": 2024, "region": HAIYAN}).json()
    gdp = next(f for f in api["findings"] if f["indicator_id"] == "T2-1")
    assert gdp["region"] == HAIYAN and gdp["actual"] == 1050.2
    assert re.search(rf'<tr[^>]*data-indicator="T2-1"[^>]*data-status="{gdp["status"]}"', r.text)
    page = big_client.get(f"/indicators/T2-1?year=2024&region={HAIYAN}")
    assert page.status_code == 200 and "1050.2" in page.text


def test_an_unknown_typed_region_is_refused_clearly(big_client):
    r = big_client.get("/", params={"year": 2024, "region": "海盐"})
    assert r.status_code == 400
    assert "未知地区：海盐（可选：嘉兴市、南湖区" in r.text
    assert len(r.text.encode()) < 20_000  # the 3,006 names are not all listed


# ---------------------------------------------------------------- the API filter


def test_regions_api_filters_by_name(big_client):
    def get(**params):
        r = big_client.get("/api/regions", params=params)
        assert r.status_code == 200
        return r.json()

    assert get(q="海") == {"choices": ["海宁市", HAIYAN], "matched": 2, "regions": [
        {"name": "海宁市", "parent": REGION, "level": "county"}, {"name": HAIYAN, "parent": REGION, "level": "county"}]}
    # names starting with the text come before names containing it
    assert get(q="盐")["choices"] == ["盐官镇", HAIYAN]
    # the plan's own region first, wherever it sits
    assert get(q="嘉")["choices"] == [REGION, "嘉善县"]
    assert get(q="兴")["choices"] == [REGION]
    assert get(q="测试县00", limit=3) == {
        "choices": ["测试县0000", "测试县0001", "测试县0002"], "matched": 100,
        "regions": [{"name": f"测试县000{i}", "parent": REGION, "level": "county"} for i in range(3)]}
    assert get(q=" 测试县2999 ")["choices"] == ["测试县2999"]
    assert get(q="不存在") == {"choices": [], "matched": 0, "regions": []}
    # no text: the first names, the plan's own region first
    assert get(limit=4)["choices"] == [REGION, NANHU, "嘉善县", "测试县0000"]
    assert get(q="", limit=2)["matched"] == REGION_COUNT
    # without q and limit: the whole tree as before
    every = get()
    assert every["matched"] == len(every["choices"]) == len(every["regions"]) == REGION_COUNT


def test_regions_api_refuses_bad_limits(big_client):
    for limit in ("0", "-1", "1001", "x"):
        r = big_client.get("/api/regions", params={"q": "海", "limit": limit})
        assert r.status_code == 400 and "limit" in r.json()["error"]
    r = big_client.get("/api/regions", params={"q": "海" * 101})
    assert r.status_code == 400


def test_region_matches_is_case_insensitive():
    names = ["Beijing", "Nanjing", "嘉兴市", "abc"]
    assert web_context.region_matches(names, "jing") == ["Beijing", "Nanjing"]
    assert web_context.region_matches(names, "NAN") == ["Nanjing"]
    assert web_context.region_matches(names, "b", own="嘉兴市") == ["Beijing", "abc"]
    assert web_context.region_matches(names, None, own="abc") == ["abc", "Beijing", "Nanjing", "嘉兴市"]


# ---------------------------------------------------------------- in the browser


@pytest.fixture
def big_server(big_store):
    app = create_app(WebSettings(db=big_store.url), store=big_store)
    with running(app, host="127.0.0.1", port=free_port(), log_level="warning") as url:
        yield url


@pytest.mark.browser
def test_typing_part_of_a_name_offers_it_and_choosing_it_loads_its_page(big_server):
    from playwright.sync_api import sync_playwright

    console: list[str] = []
    asked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", lambda req: asked.append(req.url) if "/api/regions" in req.url else None)
            page.goto(big_server + "/?year=2024")
            page.wait_for_selector("#status-chart[data-drawn=true] canvas", timeout=15000)
            box = page.locator("input[name=region][data-region-picker]")
            assert box.input_value() == REGION

            box.fill("")
            box.press_sequentially("海盐", delay=30)
            page.wait_for_selector(f'#region-choices option[value="{HAIYAN}"]', state="attached", timeout=10000)
            offered = page.locator("#region-choices option").evaluate_all("os => os.map(o => o.value)")
            assert offered == [HAIYAN]
            assert asked and "q=%E6%B5%B7%E7%9B%90" in asked[-1] and "limit=20" in asked[-1]
            # a half-typed name submits nothing: the page still shows 嘉兴市
            assert page.locator("p.lead").inner_text().startswith(f"{REGION} · 2024年")

            # Enter takes the first name offered for the text and loads its page
            box.press("Enter")
            page.wait_for_url(re.compile(r".*region=%E6%B5%B7%E7%9B%90%E5%8E%BF.*"), timeout=15000)
            assert page.locator("p.lead").inner_text().startswith(f"{HAIYAN} · 2024年")
            assert page.locator("input[name=region]").input_value() == HAIYAN
            assert page.locator('#indicator-table tr[data-indicator="T2-1"]').count() == 1
            page.wait_for_selector("#status-chart[data-drawn=true] canvas", timeout=15000)

            # a name picked from the list (Chromium fires a plain input event, not a typed one):
            # htmx swaps in the region's content in place
            box = page.locator("input[name=region][data-region-picker]")
            box.fill("南湖")
            page.wait_for_selector(f'#region-choices option[value="{NANHU}"]', state="attached", timeout=10000)
            box.evaluate("(el, name) => { el.value = name; el.dispatchEvent(new Event('input', {bubbles: true})); }",
                         NANHU)
            page.wait_for_selector("#indicator-table tr[data-indicator='T2-1'][data-status]", timeout=15000)
            page.wait_for_url(re.compile(r".*region=%E5%8D%97%E6%B9%96%E5%8C%BA.*"), timeout=15000)
            page.wait_for_selector(f"p.lead >> text={NANHU} · 2024年", timeout=15000)
            page.wait_for_selector("#status-chart[data-drawn=true] canvas", timeout=15000)
        finally:
            browser.close()
    assert console == []
