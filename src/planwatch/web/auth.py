"""Who is asking, and whether they may: sessions, API tokens, CSRF and permissions.

- Browser sessions are Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure when the site is
  served over HTTPS), signed with the store's key so every server process over one store agrees.
  A session holds the account name, the account's password stamp (a password change ends every
  session and token of the old one) and the CSRF token of its forms.
- API clients use the OAuth2 password flow: ``POST /api/token`` returns a signed bearer token with
  the same lifetime as a session (``session_hours``).
- CSRF: every unsafe request that relies on the cookie carries the session's token, as the form
  field ``csrf_token`` or the header ``X-CSRF-Token``; a bearer request carries no ambient
  credential and needs none.
- Permissions: :data:`planwatch.store.accounts.PERMISSIONS` is the one table of which role may do
  what; routes ask for a permission with ``Depends(require("…"))``. In public mode anonymous visitors
  hold ``view``.
- Logins are throttled per account name by counting failed logins in the audit log.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Depends, Request
from fastapi.security.utils import get_authorization_scheme_param
from itsdangerous import BadSignature, URLSafeTimedSerializer

from planwatch.errors import AccessError, LoginRequired, NotFoundError
from planwatch.store import User
from planwatch.store.accounts import PERMISSIONS, PUBLIC_PERMISSIONS, role_may
from planwatch.store.audit import CLI_ACTOR, LOGIN_FAILED

from .state import dashboard

SESSION_COOKIE = "planwatch_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANONYMOUS = "匿名"
# Set on the ASGI scope by `planwatch serve --get` only (in-process, never from the network).
CLI_SCOPE_KEY = "planwatch.command_line"
TOKEN_SALT = "planwatch.api-token"

@dataclass(frozen=True)
class Viewer:
    """The account behind a request (None: anonymous) and how it came."""

    user: User | None
    via: str | None = None  # "session", "token" or "command_line"

    def may(self, permission: str, *, public: bool = False) -> bool:
        if self.user is None:
            return public and permission in PUBLIC_PERMISSIONS
        return role_may(self.user.role, permission)


def signing_key(request: Request) -> str:
    return request.app.state.signing_key


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(request), salt=TOKEN_SALT)


def session_seconds(request: Request) -> int:
    return int(dashboard(request).workspace().session_hours * 3600)


def _account(request: Request, name: Any, stamp: Any) -> User | None:
    """The enabled account of that name whose password stamp still matches."""
    if not isinstance(name, str) or not isinstance(stamp, str):
        return None
    try:
        user = dashboard(request).store.user(name)
    except NotFoundError:  # no such account (any more): the session has simply ended
        return None
    if user.disabled or not secrets.compare_digest(user.stamp, stamp):
        return None
    return user


def current(request: Request) -> Viewer:
    """Who is asking: the bearer token's account, else the session's, else anonymous (cached per request)."""
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    viewer = _from_command_line(request) or _from_token(request) or _from_session(request) or Viewer(None)
    request.state.viewer = viewer
    return viewer


def _from_command_line(request: Request) -> Viewer | None:
    if not request.scope.get(CLI_SCOPE_KEY):
        return None
    return Viewer(User(name=CLI_ACTOR, role="viewer", created_at=datetime.now(UTC)), "command_line")


def _from_token(request: Request) -> Viewer | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        data = _serializer(request).loads(token, max_age=session_seconds(request))
    except BadSignature:
        raise LoginRequired("令牌无效或已过期：请重新获取（POST /api/token）") from None
    user = _account(request, data.get("u"), data.get("s")) if isinstance(data, dict) else None
    if user is None:
        raise LoginRequired("令牌对应的账号已停用或已修改密码：请重新获取（POST /api/token）")
    return Viewer(user, "token")


def _from_session(request: Request) -> Viewer | None:
    session = request.session
    if "u" not in session:
        return None
    started = session.get("t")
    # The cookie's own lifetime is fixed when the server starts; the setting, read now, bounds the session.
    fresh = isinstance(started, int) and time.time() - started < session_seconds(request)
    user = _account(request, session.get("u"), session.get("s")) if fresh else None
    if user is None:
        for key in ("u", "s", "t"):
            session.pop(key, None)
        return None
    return Viewer(user, "session")


def public_mode(request: Request) -> bool:
    return dashboard(request).workspace().public


def require(permission: str):
    """A dependency that returns the account holding ``permission``, or refuses: 401 without a login
    (anonymous in public mode holds ``view``), 403 naming what the role may not do."""
    what = PERMISSIONS[permission][1]

    def dependency(request: Request) -> Viewer:
        viewer = current(request)
        if viewer.may(permission, public=permission in PUBLIC_PERMISSIONS and public_mode(request)):
            return viewer
        if viewer.user is None:
            raise LoginRequired(f"请先登录：{what}需要登录")
        raise AccessError(f"{viewer.user.role_label}账号（{viewer.user.name}）不能{what}")

    dependency.__name__ = f"require_{permission}"
    return dependency


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made the first time a page needs one."""
    token = request.session.get("c")
    if not isinstance(token, str):
        token = request.session["c"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request that relies on the session cookie without the session's CSRF token."""
    if request.method in SAFE_METHODS or current(request).via in ("token", "command_line"):
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get("c")
    if not sent or not isinstance(expected, str) or not secrets.compare_digest(sent, expected):
        raise AccessError("表单已失效（缺少或不符的 CSRF 令牌）：请刷新页面后重试")


CSRF = Depends(check_csrf)


def _verified(request: Request, name: str, password: str, via: str) -> User:
    """The account whose password this is; refused for a while after repeated failures (each audited)."""
    store = dashboard(request).store
    settings = store.workspace_settings()
    name = (name or "").strip()[:200]
    if store.login_failures(name, settings.login_lock_minutes) >= settings.login_attempts:
        raise TooManyAttempts(f"账号 {name} 登录失败次数过多，请 {settings.login_lock_minutes:g} 分钟后再试")
    user = store.verify_password(name, password)
    if user is None:
        store.audit(ANONYMOUS, LOGIN_FAILED, name, after={"address": client_address(request), "via": via})
        raise LoginRequired("用户名或密码错误（或账号已停用）")
    store.audit(user.name, via, user.name, after={"address": client_address(request)})
    return user


def log_in(request: Request, name: str, password: str) -> User:
    """Check a name and password and start a fresh session for the account."""
    user = _verified(request, name, password, "login")
    start_session(request, user)
    return user


def start_session(request: Request, user: User) -> None:
    """A new session for the account (on login, and after its own password change): nothing from before
    it carries over, a fresh CSRF token, and the time it started (sessions end after ``session_hours``)."""
    request.session.clear()
    request.session.update({"u": user.name, "s": user.stamp, "c": secrets.token_urlsafe(32), "t": int(time.time())})


def log_out(request: Request) -> None:
    viewer = current(request)
    request.session.clear()
    if viewer.user is not None:
        dashboard(request).store.audit(viewer.user.name, "logout", viewer.user.name)


def issue_token(request: Request, name: str, password: str) -> str:
    """A bearer token for an account (throttled and audited like a browser login)."""
    user = _verified(request, name, password, "token")
    return _serializer(request).dumps({"u": user.name, "s": user.stamp})


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


class TooManyAttempts(AccessError):
    """Logins refused for a while after repeated failures (429)."""
