"""The data behind every page: one context function per page, shared by its HTML and JSON.

A :class:`Dashboard` wraps an open store. It keeps a short-lived snapshot of the plan and the
observation frame, and memoises assessments per (year, region, method) within a snapshot, so
that a page and the chart data it fetches are judged on the same numbers.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from planwatch.errors import EvaluationError, PlanwatchError, StoreError
from planwatch.model import (
    ATTRIBUTE_LABELS,
    Finding,
    Indicator,
    ObservationKind,
    Plan,
    Status,
    TargetKind,
    status_label,
)

from planwatch.report.wording import fmt_number, fmt_share, fmt_value

from .settings import WebSettings

# Colour of each status on cards, badges and charts (colour-blind-safe hues, dark enough
# for white text).
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#1a7f37",
    "ahead": "#2e7d9a",
    "on_track": "#5b8c2a",
    "lagging": "#c2410c",
    "not_achieved": "#b91c1c",
    "no_data": "#6b7280",
    "pending_target": "#7c5cbf",
    "not_assessable": "#8a7a5c",
}

# What each status means, in words a citizen can follow.
STATUS_EXPLANATIONS: dict[str, str] = {
    "achieved": "实际值已经达到规划目标。",
    "ahead": "进展快于按时间推算的规划进度，照此发展可以按期完成。",
    "on_track": "进展与按时间推算的规划进度大体一致。",
    "lagging": "进展慢于按时间推算的规划进度，需要加快。",
    "not_achieved": "规划期已结束，实际值没有达到目标。",
    "no_data": "还没有可用于评估的统计数据。",
    "pending_target": "目标值由上级下达，尚未公布，暂不评估。",
    "not_assessable": "目标是定性表述或缺少基期值等必要信息，无法量化评估。",
}

OTHER_CATEGORY = "其他"

# Evaluation methods offered in the selector, with their display names.
METHOD_LABELS: dict[str, str] = {
    "elapsed_time": "时间进度法",
    "open_sdg": "Open SDG 法",
    "unsd": "联合国统计司法",
}

# Display names of the usual data vintages; other vintages (dates) are shown as given.
VINTAGE_LABELS: dict[str, str] = {"preliminary": "初步数", "final": "最终核实数"}

# Which observations measure progress towards each kind of target.
_OBSERVATION_KIND_OF_TARGET: dict[str, str] = {
    TargetKind.annual_growth: ObservationKind.annual_growth,
    TargetKind.cumulative_change: ObservationKind.cumulative,
}


class NotFoundError(PlanwatchError):
    """A page or API item that does not exist (an unknown indicator)."""


# ---------------------------------------------------------------- plain data


def as_record(obj: Any) -> Any:
    """A JSON-ready form of a store or model object (pydantic, dataclass, row, mapping)."""
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "model_dump"):
        return as_record(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return as_record(dataclasses.asdict(obj))
    if hasattr(obj, "_mapping"):  # SQLAlchemy Row
        return as_record(dict(obj._mapping))
    if isinstance(obj, dict):
        return {str(k): as_record(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [as_record(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "item"):  # numpy scalars
        return as_record(obj.item())
    if hasattr(obj, "__dict__"):
        return as_record({k: v for k, v in vars(obj).items() if not k.startswith("_")})
    return str(obj)


def finite(value: float | None) -> float | None:
    """The value, or None for a missing, NaN or infinite one."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def status_entry(status: str, *, final: bool = False) -> dict[str, str]:
    """Display data of a status: code, Chinese label, colour, explanation."""
    return {
        "status": str(status),
        "label": status_label(status, final=final),
        "colour": STATUS_COLOURS.get(str(status), "#6b7280"),
        "explanation": STATUS_EXPLANATIONS.get(str(status), ""),
    }


# ---------------------------------------------------------------- snapshot and evaluation


@dataclasses.dataclass
class Snapshot:
    """The plan, observation frame and region tree as read at one moment, with its assessments."""

    plan: Plan
    frame: Any
    regions: list[Any]
    loaded_at: float
    assessments: dict[tuple[int, str, str], list[Finding]] = dataclasses.field(default_factory=dict)


def _default_evaluate(plan, frame, year, *, method):
    from planwatch.evaluate import evaluate

    return evaluate(plan, frame, year, method=method)


