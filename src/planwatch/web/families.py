"""The plan's family in the browser: its region's plans in order (the previous one read from 表1) with every
indicator's target and outcome in each, and one indicator compared across them (历次规划对比).

- ``/plan/family`` and its twin ``/api/plan/family``: the family, one row per series, one cell per plan;
- ``/plan/family/{key}`` and ``/api/plan/family/{key}``: one indicator (this plan's id, a 表1 id such as
  T1-1, or ``PLANKEY:ID`` of another plan of the family) across the family, with a chart;
- ``/plan/family/{key}/table.{fmt}``: that comparison as CSV or XLSX.

Permission ``view`` (so also in public mode). The comparison is :mod:`planwatch.evaluate.families`, shown by
:mod:`planwatch.presentation.families`; the app's own plan reads its snapshot, the others their stored inputs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from planwatch.errors import NotFoundError, StoreError
from planwatch.evaluate import read_inputs
from planwatch.evaluate.families import (
    Family,
    FamilySeries,
    Readings,
    compare,
    families,
    family_of,
    family_series,
    series_of,
)
from planwatch.model import Plan
from planwatch.presentation.families import (
    COMPARISON_HEADERS,
    comparison_cells,
    comparison_content,
    family_record,
    matrix_row,
)
from planwatch.store.plans import plan_key
from planwatch.store.series_matches import SeriesLinks, parse_ref

from .auth import require
from .context import Dashboard, Snapshot, as_record
from .downloads import Table, safe_name, table_response
from .render import render
from .state import dashboard

router = APIRouter(dependencies=[Depends(require("view"))])
COMPARISON_TITLE = "历次规划对比"


# ---------------------------------------------------------------- reading


def family_reading(dash: Dashboard, snap: Snapshot) -> tuple[str, list[Family], SeriesLinks, Readings]:
    """This plan's key, the store's families, the series links, and what the comparison reads: this plan from the
    snapshot, the family's other plans from the store."""
    key = plan_key(snap.plan)
    links = dash.store.series_links()
    readings = Readings(lambda other: snap.inputs if other == key else read_inputs(dash.store, other))
    return key, families(links.plans), links, readings


def page_top(dash: Dashboard, snap: Snapshot, key: str, family: Family) -> dict[str, Any]:
    """What both pages show above their content."""
    return {"title": dash.settings.title or snap.plan.meta.title, "plan": as_record(snap.plan.meta), "plan_key": key,
            "family": family_record(family), "current": family.position(key)}


def comparison_url(series: FamilySeries, key: str) -> str:
    """The comparison page of a series: by this plan's id when the plan holds it, else by a full ref."""
    own = series.ref_in(key)
    ref = own.partition(":")[2] if own else next(m.ref(i) for m, i in series.cells() if i is not None)
    return f"/plan/family/{quote(ref, safe=':')}"


# ---------------------------------------------------------------- /plan/family


def family_context(dash: Dashboard) -> dict[str, Any]:
    """The plan's family with every series' target and outcome per plan (/plan/family, /api/plan/family)."""
    snap = dash.snapshot()
    return dash.page(snap, ("plan-family",), lambda: family_content(dash, snap))


def family_content(dash: Dashboard, snap: Snapshot) -> dict[str, Any]:
    key, found, links, readings = family_reading(dash, snap)
    family = family_of(found, key)
    rows = []
    for series in family_series(family, links):
        rows.append(matrix_row(series, compare(series, readings)) | {"url": comparison_url(series, key)})
    return page_top(dash, snap, key, family) | {"series": rows}


# ---------------------------------------------------------------- /plan/family/{key}


def comparison_context(dash: Dashboard, indicator: str) -> dict[str, Any]:
    """One indicator of this plan's family across it (/plan/family/{key}, its twin and downloads)."""
    snap = dash.snapshot()
    return dash.page(snap, ("plan-family", indicator), lambda: comparison_page(dash, snap, indicator))


def comparison_page(dash: Dashboard, snap: Snapshot, indicator: str) -> dict[str, Any]:
    key, found, links, readings = family_reading(dash, snap)
    family = family_of(found, key)
    series = series_of(found, links, wanted_ref(snap.plan, indicator))
    if series.family.id != family.id:
        raise NotFoundError(f"指标 {indicator} 不属于本规划所在的规划系列（{family.label}）")
    own = series.ref_in(key)
    return page_top(dash, snap, key, family) | comparison_content(series, compare(series, readings)) | {
        "key": own.partition(":")[2] if own else indicator}


def wanted_ref(plan: Plan, indicator: str) -> str:
    """``PLANKEY:ID`` of the indicator asked for: this plan's when only an id, a 表2 number or a name is given (as
    the indicator page reads it); NotFoundError for a malformed one."""
    ref = indicator
    if ":" not in indicator:
        own = plan.indicator(indicator)
        ref = f"{plan_key(plan)}:{own.id if own is not None else indicator}"
    try:
        parse_ref(ref)
    except StoreError as exc:  # the ref's form is the asker's mistake: nothing by that name
        raise NotFoundError(str(exc)) from exc
    return ref


def comparison_sheet(content: dict[str, Any]) -> Table:
    """The comparison as a download's table (the same cells as ``planwatch families compare --csv``)."""
    return Table(COMPARISON_TITLE, COMPARISON_HEADERS, [comparison_cells(r) for r in content["rows"]])


def comparison_moment(content: dict[str, Any]) -> datetime:
    """The date a workbook of the comparison carries: the end of the family's last period (same data, same bytes)."""
    return datetime(max((r["period_end"] or 2000 for r in content["rows"]), default=2000), 12, 31)


# ---------------------------------------------------------------- routes


@router.get("/plan/family", response_class=HTMLResponse, include_in_schema=False)
def family_page(request: Request, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The plan's family: every indicator's target and outcome in each plan, linked to its comparison."""
    return render(request, "plan_family.html", family_context(dash))


@router.get("/api/plan/family", tags=["api"])
def get_family(dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's family (its region's plans in order, the previous one read from 表1) and every indicator
    followed across it: per plan the target, the outcome or latest value, and the judgement."""
    return family_context(dash)


@router.get("/plan/family/{key}/table.{fmt}", include_in_schema=False)
def comparison_table(key: str, fmt: str, dash: Dashboard = Depends(dashboard)) -> Response:
    """One indicator's comparison across the family as CSV or XLSX."""
    ctx = comparison_context(dash, key)
    name = f"{safe_name(ctx['name'])}_{COMPARISON_TITLE}"
    return table_response([comparison_sheet(ctx)], fmt, name, f"family-{safe_name(ctx['key'])}",
                          comparison_moment(ctx))


@router.get("/plan/family/{key}", response_class=HTMLResponse, include_in_schema=False)
def comparison_view(request: Request, key: str, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One indicator across the family's plans: table, chart, downloads."""
    return render(request, "plan_family_compare.html", comparison_context(dash, key))


@router.get("/api/plan/family/{key}", tags=["api"])
def get_comparison(key: str, dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """One indicator (this plan's id, a 表1 id such as T1-1, or PLANKEY:ID) across the family: per plan the
    indicator as printed, base, target, outcome at the target year (else the latest value), judgement and the
    next plan's target; chart data."""
    return comparison_context(dash, key)
