"""Data rounds in the browser and the API: to-do lists, entry, sheets, approval, the round board.

Each page has its JSON twin built by the same context function (:mod:`.round_context`). Figures are
checked and stored by :func:`planwatch.observe.submissions.enter_figures` only (all or nothing), and
state changes by :meth:`planwatch.store.Store.decide` only (the version a person saw is passed, so of
two planners acting at once one wins and the other is told who changed it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from planwatch.errors import AccessError, ConflictError, DataImportError, InputError, LoginRequired
from planwatch.observe.limits import DEFAULT_LIMITS, megabytes
from planwatch.observe.round_sheet import read_sheet, unchanged, write_sheet
from planwatch.observe.submissions import FigureInput, check_figures, enter_figures, store_checked
from planwatch.observe.tables import TEXT_SUFFIXES, XLSX_SUFFIXES
from planwatch.report.archive import stable_ooxml
from planwatch.store import User
from planwatch.store.rounds import COMMENT_CHARS, TITLE_CHARS, Round

from .auth import CSRF, PERMISSIONS, Viewer, current, require
from .context import Dashboard
from .downloads import Table, download, table_response
from .render import render
from .round_context import (
    board_context,
    board_table,
    current_plan,
    find_round,
    open_round_for,
    problem_text,
    round_record,
    rounds_context,
    sheet_rows,
    submission_context,
    submission_record,
    todo_context,
)
from .state import dashboard

router = APIRouter()
FIELD_CHARS = 2000
MAX_FORM_ROWS = 5000  # a to-do list of a whole province's counties stays far below this
# Ids as stored (INTEGER: 32-bit on PostgreSQL); anything larger is no id at all, refused before the store.
RoundId = Annotated[int, Path(ge=1, le=2**31 - 1, description="填报轮次编号")]
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="填报数据编号")]


def require_any(*permissions: str) -> Callable[[Request], Viewer]:
    """Like :func:`.auth.require`, for a page any of several permissions opens (the round list: reporters
    and the planning office; a to-do list or a board: whoever may see one of them)."""
    def dependency(request: Request) -> Viewer:
        viewer = current(request)
        if any(viewer.may(p) for p in permissions):
            return viewer
        what = "或".join(PERMISSIONS[p][1] for p in permissions)
        if viewer.user is None:
            raise LoginRequired(f"请先登录：{what}需要登录")
        raise AccessError(f"{viewer.user.role_label}账号（{viewer.user.name}）不能{what}")

    dependency.__name__ = "require_" + "_or_".join(permissions)
    return dependency


SIGNED_IN = require_any("report", "rounds")


def account(viewer: Viewer) -> User:
    assert viewer.user is not None, "the permission dependency refused anonymous requests"
    return viewer.user


async def form_data(request: Request) -> FormData:
    """The posted form (parsed once; the CSRF check read the same)."""
    return await request.form()


# ---------------------------------------------------------------- request bodies

# No control characters in stored text (PostgreSQL refuses NUL; none belongs in a name, source or note).
PLAIN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class RoundIn(BaseModel):
    """A round to open: the data year, and optionally its title, due date and regions."""

    year: int = Field(ge=1900, le=2200, description="数据年份")
    title: str | None = Field(None, max_length=TITLE_CHARS, pattern=PLAIN, description="名称（默认“YYYY年度监测数据填报”）")
    due: str | None = Field(None, max_length=20, pattern=PLAIN, description="截止日期 YYYY-MM-DD")
    regions: list[Annotated[str, Field(max_length=100, pattern=PLAIN)]] | None = Field(
        None, max_length=500, description="填报地区（默认为规划所属地区）")


class SubmissionIn(BaseModel):
    """A figure a unit reports (submitted at once) in the open round of its year."""

    indicator: str = Field(max_length=200, pattern=PLAIN, description="指标编号、序号或名称")
    region: str | None = Field(None, max_length=100, pattern=PLAIN, description="地区（默认为账号的地区或规划所属地区）")
    year: int = Field(ge=1900, le=2200, description="数据年份：须有该年度正在填报的轮次")
    value: float | Annotated[str, Field(max_length=40, pattern=PLAIN)] = Field(description="数值")
    unit: str | None = Field(None, max_length=50, pattern=PLAIN)
    source: str | None = Field(None, max_length=FIELD_CHARS, pattern=PLAIN)
    note: str | None = Field(None, max_length=FIELD_CHARS, pattern=PLAIN)
    confirmed: bool = Field(False, description="确认合理性检查提出疑问的数值（须同时写明说明）")
    version: int | None = Field(None, ge=0, description="看到的版本号（0：尚未填报）；数据已被改动时拒绝（409）")


class DecisionIn(BaseModel):
    """A planner's decision (or a unit's withdrawal), taken on the version the person saw."""

    comment: str | None = Field(None, max_length=COMMENT_CHARS, pattern=r"^[^\x00]*$", description="意见（退回时必填）")
    version: int | None = Field(None, ge=1, description="看到的版本号；数据已被改动时拒绝（409）")


ROUND_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "开启的填报轮次（id、year、title、due、regions、state、state_label、overdue …）"}}
SUBMISSION_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "已报送的数据（id、state、state_label、version、value …）"},
    403: {"description": "指标或地区不属于本单位（消息写明单位）"},
    404: {"description": "该年份没有正在填报的轮次"},
    409: {"description": "数据已被他人改动"},
    422: {"description": "数值有问题（problems 逐项列出）"},
}
DECISION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "操作后的数据（state、state_label、version、comment …）"},
    403: {"description": "无权操作"},
    409: {"description": "数据已被他人改动（消息写明由谁、改为何状态）"},
}


# ---------------------------------------------------------------- the rounds of the plan


def open_round(dash: Dashboard, user: User, *, year: int, title: str | None, due: str | None,
               regions: list[str] | None) -> Round:
    _, key = current_plan(dash)
    return dash.store.open_round(key, year=year, title=title, due=due, regions=regions,
                                                actor=user.name)


@router.get("/rounds", response_class=HTMLResponse, include_in_schema=False)
def rounds_page(request: Request, viewer: Viewer = Depends(SIGNED_IN),
                dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """The plan's rounds; planners open and close them here."""
    return render(request, "rounds.html", rounds_context(dash, account(viewer)))