class Dashboard:
    """An open store, with the snapshot and evaluations the pages are built from."""

    def __init__(self, store: Any, settings: WebSettings, *, evaluate: Callable | None = None):
        self.store = store
        self.settings = settings
        self.evaluate = evaluate or _default_evaluate
        self._snapshot: Snapshot | None = None
        self._lock = threading.RLock()

    def snapshot(self) -> Snapshot:
        """The current snapshot, re-read from the store once it is older than cache_seconds."""
        with self._lock:
            snap = self._snapshot
            if snap is None or time.monotonic() - snap.loaded_at >= self.settings.cache_seconds:
                snap = Snapshot(self._read_plan(), self.store.observation_frame(),
                                [as_record(r) for r in self.store.regions()], time.monotonic())
                self._snapshot = snap
            return snap

    def _read_plan(self) -> Plan:
        plan = self.store.plan()
        if plan is None:
            raise StoreError("数据库中还没有规划：请先运行 planwatch init 和 planwatch load plan.yaml")
        return plan

    def findings(self, snap: Snapshot, year: int, region: str, method: str) -> list[Finding]:
        """Findings of the current plan's indicators for one year and region, in plan order."""
        key = (year, region, method)
        with self._lock:
            cached = snap.assessments.get(key)
        if cached is not None:
            return cached
        frame = snap.frame
        if "region" in getattr(frame, "columns", ()):
            frame = frame[frame["region"] == region]
        assessment = self.evaluate(snap.plan, frame, year, method=method)
        found = getattr(assessment, "findings", assessment)
        order = {ind.id: i for i, ind in enumerate(current_indicators(snap.plan))}
        result = sorted((f for f in found if f.indicator_id in order and f.region == region),
                        key=lambda f: order[f.indicator_id])
        with self._lock:
            snap.assessments[key] = result
        return result

    def region_names(self, snap: Snapshot) -> list[str]:
        """Regions that can be chosen: the plan's own first, then the store's, then the data's."""
        names: list[str] = []
        if snap.plan.meta.region:
            names.append(snap.plan.meta.region)
        for rec in snap.regions:
            name = rec.get("name") if isinstance(rec, dict) else rec
            if name:
                names.append(str(name))
        if "region" in getattr(snap.frame, "columns", ()):
            names += [str(r) for r in snap.frame["region"].dropna().unique()]
        return list(dict.fromkeys(names))


def current_indicators(plan: Plan) -> list[Indicator]:
    """Indicators of the plan's own period (not the previous plan's results table)."""
    end = plan.meta.period_end
    return [i for i in plan.indicators if end is None or i.period_end in (None, end)]


def plan_years(plan: Plan) -> list[int]:
    """The years of the plan period that can be evaluated."""
    meta = plan.meta
    if meta.period_start and meta.period_end:
        return list(range(meta.period_start, meta.period_end + 1))
    return []


def latest_data_year(frame: Any, plan: Plan) -> int | None:
    """The latest year within the period with a value for a current-plan indicator; None if no data."""
    from planwatch.evaluate import latest_data_year as evaluated_year

    if frame is None or not len(frame):
        return None
    return evaluated_year(plan, frame)


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
    """Fill the request's blanks from the settings and the data; reject unknown values."""
    plan = snap.plan
    years = plan_years(plan)
    year = year or dash.settings.year or latest_data_year(snap.frame, plan) or plan.meta.period_start
    if year is None:
        raise EvaluationError("规划没有规划期起止年份，请指定年份 year")
    if years and not (plan.meta.base_year or years[0]) <= year <= years[-1]:
        raise EvaluationError(f"年份 {year} 不在规划期 {years[0]}–{years[-1]} 内")
    regions = dash.region_names(snap)
    region = region or dash.settings.region or (regions[0] if regions else None)
    if region is None:
        raise EvaluationError("没有可评估的地区：请在规划中注明地区或导入地区表")
    if region not in regions:
        raise EvaluationError(f"未知地区：{region}（可选：{'、'.join(regions)}）")
    return Choice(int(year), region, method or dash.settings.method)


# ---------------------------------------------------------------- context functions


