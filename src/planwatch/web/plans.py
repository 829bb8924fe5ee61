"""The plan in the browser: its text as a navigable tree, regions side by side, upload and review of a
plan document, and target adjustment (规划动态调整).

- ``/plan`` and ``/plan/regions`` (permission ``view``, so also in public mode) with their JSON twins
  ``/api/plan/outline`` and ``/api/plan/regions``, each built by one context function.
- Plan review (permission ``plan``): an uploaded document is read by ingest in this process; the plan it
  gives is kept as plan.yaml text in a draft (:class:`DraftBox`, a private temporary folder, never the
  store) bound to its uploader and session, until its review flags are confirmed or corrected one by one
  and it is published as a plan version (``Store.load_plan``, audited as ``plan.load`` with the planner as actor).
- Target adjustment (permission ``plan``): ``Store.add_adjustment`` with the planner as actor; the
  original target is kept in the adjustment record and shown beside the new one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from planwatch.errors import ConflictError, InputError, PlanFormatError, PlanwatchError
from planwatch.figures import fmt_number
from planwatch.ingest import MAX_PLAN_BYTES
from planwatch.ingest.document import checked_size, megabytes
from planwatch.ingest.review import target_key
from planwatch.model import Comparator, Indicator, Plan, Project, ProseTarget, Target, TargetKind
from planwatch.numbers import normalise_quantity
from planwatch.planfile import plan_from_yaml, plan_to_yaml
from planwatch.presentation.outline import (
    adjustment_record,
    indicator_entry,
    outline_tree,
    prose_target_entry,
    target_phrase,
)
from planwatch.store import Store
from planwatch.store.plans import changed_targets, plan_key
from planwatch.vocabulary import COMPARATOR_LABELS, COMPARATOR_WORDS, fmt_moment

from .auth import CSRF, Viewer, require
from .context import (
    Choice,
    Dashboard,
    NotFoundError,
    Snapshot,
    as_record,
    method_choices,
    own_region,
    period_years,
    resolve_choice,
)
from .plan_choice import plan_address
from .render import render
from .state import dashboard

log = logging.getLogger(__name__)
router = APIRouter()
VIEW = Depends(require("view"))
PLAN = Depends(require("plan"))

# ---------------------------------------------------------------- /plan: the outline tree


def plan_adjustments(store: Store, plan: Plan, indicator: str | None = None) -> list[dict[str, Any]]:
    """The plan's recorded adjustments (of one indicator when given), newest first, original beside adjusted."""
    units = {i.id: i.unit for i in plan.indicators}
    return [adjustment_record(a, units.get(a.indicator)) for a in reversed(store.adjustments(plan_key(plan)))
            if indicator is None or a.indicator == indicator]


def outline_context(dash: Dashboard) -> dict[str, Any]:
    """The plan's text as a tree with every target ingest found, the prose targets and the adjustments
    (/plan and /api/plan/outline)."""
    snap = dash.snapshot()
    return dash.page(snap, ("plan-outline",), lambda: outline_content(dash, snap))


def outline_content(dash: Dashboard, snap: Snapshot) -> dict[str, Any]:
    plan = snap.plan
    key = plan_key(plan)
    summary = next((p for p in dash.store.plans() if p.key == key), None)
    adjustments = plan_adjustments(dash.store, plan)
    return {
        "title": dash.settings.title or plan.meta.title,
        "plan": as_record(plan.meta),
        "plan_key": key,
        "version": summary.latest_version if summary else None,
        "loaded_at": fmt_moment(summary.loaded_at) if summary else None,
        "counts": _counts(plan) | {"adjustments": len(adjustments)},
        "outline": outline_tree(plan),
        "previous_indicators": [indicator_entry(i) for i in plan.previous_indicators()],
        "prose_targets": [prose_target_entry(t) for t in plan.targets],
        "adjustments": adjustments,
    }


