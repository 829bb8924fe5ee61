"""The data behind every page: one context function per page, shared by its HTML and JSON.

A :class:`Dashboard` wraps an open store. It keeps a snapshot of the evaluation's inputs
(:class:`planwatch.evaluate.Inputs`) for as long as the store's data version holds, and the
assessments made from it per (year, region, method), so that pages do not re-read or re-judge the
store per request, and a page and the chart data it fetches are judged on the same numbers.
Findings are judged by the one shared entry (:func:`planwatch.evaluate.assess`) and shown through
the shared presentation (:class:`planwatch.presentation.FindingView`), as the CLI and reports do.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from planwatch.errors import EvaluationError, NotFoundError
from planwatch.evaluate import METHODS, Assessment, Inputs, assess, check_year, read_inputs
from planwatch.evaluate.scope import with_pending
from planwatch.figures import fmt_number, fmt_value
from planwatch.model import Indicator, Plan, Status
from planwatch.presentation import (
    FindingView,
    chart_series,
    finding_views,
    observed_points,
    plan_order,
    status_counts,
    summary_statuses,
)
from planwatch.presentation.outline import adjustment_record
from planwatch.store import Store, Submission, WorkspaceSettings
from planwatch.store.plans import plan_key
from planwatch.vintages import vintage_label
from planwatch.vocabulary import STATUS_DEFINITIONS, attribute_label, status_colour, status_label

from .region_choice import region_matches, region_picker
from .settings import WebSettings

T = TypeVar("T")


# ---------------------------------------------------------------- plain data


def as_record(obj: Any) -> Any:
    """A JSON-ready form of a model object or plain data (pydantic, dataclass, mapping, sequence)."""
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    if isinstance(obj, float):
        return finite(obj)
    if hasattr(obj, "model_dump"):
        return as_record(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return as_record(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): as_record(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [as_record(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def finite(value: float | None) -> float | None:
    """The value, or None for a missing, NaN or infinite one."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def status_entry(status: Status | str, *, final: bool = False) -> dict[str, str]:
    """Display data of a status: code, Chinese label, colour, definition."""
    code = Status(status)
    return {
        "status": str(code),
        "label": status_label(code, final=final),
        "colour": status_colour(code),
        "explanation": STATUS_DEFINITIONS[code],
    }


# ---------------------------------------------------------------- snapshot and evaluation


# A burst of requests shares one look at the store's data version: at most one every so often.
VERSION_CHECK_SECONDS = 1.0
ASSESSMENTS_KEPT = 64  # (year, region, method) choices judged on the current data
PAGES_KEPT = 256  # page contexts (a page and its choice) built from the current data


def check_interval(settings: WebSettings) -> float:
    """How long a look at the store's data version holds before the next request looks again."""
    return min(settings.cache_seconds, VERSION_CHECK_SECONDS)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The evaluation's inputs as of one data version of the store."""

    inputs: Inputs
    version: tuple[int | str | None, ...]

    @property
    def plan(self) -> Plan:
        """The plan of the snapshot."""
        return self.inputs.plan


class Memo:
    """Values computed from one snapshot, least recently used dropped beyond ``size``.

    Keys carry the snapshot's version, so a value computed on older data is never served for newer.
    Each key is computed once: requests asking for it meanwhile wait for that result.
    """

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._pending: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, snap: Snapshot, key: tuple, compute: Callable[[], T]) -> T:
        """The value of ``key`` on ``snap``: remembered, or computed now."""
        full = (snap.version, *key)
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
            pending = self._pending.setdefault(full, threading.Lock())
        with pending:
            with self._lock:
                if full in self._values:  # computed by the request this one waited for
                    return self._values[full]
            try:
                value = compute()
                with self._lock:
                    self._values[full] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:  # a failed computation is tried again by the next request
                with self._lock:
                    self._pending.pop(full, None)
        return value

    def keep_only(self, snap: Snapshot) -> None:
        """Forget the values of other versions (their data is gone)."""
        with self._lock:
            for key in [k for k in self._values if k[0] != snap.version]:
                del self._values[key]


class WorkspaceCache:
    """The workspace settings as last read, and when."""

    def __init__(self) -> None:
        self._held: tuple[WorkspaceSettings | None, float] = (None, -math.inf)

    def get(self, store: Store, interval: float) -> WorkspaceSettings:
        """The settings, read again when the last read is ``interval`` seconds old."""
        value, read_at = self._held
        if value is None or time.monotonic() - read_at >= interval:
            value = store.workspace_settings()
            self._held = (value, time.monotonic())
        return value

    def forget(self) -> None:
        self._held = (None, -math.inf)


