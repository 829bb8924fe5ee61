"""Projects and tasks in the dashboard: /projects and /tasks with filters and exports, their JSON twins,
and the projects and tasks of an indicator's chapter on its page.

The roll-ups are judged by :mod:`planwatch.evaluate.projects` and :mod:`planwatch.evaluate.tasks` (the
rule, the labels and the reasons live there); this module only reads the store once per data version
(through the Dashboard's page memo: judging 10,000 projects takes seconds, a page must not), filters the
judged rows and writes them as HTML, JSON, CSV and XLSX. Every export is written from the very rows
the JSON lists, so a downloaded cell is the page's cell.

Which chapter an indicator belongs to: the plan's own placement — the chapter (一、二、…) whose lines
hold the indicator's row. Projects and tasks are placed the same way (their box or heading). When the
plan prints its indicators in a chapter that lists no project or task (the Jiaxing outline's 表2 sits
in chapter 三, its tasks and projects in chapter 四), the page says so: the plan does not tie an
indicator category to a chapter of tasks, and none is guessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from planwatch.errors import InputError
from planwatch.evaluate.projects import (
    GROUPING_LABELS,
    ProjectsOverview,
    ProjectView,
    default_year,
    programme_json,
    projects_overview,
    view_json,
)
from planwatch.evaluate.tasks import TasksOverview, stored_updates, tasks_overview
from planwatch.figures import fmt_number, fmt_share
from planwatch.ingest.work_sections import chapter_of
from planwatch.model import Indicator, Milestone, OutlineNode, Plan, ProjectReportRow, TaskState
from planwatch.vocabulary import (
    MILESTONE_LABELS,
    NO_GROUP,
    PROJECT_LATE,
    PROJECT_NOT_IN_PLAN,
    PROJECT_STALLED,
    TASK_NOT_REPORTED,
    task_state_label,
)

from .auth import require
from .context import Dashboard, Snapshot, period_years
from .downloads import Table, table_response
from .render import render
from .state import dashboard
from .work_sections import WORK_PROJECT_FIELDS, WORK_TASK_FIELDS, category_work

router = APIRouter(dependencies=[Depends(require("view"))])

PAGE_ROWS = 200  # project rows per page: 10,000 rows in one page would be megabytes of HTML
UNREPORTED = "unreported"  # the state filter's code for 未填报 (no report / no update yet)
STATES = (*(str(s) for s in TaskState), UNREPORTED)
FILTER_TEXT = 200  # longest filter value accepted

YEAR = Query(None, ge=1900, le=2200, description="评估年度（默认为最近填报的年度，不超过规划期末）")
STATE = Query(None, max_length=20, description="状态：not_started / on_schedule / behind / done / unreported（未填报）")
UNIT = Query(None, max_length=FILTER_TEXT, description="牵头单位（“未注明”为未填写的）")
REGION = Query(None, max_length=FILTER_TEXT, description="所在地区（“未注明”为未填写的）")
BOX = Query(None, max_length=FILTER_TEXT, description="专栏，如“专栏3”；规划未列名的项目为“规划未列名”")
CHAPTER = Query(None, max_length=FILTER_TEXT, description="篇章，如“四、忠实践行……”（与汇总表的篇章名称相同）")
PAGE = Query(1, ge=1, le=100_000, description="页码（每页 200 个项目）")


# ---------------------------------------------------------------- judged once per data version


def project_reports(dash: Dashboard, snap: Snapshot) -> list[ProjectReportRow]:
    """The plan's project reports (in the order recorded) as the judging reads them, once per data version."""
    return dash.pages.get(snap, ("project-reports",), lambda: dash.store.project_report_rows(dash.settings.plan))


def projects_judged(dash: Dashboard, snap: Snapshot, year: int | None) -> tuple[ProjectsOverview, list[dict[str, Any]]]:
    """The projects judged at ``year`` (default: the latest reported) and their rows, once per data version."""
    reports = project_reports(dash, snap)
    if year is None:
        year = default_year(snap.plan, reports)

    def judge() -> tuple[ProjectsOverview, list[dict[str, Any]]]:
        overview = projects_overview(snap.plan, reports, year)
        numbers = {p.key: p.no for p in snap.plan.projects}
        return overview, [project_row(v, numbers.get(v.key) if v.in_plan else None) for v in overview.views]

    return dash.pages.get(snap, ("projects-judged", year), judge)


