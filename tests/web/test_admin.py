"""Accounts, responsibility and settings in the browser and the API: who may, what is written, what is audited."""

from __future__ import annotations

import pytest

from planwatch.store import WorkspaceSettings

from .people import PASSWORD, add_people, app_client, cheap_hashing, csrf_of, log_in  # noqa: F401 (fixture)

ROLES = ("admin1", "planner1", "stats", "reader")


@pytest.fixture
def store(web_store):
    web_store.change_settings({"public": False})
    return add_people(web_store)


@pytest.fixture
def clients(store):
    """A logged-in client per account (and its CSRF token), plus an anonymous one under None."""
    made = {None: (app_client(store), "")}
    for name in ROLES:
        client = app_client(store)
        made[name] = (client, log_in(client, name))
    return made


# route → the one account allowed
READS = {"/admin/users": "admin1", "/api/users": "admin1", "/admin/settings": "admin1", "/api/settings": "admin1",
         "/admin/responsibilities": "planner1", "/api/responsibilities": "planner1"}


@pytest.mark.parametrize("path", list(READS))
def test_who_may_read(clients, path):
    got = {}
    for who, (client, _) in clients.items():
        r = client.get(path, follow_redirects=False)
        got[who] = r.status_code
    api = path.startswith("/api")
    assert got == {None: 401 if api else 303, **{n: 200 if n == READS[path] else 403 for n in ROLES}}


WRITES = [("post", "/api/users", {"name": "x1", "role": "viewer", "password": PASSWORD}, "admin1", 201),
          ("post", "/api/users/reader/disable", None, "admin1", 200),
          ("put", "/api/settings", {"change_share": 0.5}, "admin1", 200),
          ("put", "/api/responsibilities", [{"indicator": "T2-1", "lead_unit": "市统计局"}], "planner1", 200)]


@pytest.mark.parametrize(("method", "path", "body", "allowed", "status"), WRITES)
def test_who_may_write(store, clients, method, path, body, allowed, status):
    for who in [None, *(n for n in ROLES if n != allowed)]:
        client, token = clients[who]
        r = client.request(method, path, json=body, headers={"X-CSRF-Token": token} if token else {})
        assert r.status_code == (401 if who is None else 403), (who, r.text)
    client, token = clients[allowed]
    assert client.request(method, path, json=body).status_code == 403  # no CSRF header
    assert client.request(method, path, json=body, headers={"X-CSRF-Token": token}).status_code == status


# ---------------------------------------------------------------- accounts


