"""The audit page (操作记录): every change, newest first, with who, when, what and before → after;
filtered by account, action, subject and date, paged, and exported as CSV or XLSX.

The page, ``/api/audit`` and both exports read the same filters and render an entry the same way
(:func:`entry_record`): an action by its label in :data:`planwatch.vocabulary.AUDIT_ACTION_LABELS`, a
moment by :func:`planwatch.vocabulary.fmt_moment`, a state or role by its own label. The exports are
byte-identical for the same entries and no text cell of them runs as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from planwatch.errors import InputError
from planwatch.figures import fmt_number
from planwatch.model import RoundState, SubmissionState, TaskState
from planwatch.store import Store
from planwatch.store.accounts import ROLES
from planwatch.store.audit import AuditEntry
from planwatch.vocabulary import (
    AUDIT_ACTION_LABELS,
    AUDIT_FIELD_LABELS,
    BEIJING_TIME,
    MISSING,
    ROUND_STATE_LABELS,
    audit_action_label,
    fmt_moment,
    submission_state_label,
    task_state_label,
)

from .auth import require
from .downloads import Table, csv_bytes, xlsx_bytes
from .render import render
from .state import dashboard

router = APIRouter(tags=["audit"], dependencies=[Depends(require("audit"))])
PAGE_SIZE = 50
EXPORT_MAX = 100_000  # entries one export holds; a narrower filter gets the rest
EXPORT_HEADER = ("编号", "时间", "操作人", "操作", "操作代码", "对象", "修改前", "修改后")

ACTOR = Query(None, max_length=80, description="操作人（账号名）")
ACTION = Query(None, max_length=40, description="操作代码，如 user.add、submission.approve")
SUBJECT = Query(None, max_length=200, description="对象包含的文字")
SINCE = Query(None, description="起始日期（含），北京时间 YYYY-MM-DD")
UNTIL = Query(None, description="截止日期（含），北京时间 YYYY-MM-DD")
PAGE = Query(1, ge=1, le=100_000, description="页码（每页 50 条）")


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page is asked to show."""

    actor: str | None = None
    action: str | None = None
    subject: str | None = None
    since: date | None = None
    until: date | None = None

    def query(self, **extra: Any) -> str:
        """The filter as a URL query (blank parts left out)."""
        parts = {"actor": self.actor, "action": self.action, "subject": self.subject,
                 "since": self.since.isoformat() if self.since else None,
                 "until": self.until.isoformat() if self.until else None, **extra}
        return urlencode({k: v for k, v in parts.items() if v not in (None, "")})

    def store_filters(self) -> dict[str, Any]:
        """The filter as Store.audit_entries takes it: dates as a Beijing-time day range."""
        if self.since and self.until and self.since > self.until:
            raise InputError(f"起始日期 {self.since} 晚于截止日期 {self.until}")
        return {"actor": self.actor or None, "action": self.action or None, "subject_contains": self.subject or None,
                "since": day_start(self.since), "until": day_start(self.until + timedelta(days=1)) if self.until else None}


def day_start(day: date | None) -> datetime | None:
    """Midnight of a day in Beijing time (the times a reader sees), as an aware moment."""
    return None if day is None else datetime.combine(day, time(0), tzinfo=BEIJING_TIME)


def audit_filter(actor: str | None = ACTOR, action: str | None = ACTION, subject: str | None = SUBJECT,
                 since: date | None = SINCE, until: date | None = UNTIL) -> AuditFilter:
    return AuditFilter((actor or "").strip() or None, (action or "").strip() or None,
                       (subject or "").strip() or None, since, until)


# ---------------------------------------------------------------- how an entry reads


def readable(field: str, value: Any, action: str = "") -> str:
    """One recorded value as a reader sees it: a state or role by its label, a flag 是/否, a list joined."""
    if value is None or value == "" or value == []:
        return MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "state" and isinstance(value, str):
        if value in SubmissionState.__members__:
            return submission_state_label(value)
        if value in RoundState.__members__:
            return ROUND_STATE_LABELS[RoundState(value)]
        if value in TaskState.__members__:  # a task's progress, in a work report's content
            return task_state_label(value)
    if field == "role" and isinstance(value, str):
        return ROLES.get(value, value)
    if isinstance(value, float):
        return fmt_number(value)
    if field.endswith("_at") and isinstance(value, str):
        try:  # a recorded moment: shown in Beijing time like every other
            return fmt_moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return "、".join(readable(field, v, action) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(k, action)}：{readable(k, v, action)}" for k, v in value.items())
    return str(value)


def field_label(field: str, action: str = "") -> str:
    """A recorded field's name (as the action's kind of subject means it, e.g. an account's unit)."""
    kind = action.split(".")[0]
    return AUDIT_FIELD_LABELS.get(f"{kind}.{field}") or AUDIT_FIELD_LABELS.get(field, field)