def tasks_judged(dash: Dashboard, snap: Snapshot) -> tuple[TasksOverview, list[dict[str, Any]]]:
    """The confirmed tasks with their latest update and assignment, and their rows, once per data version."""
    def judge() -> tuple[TasksOverview, list[dict[str, Any]]]:
        key = dash.settings.plan
        overview = tasks_overview(snap.plan, stored_updates(dash.store, key),
                                  assignments=dash.store.task_assignments(key))
        return overview, [task_row(t) for t in overview.to_json()["tasks"]]

    return dash.pages.get(snap, ("tasks-judged",), judge)


# ---------------------------------------------------------------- rows as shown


def project_row(v: ProjectView, no: str | None) -> dict[str, Any]:
    """A project as the table, the JSON and the exports show it: the judged view plus display texts."""
    row = view_json(v)
    milestones = [{"code": str(m), "label": MILESTONE_LABELS[m], "planned": v.planned.get(m),
                   "actual": v.actual.get(m), "late": m in v.late} for m in Milestone]
    return {
        **row, "no": no, "box_no": f"{v.box} 第{no}项" if no else v.box, "url": f"/projects/{quote(v.key, safe='')}",
        "state_code": str(v.state) if v.state else UNREPORTED, "reason_text": v.reason_text,
        "year_share": v.year_share, "year_share_display": fmt_share(v.year_share),
        "total_investment_display": fmt_number(v.total_investment),
        "year_planned_display": fmt_number(v.year_planned), "year_completed_display": fmt_number(v.year_completed),
        "cumulative_completed_display": fmt_number(v.cumulative_completed),
        "milestone_list": milestones,
        "late_labels": "、".join(MILESTONE_LABELS[m] for m in v.late),
        "flags": [*(f"{MILESTONE_LABELS[m]}{PROJECT_LATE}" for m in v.late), *([PROJECT_STALLED] if v.stalled else [])],
    }


def task_row(t: dict[str, Any]) -> dict[str, Any]:
    """A task as the table, the JSON and the exports show it."""
    # 滞后 is the state's own label; only 停滞 needs a mark of its own
    return {**t, "state_code": t["state"] or UNREPORTED, "url": f"/tasks/{quote(t['id'], safe='')}",
            "co_units_text": "、".join(t["co_units"]), "reason_text": "；".join(t["reasons"]),
            "flags": [f"{PROJECT_STALLED}（自{t['stalled_since']}）"] if t["stalled"] else []}


def rollup_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Roll-up rows with their state counts in the states' order and display texts."""
    return [{**r, "state_counts": [r["states"].get(s if s != UNREPORTED else "", 0) for s in STATES],
             **({"year_planned_display": fmt_number(r["year_planned"]),
                 "year_completed_display": fmt_number(r["year_completed"]),
                 "year_share_display": fmt_share(r["year_share"]),
                 "total_investment_display": fmt_number(r["total_investment"]),
                 "cumulative_completed_display": fmt_number(r["cumulative_completed"])} if "year_planned" in r else {})}
            for r in rows]


def state_options() -> list[dict[str, str]]:
    """The state filter's choices: the task states and 未填报."""
    return [{"code": s, "label": task_state_label(s) if s != UNREPORTED else TASK_NOT_REPORTED} for s in STATES]


def checked_state(state: str | None) -> str | None:
    """The state filter, or InputError naming the field and the choices."""
    state = (state or "").strip() or None
    if state is not None and state not in STATES:
        choices = "、".join(f"{o['code']}（{o['label']}）" for o in state_options())
        raise InputError(f"筛选条件“状态”无效：{state[:20]}（可选：{choices}）")
    return state


def chosen(**values: str | None) -> dict[str, str]:
    """The filters given (blank ones dropped), trimmed."""
    return {k: v.strip() for k, v in values.items() if v is not None and v.strip()}


def matches(row: dict[str, Any], filters: dict[str, str], fields: dict[str, Callable[[dict[str, Any]], str]]) -> bool:
    return all(fields[k](row) == v for k, v in filters.items() if k in fields)


