"""HTML pages: the dashboard and the indicator detail page (Chinese UI)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from .api import METHOD, REGION, YEAR
from .auth import require
from .context import Dashboard, dashboard_context, indicator_context
from .preview import preview_mode
from .render import render
from .state import dashboard

router = APIRouter(tags=["pages"], include_in_schema=False, dependencies=[Depends(require("view"))])


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, preview: bool = Depends(preview_mode),
                   dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The dashboard: summary cards, status chart, indicator table."""
    return render(request, "dashboard.html", dashboard_context(dash, year, region, method, preview=preview))


@router.get("/indicators/{key}", response_class=HTMLResponse)
def indicator_page(request: Request, key: str, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, preview: bool = Depends(preview_mode),
                   dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One indicator: line chart, findings, observations with sources and revisions."""
    return render(request, "indicator.html", indicator_context(dash, key, year, region, method, preview=preview))
