"""The web dashboard and JSON API (FastAPI, Jinja2, vendored ECharts, htmx and Swagger UI).

``create_app(settings)`` opens the store; nothing here touches a database at import time.
Every HTML page has a JSON twin under ``/api`` built by the same context function.
Every request passes the hardening layer of :mod:`.security` (security headers, Host allow-list,
header size limit, HEAD).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

    from planwatch.errors import PlanwatchError

    from .api import router as api_router
    from .assets import router as assets_router
    from .context import Dashboard
    from .error_pages import install_error_handlers
    from .pages import router as pages_router
    from .security import HardenedApp

    settings = settings or WebSettings()
    # /api/docs is served by assets.py from the vendored Swagger UI, not FastAPI's CDN page.
    app = HardenedApp(allowed_hosts=settings.trusted_hosts(), title=settings.title or "planwatch",
                      docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.open_error = None
    try:
        if store is None:
            from planwatch.store import open_store

            store = open_store(settings.db)
        app.state.dashboard = Dashboard(store, settings)
    except PlanwatchError as exc:  # served as an error page, so the cause is readable in the browser
        app.state.open_error = exc
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(assets_router)
    app.include_router(api_router)
    app.include_router(pages_router)
    return app
