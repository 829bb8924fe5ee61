"""Reports in the browser: build the annual, mid-term and final report and download it; every table
of the dashboard and of an indicator page as CSV and XLSX.

Reports
    ``POST /reports`` (form) or ``POST /api/reports`` (JSON) queues a build; one worker thread per app
    (one store) builds one report at a time with :func:`planwatch.report.context_from_store` and
    :func:`planwatch.report.write_report_files`, as ``planwatch report`` does, from the store's
    observations: approved figures only (a submission becomes an observation when it is approved).
    Files live in a temporary directory per job, kept :data:`JOB_SECONDS` after the build and at most
    :data:`JOBS_KEPT` jobs; only the account that started a job, or a planner, may see and download it.

Tables
    ``/table.csv|xlsx`` and ``/indicators/{key}/table.csv|xlsx`` are written from the very context the
    page is rendered from (:func:`.context.dashboard_context`, :func:`.context.indicator_context`), so a
    downloaded cell is the page's cell. CSV is UTF-8 with a BOM (Excel then reads the Chinese right);
    text that would read as a formula is neutralised by :mod:`planwatch.inert_cells`; XLSX bytes are
    the same for the same data (fixed zip times and document dates).
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from planwatch.errors import AccessError, ConflictError, InputError, PlanwatchError
from planwatch.evaluate import METHODS
from planwatch.store import User
from planwatch.store.accounts import role_may
from planwatch.vintages import vintage_label
from planwatch.vocabulary import REPORT_FORMAT_LABELS, REPORT_JOB_STATE_LABELS, fmt_moment

from .api import METHOD, REGION, YEAR
from .auth import CSRF, Viewer, require
from .context import Dashboard, NotFoundError, dashboard_context, indicator_context, method_choices, period_years
from .downloads import MEDIA_TYPES, Table, attachment, safe_name, table_response
from .preview import preview_mode
from .render import render
from .state import dashboard

log = logging.getLogger(__name__)

router = APIRouter()
# One dependency object, so that a route naming it twice (before CSRF, and for its account) asks once:
# an anonymous request is told to log in before it is told its form token is missing.
REPORTS = Depends(require("reports"))

JOBS_KEPT = 20  # finished jobs (and their files) kept per store; the oldest go first
JOB_SECONDS = 2 * 3600  # how long a finished job's files stay downloadable
QUEUE_MAX = 5  # jobs waiting or running at once: a build takes seconds, a flood of them is refused
ACTIVE = ("queued", "running")


def kind_labels() -> dict[str, str]:
    """The report kinds and their titles, from the report stage (imported late: it pulls in the writers)."""
    from planwatch.report import KIND_LABELS

    return KIND_LABELS


# ---------------------------------------------------------------- report jobs


@dataclass
class ReportJob:
    """One report build: what was asked, by whom, where it stands, and the files it wrote."""

    id: str
    owner: str
    kind: str
    year: int | None
    region: str | None
    method: str | None
    formats: tuple[str, ...]
    directory: Path
    created_at: datetime
    state: str = "queued"
    step: str = ""
    message: str = ""
    files: dict[str, Path] = field(default_factory=dict)  # format → file, in the order written
    report_year: int | None = None  # the year and region the built report covers (the defaults resolved)
    report_region: str | None = None
    finished_at: datetime | None = None
    finished_clock: float | None = None  # time.monotonic() at the end: what expiry counts from

    def record(self) -> dict[str, Any]:
        """The job as the page and the API show it."""
        year = self.report_year or self.year
        region = self.report_region or self.region
        title = "".join(p for p in (region or "", f"{year}年" if year else "", kind_labels()[self.kind]) if p)
        return {
            "id": self.id,
            "title": title,
            "kind": self.kind,
            "kind_label": kind_labels()[self.kind],
            "year": year,
            "region": region,
            "method": self.method,
            "formats": list(self.formats),
            "state": self.state,
            "state_label": REPORT_JOB_STATE_LABELS[self.state],
            "step": self.step,
            "message": self.message,
            "owner": self.owner,
            "created_at": self.created_at,
            "created_display": fmt_moment(self.created_at, seconds=True),
            "finished_at": self.finished_at,
            "files": [file_record(self.id, fmt, path) for fmt, path in self.files.items()],
            "status_url": f"/api/reports/{self.id}",
        }


def file_record(job_id: str, fmt: str, path: Path) -> dict[str, Any]:
    size = path.stat().st_size if path.exists() else 0
    return {"format": fmt, "label": REPORT_FORMAT_LABELS[fmt], "name": path.name, "size": size,
            "size_display": size_text(size), "url": f"/reports/jobs/{job_id}/download/{fmt}"}


def size_text(size: int) -> str:
    """A file size as a person reads it: 18 KB, 1.2 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class ReportOrder:
    """A checked request for a report."""

    kind: str
    year: int | None
    region: str | None
    method: str | None
    formats: tuple[str, ...]


