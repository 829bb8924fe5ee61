"""The web dashboard and JSON API (FastAPI, Jinja2, vendored ECharts, htmx and Swagger UI).

``create_app(settings)`` opens the store; nothing here touches a database at import time.
Every HTML page has a JSON twin under ``/api`` built by the same context function. Each stored plan
is served by its own app under ``/p/{key}/`` (:mod:`.plan_choice`).
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

    from .context import WorkspaceCache
    from .plan_choice import PlanChoice

STATIC = Path(__file__).parent / "static"

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings | None = None, *, store: Store | None = None) -> PlanChoice:
    """The site over ``store`` (opened from ``settings.db`` when not given): every stored plan under
    ``/p/{key}/``, and at the root the plan of the settings, the only one, or a plan chooser (see
    :mod:`.plan_choice`). Its ``state`` is the root app's (``open_error``, ``dashboard``)."""
    from .plan_choice import PlanChoice

    settings = settings or WebSettings()
    root = plan_app(settings, store=store)
    opened = None if root.state.open_error is not None else root.state.dashboard.store
    return PlanChoice(root, settings, opened, build=plan_app)


def plan_app(settings: WebSettings, *, store: Store | None = None, workspace: WorkspaceCache | None = None) -> FastAPI:
    """The dashboard app of one plan (``settings.plan``, or the store's only one) over ``store``
    (``workspace``: the settings cache of the site it is part of)."""
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
    from .families import router as families_router
    from .pages import router as pages_router
    from .plan_choice import router as plan_choice_router
    from .plans import router as plans_router
    from .projects import router as projects_router
    from .reports import router as reports_router
    from .rounds import router as rounds_router
    from .security import HardenedApp
    from .work import router as work_router
    from .work_sections import router as work_sections_router

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
        app.state.dashboard = Dashboard(store, settings, workspace)
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
    app.include_router(plan_choice_router)
    app.include_router(families_router)
    app.include_router(plans_router)
    app.include_router(work_sections_router)
    app.include_router(projects_router)
    app.include_router(reports_router)
    app.include_router(work_router)
    app.include_router(api_router)
    app.include_router(pages_router)
    return app
