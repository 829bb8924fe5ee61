"""Web hardening (issue 13 item 9), against the real app on the real SQLite sample store.

Security headers on every response (pages, API, static files, errors), the Host allow-list,
HEAD, Swagger UI without a CDN, no inline script or style under the strict CSP, long inputs
never echoed in full, oversized request headers refused with 431, and one rule for the year.
The last tests run `planwatch serve`'s own uvicorn options and Debian's chromium.
"""

from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser

import httpx
import pytest
from fastapi.testclient import TestClient

import planwatch.cli.serve_cmd as serve_cmd
from planwatch.cli import main
from planwatch.vocabulary import STATUS_COLOURS
from planwatch.web import WebSettings, create_app
from planwatch.web.security import CONTENT_SECURITY_POLICY, FOREIGN_HOST, HEADERS_TOO_LARGE

from .conftest import free_port, running

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
YEAR_0 = "评估年份 0 超出规划期：应在基期 2020 年至目标年 2025 年之间"


def assert_hardened(r: httpx.Response) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert r.headers.get(name) == value, (r.request.url, name, r.headers.get(name))


# ---------------------------------------------------------------- headers on every response


def test_the_policy_is_strict():
    policy = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["img-src"] == "'self' data:"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("path", "status"), [
    ("/?year=2024", 200),
    ("/indicators/T2-1?year=2024", 200),
    ("/api/findings?year=2024", 200),
    ("/api/openapi.json", 200),
    ("/api/docs", 200),
    ("/static/style.css", 200),
    ("/static/vendor/echarts.min.js", 200),
    ("/status.css", 200),
    ("/static/nothing.js", 404),
    ("/nothing", 404),
    ("/api/nothing", 404),
    ("/indicators/T9-9", 404),
    ("/api/findings?year=abc", 400),
    ("/?year=2030", 400),
])
def test_security_headers_on_every_response(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert_hardened(r)


def test_security_headers_on_refusals_and_method_errors(client):
    refused = [client.get("/", headers={"host": "evil.example"}),
               client.get("/api/plan", headers={"x-big": "a" * 100_000}),
               client.post("/api/findings")]
    assert [r.status_code for r in refused] == [400, 431, 405]
    for r in refused:
        assert_hardened(r)


def test_security_headers_on_an_unexpected_500(web_store, tmp_path):
    # A damaged plan row: a failure no planwatch error covers, answered outside the middleware stack.
    with sqlite3.connect(tmp_path / "web.db") as conn:
        conn.execute("UPDATE plan_versions SET plan_json = '{\"meta\": 1}'")
    app = create_app(WebSettings(db=web_store.url), store=web_store)
    for path in ("/", "/api/findings"):
        r = TestClient(app, raise_server_exceptions=False).get(path)
        assert r.status_code == 500
        assert_hardened(r)


# ---------------------------------------------------------------- no inline script or style


class InlineFinder(HTMLParser):
    """What a strict CSP would block in a page: inline scripts and styles, handlers, outside URLs."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style" or (tag == "script" and not attrs.get("src")):
            self.blocked.append(f"inline <{tag}>")
        self.blocked += [f"{tag} {name}=" for name in attrs if name == "style" or name.startswith("on")]
        self.urls += [attrs[k] for k in ("src", "href") if attrs.get(k) and tag in ("script", "link")]


def inline_parts(html: str) -> InlineFinder:
    finder = InlineFinder()
    finder.feed(html)
    return finder


@pytest.mark.parametrize("path", ["/?year=2024", "/indicators/T2-1?year=2024", "/?year=2030", "/api/docs"])
def test_pages_have_no_inline_script_or_style(client, path):
    page = inline_parts(client.get(path).text)
    assert page.blocked == []
    assert page.urls and all(u.startswith("/") or u == "data:," for u in page.urls), page.urls


def test_status_colours_come_from_the_one_palette(client):
    r = client.get("/status.css")
    assert r.headers["content-type"].startswith("text/css")
    for status, colour in STATUS_COLOURS.items():
        assert f".status-{status.value} {{ --status: {colour}; }}" in r.text
    html = client.get("/?year=2024").text
    assert '<span class="badge status-lagging"' in html and 'class="card status-ahead"' in html


# ---------------------------------------------------------------- Host allow-list


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:8000", ""])
def test_a_foreign_host_is_refused(client, host):
    api = client.get("/api/findings", headers={"host": host})
    assert (api.status_code, api.json()) == (400, {"error": FOREIGN_HOST, "code": "host_not_allowed", "status": 400})
    page = client.get("/", headers={"host": host})
    assert page.status_code == 400 and FOREIGN_HOST in page.text and 'lang="zh-CN"' in page.text


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_local_hosts_are_allowed(client, host):
    assert client.get("/api/regions", headers={"host": host}).status_code == 200


def test_allowed_hosts_setting_and_wildcards(web_store):
    settings = WebSettings(db=web_store.url, allowed_hosts=["planwatch.example.cn", "*.jiaxing.gov.cn"])
    c = TestClient(create_app(settings, store=web_store))
    ok = ["planwatch.example.cn", "planwatch.example.cn:443", "tjj.jiaxing.gov.cn"]
    refused = ["localhost", "jiaxing.gov.cn.evil.example", "example.cn"]
    assert [c.get("/api/regions", headers={"host": h}).status_code for h in ok] == [200] * 3
    assert [c.get("/api/regions", headers={"host": h}).status_code for h in refused] == [400] * 3
    anyone = TestClient(create_app(WebSettings(db=web_store.url, allowed_hosts=["*"]), store=web_store))
    assert anyone.get("/api/regions", headers={"host": "evil.example"}).status_code == 200


def test_allowed_hosts_from_the_environment_add_to_the_local_ones(monkeypatch):
    monkeypatch.setenv("PLANWATCH_ALLOWED_HOSTS", " planwatch.example.cn, 10.0.0.5 ,")
    assert WebSettings().allowed_hosts == ["localhost", "127.0.0.1", "::1", "testserver",
                                           "planwatch.example.cn", "10.0.0.5"]
    monkeypatch.delenv("PLANWATCH_ALLOWED_HOSTS")
    assert WebSettings().allowed_hosts == ["localhost", "127.0.0.1", "::1", "testserver"]


def test_a_specific_listening_address_is_trusted():
    assert "192.168.1.20" in WebSettings(host="192.168.1.20").trusted_hosts()
    assert WebSettings(host="0.0.0.0").trusted_hosts() == WebSettings().allowed_hosts


def test_serve_allow_host_reaches_the_app(web_store, monkeypatch, capsys):
    import planwatch.web

    made: list[WebSettings] = []
    real_create_app = planwatch.web.create_app

    def spy(settings=None, **kw):
        made.append(settings)
        return real_create_app(settings, **kw)

    monkeypatch.setattr(planwatch.web, "create_app", spy)
    argv = ["serve", "--db", web_store.url, "--allow-host", "planwatch.example.cn", "--allow-host", "*.jiaxing.gov.cn",
            "--get", "/api/regions"]
    assert main(argv) == 0
    assert made[0].allowed_hosts[-2:] == ["planwatch.example.cn", "*.jiaxing.gov.cn"]
    assert "127.0.0.1" in made[0].allowed_hosts
    assert json.loads(capsys.readouterr().out)["choices"] == ["嘉兴市", "南湖区"]


# ---------------------------------------------------------------- HEAD


@pytest.mark.parametrize("path", ["/", "/indicators/T2-1", "/api/findings", "/api/docs", "/static/style.css",
                                  "/status.css"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]
    assert_hardened(head)


def test_head_of_an_error_keeps_its_status(client):
    r = client.head("/api/findings?year=0")
    assert (r.status_code, r.content) == (400, b"")


# ---------------------------------------------------------------- Swagger UI without a CDN


def test_swagger_ui_is_served_from_vendored_files(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text)
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", r.text)
    assert sorted(assets) == ["/static/swagger-init.js", "/static/vendor/swagger-ui-bundle.js",
                              "/static/vendor/swagger-ui.css"]
    for path in assets:
        asset = client.get(path)
        assert asset.status_code == 200 and len(asset.content) > 200, path
        assert "cdn.jsdelivr.net" not in asset.text and "unpkg.com" not in asset.text
    assert 'data-openapi-url="/api/openapi.json"' in r.text
    assert client.get("/api/openapi.json").json()["paths"]["/api/findings"]


def test_vendored_swagger_is_recorded_with_its_licence(client):
    from planwatch.web import STATIC

    readme = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "swagger-ui-dist" in readme and "5.35.0" in readme and "Apache-2.0" in readme
    licence = (STATIC / "vendor" / "swagger-ui.LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "SmartBear" in licence
    assert "5.35.0" in client.get("/static/vendor/swagger-ui-bundle.js").text


# ---------------------------------------------------------------- long inputs never echoed in full


LONG = "长" * 5000


@pytest.mark.parametrize(("path", "status", "start"), [
    (f"/api/findings?region={LONG}", 400, "未知地区：" + "长" * 100 + "…（可选："),
    (f"/api/indicators/{LONG}", 404, "未找到指标：" + "长" * 100 + "…"),
    (f"/api/findings?year={'7' * 5000}", 400, "参数 year 的值 '" + "7" * 100 + "…' 无效（应为整数）"),
    (f"/api/findings?year={'7' * 300}", 400, "评估年份 " + "7" * 100 + "… 超出规划期"),
    (f"/api/findings?method={LONG}", 400, "未知的评估方法“" + "长" * 100 + "…”"),
])
def test_long_inputs_are_cut_in_json_errors(client, path, status, start):
    r = client.get(path)
    assert r.status_code == status
    error = r.json()["error"]
    assert error.startswith(start), error
    assert len(error) < 600 and len(r.content) < 2000


def test_long_inputs_are_cut_in_error_pages(client):
    r = client.get(f"/?region={LONG}")
    assert r.status_code == 400
    assert "未知地区：" + "长" * 100 + "…（可选：嘉兴市、南湖区）" in r.text
    assert "长" * 101 not in r.text and len(r.content) < 5000


# ---------------------------------------------------------------- request header size


def test_a_100_kb_header_is_refused_with_431(client):
    api = client.get("/api/findings", headers={"x-padding": "a" * 100_000})
    assert (api.status_code, api.json()) == (431, {"error": HEADERS_TOO_LARGE, "code": "headers_too_large", "status": 431})
    page = client.get("/", headers={"cookie": "a=" + "b" * 100_000})
    assert page.status_code == 431 and HEADERS_TOO_LARGE in page.text


def test_header_limits_total_and_per_field(client):
    assert client.get("/api/regions", headers={"x-one": "a" * 9000}).status_code == 431
    many = {f"x-h{i}": "a" * 1000 for i in range(20)}  # 20 KB in fields of 1 KB each
    assert client.get("/api/regions", headers=many).status_code == 431
    some = {f"x-h{i}": "a" * 1000 for i in range(10)}
    assert client.get("/api/regions", headers=some).status_code == 200


# ---------------------------------------------------------------- one rule for the year


@pytest.mark.parametrize("year", ["0", "-1", "2019", "2026", "2030"])
def test_every_year_outside_the_plan_is_the_same_400(client, year):
    message = f"评估年份 {year} 超出规划期：应在基期 2020 年至目标年 2025 年之间"
    api = client.get(f"/api/findings?year={year}")
    assert (api.status_code, api.json()) == (400, {"error": message, "code": "invalid_request", "status": 400})
    page = client.get(f"/indicators/T2-1?year={year}")
    assert page.status_code == 400 and message in page.text


def test_year_0_is_refused_like_the_cli_refuses_it(client, web_store, capsys):
    assert client.get("/api/findings?year=0").json()["error"] == YEAR_0
    assert main(["evaluate", "--year", "0", "--db", web_store.url]) == 1
    assert YEAR_0 in capsys.readouterr().err


def test_years_of_the_plan_still_answer(client):
    assert [client.get(f"/api/findings?year={y}").status_code for y in range(2020, 2026)] == [200] * 6
    assert client.get("/api/findings").json()["year"] == 2024


# ---------------------------------------------------------------- `planwatch serve`'s own server


@pytest.fixture
def served(web_store):
    """The app under uvicorn with the options `planwatch serve` uses."""
    settings = WebSettings(db=web_store.url, port=free_port())
    app = create_app(settings, store=web_store)
    with running(app, **serve_cmd.server_options(settings)) as url:
        yield url


def test_served_app_refuses_big_headers_and_foreign_hosts(served):
    with httpx.Client(base_url=served) as http:
        assert_hardened(http.get("/"))
        assert http.head("/").status_code == 200
        big = http.get("/api/plan", headers={"x-padding": "a" * 100_000})
        assert (big.status_code, big.json()["error"]) == (431, HEADERS_TOO_LARGE)
        # beyond h11's buffer uvicorn refuses the request itself, before the app
        assert http.get("/api/plan", headers={"x-padding": "a" * 200_000}).status_code in (400, 431)
        foreign = http.get("/api/plan", headers={"host": "rebound.evil.example"})
        assert (foreign.status_code, foreign.json()["error"]) == (400, FOREIGN_HOST)


# ---------------------------------------------------------------- in chromium, under the CSP

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
# Every CSP violation of the page, as the browser reports it (console messages may be rate-limited).
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"""


def _hover(page, selector: str) -> None:
    box = page.locator(selector + " canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    page.wait_for_timeout(500)


@pytest.mark.browser
def test_charts_and_swagger_render_with_no_csp_violation(served):
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    console: list[str] = []
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.add_init_script(RECORD_VIOLATIONS)
            page.on("request", lambda req: requested.append(req.url))
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))

            page.goto(served + "/?year=2024")
            page.wait_for_selector("#status-chart[data-drawn=true] canvas", timeout=15000)
            assert page.locator(".badge.status-lagging").first.evaluate("e => getComputedStyle(e).backgroundColor") \
                == "rgb(194, 65, 12)"  # STATUS_COLOURS[lagging] #C2410C, from /status.css
            _hover(page, "#status-chart")  # the tooltip is drawn too
            page.select_option("select[name=year]", "2022")  # htmx swap and settle
            page.wait_for_selector('#indicator-table tr[data-indicator="T2-1"][data-status="on_track"]', timeout=15000)
            page.wait_for_selector("#status-chart[data-drawn=true] canvas", timeout=15000)
            violations += page.evaluate("window.__violations")

            page.goto(served + "/indicators/T2-1?year=2024")
            page.wait_for_selector("#indicator-chart[data-drawn=true] canvas", timeout=15000)
            _hover(page, "#indicator-chart")
            violations += page.evaluate("window.__violations")

            page.goto(served + "/api/docs")
            page.wait_for_selector(".swagger-ui .opblock-summary-path[data-path='/api/findings']", timeout=15000)
            page.locator(".opblock-summary-path[data-path='/api/findings']").click()
            page.wait_for_selector(".opblock.is-open .parameters", timeout=15000)
            violations += page.evaluate("window.__violations")
        finally:
            browser.close()
    assert violations == []
    assert console == []
    assert all(u.startswith(served + "/") for u in requested), requested
    assert served + "/static/vendor/swagger-ui-bundle.js" in requested