class ReportJobs:
    """The report builds of one store: a queue worked by one thread at a time, and the files kept.

    The worker thread starts when a job is queued and ends when the queue is empty, so an idle app
    holds no thread. Expired and surplus jobs are dropped (with their files) whenever jobs are listed
    or added.
    """

    def __init__(self, dash: Dashboard):
        self.dash = dash
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, ReportJob] = OrderedDict()
        self._queue: deque[str] = deque()
        self._working = False
        # Removed with everything in it when the app goes away or the process ends.
        self._root = tempfile.TemporaryDirectory(prefix="planwatch-reports-")

    def submit(self, owner: str, order: ReportOrder) -> dict[str, Any]:
        """Queue a build of ``order`` for ``owner``; ConflictError when too many are waiting."""
        with self._lock:
            self._prune()
            active = sum(1 for j in self._jobs.values() if j.state in ACTIVE)
            if active >= QUEUE_MAX:
                raise ConflictError(f"已有 {active} 个报告在排队或生成中，请稍后再试")
            job_id = secrets.token_urlsafe(12)
            directory = Path(self._root.name) / job_id
            directory.mkdir()
            job = ReportJob(job_id, owner, order.kind, order.year, order.region, order.method, order.formats,
                            directory, datetime.now(UTC), step="等待前面的报告生成完毕")
            self._jobs[job_id] = job
            self._queue.append(job_id)
            if not self._working:
                self._working = True
                threading.Thread(target=self._work, name="planwatch-reports", daemon=True).start()
            return job.record()

    def job(self, job_id: str, viewer: Viewer) -> dict[str, Any]:
        """The record of a job ``viewer`` may see: its own, or any for a planner."""
        with self._lock:
            return self._visible_job(job_id, viewer).record()

    def file(self, job_id: str, fmt: str, viewer: Viewer) -> Path:
        """The file of a finished job in format ``fmt``."""
        with self._lock:
            job = self._visible_job(job_id, viewer)
            path = job.files.get(fmt)
        if job.state != "done" or path is None or not path.exists():
            raise NotFoundError(f"报告任务 {job_id} 没有{REPORT_FORMAT_LABELS.get(fmt, fmt)}文件"
                                + ("（尚未生成完毕）" if job.state in ACTIVE else ""))
        return path

    def listed(self, viewer: Viewer) -> list[dict[str, Any]]:
        """The jobs ``viewer`` may see, newest first."""
        with self._lock:
            self._prune()
            jobs = [j for j in self._jobs.values() if may_see(viewer.user, j)]
            return [j.record() for j in reversed(jobs)]

    def _visible_job(self, job_id: str, viewer: Viewer) -> ReportJob:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"未找到报告任务 {job_id[:40]}：可能已过期（生成的文件保留 {JOB_SECONDS // 3600} 小时），请重新生成")
        if not may_see(viewer.user, job):
            raise AccessError("该报告由其他账号生成：只有生成者本人或规划处账号可以查看和下载")
        return job

    def _prune(self) -> None:
        """Drop finished jobs past their time, then the oldest beyond the count (caller holds the lock)."""
        now = time.monotonic()
        finished = [j for j in self._jobs.values() if j.finished_clock is not None]
        expired = [j for j in finished if now - (j.finished_clock or now) > JOB_SECONDS]
        surplus = [j for j in finished if j not in expired][: max(0, len(finished) - len(expired) - JOBS_KEPT)]
        for job in (*expired, *surplus):
            del self._jobs[job.id]
            shutil.rmtree(job.directory, ignore_errors=True)

    def _set(self, job: ReportJob, **changes: Any) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(job, name, value)

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._working = False
                    return
                job = self._jobs.get(self._queue.popleft())
            if job is None:
                continue
            try:
                self._build(job)
            except PlanwatchError as exc:
                self._finish(job, "failed", message=str(exc))
            except Exception as exc:  # never a traceback for the person waiting: a message, and the log
                log.exception("report build %s failed", job.id)
                self._finish(job, "failed", message=f"生成报告时出错（{type(exc).__name__}），请联系管理员")
            else:
                self._finish(job, "done")

    def _finish(self, job: ReportJob, state: str, *, message: str = "") -> None:
        if state == "failed":
            shutil.rmtree(job.directory, ignore_errors=True)
        self._set(job, state=state, step="", message=message, finished_at=datetime.now(UTC),
                  finished_clock=time.monotonic(), files=job.files if state == "done" else {})

    def _build(self, job: ReportJob) -> None:
        from planwatch.report import context_from_store, write_report_files

        steps = 1 + len(job.formats)
        self._set(job, state="running", step=f"第 1/{steps} 步：读取已审核的数据并评估")
        ctx = context_from_store(self.dash.store, job.kind, job.year, job.method, job.region,
                                 plan_key=self.dash.settings.plan)
        self._set(job, report_year=ctx.year, report_region=ctx.region or None, method=ctx.method.code)
        files: dict[str, Path] = {}
        for n, fmt in enumerate(job.formats, start=2):
            self._set(job, step=f"第 {n}/{steps} 步：写出文件（{REPORT_FORMAT_LABELS[fmt]}）")
            [files[fmt]] = write_report_files(ctx, job.directory, [fmt])
        self._set(job, files=files)


