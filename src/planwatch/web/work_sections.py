"""Indicator categories and the plan's work sections, for the planning office (permission ``plan``):
``/plan/sections`` lists each category of the current indicators with the headings the rule proposes
(ingest/work_sections.py: shared keywords, the evidence in words) and the decisions; a planner confirms or
rejects each (a form with the session's CSRF token), or links a heading the rule did not propose. The JSON
twin is ``/api/plan/sections``; ``POST /api/plan/sections`` records a decision. Decisions are the store's
(audited, the planner as actor); the indicator page shows the tasks and projects of the confirmed headings
(web/projects.py ``chapter_work``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from planwatch.errors import InputError
from planwatch.ingest.work_sections import covers
from planwatch.model import Indicator
from planwatch.store.category_sections import VERDICTS, CategorySections, decision_json
from planwatch.store.plans import plan_key
from planwatch.vocabulary import CATEGORY_SECTION_LABELS, CATEGORY_SECTION_PENDING, fmt_moment

from .auth import CSRF, Viewer, require
from .context import Dashboard, Snapshot
from .plans import page_error
from .render import render
from .state import dashboard

router = APIRouter()
PLAN = Depends(require("plan"))
FIELD = Annotated[str, Form(max_length=100)]
# What the indicator page shows of each project and task (web/projects.py chapter_work shows the same).
WORK_PROJECT_FIELDS = ("key", "name", "box_no", "lead_unit", "region", "state", "state_label", "reason_text", "flags")
WORK_TASK_FIELDS = ("id", "box", "no", "text", "state", "state_label", "as_of", "lead_unit", "progress", "flags")


class SectionDecisionRequest(BaseModel):
    """A planner's decision on an indicator category and a heading of the plan's work."""

    category: str = Field(min_length=1, max_length=100, description="指标类别，如 生态环境")
    section_id: str = Field(min_length=1, max_length=40, description="章节编号，如 4.4")
    verdict: str = Field(min_length=1, max_length=20, description="confirmed（确认）或 rejected（否定）")


def category_sections(dash: Dashboard, snap: Snapshot) -> CategorySections:
    """The categories with their proposed and decided headings, once per data version (a decision changes it)."""
    return dash.pages.get(snap, ("category-sections",), lambda: dash.store.category_sections(plan_key(snap.plan)))


def category_work(dash: Dashboard, snap: Snapshot, ind: Indicator, year: int, project_rows: list[dict[str, Any]],
                  task_rows: list[dict[str, Any]], where: str) -> dict[str, Any]:
    """The projects and tasks on the lines of the headings confirmed for the indicator's category (``linked``
    when there is one), or how many proposals wait for a decision (``pending``, said in ``note``)."""
    sections = category_sections(dash, snap)
    current = ind in snap.plan.current_indicators()
    confirmed = sections.confirmed(ind.category) if current else []
    pending = len(sections.pending(ind.category)) if current else 0
    url = "/plan/sections#cat-" + quote(ind.category or "")
    if not confirmed:
        note = (f"按关键词为“{ind.category}”类指标提出了{pending}个可能对应的工作章节，{CATEGORY_SECTION_PENDING}。"
                if pending else "")
        return {"linked": False, "sections": [], "pending": pending, "sections_url": url, "note": note}
    projects = [r for r in project_rows if r["line"] is not None and any(covers(n, r["line"]) for n in confirmed)]
    tasks = [r for r in task_rows if any(covers(n, r["line"]) for n in confirmed)]
    heading = "、".join(f"{n.label}{n.title}".rstrip("。") for n in confirmed)
    note = (f"规划在{where}中列出本指标（类别：{ind.category}）；经人工确认，该类别对应{heading}，"
            f"列有重大项目{len(projects)}个、主要任务{len(tasks)}项（项目按{year}年判断）。")
    return {"linked": True, "heading": heading, "pending": pending, "sections_url": url, "note": note,
            "sections": [{"id": n.id, "label": n.label, "title": n.title} for n in confirmed],
            "projects": [{k: r[k] for k in WORK_PROJECT_FIELDS} for r in projects],
            "tasks": [{k: r[k] for k in WORK_TASK_FIELDS} for r in tasks],
            "projects_url": f"/projects?year={year}", "tasks_url": "/tasks"}


def sections_data(dash: Dashboard) -> dict[str, Any]:
    """The categories with their proposed and decided headings, read now (a decision shows at once)."""
    key = plan_key(dash.snapshot().plan)
    return dash.store.category_sections(key).to_json()


def sections_context(dash: Dashboard, done: str | None = None) -> dict[str, Any]:
    """/plan/sections: the JSON twin's data, with the decision times as a reader sees them."""
    data = sections_data(dash)
    for c in data["categories"]:
        for s in c["sections"]:
            s["decided_display"] = fmt_moment(datetime.fromisoformat(s["decided_at"])) if s["decided_at"] else ""
    return {**data, "title": dash.settings.title or dash.snapshot().plan.meta.title, "done": done, "error": None,
            "verdicts": [{"code": v, "label": CATEGORY_SECTION_LABELS[v]} for v in VERDICTS], "form": {}}


def decide(dash: Dashboard, viewer: Viewer, req: SectionDecisionRequest) -> dict[str, Any]:
    """Record the decision on the plan shown (audited by the store, the planner as actor)."""
    assert viewer.user is not None
    key = plan_key(dash.snapshot().plan)
    return decision_json(dash.store.decide_category_section(key, req.category, req.section_id, req.verdict,
                                                            actor=viewer.user.name))


@router.get("/plan/sections", response_class=HTMLResponse, include_in_schema=False)
def sections_page(request: Request, done: str | None = None, viewer: Viewer = PLAN,
                  dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """Each indicator category with the headings proposed for it, their evidence and the decisions."""
    return render(request, "plan_sections.html", sections_context(dash, (done or "")[:150] or None))


@router.post("/plan/sections", include_in_schema=False, dependencies=[PLAN, CSRF])
def sections_form(request: Request, category: FIELD = "", section: FIELD = "", verdict: FIELD = "",
                  viewer: Viewer = PLAN, dash: Dashboard = Depends(dashboard)) -> Response:
    """Record a decision and show the list again at its category; a bad field shows the page with the error."""
    form = {"category": category, "section": section, "verdict": verdict}
    try:
        if not category.strip() or not section.strip():
            raise InputError("指标类别和章节编号都必须填写，如 生态环境 与 4.4")
        made = decide(dash, viewer, SectionDecisionRequest(category=category, section_id=section, verdict=verdict or "-"))
    except InputError as exc:
        return page_error(request, "plan_sections.html", {**sections_context(dash), "form": form}, exc)
    base = request.scope.get("root_path", "").rstrip("/")
    done = quote(f"{made['category']} {made['section_id']}")
    return RedirectResponse(f"{base}/plan/sections?done={done}#cat-{quote(made['category'])}", status_code=303)


@router.get("/api/plan/sections", tags=["api"], dependencies=[PLAN])
def get_sections(dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Each category of the current indicators with the headings of the plan's work proposed for it (the
    keywords its title shares with the category's or its indicators' names) and the decisions on them."""
    return sections_data(dash)


@router.post("/api/plan/sections", tags=["api"], dependencies=[PLAN, CSRF])
def post_section(req: SectionDecisionRequest, viewer: Viewer = PLAN,
                 dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Confirm or reject a heading for a category (a new decision replaces the earlier one; both are audited)."""
    return decide(dash, viewer, req)
