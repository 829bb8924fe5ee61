"""Accounts and responsibility: who may use the workspace, and which unit answers for each indicator.

Roles (the issue's four): ``admin`` manages accounts and settings; ``planner`` (规划处) plans, rounds,
approval, adjustments and reports; ``reporter`` reports for one responsible unit (责任单位), optionally
one region; ``viewer`` reads. Passwords are hashed with argon2id (argon2-cffi); the hash never leaves
this module in a ``User``.

Responsibility: each current indicator of a plan has one lead unit (牵头单位) and any number of
co-operating units (配合单位).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from planwatch.errors import ConflictError, DataImportError, InputError, NotFoundError
from planwatch.model import Plan, TaskAssignment

from . import plans as plans_db
from . import regions as regions_db
from . import schema

ROLES: dict[str, str] = {
    "admin": "管理员",  # accounts and settings
    "planner": "规划处",  # plans, rounds, approval, adjustments, reports
    "reporter": "填报单位",  # reports for its responsible unit (and region)
    "viewer": "内部只读",
}
ROLES_HELP = "、".join(f"{code}（{label}）" for code, label in ROLES.items())
# permission → (roles that hold it, what it allows, in Chinese for refusals).
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "view": (frozenset({"admin", "planner", "reporter", "viewer"}), "查看监测结果"),
    "report": (frozenset({"planner", "reporter"}), "填报数据"),
    "review": (frozenset({"planner"}), "审核数据、管理填报轮次、预览评估"),
    "rounds": (frozenset({"admin", "planner", "viewer"}), "查看填报进度"),
    "plan": (frozenset({"planner"}), "管理规划、调整目标、分工"),
    "reports": (frozenset({"admin", "planner", "viewer"}), "生成和下载报告"),
    "audit": (frozenset({"admin", "planner"}), "查看操作记录"),
    "accounts": (frozenset({"admin"}), "管理账号"),
    "settings": (frozenset({"admin"}), "修改设置"),
}
PUBLIC_PERMISSIONS = frozenset({"view"})


def role_may(role: str, permission: str) -> bool:
    """Whether accounts of ``role`` hold ``permission`` (the web asks per request, the figure checks per figure)."""
    return role in PERMISSIONS[permission][0]
NAME_CHARS = 80
UNIT_CHARS = 100
PASSWORD_MIN = 8
# argon2 hashes whatever it is given; a bound keeps a login form from being handed megabytes.
PASSWORD_MAX = 1024
UNIT_SEPARATORS = re.compile(r"[、,，;；]")

_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 defaults
# Verified against when the name is unknown, so an unknown name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("planwatch: no such user")


class User(BaseModel):
    """An account as the rest of planwatch sees it: no password hash."""

    name: str
    role: str
    unit: str | None = None
    region: str | None = None
    disabled: bool = False
    created_at: datetime
    stamp: str = Field("", exclude=True, description="Changes with the password: a session or token signed with another stamp has ended")

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class Assignment(BaseModel):
    """One indicator's lead and co-operating units as entered; ``row`` is the sheet row, if any."""

    indicator: str
    lead_unit: str
    co_units: list[str] = Field(default_factory=list)
    row: int | None = None


class Responsibility(BaseModel):
    """Who answers for one indicator of a plan."""

    plan_key: str
    indicator: str
    no: str | None = None
    name: str
    lead_unit: str
    co_units: list[str] = Field(default_factory=list)
    assigned_at: datetime


# ---------------------------------------------------------------- users


def check_role(role: str) -> str:
    """The role code, or an InputError listing the valid ones."""
    code = (role or "").strip().lower()
    if code not in ROLES:
        raise InputError(f"角色 {role!r} 无效：应为 {ROLES_HELP} 之一")
    return code


def check_name(name: str) -> str:
    """A user name: non-empty, at most NAME_CHARS, no spaces or control characters."""
    name = (name or "").strip()
    if not name:
        raise InputError("用户名不能为空")
    if len(name) > NAME_CHARS:
        raise InputError(f"用户名过长：最多 {NAME_CHARS} 个字符")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        raise InputError(f"用户名 {name!r} 含有空白或控制字符")
    return name


def check_password(password: str) -> str:
    if password is None or len(password) < PASSWORD_MIN:
        raise InputError(f"密码至少 {PASSWORD_MIN} 个字符")
    if len(password) > PASSWORD_MAX:
        raise InputError(f"密码过长：最多 {PASSWORD_MAX} 个字符")
    return password


