"""Administration in the browser: accounts (admin), responsibility for each indicator (planner) and the
workspace settings (admin), each page with its JSON twin built by the same context function.

Every change goes through the Store method that audits it, with the account acting as ``actor``. The
store refuses bad input with an InputError (400), a state that forbids it with a ConflictError (409:
the last admin, a name taken) and an unknown account with a NotFoundError (404); a form shows the
message above itself again.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from planwatch.errors import ConflictError, DataImportError, InputError, PlanwatchError
from planwatch.observe.assignments import SHEET_COLUMNS, assignments_from_sheet
from planwatch.observe.limits import MAX_FILE_BYTES
from planwatch.observe.tables import TEXT_SUFFIXES, XLSX_SUFFIXES
from planwatch.store import Assignment, Responsibility, Store, User, WorkspaceSettings
from planwatch.store.accounts import NAME_CHARS, PASSWORD_MAX, PASSWORD_MIN, ROLES, UNIT_CHARS, printable, split_units
from planwatch.store.workspace import setting_kind
from planwatch.vocabulary import fmt_moment

from .auth import CSRF, Viewer, require
from .render import render
from .state import dashboard

router = APIRouter(tags=["admin"])
ACCOUNTS = Depends(require("accounts"))
PLAN = Depends(require("plan"))
SETTINGS = Depends(require("settings"))
FIELD = 1024  # longest form field taken (names, units and passwords are bounded tighter by the store)
FLASH = "flash"  # the session key of the one-line notice shown after a redirect


def actor(viewer: Viewer) -> str:
    assert viewer.user is not None  # every route here requires a permission no anonymous visitor holds
    return viewer.user.name


def flash(request: Request, message: str) -> None:
    request.session[FLASH] = message


def take_flash(request: Request) -> str | None:
    message = request.session.pop(FLASH, None)
    return message if isinstance(message, str) else None


def back_to(request: Request, path: str, message: str) -> RedirectResponse:
    """After a change: a notice for the next page, and a GET of it (a reload does not post again)."""
    flash(request, message)
    base = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{base}{path}", status_code=303)


def status_of(exc: PlanwatchError) -> int:
    from .error_pages import status_of as status

    return status(exc)


# ---------------------------------------------------------------- accounts


class UserRecord(BaseModel):
    """An account as listed (never its password hash)."""

    name: str
    role: str = Field(description="admin / planner / reporter / viewer")
    role_label: str
    unit: str | None = Field(None, description="责任单位（reporter 必填）")
    region: str | None = None
    disabled: bool
    state_label: str = Field(description="启用 / 已停用")
    created_at: datetime


class NewUser(BaseModel):
    """An account to create."""

    name: str = Field(max_length=NAME_CHARS)
    role: str = Field(description="admin / planner / reporter / viewer", max_length=20)
    unit: str | None = Field(None, max_length=UNIT_CHARS, description="责任单位（reporter 必填）")
    region: str | None = Field(None, max_length=UNIT_CHARS, description="地区（可选，须是数据库中的地区）")
    password: str = Field(min_length=1, max_length=PASSWORD_MAX, description=f"初始密码，至少 {PASSWORD_MIN} 个字符")


class NewPassword(BaseModel):
    """A password an admin sets for an account."""

    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


def user_record(user: User) -> UserRecord:
    return UserRecord(name=user.name, role=user.role, role_label=user.role_label, unit=user.unit, region=user.region,
                      disabled=user.disabled, state_label="已停用" if user.disabled else "启用",
                      created_at=user.created_at)


def users_context(store: Store) -> dict[str, Any]:
    """The accounts page and /api/users: every account, the roles and the regions a form offers."""
    users = [{**user_record(u).model_dump(mode="json"), "created_display": fmt_moment(u.created_at)}
             for u in store.users()]
    return {"users": users,
            "roles": [{"code": code, "label": label} for code, label in ROLES.items()],
            "regions": [r.name for r in store.regions()],
            "password_min": PASSWORD_MIN}


def known_user(store: Store, name: str) -> User:
    return store.user(name[:NAME_CHARS + 1])


def add_account(store: Store, new: NewUser, by: str) -> User:
    """Create an account: a taken name is a 409, anything else the store refuses a 400."""
    printable(new.unit, "责任单位")
    printable(new.region, "地区")
    return store.add_user(new.name, role=new.role, password=new.password, unit=new.unit or None,
                          region=new.region or None, actor=by)


def disable_account(store: Store, name: str, by: str) -> User:
    """Disable an account: the last active admin is a 409 with the store's message."""
    user = known_user(store, name)
    if user.disabled:
        raise ConflictError(f"用户 {name} 已停用")
    return store.disable_user(name, actor=by)


