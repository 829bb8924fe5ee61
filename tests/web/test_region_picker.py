"""The region picker at scale (issue 12): with many regions the pages carry a search box fed by
/api/regions?q=… instead of a <select> of every region, the server resolves the text typed in it (without
JavaScript too) and the pages link the region's parent and children; with few, the <select> stays.

The store is the real SQLite sample store (conftest.py) plus 3,000 regions, as a national store has.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from planwatch.model import Observation
from planwatch.store import open_store
from planwatch.web import WebSettings, create_app, region_choice
from planwatch.web.region_choice import REGION_LINKS_MAX, RegionSearch, region_search

from .conftest import NANHU, REGION, fill_store, free_port, running
from .people import add_people, app_client, cheap_hashing, log_in  # noqa: F401 (fixture)
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
        assert _option_count(html) == 5 + 3 + region_choice.REGION_SUGGESTIONS
        assert len(html.encode()) < 30_000
        assert inline_parts(html).blocked == []  # the picker's script is static/regions.js, under the CSP
        assert '<script src="/static/regions.js" defer></script>' in html
    # the page is the 2-region one plus the search box and the links to 嘉兴市's first children
    family = re.search(r'<nav class="region-tree".*?</nav>', big_client.get("/?year=2024").text, re.S).group(0)
    assert len(big_client.get("/?year=2024").text.encode()) - len(small.encode()) - len(family.encode()) < 1_000
    datalist = re.search(r'<datalist id="region-choices">(.*?)</datalist>', big_client.get("/?year=2024").text,
                         re.S).group(1)
    # the plan's own region, then the region tree in its order (children by name)
    assert re.findall(r'value="([^"]+)"', datalist) == [REGION, NANHU, "嘉善县", *(f"测试县000{i}" for i in range(5))]


def test_few_regions_keep_the_select(client, big_client, monkeypatch):
    html = client.get("/?year=2024").text
    assert '<select name="region">' in html and 'type="search"' not in html
    assert re.findall(r"<option(?: selected)?>([^<]+)</option>", html) == [REGION, NANHU]
    assert "region-tree" not in html  # the <select> offers the parent and children already
    # up to the threshold itself the <select> stays
    monkeypatch.setattr(region_choice, "REGION_SELECT_MAX", REGION_COUNT)
    html = big_client.get("/?year=2023").text
    assert '<select name="region">' in html and 'type="search"' not in html
    assert _option_count(html) == 5 + 3 + REGION_COUNT
    monkeypatch.setattr(region_choice, "REGION_SELECT_MAX", REGION_COUNT - 1)
    assert 'type="search"' in big_client.get("/?year=2022").text


def test_the_accounts_form_takes_a_typed_region_when_there_are_many(big_store):
    """The admin's new-account form: a text field with a few suggestions, not 3,006 options; the store still
    refuses a name it does not hold, and takes one it does."""
    add_people(big_store, "admin1")
    admin = app_client(big_store)
    csrf = log_in(admin, "admin1")
    html = admin.get("/admin/users").text
    assert '<select id="new-region"' not in html and "测试县2999" not in html
    assert re.search(r'<input id="new-region" name="region" type="search"', html)
    assert f"共 {REGION_COUNT} 个" in html
    assert _option_count(html) == len(re.findall(r"<option\b", html.split('id="new-region"')[0])) \
        + region_choice.REGION_SELECT_MAX
    form = {"name": "haiyan", "role": "reporter", "unit": "海盐县统计局", "password": "long enough 12",
            "csrf_token": csrf}
    refused = admin.post("/admin/users", data={**form, "region": "海盐"}, follow_redirects=False)
    assert refused.status_code == 400 and "地区 海盐 不在数据库中" in refused.text
    taken = admin.post("/admin/users", data={**form, "region": HAIYAN}, follow_redirects=False)
    assert taken.status_code == 303
    assert big_store.user("haiyan").region == HAIYAN


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
    assert region_choice.region_matches(names, "jing") == ["Beijing", "Nanjing"]
    assert region_choice.region_matches(names, "NAN") == ["Nanjing"]
    assert region_choice.region_matches(names, "b", own="嘉兴市") == ["Beijing", "abc"]
    assert region_choice.region_matches(names, None, own="abc") == ["abc", "Beijing", "Nanjing", "嘉兴市"]


# ---------------------------------------------------------------- the search without JavaScript


def _links(html: str, cls: str) -> list[tuple[str, str]]:
    """(href, text) of the links inside the element of class ``cls``."""
    block = re.search(rf'class="{cls}"[^>]*>(.*?)</(?:ul|nav)>', html, re.S)
    assert block is not None, cls
    return [(unescape(h), t) for h, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block.group(1))]


def _query(region: str, year: int = 2024, **extra) -> str:
    return "?" + urlencode({"year": year, "region": region, "method": "elapsed_time", **extra})


def test_a_name_typed_whole_or_in_part_goes_to_its_region(big_client):
    for typed in ("海盐", " 海盐县 ", "盐县"):
        r = big_client.get("/", params={"year": 2024, "region": typed}, follow_redirects=False)
        assert r.status_code == 303, typed
        assert r.headers["location"] == "/" + _query(HAIYAN)
    r = big_client.get("/indicators/T2-1", params={"region": "海盐", "year": 2023}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/indicators/T2-1" + _query(HAIYAN, 2023)
    page = big_client.get("/", params={"year": 2024, "region": "海盐"})
    assert page.status_code == 200 and f"{HAIYAN} · 2024年主要指标完成情况" in page.text


def test_a_part_several_regions_share_lists_them_as_links(big_client):
    r = big_client.get("/", params={"year": 2024, "region": "海"})
    assert r.status_code == 200
    assert "名称包含“海”的地区共 2 个，请选择：" in r.text
    assert _links(r.text, "region-matches") == [(_query("海宁市"), "海宁市"), (_query(HAIYAN), HAIYAN)]
    assert "<span class=\"attr\">（嘉兴市）</span>" in r.text  # each match with the region above it
    # the box keeps the text as typed; no <select> of regions, no findings of any region
    assert re.search(r'<input type="search" name="region" value="海" list="region-choices"', r.text)
    assert 'id="indicator-table"' not in r.text
    assert f'<a href="/api/regions?q=%E6%B5%B7&amp;limit={REGION_LINKS_MAX}">JSON</a>' in r.text
    # the links are relative (a query only): on an indicator page they stay on the indicator
    r = big_client.get("/indicators/T2-1", params={"year": 2024, "region": "海"})
    assert _links(r.text, "region-matches") == [(_query("海宁市"), "海宁市"), (_query(HAIYAN), HAIYAN)]


def test_a_part_many_regions_share_lists_the_first_ones(big_client):
    r = big_client.get("/", params={"year": 2024, "region": "测试县"})
    assert r.status_code == 200
    assert (f"名称包含“测试县”的地区共 3000 个，下面列出前 {REGION_LINKS_MAX} 个；请输入更完整的名称缩小范围"
            in r.text)
    assert [t for _, t in _links(r.text, "region-matches")] == [f"测试县{i:04d}" for i in range(REGION_LINKS_MAX)]
    assert len(r.content) < 30_000


def test_a_name_no_region_has_is_said_so_with_a_place_to_start(big_client):
    r = big_client.get("/", params={"year": 2024, "region": "火星"})
    assert r.status_code == 200
    assert "没有名称包含“火星”的地区。请检查输入的名称，或从下列地区中选择：" in r.text
    # the plan's own region and the regions below it, in the tree's order
    names = [t for _, t in _links(r.text, "region-matches")]
    assert names[:4] == [REGION, NANHU, "嘉善县", "测试县0000"] and len(names) == REGION_LINKS_MAX
    # a long text is quoted cut, never echoed whole
    r = big_client.get("/", params={"region": "长" * 5000})
    assert r.status_code == 200 and "没有名称包含“" + "长" * 100 + "…”的地区" in r.text
    assert "长" * 101 not in r.text


def test_the_search_is_the_pages_not_the_apis(big_client):
    # the JSON twins refuse an unknown region as before
    r = big_client.get("/api/findings", params={"year": 2024, "region": "海盐"})
    assert r.status_code == 400 and r.json()["error"].startswith("未知地区：海盐（可选：嘉兴市、南湖区、")
    # an unknown indicator, year or method is refused before any region is searched for
    assert big_client.get("/indicators/NOPE", params={"region": "海"}).status_code == 404
    assert big_client.get("/", params={"region": "海", "year": 1990}).status_code == 400
    assert big_client.get("/", params={"region": "海", "method": "nope"}).status_code == 400


def test_few_regions_refuse_an_unknown_name_as_before(client):
    r = client.get("/", params={"year": 2024, "region": "海"})
    assert r.status_code == 400 and "未知地区：海（可选：嘉兴市、南湖区）" in r.text


# ---------------------------------------------------------------- the region's parent and children


def test_a_region_page_links_its_parent_and_children(big_client):
    html = big_client.get("/", params={"year": 2024, "region": "海宁市"}).text
    assert _links(html, "region-tree") == [(_query(REGION), REGION), (_query("盐官镇"), "盐官镇")]
    assert "上级地区：" in html and "下级地区（1 个）：" in html
    html = big_client.get("/indicators/T2-1", params={"year": 2024, "region": "盐官镇"}).text
    assert _links(html, "region-tree") == [(_query("海宁市"), "海宁市")]
    assert "下级地区（" not in html
    # the plan's own region: no parent; its 3,004 children, the first REGION_LINKS_MAX listed
    html = big_client.get("/", params={"year": 2024}).text
    assert f"下级地区（3004 个，列出前 {REGION_LINKS_MAX} 个，其余请在上方查找）：" in html
    links = _links(html, "region-tree")
    assert links[:3] == [(_query(NANHU), NANHU), (_query("嘉善县"), "嘉善县"),
                         (_query("测试县0000"), "测试县0000")]
    assert len(links) == REGION_LINKS_MAX and "上级地区：" not in html


def test_region_search_finds_exact_names_first():
    names = [REGION, "海宁市", HAIYAN, "海盐县城"]
    assert region_search(names, HAIYAN, REGION) == RegionSearch(HAIYAN, [HAIYAN])
    assert region_search(names, " 海盐 ", REGION).matches == [HAIYAN, "海盐县城"]
    assert region_search(names, "  ", REGION).matches == []
    assert region_search(names, "宁", REGION).only == "海宁市"


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

            # Enter submits the text as typed: the server goes to the one region it names
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


@pytest.mark.browser
def test_without_javascript_the_search_lists_matches_and_their_links_load(big_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900}).new_page()
            page.goto(big_server + "/indicators/T2-1?year=2024")
            box = page.locator("input[name=region]")
            box.fill("海")
            box.press("Enter")  # the form's own GET: no script suggests or swaps anything
            page.wait_for_url(re.compile(r".*/indicators/T2-1\?year=2024&region=%E6%B5%B7&method=elapsed_time$"))
            assert page.locator("section p.lead").inner_text() == "名称包含“海”的地区共 2 个，请选择："
            assert page.locator("ul.region-matches a").all_inner_texts() == ["海宁市", HAIYAN]
            page.locator("ul.region-matches a", has_text=HAIYAN).click()
            page.wait_for_url(re.compile(r".*region=%E6%B5%B7%E7%9B%90%E5%8E%BF.*"))
            assert page.locator("input[name=region]").input_value() == HAIYAN
            assert page.locator("td.num", has_text="1050.2").count() >= 1
            # the region's parent, one click away; a part of one name goes straight to it
            page.locator("nav.region-tree a", has_text=REGION).click()
            page.wait_for_url(re.compile(r".*region=%E5%98%89%E5%85%B4%E5%B8%82.*"))
            box = page.locator("input[name=region]")
            box.fill("官镇")
            box.press("Enter")
            page.wait_for_url(re.compile(r".*region=%E7%9B%90%E5%AE%98%E9%95%87.*"))
            assert page.locator("nav.region-tree").inner_text() == "上级地区：海宁市"
        finally:
            browser.close()
