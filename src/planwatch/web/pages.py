"""HTML pages: the dashboard and the indicator detail page (Chinese UI)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from .api import METHOD, REGION, YEAR
from .context import Dashboard, dashboard_context, indicator_context
from .render import render
from .state import dashboard

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The dashboard: summary cards, status chart, indicator table."""
    return render(request, "dashboard.html", dashboard_context(dash, year, region, method))


@router.get("/indicators/{key}", response_class=HTMLResponse)
def indicator_page(request: Request, key: str, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One indicator: line chart, findings, observations with sources and revisions."""
    return render(request, "indicator.html", indicator_context(dash, key, year, region, method))