@router.post("/rounds", include_in_schema=False, dependencies=[CSRF])
def open_round_form(request: Request, viewer: Viewer = Depends(require("review")),
                    dash: Dashboard = Depends(dashboard), form: FormData = Depends(form_data)) -> Response:
    """Open a round from the form; a refusal shows the form again, as filled, with the reason."""
    user = account(viewer)
    year_text = str(form.get("year") or "")[:10]
    title = str(form.get("title") or "")[:TITLE_CHARS + 1]
    due = str(form.get("due") or "")[:20]
    regions = [str(r)[:100] for r in form.getlist("regions")][:500]
    values: dict[str, Any] = {"year": year_text, "title": title, "due": due, "regions": regions}
    try:
        year = int(year_text)
    except ValueError:
        return render(request, "rounds.html", rounds_context(dash, user, form=values, error=(
            f"年份“{year_text}”无效：应为四位数字的年份")), status_code=400)
    try:
        rnd = open_round(dash, user, year=year, title=title, due=due, regions=regions or None)
    except InputError as exc:
        return render(request, "rounds.html", rounds_context(dash, user, form={**values, "year": year},
                                                              error=str(exc)), status_code=400)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/rounds/{rnd.id}/board", status_code=303)


@router.post("/rounds/{round_id}/close", include_in_schema=False, dependencies=[CSRF])
def close_round_form(request: Request, round_id: RoundId, viewer: Viewer = Depends(require("review")),
                     dash: Dashboard = Depends(dashboard)) -> Response:
    rnd = find_round(dash, round_id)
    dash.store.close_round(rnd.id, actor=account(viewer).name)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/rounds", status_code=303)


