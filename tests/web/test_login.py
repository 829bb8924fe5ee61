"""Logging in and out, the session cookie, the throttle, where a login leads, and changing one's password."""

from __future__ import annotations

import pytest

from planwatch.web import WebSettings, create_app

from .people import PASSWORD, add_people, app_client, cheap_hashing, csrf_of, log_in  # noqa: F401 (fixture)

WRONG = "用户名或密码错误（或账号已停用）"


@pytest.fixture
def store(web_store):
    return add_people(web_store, "admin1", "planner1")


def me(client) -> str | None:
    account = client.get("/api/me").json()["account"]
    return account and account["name"]


def post_login(client, name, password, **extra):
    return client.post("/login", data={"username": name, "password": password, "csrf_token": csrf_of(client), **extra},
                       follow_redirects=False)


def test_login_needs_the_form_token(store):
    client = app_client(store)
    r = client.post("/login", data={"username": "planner1", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in r.text
    assert me(client) is None


def test_wrong_password_then_throttled(store):
    store.change_settings({"login_attempts": 2, "login_lock_minutes": 10})
    client = app_client(store)
    for _ in range(2):
        r = post_login(client, "planner1", "not the password")
        assert r.status_code == 401 and WRONG in r.text
        assert 'value="planner1"' in r.text  # the name typed stays in the form
    r = post_login(client, "planner1", PASSWORD)  # even the right password waits now
    assert r.status_code == 429
    assert "账号 planner1 登录失败次数过多，请 10 分钟后再试" in r.text
    token = client.post("/api/token", data={"username": "planner1", "password": PASSWORD})
    assert (token.status_code, token.json()["code"]) == (429, "too_many_attempts")
    assert me(client) is None
    failed = store.audit_entries(action="login_failed")
    assert [(e.actor, e.subject, e.after["via"]) for e in failed] == [("匿名", "planner1", "login")] * 2
    assert post_login(app_client(store), "admin1", PASSWORD).status_code == 303  # another account is not held up


def test_session_cookie_flags(store):
    r = post_login(app_client(store), "planner1", PASSWORD)
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("planwatch_session=") and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    secure = create_app(WebSettings(db=store.url, https=True), store=store)
    from fastapi.testclient import TestClient

    r = post_login(TestClient(secure, base_url="https://testserver"), "planner1", PASSWORD)
    assert "; secure" in r.headers["set-cookie"].lower()


@pytest.mark.parametrize(("asked", "lands"), [
    ("/indicators/T2-1?year=2024", "/indicators/T2-1?year=2024"),
    ("https://evil.example/x", "/"), ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_never_leaves_the_site(store, asked, lands):
    r = post_login(app_client(store), "planner1", PASSWORD, next=asked)
    assert (r.status_code, r.headers["location"]) == (303, lands)


def test_a_page_needing_login_comes_back_after_it(store):
    store.change_settings({"public": False})
    client = app_client(store)
    r = client.get("/audit?actor=x", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=%2Faudit%3Factor%3Dx")
    assert 'name="next" value="/audit?actor=x"' in client.get(r.headers["location"]).text


def test_logout_needs_the_token_and_ends_the_session(store):
    client = app_client(store)
    token = log_in(client, "planner1")
    assert me(client) == "planner1"
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert me(client) == "planner1"
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    assert me(client) is None
    assert [(e.actor, e.action) for e in store.audit_entries(limit=2)] == [("planner1", "logout"), ("planner1", "login")]


def test_session_ends_when_the_password_changes_or_the_account_is_disabled(store):
    first, second = app_client(store), app_client(store)
    log_in(first, "planner1")
    log_in(second, "admin1")
    store.set_password("planner1", "another password")
    assert me(first) is None
    assert post_login(first, "planner1", PASSWORD).status_code == 401
    assert post_login(first, "planner1", "another password").status_code == 303
    store.add_user("admin2", role="admin", password=PASSWORD)
    store.disable_user("admin1")
    assert me(second) is None
    assert post_login(second, "admin1", PASSWORD).status_code == 401


# ---------------------------------------------------------------- /account/password


def change(client, token, current, new, again=None):
    return client.post("/account/password", data={"csrf_token": token, "current_password": current,
                                                  "new_password": new, "confirm_password": again or new})


def test_password_page_needs_a_login(store):
    r = app_client(store).get("/account/password", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=%2Faccount%2Fpassword")
    assert app_client(store).post("/account/password", data={}).status_code == 403  # no CSRF token


@pytest.mark.parametrize(("current", "new", "again", "message"), [
    ("wrong one", "a new password", None, "当前密码不正确"),
    (PASSWORD, "a new password", "another new one", "两次输入的新密码不一致"),
    (PASSWORD, "short", None, "密码至少 8 个字符"),
    (PASSWORD, PASSWORD, None, "新密码不能与当前密码相同"),
])
def test_password_change_refused(store, current, new, again, message):
    client = app_client(store)
    token = log_in(client, "planner1")
    r = change(client, token, current, new, again)
    assert r.status_code == 400 and message in r.text
    assert me(client) == "planner1"
    assert store.audit_entries(action="user.password") == []


def test_password_change_keeps_this_browser_and_ends_the_others(store):
    here, elsewhere = app_client(store), app_client(store)
    token = log_in(here, "planner1")
    log_in(elsewhere, "planner1")
    bearer = here.post("/api/token", data={"username": "planner1", "password": PASSWORD}).json()["access_token"]
    r = change(here, token, PASSWORD, "a new password")
    assert r.status_code == 200 and "密码已修改" in r.text
    assert me(here) == "planner1"
    assert me(elsewhere) is None
    assert app_client(store).get("/api/me", headers={"Authorization": f"Bearer {bearer}"}).status_code == 401
    assert csrf_of(here) != token  # a fresh session, with a fresh form token
    entry = store.audit_entries(action="user.password")[0]
    assert (entry.actor, entry.subject) == ("planner1", "planner1")
    assert post_login(app_client(store), "planner1", "a new password").status_code == 303