PROJECT_FIELDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "state": lambda r: r["state_code"],
    "unit": lambda r: r["lead_unit"] or NO_GROUP,
    "region": lambda r: r["region"] or NO_GROUP,
    "box": lambda r: r["box"],
    "chapter": lambda r: r["chapter"],
}
TASK_FIELDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "state": lambda r: r["state_code"],
    "unit": lambda r: r["lead_unit"] or NO_GROUP,
    "box": lambda r: r["box"],
    "chapter": lambda r: r["chapter"],
}


def options(rows: Sequence[dict[str, Any]], field: Callable[[dict[str, Any]], str]) -> list[str]:
    """The values a filter offers, in the rows' order."""
    return list(dict.fromkeys(field(r) for r in rows))


# ---------------------------------------------------------------- context functions


def projects_context(dash: Dashboard, year: int | None = None, state: str | None = None, unit: str | None = None,
                     region: str | None = None, box: str | None = None, chapter: str | None = None,
                     page: int = 1) -> dict[str, Any]:
    """/projects and /api/projects: the programme totals against the tracked projects, the roll-ups (all
    projects), and the filtered project table (a page of it), late and stalled projects among them."""
    filters = chosen(state=checked_state(state), unit=unit, region=region, box=box, chapter=chapter)
    snap = dash.snapshot()
    overview, rows = projects_judged(dash, snap, year)
    return dash.page(snap, ("projects", overview.year, tuple(sorted(filters.items())), page),
                     lambda: projects_content(snap, overview, rows, filters, page))


def projects_content(snap: Snapshot, overview: ProjectsOverview, rows: list[dict[str, Any]],
                     filters: dict[str, str], page: int) -> dict[str, Any]:
    plan = snap.plan
    found = [r for r in rows if matches(r, filters, PROJECT_FIELDS)]
    pages = max(1, math.ceil(len(found) / PAGE_ROWS))
    page = min(page, pages)
    query = {"year": overview.year, **filters}
    reported = sorted({y for y in (r["data_year"] for r in rows) if y is not None} | set(period_years(plan)))
    totals = overview.to_json()
    settings = overview.settings
    return {
        "title": "重大项目", "plan": {"title": plan.meta.title},
        "year": overview.year, "years": reported or [overview.year], "data_year": overview.data_year,
        "as_of": overview.as_of,
        "rule": (f"年度完成投资低于年度计划投资（按截至日期的时间进度折算）的{fmt_share(settings.investment_share)}，"
                 f"或立项、开工、完工、投用节点晚于计划日期超过{settings.milestone_margin_days}天，为“滞后”；"
                 "已完工或投用为“已完成”；尚未开工且未完成投资为“未启动”；其余为“按计划推进”。"
                 f"年度计划投资大于零而完成投资为零的，列为“{PROJECT_STALLED}”。"),
        "settings": totals["settings"],
        "programmes": [programme_row(programme_json(p), overview) for p in overview.programmes],
        "in_plan": sum(1 for r in rows if r["in_plan"]), "not_in_plan": sum(1 for r in rows if not r["in_plan"]),
        "total": rollup_rows([totals["total"]])[0],
        "rollups": [{"by": k, "label": GROUPING_LABELS[k], "rows": rollup_rows(v)} for k, v in totals["rollups"].items()],
        "states": state_options(),
        "filters": filters,
        "choices": {"unit": options(rows, PROJECT_FIELDS["unit"]), "region": options(rows, PROJECT_FIELDS["region"]),
                    "box": options(rows, PROJECT_FIELDS["box"]), "chapter": options(rows, PROJECT_FIELDS["chapter"])},
        "matched": len(found), "page": page, "pages": pages, "page_rows": PAGE_ROWS,
        "projects": found[(page - 1) * PAGE_ROWS: page * PAGE_ROWS],
        "late": [late_entry(r) for r in found if r["late"]],
        "stalled": [late_entry(r) for r in found if r["stalled"]],
        "query": urlencode(query),
        "previous": urlencode({**query, "page": page - 1}) if page > 1 else None,
        "next": urlencode({**query, "page": page + 1}) if page < pages else None,
        "labels": {"late": PROJECT_LATE, "stalled": PROJECT_STALLED, "not_in_plan": PROJECT_NOT_IN_PLAN},
    }


