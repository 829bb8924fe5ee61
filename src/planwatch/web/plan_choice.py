"""Several plans on one site (issue 10): each stored plan under ``/p/{key}/``, a plan chooser at the root.

:func:`planwatch.web.create_app` returns a :class:`PlanChoice`, an ASGI dispatcher in front of one
dashboard app per plan, each built by :func:`planwatch.web.plan_app` for its plan over the same store
(so one signing key and one session cookie at path ``/``: a login anywhere holds for every plan):

- ``/p/{key}/…`` is answered by that plan's app, with the scope's ``root_path`` extended by ``/p/{key}``
  and ``path`` kept whole, as Starlette's ``Mount`` does: every link and redirect of the app is built
  on ``root_path``, so each stays under the prefix. The apps are built on first use and kept.
- At the root, with ``--plan`` given or at most one plan stored, the app of the settings answers
  everything, as before there was a choice.
- With several plans and none given, the workspace's own pages (:data:`WORKSPACE_PATHS`: logging in,
  accounts, settings, the audit log, uploading a plan, static files, the API's documentation) are
  answered at the root by the app of the most recently loaded plan; ``/`` is the plan chooser (200);
  any other page the chooser with links to that page under each plan (300 Multiple Choices: the
  address names one page per plan); any other ``/api`` address a 409 ``plan_required`` listing the keys.

The chooser and its JSON twin are ordinary routes of every app (``/plans``, ``/api/plans``), behind the
same login as the dashboard; the dispatcher sends a request it cannot place there, telling the app
why in the scope (:class:`Served`). The list of plans is looked at again as often as the dashboard
looks at the data version (``cache_seconds``, at most a second), and at once for an unknown key, so a
plan published on the web is served without a restart.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from planwatch.errors import NotFoundError, PlanRequired, PlanwatchError
from planwatch.evaluate.scope import StoredPlan, stored_plan, stored_plans
from planwatch.model import PlanMeta
from planwatch.store import PlanSummary, Store
from planwatch.vocabulary import fmt_moment, plan_level_label, plan_period_label

from .auth import require
from .context import Dashboard, check_interval
from .error_pages import shorten
from .render import render
from .settings import WebSettings
from .state import dashboard

PREFIX = "/p/"
# The ASGI scope key of :class:`Served`: set by the dispatcher only, never from the network.
SERVED = "planwatch.served"
CHOOSER, CHOOSER_API = "/plans", "/api/plans"

# Addresses (below the site's root) of the workspace, not of a plan: with several plans, answered at the root.
WORKSPACE_PATHS = frozenset({
    "/login", "/logout", "/account/password", "/api/token", "/api/me",
    "/admin/users", "/api/users", "/admin/settings", "/api/settings",
    "/audit", "/audit.csv", "/audit.xlsx", "/api/audit",
    "/plan/upload", "/api/plan/drafts",
    "/status.css", "/api/docs", "/api/openapi.json",
    CHOOSER, CHOOSER_API,
})
WORKSPACE_PREFIXES = ("/static/", "/admin/users/", "/api/users/", "/plan/drafts/", "/api/plan/drafts/")


# ---------------------------------------------------------------- what the dispatcher knows


@dataclass(frozen=True)
class PlanList:
    """The stored plans as last read, in the order they were first loaded."""

    plans: tuple[StoredPlan, ...] = ()
    version: tuple[tuple[str, int], ...] | None = None  # each plan's key and latest version; None: not read yet

    def find(self, key: str | None) -> StoredPlan | None:
        return next((p for p in self.plans if p.key == key), None)

    @property
    def several(self) -> bool:
        return len(self.plans) > 1

    @property
    def latest(self) -> StoredPlan:
        """The most recently loaded plan (of the last loaded at the same moment, the later one)."""
        return max(reversed(self.plans), key=lambda p: p.loaded_at)


@dataclass(frozen=True)
class Served:
    """What the dispatcher tells an app about a request (the scope's :data:`SERVED`)."""

    site: str  # the site's own root path: '' unless the whole site is served under a prefix
    key: str | None  # the plan the answering app serves at this address; None at the root of several
    plans: PlanList
    wanted: str | None = None  # the chooser answering for another address: that address (below the site)
    unknown: str | None = None  # a /p/{key} naming no stored plan


def plan_url(site: str, key: str, path: str = "/") -> str:
    """The address of ``path`` (quoted, with its query) under plan ``key``."""
    return f"{site}{PREFIX}{quote(key, safe='')}{path}"


def below(scope: Scope) -> str:
    """The request's path below its root path (the path the app routes on)."""
    path, root = scope["path"], scope.get("root_path", "").rstrip("/")
    return path[len(root):] if root and (path == root or path.startswith(root + "/")) else path


def prefixed_key(path: str) -> str | None:
    """The plan key of a /p/{key}/… path ('' for /p/ itself); None for any other path."""
    if not path.startswith(PREFIX):
        return None
    return path[len(PREFIX):].partition("/")[0]


def is_workspace_path(path: str) -> bool:
    return path in WORKSPACE_PATHS or path.startswith(WORKSPACE_PREFIXES)


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


# ---------------------------------------------------------------- the dispatcher


class PlanChoice:
    """The site: each plan's app under its prefix, the root as the module docstring says."""

    def __init__(self, root: FastAPI, settings: WebSettings, store: Store | None, *,
                 build: Callable[..., FastAPI]):
        self.root = root
        self.settings = settings
        self.store = store  # None: the store did not open, and the root app says why on every page
        self._build = build
        self._apps: dict[str, FastAPI] = {settings.plan: root} if settings.plan else {}
        self._building = threading.Lock()
        # The plans and when they were last looked at, replaced together.
        self._plans: tuple[PlanList, float] = (PlanList(), -math.inf)
        self._refresh = threading.Lock()
        self._metas: dict[tuple[str, int], PlanMeta] = {}  # (key, version) → its metadata: read once

    @property
    def state(self) -> State:
        """The root app's state (``open_error``, ``dashboard``)."""
        return self.root.state

    @property
    def routes(self) -> list[Any]:
        """The routes of every plan's app (each app has the same)."""
        return self.root.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.store is None:  # lifespan: the root app's
            await self.root(scope, receive, send)
            return
        app, scope = await self.placed(scope)
        await app(scope, receive, send)

    async def placed(self, scope: Scope) -> tuple[ASGIApp, Scope]:
        """The app that answers the request, and the scope it answers."""
        try:
            plans = await self.plan_list()
        except PlanwatchError:  # the store is unreachable: the root app answers with the reason
            return self.root, scope
        site, path = scope.get("root_path", ""), below(scope)
        key = prefixed_key(path)
        if key:
            if plans.find(key) is None:
                plans = await self.plan_list(look=True)  # published a moment ago, before the next look?
            if plans.find(key) is None:
                return await self.chooser(scope, path, Served(site, None, plans, unknown=key))
            served = Served(site, key, plans)
            return await self.app_of(key), {**scope, "root_path": site + PREFIX + key, SERVED: served}
        if key is not None:  # /p/ itself: every plan to choose from
            return await self.chooser(scope, path, Served(site, None, plans))
        if self.settings.plan is not None or not plans.several:
            own = self.settings.plan or (plans.plans[0].key if plans.plans else None)
            return self.root, {**scope, SERVED: Served(site, own, plans)}
        if is_workspace_path(path):
            return await self.app_of(plans.latest.key), {**scope, SERVED: Served(site, None, plans)}
        query = scope.get("query_string", b"").decode("latin-1")
        wanted = None if path == "/" else path + (f"?{query}" if query else "")
        return await self.chooser(scope, path, Served(site, None, plans, wanted=wanted))

    async def chooser(self, scope: Scope, path: str, served: Served) -> tuple[ASGIApp, Scope]:
        """The chooser (``/plans``, or ``/api/plans`` for an API address) answering in place of ``path``."""
        target = served.site + (CHOOSER_API if is_api_path(prefixed_rest(path)) else CHOOSER)
        method = "HEAD" if scope["method"] == "HEAD" else "GET"  # it shows a choice; it does nothing
        detour = {**scope, "path": target, "raw_path": quote(target).encode("ascii"), "query_string": b"",
                  "method": method, SERVED: served}
        plans = served.plans
        if self.settings.plan is not None or not plans.several:
            return self.root, detour
        return await self.app_of(plans.latest.key), detour

    async def app_of(self, key: str) -> FastAPI:
        """The app of plan ``key``, built the first time it is asked for."""
        app = self._apps.get(key)
        return app if app is not None else await run_in_threadpool(self._built, key)

    def _built(self, key: str) -> FastAPI:
        with self._building:
            if key not in self._apps:
                self._apps[key] = self._build(self.settings.model_copy(update={"plan": key}), store=self.store,
                                              workspace=self.root.state.dashboard.workspace_cache)
            return self._apps[key]

    async def plan_list(self, *, look: bool = False) -> PlanList:
        """The stored plans, looked at no more than once an interval (as the dashboard looks at the data
        version; ``look``: now)."""
        plans, checked_at = self._plans
        if not look and time.monotonic() - checked_at < check_interval(self.settings):
            return plans
        return await run_in_threadpool(self._looked, look)

    def _looked(self, look: bool) -> PlanList:
        held, _ = self._plans
        # While one request looks, the others are answered from the list in hand (as Dashboard.snapshot).
        if held.version is not None and not look:
            if not self._refresh.acquire(blocking=False):
                return held
        else:
            self._refresh.acquire()
        try:
            plans, checked_at = self._plans
            started = time.monotonic()
            if not look and started - checked_at < check_interval(self.settings):
                return plans  # looked at by the request this one waited for
            assert self.store is not None
            # The plans table itself, not the data version: an import changes the version, never the plans.
            summaries = self.store.plans()
            version = tuple((s.key, s.latest_version) for s in summaries)
            if version != plans.version:
                plans = PlanList(tuple(self._listed(s) for s in summaries), version)
            self._plans = (plans, started)
            return plans
        finally:
            self._refresh.release()

    def _listed(self, summary: PlanSummary) -> StoredPlan:
        version = (summary.key, summary.latest_version)
        meta = self._metas.get(version)
        if meta is None:
            meta = self._meta(summary)
            if meta is not None:
                self._metas[version] = meta
        return stored_plan(summary, meta or PlanMeta(title=summary.title, region=summary.region))

    def _meta(self, summary: PlanSummary) -> PlanMeta | None:
        """The metadata of the plan's latest version; None when it cannot be read (a damaged row: the plan is
        listed by its summary, and its own pages answer what is wrong, as pages do)."""
        assert self.store is not None
        try:
            return self.store.plan(summary.key).meta
        except (PlanwatchError, ValueError):  # ValueError: pydantic's and json's, on a damaged version
            return None


def prefixed_rest(path: str) -> str:
    """The path after a /p/{key} prefix (the path itself when it has none)."""
    key = prefixed_key(path)
    return path if key is None else path[len(PREFIX) + len(key):]


# ---------------------------------------------------------------- what an app shows of the choice


def served_of(request: Request, dash: Dashboard) -> Served:
    """What the dispatcher told the app of this request (read from the store when an app is called alone)."""
    found = request.scope.get(SERVED)
    if isinstance(found, Served):
        return found
    return Served(request.scope.get("root_path", ""), dash.settings.plan, PlanList(tuple(stored_plans(dash.store))))


def plan_address(request: Request, dash: Dashboard, key: str, path: str) -> str:
    """Where ``path`` of plan ``key`` is: under this request's own root when it is served for that plan,
    else under the plan's prefix (a plan published from another plan's pages)."""
    here = served_of(request, dash)
    if here.key == key:
        return request.scope.get("root_path", "").rstrip("/") + path
    return plan_url(here.site, key, path)


class PlanRecord(BaseModel):
    """One stored plan, with the address of its pages."""

    key: str = Field(description="规划键：该规划的页面和接口在 /p/{key}/ 之下")
    title: str = Field(description="规划标题")
    short_title: str = Field(description="简称（地区、第几个五年规划和规划期）")
    region: str | None = Field(description="规划所属地区")
    level: str | None = Field(description="层级：province / city / county")
    period_start: int | None = Field(description="规划期起始年")
    period_end: int | None = Field(description="规划期末年")
    versions: int = Field(description="已载入的版本数")
    latest_version: int = Field(description="最新版本号")
    loaded_at: datetime = Field(description="最新版本载入时间")
    url: str = Field(description="该规划仪表盘的地址")


def plan_record(plan: StoredPlan, site: str) -> PlanRecord:
    return PlanRecord(key=plan.key, title=plan.title, region=plan.region, level=plan.level,
                      short_title=plan.short_title,
                      period_start=plan.period_start, period_end=plan.period_end, versions=plan.versions,
                      latest_version=plan.latest_version, loaded_at=plan.loaded_at, url=plan_url(site, plan.key))


def listed_keys(plans: PlanList) -> str:
    """The keys of the stored plans, each with its short title, for a message."""
    return "、".join(f"{p.key}（{p.short_title}）" for p in plans.plans)


def refusal(here: Served) -> PlanwatchError | None:
    """Why the chooser answers in place of another address: an unknown key (404), a plan not named (409)."""
    known = listed_keys(here.plans) or "无"
    if here.unknown is not None:
        return NotFoundError(f"没有键为 {here.unknown} 的规划（已有：{known}）")
    if here.wanted is not None:
        first = here.plans.plans[0].key if here.plans.plans else "规划键"
        example = here.site + PREFIX + first + here.wanted
        return PlanRequired(f"数据库中有 {len(here.plans.plans)} 个规划，此地址须指明规划：请在路径前加上 /p/规划键，"
                            f"如 {shorten(example)}。已有：{known}；规划列表见 {here.site}{CHOOSER_API}")
    return None


def chooser_context(here: Served) -> dict[str, Any]:
    """The chooser page: every plan with its facts, a link to its dashboard and to the page asked for."""
    rows = []
    for plan in here.plans.plans:
        record = plan_record(plan, here.site)
        rows.append({**record.model_dump(mode="json"), "level_label": plan_level_label(plan.level),
                     "period_label": plan_period_label(plan.period_start, plan.period_end),
                     "loaded_display": fmt_moment(plan.loaded_at),
                     "wanted_url": plan_url(here.site, plan.key, quote_path(here.wanted)) if here.wanted else None})
    problem = refusal(here)
    return {"plans": rows, "wanted": shorten(here.wanted) if here.wanted else None, "unknown": here.unknown,
            "message": str(problem) if isinstance(problem, NotFoundError) else None}


def quote_path(address: str) -> str:
    """An address (path and query) with its path quoted as a link needs it (the query is quoted already)."""
    path, mark, query = address.partition("?")
    return quote(path) + mark + query


def plan_switch(request: Request, status_code: int) -> dict[str, Any] | None:
    """The page header's plan switcher, when several plans are stored: the current plan (None at the root
    of several) and a link to each plan: to this same page when it names no item (a page without path
    parameters, answered 200), else to the plan's dashboard."""
    here = request.scope.get(SERVED)
    if not isinstance(here, Served) or not here.plans.several:
        return None
    same = status_code == 200 and here.key is not None and not request.path_params
    page = quote(below(request.scope)) if same else "/"
    current = here.plans.find(here.key)
    return {
        "current": current.short_title if current else None,
        "plans": [{"key": p.key, "title": p.title, "short_title": p.short_title,
                   "url": plan_url(here.site, p.key, page), "current": p.key == here.key} for p in here.plans.plans],
        "all": here.site + CHOOSER,
    }


# ---------------------------------------------------------------- routes


router = APIRouter(tags=["api"], dependencies=[Depends(require("view"))])


@router.get(CHOOSER, response_class=HTMLResponse, include_in_schema=False)
def plans_page(request: Request, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """Every stored plan, each with a link to its dashboard; answering for another address (300), the
    links to that page under each plan; for an unknown plan key (404), the keys there are."""
    here = served_of(request, dash)
    status = 404 if here.unknown is not None else 300 if here.wanted is not None else 200
    return render(request, "plans.html", chooser_context(here), status_code=status)


@router.get(CHOOSER_API, response_model=list[PlanRecord])
def get_plans(request: Request, dash: Dashboard = Depends(dashboard)) -> list[PlanRecord]:
    """Every stored plan, with the address of its pages (``url``; its API under ``/p/{key}/api/…``).
    With several plans, an API address without ``/p/{key}`` answers 409 ``plan_required``."""
    here = served_of(request, dash)
    problem = refusal(here)
    if problem is not None:
        raise problem
    return [plan_record(p, here.site) for p in here.plans.plans]
