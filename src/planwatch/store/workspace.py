"""Workspace settings: what an admin changes in the browser, each declared once with its default.

Stored as text in ``app_settings`` and read back through :class:`WorkspaceSettings`, so a value is
checked the same way whether it comes from the web form or the command line. The key that signs
browser sessions and API tokens lives in the same table (made on first use, never shown): every
server process over one store signs alike.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import InputError

from . import audit, schema
from .plans import now

SIGNING_KEY = "signing_key"


class WorkspaceSettings(BaseModel):
    """Settings of the web workspace; override any by name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    public: bool = Field(False, description="公开模式：不登录也可查看已审核通过的数据（总览、指标页及其 JSON）；关闭时每个页面都须登录")
    change_share: float = Field(0.3, gt=0, le=10, description="填报核验：与上年相比变化超过这一比例时提示填报单位确认并说明")
    login_attempts: int = Field(5, ge=1, le=1000, description="同一账号连续登录失败这么多次后暂停登录")
    login_lock_minutes: float = Field(15, gt=0, le=7 * 24 * 60, description="登录失败计数的时间窗口与暂停时长（分钟）")
    session_hours: float = Field(8, gt=0, le=24 * 30, description="浏览器会话与 API 令牌的有效时长（小时）")


def setting_names() -> list[str]:
    return list(WorkspaceSettings.model_fields)


def read(conn: Connection) -> WorkspaceSettings:
    """The stored settings over the defaults."""
    t = schema.app_settings
    stored = {r.key: json.loads(r.value) for r in conn.execute(select(t).where(t.c.key != SIGNING_KEY))}
    return WorkspaceSettings(**{k: v for k, v in stored.items() if k in WorkspaceSettings.model_fields})


def setting_kind(name: str) -> str:
    """bool / int / float: what a setting holds, for a form's input and a refusal's words."""
    annotation = WorkspaceSettings.model_fields[name].annotation
    return getattr(annotation, "__name__", str(annotation))


def setting_label(name: str) -> str:
    """A setting as a message names it: 公开模式（public）."""
    description = WorkspaceSettings.model_fields[name].description or name
    return f"{description.split('：')[0]}（{name}）"


EXPECTED = {"bool": "应为 是 或 否", "int": "应为整数", "float": "应为数字"}


def checked(current: WorkspaceSettings, values: dict[str, Any]) -> WorkspaceSettings:
    """The settings with the new values, or an InputError naming each bad one and what it expects."""
    unknown = [k for k in values if k not in WorkspaceSettings.model_fields]
    if unknown:
        raise InputError(f"没有名为 {'、'.join(str(k)[:40] for k in unknown)} 的设置："
                         f"可用的设置有 {'、'.join(setting_names())}")
    try:
        return WorkspaceSettings.model_validate({**current.model_dump(), **values})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err.get("loc") else ""
            if name not in WorkspaceSettings.model_fields:
                continue
            limit = err.get("ctx") or {}
            if "gt" in limit:
                expected = f"应大于 {limit['gt']}"
            elif "ge" in limit:
                expected = f"应不小于 {limit['ge']}"
            elif "le" in limit:
                expected = f"应不大于 {limit['le']}"
            else:
                expected = EXPECTED.get(setting_kind(name), "格式不符")
            problems.append(f"{setting_label(name)}：{str(err.get('input'))[:40]!r} 无效，{expected}")
        raise InputError("设置未保存：" + "；".join(problems)) from None


def change(conn: Connection, values: dict[str, Any], actor: str) -> WorkspaceSettings:
    """Store new values (checked all together first); each change is audited."""
    old = read(conn)
    new = checked(old, values)
    t = schema.app_settings
    for key in values:
        before, after = getattr(old, key), getattr(new, key)
        if before == after:
            continue
        conn.execute(t.delete().where(t.c.key == key))
        conn.execute(t.insert().values(key=key, value=json.dumps(after), updated_at=now()))
        audit.record(conn, actor, "setting", key, before=before, after=after)
    return new


def signing_key(conn: Connection) -> str:
    """The key that signs sessions and tokens, made (and stored) the first time it is asked for."""
    t = schema.app_settings
    found = conn.execute(select(t.c.value).where(t.c.key == SIGNING_KEY)).scalar()
    if found is not None:
        return json.loads(found)
    key = secrets.token_urlsafe(48)
    conn.execute(t.insert().values(key=SIGNING_KEY, value=json.dumps(key), updated_at=now()))
    return key
