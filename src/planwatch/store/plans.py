"""Plans, their versions and the target adjustments (规划动态调整) between versions."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, CursorResult

from planwatch.errors import InputError, StoreError
from planwatch.figures import fmt_number
from planwatch.model import Comparator, Indicator, Plan, TargetAdjustment
from planwatch.vocabulary import COMPARATOR_WORDS

from . import schema


class PlanVersionInfo(BaseModel):
    """The result of loading a plan."""

    key: str
    title: str
    region: str | None = None
    version: int
    created: bool = True
    adjustments: list[TargetAdjustment] = []


class PlanSummary(BaseModel):
    """One stored plan."""

    key: str
    title: str
    region: str | None = None
    versions: int
    latest_version: int
    loaded_at: datetime


def inserted_id(result: CursorResult) -> int:
    """The primary key of a single-row INSERT."""
    key = result.inserted_primary_key
    assert key is not None, "a single-row INSERT always reports its primary key"
    return key[0]


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def plan_key(plan: Plan) -> str:
    """The stable key of a plan: region plus a hash of title and region."""
    digest = hashlib.sha1(f"{plan.meta.title}\x1f{plan.meta.region or ''}".encode()).hexdigest()[:8]
    return f"{plan.meta.region or 'plan'}-{digest}"


def plan_json(plan: Plan) -> str:
    """The canonical JSON of a plan."""
    return plan.model_dump_json(exclude_none=False)


def changed_targets(old: Plan, new: Plan) -> list[tuple[Indicator, Indicator]]:
    """Pairs (old, new) of indicators whose primary target value, comparator or kind changed."""
    before = {i.id: i for i in old.indicators}
    pairs = []
    for ind in new.indicators:
        prev = before.get(ind.id)
        if prev is None:
            continue
        a, b = prev.target, ind.target
        if (a.value, a.value_max, a.comparator, a.kind) != (b.value, b.value_max, b.comparator, b.kind):
            pairs.append((prev, ind))
    return pairs


def adjustment_of(old: Indicator, new: Indicator) -> TargetAdjustment:
    """The adjustment record for one changed target."""
    a, b = old.target, new.target
    return TargetAdjustment(
        indicator=new.id, indicator_name=new.name, no=new.no, old_value=a.value, new_value=b.value,
        old_text=a.text, new_text=b.text, old_comparator=a.comparator, new_comparator=b.comparator,
        old_kind=a.kind, new_kind=b.kind, date=b.adjustment_date or date.today().isoformat(),
        reason=b.adjustment_reason or "", document=b.adjustment_document or "",
    )


def load(conn: Connection, plan: Plan, *, source: str | None, note: str | None) -> PlanVersionInfo:
    """Store a plan: a new plan, a new version of a known one, or nothing when unchanged."""
    key = plan_key(plan)
    text = plan_json(plan)
    sha = hashlib.sha256(text.encode()).hexdigest()
    row = conn.execute(select(schema.plans).where(schema.plans.c.key == key)).first()
    if row is None:
        plan_id = inserted_id(conn.execute(schema.plans.insert().values(
            key=key, title=plan.meta.title, region=plan.meta.region, created_at=now())))
        latest = None
    else:
        plan_id = row.id
        latest = conn.execute(select(schema.plan_versions).where(schema.plan_versions.c.plan_id == plan_id)
                              .order_by(schema.plan_versions.c.version.desc()).limit(1)).first()
    if latest is not None and latest.sha256 == sha:
        return PlanVersionInfo(key=key, title=plan.meta.title, region=plan.meta.region, version=latest.version,
                               created=False)
    version = 1 if latest is None else latest.version + 1
    version_id = inserted_id(conn.execute(schema.plan_versions.insert().values(
        plan_id=plan_id, version=version, loaded_at=now(), source=source, note=note, sha256=sha,
        plan_json=text)))
    _insert_rows(conn, version_id, plan)
    adjustments = []
    if latest is not None:
        old = Plan.model_validate_json(latest.plan_json)
        for before, after in changed_targets(old, plan):
            adj = adjustment_of(before, after).model_copy(update={"plan_key": key, "version": version})
            conn.execute(schema.target_adjustments.insert().values(
                plan_id=plan_id, version_id=version_id, recorded_at=now(),
                **adj.model_dump(mode="json", exclude={"plan_key", "version"})))
            adjustments.append(adj)
    return PlanVersionInfo(key=key, title=plan.meta.title, region=plan.meta.region, version=version,
                           adjustments=adjustments)


def _insert_rows(conn: Connection, version_id: int, plan: Plan) -> None:
    inds = [dict(version_id=version_id, indicator=i.id, table_label=i.table, no=i.no, name=i.name, unit=i.unit,
                 category=i.category, attribute=str(i.attribute) if i.attribute else None,
                 period_end=i.period_end, line=i.line) for i in plan.indicators]
    tgts = [dict(version_id=version_id, indicator=i.id, position=n, kind=str(t.kind),
                 comparator=str(t.comparator) if t.comparator else None, value=t.value, value_max=t.value_max,
                 text=t.text, year=t.year)
            for i in plan.indicators for n, t in enumerate(i.targets or [i.target])]
    if inds:
        conn.execute(schema.indicators.insert(), inds)
    if tgts:
        conn.execute(schema.targets.insert(), tgts)


def plan_key_of(conn: Connection, plan_id: int) -> str:
    """The key of the plan with this id."""
    return str(conn.execute(select(schema.plans.c.key).where(schema.plans.c.id == plan_id)).scalar_one())


def plan_id_of(conn: Connection, key: str | None) -> int:
    """The id of the plan with this key, or of the most recently loaded plan."""
    p, v = schema.plans, schema.plan_versions
    if key is not None:
        found = conn.execute(select(p.c.id).where(p.c.key == key)).scalar()
        if found is None:
            known = "、".join(conn.execute(select(p.c.key)).scalars()) or "无"
            raise StoreError(f"没有键为 {key} 的规划（已有：{known}）")
        return found
    found = conn.execute(select(v.c.plan_id).order_by(v.c.loaded_at.desc(), v.c.id.desc()).limit(1)).scalar()
    if found is None:
        raise StoreError("数据库中还没有规划，请先运行 planwatch load plan.yaml")
    return found


def read(conn: Connection, key: str | None = None, version: int | None = None) -> Plan:
    """A stored plan version (the latest by default)."""
    plan_id = plan_id_of(conn, key)
    v = schema.plan_versions
    query = select(v.c.plan_json, v.c.version).where(v.c.plan_id == plan_id)
    query = query.where(v.c.version == version) if version is not None else query.order_by(v.c.version.desc())
    row = conn.execute(query.limit(1)).first()
    if row is None:
        raise StoreError(f"规划没有第 {version} 版")
    return Plan.model_validate_json(row.plan_json)


def summaries(conn: Connection) -> list[PlanSummary]:
    """Every stored plan with its version count."""
    p, v = schema.plans, schema.plan_versions
    query = (select(p.c.key, p.c.title, p.c.region, func.count(v.c.id).label("versions"),
                    func.max(v.c.version).label("latest_version"), func.max(v.c.loaded_at).label("loaded_at"))
             .join(v, v.c.plan_id == p.c.id).group_by(p.c.id, p.c.key, p.c.title, p.c.region).order_by(p.c.id))
    return [PlanSummary(**row._mapping) for row in conn.execute(query)]


def adjustments(conn: Connection, key: str | None = None) -> list[TargetAdjustment]:
    """Recorded target adjustments, oldest first (of one plan when a key is given)."""
    a, p, v = schema.target_adjustments, schema.plans, schema.plan_versions
    query = (select(a, p.c.key.label("plan_key"), v.c.version).join(p, p.c.id == a.c.plan_id)
             .join(v, v.c.id == a.c.version_id).order_by(a.c.id))
    if key is not None:
        query = query.where(p.c.key == key)
    fields = set(TargetAdjustment.model_fields)
    out = []
    for row in conn.execute(query):
        data = {k: val for k, val in row._mapping.items() if k in fields}
        for k in ("indicator_name", "old_text", "new_text", "date", "reason", "document"):
            data[k] = data.get(k) or ""
        out.append(TargetAdjustment(**data))
    return out


def adjusted_plan(plan: Plan, indicator: str, *, new_value: float, reason: str, document: str | None,
                  when: str | None, comparator: str | None) -> Plan:
    """A copy of the plan with one indicator's primary target changed and the change explained.

    The target's printed text becomes the new value with its qualifier (9500以上), so every surface that
    quotes the target quotes the adjusted one; the original stays in the adjustment record."""
    ind = plan.indicator(indicator)
    if ind is None:
        raise InputError(f"规划中没有指标 {indicator[:40]}（可用序号、编号如 T2-1 或指标名称）")
    if ind not in plan.current_indicators():
        raise InputError(f"指标 {ind.id} {ind.name} 属于上一规划期的完成情况（{ind.table or '表1'}），不能调整目标")
    when = when or date.today().isoformat()
    try:
        date.fromisoformat(when)
    except ValueError as exc:
        raise InputError(f"日期 {when[:20]} 无效，应为 YYYY-MM-DD，如 2023-06-30") from exc
    old = ind.target
    try:
        new_comparator = Comparator(comparator) if comparator is not None else old.comparator
    except ValueError:
        raise InputError(f"比较方式 {comparator!r} 无效：应为 {'、'.join(c.value for c in Comparator)} 之一") from None
    if new_comparator != old.comparator:
        word = COMPARATOR_WORDS.get(new_comparator, "") if new_comparator is not None else ""
    else:  # keep the plan's own wording (9000 stays plain, 7以上 keeps 以上)
        word = old.qualifier if old.qualifier and old.text.endswith(old.qualifier) else ""
    update = {"value": float(new_value), "comparator": new_comparator, "text": f"{fmt_number(new_value)}{word}",
              "adjustment_reason": reason, "adjustment_document": document, "adjustment_date": when}
    if new_comparator != old.comparator:
        update["qualifier"] = word or None
    new_target = type(old).model_validate({**old.model_dump(), **update})
    targets = [new_target, *ind.targets[1:]]
    new_ind = ind.model_copy(update={"target": new_target, "targets": targets})
    indicators = [new_ind if i.id == ind.id else i for i in plan.indicators]
    return plan.model_copy(update={"indicators": indicators})