def test_add_user_form_and_its_audit(store, clients):
    client, token = clients["admin1"]
    form = {"csrf_token": token, "name": "keji", "role": "reporter", "unit": "市科技局", "region": "南湖区",
            "password": "a good password"}
    r = client.post("/admin/users", data=form, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/admin/users")
    page = client.get("/admin/users").text
    assert "已新增账号 keji（填报单位）" in page
    assert '<tr data-user="keji">' in page and "<td>市科技局</td><td>南湖区</td>" in page
    assert "已新增账号" not in client.get("/admin/users").text  # the notice is shown once
    entry = store.audit_entries(action="user.add", limit=1)[0]
    assert (entry.actor, entry.subject, entry.after["unit"]) == ("admin1", "keji", "市科技局")
    rows = client.get("/api/users").json()
    assert [(u["name"], u["role_label"], u["state_label"]) for u in rows] == [
        ("admin1", "管理员", "启用"), ("keji", "填报单位", "启用"), ("planner1", "规划处", "启用"),
        ("reader", "内部只读", "启用"), ("stats", "填报单位", "启用")]


@pytest.mark.parametrize(("form", "status", "message"), [
    ({"name": "x2", "role": "reporter", "unit": ""}, 400, "填报单位账号（reporter）必须指定责任单位"),
    ({"name": "stats", "role": "viewer"}, 409, "用户 stats 已存在"),
    ({"name": "x3", "role": "viewer", "region": "火星"}, 400, "地区 火星 不在数据库中"),
    ({"name": "x4", "role": "boss"}, 400, "角色 &#39;boss&#39; 无效"),
    ({"name": "x5", "role": "viewer", "password": "short"}, 400, "密码至少 8 个字符"),
    ({"name": "a b", "role": "viewer"}, 400, "用户名 &#39;a b&#39; 含有空白或控制字符"),
    ({"name": "x6", "role": "reporter", "unit": "统计局\x00"}, 400, "责任单位含有控制字符"),
])
def test_add_user_refused(store, clients, form, status, message):
    client, token = clients["admin1"]
    before = len(store.users())
    r = client.post("/admin/users", data={"csrf_token": token, "password": "a good password", **form})
    assert r.status_code == status and message in r.text
    assert len(store.users()) == before


def test_a_hostile_name_is_stored_inert_and_escaped(store, clients):
    client, token = clients["admin1"]
    r = client.post("/admin/users", data={"csrf_token": token, "name": "<script>x</script>", "role": "viewer",
                                          "password": "a good password"})
    assert r.status_code == 200 and "<script>x</script>" not in r.text
    assert '<th scope="row">&lt;script&gt;x&lt;/script&gt;</th>' in r.text


def test_add_user_api(store, clients):
    client, token = clients["admin1"]
    r = client.post("/api/users", json={"name": "fgw", "role": "planner", "password": "a good password"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("name", "role", "role_label", "unit", "disabled")} == {
        "name": "fgw", "role": "planner", "role_label": "规划处", "unit": None, "disabled": False}
    again = client.post("/api/users", json={"name": "fgw", "role": "planner", "password": "a good password"},
                        headers={"X-CSRF-Token": token})
    assert (again.status_code, again.json()) == (409, {"error": "用户 fgw 已存在", "code": "conflict", "status": 409})


def test_disable_and_the_last_admin(store, clients):
    client, token = clients["admin1"]
    r = client.post("/admin/users/admin1/disable", data={"csrf_token": token})
    assert r.status_code == 409 and "admin1 是唯一可用的管理员，不能停用：请先添加另一个管理员" in r.text
    assert not store.user("admin1").disabled
    r = client.post("/api/users/stats/disable", headers={"X-CSRF-Token": token})
    assert (r.status_code, r.json()["disabled"], r.json()["state_label"]) == (200, True, "已停用")
    assert client.get("/api/me").json()["account"]["name"] == "admin1"
    stats, _ = clients["stats"]
    assert stats.get("/api/me").json()["account"] is None  # its session ended
    r = client.post("/api/users/stats/disable", headers={"X-CSRF-Token": token})
    assert (r.status_code, r.json()["error"]) == (409, "用户 stats 已停用")
    r = client.post("/api/users/nobody/disable", headers={"X-CSRF-Token": token})
    assert (r.status_code, r.json()["error"]) == (404, "没有名为 nobody 的用户")
    entry = store.audit_entries(action="user.disable")
    assert [(e.actor, e.subject, e.before, e.after) for e in entry] == [
        ("admin1", "stats", {"disabled": False}, {"disabled": True})]


def test_reset_password(store, clients):
    client, token = clients["admin1"]
    r = client.post("/admin/users/stats/password", data={"csrf_token": token, "password": "reset to this"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "已重置 stats 的密码" in client.get("/admin/users").text
    assert clients["stats"][0].get("/api/me").json()["account"] is None
    log_in(app_client(store), "stats", "reset to this")
    r = client.post("/admin/users/stats/password", data={"csrf_token": token, "password": "short"})
    assert r.status_code == 400 and "重置 stats 的密码失败：密码至少 8 个字符" in r.text
    assert [(e.actor, e.subject) for e in store.audit_entries(action="user.password")] == [("admin1", "stats")]


# ---------------------------------------------------------------- responsibilities


def units(client) -> list[tuple]:
    return [(r["indicator"], r["lead_unit"], r["co_units"]) for r in client.get("/api/responsibilities").json()]


def test_responsibility_form(store, clients):
    client, token = clients["planner1"]
    assert units(client) == [("T2-1", None, []), ("T2-2", None, []), ("T2-3", None, []), ("T2-5", None, [])]
    r = client.post("/admin/responsibilities", data={"csrf_token": token, "lead.T2-1": "市统计局",
                                                     "co.T2-1": "市发改委、市经信局", "lead.T2-5": "市科技局"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "已保存 2 项指标的分工" in client.get("/admin/responsibilities").text
    assert units(client) == [("T2-1", "市统计局", ["市发改委", "市经信局"]), ("T2-2", None, []),
                             ("T2-3", None, []), ("T2-5", "市科技局", [])]
    entries = store.audit_entries(action="responsibility")
    assert [(e.actor, e.subject, e.after) for e in reversed(entries)] == [
        ("planner1", f"{store.plans()[0].key} T2-1", {"lead_unit": "市统计局", "co_units": ["市发改委", "市经信局"]}),
        ("planner1", f"{store.plans()[0].key} T2-5", {"lead_unit": "市科技局", "co_units": []})]
    # unchanged rows are not written again
    r = client.post("/admin/responsibilities", data={"csrf_token": token, "lead.T2-1": "市统计局",
                                                     "co.T2-1": "市发改委、市经信局", "lead.T2-5": "市科技局"},
                    follow_redirects=False)
    assert r.status_code == 303 and "没有改动" in client.get("/admin/responsibilities").text
    assert len(store.audit_entries(action="responsibility")) == 2


def test_responsibility_form_all_or_nothing(store, clients):
    client, token = clients["planner1"]
    r = client.post("/admin/responsibilities", data={"csrf_token": token, "lead.T2-1": "市统计局",
                                                     "co.T2-2": "市人社局", "lead.T2-3": "市住建局",
                                                     "co.T2-3": "市住建局"})
    assert r.status_code == 422
    assert "<li>指标 T2-2 缺少牵头单位</li>" in r.text
    assert "<li>指标 T2-3：市住建局 既是牵头单位又是配合单位</li>" in r.text
    assert 'value="市住建局"' in r.text  # what was typed stays in the form
    assert units(client)[0] == ("T2-1", None, [])
    assert store.audit_entries(action="responsibility") == []


def test_responsibility_api(store, clients):
    client, token = clients["planner1"]
    r = client.put("/api/responsibilities", headers={"X-CSRF-Token": token},
                   json=[{"indicator": "T2-3", "lead_unit": "市住建局", "co_units": ["市公安局"]}])
    assert r.status_code == 200 and [x["lead_unit"] for x in r.json()] == [None, None, "市住建局", None]
    r = client.put("/api/responsibilities", headers={"X-CSRF-Token": token},
                   json=[{"indicator": "T9-9", "lead_unit": "x"}, {"indicator": "T1-1", "lead_unit": "x"}])
    assert r.status_code == 422 and r.json()["code"] == "invalid_data"
    nul = client.put("/api/responsibilities", headers={"X-CSRF-Token": token},
                     json=[{"indicator": "T2-3", "lead_unit": "市住建局", "co_units": ["市\n公安局"]}])
    assert (nul.status_code, nul.json()["error"]) == (400, "指标 T2-3 的配合单位含有控制字符（如换行、制表符或空字符）：请只填写名称本身")
    assert r.json()["problems"] == [
        "找不到指标 T9-9（应为规划中的指标编号、序号或名称，如 T2-1、1、地区生产总值）",
        "指标 T1-1（地区生产总值）属于上一规划期的完成情况（表1），无需分工"]


def test_responsibility_sheet_upload(store, clients, tmp_path):
    client, token = clients["planner1"]
    good = "指标,牵头单位,配合单位\nT2-1,市统计局,市发改委、市经信局\n常住人口城镇化率,市公安局,\n".encode()
    r = client.post("/admin/responsibilities/upload", data={"csrf_token": token},
                    files={"sheet": ("分工.csv", good, "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    assert "已从 分工.csv 写入 2 项指标的分工" in client.get("/admin/responsibilities").text
    assert units(client)[:3] == [("T2-1", "市统计局", ["市发改委", "市经信局"]), ("T2-2", None, []),
                                 ("T2-3", "市公安局", [])]
    bad = "指标,牵头单位\nT2-5,市科技局\n=HYPERLINK(\"http://x\"),市统计局\n".encode()
    r = client.post("/admin/responsibilities/upload", data={"csrf_token": token},
                    files={"sheet": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 422 and "第 3 行：找不到指标 =HYPERLINK(&#34;http://x&#34;)" in r.text
    assert units(client)[3] == ("T2-5", None, [])
    r = client.post("/admin/responsibilities/upload", data={"csrf_token": token},
                    files={"sheet": ("sheet.exe", b"MZ", "application/octet-stream")})
    assert r.status_code == 400 and "不支持的文件类型 .exe：分工表应为 .xlsx 或 .csv" in r.text
    r = client.post("/admin/responsibilities/upload", data={"csrf_token": token},
                    files={"sheet": ("cols.csv", "名称,单位\nx,y\n".encode(), "text/csv")})
    assert r.status_code == 422 and "cols.csv:1: 分工表缺少列 指标、牵头单位" in r.text
    assert str(tmp_path.anchor + "tmp") not in r.text  # the server's temporary path is never shown


# ---------------------------------------------------------------- settings


def test_settings_page_describes_every_setting_from_its_model(clients):
    client, _ = clients["admin1"]
    body = client.get("/api/settings").json()
    assert body["settings"] == {"public": False, "change_share": 0.3, "login_attempts": 5,
                                "login_lock_minutes": 15.0, "session_hours": 8.0}
    assert [(f["name"], f["kind"], f["description"]) for f in body["fields"]] == [
        (name, field.annotation.__name__, field.description) for name, field in WorkspaceSettings.model_fields.items()]
    page = client.get("/admin/settings").text
    for field in WorkspaceSettings.model_fields.values():
        assert field.description in page


def test_settings_form_changes_and_audits(store, clients):
    client, token = clients["admin1"]
    anonymous, _ = clients[None]
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    r = client.post("/admin/settings", data={"csrf_token": token, "public": "on", "change_share": "0.25",
                                             "login_attempts": "5", "login_lock_minutes": "15", "session_hours": "8"},
                    follow_redirects=False)
    assert r.status_code == 303 and "设置已保存" in client.get("/admin/settings").text
    assert (store.workspace_settings().public, store.workspace_settings().change_share) == (True, 0.25)
    assert anonymous.get("/", follow_redirects=False).status_code == 200  # public mode at once
    assert [(e.actor, e.subject, e.before, e.after) for e in reversed(store.audit_entries(action="setting"))][-2:] == [
        ("admin1", "public", False, True), ("admin1", "change_share", 0.3, 0.25)]


def test_settings_refused_as_a_whole(store, clients):
    client, token = clients["admin1"]
    r = client.post("/admin/settings", data={"csrf_token": token, "public": "on", "change_share": "abc",
                                             "login_attempts": "0", "login_lock_minutes": "15", "session_hours": "8"})
    assert r.status_code == 400
    assert "填报核验（change_share）：&#39;abc&#39; 无效，应为数字" in r.text
    assert "同一账号连续登录失败这么多次后暂停登录（login_attempts）：&#39;0&#39; 无效，应不小于 1" in r.text
    assert store.workspace_settings().public is False
    r = client.put("/api/settings", json={"colour": "red"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and r.json()["error"].startswith("没有名为 colour 的设置")
    r = client.put("/api/settings", json={"session_hours": 12}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["settings"]["session_hours"] == 12.0


def test_json_routes_are_in_the_openapi_schema(clients):
    client, _ = clients["admin1"]
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {m for m in paths["/api/users"]} == {"get", "post"}
    assert set(paths["/api/responsibilities"]) == {"get", "put"}
    assert set(paths["/api/settings"]) == {"get", "put"}
    assert "post" in paths["/api/users/{name}/disable"] and "get" in paths["/api/audit"]
    assert "201" in paths["/api/users"]["post"]["responses"]
    assert not any(p.startswith(("/admin", "/audit", "/account")) for p in paths)
    assert any(p["name"] == "preview" for p in paths["/api/findings"]["get"]["parameters"])
