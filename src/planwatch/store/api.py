"""The Store: one object over the database that the other stages use."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import String, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from planwatch.errors import InputError
from planwatch.figures import target_phrase
from planwatch.model import (
    Observation,
    ObservationKind,
    Plan,
    ProjectReportRow,
    Series,
    SubmissionState,
    TargetAdjustment,
    TaskAssignment,
    TaskUpdate,
    WorkKind,
)

from . import accounts as accounts_db
from . import audit as audit_db
from . import category_sections as sections_db
from . import observations as obs_db
from . import plans as plans_db
from . import projects as projects_db
from . import regions as regions_db
from . import rounds as rounds_db
from . import schema
from . import series_matches as series_db
from . import task_progress as progress_db
from . import work_reports as work_db
from . import workspace as workspace_db
from .accounts import Assignment, Responsibility, User
from .audit import CLI_ACTOR, AuditEntry
from .connection import (
    begin_writing,
    check_schema,
    create_store_engine,
    display_url,
    resolve_url,
    unreachable,
    upgrade,
)
from .observations import ObservationRevision, WriteResult
from .plans import PlanSummary, PlanVersionInfo
from .regions import Region, RegionNode
from .rounds import Entry, Round, Submission, SubmissionEvent
from .task_progress import TaskAssignmentRecord, TaskProgress, TaskProgressRecord
from .work_reports import WorkReport, WorkReportEvent
from .workspace import WorkspaceSettings


class Store:
    """Plans, regions, series and observations in SQLite or PostgreSQL."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_store_engine(url)
        self._checked = False

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    # ------------------------------------------------------------ connections

    def init(self) -> None:
        """Create or upgrade the schema via Alembic (idempotent)."""
        upgrade(self.engine, self.url)
        self._checked = True

    @contextmanager
    def begin(self):
        """A connection in one write transaction on an initialised store (rolled back on error).

        Every writer comes through here and waits for the one before it (see begin_writing): two
        imports at once apply one after the other, and the second reports against the first.
        """
        self._ensure_schema()
        try:
            with self.engine.begin() as conn:
                begin_writing(conn)
                yield conn
        except OperationalError as exc:
            raise unreachable(self.url, exc) from exc

    @contextmanager
    def read(self):
        """A read-only connection on an initialised store."""
        self._ensure_schema()
        try:
            with self.engine.connect() as conn:
                yield conn
        except (OperationalError, ProgrammingError) as exc:
            raise unreachable(self.url, exc) from exc

    def _ensure_schema(self) -> None:
        if not self._checked:
            check_schema(self.engine, self.url)
            self._checked = True

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def data_version(self) -> tuple[int | str | None, ...]:
        """A fingerprint of what the pages read, changed by every import (approvals included), plan version,
        adjustment, region edit, task update, task assignment, project report and series decision (whose figures move by
        UPDATE, leaving the observation ids as they were): compare two, don't interpret one. One
        query of index lookups, plus the region rows (edited in place, so only their content shows a
        change; a few thousand rows at most)."""
        imports, versions, adjustments = schema.imports.c.id, schema.plan_versions.c.id, schema.target_adjustments.c.id
        r = schema.regions.c
        region_row = r.name + "|" + func.coalesce(r.parent, "") + "|" + func.coalesce(r.level, "")
        parts = [select(func.max(imports)), select(func.count(imports)), select(func.max(schema.observations.c.id)),
                 select(func.max(versions)), select(func.max(adjustments)), select(func.count(adjustments)),
                 select(func.max(schema.task_progress.c.id)), select(func.max(schema.project_reports.c.id)),
                 select(cast(func.max(schema.series_matches.c.decided_at), String)),  # a replaced one keeps its id
                 select(cast(func.max(schema.category_sections.c.decided_at), String)),  # likewise
                 select(func.max(schema.task_assignments.c.id)),
                 select(func.aggregate_strings(region_row, "\n"))]
        with self.read() as conn:
            *counters, regions = conn.execute(select(*(p.scalar_subquery() for p in parts))).one()
        return (*counters, hashlib.sha256((regions or "").encode()).hexdigest()[:16])

    # ------------------------------------------------------------ plans

    def load_plan(self, plan: Plan, *, source: str | None = None, note: str | None = None,
                  actor: str = CLI_ACTOR, audit_after: Mapping[str, Any] | None = None) -> PlanVersionInfo:
        """Store a plan (a new version when it changed); record target adjustments, series and region.
        A new version is audited (``plan.load``) in the same transaction, with ``audit_after`` added."""
        with self.begin() as conn:
            info = plans_db.load(conn, plan, source=source, note=note)
            if plan.series:
                self._declare(conn, plan.series)
            if plan.meta.region:
                regions_db.ensure_region(conn, plan.meta.region, plan.meta.level)
            if info.created:
                audit_db.record(conn, actor, "plan.load", info.key,
                                after={"version": info.version, "source": source, "note": note,
                                       "adjustments": len(info.adjustments), **(audit_after or {})})
        return info

    def plan(self, plan_key: str | None = None, version: int | None = None) -> Plan:
        """A stored plan: the latest version of the given or most recently loaded plan."""
        with self.read() as conn:
            return plans_db.read(conn, plan_key, version)

    def has_plan(self) -> bool:
        """Whether any plan is stored."""
        with self.read() as conn:
            return conn.execute(select(schema.plans.c.id).limit(1)).first() is not None

    def plans(self) -> list[PlanSummary]:
        """Every stored plan."""
        with self.read() as conn:
            return plans_db.summaries(conn)

    def adjustments(self, plan_key: str | None = None) -> list[TargetAdjustment]:
        """Recorded target adjustments, oldest first."""
        with self.read() as conn:
            return plans_db.adjustments(conn, plan_key)

    def add_adjustment(self, indicator_id: str, *, new_value: float, reason: str, document: str | None = None,
                       date: str | None = None, comparator: str | None = None,
                       plan_key: str | None = None, actor: str = CLI_ACTOR) -> TargetAdjustment:
        """Change one target (规划动态调整): a new plan version with the adjustment recorded (and audited)."""
        if not reason or not reason.strip():
            raise InputError("调整目标须说明原因（原因不能为空）")
        if not math.isfinite(new_value):
            raise InputError(f"调整后的目标值 {new_value} 不是有限的数值：应为普通数字，如 9000")
        with self.begin() as conn:
            plan = plans_db.read(conn, plan_key)
            new = plans_db.adjusted_plan(plan, indicator_id, new_value=new_value, reason=reason, document=document,
                                         when=date, comparator=comparator)
            info = plans_db.load(conn, new, source=None, note=f"调整指标 {indicator_id}：{reason}")
            if not info.adjustments:
                held = plan.indicator(indicator_id)
                assert held is not None, "adjusted_plan refused an unknown indicator"
                raise InputError(f"指标 {held.id} {held.name} 的目标已是 "
                                 f"{target_phrase(held.target.value, held.target.comparator, held.unit)}，未作调整")
            made = info.adjustments[0]
            audit_db.record(conn, actor, "target.adjust", f"{info.key} {made.indicator}",
                            before={"value": made.old_value, "text": made.old_text},
                            after={"value": made.new_value, "text": made.new_text, "reason": made.reason,
                                   "document": made.document})
            return made

    # ------------------------------------------------------------ regions

    def regions(self) -> list[Region]:
        """Every region, parents before children."""
        with self.read() as conn:
            return regions_db.all_regions(conn)

    def add_regions(self, rows: Iterable[Region | Mapping[str, Any] | tuple]) -> list[Region]:
        """Insert or update regions (name, parent, level)."""
        with self.begin() as conn:
            return regions_db.add_regions(conn, rows)

    def region_tree(self) -> list[RegionNode]:
        """The regions as a tree, roots first."""
        return regions_db.tree(self.regions())

    # ------------------------------------------------------------ series

    def declare_series(self, series: Iterable[Series]) -> None:
        """Register (or update) series the plan does not list."""
        with self.begin() as conn:
            self._declare(conn, list(series))

    @staticmethod
    def _declare(conn: Connection, series: list[Series]) -> None:
        t = schema.series
        known = set(conn.execute(select(t.c.code)).scalars())
        for s in series:
            values = {"name": s.name, "unit": s.unit, "kind": str(s.kind)}
            if s.code in known:
                conn.execute(t.update().where(t.c.code == s.code).values(**values))
            else:
                conn.execute(t.insert().values(code=s.code, **values))
                known.add(s.code)

    def series(self) -> list[Series]:
        """Every declared series."""
        with self.read() as conn:
            return [Series(code=r.code, name=r.name, unit=r.unit, kind=ObservationKind(r.kind))
                    for r in conn.execute(select(schema.series).order_by(schema.series.c.code))]

    # ------------------------------------------------------------ observations

    def write_observations(self, conn: Connection, records: Iterable[dict], *, file_name: str,
                           sha256: str) -> WriteResult:
        """Write prepared records inside an open transaction; records an import when anything changed.

        The records are read once, chunk by chunk (a generator will do): the import's row count is known
        when they are all written."""
        i = schema.imports
        import_id = plans_db.inserted_id(conn.execute(i.insert().values(
            file_name=file_name, sha256=sha256, row_count=0, imported_at=plans_db.now())))
        result = obs_db.write(conn, records, import_id)
        if result.statuses and result.count("unchanged") == len(result.statuses):
            conn.execute(i.delete().where(i.c.id == import_id))
        else:
            conn.execute(i.update().where(i.c.id == import_id).values(row_count=len(result.statuses)))
        return result

    def add_observations(self, observations: Iterable[Observation], *, file_name: str = "<api>") -> WriteResult:
        """Store observations as given (no validation beyond the model's); revisions as for imports."""
        records = [obs_db.record_of(o, n) for n, o in enumerate(observations, start=1)]
        digest = hashlib.sha256(repr([(r["indicator"], r["region"], r["year"], r["value"]) for r in records])
                                .encode()).hexdigest()
        with self.begin() as conn:
            return self.write_observations(conn, records, file_name=file_name, sha256=digest)

    def observations(self, indicator: str | None = None, region: str | None = None, year: int | None = None, *,
                     include_revisions: bool = False) -> list[Observation]:
        """Current observations (or every revision) matching the filters."""
        with self.read() as conn:
            return obs_db.select_observations(conn, indicator, region, year, include_revisions=include_revisions)

    def revisions(self, indicator: str, region: str, year: int) -> list[ObservationRevision]:
        """Every value ever imported for the key, oldest first."""
        with self.read() as conn:
            return obs_db.select_revisions(conn, indicator, region, year)

    def observation_frame(self, plan_key: str | None = None, *, max_year: int | None = None) -> pd.DataFrame:
        """Current observations as a DataFrame (of one plan's indicators and series when a key is given)."""
        with self.read() as conn:
            indicators = None
            if plan_key is not None:
                plan = plans_db.read(conn, plan_key)
                codes = set(conn.execute(select(schema.series.c.code)).scalars())
                indicators = sorted({i.id for i in plan.indicators} | {s.code for s in plan.series} | codes)
            return obs_db.frame(conn, indicators, max_year=max_year)

    # ------------------------------------------------------------ accounts

    def add_user(self, name: str, *, role: str, password: str, unit: str | None = None,
                 region: str | None = None, actor: str = CLI_ACTOR) -> User:
        """Create an account (admin, planner, reporter with its unit, viewer); the password is stored as argon2."""
        with self.begin() as conn:
            user = accounts_db.add_user(conn, name, role=role, password=password, unit=unit, region=region)
            audit_db.record(conn, actor, "user.add", name, after=user.model_dump(mode="json"))
            return user

    def users(self) -> list[User]:
        """Every account, by name (never with its password hash)."""
        with self.read() as conn:
            return accounts_db.all_users(conn)

    def user(self, name: str) -> User:
        """One account; StoreError when there is none of that name."""
        with self.read() as conn:
            return accounts_db.get_user(conn, name)

    def disable_user(self, name: str, *, actor: str = CLI_ACTOR) -> User:
        """Disable an account: it can no longer log in (the last active admin cannot be disabled)."""
        with self.begin() as conn:
            user = accounts_db.disable_user(conn, name)
            audit_db.record(conn, actor, "user.disable", name, before={"disabled": False}, after={"disabled": True})
            return user

    def set_password(self, name: str, password: str, *, actor: str = CLI_ACTOR) -> None:
        """Replace an account's password (its sessions and tokens end with the old one)."""
        with self.begin() as conn:
            accounts_db.set_password(conn, name, password)
            audit_db.record(conn, actor, "user.password", name)

    def verify_password(self, name: str, password: str) -> User | None:
        """The account when the password is its own and it is not disabled, else None (argon2's
        constant-time comparison; an unknown name costs the same as a wrong password)."""
        with self.read() as conn:
            user, rehash = accounts_db.verify(conn, name, password)
        if user is not None and rehash is not None:  # hashed with older parameters: upgrade it now
            with self.begin() as conn:
                accounts_db.store_hash(conn, user.name, rehash)
        return user

    # ------------------------------------------------------------ responsibilities

    def assign(self, indicator: str, lead_unit: str, co_units: list[str] | None = None, *,
               plan_key: str | None = None, actor: str = CLI_ACTOR) -> Responsibility:
        """Set one indicator's lead unit and co-operating units (replacing what it had)."""
        return self.assign_many([Assignment(indicator=indicator, lead_unit=lead_unit, co_units=co_units or [])],
                                plan_key=plan_key, actor=actor)[0]

    def assign_many(self, entries: Iterable[Assignment], *, plan_key: str | None = None,
                    actor: str = CLI_ACTOR) -> list[Responsibility]:
        """Set several indicators' responsibilities in one transaction: all, or none with every problem listed."""
        with self.begin() as conn:
            before = {r.indicator: r for r in accounts_db.responsibilities(conn, plan_key)}
            done = accounts_db.assign(conn, list(entries), plan_key)
            for r in done:
                old = before.get(r.indicator)
                audit_db.record(conn, actor, "responsibility", f"{r.plan_key} {r.indicator}",
                                before=None if old is None else {"lead_unit": old.lead_unit, "co_units": old.co_units},
                                after={"lead_unit": r.lead_unit, "co_units": r.co_units})
            return done

    def responsibilities(self, plan_key: str | None = None) -> list[Responsibility]:
        """Who answers for each indicator of the plan (default: the latest loaded), in the plan's order."""
        with self.read() as conn:
            return accounts_db.responsibilities(conn, plan_key)

    # ------------------------------------------------------------ workspace: settings and audit

    def workspace_settings(self) -> WorkspaceSettings:
        """The workspace settings (public mode, plausibility share, login throttle, session length)."""
        with self.read() as conn:
            return workspace_db.read(conn)

    def change_settings(self, values: Mapping[str, Any], *, actor: str = CLI_ACTOR) -> WorkspaceSettings:
        """Change workspace settings by name (checked together, audited one by one)."""
        with self.begin() as conn:
            return workspace_db.change(conn, dict(values), actor)

    def signing_key(self) -> str:
        """The key that signs browser sessions and API tokens (made on first use)."""
        with self.begin() as conn:
            return workspace_db.signing_key(conn)

    def audit(self, actor: str, action: str, subject: str, *, before: Any = None, after: Any = None) -> None:
        """Record one event that changes nothing else (a login, a logout, a failed login)."""
        with self.begin() as conn:
            audit_db.record(conn, actor, action, subject, before=before, after=after)

    def audit_entries(self, *, actor: str | None = None, action: str | None = None, subject: str | None = None,
                      subject_contains: str | None = None, since: datetime | None = None,
                      until: datetime | None = None, limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
        """Recorded changes matching the filters (``since`` inclusive, ``until`` exclusive), newest first."""
        with self.read() as conn:
            return audit_db.entries(conn, actor=actor, action=action, subject=subject,
                                    subject_contains=subject_contains, since=since, until=until, limit=limit,
                                    offset=offset)

    def audit_count(self, *, actor: str | None = None, action: str | None = None, subject_contains: str | None = None,
                    since: datetime | None = None, until: datetime | None = None) -> int:
        """How many recorded changes match the filters."""
        with self.read() as conn:
            return audit_db.count(conn, actor=actor, action=action, subject_contains=subject_contains, since=since,
                                  until=until)

    def audit_actors(self) -> list[str]:
        """Every name that has recorded a change."""
        with self.read() as conn:
            return audit_db.actors(conn)

    def login_failures(self, name: str, minutes: float) -> int:
        """Failed logins of an account name in the last ``minutes``."""
        with self.read() as conn:
            return audit_db.failures_since(conn, name, minutes)

    # ------------------------------------------------------------ data rounds and submissions

    def open_round(self, plan_key: str | None = None, *, year: int, title: str | None = None, due: str | None = None,
                   regions: list[str] | None = None, actor: str = CLI_ACTOR) -> Round:
        """Open a data round of a plan for one data year."""
        with self.begin() as conn:
            return rounds_db.open_round(conn, plan_key, year=year, title=title, due=due, regions=regions, actor=actor)

    def rounds(self, plan_key: str | None = None) -> list[Round]:
        """Data rounds, newest first (of one plan when a key is given)."""
        with self.read() as conn:
            return rounds_db.rounds(conn, plan_key)

    def round(self, round_id: int) -> Round:
        with self.read() as conn:
            return rounds_db.get_round(conn, round_id)

    def close_round(self, round_id: int, *, actor: str = CLI_ACTOR) -> Round:
        with self.begin() as conn:
            return rounds_db.close_round(conn, round_id, actor)

    def submissions(self, round_id: int, *, unit: str | None = None) -> list[Submission]:
        """The figures entered in a round (of one responsible unit when given)."""
        with self.read() as conn:
            return rounds_db.submissions(conn, round_id, unit=unit)

    def submission(self, submission_id: int) -> Submission:
        with self.read() as conn:
            return rounds_db.get_submission(conn, submission_id)

    def submission_events(self, submission_id: int) -> list[SubmissionEvent]:
        """Every step of one submission, with the value as it then was, oldest first."""
        with self.read() as conn:
            return rounds_db.events(conn, submission_id)

    def enter_figures(self, round_id: int, entries: Iterable[Entry], *, actor: str, submit: bool,
                      versions: Mapping[tuple[str, str], int] | None = None) -> list[Submission]:
        """Save or submit checked figures in one transaction: all, or none.

        ``versions`` gives, per (indicator, region), the version the person saw; a figure changed
        since by someone else refuses the whole batch with a ConflictError."""
        with self.begin() as conn:
            return [rounds_db.enter(conn, round_id, e, actor=actor, submit=submit,
                                    expected_version=(versions or {}).get((e.indicator, e.region)))
                    for e in entries]

    def decide(self, submission_id: int, action: str, *, actor: str, comment: str | None = None,
               expected_version: int | None = None) -> Submission:
        """Approve, return or withdraw a submission. Approval records its value as an observation in
        the same transaction: from then on it counts in the evaluation, as an import would."""
        with self.begin() as conn:
            sub = rounds_db.decide(conn, submission_id, action, actor=actor, comment=comment,
                                   expected_version=expected_version)
            if action == "approve":
                obs = sub.observation(actor)
                key, value, unit = series_db.links(conn).recorded(rounds_db.get_round(conn, sub.round_id).plan_key,
                                                        sub.indicator, sub.value, sub.unit)
                record = obs_db.record_of(obs.model_copy(update={"indicator": key, "value": value, "unit": unit}), 1)
                digest = hashlib.sha256(f"submission:{sub.id}:{sub.version}".encode()).hexdigest()
                self.write_observations(conn, [record], file_name=f"数据填报 #{sub.id}", sha256=digest)
            return sub

    def pending_submissions(self, plan_key: str | None = None) -> list[Submission]:
        """Submitted figures not yet decided (what a planner's preview adds to the evaluation)."""
        with self.read() as conn:
            return rounds_db.pending(conn, plan_key)

    # ------------------------------------------------------------ task progress

    def record_task_progress(self, plan_key: str | None, updates: Iterable[TaskUpdate], *,
                             file_name: str | None = None, assignments: Iterable[TaskAssignment] = (),
                             actor: str = CLI_ACTOR) -> list[TaskProgressRecord]:
        """Record dated progress updates of a plan's tasks, and the assignments a supervision table states
        (audited), in one transaction: all, or none."""
        with self.begin() as conn:
            done = progress_db.record(conn, plan_key, list(updates), file_name)
            stated = list(assignments)
            if stated:
                progress_db.assign(conn, plan_key, stated, actor)
            return done

    def assign_tasks(self, entries: Iterable[TaskAssignment], *, plan_key: str | None = None,
                     actor: str = CLI_ACTOR) -> list[TaskAssignmentRecord]:
        """Set tasks' lead unit, co-operating units and planned completion (replacing what each had), audited,
        in one transaction: all, or none with every problem listed."""
        with self.begin() as conn:
            return progress_db.assign(conn, plan_key, list(entries), actor)

    def task_assignments(self, plan_key: str | None = None) -> dict[str, TaskAssignmentRecord]:
        """Who answers for each assigned task of the plan, and by when, by task id."""
        with self.read() as conn:
            return progress_db.assignments(conn, plan_key)

    # ------------------------------------------------------------ work reports (tasks and projects)

    def enter_work_report(self, plan_key: str | None, content: TaskUpdate | projects_db.ProjectReport, *, unit: str,
                          actor: str, submit: bool, expected_version: int | None = None) -> WorkReport:
        """Save or submit a unit's task update or project-year report (checked before: see web/work_context.py)."""
        with self.begin() as conn:
            return work_db.enter(conn, plan_key, content, unit=unit, actor=actor, submit=submit,
                                 expected_version=expected_version)

    def decide_work_report(self, report_id: int, action: str, *, actor: str, comment: str | None = None,
                           expected_version: int | None = None) -> WorkReport:
        """Approve, return or withdraw a work report. Approval records the update or project-year report in the
        same transaction: from then on it counts on the task and project pages, as an imported one would."""
        with self.begin() as conn:
            return work_db.decide(conn, report_id, action, actor=actor, comment=comment,
                                  expected_version=expected_version)

    def work_report(self, report_id: int) -> WorkReport:
        with self.read() as conn:
            return work_db.get(conn, report_id)

    def work_reports(self, plan_key: str | None = None, *, state: SubmissionState | None = None,
                     unit: str | None = None, kind: WorkKind | None = None,
                     subject: str | None = None) -> list[WorkReport]:
        """A plan's work reports matching the filters, oldest first."""
        with self.read() as conn:
            return work_db.reports(conn, plan_key, state=state, unit=unit, kind=kind, subject=subject)

    def work_report_events(self, report_id: int) -> list[WorkReportEvent]:
        """Every step of one work report, with the content as it then was, oldest first."""
        with self.read() as conn:
            return work_db.events(conn, report_id)

    def task_progress(self, plan_key: str | None = None) -> TaskProgress:
        """A plan's task progress: the latest update per task, and every update (oldest first)."""
        with self.read() as conn:
            return progress_db.progress(conn, plan_key)

    # ------------------------------------------------------------ project tracking

    def record_project_reports(self, plan_key: str | None, reports: Iterable[projects_db.ProjectReport], *,
                               file_name: str | None = None) -> int:
        """Record what a tracking sheet reports of a plan's projects in one transaction: all, or none."""
        with self.begin() as conn:
            return projects_db.record(conn, plan_key, list(reports), file_name)

    def project_reports(self, plan_key: str | None = None) -> projects_db.ProjectReports:
        """A plan's project reports: the latest per project-year, and every report (oldest first)."""
        with self.read() as conn:
            return projects_db.reports(conn, plan_key)

    def project_report_rows(self, plan_key: str | None = None) -> list[ProjectReportRow]:
        """A plan's project reports as the judging reads them (plain tuples), in the order recorded."""
        with self.read() as conn:
            return projects_db.report_rows(conn, plan_key)

    def extra_projects(self, plan_key: str | None = None) -> list[str]:
        """Names of the projects added by sheets that the plan's text does not name."""
        with self.read() as conn:
            return projects_db.extra_projects(conn, plan_key)

    # ------------------------------------------------------------ series across plans
    # (imported here, not at the top: these methods were appended while others edited the import block)

    def series_links(self):
        """The stored plans' series: matched indicators, the decisions on them, each one's stored key."""
        with self.read() as conn:
            return series_db.links(conn)

    def series_decisions(self):
        """Every decision on two indicators being one series (confirmed) or not (split), oldest first."""
        with self.read() as conn:
            return series_db.decisions(conn)

    def confirm_series(self, a: str, b: str, *, actor: str = CLI_ACTOR):
        """Record that indicators ``a`` and ``b`` (``PLANKEY:ID``) of two plans are one series, moving the figures
        of a key it leaves unused under the series' key (and audit it)."""
        return self._decide_series(a, b, "confirmed", actor)

    def split_series(self, a: str, b: str, *, actor: str = CLI_ACTOR):
        """Record that indicators ``a`` and ``b`` are never one series, whatever their names (and audit it)."""
        return self._decide_series(a, b, "split", actor)

    def _decide_series(self, a: str, b: str, verdict: str, actor: str) -> series_db.DecisionOutcome:
        """The decision recorded, the figures of the keys it changes moved (or counted where they stay) under
        the store's write lock, and audited: all in one transaction, or nothing."""
        with self.begin() as conn:
            outcome = series_db.decide(conn, a, b, verdict, actor)
            decision = outcome.decision
            before, after = outcome.audited()
            audit_db.record(conn, actor, f"series.{verdict}",
                            f"{decision.plan_a}:{decision.indicator_a} {decision.plan_b}:{decision.indicator_b}",
                            before=before, after=after)
            return outcome

    # ------------------------------------------------------------ indicator categories and work sections

    def category_sections(self, plan_key: str | None = None) -> sections_db.CategorySections:
        """Each category of the plan's current indicators with the headings of its work: the rule's proposals
        (ingest/work_sections.py) and a person's decisions on them."""
        with self.read() as conn:
            return sections_db.read(conn, plan_key)

    def confirm_category_section(self, plan_key: str | None, category: str, section_id: str, *,
                                 actor: str = CLI_ACTOR) -> sections_db.SectionDecision:
        """Record that a heading's tasks and projects are the work of a category's indicators (and audit it)."""
        return self.decide_category_section(plan_key, category, section_id, sections_db.CONFIRMED, actor=actor)

    def reject_category_section(self, plan_key: str | None, category: str, section_id: str, *,
                                actor: str = CLI_ACTOR) -> sections_db.SectionDecision:
        """Record that a heading is not the work of a category (and audit it)."""
        return self.decide_category_section(plan_key, category, section_id, sections_db.REJECTED, actor=actor)

    def decide_category_section(self, plan_key: str | None, category: str, section_id: str, verdict: str, *,
                                actor: str = CLI_ACTOR) -> sections_db.SectionDecision:
        """Record a verdict (confirmed / rejected, else InputError) on a category and a heading, replacing an
        earlier one, and audit it: both in one transaction."""
        with self.begin() as conn:
            decision, before = sections_db.decide(conn, plan_key, category, section_id, verdict, actor)
            audit_db.record(conn, actor, f"category_section.{verdict}",
                            f"{decision.plan_key} {decision.category} {decision.section_id}",
                            before={"verdict": before} if before else None, after={"verdict": verdict})
            return decision


def open_store(url: str | None = None) -> Store:
    """A Store for the URL (see resolve_url); creates the engine, touches nothing yet."""
    return Store(resolve_url(url))