@router.get("/api/rounds", tags=["rounds"])
def get_rounds(viewer: Viewer = Depends(SIGNED_IN), dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The plan's rounds (newest first), with the regions a new round can ask for."""
    return rounds_context(dash, account(viewer))


@router.post("/api/rounds", tags=["rounds"], status_code=201, dependencies=[CSRF], responses=ROUND_RESPONSES)
def post_round(body: RoundIn, viewer: Viewer = Depends(require("review")),
               dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Open a round of the plan for a data year (planning office)."""
    rnd = open_round(dash, account(viewer), year=body.year, title=body.title, due=body.due, regions=body.regions)
    return round_record(rnd)


@router.post("/api/rounds/{round_id}/close", tags=["rounds"], dependencies=[CSRF])
def post_close_round(round_id: RoundId, viewer: Viewer = Depends(require("review")),
                     dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Close a round: no more figures are taken (approving and returning still are)."""
    rnd = find_round(dash, round_id)
    return round_record(dash.store.close_round(rnd.id, actor=account(viewer).name))


# ---------------------------------------------------------------- the to-do list and entering figures


@router.get("/rounds/{round_id}", response_class=HTMLResponse, include_in_schema=False)
def todo_page(request: Request, round_id: RoundId, viewer: Viewer = Depends(SIGNED_IN),
              dash: Dashboard = Depends(dashboard)) -> Response:
    """The account's figures of the round; those who do not report see the board instead."""
    rnd = find_round(dash, round_id)
    if not viewer.may("report"):
        return RedirectResponse(f"{request.scope.get('root_path', '')}/rounds/{rnd.id}/board", status_code=303)
    return render(request, "round_todo.html", todo_context(dash, account(viewer), rnd))


@router.get("/api/rounds/{round_id}/todo", tags=["rounds"])
def get_todo(round_id: RoundId, viewer: Viewer = Depends(require("report")),
             dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The figures the caller reports in the round, with last year's value, target, planned path value and
    the current submission of each."""
    return todo_context(dash, account(viewer), find_round(dash, round_id))


def posted_figures(form: FormData) -> list[FigureInput]:
    """The rows of the to-do form (``indicator-N``, ``region-N``, ``value-N`` … for N = 1 … ``rows``)."""
    try:
        count = min(int(str(form.get("rows") or "0")), MAX_FORM_ROWS)
    except ValueError:
        raise InputError("表单已损坏（rows 不是数字）：请刷新页面后重新填写") from None

    def text(name: str, n: int) -> str:
        return str(form.get(f"{name}-{n}") or "")[:FIELD_CHARS + 1]

    figures = []
    for n in range(1, count + 1):
        if not text("indicator", n):
            continue
        try:
            version = int(text("version", n) or "0")
        except ValueError:
            version = None
        figures.append(FigureInput(indicator=text("indicator", n), region=text("region", n) or None,
                                   value=text("value", n), unit=text("unit", n) or None,
                                   source=text("source", n) or None, note=text("note", n) or None,
                                   confirmed=bool(form.get(f"confirm-{n}")), version=version, row=n))
    return figures


def worth_entering(dash: Dashboard, user: User, rnd: Round, figures: list[FigureInput],
                   submit: bool) -> list[FigureInput]:
    """The figures that change something: rows left empty are skipped, and so are rows equal to what is
    stored already (see :func:`planwatch.observe.round_sheet.unchanged`)."""
    from .round_context import unit_filter

    current = {(s.indicator, s.region): s for s in dash.store.submissions(rnd.id, unit=unit_filter(user))}
    region = dash.snapshot().plan.meta.region or ""
    kept = []
    for f in figures:
        empty = not ((f.value or "").strip() or (f.source or "").strip() or (f.note or "").strip())
        sub = current.get((f.indicator, f.region or region))
        if sub is None and empty:
            continue
        if sub is not None and (empty or unchanged(f, sub, submit=submit)):
            continue
        kept.append(f)
    return kept


@router.post("/rounds/{round_id}/figures", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[CSRF])
def post_figures(request: Request, round_id: RoundId, viewer: Viewer = Depends(require("report")),
                 dash: Dashboard = Depends(dashboard), form: FormData = Depends(form_data)) -> HTMLResponse:
    """Save (保存草稿) or submit (报送) the to-do form: all rows or none, every problem shown by its row."""
    user = account(viewer)
    rnd = find_round(dash, round_id)
    submit = form.get("action") == "submit"
    figures = posted_figures(form)
    posted = {(f.indicator, f.region or ""): f for f in figures}
    todo = worth_entering(dash, user, rnd, figures, submit)
    if not todo:
        return render(request, "round_todo.html", todo_context(
            dash, user, rnd, message="没有需要保存的改动：请先填写数值"))
    checks = check_figures(dash.store, rnd, user, todo)
    try:
        done = store_checked(dash.store, rnd, user, checks, submit=submit, where="填报表")
    except (DataImportError, AccessError) as exc:
        count = len(getattr(exc, "problems", [])) or sum(len(c.problems) for c in checks)
        message = f"有 {count} 处问题，未保存任何数据：请按各行的提示修改后再{'报送' if submit else '保存'}"
        return render(request, "round_todo.html", todo_context(dash, user, rnd, posted=posted, checks=checks,
                                                               message=message, refused=True),
                      status_code=403 if isinstance(exc, AccessError) else 422)
    except ConflictError as exc:
        return render(request, "round_todo.html", todo_context(dash, user, rnd, posted=posted, message=str(exc),
                                                               refused=True), status_code=409)
    verb = "报送" if submit else "保存为草稿"
    doubts = [c for c in checks if c.doubts]
    note = f"；其中 {len(doubts)} 项有待核实的疑问，报送前须确认并写明说明" if doubts and not submit else ""
    return render(request, "round_todo.html", todo_context(
        dash, user, rnd, checks=doubts, message=f"已{verb} {len(done)} 项数据{note}"))


@router.post("/api/submissions", tags=["rounds"], status_code=201, dependencies=[CSRF],
             responses=SUBMISSION_RESPONSES)
def post_submission(body: SubmissionIn, viewer: Viewer = Depends(require("report")),
                    dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Report one figure for the caller's unit in the open round of its year, submitted at once."""
    user = account(viewer)
    rnd = open_round_for(dash, body.year)
    value = body.value if isinstance(body.value, str) else format(body.value, ".15g")
    figure = FigureInput(indicator=body.indicator, region=body.region or user.region, value=value, unit=body.unit,
                         source=body.source, note=body.note, confirmed=body.confirmed, version=body.version)
    (done,) = enter_figures(dash.store, rnd, user, [figure], submit=True, where="POST /api/submissions")
    return submission_record(done, dash.snapshot().plan)


# ---------------------------------------------------------------- the pre-filled sheet


@router.get("/rounds/{round_id}/sheet.xlsx", include_in_schema=False)
def sheet_download(round_id: RoundId, viewer: Viewer = Depends(require("report")),
                   dash: Dashboard = Depends(dashboard)) -> Response:
    """The caller's figures of the round as a sheet to fill in and upload back."""
    user = account(viewer)
    rnd = find_round(dash, round_id)
    ctx = todo_context(dash, user, rnd)
    who = user.unit if user.role == "reporter" and user.unit else user.name
    data = stable_ooxml(write_sheet(sheet_rows(ctx), title=f"{rnd.title}（{who}）"), rnd.opened_at)
    return download(data, "xlsx", f"{rnd.title}-{who}.xlsx", f"round-{rnd.id}-sheet.xlsx")


def saved_upload(upload: UploadFile, folder: FilePath) -> FilePath:
    """The upload copied to a file (the reader needs a path with its suffix), refused beyond the size bound."""
    name = upload.filename or ""
    suffix = FilePath(name).suffix.lower()
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise DataImportError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请上传本页下载的 .xlsx 填报表（或 .csv）",
                              file=name[:100] or "上传文件")
    path = folder / f"upload{suffix}"
    limit = DEFAULT_LIMITS.file_bytes
    with path.open("wb") as out:
        copied = 0
        while chunk := upload.file.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                raise DataImportError(f"文件超过上限 {megabytes(limit)}", file=name[:100])
            out.write(chunk)
    return path


def sheet_problem_text(p: Any) -> str:
    where = f"第 {p.row} 行" if getattr(p, "row", None) else "表格"
    what = f"（{p.indicator}{' ' + p.region if p.region else ''}）" if getattr(p, "indicator", "") else ""
    return f"{where}{what}{problem_text(p)}" if hasattr(p, "field") else f"{where}：{p}"


@router.post("/rounds/{round_id}/sheet", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[CSRF])
def sheet_upload(request: Request, round_id: RoundId, file: Annotated[UploadFile, File()],
                 action: Annotated[str, Form(max_length=20)] = "save", viewer: Viewer = Depends(require("report")),
                 dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """Enter an uploaded sheet: read as ``planwatch import`` reads, checked as the form is, all rows or none."""
    user = account(viewer)
    rnd = find_round(dash, round_id)
    submit = action == "submit"
    with tempfile.TemporaryDirectory(prefix="planwatch-sheet-") as folder:
        try:
            figures = read_sheet(saved_upload(file, FilePath(folder)), year=rnd.year)
            todo = worth_entering(dash, user, rnd, figures, submit)
            done = enter_figures(dash.store, rnd, user, todo, submit=submit, where=file.filename or "上传文件")
        except (DataImportError, AccessError) as exc:
            problems = [sheet_problem_text(p) for p in getattr(exc, "problems", [])] or [str(exc)]
            if isinstance(exc, AccessError):
                problems = [s for s in str(exc).split("；") if s]
            return render(request, "round_todo.html", todo_context(
                dash, user, rnd, refused=True, sheet_problems=problems,
                message=f"上传的表格有 {len(problems)} 处问题，未保存任何数据"),
                status_code=403 if isinstance(exc, AccessError) else 422)
        except ConflictError as exc:
            return render(request, "round_todo.html", todo_context(dash, user, rnd, message=str(exc), refused=True),
                          status_code=409)
        finally:
            file.file.close()
    verb = "报送" if submit else "保存为草稿"
    return render(request, "round_todo.html", todo_context(
        dash, user, rnd, message=f"已从上传的表格{verb} {len(done)} 项数据" if done else "表格与已填报的数据相同，没有改动"))


# ---------------------------------------------------------------- one submission: history and decisions


@router.get("/submissions/{submission_id}", response_class=HTMLResponse, include_in_schema=False)
def submission_page(request: Request, submission_id: SubmissionId, viewer: Viewer = Depends(SIGNED_IN),
                    dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """One figure with its whole history; planners approve or return it here."""
    return render(request, "submission.html", submission_context(dash, account(viewer), submission_id))


@router.get("/api/submissions/{submission_id}", tags=["rounds"])
def get_submission(submission_id: SubmissionId, viewer: Viewer = Depends(SIGNED_IN),
                   dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """One figure with every step (a reporter sees its own unit's only)."""
    return submission_context(dash, account(viewer), submission_id)


def decide(dash: Dashboard, user: User, submission_id: int, action: str, comment: str | None,
           version: int | None) -> dict[str, Any]:
    """Take a step on a submission (within the account's scope) on the version the person saw."""
    from .round_context import check_scope

    sub = dash.store.submission(submission_id)
    check_scope(user, sub)
    find_round(dash, sub.round_id)
    if action == "withdraw" and user.role != "reporter":
        raise AccessError("撤回由填报单位操作：规划处请用“退回”并写明意见")
    done = dash.store.decide(sub.id, action, actor=user.name, comment=comment,
                                            expected_version=version)
    return submission_record(done, dash.snapshot().plan)


def seen_version(text: str) -> int | None:
    """The version a form says its sender saw (its hidden ``version`` field); None when blank or not a number,
    and the step is then taken on whatever version is current."""
    try:
        return int(text[:12]) if text else None
    except ValueError:
        return None


def decision_form(request: Request, dash: Dashboard, user: User, submission_id: int, action: str,
                  comment: str, version: str) -> Response:
    try:
        decide(dash, user, submission_id, action, comment, seen_version(version))
    except (ConflictError, InputError) as exc:
        status = 409 if isinstance(exc, ConflictError) else 400
        return render(request, "submission.html", submission_context(dash, user, submission_id, message=str(exc)),
                      status_code=status)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/submissions/{submission_id}", status_code=303)


COMMENT = Form(max_length=COMMENT_CHARS + 1)
VERSION = Form(max_length=12)


@router.post("/submissions/{submission_id}/approve", include_in_schema=False, dependencies=[CSRF])
def approve_form(request: Request, submission_id: SubmissionId, comment: Annotated[str, COMMENT] = "",
                 version: Annotated[str, VERSION] = "", viewer: Viewer = Depends(require("review")),
                 dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, account(viewer), submission_id, "approve", comment, version)


@router.post("/submissions/{submission_id}/return", include_in_schema=False, dependencies=[CSRF])
def return_form(request: Request, submission_id: SubmissionId, comment: Annotated[str, COMMENT] = "",
                version: Annotated[str, VERSION] = "", viewer: Viewer = Depends(require("review")),
                dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, account(viewer), submission_id, "return", comment, version)


@router.post("/submissions/{submission_id}/withdraw", include_in_schema=False, dependencies=[CSRF])
def withdraw_form(request: Request, submission_id: SubmissionId, version: Annotated[str, VERSION] = "",
                  viewer: Viewer = Depends(require("report")), dash: Dashboard = Depends(dashboard)) -> Response:
    return decision_form(request, dash, account(viewer), submission_id, "withdraw", "", version)


@router.post("/api/submissions/{submission_id}/approve", tags=["rounds"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_approve(submission_id: SubmissionId, body: DecisionIn | None = None, viewer: Viewer = Depends(require("review")),
                dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Approve a submitted figure (planning office): from now on it counts in the evaluation."""
    body = body or DecisionIn()
    return decide(dash, account(viewer), submission_id, "approve", body.comment, body.version)


@router.post("/api/submissions/{submission_id}/return", tags=["rounds"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_return(submission_id: SubmissionId, body: DecisionIn, viewer: Viewer = Depends(require("review")),
               dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Return a submitted figure to its unit with a comment saying what to change (planning office)."""
    return decide(dash, account(viewer), submission_id, "return", body.comment, body.version)


@router.post("/api/submissions/{submission_id}/withdraw", tags=["rounds"], dependencies=[CSRF],
             responses=DECISION_RESPONSES)
def api_withdraw(submission_id: SubmissionId, body: DecisionIn | None = None, viewer: Viewer = Depends(require("report")),
                 dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """Withdraw a figure not yet approved (its unit); the history keeps it."""
    body = body or DecisionIn()
    return decide(dash, account(viewer), submission_id, "withdraw", body.comment, body.version)


# ---------------------------------------------------------------- the round board


@router.get("/rounds/{round_id}/board", response_class=HTMLResponse, include_in_schema=False)
def board_page(request: Request, round_id: RoundId, viewer: Viewer = Depends(require("rounds")),
               dash: Dashboard = Depends(dashboard)) -> HTMLResponse:
    """Per responsible unit: figures due, in each state and not entered; what is overdue; what is unassigned."""
    return render(request, "round_board.html", board_context(dash, find_round(dash, round_id)))


@router.get("/api/rounds/{round_id}/board", tags=["rounds"])
def get_board(round_id: RoundId, viewer: Viewer = Depends(require("rounds")),
              dash: Dashboard = Depends(dashboard)) -> dict[str, Any]:
    """The round board: counts per responsible unit, totals, unassigned indicators and every submission."""
    return board_context(dash, find_round(dash, round_id))


@router.get("/rounds/{round_id}/board.csv", include_in_schema=False)
def board_csv(round_id: RoundId, viewer: Viewer = Depends(require("rounds")),
              dash: Dashboard = Depends(dashboard)) -> Response:
    return board_export(dash, round_id, "csv")


@router.get("/rounds/{round_id}/board.xlsx", include_in_schema=False)
def board_xlsx(round_id: RoundId, viewer: Viewer = Depends(require("rounds")),
               dash: Dashboard = Depends(dashboard)) -> Response:
    return board_export(dash, round_id, "xlsx")


def board_export(dash: Dashboard, round_id: int, fmt: str) -> Response:
    """The board's unit table as CSV or XLSX (dated by the round's opening: the same board, the same bytes)."""
    rnd = find_round(dash, round_id)
    header, rows = board_table(board_context(dash, rnd))
    return table_response([Table("填报进度", tuple(header), [tuple(row) for row in rows])], fmt,
                          f"{rnd.title}-填报进度", f"round-{rnd.id}-board", rnd.opened_at)
