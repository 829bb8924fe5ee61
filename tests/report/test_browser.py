"""The HTML report in headless Chromium: tables, drawn charts, Chinese glyphs, A4 print."""

from __future__ import annotations

import re
import shutil

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def page(annual_reports):
    # .ci/run installs Debian's chromium: a missing browser is a failure, not a skip.
    assert shutil.which(CHROMIUM), "Debian's chromium is not installed (apt-get install chromium)"
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
        page.goto(annual_reports[".html"].as_uri())
        yield page
        browser.close()


def test_tables_present(page):
    assert page.locator("table.indicators").count() == 4
    cells = page.locator("tr[data-indicator='T2-1'] td").all_inner_texts()
    assert cells[:3] == ["1", "地区生产总值", "预期性"] and cells[6] == "7569.5"
    assert page.locator("#status-counts td").all_inner_texts() == ["1", "1", "1", "2", "0", "1", "6"]


def test_charts_drawn_with_size(page):
    boxes = [page.locator("figure.chart svg").nth(i).bounding_box() for i in range(page.locator("figure.chart svg").count())]
    assert len(boxes) == 7
    assert all(b["width"] > 300 and b["height"] > 150 for b in boxes)
    # Glyphs are paths: each chart has drawn path elements inside its glyph <use> references.
    assert page.evaluate("[...document.querySelectorAll('figure.chart svg')].every(s => s.querySelectorAll('use').length > 5)")


def test_chinese_text_renders_with_a_cjk_font(page):
    assert page.evaluate("document.fonts.check('16px \"WenQuanYi Micro Hei\"')")
    title = page.locator("h1").bounding_box()
    assert title["width"] > 200 and title["height"] > 10
    # The same title in a font without CJK glyphs would fall back; measure CJK glyphs are full-width.
    widths = page.evaluate("""() => {
        const c = document.createElement('canvas').getContext('2d');
        c.font = '16px "WenQuanYi Micro Hei"';
        return [c.measureText('嘉兴').width, c.measureText('ab').width];
    }""")
    assert widths[0] >= 31 and widths[0] > widths[1]


def test_prints_to_a4(page, tmp_path):
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert data.startswith(b"%PDF") and len(boxes) > 3  # title page, chapters on new pages
    # A4 is 595 x 842 pt (210 x 297 mm); Chromium rounds to within a point.
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)