def plan_context(dash: Dashboard) -> dict[str, Any]:
    """The plan's metadata and its indicators with their targets (/api/plan)."""
    plan = dash.snapshot().plan
    current = current_indicators(plan)
    current_ids = {i.id for i in current}
    return {
        "meta": as_record(plan.meta),
        "years": plan_years(plan),
        "indicators": [indicator_record(i) for i in current],
        "previous_indicators": [indicator_record(i) for i in plan.indicators if i.id not in current_ids],
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
    rec["attribute_label"] = ATTRIBUTE_LABELS.get(str(ind.attribute), "") if ind.attribute else ""
    rec["baseline_display"] = ind.baseline.text or fmt_number(finite(ind.baseline.value))
    rec["target_display"] = ind.target.text or fmt_number(finite(ind.target.value))
    return rec


def regions_context(dash: Dashboard) -> dict[str, Any]:
    """The region tree and the names that can be chosen (/api/regions)."""
    snap = dash.snapshot()
    return {"regions": snap.regions, "choices": dash.region_names(snap)}


def page_header(dash: Dashboard, snap: Any, choice: "Choice", final: bool) -> dict[str, Any]:
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
        "years": plan_years(plan) or [choice.year],
        "regions": dash.region_names(snap),
        "methods": method_choices(choice.method),
    }


def dashboard_context(dash: Dashboard, year: int | None = None, region: str | None = None,
                      method: str | None = None) -> dict[str, Any]:
    """Everything on the dashboard: summary cards, findings in plan order, chart data."""
    snap = dash.snapshot()
    plan = snap.plan
    choice = resolve_choice(dash, snap, year, region, method)
    final = bool(plan.meta.period_end and choice.year >= plan.meta.period_end)
    rows = [finding_row(f, choice, final=final) for f in dash.findings(snap, *_key(choice))]
    return {
        **page_header(dash, snap, choice, final),
        "summary": status_summary(rows, final=final),
        "legend": [status_entry(s, final=final) for s in Status],
        "total": len(rows),
        "warnings": sum(1 for r in rows if r["warning"]),
        "findings": rows,
        "chart": status_chart(rows, final=final),
    }


def method_choices(current: str) -> list[dict[str, str]]:
    """The methods offered, with the current one included even if it is not a known one."""
    labels = METHOD_LABELS if current in METHOD_LABELS else {**METHOD_LABELS, current: current}
    return [{"code": code, "label": label} for code, label in labels.items()]


def _key(choice: Choice) -> tuple[int, str, str]:
    return choice.year, choice.region, choice.method


def finding_row(finding: Finding, choice: Choice, *, final: bool) -> dict[str, Any]:
    """A finding with its display strings, colour and the link to its indicator page."""
    rec = as_record(finding)
    entry = status_entry(finding.status, final=final)
    rec["category"] = finding.category or OTHER_CATEGORY
    rec["status_label"] = finding.status_label or entry["label"]
    rec["colour"] = entry["colour"]
    rec["status_explanation"] = entry["explanation"]
    rec["attribute_label"] = ATTRIBUTE_LABELS.get(str(finding.attribute), "") if finding.attribute else ""
    rec["baseline_display"] = fmt_number(finite(finding.baseline))
    rec["actual_display"] = actual_display(finding)
    rec["completion_display"] = fmt_share(finite(finding.completion))
    rec["url"] = f"/indicators/{finding.indicator_id}?{choice.query()}"
    return rec


def actual_display(finding: Finding) -> str:
    """The latest actual value as printed, with its bound and year: '>129（2022年）'; '—' if none."""
    if finite(finding.actual) is None:
        return fmt_value(None)
    text = fmt_value(finding.actual, finding.actual_bound)
    if finding.actual_year and finding.actual_year != finding.year:
        text += f"（{finding.actual_year}年）"
    return text


def status_summary(rows: list[dict[str, Any]], *, final: bool) -> list[dict[str, Any]]:
    """Counts by status, every status in its fixed order."""
    counts = {str(s): 0 for s in Status}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return [{**status_entry(s, final=final), "count": n} for s, n in counts.items()]


def status_chart(rows: list[dict[str, Any]], *, final: bool) -> dict[str, Any]:
    """Status counts by category for a stacked bar chart; statuses with no finding left out."""
    categories = list(dict.fromkeys(r["category"] for r in rows))
    series = []
    for status in Status:
        data = [sum(1 for r in rows if r["category"] == c and r["status"] == status) for c in categories]
        if any(data):
            series.append({**status_entry(status, final=final), "data": data})
    return {"categories": categories, "series": series}