def may_see(user: User | None, job: ReportJob) -> bool:
    """Whether ``user`` may see (and download) ``job``: its own, or any job for a planner."""
    return user is not None and (user.name == job.owner or role_may(user.role, "review"))


_registry_lock = threading.Lock()


def report_jobs(request: Request) -> ReportJobs:
    """The app's report jobs (one set per app, hence per store), made on first use."""
    dash = dashboard(request)
    state = request.app.state
    with _registry_lock:
        jobs = getattr(state, "report_jobs", None)
        if jobs is None:
            jobs = state.report_jobs = ReportJobs(dash)
    return jobs


# ---------------------------------------------------------------- checking a request


def checked_order(dash: Dashboard, kind: str | None, year: int | None, region: str | None, method: str | None,
                  formats: Sequence[str]) -> ReportOrder:
    """The request as an order, or InputError naming the field. The year is judged by the build itself
    (by the report stage's one rule, which depends on the kind): a bad one fails the job with its reason."""
    from planwatch.report import checked_formats, checked_kind

    kind = checked_kind((kind or "annual").strip())
    chosen = checked_formats(formats)
    region = (region or "").strip() or None
    if region is not None:
        names = dash.snapshot().inputs.region_names
        if region not in names:
            raise InputError(f"地区“{region[:40]}”不在可选地区中（可选：{'、'.join(names[:20])}"
                             f"{'等' if len(names) > 20 else ''}）")
    method = (method or "").strip() or None
    if method is not None and method not in METHODS:
        raise InputError(f"评估方法“{method[:40]}”无效：应为 {'、'.join(METHODS)}")
    return ReportOrder(kind, year, region, method, chosen)


