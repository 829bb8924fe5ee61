"""Hostile input in the workspace's forms, uploads and JSON fields: refused with a clear message, or stored
exactly as typed and escaped wherever it is shown; spreadsheets the workspace writes never carry a live
formula; nothing answers 5xx.

The inputs: SQL fragments, a script tag, template syntax (Jinja's ``{{ }}`` and ``{% %}``), formula
cells (``=HYPERLINK``, ``+cmd``, ``@SUM``), 5 MB strings, GBK bytes sent as UTF-8, an upload above the
limit and a zip-bomb workbook (one 80 MB shared string in 80 KB).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from planwatch.inert_cells import reads_as_formula
from planwatch.observe.limits import MAX_FILE_BYTES
from planwatch.store import open_store
from planwatch.web import WebSettings, create_app

from .conftest import fill_store

PASSWORD = "hostile password 2025"
SQL = "'; DROP TABLE users; --"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
TEMPLATE = "{{7*7}}"
BLOCK = "{% if 1 %}执行了{% endif %}"
HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = [HYPERLINK, "+cmd", "@SUM(1)", "-2+3"]
TEXTS = [SQL, SCRIPT, TEMPLATE, BLOCK, *FORMULAS]
HUGE = "长" * (5 * 1024 * 1024 // 3)  # 5 MB of UTF-8
GBK = "统计局说明".encode("gbk")  # not valid UTF-8


# ---------------------------------------------------------------- the workspace


class Browser:
    """A logged-in browser session: cookies and the session's CSRF token on every form."""

    def __init__(self, app, name: str):
        self.client = TestClient(app, follow_redirects=False)
        token = csrf_of(self.client.get("/login").text)
        done = self.client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        assert done.status_code == 303, done.text
        self.token = csrf_of(self.client.get("/login").text)

    def get(self, url: str):
        return self.client.get(url)

    def form(self, url: str, data: dict, files: dict | None = None):
        return self.client.post(url, data={**data, "csrf_token": self.token}, files=files)

    def raw(self, url: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"):
        return self.client.post(url, content=body, headers={"Content-Type": content_type,
                                                             "X-CSRF-Token": self.token})


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no csrf_token field"
    return found[1]


class Workspace:
    def __init__(self, path: Path):
        self.store = open_store(f"sqlite:///{path / 'hostile.db'}")
        self.store.init()
        fill_store(self.store, public=True)
        for name, role, unit in (("admin1", "admin", None), ("planner1", "planner", None),
                                 ("tj1", "reporter", "统计局")):
            self.store.add_user(name, role=role, unit=unit, password=PASSWORD)
        for ind in ("T2-1", "T2-3", "T2-5"):
            self.store.assign(ind, "统计局")
        self.round = self.store.open_round(year=2024, due="2025-03-31", actor="planner1")
        self.app = create_app(WebSettings(db=self.store.url), store=self.store)
        self.tj, self.planner, self.admin = (Browser(self.app, n) for n in ("tj1", "planner1", "admin1"))
        self.api = TestClient(self.app)
        self.bearer = {n: {"Authorization": f"Bearer {self.token(n)}"} for n in ("tj1", "planner1", "admin1")}

    def token(self, name: str) -> str:
        answer = TestClient(self.app).post("/api/token", data={"username": name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def figure_row(self, indicator: str, value: str, **fields: str) -> dict:
        sub = {s.indicator: s for s in self.store.submissions(self.round.id)}.get(indicator)
        return {"rows": "1", "indicator-1": indicator, "region-1": "嘉兴市", "value-1": value,
                "unit-1": fields.get("unit", "亿元" if indicator == "T2-1" else "%"),
                "source-1": fields.get("source", "统计公报"), "note-1": fields.get("note", ""),
                "version-1": str(sub.version if sub else 0), **({"confirm-1": "on"} if fields.get("confirm") else {})}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = Workspace(tmp_path_factory.mktemp("hostile"))
    yield w
    w.store.dispose()


def shows_inert(html: str, text: str) -> None:
    """``text`` is on the page, escaped: never a live tag, never a rendered template."""
    assert SCRIPT not in html
    if text == SCRIPT:
        assert ESCAPED_SCRIPT in html
    if text == BLOCK:
        assert "{% if 1 %}" in html and "执行了{%" in html
    if text == TEMPLATE:
        assert TEMPLATE in html


def no_server_error(answer) -> None:
    assert answer.status_code < 500, f"{answer.status_code}: {answer.text[:300]}"
    assert "Traceback" not in answer.text


# ---------------------------------------------------------------- login and token


@pytest.mark.parametrize("text", [*TEXTS, "长" * 2000], ids=["sql", "script", "template", "block", "hyperlink",
                                                                  "plus", "at", "minus", "long"])
def test_login_with_hostile_names_is_refused_and_echoed_inert(ws, text):
    users = len(ws.store.users())
    client = TestClient(ws.app)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": text, "password": text, "csrf_token": token})
    no_server_error(answer)
    assert answer.status_code in (400, 401)
    assert "用户名或密码错误" in answer.text or "无效" in answer.text
    shows_inert(answer.text, text)
    token_answer = client.post("/api/token", data={"username": text, "password": text})
    no_server_error(token_answer)
    assert token_answer.status_code in (400, 401) and token_answer.json()["error"]
    assert len(ws.store.users()) == users  # the users table is there, unchanged


def test_login_with_gbk_bytes_and_5mb_fields_answers_without_error(ws):
    client = TestClient(ws.app)
    token = csrf_of(client.get("/login").text).encode()
    answer = client.post("/login", content=b"username=" + GBK + b"&password=" + GBK + b"&csrf_token=" + token,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    no_server_error(answer)
    assert answer.status_code in (400, 401)
    huge = client.post("/login", data={"username": HUGE, "password": "x", "csrf_token": token.decode()})
    no_server_error(huge)
    assert huge.status_code in (400, 401, 413)
    assert len(huge.content) < 200_000  # the 5 MB name is not echoed back whole


def test_a_form_field_above_the_form_parsers_limit_is_refused_with_a_clear_message(ws):
    """A 5 MB field passes Starlette's 1 MB-per-field limit of the form parser (400): the person must be told
    the field is too long, not only that the request could not be handled."""
    client = TestClient(ws.app)
    token = csrf_of(client.get("/login").text)
    for answer in (client.post("/login", data={"username": HUGE, "password": "x", "csrf_token": token}),
                   ws.admin.form("/admin/settings", {"public": "on", "change_share": HUGE}),
                   ws.tj.form(f"/rounds/{ws.round.id}/figures", {**ws.figure_row("T2-3", "72"), "note-1": HUGE})):
        no_server_error(answer)
        assert answer.status_code in (400, 413)
        assert len(answer.content) < 200_000  # the 5 MB text is not echoed back
        message = re.search(r'<p class="message">(.*?)</p>', answer.text)
        assert message and ("过长" in message[1] or "超过" in message[1]), message and message[1]


# ---------------------------------------------------------------- figures: form, JSON, upload


@pytest.mark.parametrize("text", TEXTS, ids=["sql", "script", "template", "block", "hyperlink", "plus", "at", "minus"])
def test_a_hostile_value_is_refused_naming_the_row_and_field(ws, text):
    before = ws.store.submissions(ws.round.id)
    answer = ws.tj.form(f"/rounds/{ws.round.id}/figures", {**ws.figure_row("T2-1", text), "action": "save"})
    no_server_error(answer)
    assert answer.status_code == 422, answer.text[:300]
    assert "未保存任何数据" in answer.text
    shows_inert(answer.text, text)
    posted = ws.api.post("/api/submissions", headers=ws.bearer["tj1"], json={
        "indicator": "T2-1", "region": "嘉兴市", "year": 2024, "value": text, "unit": "亿元"})
    no_server_error(posted)
    assert posted.status_code in (400, 422), posted.text
    body = posted.json()
    assert "数值" in body["error"] or "value" in body["error"], body
    assert ws.store.submissions(ws.round.id) == before


@pytest.mark.parametrize("text", TEXTS, ids=["sql", "script", "template", "block", "hyperlink", "plus", "at", "minus"])
def test_hostile_sources_and_notes_are_stored_exactly_and_shown_escaped(ws, text):
    answer = ws.tj.form(f"/rounds/{ws.round.id}/figures",
                        {**ws.figure_row("T2-1", "7600", source=text, note=text), "action": "save"})
    no_server_error(answer)
    assert answer.status_code == 200, answer.text[:500]
    sub = {s.indicator: s for s in ws.store.submissions(ws.round.id)}["T2-1"]
    assert (sub.source, sub.note) == (text, text)
    for page in (ws.tj.get(f"/rounds/{ws.round.id}"), ws.planner.get(f"/submissions/{sub.id}"),
                 ws.planner.get("/audit")):
        no_server_error(page)
        assert page.status_code == 200
        shows_inert(page.text, text)
    board = ws.planner.get(f"/rounds/{ws.round.id}/board")  # counts only: the text is not shown there
    assert board.status_code == 200 and SCRIPT not in board.text
    got = ws.api.get(f"/api/submissions/{sub.id}", headers=ws.bearer["planner1"]).json()
    assert text in str(got)  # JSON carries the exact text; escaping is the page's job


def test_5mb_and_gbk_figure_fields_are_refused_cleanly(ws):
    before = ws.store.submissions(ws.round.id)
    for field in ("value-1", "source-1", "note-1", "indicator-1"):
        answer = ws.tj.form(f"/rounds/{ws.round.id}/figures",
                            {**ws.figure_row("T2-3", "72.0"), field: HUGE, "action": "submit"})
        no_server_error(answer)
        assert answer.status_code in (400, 413, 422), (field, answer.status_code)
        assert len(answer.content) < 1_000_000, f"{field}: the 5 MB text is echoed back"
    gbk = ws.tj.raw(f"/rounds/{ws.round.id}/figures",
                    b"rows=1&indicator-1=T2-3&region-1=" + GBK + b"&value-1=72&unit-1=%25&action=save&csrf_token="
                    + ws.tj.token.encode())
    no_server_error(gbk)
    for field in ("value", "source", "note", "indicator", "unit", "region"):
        body = {"indicator": "T2-3", "region": "嘉兴市", "year": 2024, "value": 72.0, "unit": "%", field: HUGE}
        answer = ws.api.post("/api/submissions", headers=ws.bearer["tj1"], json=body)
        no_server_error(answer)
        assert answer.status_code in (400, 413, 422), (field, answer.status_code)
        assert len(answer.content) < 1_000_000
    raw = ws.api.post("/api/submissions", headers={**ws.bearer["tj1"], "Content-Type": "application/json"},
                      content=b'{"indicator": "T2-3", "year": 2024, "value": 72, "note": "' + GBK + b'"}')
    no_server_error(raw)
    assert raw.status_code in (400, 422)
    assert [s for s in ws.store.submissions(ws.round.id) if s.indicator == "T2-3"] == \
        [s for s in before if s.indicator == "T2-3"]


def zip_bomb_xlsx(path: Path) -> bytes:
    """A workbook whose one shared string is 80 MB once inflated (80 KB on disk); a good row beside it."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {main} xmlns:r="{rel}">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                   f'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                   f'"{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/'
                   'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {main}><si><t>'.encode())
            for _ in range(80):
                fh.write(b"A" * (1 << 20))
            fh.write(b"</t></si></sst>")
        cells = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{v}</t></is></c>'
                        for c, v in zip("ABCDE", ["指标", "地区", "年份", "数值", "单位"], strict=True))
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main}>'
                   f'<sheetData><row r="1">{cells}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>'
                   "</worksheet>")
    return path.read_bytes()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_hostile_uploads_are_refused_with_a_message_and_nothing_stored(ws, tmp_path):
    before = ws.store.submissions(ws.round.id)
    bomb = zip_bomb_xlsx(tmp_path / "bomb.xlsx")
    assert len(bomb) < 200_000
    line = "T2-1,嘉兴市,2024,1,x\n".encode()
    too_big = b"indicator,region,year,value,unit\n" + line * (MAX_FILE_BYTES // len(line) + 1)
    assert len(too_big) > MAX_FILE_BYTES
    formula_csv = f'指标编号,地区,年份,单位,数值,来源\nT2-3,嘉兴市,2024,%,"{HYPERLINK}",x\n'.encode()
    cases = [("bomb.xlsx", bomb, XLSX, ("上限", "超过", "过大")), ("big.csv", too_big, "text/csv", ("超过上限",)),
             ("formula.csv", formula_csv, "text/csv", ("数值",)),
             ("script<script>.xlsx", b"not a workbook", XLSX, ("",))]
    for name, data, kind, words in cases:
        answer = ws.tj.form(f"/rounds/{ws.round.id}/sheet", {"action": "submit"}, files={"file": (name, data, kind)})
        no_server_error(answer)
        assert answer.status_code in (400, 413, 422), (name, answer.status_code, answer.text[:300])
        assert "未保存任何数据" in answer.text or "超过" in answer.text, (name, answer.text[:500])
        assert any(w in answer.text for w in words), (name, re.findall(r"<li[^>]*>(.*?)</li>", answer.text)[:5])
        assert SCRIPT not in answer.text and "<script<script>" not in answer.text
    assert ws.store.submissions(ws.round.id) == before
    # a sheet saved in GBK: read as GBK (the import detects it), or refused naming the encoding; never mojibake
    gbk_csv = "指标编号,地区,年份,单位,数值,来源\nT2-3,嘉兴市,2024,%,72.1,统计公报\n".encode("gbk")
    answer = ws.tj.form(f"/rounds/{ws.round.id}/sheet", {"action": "save"}, files={"file": ("gbk.csv", gbk_csv,
                                                                                          "text/csv")})
    no_server_error(answer)
    if answer.status_code == 200:
        sub = {s.indicator: s for s in ws.store.submissions(ws.round.id)}["T2-3"]
        assert (sub.region, sub.value, sub.source) == ("嘉兴市", 72.1, "统计公报")
    else:
        assert answer.status_code == 422 and "编码" in answer.text, answer.text[:500]
    # the planning office's uploads: a responsibilities sheet and a plan document
    for url, field in (("/admin/responsibilities/upload", "sheet"), ("/plan/upload", "file")):
        for name, data, kind, _ in cases[:2]:
            answer = ws.planner.form(url, {}, files={field: (name, data, kind)})
            no_server_error(answer)
            assert answer.status_code in (400, 413, 422), (url, name, answer.status_code, answer.text[:300])


# ---------------------------------------------------------------- comments, accounts, settings, responsibilities


@pytest.mark.parametrize("text", TEXTS, ids=["sql", "script", "template", "block", "hyperlink", "plus", "at", "minus"])
def test_a_hostile_return_comment_is_kept_exactly_and_shown_escaped(ws, text):
    ws.tj.form(f"/rounds/{ws.round.id}/figures", {**ws.figure_row("T2-5", "3.6"), "action": "submit"})
    sub = {s.indicator: s for s in ws.store.submissions(ws.round.id)}["T2-5"]
    answer = ws.planner.form(f"/submissions/{sub.id}/return", {"comment": text, "version": str(sub.version)})
    no_server_error(answer)
    assert answer.status_code in (200, 303), answer.text[:300]
    after = ws.store.submission(sub.id)
    assert (after.comment, after.state) == (text, "returned")
    for page in (ws.tj.get(f"/submissions/{sub.id}"), ws.tj.get(f"/rounds/{ws.round.id}")):
        no_server_error(page)
        shows_inert(page.text, text)
    huge = ws.api.post(f"/api/submissions/{sub.id}/return", headers=ws.bearer["planner1"], json={"comment": HUGE})
    no_server_error(huge)
    assert huge.status_code in (400, 409, 413, 422)


@pytest.mark.parametrize("text", [SQL, SCRIPT, TEMPLATE, HYPERLINK], ids=["sql", "script", "template", "hyperlink"])
def test_hostile_account_fields_are_refused_or_kept_inert(ws, text):
    before = {u.name for u in ws.store.users()}
    answer = ws.admin.form("/admin/users", {"name": text, "role": "reporter", "unit": text, "password": PASSWORD})
    no_server_error(answer)
    page = ws.admin.get("/admin/users")
    shows_inert(answer.text + page.text, text if text != SCRIPT else "")
    assert SCRIPT not in page.text
    for body in ({"name": text, "role": "viewer", "password": PASSWORD},
                 {"name": f"u{len(text)}", "role": text, "password": PASSWORD},
                 {"name": HUGE, "role": "viewer", "password": PASSWORD},
                 {"name": "gbk", "role": "viewer", "password": PASSWORD, "unit": HUGE}):
        got = ws.api.post("/api/users", headers=ws.bearer["admin1"], json=body)
        no_server_error(got)
        assert got.status_code in (201, 400, 409, 422), got.text[:200]
    assert {u.name for u in ws.store.users()} >= before  # nothing dropped


@pytest.mark.parametrize("text", [SQL, SCRIPT, TEMPLATE, HYPERLINK, "长" * 2000], ids=["sql", "script", "template",
                                                                                        "hyperlink", "long"])
def test_hostile_settings_are_refused_naming_the_setting(ws, text):
    before = ws.store.workspace_settings()
    answer = ws.admin.form("/admin/settings", {"public": "on", "change_share": text, "login_attempts": "5",
                                               "login_lock_minutes": "15", "session_hours": "8"})
    no_server_error(answer)
    assert answer.status_code == 400, answer.text[:300]
    assert "change_share" in answer.text or "变化" in answer.text
    assert SCRIPT not in answer.text
    put = ws.api.put("/api/settings", headers=ws.bearer["admin1"], json={"session_hours": text})
    no_server_error(put)
    assert put.status_code in (400, 422) and "session_hours" in put.json()["error"] + str(put.json().get("problems"))
    assert ws.store.workspace_settings() == before


@pytest.mark.parametrize("text", [SQL, SCRIPT, TEMPLATE, HYPERLINK], ids=["sql", "script", "template", "hyperlink"])
def test_hostile_unit_names_in_responsibilities_are_kept_inert(ws, text):
    answer = ws.planner.form("/admin/responsibilities", {"lead.T2-2": text, "co.T2-2": f"{text}、发改委"})
    no_server_error(answer)
    page = ws.planner.get("/admin/responsibilities")
    no_server_error(page)
    assert SCRIPT not in page.text
    if answer.status_code in (200, 303):
        lead = {r.indicator: r.lead_unit for r in ws.store.responsibilities()}.get("T2-2")
        if lead == text:
            shows_inert(page.text, text)
    got = ws.api.put("/api/responsibilities", headers=ws.bearer["planner1"],
                     json=[{"indicator": "T2-2", "lead_unit": HUGE}])
    no_server_error(got)
    assert got.status_code in (400, 422)


# ---------------------------------------------------------------- what the workspace writes


def cells_of(answer) -> list[tuple[str, object, str]]:
    """(where, value, data type) of every cell of a CSV or XLSX download."""
    if answer.content[:2] == b"PK":
        wb = load_workbook(io.BytesIO(answer.content))
        return [(f"{ws.title}!{c.coordinate}", c.value, c.data_type) for ws in wb.worksheets for row in ws.iter_rows()
                for c in row if c.value is not None]
    text = answer.content.decode("utf-8-sig")
    return [(f"r{r}c{c}", v, "csv") for r, line in enumerate(csv.reader(io.StringIO(text)))
            for c, v in enumerate(line)]


def test_exported_spreadsheets_neutralise_formula_looking_cells(ws):
    # 统计局 reports a figure with a formula as source and note; the planning office approves it, so the
    # text reaches the board, the audit log, the unit's sheet and the dashboard's tables
    row = ws.figure_row("T2-1", "7600", source=HYPERLINK, note="+cmd @SUM(1)")
    answer = ws.tj.form(f"/rounds/{ws.round.id}/figures", {**row, "action": "submit"})
    assert answer.status_code == 200, answer.text[:300]
    sub = {s.indicator: s for s in ws.store.submissions(ws.round.id)}["T2-1"]
    done = ws.api.post(f"/api/submissions/{sub.id}/approve", headers=ws.bearer["planner1"],
                       json={"comment": "@SUM(1)", "version": sub.version})
    assert done.status_code == 200, done.text
    downloads = {
        "board.csv": ws.planner.get(f"/rounds/{ws.round.id}/board.csv"),
        "board.xlsx": ws.planner.get(f"/rounds/{ws.round.id}/board.xlsx"),
        "audit.csv": ws.planner.get("/audit.csv"),
        "audit.xlsx": ws.planner.get("/audit.xlsx"),
        "sheet.xlsx": ws.tj.get(f"/rounds/{ws.round.id}/sheet.xlsx"),
        "table.csv": ws.planner.get("/indicators/T2-1/table.csv?year=2024"),
        "table.xlsx": ws.planner.get("/indicators/T2-1/table.xlsx?year=2024"),
    }
    live, seen = [], set()
    for name, got in downloads.items():
        assert got.status_code == 200, (name, got.status_code, got.text[:200])
        for where, value, kind in cells_of(got):
            if kind == "f":
                live.append(f"{name} {where}: formula cell {value!r}")
            elif kind == "csv" and isinstance(value, str) and reads_as_formula(value) and not value.startswith("'"):
                live.append(f"{name} {where}: {value!r} would run as a formula")
            if isinstance(value, str) and ("HYPERLINK" in value or "+cmd" in value or "@SUM" in value):
                seen.add(name)
    assert not live, "\n".join(live)
    # the hostile texts did reach each of these files (so the check above looked at them)
    assert {"audit.csv", "audit.xlsx", "sheet.xlsx", "table.csv", "table.xlsx"} <= seen, seen


# ---------------------------------------------------------------- ids beyond the store's integers


@pytest.mark.postgres
def test_ids_beyond_the_columns_range_are_refused_not_a_server_error_on_postgresql(pg_database_url):
    """PostgreSQL's INTEGER is 32-bit: an id above 2³¹−1 in a path once reached the query and answered 500."""
    import psycopg

    with psycopg.connect(pg_database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    store = open_store(pg_database_url)
    try:
        store.init()
        fill_store(store, public=True)
        store.add_user("planner1", role="planner", password=PASSWORD)
        app = create_app(WebSettings(db=store.url), store=store)
        client = TestClient(app, raise_server_exceptions=False)
        token = client.post("/api/token", data={"username": "planner1", "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for big in (2**31, 3_000_000_000, 2**63 - 1):
            for method, url in (("GET", f"/api/submissions/{big}"), ("GET", f"/submissions/{big}"),
                                ("POST", f"/api/submissions/{big}/approve"), ("GET", f"/api/rounds/{big}/todo"),
                                ("GET", f"/rounds/{big}/board")):
                answer = client.request(method, url, headers=headers, json={} if method == "POST" else None)
                assert answer.status_code in (400, 404), (url, answer.status_code, answer.text[:200])
    finally:
        store.dispose()