def late_entry(r: dict[str, Any]) -> dict[str, Any]:
    """A late or stalled project in the list under the table."""
    return {"key": r["key"], "name": r["name"], "flags": r["flags"], "reason_text": r["reason_text"],
            "state_label": r["state_label"]}


def programme_row(p: dict[str, Any], overview: ProjectsOverview) -> dict[str, Any]:
    """A programme's totals against the tracked projects, with display texts."""
    span = (f"{p['first_year']}—{overview.year}年" if p["first_year"] and p["first_year"] < overview.year
            else f"{overview.year}年")
    return {**p, "span": span, "target_count_display": fmt_number(p["target_count"]),
            "target_investment_display": fmt_number(p["target_investment"]),
            "cumulative_completed_display": fmt_number(p["cumulative_completed"]),
            "count_share_display": fmt_share(p["count_share"]),
            "investment_share_display": fmt_share(p["investment_share"])}


def tasks_context(dash: Dashboard, state: str | None = None, box: str | None = None, chapter: str | None = None,
                  unit: str | None = None) -> dict[str, Any]:
    """/tasks and /api/tasks: the confirmed tasks with their latest state, roll-ups (all tasks), and the
    filtered table with its late and stalled tasks."""
    filters = chosen(state=checked_state(state), box=box, chapter=chapter, unit=unit)
    snap = dash.snapshot()
    overview, rows = tasks_judged(dash, snap)
    return dash.page(snap, ("tasks", tuple(sorted(filters.items()))),
                     lambda: tasks_content(snap, overview, rows, filters))


def tasks_content(snap: Snapshot, overview: TasksOverview, rows: list[dict[str, Any]],
                  filters: dict[str, str]) -> dict[str, Any]:
    found = [r for r in rows if matches(r, filters, TASK_FIELDS)]
    totals = overview.to_json()
    return {
        "title": "主要任务", "plan": {"title": snap.plan.meta.title}, "as_of": overview.as_of,
        "total": rollup_rows([totals["total"]])[0],
        "rollups": [{"by": k, "label": GROUPING_LABELS[k], "rows": rollup_rows(v)} for k, v in totals["rollups"].items()],
        "states": state_options(),
        "filters": filters,
        "choices": {"box": options(rows, TASK_FIELDS["box"]), "chapter": options(rows, TASK_FIELDS["chapter"]),
                    "unit": options(rows, TASK_FIELDS["unit"])},
        "candidates": sum(1 for t in snap.plan.tasks if not t.confirmed),
        "matched": len(found), "tasks": found,
        "late": [r for r in found if r["late"]], "stalled": [r for r in found if r["stalled"]],
        "query": urlencode(filters),
        "labels": {"stalled": PROJECT_STALLED},
    }


# ---------------------------------------------------------------- an indicator's chapter


def indicator_chapter(plan: Plan, ind: Indicator) -> OutlineNode | None:
    """The chapter (一、二、…) whose lines hold the indicator's row, as the plan prints it."""
    return chapter_of(plan, ind.line)


def chapter_work(dash: Dashboard, snap: Snapshot, ind: Indicator, year: int) -> dict[str, Any]:
    """The projects and tasks of the chapter the plan prints ``ind`` in, or why there are none."""
    plan = snap.plan
    node = indicator_chapter(plan, ind)
    if node is None:
        return {"chapter": None, "linked": False, "projects": [], "tasks": [], "projects_url": f"/projects?year={year}",
                "tasks_url": "/tasks",
                "note": f"规划原文中找不到本指标（第{ind.line}行）所在的篇章，无法对应该篇章的重大项目和主要任务。"}
    name = f"{node.label}{node.title}"
    _, project_rows = projects_judged(dash, snap, year)
    _, task_rows = tasks_judged(dash, snap)
    projects = [{k: r[k] for k in WORK_PROJECT_FIELDS} for r in project_rows if r["chapter"] == name]
    tasks = [{k: r[k] for k in WORK_TASK_FIELDS} for r in task_rows if r["chapter"] == name]
    where = f"“{name}”的{ind.table}（第{ind.line}行）"
    if projects or tasks:
        note = (f"规划在{where}中列出本指标；该篇章列有重大项目{len(projects)}个、主要任务{len(tasks)}项"
                f"（项目按{year}年判断）。")
        return {"chapter": name, "linked": True, "projects": projects, "tasks": tasks, "note": note,
                "projects_url": "/projects?" + urlencode({"year": year, "chapter": name}),
                "tasks_url": "/tasks?" + urlencode({"chapter": name})}
    # else the work of the headings a person confirmed for the indicator's category (web/work_sections.py)
    by_category = category_work(dash, snap, ind, year, project_rows, task_rows, where)
    if by_category["linked"]:
        return {"chapter": name, **by_category}
    candidates = sum(1 for t in plan.tasks if t.chapter == node.id and not t.confirmed)
    pending = f"（另有{candidates}条正文任务候选，尚待在规划文件中确认）" if candidates else ""
    category = f"（类别：{ind.category}）" if ind.category else ""
    note = (f"规划在{where}中列出本指标{category}，该篇章没有列出重大项目或主要任务{pending}；"
            "规划也没有写明本指标与其他篇章的项目、任务的对应关系，因此这里不作推断。" + by_category["note"]
            + "全部项目和任务见项目页和任务页。")
    return {"chapter": name, "linked": False, "projects": [], "tasks": [], "note": note,
            "projects_url": f"/projects?year={year}", "tasks_url": "/tasks",
            "pending": by_category["pending"], "sections_url": by_category["sections_url"]}


