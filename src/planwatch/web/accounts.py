"""Logging in and out: the login page, logout, the API's token and ``/api/me``, and changing one's password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from planwatch.errors import InputError, LoginRequired, PlanwatchError, StoreError
from planwatch.store.accounts import PASSWORD_MIN
from planwatch.store.audit import LOGIN_FAILED

from .auth import (
    ANONYMOUS,
    CSRF,
    TooManyAttempts,
    Viewer,
    client_address,
    current,
    issue_token,
    log_in,
    log_out,
    session_seconds,
    start_session,
)
from .render import render
from .state import dashboard

router = APIRouter(tags=["accounts"])
FIELD_CHARS = 1024


class Token(BaseModel):
    """An OAuth2 bearer token: send it as ``Authorization: Bearer …``."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


def safe_next(request: Request, target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never another site's address)."""
    base = request.scope.get("root_path", "").rstrip("/")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return f"{base}/"
    return target if target.startswith(base + "/") else f"{base}{target}"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    """The login form."""
    return render(request, "login.html", {"next": next or "", "error": None, "name": ""})


@router.post("/login", include_in_schema=False, dependencies=[CSRF])
def login_form(request: Request, username: Annotated[str, Form(max_length=FIELD_CHARS)] = "",
               password: Annotated[str, Form(max_length=FIELD_CHARS)] = "",
               next: Annotated[str, Form(max_length=FIELD_CHARS)] = "") -> Response:
    """Log in and go back where the person came from; a wrong password shows the form again."""
    try:
        log_in(request, username, password)
    except PlanwatchError as exc:
        from .error_pages import status_of

        return render(request, "login.html", {"next": next, "error": str(exc), "name": username[:80]},
                      status_code=status_of(exc))
    return RedirectResponse(safe_next(request, next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[CSRF])
def logout(request: Request) -> Response:
    log_out(request)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}/", status_code=303)


@router.post("/api/token", response_model=Token, tags=["api"])
def token(request: Request, username: Annotated[str, Form(max_length=FIELD_CHARS)],
          password: Annotated[str, Form(max_length=FIELD_CHARS)]) -> Token:
    """OAuth2 password flow: a bearer token for the account (throttled after repeated failures)."""
    return Token(access_token=issue_token(request, username, password), expires_in=session_seconds(request))


@router.get("/api/me", tags=["api"])
def me(viewer: Viewer = Depends(current)) -> dict[str, Any]:
    """The account behind the request (null when anonymous) and what it may do."""
    from .auth import PERMISSIONS

    user = viewer.user
    return {"account": None if user is None else user.model_dump(mode="json"),
            "permissions": sorted(p for p in PERMISSIONS if viewer.may(p))}


# ---------------------------------------------------------------- changing one's own password


def signed_in(request: Request) -> Viewer:
    """The logged-in browser or token account (any role); the command line has no password to change."""
    viewer = current(request)
    if viewer.user is None or viewer.via == "command_line":
        raise LoginRequired("请先登录：修改密码需要登录")
    return viewer


@router.get("/account/password", response_class=HTMLResponse, include_in_schema=False)
def password_page(request: Request, viewer: Viewer = Depends(signed_in)) -> HTMLResponse:
    """The form to change one's own password."""
    return render(request, "password.html", {"error": None, "done": False, "password_min": PASSWORD_MIN})


@router.post("/account/password", response_class=HTMLResponse, include_in_schema=False, dependencies=[CSRF])
def change_password(request: Request, current_password: Annotated[str, Form(max_length=FIELD_CHARS)] = "",
                    new_password: Annotated[str, Form(max_length=FIELD_CHARS)] = "",
                    confirm_password: Annotated[str, Form(max_length=FIELD_CHARS)] = "",
                    viewer: Viewer = Depends(signed_in)) -> HTMLResponse:
    """Check the current password, store the new one (typed twice), and keep this browser logged in
    under the new password: every other session and token of the account ends with the old one."""
    from .error_pages import status_of

    assert viewer.user is not None
    try:
        user = own_password_changed(request, viewer.user.name, current_password, new_password, confirm_password)
    except PlanwatchError as exc:
        return render(request, "password.html", {"error": str(exc), "done": False, "password_min": PASSWORD_MIN}, status_code=status_of(exc))
    # A fresh session under the new stamp (and a new CSRF token): this browser stays, the others end.
    start_session(request, user)
    return render(request, "password.html", {"error": None, "done": True, "password_min": PASSWORD_MIN})


def own_password_changed(request: Request, name: str, old: str, new: str, again: str):
    """The account after changing its password; the current one is checked (and throttled) like a login."""
    store = dashboard(request).store
    settings = dashboard(request).workspace()
    if store.login_failures(name, settings.login_lock_minutes) >= settings.login_attempts:
        raise TooManyAttempts(f"账号 {name} 密码核对失败次数过多，请 {settings.login_lock_minutes:g} 分钟后再试")
    if store.verify_password(name, old) is None:
        store.audit(ANONYMOUS, LOGIN_FAILED, name, after={"address": client_address(request), "via": "password"})
        raise InputError("当前密码不正确")
    if new != again:
        raise InputError("两次输入的新密码不一致")
    if new == old:
        raise InputError("新密码不能与当前密码相同")
    try:
        store.set_password(name, new, actor=name)
    except StoreError as exc:  # the store's own rule (length): the person's input, not an outage
        raise InputError(str(exc)) from None
    return store.user(name)