class Dashboard:
    """An open store, with the snapshot and evaluations the pages are built from.

    Inputs are re-read only when the store's data version (:meth:`Store.data_version`) changes: an
    import, a plan version, an adjustment or a region edit. The version is looked at no more than
    once every ``min(cache_seconds, VERSION_CHECK_SECONDS)``, so a write shows within that time and
    a burst of requests costs one cheap query, not a read of the whole store each.
    """

    def __init__(self, store: Store, settings: WebSettings, workspace: WorkspaceCache | None = None):
        self.store = store
        self.settings = settings
        # Shared by the dashboards of every plan a site serves: a settings change holds on all at once.
        self.workspace_cache = workspace or WorkspaceCache()
        # The snapshot and when the version was last looked at, replaced together.
        self._current: tuple[Snapshot | None, float] = (None, -math.inf)
        self._refresh = threading.Lock()  # one request at a time looks at the version and re-reads
        self.assessments = Memo(ASSESSMENTS_KEPT)
        self.pages = Memo(PAGES_KEPT)
        # The planner's preview: the snapshot with the pending figures laid over it, and those figures.
        self._preview: tuple[Snapshot, list[Submission]] | None = None
        self._preview_lock = threading.Lock()

    def workspace(self) -> WorkspaceSettings:
        """The workspace settings, read again at most once an interval (every request asks: public mode)."""
        return self.workspace_cache.get(self.store, self._check_interval())

    def forget_workspace(self) -> None:
        """Read the settings again on the next request (after this process changed them)."""
        self.workspace_cache.forget()

    def snapshot(self) -> Snapshot:
        """The inputs as of the store's data version, looked at no more than once an interval.

        While one request looks (or re-reads after a write), the others are answered from the snapshot
        in hand rather than queued behind it: a long import holding the database must not stall pages.
        """
        snap, checked_at = self._current
        if snap is not None:
            if time.monotonic() - checked_at < self._check_interval() or not self._refresh.acquire(blocking=False):
                return snap
        else:
            self._refresh.acquire()
        try:
            return self._refreshed()
        finally:
            self._refresh.release()

    def _refreshed(self) -> Snapshot:
        snap, checked_at = self._current
        started = time.monotonic()
        if snap is not None and started - checked_at < self._check_interval():
            return snap  # looked at by the request this one waited for
        # The version is read before the inputs: a write between the two makes the next look read
        # again; older inputs are never kept under a newer version.
        version = self.store.data_version()
        if snap is None or snap.version != version:
            first = snap is None
            snap = Snapshot(read_inputs(self.store, self.settings.plan), version)
            self.assessments.keep_only(snap)
            self.pages.keep_only(snap)
            if first:
                freeze_long_lived()
        self._current = (snap, started)
        return snap

    def preview_snapshot(self) -> tuple[Snapshot, list[Submission]]:
        """The snapshot with every pending (submitted, not yet approved) figure laid over it, and those figures.

        Its version is the data version plus the pending figures' ids and versions, so the assessments and
        pages built from it are kept apart from the published ones (the public cache never holds a
        preview) and are built again when a figure is submitted, corrected or decided."""
        snap = self.snapshot()
        pending = self.store.pending_submissions(plan_key(snap.plan))
        version = (*snap.version, "preview:" + ",".join(f"{s.id}.{s.version}" for s in pending))
        with self._preview_lock:
            held = self._preview
            if held is None or held[0].version != version:
                held = (Snapshot(with_pending(snap.inputs, pending), version), pending)
                self._preview = held
        return held

    def _check_interval(self) -> float:
        return check_interval(self.settings)

    def assessment(self, snap: Snapshot, choice: Choice) -> Assessment:
        """The plan judged for the chosen year, region and method (kept while the data version holds)."""
        return self.assessments.get(snap, (choice.year, choice.region, choice.method), lambda: assess(
            snap.inputs, year=choice.year, regions=[choice.region], method=choice.method))

    def page(self, snap: Snapshot, key: tuple, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """A page's context, built once per data version; a fresh top level, nested parts shared (read-only)."""
        return dict(self.pages.get(snap, key, build))

    def views(self, snap: Snapshot, choice: Choice) -> list[FindingView]:
        """The chosen region's findings in plan order, as every surface shows them."""
        assessment = self.assessment(snap, choice)
        mine = [f for f in assessment.findings if f.region == choice.region]
        return finding_views(plan_order(snap.plan, mine), final=assessment.final)


_frozen = threading.Event()


def freeze_long_lived() -> None:
    """Once per process, move what is alive now (modules, the app, the first snapshot) out of the
    garbage collector's sight.

    A server process holds ~200,000 such objects; every full collection walked them all, ~120 ms in
    which no request is answered: that pause was the dashboard's p95 under 20 clients
    (bench/web_load.py). Garbage is collected first, so none is kept; later garbage is collected as usual.
    """
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()
        gc.freeze()


def period_years(plan: Plan) -> list[int]:
    """The years of the plan period that can be evaluated."""
    meta = plan.meta
    if meta.period_start and meta.period_end:
        return list(range(meta.period_start, meta.period_end + 1))
    return []


# ---------------------------------------------------------------- choices of a request


@dataclasses.dataclass(frozen=True)
class Choice:
    """The year, region and method a page shows."""

    year: int
    region: str
    method: str

    def query(self, **extra: Any) -> str:
        """The choice as a URL query string."""
        return urlencode({"year": self.year, "region": self.region, "method": self.method, **extra})


def resolve_choice(dash: Dashboard, snap: Snapshot, year: int | None, region: str | None,
                   method: str | None) -> Choice:
    """Fill the request's blanks from the settings and the shared defaults; reject unknown values."""
    inputs = snap.inputs
    if year is None:
        year = inputs.default_year if dash.settings.year is None else dash.settings.year
    check_year(inputs.plan, year)  # the evaluator's own rule and message, as the CLI answers
    regions = inputs.region_names
    default = inputs.default_regions()
    region = region or dash.settings.region or (default[0] if default else (regions[0] if regions else None))
    if region is None:
        raise EvaluationError("没有可评估的地区：请在规划中注明地区或导入地区表")
    if region not in regions:
        raise EvaluationError(f"未知地区：{region}（可选：{'、'.join(regions)}）")
    return Choice(int(year), region, method or dash.settings.method)


# ---------------------------------------------------------------- context functions


def plan_context(dash: Dashboard) -> dict[str, Any]:
    """The plan's metadata and its indicators with their targets (/api/plan)."""
    snap = dash.snapshot()
    return dash.page(snap, ("plan",), lambda: plan_content(snap.plan))


def plan_content(plan: Plan) -> dict[str, Any]:
    """What /api/plan shows of ``plan``."""
    current = plan.current_indicators()
    return {
        "meta": as_record(plan.meta),
        "years": period_years(plan),
        "indicators": [indicator_record(i) for i in current],
        "previous_indicators": [indicator_record(i) for i in plan.previous_indicators()],
        "counts": {
            "indicators": len(current),
            "prose_targets": len(plan.targets),
            "projects": len(plan.projects),
            "open_flags": sum(1 for f in plan.flags if not f.resolved),
        },
    }


def indicator_record(ind: Indicator) -> dict[str, Any]:
    """An indicator as shown: plan fields plus display labels."""
    rec = as_record(ind)
    rec.pop("cells", None)
    rec["attribute_label"] = attribute_label(ind.attribute)
    rec["baseline_display"] = ind.baseline.text or fmt_number(ind.baseline.value, ind.unit)
    rec["target_display"] = ind.target.text or fmt_number(ind.target.value, ind.unit)
    return rec


def own_region(snap: Snapshot) -> str | None:
    """The plan's own region, listed first wherever regions are offered."""
    default = snap.inputs.default_regions()
    return default[0] if default else None


def regions_context(dash: Dashboard, q: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """The region tree and the names that can be chosen (/api/regions); with ``q``, only the names
    containing it (and their tree entries), the plan's own region first; at most ``limit`` of them.
    ``matched`` counts the names that matched before the limit."""
    snap = dash.snapshot()
    every = dash.page(snap, ("regions",), lambda: {"regions": [as_record(r) for r in dash.store.regions()],
                                                   "choices": snap.inputs.region_names,
                                                   "matched": len(snap.inputs.region_names)})
    if q is None and limit is None:
        return every
    names = region_matches(every["choices"], q, own_region(snap))
    chosen = names[:limit] if limit is not None else names
    order = {n: i for i, n in enumerate(chosen)}
    records = sorted((r for r in every["regions"] if r.get("name") in order), key=lambda r: order[r["name"]])
    return {"regions": records, "choices": chosen, "matched": len(names)}


def page_header(dash: Dashboard, snap: Snapshot, choice: Choice, final: bool) -> dict[str, Any]:
    """What every page shows above its content: the plan and the year, region and method chosen."""
    plan = snap.plan
    return {
        "title": dash.settings.title or plan.meta.title,
        "plan": as_record(plan.meta),
        "year": choice.year,
        "region": choice.region,
        "method": choice.method,
        "final": final,
        "query": choice.query(),
        "years": period_years(plan) or [choice.year],
        "regions": snap.inputs.region_names,
        **region_picker(snap.inputs.region_names, own_region(snap), choice.region),
        "methods": method_choices(choice.method),
        "preview": None,
    }


def dashboard_context(dash: Dashboard, year: int | None = None, region: str | None = None,
                      method: str | None = None, *, preview: bool = False) -> dict[str, Any]:
    """Everything on the dashboard: summary cards, findings in plan order, chart data; with ``preview``,
    as judged with the pending figures (a planner's preview, marked as such)."""
    if preview:
        snap, pending = dash.preview_snapshot()
        choice = resolve_choice(dash, snap, year, region, method)
        return dash.page(snap, ("dashboard", choice),
                         lambda: previewed(dashboard_content(dash, snap, choice), pending, choice))
    snap = dash.snapshot()
    choice = resolve_choice(dash, snap, year, region, method)
    return dash.page(snap, ("dashboard", choice), lambda: dashboard_content(dash, snap, choice))


def dashboard_content(dash: Dashboard, snap: Snapshot, choice: Choice) -> dict[str, Any]:
    """The dashboard of ``choice`` on ``snap``."""
    views = dash.views(snap, choice)
    final = dash.assessment(snap, choice).final
    rows = [finding_row(v, choice) for v in views]
    return {
        **page_header(dash, snap, choice, final),
        "summary": status_summary(views, final=final),
        "legend": [status_entry(s, final=final) for s in Status],
        "total": len(rows),
        "warnings": sum(1 for r in rows if r["warning"]),
        "findings": rows,
        "chart": status_chart(views, final=final),
    }


def method_choices(current: str) -> list[dict[str, str]]:
    """The methods offered, with the current one included even if it is not a known one."""
    choices = [{"code": code, "label": method.LABEL} for code, method in METHODS.items()]
    if current not in METHODS:
        choices.append({"code": current, "label": current})
    return choices


def finding_row(view: FindingView, choice: Choice) -> dict[str, Any]:
    """A finding's shared record, with its definition and the link to its indicator page."""
    rec = view.record()
    rec["status_explanation"] = STATUS_DEFINITIONS[view.status]
    rec["url"] = f"/indicators/{view.finding.indicator_id}?{choice.query()}"
    return rec


def status_summary(views: list[FindingView], *, final: bool) -> list[dict[str, Any]]:
    """Counts by status, every status in its fixed order, with the stale ones among them."""
    return [{**status_entry(c.status, final=final), "count": c.count, "stale": c.stale}
            for c in status_counts(views, summary_statuses(views, final=final), final=final)]


def status_chart(views: list[FindingView], *, final: bool) -> dict[str, Any]:
    """Status counts by category for a stacked bar chart; statuses with no finding left out."""
    categories = list(dict.fromkeys(v.category for v in views))
    series = []
    for status in Status:
        data = [sum(1 for v in views if v.category == c and v.status == status) for c in categories]
        if any(data):
            series.append({**status_entry(status, final=final), "data": data})
    return {"categories": categories, "series": series}


def indicator_context(dash: Dashboard, key: str, year: int | None = None, region: str | None = None,
                      method: str | None = None, *, preview: bool = False) -> dict[str, Any]:
    """One indicator: its targets, this year's findings, observations with revisions, chart; with
    ``preview``, as judged with the pending figures."""
    snap, pending = dash.preview_snapshot() if preview else (dash.snapshot(), None)
    ind = plan_indicator(snap, key)
    choice = resolve_choice(dash, snap, year, region, method)
    if pending is None:
        return dash.page(snap, ("indicator", ind.id, choice), lambda: indicator_content(dash, snap, ind, choice))
    return dash.page(snap, ("indicator", ind.id, choice),
                     lambda: previewed(indicator_content(dash, snap, ind, choice), pending, choice, ind.id))


def plan_indicator(snap: Snapshot, key: str) -> Indicator:
    """The plan's indicator ``key`` (id, number or name), refused as not found when the plan has none."""
    ind = snap.plan.indicator(key)
    if ind is None:
        raise NotFoundError(f"未找到指标：{key}")
    return ind


def indicator_content(dash: Dashboard, snap: Snapshot, ind: Indicator, choice: Choice) -> dict[str, Any]:
    """The page of indicator ``ind`` for ``choice`` on ``snap``."""
    final = dash.assessment(snap, choice).final
    views = [v for v in dash.views(snap, choice) if v.finding.indicator_id == ind.id]
    return {
        **page_header(dash, snap, choice, final),
        "indicator": indicator_record(ind),
        "findings": [finding_row(v, choice) for v in views],
        "observations": observation_records(dash, ind.id, choice.region),
        "chart": indicator_chart(snap, ind, choice, views),
        "adjustments": indicator_adjustments(dash, snap, ind),
        "chapter_work": indicator_chapter_work(dash, snap, ind, choice.year),
    }


def indicator_chapter_work(dash: Dashboard, snap: Snapshot, ind: Indicator, year: int) -> dict[str, Any]:
    """The projects and tasks of the indicator's chapter (web/projects.py; imported here, it imports this)."""
    from .projects import chapter_work

    return chapter_work(dash, snap, ind, year)


def indicator_adjustments(dash: Dashboard, snap: Snapshot, ind: Indicator) -> list[dict[str, Any]]:
    """The indicator's target adjustments (规划动态调整), newest first: original target beside the adjusted one."""
    key = plan_key(snap.plan)
    return [adjustment_record(a, ind.unit) for a in reversed(dash.store.adjustments(key)) if a.indicator == ind.id]


def observation_records(dash: Dashboard, indicator: str, region: str) -> list[dict[str, Any]]:
    """Current observations of one indicator and region, each with its revision history."""
    records = []
    for obs in dash.store.observations(indicator=indicator, region=region):
        rec = as_record(obs)
        rec["value_display"] = fmt_value(obs.value, obs.bound, obs.unit) if obs.value is not None else (obs.text or "—")
        rec["vintage_display"] = vintage_label(obs.vintage)
        rec["revisions"] = [as_record(r) for r in dash.store.revisions(indicator, region, obs.year)]
        records.append(rec)
    records.sort(key=lambda r: (r["year"], str(r.get("kind") or "")))
    return records


def indicator_chart(snap: Snapshot, ind: Indicator, choice: Choice, views: list[FindingView]) -> dict[str, Any]:
    """Line chart data of the indicator's primary finding: the series the reports draw too."""
    plan = snap.plan
    primary = next((v for v in views if v.finding.kind == ind.target.kind), views[0] if views else None)
    if primary is None:
        return {"unit": ind.unit or "", "kind": "level", "years": period_years(plan), "actual": [], "bounds": [],
                "planned": [], "target": None, "projection": []}
    series = chart_series(primary.finding, observed_points(snap.inputs.frame, choice.region)).record()
    years = {int(p[0]) for key in ("actual", "planned", "projection") for p in series[key]}
    years |= set(period_years(plan)) | ({plan.meta.base_year} if plan.meta.base_year else set())
    if series["target"]:
        years.add(series["target"]["year"])
    return {**series, "years": sorted(years)}


# ---------------------------------------------------------------- the planner's preview


def previewed(ctx: dict[str, Any], pending: list[Submission], choice: Choice,
              indicator: str | None = None) -> dict[str, Any]:
    """A page's context judged on the preview snapshot, marked as a preview: the banner's count, each
    finding resting on a pending figure (same indicator, region and data year) flagged ``pending``,
    links and chart data kept in the preview, and the indicator page's pending figures listed."""
    resting = {(s.indicator, s.region, s.year) for s in pending}
    query = choice.query(preview=1)
    rows = []
    for row in ctx["findings"]:
        rest = (row["indicator_id"], row["region"], row.get("actual_year")) in resting
        rows.append({**row, "pending": rest, "url": f"/indicators/{row['indicator_id']}?{query}"})
    figures = [pending_record(s) for s in pending
               if indicator is not None and s.indicator == indicator and s.region == choice.region]
    return {**ctx, "findings": rows, "query": query, "preview": {
        "pending": len(pending),
        "findings": sum(1 for r in rows if r["pending"]),
        "banner": f"预览：含 {len(pending)} 项待审核数据，尚未发布",
        "figures": figures,
    }}


def pending_record(sub: Submission) -> dict[str, Any]:
    """A pending figure as the indicator page's preview lists it."""
    return {"id": sub.id, "indicator": sub.indicator, "region": sub.region, "year": sub.year, "kind": str(sub.kind),
            "value": finite(sub.value), "unit": sub.unit, "source": sub.source, "note": sub.note,
            "responsible_unit": sub.responsible_unit, "version": sub.version,
            "value_display": fmt_number(sub.value, sub.unit) if sub.value is not None else "—"}
