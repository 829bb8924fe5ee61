"""The audit log: every change with who, when, before and after (JSON), oldest first by id.

Writers record inside their own transaction, so a change and its audit row land together or not at
all. Failed logins are rows too (action ``login_failed``): the login throttle counts them, so the
throttle holds across server processes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from . import schema
from .plans import now

# Who made a change from the command line (the store has no login there).
CLI_ACTOR = "命令行"
LOGIN_FAILED = "login_failed"


class AuditEntry(BaseModel):
    """One recorded change."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Any = None
    after: Any = None


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(conn: Connection, actor: str, action: str, subject: str, *, before: Any = None, after: Any = None) -> None:
    """Add one entry; ``before`` and ``after`` are JSON-ready values (None when there is none)."""
    conn.execute(schema.audit_log.insert().values(at=now(), actor=actor, action=action, subject=subject,
                                                  before=_json(before), after=_json(after)))


def _filtered(query, *, actor: str | None, action: str | None, subject: str | None,
              subject_contains: str | None, since: datetime | None, until: datetime | None):
    a = schema.audit_log.c
    for column, value in ((a.actor, actor), (a.action, action), (a.subject, subject)):
        if value:
            query = query.where(column == value)
    if subject_contains:
        # autoescape: a % or _ typed into the filter matches itself, not any text
        query = query.where(a.subject.contains(subject_contains, autoescape=True))
    if since is not None:
        query = query.where(a.at >= since)
    if until is not None:
        query = query.where(a.at < until)
    return query


def entries(conn: Connection, *, actor: str | None = None, action: str | None = None, subject: str | None = None,
            subject_contains: str | None = None, since: datetime | None = None, until: datetime | None = None,
            limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
    """Entries matching the filters (``since`` inclusive, ``until`` exclusive, UTC), newest first."""
    a = schema.audit_log
    query = _filtered(select(a).order_by(a.c.id.desc()).offset(offset), actor=actor, action=action, subject=subject,
                      subject_contains=subject_contains, since=since, until=until)
    if limit is not None:
        query = query.limit(limit)
    return [AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, subject=r.subject,
                       before=json.loads(r.before) if r.before else None,
                       after=json.loads(r.after) if r.after else None) for r in conn.execute(query)]


def count(conn: Connection, *, actor: str | None = None, action: str | None = None,
          subject_contains: str | None = None, since: datetime | None = None, until: datetime | None = None) -> int:
    """How many entries match the filters (for paging)."""
    query = _filtered(select(func.count()).select_from(schema.audit_log), actor=actor, action=action, subject=None,
                      subject_contains=subject_contains, since=since, until=until)
    return conn.execute(query).scalar_one()


def actors(conn: Connection) -> list[str]:
    """Every name that has an entry, for the audit page's filter."""
    a = schema.audit_log.c
    return list(conn.execute(select(a.actor).distinct().order_by(a.actor)).scalars())


def failures_since(conn: Connection, name: str, minutes: float) -> int:
    """Failed logins for an account name in the last ``minutes``."""
    a = schema.audit_log.c
    since = now() - timedelta(minutes=minutes)
    return conn.execute(select(func.count()).where(a.action == LOGIN_FAILED, a.subject == name,
                                                   a.at >= since)).scalar_one()