def form_year(text: str) -> int | None:
    """The year field of the form: blank for the kind's default, else a year."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise InputError(f"年份“{text[:20]}”无效：应为四位数字的年份（如 2024），或留空按报告类型取默认年份")
    return int(text)


# ---------------------------------------------------------------- the reports page


def reports_context(dash: Dashboard, jobs: ReportJobs, viewer: Viewer) -> dict[str, Any]:
    """What the reports page offers (kinds, years, regions, methods, formats) and the jobs it lists."""
    from planwatch.report import FORMATS
    from planwatch.report.contents import report_year

    snap = dash.snapshot()
    plan = snap.plan
    start, end = plan.meta.period_start, plan.meta.period_end
    defaults: dict[str, int | None] = {}
    for kind in kind_labels():
        try:
            defaults[kind] = report_year(kind, None, start, end, snap.inputs.default_year)
        except PlanwatchError:  # a plan without a period: no default to offer, the build says why
            defaults[kind] = None
    regions = snap.inputs.region_names
    own = plan.meta.region or (regions[0] if regions else None)
    return {
        "title": "生成报告",
        "plan_title": plan.meta.title,
        "kinds": [{"code": k, "label": v, "default_year": defaults[k]} for k, v in kind_labels().items()],
        "years": period_years(plan),
        "regions": regions,
        "region": own,
        "methods": method_choices(dash.settings.method),
        "method": dash.settings.method,
        "formats": [{"code": f, "label": REPORT_FORMAT_LABELS[f]} for f in FORMATS],
        "kept_hours": JOB_SECONDS // 3600,
        "kept_jobs": JOBS_KEPT,
        "all_jobs": viewer.user is not None and role_may(viewer.user.role, "review"),
        "jobs": jobs.listed(viewer),
    }


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, viewer: Viewer = REPORTS,
                 dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The reports page: the build form and the jobs with their progress and downloads."""
    return render(request, "reports.html", reports_context(dash, report_jobs(request), viewer))


@router.post("/reports", include_in_schema=False, dependencies=[REPORTS, CSRF])
def reports_form(request: Request, kind: Annotated[str, Form(max_length=20)] = "annual",
                 year: Annotated[str, Form(max_length=20)] = "", region: Annotated[str, Form(max_length=200)] = "",
                 method: Annotated[str, Form(max_length=40)] = "",
                 formats: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies a default, never mutated)
                 viewer: Viewer = REPORTS, dash: Dashboard = Depends(dashboard)) -> Response:
    """Queue a build from the form and go back to the page, where the job shows its progress."""
    order = checked_order(dash, kind, form_year(year), region, method, formats)
    job = report_jobs(request).submit(owner_of(viewer), order)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}/reports#job-{job['id']}", status_code=303)