def changes(entry: AuditEntry) -> list[dict[str, str]]:
    """What changed, field by field (only the fields that differ when both sides are records)."""
    before, after = entry.before, entry.after
    if isinstance(before, dict) or isinstance(after, dict):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        fields = list(dict.fromkeys([*new, *old]))
        act = entry.action
        return [{"field": f, "label": field_label(f, act), "before": readable(f, old.get(f), act),
                 "after": readable(f, new.get(f), act)} for f in fields if old.get(f) != new.get(f)]
    if before is None and after is None:
        return []
    return [{"field": "", "label": "", "before": readable("", before), "after": readable("", after)}]


def side(rows: list[dict[str, str]], which: str) -> str:
    """One side of the changes as one line: 状态：已报送；数值：7569.5."""
    return "；".join(f"{r['label']}：{r[which]}" if r["label"] else r[which] for r in rows)


def entry_record(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the page, the API and the exports show it."""
    rows = changes(entry)
    created = entry.before is None and isinstance(entry.after, dict)  # nothing before it: only the content
    return {"id": entry.id, "at": entry.at.isoformat(), "at_display": fmt_moment(entry.at, seconds=True),
            "actor": entry.actor, "action": entry.action, "action_label": audit_action_label(entry.action),
            "subject": entry.subject, "before": entry.before, "after": entry.after, "changes": rows,
            "before_display": "" if created else side(rows, "before"), "after_display": side(rows, "after"),
            "created": created}


# ---------------------------------------------------------------- the page's context


def audit_context(store: Store, chosen: AuditFilter, page: int = 1) -> dict[str, Any]:
    """The audit page and /api/audit: one page of the filtered entries, newest first, and the choices."""
    filters = chosen.store_filters()
    total = store.audit_count(**filters)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    entries = store.audit_entries(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return {
        "entries": [entry_record(e) for e in entries],
        "total": total, "page": page, "pages": pages, "page_size": PAGE_SIZE,
        "filters": {"actor": chosen.actor, "action": chosen.action, "subject": chosen.subject,
                    "since": chosen.since.isoformat() if chosen.since else None,
                    "until": chosen.until.isoformat() if chosen.until else None},
        "query": chosen.query(),
        "previous": chosen.query(page=page - 1) if page > 1 else None,
        "next": chosen.query(page=page + 1) if page < pages else None,
        "actors": store.audit_actors(),
        "actions": [{"code": code, "label": label} for code, label in AUDIT_ACTION_LABELS.items()],
    }


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, chosen: AuditFilter = Depends(audit_filter), page: int = PAGE) -> HTMLResponse:
    """Every change, newest first, with filters, paging and exports."""
    return render(request, "audit.html", audit_context(dashboard(request).store, chosen, page))


@router.get("/api/audit", tags=["api"])
def api_audit(request: Request, chosen: AuditFilter = Depends(audit_filter), page: int = PAGE) -> dict[str, Any]:
    """One page of recorded changes, newest first: ``entries`` (id, at, actor, action, action_label, subject,
    before, after, changes), ``total``, ``page``, ``pages``, the filters and the actions that can be chosen."""
    return audit_context(dashboard(request).store, chosen, page)


# ---------------------------------------------------------------- exports


def export_rows(store: Store, chosen: AuditFilter) -> list[list[str | int]]:
    """Every filtered entry (up to EXPORT_MAX), newest first, as the export's rows."""
    rows: list[list[str | int]] = []
    for e in store.audit_entries(**chosen.store_filters(), limit=EXPORT_MAX):
        r = entry_record(e)
        rows.append([r["id"], r["at_display"], r["actor"], r["action_label"], r["action"], r["subject"],
                     r["before_display"], r["after_display"]])
    return rows


def audit_table(rows: list[list[str | int]]) -> Table:
    return Table("操作记录", EXPORT_HEADER, [tuple(row) for row in rows])


def audit_csv(rows: list[list[str | int]]) -> bytes:
    """The rows as UTF-8 CSV with a BOM (Excel reads the Chinese), text cells neutralised."""
    return csv_bytes([audit_table(rows)])


def audit_xlsx(rows: list[list[str | int]]) -> bytes:
    """The rows as an XLSX workbook, every text a string cell, byte-identical for the same rows."""
    # The document's time is fixed (not the clock), so two exports of the same entries are identical.
    return xlsx_bytes([audit_table(rows)], datetime(2000, 1, 1))


def download(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/audit.csv", include_in_schema=False)
def audit_csv_export(request: Request, chosen: AuditFilter = Depends(audit_filter)) -> Response:
    """The filtered entries as CSV."""
    return download(audit_csv(export_rows(dashboard(request).store, chosen)), "text/csv; charset=utf-8", "audit.csv")


@router.get("/audit.xlsx", include_in_schema=False)
def audit_xlsx_export(request: Request, chosen: AuditFilter = Depends(audit_filter)) -> Response:
    """The filtered entries as XLSX."""
    return download(audit_xlsx(export_rows(dashboard(request).store, chosen)),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "audit.xlsx")
