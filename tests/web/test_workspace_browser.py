"""The annual data cycle in Debian's chromium, against a real uvicorn.

A reporter of 统计局 logs in, fills three figures of the 2025 round (one with a unit mistake, refused in
its row, nothing saved), saves them, downloads the pre-filled sheet, adds a fourth figure in it and
uploads it to submit all four; a planner returns one with a comment and approves the others; the public
dashboard (public mode, no login) shows a reported value only once it is approved; a form posted without
its CSRF token is refused. Screenshots of each step land in tests/output/.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planwatch.model import SubmissionState

from .conftest import free_port, running
from .test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parents[1] / "output"
PASSWORD = "browser password 2025"
# 2025 figures; each within 30 % of the year before (no plausibility question)
FIGURES = {"T2-1": ("8123.4", "亿元"), "T2-3": ("73.1", "%"), "T2-5": ("3.71", "%")}
SHEET_FIGURE = ("T2-2", "6.8")


@pytest.fixture
def cycle(web_store):
    from planwatch.web import WebSettings, create_app

    web_store.add_user("tj1", role="reporter", unit="统计局", password=PASSWORD)
    web_store.add_user("planner1", role="planner", password=PASSWORD)
    for ind in ("T2-1", "T2-2", "T2-3", "T2-5"):
        web_store.assign(ind, "统计局")
    rnd = web_store.open_round(year=2025, due="2026-03-31", actor="planner1")
    app = create_app(WebSettings(db=web_store.url, cache_seconds=0), store=web_store)
    with running(app, host="127.0.0.1", port=free_port(), log_level="warning") as url:
        yield url, rnd, web_store


def shot(page, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"workspace-{name}.png"), full_page=True)


def log_in(page, base: str, name: str, then: str) -> None:
    page.goto(f"{base}/login?next={then}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("form[action$='/login'] button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def row_of(page, indicator: str):
    return page.locator(f"tr[data-indicator='{indicator}'][data-region='嘉兴市']")


def public_value_shown(page, base: str, indicator: str, value: str) -> bool:
    page.goto(f"{base}/indicators/{indicator}?year=2025")
    return value in page.locator("main").inner_text()


def test_report_review_publish_in_chromium(cycle):
    from playwright.sync_api import sync_playwright

    base, rnd, store = cycle
    todo = f"/rounds/{rnd.id}"
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            assert not public_value_shown(public, base, "T2-3", "73.1")

            # ---- the reporter: three figures, one in the wrong unit
            reporter = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
            reporter.on("request", lambda req: requested.append(req.url))
            log_in(reporter, base, "tj1", todo)
            for ind, (value, unit) in FIGURES.items():
                row = row_of(reporter, ind)
                row.locator("input[name^=value-]").fill(value)
                row.locator("input[name^=unit-]").fill("亿元" if ind == "T2-3" else unit)  # the mistake
                row.locator("input[name^=source-]").fill("2025年嘉兴市统计公报")
            reporter.click("button[name=action][value=submit]")
            problem = reporter.locator("tr.row-messages li.problem")
            problem.first.wait_for()
            assert row_of(reporter, "T2-3").get_attribute("class") == "has-problems"
            messages = problem.all_inner_texts()
            assert len(messages) == 1 and "单位" in messages[0] and "亿元" in messages[0], messages
            assert reporter.locator("p.form-error").inner_text().startswith("有 1 处问题，未保存任何数据")
            shot(reporter, "1-unit-refused")
            assert store.submissions(rnd.id) == []  # all or nothing: the two good rows were not kept either
            # the typed values are still in the form; the unit is corrected and the figures saved as drafts
            assert row_of(reporter, "T2-1").locator("input[name^=value-]").input_value() == "8123.4"
            row_of(reporter, "T2-3").locator("input[name^=unit-]").fill("%")
            reporter.click("button[name=action][value=save]")
            reporter.wait_for_selector("p.form-error, p.form-done, p[role=status]", timeout=15000)
            saved = {s.indicator: s for s in store.submissions(rnd.id)}
            assert {k: (s.value, s.state) for k, s in saved.items()} == {
                "T2-1": (8123.4, SubmissionState.draft), "T2-3": (73.1, SubmissionState.draft),
                "T2-5": (3.71, SubmissionState.draft)}

            # ---- the sheet: downloaded pre-filled, a fourth figure added, uploaded to submit all
            with reporter.expect_download() as got:
                reporter.click(f"a[href$='{todo}/sheet.xlsx']")
            book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
            sheet = book.active
            header = [c.value for c in sheet[1]]
            col = {name: header.index(name) + 1 for name in ("指标编号", "数值", "来源")}
            rows = {sheet.cell(r, col["指标编号"]).value: r for r in range(2, sheet.max_row + 1)}
            assert str(sheet.cell(rows["T2-1"], col["数值"]).value) == "8123.4"  # the draft, pre-filled
            sheet.cell(rows[SHEET_FIGURE[0]], col["数值"]).value = SHEET_FIGURE[1]
            sheet.cell(rows[SHEET_FIGURE[0]], col["来源"]).value = "2025年嘉兴市统计公报"
            upload = OUTPUT / "workspace-sheet.xlsx"
            OUTPUT.mkdir(exist_ok=True)
            book.save(upload)
            reporter.set_input_files("#sheet-file", str(upload))
            reporter.check("form.sheet-upload input[name=action][value=submit]")
            reporter.click("form.sheet-upload button[type=submit]")
            reporter.wait_for_load_state()
            shot(reporter, "2-sheet-submitted")
            sent = {s.indicator: s for s in store.submissions(rnd.id)}
            assert {k: s.state for k, s in sent.items()} == {k: SubmissionState.submitted
                                                             for k in ("T2-1", "T2-2", "T2-3", "T2-5")}
            assert sent["T2-2"].value == 6.8
            assert not public_value_shown(public, base, "T2-3", "73.1")  # submitted is not approved

            # ---- the planner: returns one with a comment, approves the others
            planner_context = browser.new_context(viewport={"width": 1280, "height": 1000})
            planner = planner_context.new_page()
            log_in(planner, base, "planner1", f"/rounds/{rnd.id}/board")
            shot(planner, "3-board")
            planner.goto(f"{base}/submissions/{sent['T2-5'].id}")
            planner.fill("#comment", "研发经费请按快报口径填报")
            planner.click("form[action$='/return'] button[type=submit]")
            planner.wait_for_load_state()
            for ind in ("T2-1", "T2-2", "T2-3"):
                planner.goto(f"{base}/submissions/{sent[ind].id}")
                planner.click("form[action$='/approve'] button[type=submit]")
                planner.wait_for_load_state()
            planner.goto(f"{base}/submissions/{sent['T2-3'].id}")
            assert "已通过" in planner.locator("dl.facts").inner_text()
            shot(planner, "4-approved")
            done = {s.indicator: s for s in store.submissions(rnd.id)}
            assert {k: s.state for k, s in done.items()} == {
                "T2-1": SubmissionState.approved, "T2-2": SubmissionState.approved,
                "T2-3": SubmissionState.approved, "T2-5": SubmissionState.returned}
            assert done["T2-5"].comment == "研发经费请按快报口径填报"

            # ---- the reporter sees the comment on its to-do list
            reporter.goto(f"{base}{todo}")
            assert "研发经费请按快报口径填报" in row_of(reporter, "T2-5").inner_text()
            shot(reporter, "5-returned")

            # ---- the public dashboard now shows the approved value, not the returned one
            assert public_value_shown(public, base, "T2-3", "73.1")
            shot(public, "6-public-after-approval")
            assert not public_value_shown(public, base, "T2-5", "3.71")

            # ---- a form posted with the planner's cookie but without the CSRF token is refused
            forged = planner_context.request.post(f"{base}/submissions/{done['T2-5'].id}/approve",
                                                  form={"version": str(done["T2-5"].version)})
            assert forged.status == 403
            assert "CSRF" in forged.text()
            assert store.submission(done["T2-5"].id).state == SubmissionState.returned
        finally:
            browser.close()
    assert requested and all(u.startswith(base + "/") for u in requested), requested