def indicator_context(dash: Dashboard, key: str, year: int | None = None, region: str | None = None,
                      method: str | None = None) -> dict[str, Any]:
    """One indicator: its targets, this year's findings, observations with revisions, chart."""
    snap = dash.snapshot()
    plan = snap.plan
    ind = plan.indicator(key)
    if ind is None:
        raise NotFoundError(f"未找到指标：{key}")
    choice = resolve_choice(dash, snap, year, region, method)
    final = bool(plan.meta.period_end and choice.year >= plan.meta.period_end)
    findings = [finding_row(f, choice, final=final)
                for f in dash.findings(snap, *_key(choice)) if f.indicator_id == ind.id]
    observations = observation_records(dash, ind.id, choice.region)
    return {
        **page_header(dash, snap, choice, final),
        "indicator": indicator_record(ind),
        "findings": findings,
        "observations": observations,
        "chart": indicator_chart(dash, snap, ind, choice, observations),
    }


def observation_records(dash: Dashboard, indicator: str, region: str) -> list[dict[str, Any]]:
    """Current observations of one indicator and region, each with its revision history."""
    records = []
    for obs in dash.store.observations(indicator=indicator, region=region):
        rec = as_record(obs)
        value = finite(rec.get("value"))
        rec["value_display"] = fmt_value(value, rec.get("bound")) if value is not None else (rec.get("text") or "—")
        rec["vintage_display"] = VINTAGE_LABELS.get(rec.get("vintage") or "", rec.get("vintage") or "")
        rec["revisions"] = [as_record(r) for r in dash.store.revisions(indicator, region, rec["year"])]
        records.append(rec)
    records.sort(key=lambda r: (r["year"], str(r.get("kind") or "")))
    return records


def indicator_chart(dash: Dashboard, snap: Snapshot, ind: Indicator, choice: Choice,
                    observations: list[dict[str, Any]]) -> dict[str, Any]:
    """Line chart data: actual values, the planned path, the target and the projection."""
    plan = snap.plan
    target = ind.target
    kind = _OBSERVATION_KIND_OF_TARGET.get(target.kind, ObservationKind.level)
    actual = _points((r["year"], r.get("value")) for r in observations if r.get("kind", "level") == kind)
    planned = _points(planned_path(dash, snap, ind, choice))
    finding = next((f for f in dash.findings(snap, *_key(choice)) if f.indicator_id == ind.id), None)
    target_value = finding.target if finding and finding.target is not None else target.value
    target_year = target.year or ind.period_end or plan.meta.period_end
    projection: list[list[float]] = []
    if finding and finding.projection is not None and finding.actual is not None and finding.actual_year:
        projection = _points([(finding.actual_year, finding.actual), (target_year, finding.projection)])
    years = sorted({int(p[0]) for p in actual + planned + projection}
                   | set(plan_years(plan)) | ({plan.meta.base_year} if plan.meta.base_year else set()))
    return {
        "unit": ind.unit or "",
        "kind": str(kind),
        "years": years,
        "actual": actual,
        "planned": planned,
        "target": ({"year": target_year, "value": target_value, "text": target.text}
                   if target_value is not None and target_year else None),
        "projection": projection,
    }


def planned_path(dash: Dashboard, snap: Snapshot, ind: Indicator, choice: Choice) -> list[tuple[int, float | None]]:
    """The planned path as the evaluator sets it: the baseline, then each year's expected value."""
    plan = snap.plan
    points: list[tuple[int, float | None]] = []
    base_year = ind.baseline.year or plan.meta.base_year
    if base_year and ind.baseline.value is not None and ind.target.kind == TargetKind.level:
        points.append((base_year, ind.baseline.value))
    for year in plan_years(plan):
        try:
            found = dash.findings(snap, year, choice.region, choice.method)
        except EvaluationError:
            continue
        expected = next((f.expected for f in found if f.indicator_id == ind.id), None)
        points.append((year, expected))
    return points


def _points(pairs: Iterable[tuple[int, float | None]]) -> list[list[float]]:
    """[[year, value], …] without blanks, one value per year (the last given wins)."""
    by_year: dict[int, float] = {}
    for year, value in pairs:
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            by_year[int(year)] = float(value)
    return [[y, v] for y, v in sorted(by_year.items())]