def printable(text: str | None, what: str) -> str | None:
    """The text, refused when it holds a control character (a NUL byte PostgreSQL cannot store, a line break
    that would forge a row of an export), naming the field."""
    if text and any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InputError(f"{what}含有控制字符（如换行、制表符或空字符）：请只填写名称本身")
    return text


def check_unit(text: str | None, what: str) -> str | None:
    """A unit's name as stored: trimmed, None when blank; InputError naming ``what`` (牵头单位, 配合单位 …) for a
    control character or an over-long name. The store keeps no list of units: a name is checked for its form."""
    text = printable((text or "").strip(), what) or ""
    if not text:
        return None
    if len(text) > UNIT_CHARS:
        raise InputError(f"{what}名称过长：最多 {UNIT_CHARS} 个字符")
    return text


def _user(row) -> User:
    return User(name=row.name, role=row.role, unit=row.unit, region=row.region, disabled=bool(row.disabled),
                created_at=row.created_at, stamp=hashlib.sha256(row.password_hash.encode()).hexdigest()[:16])


def check_account(name: str, role: str, unit: str | None) -> tuple[str, str, str | None]:
    """(name, role, unit) of a new account, checked before a password is asked for."""
    name, role, unit = check_name(name), check_role(role), check_unit(unit, "责任单位")
    if role == "reporter" and unit is None:
        raise InputError("填报单位账号（reporter）必须指定责任单位：请加 --unit 单位名称")
    return name, role, unit


def add_user(conn: Connection, name: str, *, role: str, password: str, unit: str | None = None,
             region: str | None = None) -> User:
    """Create an account; a reporter must have a unit; a region must be a stored one."""
    name, role, unit = check_account(name, role, unit)
    password, region = check_password(password), check_unit(region, "地区")
    if region is not None and region not in regions_db.region_names(conn):
        raise InputError(f"地区 {region} 不在数据库中：请先导入地区（planwatch regions 文件）或检查名称")
    u = schema.users
    if conn.execute(select(u.c.id).where(u.c.name == name)).first() is not None:
        raise ConflictError(f"用户 {name} 已存在")
    conn.execute(u.insert().values(name=name, role=role, unit=unit, region=region,
                                   password_hash=_hasher.hash(password), disabled=False,
                                   created_at=plans_db.now()))
    return get_user(conn, name)


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(select(schema.users).where(schema.users.c.name == name)).first()
    if row is None:
        raise NotFoundError(f"没有名为 {name} 的用户")
    return _user(row)


def all_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.name))]


def disable_user(conn: Connection, name: str) -> User:
    """Disable an account (kept, never deleted: its name stays on what it did); not the last admin."""
    user = get_user(conn, name)
    u = schema.users.c
    if user.role == "admin" and not user.disabled:
        admins = conn.execute(select(func.count()).where(u.role == "admin", u.disabled.is_(False))).scalar()
        if admins == 1:
            raise ConflictError(f"{name} 是唯一可用的管理员，不能停用：请先添加另一个管理员")
    conn.execute(schema.users.update().where(u.name == name).values(disabled=True))
    return get_user(conn, name)


def set_password(conn: Connection, name: str, password: str) -> None:
    get_user(conn, name)
    check_password(password)
    conn.execute(schema.users.update().where(schema.users.c.name == name)
                 .values(password_hash=_hasher.hash(password)))