def reset_password(store: Store, name: str, password: str, by: str) -> None:
    known_user(store, name)
    store.set_password(name, password, actor=by)


def users_page_response(request: Request, *, error: str | None = None, form: dict | None = None,
                        status_code: int = 200) -> HTMLResponse:
    ctx = users_context(dashboard(request).store)
    return render(request, "admin_users.html", {**ctx, "error": error, "notice": take_flash(request),
                                                "form": form or {"name": "", "role": "reporter", "unit": "",
                                                                 "region": ""}}, status_code=status_code)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False, dependencies=[ACCOUNTS])
def users_page(request: Request) -> HTMLResponse:
    """Accounts: list, add, disable, reset a password."""
    return users_page_response(request)


@router.post("/admin/users", include_in_schema=False, dependencies=[ACCOUNTS, CSRF])
def users_add_form(request: Request, name: Annotated[str, Form(max_length=FIELD)] = "",
                   role: Annotated[str, Form(max_length=FIELD)] = "",
                   unit: Annotated[str, Form(max_length=FIELD)] = "",
                   region: Annotated[str, Form(max_length=FIELD)] = "",
                   password: Annotated[str, Form(max_length=FIELD)] = "",
                   viewer: Viewer = ACCOUNTS) -> Response:
    form = {"name": name[:NAME_CHARS], "role": role[:20], "unit": unit[:UNIT_CHARS], "region": region[:UNIT_CHARS]}
    try:
        user = add_account(dashboard(request).store, NewUser.model_construct(
            name=name, role=role, unit=unit, region=region, password=password), actor(viewer))
    except PlanwatchError as exc:
        return users_page_response(request, error=str(exc), form=form, status_code=status_of(exc))
    return back_to(request, "/admin/users", f"已新增账号 {user.name}（{user.role_label}）")


@router.post("/admin/users/{name}/disable", include_in_schema=False, dependencies=[ACCOUNTS, CSRF])
def users_disable_form(request: Request, name: str, viewer: Viewer = ACCOUNTS) -> Response:
    try:
        disable_account(dashboard(request).store, name, actor(viewer))
    except PlanwatchError as exc:
        return users_page_response(request, error=str(exc), status_code=status_of(exc))
    return back_to(request, "/admin/users", f"已停用账号 {name}")


@router.post("/admin/users/{name}/password", include_in_schema=False, dependencies=[ACCOUNTS, CSRF])
def users_password_form(request: Request, name: str, password: Annotated[str, Form(max_length=FIELD)] = "",
                        viewer: Viewer = ACCOUNTS) -> Response:
    try:
        reset_password(dashboard(request).store, name, password, actor(viewer))
    except PlanwatchError as exc:
        return users_page_response(request, error=f"重置 {name[:NAME_CHARS]} 的密码失败：{exc}",
                                   status_code=status_of(exc))
    return back_to(request, "/admin/users", f"已重置 {name} 的密码：该账号原有的登录和令牌已失效")


@router.get("/api/users", tags=["api"], response_model=list[UserRecord], dependencies=[ACCOUNTS])
def api_users(request: Request) -> list[dict[str, Any]]:
    """Every account, by name (admins only)."""
    return users_context(dashboard(request).store)["users"]


@router.post("/api/users", tags=["api"], status_code=201, response_model=UserRecord, dependencies=[ACCOUNTS, CSRF])
def api_add_user(request: Request, new: NewUser, viewer: Viewer = ACCOUNTS) -> UserRecord:
    """Create an account (admins only): 201 with the account; 409 when the name is taken."""
    return user_record(add_account(dashboard(request).store, new, actor(viewer)))