# ---------------------------------------------------------------- exports

PROJECT_HEADERS = ("编号", "项目名称", "规划内", "专栏", "序号", "篇章", "牵头单位", "所在地区", "总投资（亿元）", "数据年度",
                   "年度计划投资（亿元）", "年度完成投资（亿元）", "年度完成率", "累计完成投资（亿元）",
                   *(f"{w}{MILESTONE_LABELS[m]}" for m in Milestone for w in ("计划", "实际")),
                   "状态", PROJECT_LATE + "节点", PROJECT_STALLED, "原因")
TASK_HEADERS = ("任务编号", "专栏", "序号", "任务", "篇章", "原文行", "状态", "截至", "进展情况", "牵头单位", "配合单位",
                "计划完成", "滞后", "原因", PROJECT_STALLED, "停滞起始")


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def project_cells(r: dict[str, Any]) -> tuple[Any, ...]:
    """A project row's cells in the export: the JSON's values (numbers as numbers), labels as shown."""
    dates = tuple(r["milestones"][str(m)][w] or "" for m in Milestone for w in ("planned", "actual"))
    return (r["key"], r["name"], yes_no(r["in_plan"]), r["box"], r["no"] or "", r["chapter"], r["lead_unit"] or "",
            r["region"] or "", r["total_investment"], r["data_year"], r["year_planned"], r["year_completed"],
            r["year_share_display"], r["cumulative_completed"], *dates, r["state_label"], r["late_labels"],
            yes_no(r["stalled"]), r["reason_text"])


def task_cells(r: dict[str, Any]) -> tuple[Any, ...]:
    """A task row's cells in the export."""
    return (r["id"], r["box"], r["no"] or "", r["text"], r["chapter"], r["line"], r["state_label"], r["as_of"] or "",
            r["progress"], r["lead_unit"] or "", r["co_units_text"], r["planned_completion"] or "", yes_no(r["late"]),
            r["reason_text"], yes_no(r["stalled"]), r["stalled_since"] or "")


def project_export(dash: Dashboard, fmt: str, year: int | None, state: str | None, unit: str | None,
                   region: str | None, box: str | None, chapter: str | None) -> Response:
    """The filtered project table (every page of it) as CSV or XLSX."""
    filters = chosen(state=checked_state(state), unit=unit, region=region, box=box, chapter=chapter)
    snap = dash.snapshot()
    overview, rows = projects_judged(dash, snap, year)
    found = [project_cells(r) for r in rows if matches(r, filters, PROJECT_FIELDS)]
    table = Table(f"重大项目{overview.year}年", PROJECT_HEADERS, found)
    return table_response([table], fmt, f"重大项目-{overview.year}年", f"projects-{overview.year}",
                          datetime(overview.year, 12, 31))


