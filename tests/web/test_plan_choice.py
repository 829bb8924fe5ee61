"""Every stored plan on the web (issue 10, web/plan_choice.py): each plan under /p/{key}/, the root a
plan chooser when several are stored, one login for all of them.

The store is the real Jiaxing one with the 15th plan beside the 14th (``two_plans`` in tests/conftest.py):
the GDP figures imported once serve both, judged by each plan's own targets.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, unquote

import pytest
from tests.conftest import FIFTEENTH, fifteenth_plan

from planwatch.samples import JIAXING_OUTLINE
from planwatch.store.plans import plan_key

from .people import add_people, app_client, csrf_of, log_in

JIAXING_14TH = "嘉兴市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"


def at(key: str, path: str = "/") -> str:
    """The address of ``path`` under plan ``key``, as the site links it."""
    return f"/p/{quote(key, safe='')}{path}"


class Links(HTMLParser):
    """Every href and form action of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [v for k, v in attrs if k in ("href", "action", "src", "data-src", "hx-get") and v]


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def gdp(answer) -> dict:
    assert answer.status_code == 200, answer.text
    return next(f for f in answer.json()["findings"] if f["indicator_id"] == "T2-1")


@pytest.fixture
def site(two_plans):
    """A reader (viewer) logged in at the root of the two-plan site: (client, store, 14th key, 15th key)."""
    store, fourteenth, fifteenth = two_plans
    add_people(store, "reader", "planner1", "admin1")
    client = app_client(store)
    log_in(client, "reader")
    return client, store, fourteenth, fifteenth


# ---------------------------------------------------------------- the root: a chooser


def test_the_root_lists_both_plans_and_api_plans_gives_each_address(site):
    client, _, fourteenth, fifteenth = site
    page = client.get("/")
    assert page.status_code == 200 and "<h1 id=\"plans-h\">选择规划</h1>" in page.text
    assert JIAXING_14TH in page.text and FIFTEENTH in page.text
    assert "2021—2025年" in page.text and "2026—2030年" in page.text and "嘉兴市（市级）" in page.text
    assert {at(fourteenth), at(fifteenth)} <= set(links(page.text))
    # no plan's own page is linked at the root of several: they are under each plan
    assert not {"/plan", "/projects", "/tasks", "/rounds", "/reports"} & set(links(page.text))
    listed = client.get("/api/plans").json()
    assert [{k: v for k, v in p.items() if k != "loaded_at"} for p in listed] == [
        {"key": fourteenth, "title": JIAXING_14TH, "short_title": "嘉兴市 十四五 2021—2025年", "region": "嘉兴市",
         "level": "city", "period_start": 2021, "period_end": 2025, "versions": 1, "latest_version": 1,
         "url": at(fourteenth)},
        {"key": fifteenth, "title": FIFTEENTH, "short_title": "嘉兴市 十五五 2026—2030年", "region": "嘉兴市",
         "level": "city", "period_start": 2026, "period_end": 2030, "versions": 1, "latest_version": 1,
         "url": at(fifteenth)},
    ]


def test_a_plans_page_at_the_root_offers_it_under_each_plan(site):
    client, _, fourteenth, fifteenth = site
    page = client.get("/indicators/T2-1?year=2024")
    # 300 Multiple Choices: the address names one page per plan; the body links each
    assert page.status_code == 300
    assert "所访问的页面 <code>/indicators/T2-1?year=2024</code> 属于某一规划" in page.text
    assert {at(fourteenth, "/indicators/T2-1?year=2024"), at(fifteenth, "/indicators/T2-1?year=2024")} <= set(
        links(page.text))
    refused = client.get("/api/findings?year=2024")
    body = refused.json()
    assert (refused.status_code, body["code"], body["status"]) == (409, "plan_required", 409)
    assert body["error"].startswith(f"数据库中有 2 个规划，此地址须指明规划：请在路径前加上 /p/规划键，如 /p/{fourteenth}/api/findings")
    assert f"{fourteenth}（嘉兴市 十四五 2021—2025年）、{fifteenth}（嘉兴市 十五五 2026—2030年）" in body["error"]
    # a form posted at the root changes nothing: it is answered with the choice too
    assert client.post("/api/adjustments", json={}, headers={"X-CSRF-Token": csrf_of(client)}).status_code == 409