@router.post("/api/users/{name}/disable", tags=["api"], response_model=UserRecord, dependencies=[ACCOUNTS, CSRF])
def api_disable_user(request: Request, name: str, viewer: Viewer = ACCOUNTS) -> UserRecord:
    """Disable an account (kept, never deleted); 409 for the last active admin."""
    return user_record(disable_account(dashboard(request).store, name, actor(viewer)))


@router.post("/api/users/{name}/password", tags=["api"], response_model=UserRecord, dependencies=[ACCOUNTS, CSRF])
def api_reset_password(request: Request, name: str, body: NewPassword, viewer: Viewer = ACCOUNTS) -> UserRecord:
    """Set an account's password (admins only): its sessions and tokens end."""
    store = dashboard(request).store
    reset_password(store, name, body.password, actor(viewer))
    return user_record(store.user(name))


# ---------------------------------------------------------------- responsibilities


class AssignmentIn(BaseModel):
    """One indicator's lead unit and co-operating units."""

    indicator: str = Field(max_length=200, description="指标编号、序号或名称，如 T2-1")
    lead_unit: str = Field(max_length=UNIT_CHARS, description="牵头单位")
    co_units: list[str] = Field(default_factory=list, max_length=50, description="配合单位")


class ResponsibilityRow(BaseModel):
    """A current indicator of the plan and who answers for it (lead_unit null: not assigned yet)."""

    indicator: str
    no: str | None = None
    name: str
    category: str | None = None
    lead_unit: str | None = None
    co_units: list[str] = Field(default_factory=list)
    assigned_at: datetime | None = None


def responsibilities_context(store: Store, plan_key: str | None) -> dict[str, Any]:
    """The responsibility page and /api/responsibilities: every current indicator with its units."""
    plan = store.plan(plan_key)
    held = {r.indicator: r for r in store.responsibilities(plan_key)}
    rows = []
    for ind in plan.current_indicators():
        r = held.get(ind.id)
        rows.append(ResponsibilityRow(indicator=ind.id, no=ind.no, name=ind.name, category=ind.category,
                                      lead_unit=r.lead_unit if r else None, co_units=r.co_units if r else [],
                                      assigned_at=r.assigned_at if r else None).model_dump(mode="json"))
    return {"plan": plan.meta.title, "rows": rows, "assigned": len(held), "columns": list(SHEET_COLUMNS)}


def assign_all(store: Store, entries: list[Assignment], plan_key: str | None, by: str) -> list[Responsibility]:
    """Write the assignments all or nothing; a refusal lists every problem (422)."""
    for e in entries:
        printable(e.indicator, "指标")
        printable(e.lead_unit, f"指标 {e.indicator[:40]} 的牵头单位")
        for unit in e.co_units:
            printable(unit, f"指标 {e.indicator[:40]} 的配合单位")
    try:
        return store.assign_many(entries, plan_key=plan_key, actor=by)
    except DataImportError:
        raise
    except InputError as exc:  # one problem: listed like several, so the form shows it the same way
        raise DataImportError(str(exc), problems=[str(exc)]) from None


def form_assignments(store: Store, plan_key: str | None, form: dict[str, str]) -> list[Assignment]:
    """The rows of the responsibility form that differ from what is stored (blank rows left as they are)."""
    held = {r.indicator: r for r in store.responsibilities(plan_key)}
    entries = []
    for ind in store.plan(plan_key).current_indicators():
        lead = (form.get(f"lead.{ind.id}") or "").strip()
        co = split_units(form.get(f"co.{ind.id}") or "")
        old = held.get(ind.id)
        if old is None and not lead and not co:
            continue
        if old is not None and old.lead_unit == lead and old.co_units == co:
            continue
        entries.append(Assignment(indicator=ind.id, lead_unit=lead, co_units=co))
    return entries


