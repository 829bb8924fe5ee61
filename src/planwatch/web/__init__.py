"""The web dashboard and JSON API (FastAPI, Jinja2, vendored ECharts, htmx and Swagger UI).

``create_app(settings)`` opens the store; nothing here touches a database at import time.
Every HTML page has a JSON twin under ``/api`` built by the same context function.
Every request passes the hardening layer of :mod:`.security` (security headers, Host allow-list,
header size limit, HEAD), then the signed session cookie; every route asks :mod:`.auth` for the
permission it needs, and every unsafe request that relies on the cookie for its CSRF token.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch.store import WorkspaceSettings

from .settings import WebSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from planwatch.store import Store

STATIC = Path(__file__).parent / "static"

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings | None = None, *, store: Store | None = None) -> FastAPI:
    """The dashboard app over ``store`` (opened from ``settings.db`` when not given)."""
    # FastAPI is imported here so that every other CLI command starts without it.
    from fastapi.staticfiles import StaticFiles
    from starlette.middleware.sessions import SessionMiddleware

    from planwatch.errors import PlanwatchError

    from .accounts import router as accounts_router
    from .admin import router as admin_router
    from .api import router as api_router
    from .assets import router as assets_router
    from .audit import router as audit_router
    from .auth import SESSION_COOKIE
    from .context import Dashboard
    from .error_pages import ERROR_RESPONSES, install_error_handlers
    from .pages import router as pages_router
    from .plans import router as plans_router
    from .projects import router as projects_router
    from .reports import router as reports_router
    from .rounds import router as rounds_router
    from .security import HardenedApp

    settings = settings or WebSettings()
    # /api/docs is served by assets.py from the vendored Swagger UI, not FastAPI's CDN page.
    app = HardenedApp(allowed_hosts=settings.trusted_hosts(), title=settings.title or "planwatch",
                      docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", responses=ERROR_RESPONSES)
    app.state.settings = settings
    app.state.open_error = None
    # Without a store there is nothing to log in to; a throwaway key keeps the error pages working.
    app.state.signing_key = secrets.token_urlsafe(48)
    session_hours = WorkspaceSettings().session_hours
    try:
        if store is None:
            from planwatch.store import open_store

            store = open_store(settings.db)
        app.state.dashboard = Dashboard(store, settings)
        app.state.signing_key = store.signing_key()
        session_hours = store.workspace_settings().session_hours
    except PlanwatchError as exc:  # served as an error page, so the cause is readable in the browser
        app.state.open_error = exc
    app.add_middleware(SessionMiddleware, secret_key=app.state.signing_key, session_cookie=SESSION_COOKIE,
                       max_age=int(session_hours * 3600), same_site="lax", https_only=settings.https)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(assets_router)
    app.include_router(accounts_router)
    app.include_router(admin_router)
    app.include_router(audit_router)
    app.include_router(rounds_router)
    app.include_router(plans_router)
    app.include_router(projects_router)
    app.include_router(reports_router)
    app.include_router(api_router)
    app.include_router(pages_router)
    return app