def task_export(dash: Dashboard, fmt: str, state: str | None, box: str | None, chapter: str | None,
                unit: str | None) -> Response:
    """The filtered task table as CSV or XLSX."""
    filters = chosen(state=checked_state(state), box=box, chapter=chapter, unit=unit)
    snap = dash.snapshot()
    overview, rows = tasks_judged(dash, snap)
    found = [task_cells(r) for r in rows if matches(r, filters, TASK_FIELDS)]
    year = int((overview.as_of or "2000")[:4])
    return table_response([Table("主要任务", TASK_HEADERS, found)], fmt, "主要任务", "tasks", datetime(year, 12, 31))


# ---------------------------------------------------------------- routes


@router.get("/projects", response_class=HTMLResponse, include_in_schema=False)
def projects_page(request: Request, year: int | None = YEAR, state: str | None = STATE, unit: str | None = UNIT,
                  region: str | None = REGION, box: str | None = BOX, chapter: str | None = CHAPTER,
                  page: int = PAGE, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """重大项目: programme totals, roll-ups, the filtered project table, late and stalled projects."""
    return render(request, "projects.html", projects_context(dash, year, state, unit, region, box, chapter, page))


@router.get("/api/projects", tags=["api"])
def get_projects(year: int | None = YEAR, state: str | None = STATE, unit: str | None = UNIT,
                 region: str | None = REGION, box: str | None = BOX, chapter: str | None = CHAPTER,
                 page: int = PAGE, dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The projects page's data: ``programmes`` (the 551 totals against the tracked projects), ``total`` and
    ``rollups`` (by box, chapter, unit, region; every project), ``projects`` (the filtered rows, 200 a page:
    ``matched``, ``page``, ``pages``), ``late`` and ``stalled`` (among the filtered), ``filters``, ``choices``."""
    return projects_context(dash, year, state, unit, region, box, chapter, page)


@router.get("/projects.csv", include_in_schema=False)
def projects_csv(year: int | None = YEAR, state: str | None = STATE, unit: str | None = UNIT,
                 region: str | None = REGION, box: str | None = BOX, chapter: str | None = CHAPTER,
                 dash: Dashboard = Depends(dashboard)) -> Response:
    """The filtered project table as CSV (UTF-8 with BOM)."""
    return project_export(dash, "csv", year, state, unit, region, box, chapter)


@router.get("/projects.xlsx", include_in_schema=False)
def projects_xlsx(year: int | None = YEAR, state: str | None = STATE, unit: str | None = UNIT,
                  region: str | None = REGION, box: str | None = BOX, chapter: str | None = CHAPTER,
                  dash: Dashboard = Depends(dashboard)) -> Response:
    """The filtered project table as XLSX."""
    return project_export(dash, "xlsx", year, state, unit, region, box, chapter)


@router.get("/tasks", response_class=HTMLResponse, include_in_schema=False)
def tasks_page(request: Request, state: str | None = STATE, box: str | None = BOX, chapter: str | None = CHAPTER,
               unit: str | None = UNIT, dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """主要任务: roll-ups, the filtered task table, late and stalled tasks."""
    return render(request, "tasks.html", tasks_context(dash, state, box, chapter, unit))


@router.get("/api/tasks", tags=["api"])
def get_tasks(state: str | None = STATE, box: str | None = BOX, chapter: str | None = CHAPTER,
              unit: str | None = UNIT, dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The tasks page's data: ``total`` and ``rollups`` (by box, chapter, unit; every confirmed task),
    ``tasks`` (the filtered rows, each with its latest state, progress, lead unit and date), ``late`` and
    ``stalled`` (among the filtered), ``filters``, ``choices``."""
    return tasks_context(dash, state, box, chapter, unit)


@router.get("/tasks.csv", include_in_schema=False)
def tasks_csv(state: str | None = STATE, box: str | None = BOX, chapter: str | None = CHAPTER,
              unit: str | None = UNIT, dash: Dashboard = Depends(dashboard)) -> Response:
    """The filtered task table as CSV (UTF-8 with BOM)."""
    return task_export(dash, "csv", state, box, chapter, unit)


@router.get("/tasks.xlsx", include_in_schema=False)
def tasks_xlsx(state: str | None = STATE, box: str | None = BOX, chapter: str | None = CHAPTER,
               unit: str | None = UNIT, dash: Dashboard = Depends(dashboard)) -> Response:
    """The filtered task table as XLSX."""
    return task_export(dash, "xlsx", state, box, chapter, unit)