@router.get("/reports/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_fragment(request: Request, job_id: str, viewer: Viewer = REPORTS) -> Response:
    """One job's status as the page's list item, polled by htmx while it is queued or running."""
    job = report_jobs(request).job(job_id, viewer)
    if "hx-request" not in request.headers:  # a person who opened the address: the page around it
        base = request.scope.get("root_path", "").rstrip("/")
        return RedirectResponse(f"{base}/reports#job-{job['id']}", status_code=303)
    return render(request, "_report_job.html", {"job": job})


@router.get("/reports/jobs/{job_id}/download/{fmt}", include_in_schema=False)
def job_download(request: Request, job_id: str, fmt: str, viewer: Viewer = REPORTS) -> Response:
    """A finished report's file, with its Chinese name."""
    jobs = report_jobs(request)
    path = jobs.file(job_id, fmt, viewer)
    job = jobs.job(job_id, viewer)
    fallback = f"report-{job['year']}-{job['kind']}.{fmt}"
    return FileResponse(path, media_type=MEDIA_TYPES[fmt],
                        headers={"Content-Disposition": attachment(path.name, fallback)})


def owner_of(viewer: Viewer) -> str:
    if viewer.user is None:  # require("reports") never lets an anonymous visitor through
        raise AccessError("请先登录：生成报告需要登录")
    return viewer.user.name


# ---------------------------------------------------------------- the JSON twins


class ReportRequest(BaseModel):
    """A report to build."""

    kind: Literal["annual", "midterm", "final"] = Field("annual", description="annual 年度监测分析 / midterm 中期评估 / final 总结评估")
    year: int | None = Field(None, ge=1000, le=9999, description="报告年份；不填则年度报告取最新数据年份，中期取规划期中间年份，总结取期末")
    region: str | None = Field(None, max_length=200, description="地区（默认为规划所属地区）")
    method: str | None = Field(None, max_length=40, description="评估方法（elapsed_time / open_sdg / unsd）")
    formats: list[Literal["docx", "html", "xlsx"]] = Field(["docx", "html", "xlsx"], min_length=1, max_length=3,
                                                           description="输出格式")


class ReportFileOut(BaseModel):
    """A file a finished build wrote."""

    format: str
    label: str
    name: str
    size: int
    size_display: str
    url: str = Field(description="下载地址（需登录；只有生成者本人或规划处账号可以下载）")


class ReportJobOut(BaseModel):
    """A report build: queued → running (``step`` says which) → done (``files``) or failed (``message``)."""

    id: str
    title: str
    kind: str
    kind_label: str
    year: int | None
    region: str | None
    method: str | None
    formats: list[str]
    state: Literal["queued", "running", "done", "failed"]
    state_label: str
    step: str
    message: str
    owner: str
    created_at: datetime
    created_display: str
    finished_at: datetime | None
    files: list[ReportFileOut]
    status_url: str


# The error answers of the JSON routes, each {"error", "code", "status"} (see web/error_pages.py).
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "未登录（生成和下载报告需要登录，公开模式下也是如此）"},
    403: {"description": "账号无权生成报告（填报账号），或任务由其他账号生成，或缺少 CSRF 令牌"},
}
BUILD_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "已排队的报告任务；轮询 status_url 直到 state 为 done 或 failed"},
    400: {"description": "报告类型、格式、地区或评估方法无效（消息写明哪一项、应为什么）"},
    **REFUSED,
    409: {"description": "排队中的报告过多，请稍后再试"},
}
JOB_RESPONSES: dict[int | str, dict[str, Any]] = {
    **REFUSED, 404: {"description": "没有该报告任务（或已过期）"}}