def test_the_chooser_asks_for_a_login_like_the_dashboard(two_plans):
    store, fourteenth, _ = two_plans
    anonymous = app_client(store)  # public mode is off: no plan key is shown to a stranger
    assert anonymous.get("/api/plans").status_code == 401
    refused = anonymous.get("/api/findings")
    assert refused.status_code == 401 and fourteenth not in refused.text
    page = anonymous.get("/indicators/T2-1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert anonymous.get(at(fourteenth, "/api/findings")).status_code == 401


def test_an_unknown_plan_key_is_404_naming_the_known_ones(site):
    client, _, fourteenth, fifteenth = site
    page = client.get("/p/nowhere/indicators/T2-1")
    assert page.status_code == 404 and f"没有键为 nowhere 的规划（已有：{fourteenth}（嘉兴市 十四五 2021—2025年）" in page.text
    assert at(fifteenth) in links(page.text)
    answer = client.get("/p/nowhere/api/findings")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    assert fourteenth in answer.json()["error"] and fifteenth in answer.json()["error"]


# ---------------------------------------------------------------- each plan under its prefix


def test_each_plan_is_judged_under_its_own_prefix(site):
    client, _, fourteenth, fifteenth = site
    # 14th, 2024: 7569.53 against 5509.5 → 9000: 滞后 (as the 14th plan is judged with no choice to make)
    old = gdp(client.get(at(fourteenth, "/api/findings?year=2024")))
    assert (old["actual"], old["target"], old["status"]) == (7569.53, 9000.0, "lagging")
    # 15th, 2026: 8800 against 8200 (2025) → 12000 (2030): completion 0.1854 of time 0.2: 基本符合预期
    new = gdp(client.get(at(fifteenth, "/api/findings?year=2026")))
    assert (new["actual"], new["target"], new["status"]) == (8800.0, 12000.0, "on_track")
    assert new["completion"] == pytest.approx(0.18546, abs=1e-4)
    assert client.get(at(fifteenth, "/api/plan")).json()["meta"]["title"] == FIFTEENTH
    assert client.get(at(fifteenth)).status_code == 200
    # a key typed as is (not percent-encoded) is the same address
    assert client.get(f"/p/{fifteenth}/api/plan").json()["meta"]["period_start"] == 2026


def test_every_link_of_a_plans_pages_stays_under_its_prefix(site):
    _, store, fourteenth, fifteenth = site
    admin, planner = app_client(store), app_client(store)
    log_in(admin, "admin1")
    log_in(planner, "planner1")
    here = at(fifteenth)
    pages = [(admin, p) for p in ("/", "/indicators/T2-1?year=2026", "/plan", "/plan/regions", "/projects", "/tasks",
                                  "/rounds", "/reports", "/audit", "/admin/users", "/admin/settings", "/account/password")]
    pages += [(planner, p) for p in ("/admin/responsibilities", "/plan/adjust", "/plan/upload", "/rounds")]
    strays = []
    for who, page in pages:
        answer = who.get(here.rstrip("/") + page)
        assert answer.status_code == 200, (page, answer.status_code, answer.text[:300])
        start, end = answer.text.index('<details class="plan-switch">'), answer.text.index("</details>")
        switch, rest = answer.text[start:end], answer.text[:start] + answer.text[end:]
        # the switcher links this plan, the other one and the chooser; every other link stays under this plan
        assert {unquote(link).split(f"/p/{fourteenth}")[0].split(f"/p/{fifteenth}")[0] for link in links(switch)} == {
            "", "/plans"}, switch
        strays += [f"{page}: {link}" for link in links(rest)
                   if link.startswith("/") and not link.startswith("/static/") and not unquote(link).startswith(unquote(here))]
    assert not strays, "\n".join(strays)


def test_the_header_switches_to_the_same_page_of_the_other_plan(site):
    client, _, fourteenth, fifteenth = site
    page = client.get(at(fourteenth, "/plan")).text
    switch = page[page.index('<details class="plan-switch">'):page.index("</details>")]
    assert '<span class="current">嘉兴市 十四五 2021—2025年</span> · 切换规划' in switch
    assert links(switch) == [at(fourteenth, "/plan"), at(fifteenth, "/plan"), "/plans"]
    # a page naming an item of its plan switches to the other plan's dashboard
    page = client.get(at(fourteenth, "/indicators/T2-1")).text
    switch = page[page.index('<details class="plan-switch">'):page.index("</details>")]
    assert links(switch) == [at(fourteenth), at(fifteenth), "/plans"]


# ---------------------------------------------------------------- one login for every plan


def test_a_login_at_the_root_holds_under_every_plan_and_forms_keep_their_csrf_check(two_plans):
    store, fourteenth, fifteenth = two_plans
    add_people(store, "planner1")
    client = app_client(store)
    login = client.get("/login")  # a workspace page: answered at the root
    assert login.status_code == 200 and 'action="/login"' in login.text
    token = log_in(client, "planner1")
    assert client.get(at(fifteenth, "/admin/responsibilities")).status_code == 200  # a planner's page
    assert client.get(at(fourteenth, "/api/me")).json()["account"]["name"] == "planner1"
    adjustment = {"indicator": "T2-1", "new_value": 12500, "reason": "测试调整"}
    refused = client.post(at(fifteenth, "/api/adjustments"), json=adjustment)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert store.adjustments(fifteenth) == []
    done = client.post(at(fifteenth, "/api/adjustments"), json=adjustment, headers={"X-CSRF-Token": token})
    assert done.status_code == 201, done.text
    assert [(a.indicator, a.new_value) for a in store.adjustments(fifteenth)] == [("T2-1", 12500.0)]
    assert store.adjustments(fourteenth) == []
    # logging out under one plan ends the session everywhere
    out = client.post(at(fourteenth, "/logout"), data={"csrf_token": token}, follow_redirects=False)
    assert (out.status_code, unquote(out.headers["location"])) == (303, f"/p/{fourteenth}/")
    assert client.get(at(fifteenth, "/api/me")).json()["account"] is None


def test_a_login_under_a_plan_comes_back_to_the_page_asked_for(two_plans):
    store, _, fifteenth = two_plans
    add_people(store, "reader")
    client = app_client(store)
    sent = client.get(at(fifteenth, "/indicators/T2-1"), follow_redirects=False)
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert unquote(target).startswith(f"/p/{fifteenth}/login?next=")
    form = client.get(target)
    assert form.status_code == 200
    done = client.post(unquote(target.split("?")[0]), data={
        "username": "reader", "password": "correct horse 1", "csrf_token": csrf_of(client),
        "next": unquote(target.split("next=")[1])}, follow_redirects=False)
    assert done.status_code == 303 and unquote(done.headers["location"]) == f"/p/{fifteenth}/indicators/T2-1"


# ---------------------------------------------------------------- one plan, or --plan: the root as before


def test_with_one_plan_the_root_is_its_dashboard_and_its_prefix_serves_it_too(jiaxing_store, jiaxing_plan):
    add_people(jiaxing_store, "reader")
    client = app_client(jiaxing_store)
    log_in(client, "reader")
    key = plan_key(jiaxing_plan)
    root = client.get("/")
    assert root.status_code == 200 and f"<h1>{JIAXING_14TH}</h1>" in root.text and "plan-switch" not in root.text
    assert gdp(client.get("/api/findings?year=2024"))["status"] == "lagging"
    assert gdp(client.get(at(key, "/api/findings?year=2024")))["actual"] == 7569.53
    prefixed = client.get(at(key))
    assert prefixed.status_code == 200 and f'<a href="/p/{key}/plan">规划文本</a>' in prefixed.text
    assert [p["key"] for p in client.get("/api/plans").json()] == [key]
    assert client.get("/plans").status_code == 200


def test_with_a_plan_given_the_root_serves_it_and_the_others_are_under_their_prefix(two_plans):
    store, fourteenth, fifteenth = two_plans
    add_people(store, "reader")
    client = app_client(store, plan=fourteenth)
    log_in(client, "reader")
    assert gdp(client.get("/api/findings?year=2024"))["target"] == 9000.0
    assert gdp(client.get(at(fifteenth, "/api/findings?year=2026")))["target"] == 12000.0
    page = client.get("/plan").text
    assert '<span class="current">嘉兴市 十四五 2021—2025年</span>' in page and at(fifteenth, "/plan") in links(page)


# ---------------------------------------------------------------- a plan added while the site runs


def test_a_plan_loaded_while_serving_is_served_at_once(jiaxing_store, jiaxing_plan):
    add_people(jiaxing_store, "reader")
    client = app_client(jiaxing_store, cache_seconds=60)  # the plan list is looked at again within a second
    log_in(client, "reader")
    assert client.get("/").status_code == 200 and "选择规划" not in client.get("/").text
    fifteenth = fifteenth_plan(jiaxing_plan)
    jiaxing_store.load_plan(fifteenth, source="test")
    # an address of the new plan is looked up at once; the root turns into the chooser within the interval
    assert client.get(at(plan_key(fifteenth), "/api/plan")).json()["meta"]["title"] == FIFTEENTH


def test_publishing_another_plan_on_the_web_serves_it_under_its_key(jiaxing_store, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # drafts go to this test's own folder
    add_people(jiaxing_store, "planner1")
    client = app_client(jiaxing_store)
    token = log_in(client, "planner1")
    text = JIAXING_OUTLINE.read_text(encoding="utf-8").replace("嘉兴市国民经济和社会发展第十四个五年规划",
                                                               "平湖市国民经济和社会发展第十四个五年规划", 1)
    uploaded = client.post("/plan/upload", files={"file": ("pinghu.txt", text.encode(), "text/plain")},
                           data={"csrf_token": token}, follow_redirects=False)
    assert uploaded.status_code == 303
    draft = client.get(uploaded.headers["location"].replace("/plan/drafts/", "/api/plan/drafts/")).json()
    key = draft["plan_key"]
    assert key.startswith("平湖市-") and draft["stored_version"] is None
    published = client.post(f"{uploaded.headers['location']}/publish", data={"csrf_token": token, "accept_open": "1"},
                            follow_redirects=False)
    assert (published.status_code, unquote(published.headers["location"])) == (303, f"/p/{key}/plan?published=1")
    assert "已发布为规划第 1 版" in client.get(published.headers["location"]).text
    assert [p.key for p in jiaxing_store.plans()][1] == key
    root = client.get("/")
    assert root.status_code == 200 and "选择规划" in root.text and at(key) in links(root.text)
    assert client.get("/api/findings").json()["code"] == "plan_required"
