"""HTML pages: the dashboard and the indicator detail page (Chinese UI).

With many regions (web/region_choice.py) the region field is a search box: a text that is not a region's
exact name is searched for, and the page goes to the one region it names or lists the matches as links,
instead of refusing it; the pages also link the chosen region's parent and children. The JSON twins
(web/api.py) still refuse an unknown region.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from planwatch.evaluate.methods import method_module

from .api import METHOD, REGION, YEAR
from .auth import require
from .context import (
    Choice,
    Dashboard,
    Snapshot,
    dashboard_context,
    indicator_context,
    own_region,
    page_header,
    plan_indicator,
    resolve_choice,
)
from .error_pages import shorten
from .preview import preview_mode
from .region_choice import REGION_LINKS_MAX, RegionSearch, RegionTree, many_regions, region_search
from .render import environment, render
from .state import dashboard

router = APIRouter(tags=["pages"], include_in_schema=False, dependencies=[Depends(require("view"))])


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, preview: bool = Depends(preview_mode),
                   dash: Dashboard = Depends(dashboard)) -> Response:
    """The dashboard: summary cards, status chart, indicator table."""
    searched = searched_region(request, dash, year, region, method, preview)
    if searched is not None:
        return searched
    ctx = dashboard_context(dash, year, region, method, preview=preview)
    return render(request, "dashboard.html", {**ctx, "region_tree": tree_links(dash, ctx, preview)})


@router.get("/indicators/{key}", response_class=HTMLResponse)
def indicator_page(request: Request, key: str, year: int | None = YEAR, region: str | None = REGION,
                   method: str | None = METHOD, preview: bool = Depends(preview_mode),
                   dash: Dashboard = Depends(dashboard)) -> Response:
    """One indicator: line chart, findings, observations with sources and revisions."""
    searched = searched_region(request, dash, year, region, method, preview, indicator=key)
    if searched is not None:
        return searched
    ctx = indicator_context(dash, key, year, region, method, preview=preview)
    return render(request, "indicator.html", {**ctx, "region_tree": tree_links(dash, ctx, preview)})


# ---------------------------------------------------------------- the region search (many regions)


def searched_region(request: Request, dash: Dashboard, year: int | None, region: str | None,
                    method: str | None, preview: bool, indicator: str | None = None) -> Response | None:
    """For a region text that is no region's exact name, among many regions: a redirect to the page of
    the one region it names, or the search page listing the regions whose names contain it. None when
    the page can be shown as asked (few regions: an unknown name is refused as before)."""
    if not region:
        return None
    snap = dash.snapshot()
    names = snap.inputs.region_names
    if region in names or not many_regions(len(names)):
        return None
    # an unknown indicator, year or method is refused as the page would refuse it, before any search
    if indicator is not None:
        plan_indicator(snap, indicator)
    choice = resolve_choice(dash, snap, year, None, method)
    method_module(choice.method)
    found = region_search(names, region, own_region(snap))
    if found.only is not None:
        chosen = dataclasses.replace(choice, region=found.only)
        return RedirectResponse(f"{request.url.path}?{chosen.query(**preview_query(preview))}", status_code=303)
    return render(request, "region_search.html", region_search_context(dash, snap, choice, found, preview))


def region_search_context(dash: Dashboard, snap: Snapshot, choice: Choice, found: RegionSearch,
                          preview: bool) -> dict[str, Any]:
    """The search page: the form with the text as typed, what was found and the regions to go to: the
    matches (the first REGION_LINKS_MAX), or for none the plan's own region and those below it."""
    tree = region_tree(dash, snap)
    quoted = shorten(found.text)
    own = own_region(snap)
    names = found.shown or ([own, *tree.below(own)][:REGION_LINKS_MAX] if own else [])
    return {
        **page_header(dash, snap, choice, final=False),
        "region": quoted,
        "preview": preview,
        "search": {
            "text": quoted,
            "message": found.message(quoted),
            "matched": len(found.matches),
            "regions": [region_link(n, choice, preview, tree.parent(n)) for n in names],
            "api_query": urlencode({"q": found.text, "limit": REGION_LINKS_MAX}),  # its JSON twin: /api/regions
        },
    }


# ---------------------------------------------------------------- the region's parent and children


def tree_links(dash: Dashboard, ctx: dict[str, Any], preview: bool) -> Markup:
    """Links to the chosen region's parent and children (the first REGION_LINKS_MAX) on the same page, for
    the same year and method; nothing when the page offers a <select> of every region instead.

    Rendered once per data version and choice (its links are relative, the same on every page): the 54
    links of a province rendered on every request cost 0.2-0.4 ms of CPU, 10-25% of a page (bench/RESULTS.md)."""
    if ctx["region_picker"] != "search":
        return Markup("")
    snap = dash.snapshot()
    choice = Choice(ctx["year"], ctx["region"], ctx["method"])
    return dash.page(snap, ("region-tree-links", choice, preview), lambda: {"html": Markup(
        environment().get_template("_region_tree.html").render(links=tree_links_content(dash, snap, choice, preview)))}
    )["html"]


def tree_links_content(dash: Dashboard, snap: Snapshot, choice: Choice, preview: bool) -> dict[str, Any]:
    """The links of ``choice``'s region: ``parent`` (or None), ``children`` (the first ones) and their ``count``."""
    tree = region_tree(dash, snap)
    parent = tree.parent(choice.region)
    below = tree.below(choice.region)
    return {
        "parent": region_link(parent, choice, preview) if parent else None,
        "children": [region_link(n, choice, preview) for n in below[:REGION_LINKS_MAX]],
        "count": len(below),
    }


def region_tree(dash: Dashboard, snap: Snapshot) -> RegionTree:
    """The region table's hierarchy, read once per data version."""
    return dash.page(snap, ("region-tree",), lambda: {"tree": RegionTree.of(dash.store.regions())})["tree"]


def region_link(name: str, choice: Choice, preview: bool, parent: str | None = None) -> dict[str, Any]:
    """A region as a link: its name, the query of the same page for it, and (for a search) its parent."""
    return {"name": name, "parent": parent,
            "query": dataclasses.replace(choice, region=name).query(**preview_query(preview))}


def preview_query(preview: bool) -> dict[str, int]:
    """The preview's query parameter, kept on every link of a preview."""
    return {"preview": 1} if preview else {}
