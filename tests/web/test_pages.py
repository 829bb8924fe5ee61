"""HTML pages render from the same context as their JSON twins; accessible, Chinese, no CDN."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from planwatch.model import Status
from planwatch.vocabulary import STATUS_DEFINITIONS


class Page(HTMLParser):
    """Collects what the tests look at: table cells by row, external URLs, the html lang."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.urls: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "link", "img") and (attrs.get("src") or attrs.get("href")):
            self.urls.append(attrs.get("src") or attrs.get("href"))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_dashboard_table_grouped_by_category(client):
    r = client.get("/?year=2024")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = parse(r.text)
    assert page.lang == "zh-CN"
    assert page.rows[0] == ["序号", "指标", "单位", "基期", "目标", "最新实际", "完成度", "状态", "预警"]
    # completion by hand (see test_api.py): GDP ln(7569.5/5509.5)/ln(9000/5509.5) = 0.647 → 滞后, 预警;
    # 城镇化率 (72.4−69)/(75−69) = 0.567 on 2022 data; 研发 (3.56−3.1)/(3.75−3.1) = 0.708 → 滞后, 预警.
    # Warning grades by the projected share at 2025 (三级 ≥ 0.9, 二级 ≥ 0.7): GDP ln(8022.11/5509.5)/ln(9000/5509.5)
    # = 0.766; 城镇化率 at the recent pace 72.4 + 0.5 × 3 = 73.9, (73.9 − 69)/6 = 0.817; 研发 3.56 + 0.115 = 3.675,
    # (3.675 − 3.1)/0.65 = 0.885 — all 二级.
    assert page.rows[1:] == [
        ["经济发展"],
        ["1", "地区生产总值 预期性", "亿元", "5509.5", "9000", "7569.5", "64.7%", "滞后", "⚠ 二级预警"],
        ["2", "全员劳动生产率增长 预期性", "%", "—", "7以上", "—", "—", "无数据", ""],
        ["3", "常住人口城镇化率 预期性", "%", "69", "75左右", "72.4（2022年）", "56.7%", "快于预期（按2022年数据）", "⚠ 二级预警"],
        ["科技创新"],
        ["5", "研发经费支出占地区生产总值比重 预期性", "%", "3.1", "3.75", "3.56", "70.8%", "滞后", "⚠ 二级预警"],
    ]


def test_dashboard_cards_legend_and_chart_source(client):
    html = client.get("/?year=2024").text
    assert re.search(r'data-status="lagging">\s*<span class="count">2</span>\s*<span class="label">滞后</span>', html)
    # the legend shows the one definition of each status (planwatch.vocabulary)
    assert STATUS_DEFINITIONS[Status.lagging] in html and STATUS_DEFINITIONS[Status.no_data] in html
    assert 'data-src="/api/findings?year=2024&amp;region=%E5%98%89%E5%85%B4%E5%B8%82&amp;method=elapsed_time"' in html
    assert '<option value="2024" selected>2024年</option>' in html
    assert "嘉兴市 · 2024年主要指标完成情况：共 4 项，其中 3 项预警。" in html


def test_no_asset_from_outside(client):
    for path in ("/", "/indicators/T2-1", "/indicators/T9-9"):
        page = parse(client.get(path).text)
        # vendored files, the status colours (/status.css) and an empty icon: nothing from another origin
        assert page.urls and all(u.startswith("/static/") or u in ("/status.css", "data:,") for u in page.urls), page.urls


def test_vendored_assets_are_served(client):
    for path in ("/static/vendor/echarts.min.js", "/static/vendor/htmx.min.js", "/static/charts.js",
                 "/static/style.css"):
        r = client.get(path)
        assert r.status_code == 200 and len(r.content) > 1000, path
    assert b"echarts" in client.get("/static/vendor/echarts.min.js").content[:2000]


def test_indicator_page(client):
    r = client.get("/indicators/T2-1?year=2024")
    assert r.status_code == 200
    page = parse(r.text)
    obs_rows = [row for row in page.rows if row and row[0].isdigit() and len(row) == 7]
    assert [row[:4] for row in obs_rows] == [
        ["2020", "5563.58", "亿元", "最终核实数"], ["2021", "6388.38", "亿元", "最终核实数"],
        ["2022", "6739.45", "亿元", "初步数"], ["2023", "7062.5", "亿元", ""], ["2024", "7569.5", "亿元", ""]]
    assert obs_rows[0][6].startswith("2 个版本")
    assert "5509.52（初步数）" in obs_rows[0][6]
    assert "规划纲要表2，原文第 458 行" in r.text
    # 5509.5 × (9000/5509.5)^0.8 = 8158.62 planned; projected at the slower recent pace (issue 8 class 9):
    # 7569.5 × (7569.5/6739.45)^(1/2) = 8022.11
    # The 2020 value now stands at its final 5563.58 (the plan printed 5509.5): completion on that base is
    # ln(7569.5/5563.58)/ln(9000/5563.58) = 0.30788/0.48097 = 64.0% (issue 8 class 5).
    assert ("2024年实际7569.5亿元，按计划路径应达8158.62亿元，完成进度64.7%，时间进度80.0%"
            "（基期值现为5563.58亿元，与规划基期值不同，按此计算完成进度64.0%）；"
            "按目前趋势期末约为8022.11亿元，可能难以实现目标（二级预警），滞后。") in r.text
    assert 'data-src="/api/indicators/T2-1?year=2024&amp;' in r.text
    assert '<a href="https://nextlevelartsconsulting.com/thuadong/5531.html" rel="noopener noreferrer nofollow">' in r.text


def test_error_pages_are_chinese(client):
    r = client.get("/indicators/T9-9")
    assert r.status_code == 404 and "未找到指标：T9-9" in r.text and parse(r.text).lang == "zh-CN"
    r = client.get("/?year=1999")
    assert r.status_code == 400 and "评估年份 1999 超出规划期：应在基期 2020 年至目标年 2025 年之间" in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in r.text


def test_error_page_when_the_store_holds_no_plan(empty_store):
    from fastapi.testclient import TestClient

    from planwatch.web import WebSettings, create_app

    r = TestClient(create_app(WebSettings(db=empty_store.url), store=empty_store)).get("/")
    assert r.status_code == 503 and parse(r.text).lang == "zh-CN"
    assert "数据库中还没有规划，请先运行 planwatch load plan.yaml" in r.text


def test_html_escapes_data(empty_store):
    from fastapi.testclient import TestClient

    from planwatch.model import Observation
    from planwatch.web import WebSettings, create_app

    from .conftest import sample_observations, sample_plan

    plan = sample_plan()
    plan.meta.title = "<script>alert(1)</script>规划"
    empty_store.load_plan(plan)
    empty_store.add_observations([*sample_observations(), Observation(
        indicator="T2-1", region="嘉兴市", year=2019, value=5000.0, unit="亿元",
        source="https://example.org/?a=1&b=<b>")])
    c = TestClient(create_app(WebSettings(db=empty_store.url), store=empty_store))
    html = c.get("/").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;规划" in html
    html = c.get("/indicators/T2-1?year=2024").text
    assert "<b>" not in html and "https://example.org/?a=1&amp;b=&lt;b&gt;" in html