def _counts(plan: Plan) -> dict[str, int]:
    return {
        "outline_nodes": len(plan.outline),
        "indicators": len(plan.current_indicators()),
        "previous_indicators": len(plan.previous_indicators()),
        "prose_targets": len(plan.targets),
        "prose_targets_linked": sum(1 for t in plan.targets if t.indicator),
        "tasks": len(plan.tasks),
        "open_flags": sum(1 for f in plan.flags if not f.resolved),
    }


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False, dependencies=[VIEW])
def outline_page(request: Request, published: int | None = Query(None, ge=1),
                 dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The plan text page: outline tree, targets highlighted and linked, prose targets, adjustments."""
    return render(request, "plan_outline.html", {**outline_context(dash), "published": published})


@router.get("/api/plan/outline", tags=["api"], dependencies=[VIEW])
def get_outline(dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's outline as a tree (chapters → sections → items, boxes, tables), each node with the
    indicators, prose targets and tasks on its lines; the prose targets; the target adjustments."""
    return outline_context(dash)


@router.get("/api/adjustments", tags=["api"], dependencies=[VIEW])
def get_adjustments(indicator: str | None = Query(None, max_length=100, description="只列出该指标（编号如 T2-1）"),
                    dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's target adjustments (规划动态调整), newest first: original and adjusted target, reason,
    approving document, date and plan version."""
    return {"adjustments": [a for a in outline_context(dash)["adjustments"]
                            if indicator is None or a["indicator"] == indicator]}


# ---------------------------------------------------------------- /plan/regions: regions side by side


def child_regions(dash: Dashboard, snap: Snapshot, parent: str | None) -> list[str]:
    """The regions directly below ``parent`` in the region tree that can be judged, in the tree's order."""
    known = set(snap.inputs.region_names)
    return [r.name for r in dash.store.regions() if parent and r.parent == parent and r.name in known]


def regions_compare_context(dash: Dashboard, indicator: str | None = None, year: int | None = None,
                            method: str | None = None) -> dict[str, Any]:
    """The plan's region and the regions below it side by side on the plan's indicators (or one):
    each region's latest value and status, from the same evaluation as the dashboard's."""
    snap = dash.snapshot()
    choice = resolve_choice(dash, snap, year, own_region(snap), method)
    ind = None
    if indicator:
        ind = snap.plan.indicator(indicator)
        if ind is None:
            raise NotFoundError(f"未找到指标：{indicator}（请用编号如 T2-1、序号或指标名称）")
    return dash.page(snap, ("plan-regions", ind.id if ind else None, choice),
                     lambda: regions_compare_content(dash, snap, choice, ind))


def regions_compare_content(dash: Dashboard, snap: Snapshot, choice: Choice,
                            ind: Indicator | None) -> dict[str, Any]:
    plan = snap.plan
    regions = [choice.region, *child_regions(dash, snap, choice.region)]
    indicators = [ind] if ind is not None else plan.current_indicators()
    primary: dict[str, dict[str, Any]] = {}  # region → indicator id → the primary finding's record
    final = False
    for region in regions:
        here = Choice(choice.year, region, choice.method)
        final = dash.assessment(snap, here).final
        mine: dict[str, Any] = {}
        for view in dash.views(snap, here):
            f = view.finding
            wanted = plan.indicator(f.indicator_id)
            if wanted is None or (f.indicator_id in mine and f.kind != wanted.target.kind):
                continue
            if f.indicator_id not in mine or f.kind == wanted.target.kind:
                rec = view.record()
                mine[f.indicator_id] = {
                    "status": rec["status"], "status_text": rec["status_text"], "actual_display": rec["actual_display"],
                    "data_year": rec["data_year"], "completion_display": rec["completion_display"],
                    "target_display": rec["target_display"], "warning_label": rec["warning_label"],
                    "explanation": rec["explanation"],
                    "url": f"/indicators/{f.indicator_id}?{here.query()}"}
        primary[region] = mine
    rows = [{**indicator_entry(i), "cells": [{"region": r, **primary[r].get(i.id, {})} for r in regions]}
            for i in indicators]
    return {
        "title": dash.settings.title or plan.meta.title,
        "plan": as_record(plan.meta),
        "year": choice.year, "method": choice.method, "final": final,
        "years": period_years(plan) or [choice.year], "methods": method_choices(choice.method),
        "indicator": indicator_entry(ind) if ind is not None else None,
        "indicator_choices": [{"id": i.id, "no": i.no, "name": i.name} for i in plan.current_indicators()],
        "regions": regions,
        "rows": rows,
    }


@router.get("/plan/regions", response_class=HTMLResponse, include_in_schema=False, dependencies=[VIEW])
def regions_page(request: Request, indicator: str | None = Query(None, max_length=100),
                 year: int | None = Query(None), method: str | None = Query(None, max_length=40),
                 dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """Regions side by side on the city's indicators."""
    return render(request, "plan_regions.html", regions_compare_context(dash, indicator or None, year, method))


@router.get("/api/plan/regions", tags=["api"], dependencies=[VIEW])
def get_plan_regions(indicator: str | None = Query(None, max_length=100, description="指标（编号如 T2-1）；省略则为全部"),
                     year: int | None = Query(None, description="评估年份（默认为有数据的最近年份）"),
                     method: str | None = Query(None, max_length=40, description="评估方法"),
                     dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's region and the regions directly below it, side by side: per indicator and region the
    latest value, its year and the status of the dashboard's evaluation."""
    return regions_compare_context(dash, indicator or None, year, method)


# ---------------------------------------------------------------- drafts of an uploaded plan

DRAFT_HOURS = 24  # a draft nobody published within a day is dropped
MAX_DRAFT_BYTES = 16 * 1024 * 1024  # plan.yaml of a plan document within MAX_PLAN_BYTES stays far below
MAX_DRAFTS = 200  # drafts kept in the folder at once (the oldest go first)
SESSION_DRAFTS = "plan_drafts"
DRAFTS_PER_SESSION = 5
DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
UPLOAD_SLACK = 64 * 1024  # a multipart body's headers and the other fields beside the file
FILENAME_CHARS = 120


@dataclass
class Draft:
    """An uploaded plan under review: the plan, who uploaded it, and what the reviewer decided."""

    id: str
    owner: str
    filename: str
    created: float
    plan: Plan
    decisions: list[dict[str, Any]] = field(default_factory=list)


class DraftBox:
    """Drafts as files in a private temporary folder (``<id>.yaml`` plan.yaml text, ``<id>.json`` its
    owner, file name and decisions): nothing of an unpublished plan reaches the store."""

    def __init__(self, root: Path):
        self.root = root

    def _folder(self) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.root

    def _paths(self, draft_id: str) -> tuple[Path, Path]:
        if not DRAFT_ID.match(draft_id):  # ids are ours; anything else never reaches the file system
            raise NotFoundError("没有这份规划草稿")
        folder = self._folder()
        return folder / f"{draft_id}.yaml", folder / f"{draft_id}.json"

    def create(self, plan: Plan, *, owner: str, filename: str) -> Draft:
        self.purge()
        draft = Draft(secrets.token_urlsafe(16), owner, filename, time.time(), plan)
        self.save(draft)
        return draft

    def save(self, draft: Draft) -> None:
        text = plan_to_yaml(draft.plan)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise InputError(f"规划草稿过大（{megabytes(len(text.encode('utf-8')))}），超过上限 {megabytes(MAX_DRAFT_BYTES)}")
        meta = {"owner": draft.owner, "filename": draft.filename, "created": draft.created,
                "decisions": draft.decisions}
        plan_path, meta_path = self._paths(draft.id)
        for path, body in ((plan_path, text), (meta_path, json.dumps(meta, ensure_ascii=False))):
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(body, encoding="utf-8")
            os.replace(tmp, path)  # a reader never sees half a file

    def load(self, draft_id: str, owner: str) -> Draft:
        plan_path, meta_path = self._paths(draft_id)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text = plan_path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            raise NotFoundError("没有这份规划草稿（可能已发布、已过期或已删除）：请重新上传") from None
        if meta.get("owner") != owner or time.time() - float(meta.get("created", 0)) > DRAFT_HOURS * 3600:
            raise NotFoundError("没有这份规划草稿（可能已发布、已过期或已删除）：请重新上传")
        return Draft(draft_id, owner, str(meta.get("filename") or ""), float(meta["created"]),
                     plan_from_yaml(text, "草稿"), list(meta.get("decisions") or []))

    def delete(self, draft_id: str) -> None:
        for path in self._paths(draft_id):
            path.unlink(missing_ok=True)

    def purge(self) -> None:
        """Drop expired drafts, and the oldest beyond MAX_DRAFTS."""
        metas = sorted(self._folder().glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        limit = time.time() - DRAFT_HOURS * 3600
        for n, meta in enumerate(metas):
            if n >= MAX_DRAFTS or meta.stat().st_mtime < limit:
                self.delete(meta.stem)


def draft_box(request: Request) -> DraftBox:
    """The app's drafts, in a folder of the system's temporary directory named after the store."""
    box = getattr(request.app.state, "plan_drafts", None)
    if box is None:
        url = dashboard(request).store.url
        digest = hashlib.sha256(url.encode()).hexdigest()[:16]
        box = request.app.state.plan_drafts = DraftBox(Path(tempfile.gettempdir()) / f"planwatch-drafts-{digest}")
    return box


def remember_draft(request: Request, viewer: Viewer, draft_id: str) -> None:
    if viewer.via == "session":
        ids = [d for d in request.session.get(SESSION_DRAFTS, []) if isinstance(d, str) and d != draft_id]
        request.session[SESSION_DRAFTS] = [draft_id, *ids][:DRAFTS_PER_SESSION]


def own_draft(request: Request, viewer: Viewer, draft_id: str) -> Draft:
    """The draft, when the account uploaded it and (in a browser) this session did."""
    assert viewer.user is not None
    if viewer.via == "session" and draft_id not in request.session.get(SESSION_DRAFTS, []):
        raise NotFoundError("没有这份规划草稿（草稿只在上传它的登录会话中可见）：请重新上传")
    return draft_box(request).load(draft_id, viewer.user.name)


def session_drafts(request: Request, viewer: Viewer) -> list[dict[str, Any]]:
    """The drafts this session uploaded and has not published yet."""
    out = []
    for draft_id in request.session.get(SESSION_DRAFTS, []) if viewer.via == "session" else []:
        try:
            draft = own_draft(request, viewer, draft_id)
        except PlanwatchError:
            continue
        out.append({"id": draft.id, "filename": draft.filename, "title": draft.plan.meta.title,
                    "open_flags": sum(1 for f in draft.plan.flags if not f.resolved),
                    "uploaded": fmt_moment(_moment(draft.created))})
    return out


def _moment(seconds: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC)


# ---------------------------------------------------------------- reading an upload


def safe_filename(name: str | None) -> str:
    """The uploaded file's own name without folders or control characters, at most FILENAME_CHARS long."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[: FILENAME_CHARS - len(suffix) - 1] or "plan"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def upload_limit(request: Request) -> None:
    """Refuse a body announced as larger than a plan document may be, before anything of it is read."""
    announced = request.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > MAX_PLAN_BYTES + UPLOAD_SLACK:
        checked_size(int(announced), "上传的文件")


UPLOAD_LIMIT = Depends(upload_limit)


async def read_upload(request: Request) -> tuple[str, bytes]:
    """(file name, bytes) of the form field ``file``; refused when missing or larger than MAX_PLAN_BYTES."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("请选择要上传的规划文件（字段 file：.txt / .docx / .pdf / .html）")
    name = safe_filename(upload.filename)
    data = await upload.read(MAX_PLAN_BYTES + 1)
    checked_size(len(data), name)
    if not data.strip():
        raise PlanFormatError("文件为空，没有可读取的规划内容", file=name)
    return name, data


def ingest_upload(filename: str, data: bytes) -> Plan:
    """Read an uploaded document with ingest, as ``planwatch ingest`` reads a file; messages name the
    uploaded file, never the server's temporary folder."""
    from planwatch.ingest import read_plan

    folder = Path(tempfile.mkdtemp(prefix="planwatch-upload-"))
    try:
        path = folder / filename
        path.write_bytes(data)
        try:
            plan = read_plan(path)
        except PlanwatchError as exc:
            raise PlanFormatError(str(exc).replace(str(folder) + os.sep, "")) from None
        except Exception as exc:  # a hostile or broken file must come back as a message, not a traceback
            log.warning("ingest of an upload failed: %s", exc, exc_info=True)
            raise PlanFormatError(f"无法读取该文件（{type(exc).__name__}）：请确认文件完整且格式与扩展名相符",
                                  file=filename) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    plan.meta.source_file = filename
    return plan


async def upload_draft(request: Request, viewer: Viewer) -> Draft:
    assert viewer.user is not None
    filename, data = await read_upload(request)
    plan = await run_in_threadpool(ingest_upload, filename, data)
    draft = draft_box(request).create(plan, owner=viewer.user.name, filename=filename)
    remember_draft(request, viewer, draft.id)
    return draft


# ---------------------------------------------------------------- what a draft shows


def flag_subject(plan: Plan, item: str | None) -> Indicator | ProseTarget | Project | None:
    """The indicator, prose target or project a flag is about (None: the flag names nothing editable)."""
    if not item:
        return None
    for ind in plan.indicators:
        if ind.id == item:
            return ind
    for target in plan.targets:
        if target_key(target) == item:
            return target
    for project in plan.projects:
        if item in (project.key, project.name):
            return project
    return None


def subject_record(subject: Indicator | ProseTarget | Project | None) -> dict[str, Any]:
    """What a flag's form shows of its subject, and which corrections it takes."""
    if isinstance(subject, Indicator):
        t = subject.target
        return {"kind": "indicator", "name": f"{subject.no + '. ' if subject.no else ''}{subject.name}（{subject.table}）",
                "value": t.value, "year": t.year, "unit": subject.unit, "comparator": str(t.comparator or ""),
                "display": indicator_entry(subject)["target_display"], "fields": ["value", "year", "unit", "comparator"]}
    if isinstance(subject, ProseTarget):
        return {"kind": "target", "name": subject.subject, "value": subject.value, "year": subject.year,
                "unit": subject.unit, "comparator": str(subject.comparator or ""),
                "display": target_phrase(subject.value, subject.comparator, subject.unit, subject.value_max),
                "fields": ["value", "year", "unit", "comparator"]}
    if isinstance(subject, Project):
        return {"kind": "project", "name": subject.name, "value": subject.length_km, "year": None, "unit": "公里",
                "comparator": "", "display": f"{fmt_number(subject.length_km)} 公里" if subject.length_km else "—",
                "fields": ["value"]}
    return {"kind": None, "name": "", "value": None, "year": None, "unit": None, "comparator": "", "display": "",
            "fields": []}


def draft_context(request: Request, viewer: Viewer, draft_id: str, dash: Dashboard) -> dict[str, Any]:
    """What ingest found in an uploaded plan, its review flags one by one, and how it differs from the
    stored version of the same plan (/plan/drafts/{id} and /api/plan/drafts/{id})."""
    draft = own_draft(request, viewer, draft_id)
    plan = draft.plan
    flags = []
    for n, flag in enumerate(plan.flags):
        subject = subject_record(flag_subject(plan, flag.item))
        value = subject["value"]
        flags.append({"index": n, **flag.model_dump(mode="json"), "subject": subject,
                      "value_text": "" if value is None else fmt_number(value)})
    key = plan_key(plan)
    stored = None
    if dash.store.has_plan() and any(p.key == key for p in dash.store.plans()):
        stored = next(p for p in dash.store.plans() if p.key == key)
    changes = []
    if stored is not None:
        units = {i.id: i.unit for i in plan.indicators}
        for old, new in changed_targets(dash.store.plan(key), plan):
            changes.append({"indicator": new.id, "name": new.name, "url": f"/indicators/{new.id}",
                            "old_display": indicator_entry(old)["target_display"],
                            "new_display": target_phrase(new.target.value, new.target.comparator, units.get(new.id),
                                                         new.target.value_max)})
    return {
        "draft": {"id": draft.id, "filename": draft.filename, "uploaded": fmt_moment(_moment(draft.created)),
                  "expires_hours": DRAFT_HOURS},
        "plan": as_record(plan.meta),
        "plan_key": key,
        "stored_version": stored.latest_version if stored else None,
        "counts": _counts(plan) | {"flags": len(plan.flags), "projects": len(plan.projects)},
        "indicators": [indicator_entry(i) | {"baseline_display": i.baseline.text or fmt_number(i.baseline.value, i.unit)}
                       for i in plan.current_indicators()],
        "previous_indicators": len(plan.previous_indicators()),
        "flags": flags,
        "warnings": plan.warnings,
        "changes": changes,
        "decisions": draft.decisions,
        "comparators": [{"code": str(c), "label": label} for c, label in COMPARATOR_LABELS.items()],
    }


# ---------------------------------------------------------------- resolving a flag


class FlagDecision(BaseModel):
    """A reviewer's decision on one review flag: confirm what ingest read, or correct it."""

    action: Literal["confirm", "correct"] = Field(description="confirm 确认无误 / correct 更正后确认")
    value: float | None = Field(None, description="更正后的目标值（项目为长度，公里）")
    year: int | None = Field(None, ge=1949, le=2100, description="更正后的目标年份")
    unit: str | None = Field(None, max_length=20, description="更正后的计量单位")
    comparator: Comparator | None = Field(None, description="更正后的比较方式")


def printed_target(value: float, comparator: Comparator | None, cumulative: bool) -> str:
    """A corrected target as the table would print it: 9500以上, [5]."""
    number = fmt_number(value)
    return f"[{number}]" if cumulative else number + (COMPARATOR_WORDS.get(comparator, "") if comparator else "")


def corrected(plan: Plan, subject: Indicator | ProseTarget | Project | None, d: FlagDecision) -> Plan:
    """The plan with the flag's subject corrected as decided; refused when a field does not apply."""
    if d.value is not None and not math.isfinite(d.value):
        raise InputError("目标值应为有限的数字，如 9000")
    unit = (d.unit or "").strip() or None
    if unit is not None and re.search(r"[\x00-\x1f\x7f<>]", unit):
        raise InputError(f"计量单位“{unit[:20]}”含有不允许的字符")
    given = [name for name, v in (("value", d.value), ("year", d.year), ("unit", unit), ("comparator", d.comparator))
             if v is not None]
    if not given:
        raise InputError("更正时请至少填写一项：目标值、目标年份、计量单位或比较方式")
    if subject is None:
        raise InputError("该待确认事项没有对应的指标或目标可以更正，只能确认")
    if isinstance(subject, Project):
        if given != ["value"]:
            raise InputError("项目只能更正长度（目标值，公里）")
        new_project = subject.model_copy(update={"length_km": d.value})
        return plan.model_copy(update={"projects": [new_project if p is subject else p for p in plan.projects]})
    if isinstance(subject, Indicator):
        t = subject.target
        update: dict[str, Any] = {}
        if d.value is not None:
            update["value"] = d.value
            if t.kind == TargetKind.text:
                update["kind"] = TargetKind.level
        if d.comparator is not None:
            update["comparator"] = d.comparator
        if d.year is not None:
            update["year"] = d.year
        if unit is not None:
            update["unit"] = unit
        if d.value is not None or d.comparator is not None:
            value = d.value if d.value is not None else t.value
            if value is not None:
                update["text"] = printed_target(value, d.comparator or t.comparator, t.cumulative)
        target = Target.model_validate(t.model_copy(update=update).model_dump())
        ind = subject.model_copy(update={"target": target, "targets": [target, *subject.targets[1:]],
                                         **({"unit": unit} if unit else {})})
        return plan.model_copy(update={"indicators": [ind if i is subject else i for i in plan.indicators]})
    update = {}
    if d.value is not None or unit is not None:
        value = d.value if d.value is not None else subject.value
        written = unit or subject.unit
        update.update(value=value, unit=written)
        if value is not None:
            update["value_normalised"], update["unit_normalised"] = normalise_quantity(value, written)
    if d.year is not None:
        update.update(year=d.year, year_explicit=True)
    if d.comparator is not None:
        update["comparator"] = d.comparator
    prose = ProseTarget.model_validate(subject.model_copy(update=update).model_dump())
    return plan.model_copy(update={"targets": [prose if t is subject else t for t in plan.targets]})


def resolve_flag(request: Request, viewer: Viewer, draft_id: str, index: int, decision: FlagDecision) -> dict[str, Any]:
    """Confirm or correct one flag of a draft and mark it resolved; the decision is kept with the draft."""
    assert viewer.user is not None
    box = draft_box(request)
    draft = own_draft(request, viewer, draft_id)
    if not 0 <= index < len(draft.plan.flags):
        raise NotFoundError(f"没有第 {index + 1} 项待确认事项（共 {len(draft.plan.flags)} 项）")
    flag = draft.plan.flags[index]
    subject = flag_subject(draft.plan, flag.item)
    plan = draft.plan
    if decision.action == "correct":
        plan = corrected(plan, subject, decision)
    flags = list(plan.flags)
    flags[index] = flag.model_copy(update={"resolved": True})
    draft.plan = plan.model_copy(update={"flags": flags})
    after = subject_record(flag_subject(draft.plan, flag.item))
    draft.decisions.append({"index": index, "code": flag.code, "item": flag.item, "action": decision.action,
                            "by": viewer.user.name, "result": after["display"],
                            "at": fmt_moment(_moment(time.time()))})
    box.save(draft)
    return {"index": index, "resolved": True, "action": decision.action, "subject": after,
            "open_flags": sum(1 for f in draft.plan.flags if not f.resolved)}


def decision_from_form(action: str, value: str, year: str, unit: str, comparator: str) -> FlagDecision:
    """A decision from the flag form's text fields, each refused by name when it does not read."""
    if action not in ("confirm", "correct"):
        raise InputError("请选择“确认无误”或“更正后确认”")
    if action == "confirm":
        return FlagDecision(action="confirm")
    return FlagDecision(action="correct", value=form_number(value, "目标值"), year=form_year(year, "目标年份"),
                        unit=unit.strip() or None, comparator=form_comparator(comparator))


def form_number(text: str, name: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name}“{text[:30]}”不是数字：应为普通数字，如 9000 或 3.75") from None
    if not math.isfinite(value):
        raise InputError(f"{name}“{text[:30]}”不是有限的数字：应为普通数字，如 9000")
    return value


def form_year(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        raise InputError(f"{name}“{text[:30]}”无效：应为四位年份，如 2025")
    return int(text)


def form_comparator(text: str) -> Comparator | None:
    if not text.strip():
        return None
    try:
        return Comparator(text.strip())
    except ValueError:
        raise InputError(f"比较方式“{text[:30]}”无效：应为{'、'.join(COMPARATOR_LABELS.values())}之一") from None


# ---------------------------------------------------------------- publishing


def publish_draft(request: Request, viewer: Viewer, dash: Dashboard, draft_id: str,
                  accept_open: bool) -> dict[str, Any]:
    """Load the reviewed draft as a plan version (audited), then drop the draft."""
    assert viewer.user is not None
    draft = own_draft(request, viewer, draft_id)
    plan = draft.plan
    open_flags = sum(1 for f in plan.flags if not f.resolved)
    if open_flags and not accept_open:
        raise InputError(f"还有 {open_flags} 项待确认事项未处理：请逐项确认或更正，或勾选“仍有未确认事项，仍然发布”")
    # A plan beside the stored ones is served under its own /p/{key}/ (web/plan_choice.py).
    info = dash.store.load_plan(plan, source=draft.filename, note=f"网页上传（{viewer.user.name}）：{draft.filename}",
                                actor=viewer.user.name, audit_after={"open_flags": open_flags})
    draft_box(request).delete(draft.id)
    return {"key": info.key, "title": info.title, "version": info.version, "created": info.created,
            "open_flags": open_flags, "adjustments": [as_record(a) for a in info.adjustments]}


# ---------------------------------------------------------------- routes: upload and review


def page_error(request: Request, template: str, context: dict[str, Any], exc: PlanwatchError) -> HTMLResponse:
    """The form again with the error above it, at the error's status (nothing was kept)."""
    from .error_pages import status_of

    return render(request, template, {**context, "error": str(exc)}, status_code=status_of(exc))


def upload_context(request: Request, viewer: Viewer) -> dict[str, Any]:
    return {"drafts": session_drafts(request, viewer), "max_mb": megabytes(MAX_PLAN_BYTES), "expires_hours": DRAFT_HOURS,
            "formats": ".txt、.docx、.pdf、.html", "error": None}


@router.get("/plan/upload", response_class=HTMLResponse, include_in_schema=False)
def upload_page(request: Request, viewer: Viewer = PLAN) -> HTMLResponse:
    """The upload form, and the drafts of this session still under review."""
    return render(request, "plan_upload.html", upload_context(request, viewer))


@router.post("/plan/upload", include_in_schema=False, dependencies=[PLAN, UPLOAD_LIMIT, CSRF])
async def upload_form(request: Request, viewer: Viewer = PLAN) -> Response:
    """Read the uploaded document and go to its review page; an unreadable file shows the form again."""
    try:
        draft = await upload_draft(request, viewer)
    except InputError as exc:
        return page_error(request, "plan_upload.html", upload_context(request, viewer), exc)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}/plan/drafts/{draft.id}", status_code=303)


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": f"规划文件（.txt / .docx / .pdf / .html，不超过 {megabytes(MAX_PLAN_BYTES)}）"}}}}}}}


@router.post("/api/plan/drafts", tags=["api"], status_code=201, dependencies=[PLAN, UPLOAD_LIMIT, CSRF],
             openapi_extra=UPLOAD_BODY)
async def post_draft(request: Request, viewer: Viewer = PLAN, dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Upload a plan document: ingest reads it and keeps the plan as a draft for review (201, with the
    draft's id, what was found and the review flags)."""
    draft = await upload_draft(request, viewer)
    return await run_in_threadpool(draft_context, request, viewer, draft.id, dash)


@router.get("/plan/drafts/{draft_id}", response_class=HTMLResponse, include_in_schema=False)
def draft_page(request: Request, draft_id: str, viewer: Viewer = PLAN,
               dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """What ingest found in the uploaded plan; each review flag with its confirm / correct form."""
    return render(request, "plan_draft.html", {**draft_context(request, viewer, draft_id, dash), "error": None})


@router.get("/api/plan/drafts/{draft_id}", tags=["api"])
def get_draft(request: Request, draft_id: str, viewer: Viewer = PLAN,
              dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """A draft under review: what ingest found, its review flags (resolved or not), the decisions taken
    and how its targets differ from the stored version of the same plan."""
    return draft_context(request, viewer, draft_id, dash)


FIELD = Annotated[str, Form(max_length=100)]


@router.post("/plan/drafts/{draft_id}/flags/{index}", include_in_schema=False, dependencies=[PLAN, CSRF])
def flag_form(request: Request, draft_id: str, index: int, action: FIELD = "", value: FIELD = "", year: FIELD = "",
              unit: FIELD = "", comparator: FIELD = "", viewer: Viewer = PLAN,
              dash: Dashboard = Depends(dashboard)) -> Response:
    """Confirm or correct one flag, then back to the draft at the next flag; a bad field shows the page again."""
    try:
        resolve_flag(request, viewer, draft_id, index, decision_from_form(action, value, year, unit, comparator))
    except InputError as exc:
        context = {**draft_context(request, viewer, draft_id, dash), "error_index": index}
        return page_error(request, "plan_draft.html", context, exc)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}/plan/drafts/{draft_id}#flag-{index}", status_code=303)


@router.post("/api/plan/drafts/{draft_id}/flags/{index}", tags=["api"], dependencies=[PLAN, CSRF])
def post_flag(request: Request, draft_id: str, index: int, decision: FlagDecision,
              viewer: Viewer = PLAN) -> dict[str, Any]:
    """Confirm (``{"action": "confirm"}``) or correct (``{"action": "correct", "value": …, "year": …,
    "unit": …, "comparator": …}``) the review flag at ``index`` (0-based) and mark it resolved."""
    return resolve_flag(request, viewer, draft_id, index, decision)


@router.post("/plan/drafts/{draft_id}/publish", include_in_schema=False, dependencies=[PLAN, CSRF])
def publish_form(request: Request, draft_id: str, accept_open: FIELD = "", viewer: Viewer = PLAN,
                 dash: Dashboard = Depends(dashboard)) -> Response:
    """Publish the draft as a plan version and show the plan page with the new version."""
    try:
        done = publish_draft(request, viewer, dash, draft_id, accept_open == "1")
    except (InputError, ConflictError) as exc:
        return page_error(request, "plan_draft.html", {**draft_context(request, viewer, draft_id, dash)}, exc)
    return RedirectResponse(plan_address(request, dash, done["key"], f"/plan?published={done['version']}"),
                            status_code=303)


class PublishRequest(BaseModel):
    """Publishing a draft: with unresolved flags only when ``accept_open`` says so."""

    accept_open: bool = Field(False, description="仍有未确认事项时仍然发布")


@router.post("/api/plan/drafts/{draft_id}/publish", tags=["api"], status_code=201, dependencies=[PLAN, CSRF])
def post_publish(request: Request, draft_id: str, body: PublishRequest | None = None, viewer: Viewer = PLAN,
                 dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Publish a reviewed draft as a plan version (201): key, version, whether a new version was made
    (an unchanged plan makes none), and the target changes it records against the previous version."""
    return publish_draft(request, viewer, dash, draft_id, bool(body and body.accept_open))


# ---------------------------------------------------------------- target adjustment


class AdjustmentRequest(BaseModel):
    """A target adjustment (规划动态调整): the original target is kept in the record."""

    indicator: str = Field(min_length=1, max_length=100, description="指标编号（如 T2-1）、序号或名称")
    new_value: float = Field(description="调整后的目标值（指标的计量单位）")
    comparator: Comparator | None = Field(None, description="调整后的比较方式（省略则不变）")
    reason: str = Field(min_length=1, max_length=500, description="调整原因（必填）")
    document: str | None = Field(None, max_length=200, description="批准文件")
    date: str | None = Field(None, max_length=10, description="调整日期 YYYY-MM-DD（默认今天）")


def adjust(dash: Dashboard, viewer: Viewer, req: AdjustmentRequest) -> dict[str, Any]:
    """Check an adjustment against the plan shown, then record it (audited by the store, the planner as actor)."""
    assert viewer.user is not None
    snap = dash.snapshot()
    plan = dash.store.plan(plan_key(snap.plan))  # the latest version, not a snapshot up to a second old
    ind = plan.indicator(req.indicator.strip())
    if ind is None:
        raise InputError(f"指标“{req.indicator[:40]}”不是本规划的现行指标：请用编号（如 T2-1）、序号或指标名称")
    when = (req.date or "").strip() or None
    dash.store.add_adjustment(ind.id, new_value=req.new_value, reason=req.reason, document=(req.document or "").strip() or None,
                              date=when, comparator=str(req.comparator) if req.comparator else None,
                              plan_key=plan_key(plan), actor=viewer.user.name)
    return plan_adjustments(dash.store, dash.store.plan(plan_key(plan)), ind.id)[0]


def adjust_context(dash: Dashboard, done: str | None = None) -> dict[str, Any]:
    """The adjustment form: the current indicators with their targets, and the adjustments made."""
    outline = outline_context(dash)
    snap = dash.snapshot()
    return {
        "title": outline["title"],
        "indicators": [indicator_entry(i) for i in snap.plan.current_indicators()],
        "comparators": [{"code": str(c), "label": label} for c, label in COMPARATOR_LABELS.items()],
        "adjustments": outline["adjustments"],
        "done": done, "today": date.today().isoformat(), "error": None, "form": {},
    }


@router.get("/plan/adjust", response_class=HTMLResponse, include_in_schema=False)
def adjust_page(request: Request, done: str | None = Query(None, max_length=100), viewer: Viewer = PLAN,
                dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The target adjustment form (规划动态调整) and the adjustments made so far."""
    return render(request, "plan_adjust.html", adjust_context(dash, done))


@router.post("/plan/adjust", include_in_schema=False, dependencies=[PLAN, CSRF])
def adjust_form(request: Request, indicator: FIELD = "", new_value: FIELD = "", comparator: FIELD = "",
                reason: Annotated[str, Form(max_length=500)] = "", document: Annotated[str, Form(max_length=200)] = "",
                date_: Annotated[str, Form(alias="date", max_length=20)] = "", viewer: Viewer = PLAN,
                dash: Dashboard = Depends(dashboard)) -> Response:
    """Record an adjustment and show it beside the original; a bad field shows the form again, filled in."""
    form = {"indicator": indicator, "new_value": new_value, "comparator": comparator, "reason": reason,
            "document": document, "date": date_}
    try:
        value = form_number(new_value, "调整后的目标值")
        if value is None:
            raise InputError("调整后的目标值必填：应为普通数字，如 9000")
        if not reason.strip():
            raise InputError("调整原因必填：请说明为什么调整目标")
        made = adjust(dash, viewer, AdjustmentRequest(indicator=indicator or "-", new_value=value,
                                                      comparator=form_comparator(comparator), reason=reason,
                                                      document=document or None, date=date_[:10] or None))
    except InputError as exc:
        return page_error(request, "plan_adjust.html", {**adjust_context(dash), "form": form}, exc)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}/plan/adjust?done={made['indicator']}", status_code=303)


@router.post("/api/adjustments", tags=["api"], status_code=201, dependencies=[PLAN, CSRF])
def post_adjustment(req: AdjustmentRequest, viewer: Viewer = PLAN,
                    dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Adjust a target (规划动态调整, 201): a new plan version; the record keeps the original target
    beside the adjusted one with the reason, approving document and date."""
    return adjust(dash, viewer, req)