def verify(conn: Connection, name: str, password: str) -> tuple[User | None, str | None]:
    """The user whose password this is (None otherwise, and for a disabled account); a new hash when
    the stored one should be rehashed with current parameters."""
    row = conn.execute(select(schema.users).where(schema.users.c.name == (name or "").strip())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        # Compare in constant time inside argon2, whatever the outcome will be.
        ok = _hasher.verify(stored, password or "") and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or row.disabled:
        return None, None
    rehash = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None
    return _user(row), rehash


def store_hash(conn: Connection, name: str, password_hash: str) -> None:
    conn.execute(schema.users.update().where(schema.users.c.name == name).values(password_hash=password_hash))


# ---------------------------------------------------------------- responsibilities


def split_units(text: str | Iterable[str] | None) -> list[str]:
    """Unit names from '科技局、统计局' (or , ，; ；), or from several such texts; order kept, duplicates dropped."""
    texts = [text] if isinstance(text, str) or text is None else list(text)
    units: list[str] = []
    for t in texts:
        for part in UNIT_SEPARATORS.split(t or ""):
            part = part.strip()
            if part and part not in units:
                units.append(part)
    return units


def where(a: Assignment | TaskAssignment) -> str:
    """'第 3 行：' for an entry read from a sheet row, nothing for one given directly."""
    return f"第 {a.row} 行：" if a.row is not None else ""


def _check(plan: Plan, a: Assignment) -> tuple[str, str, list[str]]:
    """(indicator id, lead unit, co units) of an assignment, or an InputError saying what is wrong."""
    key = (a.indicator or "").strip()
    if not key:
        raise InputError("缺少指标")
    ind = plan.indicator(key)
    if ind is None:
        raise InputError(f"找不到指标 {key}（应为规划中的指标编号、序号或名称，如 T2-1、1、地区生产总值）")
    if ind.id not in {i.id for i in plan.current_indicators()}:
        raise InputError(f"指标 {key}（{ind.name}）属于上一规划期的完成情况（表1），无需分工")
    lead, co = lead_and_co(a.lead_unit, a.co_units, f"指标 {key}")
    return ind.id, lead, co


def lead_and_co(lead_unit: str | None, co_units: str | Iterable[str] | None, subject: str) -> tuple[str, list[str]]:
    """The lead unit and the co-operating units of a subject ('指标 T2-1', '任务 box5.1') as stored, or an
    InputError: a lead is required, and a unit cannot both lead and co-operate."""
    lead = check_unit(lead_unit, "牵头单位")
    if lead is None:
        raise InputError(f"{subject} 缺少牵头单位")
    co = [c for c in (check_unit(c, "配合单位") for c in split_units(co_units)) if c]
    if lead in co:
        raise InputError(f"{subject}：{lead} 既是牵头单位又是配合单位")
    return lead, co


def assign(conn: Connection, entries: list[Assignment], plan_key: str | None = None) -> list[Responsibility]:
    """Set (or replace) the responsibility of each indicator, all or nothing: every problem is listed."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    plan = plans_db.read(conn, plans_db.plan_key_of(conn, plan_id))
    if not entries:
        raise InputError("没有要写入的分工")
    problems: list[str] = []
    checked: dict[str, tuple[Assignment, str, list[str]]] = {}
    for a in entries:
        try:
            ind_id, lead, co = _check(plan, a)
        except InputError as exc:
            problems.append(f"{where(a)}{exc}")
            continue
        if ind_id in checked:
            first = checked[ind_id][0]
            at = f"第 {first.row} 行" if first.row is not None else "前面"
            problems.append(f"{where(a)}指标 {a.indicator} 已在{at}分工，同一指标只能有一个牵头单位")
            continue
        checked[ind_id] = (a, lead, co)
    if len(problems) == 1 and len(entries) == 1 and entries[0].row is None:
        raise InputError(problems[0])
    if problems:
        raise DataImportError(f"分工有 {len(problems)} 处问题，未写入任何分工：" + "；".join(problems),
                              problems=problems)
    r = schema.responsibilities
    when = plans_db.now()
    for ind_id, (_a, lead, co) in checked.items():
        conn.execute(r.delete().where(r.c.plan_id == plan_id, r.c.indicator == ind_id))
        conn.execute(r.insert().values(plan_id=plan_id, indicator=ind_id, lead_unit=lead,
                                       co_units=json.dumps(co, ensure_ascii=False), assigned_at=when))
    done = {x.indicator: x for x in responsibilities(conn, plan_key)}
    return [done[ind_id] for ind_id in checked]


def responsibilities(conn: Connection, plan_key: str | None = None) -> list[Responsibility]:
    """The responsibilities of a plan (default: the latest loaded), in the plan's indicator order."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    key = plans_db.plan_key_of(conn, plan_id)
    plan = plans_db.read(conn, key)
    order = {ind.id: n for n, ind in enumerate(plan.indicators)}
    r = schema.responsibilities
    out = []
    for row in conn.execute(select(r).where(r.c.plan_id == plan_id)):
        ind = plan.indicator(row.indicator)
        out.append(Responsibility(plan_key=key, indicator=row.indicator, no=ind.no if ind else None,
                                  name=ind.name if ind else row.indicator, lead_unit=row.lead_unit,
                                  co_units=json.loads(row.co_units), assigned_at=row.assigned_at))
    return sorted(out, key=lambda x: (order.get(x.indicator, len(order)), x.indicator))