@router.get("/api/reports", tags=["api"], responses=REFUSED)
def api_reports(request: Request, viewer: Viewer = REPORTS,
                dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The reports page's data: kinds (with their default years), years, regions, methods, formats,
    and the builds this account may see (its own; every build for a planner), newest first."""
    return reports_context(dash, report_jobs(request), viewer)


@router.post("/api/reports", tags=["api"], status_code=202, response_model=ReportJobOut,
             dependencies=[REPORTS, CSRF], responses=BUILD_RESPONSES)
def api_build_report(request: Request, body: ReportRequest, viewer: Viewer = REPORTS,
                     dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Queue a report build (202): poll ``status_url`` until ``state`` is done or failed."""
    order = checked_order(dash, body.kind, body.year, body.region, body.method, body.formats)
    return report_jobs(request).submit(owner_of(viewer), order)


@router.get("/api/reports/{job_id}", tags=["api"], response_model=ReportJobOut, responses=JOB_RESPONSES)
def api_report(request: Request, job_id: str, viewer: Viewer = REPORTS) -> dict[str, Any]:
    """One report build: its state, the step it is at, its message when it failed, its files when done."""
    return report_jobs(request).job(job_id, viewer)


# ---------------------------------------------------------------- table downloads


DASHBOARD_HEADERS = ("类别", "序号", "指标", "属性", "单位", "基期", "目标", "最新实际", "完成度", "状态", "预警", "评估说明")


def dashboard_tables(ctx: dict[str, Any]) -> list[Table]:
    """The dashboard's indicator table: the cells the page shows, plus each finding's explanation."""
    rows = [(f["category_label"], f["no"] or "", f["indicator"], f["attribute_label"], f["unit"] or "",
             f["baseline_display"], f["target_display"], f["actual_display"], f["completion_display"],
             f["status_text"], f["warning_label"] if f["warning"] else "", f["explanation"] or "")
            for f in ctx["findings"]]
    return [Table("主要指标完成情况", DASHBOARD_HEADERS, rows)]


FINDING_HEADERS = ("目标", "状态", "预警", "趋势判断", "最新实际", "完成度", "说明")
OBSERVATION_HEADERS = ("年份", "数值", "单位", "版本", "来源", "说明")
REVISION_HEADERS = ("年份", "数值", "单位", "版本", "来源", "说明", "记录时间", "当前采用")


def indicator_tables(ctx: dict[str, Any]) -> list[Table]:
    """An indicator page's tables: this year's findings, the current observations, every revision."""
    findings = [(f["target_text"], f["status_text"], f["warning_label"] if f["warning"] else "",
                 f["outlook_label"] or "", f["actual_display"], f["completion_display"],
                 f["explanation"] or f["status_explanation"]) for f in ctx["findings"]]
    observations, revisions = [], []
    for o in ctx["observations"]:
        observations.append((o["year"], o["value_display"], o.get("unit") or "", o["vintage_display"],
                             o.get("source") or "", o.get("note") or ""))
        for r in o["revisions"]:
            value = r.get("value") if r.get("value") is not None else (r.get("text") or "—")
            recorded = datetime.fromisoformat(r["recorded_at"]) if r.get("recorded_at") else None
            revisions.append((r["year"], value, r.get("unit") or "", vintage_label(r.get("vintage")),
                              r.get("source") or "", r.get("note") or "", fmt_moment(recorded, seconds=True),
                              "是" if r.get("is_current") else "否"))
    return [Table("评估结果", FINDING_HEADERS, findings), Table("实际数据", OBSERVATION_HEADERS, observations),
            Table("修订记录", REVISION_HEADERS, revisions)]


# A preview's download says so in its name: it holds figures not yet approved.
PREVIEW_SUFFIX = "_预览（含待审核数据）"


@router.get("/table.{fmt}", include_in_schema=False, dependencies=[Depends(require("view"))])
def dashboard_table(fmt: str, year: int | None = YEAR, region: str | None = REGION, method: str | None = METHOD,
                    preview: bool = Depends(preview_mode), dash: Dashboard = Depends(dashboard)) -> Response:
    """The dashboard's indicator table for the same year, region and method as ``/`` (a planner's preview
    included, its file named so)."""
    ctx = dashboard_context(dash, year, region, method, preview=preview)
    name = f"{safe_name(ctx['region'])}_{ctx['year']}_主要指标完成情况{PREVIEW_SUFFIX if preview else ''}"
    return table_response(dashboard_tables(ctx), fmt, name, f"indicators-{ctx['year']}", datetime(ctx["year"], 12, 31))


@router.get("/indicators/{key}/table.{fmt}", include_in_schema=False, dependencies=[Depends(require("view"))])
def indicator_table(key: str, fmt: str, year: int | None = YEAR, region: str | None = REGION,
                    method: str | None = METHOD, preview: bool = Depends(preview_mode),
                    dash: Dashboard = Depends(dashboard)) -> Response:
    """An indicator page's findings, observations and revisions for the same choice as the page."""
    ctx = indicator_context(dash, key, year, region, method, preview=preview)
    ind = ctx["indicator"]
    name = f"{safe_name(ctx['region'])}_{ctx['year']}_{safe_name(ind['name'])}{PREVIEW_SUFFIX if preview else ''}"
    return table_response(indicator_tables(ctx), fmt, name, f"indicator-{ind['id']}-{ctx['year']}",
                          datetime(ctx["year"], 12, 31))
