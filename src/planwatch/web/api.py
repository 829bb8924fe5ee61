"""JSON API: the twins of the pages, built from the same context functions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from .auth import require
from .context import Dashboard, dashboard_context, indicator_context, plan_context, regions_context
from .preview import preview_mode
from .state import dashboard

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(require("view"))])

YEAR = Query(None, description="评估年份（默认为有数据的最近年份）")
REGION = Query(None, description="地区（默认为规划所属地区）")
METHOD = Query(None, description="评估方法（elapsed_time / open_sdg / unsd）")
MATCHING = Query(None, max_length=100, description="只列出名称包含该文字的地区（规划所属地区在前）")
LIMIT = Query(None, ge=1, le=1000, description="最多列出的地区数")


@router.get("/plan")
def get_plan(dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's metadata and indicators with their targets."""
    return plan_context(dash)


@router.get("/findings")
def get_findings(year: int | None = YEAR, region: str | None = REGION, method: str | None = METHOD,
                 preview: bool = Depends(preview_mode), dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The dashboard's data: findings in plan order, counts by status, chart data (``preview``: with the
    pending figures, planners only)."""
    return dashboard_context(dash, year, region, method, preview=preview)


@router.get("/indicators/{key}")
def get_indicator(key: str, year: int | None = YEAR, region: str | None = REGION,
                  method: str | None = METHOD, preview: bool = Depends(preview_mode),
                  dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """One indicator: targets, findings, observations with revisions, chart data (``preview``: with the
    pending figures, planners only)."""
    return indicator_context(dash, key, year, region, method, preview=preview)


@router.get("/regions")
def get_regions(q: str | None = MATCHING, limit: int | None = LIMIT, dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The region tree and the regions that can be chosen; with ``q``, those whose name contains it
    (the plan's own region first, then names starting with it), at most ``limit``."""
    return regions_context(dash, q, limit)
