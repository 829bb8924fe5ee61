"""Data rounds (数据填报) and the figures reported in them, each with its whole history.

A round asks the responsible units of a plan for the figures of one data year in a set of regions.
Each figure asked for becomes a submission the first time its unit saves it; every later step
(save, submit, approve, return, withdraw) changes the submission's state and version and adds an
event carrying the value as it then was, so nothing is overwritten. An action names the version
it was taken on; when someone changed the submission meanwhile the action is refused with a
ConflictError instead of silently undoing their work.

Which steps may follow which is :data:`TRANSITIONS`, the one home of that rule. Checking a value
(indicator, region, unit, plausibility) is done before, in :mod:`planwatch.observe.submissions`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Protocol

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planwatch.errors import AccessError, ConflictError, InputError, NotFoundError
from planwatch.model import Observation, ObservationKind, RoundState, SubmissionState
from planwatch.vocabulary import SUBMISSION_DUE, fmt_moment, submission_state_label

from . import audit, schema
from . import plans as plans_db
from .plans import inserted_id, now
from .task_progress import check_date

TITLE_CHARS = 200
COMMENT_CHARS = 2000

S = SubmissionState
# action → (the states it may be taken from; None is a figure not entered yet), the state it leads to.
# A unit may correct a figure until it is approved, and after approval too: the approved value keeps
# counting until the correction is approved in its turn.
TRANSITIONS: dict[str, tuple[frozenset[SubmissionState | None], SubmissionState]] = {
    "save": (frozenset({None, S.draft, S.submitted, S.returned, S.withdrawn, S.approved}), S.draft),
    "submit": (frozenset({None, S.draft, S.submitted, S.returned, S.withdrawn, S.approved}), S.submitted),
    "approve": (frozenset({S.submitted}), S.approved),
    "return": (frozenset({S.submitted}), S.returned),
    "withdraw": (frozenset({S.draft, S.submitted, S.returned}), S.withdrawn),
}
# Steps a responsible unit takes; the others are the planning office's.
UNIT_ACTIONS = frozenset({"save", "submit", "withdraw"})
ACTION_LABELS = {"save": "保存草稿", "submit": "报送", "approve": "审核通过", "return": "退回", "withdraw": "撤回"}


class Round(BaseModel):
    """A data round of a plan for one data year."""

    id: int
    plan_key: str
    year: int
    title: str
    due: str | None = Field(None, description="Due date, YYYY-MM-DD")
    regions: list[str]
    state: RoundState
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None = None

    def overdue(self, today: date | None = None) -> bool:
        """Whether the due date has passed while the round is open."""
        return bool(self.due) and self.state == RoundState.open and \
            (today or date.today()).isoformat() > (self.due or "")


class Entry(BaseModel):
    """A figure as a unit enters it, already checked (see planwatch.observe.submissions)."""

    indicator: str
    region: str
    responsible_unit: str = Field(description="The unit the figure is reported for (its lead unit)")
    kind: ObservationKind = ObservationKind.level
    value: float | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None


class Submission(BaseModel):
    """The current state of one figure of a round."""

    id: int
    round_id: int
    indicator: str
    region: str
    year: int
    kind: ObservationKind
    value: float | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    responsible_unit: str
    state: SubmissionState
    version: int
    comment: str | None = None
    author: str
    created_at: datetime
    updated_at: datetime
    updated_by: str

    @property
    def state_label(self) -> str:
        return submission_state_label(self.state)

    def observation(self, actor: str) -> Observation:
        """The observation an approval of this figure records."""
        return Observation(indicator=self.indicator, region=self.region, year=self.year, kind=self.kind,
                           value=self.value, unit=self.unit, source=self.source, note=self.note,
                           extra={"submission": self.id, "reported_by": self.responsible_unit,
                                  "approved_by": actor})


class Step(BaseModel):
    """One step taken on something moving through :data:`TRANSITIONS` (a figure, a work report): who took
    which action, when, the state it led to and the comment given."""

    id: int
    action: str
    state: SubmissionState
    comment: str | None = None
    actor: str
    at: datetime

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class SubmissionEvent(Step):
    """One step of a submission, with the value as it was after the step."""

    submission_id: int
    value: float | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None


# ---------------------------------------------------------------- rounds


def _round(conn: Connection, row) -> Round:
    key = conn.execute(select(schema.plans.c.key).where(schema.plans.c.id == row.plan_id)).scalar_one()
    return Round(id=row.id, plan_key=key, year=row.year, title=row.title, due=row.due,
                 regions=json.loads(row.regions), state=RoundState(row.state), opened_by=row.opened_by,
                 opened_at=row.opened_at, closed_at=row.closed_at)


def open_round(conn: Connection, plan_key: str | None, *, year: int, title: str | None, due: str | None,
               regions: list[str] | None, actor: str) -> Round:
    """Open a round for a data year of the plan (default title 'YYYY年度监测数据填报', default region the plan's)."""
    plan_id = plans_db.plan_id_of(conn, plan_key)
    plan = plans_db.read(conn, plan_key)
    first = plan.meta.base_year or plan.meta.period_start
    last = plan.meta.period_end
    if first and last and not first <= year <= last:
        raise InputError(f"年份 {year} 不在规划期内：应在 {first}—{last} 之间")
    title = (title or "").strip() or f"{year}年度监测数据填报"
    if len(title) > TITLE_CHARS:
        raise InputError(f"填报轮次名称过长：最多 {TITLE_CHARS} 个字符")
    due = check_date(due.strip()) if due and due.strip() else None
    wanted = list(dict.fromkeys(r.strip() for r in (regions or []) if r and r.strip())) or \
        ([plan.meta.region] if plan.meta.region else [])
    if not wanted:
        raise InputError("请指定填报的地区：规划未写明所属地区")
    known = {r for r in conn.execute(select(schema.regions.c.name)).scalars()}
    unknown = [r for r in wanted if r not in known]
    if unknown:
        raise InputError(f"地区 {'、'.join(unknown)} 不在数据库中：请先导入地区（planwatch regions 文件）或检查名称")
    t = schema.rounds
    if conn.execute(select(t.c.id).where(t.c.plan_id == plan_id, t.c.title == title)).first() is not None:
        raise InputError(f"已有名为“{title}”的填报轮次")
    round_id = inserted_id(conn.execute(t.insert().values(
        plan_id=plan_id, year=year, title=title, due=due, regions=json.dumps(wanted, ensure_ascii=False),
        state=str(RoundState.open), opened_by=actor, opened_at=now())))
    opened = get_round(conn, round_id)
    audit.record(conn, actor, "round.open", f"round:{round_id}", after=opened.model_dump(mode="json"))
    return opened


def get_round(conn: Connection, round_id: int) -> Round:
    row = conn.execute(select(schema.rounds).where(schema.rounds.c.id == round_id)).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {round_id} 的填报轮次")
    return _round(conn, row)


def rounds(conn: Connection, plan_key: str | None = None) -> list[Round]:
    """The rounds of a plan (default: every plan's), newest first."""
    t = schema.rounds
    query = select(t).order_by(t.c.id.desc())
    if plan_key is not None:
        query = query.where(t.c.plan_id == plans_db.plan_id_of(conn, plan_key))
    return [_round(conn, row) for row in conn.execute(query)]


def close_round(conn: Connection, round_id: int, actor: str) -> Round:
    """Close a round: no more figures are taken (approving and returning still are)."""
    before = get_round(conn, round_id)
    if before.state == RoundState.closed:
        raise ConflictError(f"填报轮次“{before.title}”已于 {fmt_moment(before.closed_at)} 结束")
    conn.execute(schema.rounds.update().where(schema.rounds.c.id == round_id)
                 .values(state=str(RoundState.closed), closed_at=now()))
    after = get_round(conn, round_id)
    audit.record(conn, actor, "round.close", f"round:{round_id}", before={"state": str(before.state)},
                 after={"state": str(after.state)})
    return after


# ---------------------------------------------------------------- submissions


def _submission(row) -> Submission:
    return Submission(id=row.id, round_id=row.round_id, indicator=row.indicator, region=row.region, year=row.year,
                      kind=ObservationKind(row.kind), value=row.value, unit=row.unit, source=row.source,
                      note=row.note, responsible_unit=row.responsible_unit, state=SubmissionState(row.state),
                      version=row.version, comment=row.comment, author=row.author, created_at=row.created_at,
                      updated_at=row.updated_at, updated_by=row.updated_by)


def get_submission(conn: Connection, submission_id: int) -> Submission:
    row = conn.execute(select(schema.submissions).where(schema.submissions.c.id == submission_id)).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {submission_id} 的填报数据")
    return _submission(row)


def submissions(conn: Connection, round_id: int, *, unit: str | None = None) -> list[Submission]:
    """The figures entered in a round (of one unit when given), by indicator and region."""
    t = schema.submissions
    query = select(t).where(t.c.round_id == round_id).order_by(t.c.indicator, t.c.region)
    if unit is not None:
        query = query.where(t.c.responsible_unit == unit)
    return [_submission(row) for row in conn.execute(query)]


def find_submission(conn: Connection, round_id: int, indicator: str, region: str) -> Submission | None:
    t = schema.submissions
    row = conn.execute(select(t).where(t.c.round_id == round_id, t.c.indicator == indicator,
                                       t.c.region == region)).first()
    return None if row is None else _submission(row)


def events(conn: Connection, submission_id: int) -> list[SubmissionEvent]:
    """Every step of a submission, oldest first."""
    t = schema.submission_events
    rows = conn.execute(select(t).where(t.c.submission_id == submission_id).order_by(t.c.id))
    return [SubmissionEvent(id=r.id, submission_id=r.submission_id, action=r.action, state=SubmissionState(r.state),
                            value=r.value, unit=r.unit, source=r.source, note=r.note, comment=r.comment,
                            actor=r.actor, at=r.at) for r in rows]


class Tracked(Protocol):
    """What the state machine reads of a thing moving through :data:`TRANSITIONS` (a submission, a work report)."""

    state: SubmissionState
    version: int
    updated_by: str
    updated_at: datetime

    @property
    def state_label(self) -> str: ...


def allowed(action: str, current: Tracked | None) -> SubmissionState:
    """The state the action leads to, or a ConflictError saying why it cannot be taken now."""
    starts, leads_to = TRANSITIONS[action]
    state = current.state if current is not None else None
    if state not in starts:
        label = submission_state_label(state) if state else SUBMISSION_DUE
        by = f"（{current.updated_by} 于 {fmt_moment(current.updated_at)}）" if current is not None else ""
        raise ConflictError(f"该数据当前为“{label}”{by}，不能{ACTION_LABELS[action]}：请刷新页面查看最新状态")
    return leads_to


def check_version(current: Tracked, expected: int | None) -> None:
    """Refuse (ConflictError naming who changed it, to what) an action taken on a version no longer current."""
    if expected is not None and expected != current.version:
        raise ConflictError(
            f"该数据已被 {current.updated_by} 于 {fmt_moment(current.updated_at)} 改为“{current.state_label}”"
            f"（第 {current.version} 版，你看到的是第 {expected} 版）：请刷新页面后再操作")


def _event(conn: Connection, sub: Submission, action: str, actor: str) -> None:
    conn.execute(schema.submission_events.insert().values(
        submission_id=sub.id, action=action, state=str(sub.state), value=sub.value, unit=sub.unit,
        source=sub.source, note=sub.note, comment=sub.comment, actor=actor, at=sub.updated_at))


def _audit(conn: Connection, action: str, before: Submission | None, after: Submission, actor: str) -> None:
    def shown(s: Submission | None):
        return None if s is None else s.model_dump(mode="json", include={"state", "value", "unit", "source", "note",
                                                                            "comment", "version"})
    audit.record(conn, actor, f"submission.{action}",
                 f"submission:{after.id} {after.indicator} {after.region} {after.year}",
                 before=shown(before), after=shown(after))


def _update(conn: Connection, current: Submission, values: dict, actor: str) -> Submission:
    """Write the change only if nobody changed the row since it was read (one wins, the other is told)."""
    t = schema.submissions
    done = conn.execute(t.update().where(t.c.id == current.id, t.c.version == current.version).values(
        **values, version=current.version + 1, updated_at=now(), updated_by=actor))
    if done.rowcount != 1:
        check_version(get_submission(conn, current.id), current.version)
    return get_submission(conn, current.id)


def enter(conn: Connection, round_id: int, entry: Entry, *, actor: str, submit: bool,
          expected_version: int | None = None) -> Submission:
    """Save (or submit) a unit's figure in an open round; the first save creates the submission."""
    rnd = get_round(conn, round_id)
    if rnd.state != RoundState.open:
        raise ConflictError(f"填报轮次“{rnd.title}”已结束，不再接收数据")
    if entry.region not in rnd.regions:
        raise InputError(f"地区 {entry.region} 不在填报轮次“{rnd.title}”的范围内（{'、'.join(rnd.regions)}）")
    action = "submit" if submit else "save"
    current = find_submission(conn, round_id, entry.indicator, entry.region)
    leads_to = allowed(action, current)
    values = {"value": entry.value, "unit": entry.unit, "source": entry.source, "note": entry.note,
              "kind": str(entry.kind), "state": str(leads_to), "comment": None}
    if current is None:
        if expected_version not in (None, 0):
            raise ConflictError("该数据已不存在：请刷新页面后再操作")
        when = now()
        sid = inserted_id(conn.execute(schema.submissions.insert().values(
            round_id=round_id, indicator=entry.indicator, region=entry.region, year=rnd.year,
            responsible_unit=entry.responsible_unit, version=1, author=actor, created_at=when, updated_at=when, updated_by=actor,
            **values)))
        after = get_submission(conn, sid)
    else:
        if current.responsible_unit != entry.responsible_unit:
            raise AccessError(f"该数据由 {current.responsible_unit} 填报，{entry.responsible_unit} 不能修改")
        check_version(current, expected_version)
        after = _update(conn, current, values, actor)
    _event(conn, after, action, actor)
    _audit(conn, action, current, after, actor)
    return after


def check_decision(action: str) -> None:
    """Refuse an action that is not a planner's or a withdrawal (save and submit are the unit's entry)."""
    if action not in TRANSITIONS or action in ("save", "submit"):
        raise InputError(f"未知的操作 {action}")


def decision(action: str, current: Tracked, expected_version: int | None,
             comment: str | None) -> tuple[SubmissionState, str | None]:
    """The state a decision on ``current`` (taken at ``expected_version``) leads to, and its comment, trimmed:
    ConflictError when ``current`` changed meanwhile, InputError for a return without a comment or one too long.
    The one rule for figures and work reports alike."""
    check_version(current, expected_version)
    leads_to = allowed(action, current)
    comment = (comment or "").strip() or None
    if action == "return" and comment is None:
        raise InputError("退回时须写明意见，告诉填报单位需要修改什么")
    if comment is not None and len(comment) > COMMENT_CHARS:
        raise InputError(f"意见过长：最多 {COMMENT_CHARS} 个字符")
    return leads_to, comment


def decide(conn: Connection, submission_id: int, action: str, *, actor: str, comment: str | None = None,
           expected_version: int | None = None) -> Submission:
    """Approve, return (with a comment) or withdraw a submission taken at ``expected_version``."""
    check_decision(action)
    current = get_submission(conn, submission_id)
    leads_to, comment = decision(action, current, expected_version, comment)
    after = _update(conn, current, {"state": str(leads_to), "comment": comment}, actor)
    _event(conn, after, action, actor)
    _audit(conn, action, current, after, actor)
    return after


def pending(conn: Connection, plan_key: str | None = None) -> list[Submission]:
    """Submitted figures not decided yet, of the plan's rounds (what a preview adds to the evaluation)."""
    ids = [r.id for r in rounds(conn, plan_key)]
    if not ids:
        return []
    t = schema.submissions
    rows = conn.execute(select(t).where(t.c.round_id.in_(ids), t.c.state == str(S.submitted)).order_by(t.c.id))
    return [_submission(r) for r in rows]