def responsibilities_page_response(request: Request, *, error: str | None = None, problems: list | None = None,
                                   typed: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    dash = dashboard(request)
    ctx = responsibilities_context(dash.store, dash.settings.plan)
    if typed:  # show what was typed, not what is stored, next to the problems
        for row in ctx["rows"]:
            row["lead_unit"] = typed.get(f"lead.{row['indicator']}", row["lead_unit"])
            row["co_text"] = typed.get(f"co.{row['indicator']}")
    for row in ctx["rows"]:
        row.setdefault("co_text", None)
        if row["co_text"] is None:
            row["co_text"] = "、".join(row["co_units"])
    return render(request, "admin_responsibilities.html",
                  {**ctx, "error": error, "problems": problems or [], "notice": take_flash(request)},
                  status_code=status_code)


@router.get("/admin/responsibilities", response_class=HTMLResponse, include_in_schema=False, dependencies=[PLAN])
def responsibilities_page(request: Request) -> HTMLResponse:
    """Who answers for each indicator: one form for all, and a sheet upload."""
    return responsibilities_page_response(request)


@router.post("/admin/responsibilities", include_in_schema=False, dependencies=[PLAN, CSRF])
async def responsibilities_form(request: Request, viewer: Viewer = PLAN) -> Response:
    dash = dashboard(request)
    form = await request.form()
    typed = {k: v[:FIELD] for k, v in form.items() if isinstance(v, str) and k.startswith(("lead.", "co."))}
    try:
        entries = form_assignments(dash.store, dash.settings.plan, typed)
        if not entries:
            return back_to(request, "/admin/responsibilities", "没有改动")
        done = assign_all(dash.store, entries, dash.settings.plan, actor(viewer))
    except PlanwatchError as exc:
        return responsibilities_page_response(request, error=str(exc), problems=getattr(exc, "problems", None),
                                              typed=typed, status_code=status_of(exc))
    return back_to(request, "/admin/responsibilities", f"已保存 {len(done)} 项指标的分工")


async def saved_upload(upload: UploadFile, folder: Path) -> Path:
    """The uploaded sheet written to ``folder`` under its own suffix, refused beyond the import size limit."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise InputError(f"不支持的文件类型 {suffix or '（无扩展名）'}：分工表应为 .xlsx 或 .csv")
    path = folder / f"sheet{suffix}"
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise InputError(f"上传的分工表超过 {MAX_FILE_BYTES // (1024 * 1024)} MB：请检查文件")
            out.write(chunk)
    return path


async def assignments_from_upload(upload: UploadFile) -> list[Assignment]:
    """The assignments of an uploaded sheet, read by the hardened table reader; the file name in
    messages is the uploaded one, not the server's temporary path."""
    with tempfile.TemporaryDirectory(prefix="planwatch-assign-") as folder:
        path = await saved_upload(upload, Path(folder))
        try:
            return assignments_from_sheet(path)
        except InputError as exc:
            message = str(exc).replace(str(path), upload.filename or "分工表")
            raise DataImportError(message, problems=getattr(exc, "problems", None)) from None


@router.post("/admin/responsibilities/upload", include_in_schema=False, dependencies=[PLAN, CSRF])
async def responsibilities_upload(request: Request, sheet: Annotated[UploadFile, File()],
                                  viewer: Viewer = PLAN) -> Response:
    dash = dashboard(request)
    try:
        entries = await assignments_from_upload(sheet)
        done = assign_all(dash.store, entries, dash.settings.plan, actor(viewer))
    except PlanwatchError as exc:
        return responsibilities_page_response(request, error=str(exc), problems=getattr(exc, "problems", None),
                                              status_code=status_of(exc))
    return back_to(request, "/admin/responsibilities", f"已从 {sheet.filename} 写入 {len(done)} 项指标的分工")


@router.get("/api/responsibilities", tags=["api"], response_model=list[ResponsibilityRow], dependencies=[PLAN])
def api_responsibilities(request: Request) -> list[dict[str, Any]]:
    """Every current indicator of the plan with its lead and co-operating units (planners)."""
    dash = dashboard(request)
    return responsibilities_context(dash.store, dash.settings.plan)["rows"]


@router.put("/api/responsibilities", tags=["api"], response_model=list[ResponsibilityRow], dependencies=[PLAN, CSRF])
def api_assign(request: Request, entries: Annotated[list[AssignmentIn], Body(max_length=2000)],
               viewer: Viewer = PLAN) -> list[dict[str, Any]]:
    """Set the listed indicators' units, all or nothing (422 listing every problem); answers the whole list."""
    dash = dashboard(request)
    assign_all(dash.store, [Assignment(indicator=e.indicator, lead_unit=e.lead_unit, co_units=e.co_units)
                            for e in entries], dash.settings.plan, actor(viewer))
    return responsibilities_context(dash.store, dash.settings.plan)["rows"]


# ---------------------------------------------------------------- workspace settings


class SettingField(BaseModel):
    """One workspace setting: its value, default and meaning (from the model's own description)."""

    name: str
    kind: str = Field(description="bool / int / float")
    value: Any
    default: Any
    description: str


class SettingsOut(BaseModel):
    """The workspace settings and what each means."""

    settings: dict[str, Any]
    fields: list[SettingField]


def settings_context(settings: WorkspaceSettings) -> dict[str, Any]:
    """The settings page and /api/settings: every setting, described once, in WorkspaceSettings."""
    fields = [SettingField(name=name, kind=setting_kind(name), value=getattr(settings, name),
                           default=field.get_default(call_default_factory=True),
                           description=field.description or name).model_dump(mode="json")
              for name, field in WorkspaceSettings.model_fields.items()]
    return {"settings": settings.model_dump(mode="json"), "fields": fields}




def change_settings(request: Request, values: dict[str, Any], by: str) -> WorkspaceSettings:
    dash = dashboard(request)
    changed = dash.store.change_settings(values, actor=by)
    dash.forget_workspace()  # this process reads them again at once; others within their interval
    return changed


def settings_page_response(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    ctx = settings_context(dashboard(request).store.workspace_settings())
    return render(request, "admin_settings.html", {**ctx, "error": error, "notice": take_flash(request)},
                  status_code=status_code)


@router.get("/admin/settings", response_class=HTMLResponse, include_in_schema=False, dependencies=[SETTINGS])
def settings_page(request: Request) -> HTMLResponse:
    """The workspace settings in one form."""
    return settings_page_response(request)


SETTING_CHARS = 40


@router.post("/admin/settings", include_in_schema=False, dependencies=[SETTINGS, CSRF])
async def settings_form(request: Request, viewer: Viewer = SETTINGS) -> Response:
    form = await request.form()
    values: dict[str, Any] = {}
    for name in WorkspaceSettings.model_fields:
        if setting_kind(name) == "bool":  # an unticked box is not sent at all
            values[name] = form.get(name) == "on"
        elif isinstance(form.get(name), str):
            text = str(form.get(name)).strip()
            if len(text) > SETTING_CHARS:  # refused, never cut: a cut number is another number
                raise InputError(f"设置 {name} 的值过长（{len(text)} 个字符）：应为一个数字，如 0.3")
            values[name] = text
    try:
        change_settings(request, values, actor(viewer))
    except PlanwatchError as exc:
        return settings_page_response(request, error=str(exc), status_code=status_of(exc))
    return back_to(request, "/admin/settings", "设置已保存")


@router.get("/api/settings", tags=["api"], response_model=SettingsOut, dependencies=[SETTINGS])
def api_settings(request: Request) -> dict[str, Any]:
    """The workspace settings with their meaning (admins only)."""
    return settings_context(dashboard(request).store.workspace_settings())


@router.put("/api/settings", tags=["api"], response_model=SettingsOut, dependencies=[SETTINGS, CSRF])
def api_change_settings(request: Request, values: Annotated[dict[str, Any], Body(max_length=50)],
                        viewer: Viewer = SETTINGS) -> dict[str, Any]:
    """Change settings by name, all together or none (400 naming each invalid one); answers them all."""
    return settings_context(change_settings(request, values, actor(viewer)))
