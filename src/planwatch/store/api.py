"""The Store: one object over the database that the other stages use."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from planwatch.errors import StoreError
from planwatch.model import Observation, ObservationKind, Plan, Series, TargetAdjustment, TaskUpdate

from . import accounts as accounts_db
from . import observations as obs_db
from . import plans as plans_db
from . import regions as regions_db
from . import schema
from . import task_progress as progress_db
from .accounts import Assignment, Responsibility, User
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
from .task_progress import TaskProgress, TaskProgressRecord


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
        """A fingerprint of what evaluation reads, changed by every import, plan version, adjustment and
        region edit: compare two, don't interpret one. One query of index lookups, plus the region rows
        (edited in place, so only their content shows a change; a few thousand rows at most)."""
        imports, versions, adjustments = schema.imports.c.id, schema.plan_versions.c.id, schema.target_adjustments.c.id
        r = schema.regions.c
        region_row = r.name + "|" + func.coalesce(r.parent, "") + "|" + func.coalesce(r.level, "")
        parts = [select(func.max(imports)), select(func.count(imports)), select(func.max(schema.observations.c.id)),
                 select(func.max(versions)), select(func.max(adjustments)), select(func.count(adjustments)),
                 select(func.aggregate_strings(region_row, "\n"))]
        with self.read() as conn:
            *counters, regions = conn.execute(select(*(p.scalar_subquery() for p in parts))).one()
        return (*counters, hashlib.sha256((regions or "").encode()).hexdigest()[:16])

    # ------------------------------------------------------------ plans

    def load_plan(self, plan: Plan, *, source: str | None = None, note: str | None = None) -> PlanVersionInfo:
        """Store a plan (a new version when it changed); record target adjustments, series and region."""
        with self.begin() as conn:
            info = plans_db.load(conn, plan, source=source, note=note)
            if plan.series:
                self._declare(conn, plan.series)
            if plan.meta.region:
                regions_db.ensure_region(conn, plan.meta.region, plan.meta.level)
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
                       plan_key: str | None = None) -> TargetAdjustment:
        """Change one target (规划动态调整): a new plan version with the adjustment recorded."""
        if not reason or not reason.strip():
            raise StoreError("调整目标须说明原因（--reason）")
        if not math.isfinite(new_value):
            raise StoreError(f"调整后的目标值 {new_value} 不是有限的数值：应为普通数字，如 9000")
        plan = self.plan(plan_key)
        new = plans_db.adjusted_plan(plan, indicator_id, new_value=new_value, reason=reason, document=document,
                                     when=date, comparator=comparator)
        info = self.load_plan(new, note=f"调整指标 {indicator_id}：{reason}")
        if not info.adjustments:
            raise StoreError(f"指标 {indicator_id} 的目标值已是 {new_value:g}，未作调整")
        return info.adjustments[0]

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

    def write_observations(self, conn: Connection, records: list[dict], *, file_name: str, sha256: str) -> WriteResult:
        """Write prepared records inside an open transaction; records an import when anything changed."""
        i = schema.imports
        import_id = plans_db.inserted_id(conn.execute(i.insert().values(
            file_name=file_name, sha256=sha256, row_count=len(records), imported_at=plans_db.now())))
        result = obs_db.write(conn, records, import_id)
        if result.statuses and all(s == "unchanged" for s in result.statuses):
            conn.execute(i.delete().where(i.c.id == import_id))
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
                 region: str | None = None) -> User:
        """Create an account (admin, planner, reporter with its unit, viewer); the password is stored as argon2."""
        with self.begin() as conn:
            return accounts_db.add_user(conn, name, role=role, password=password, unit=unit, region=region)

    def users(self) -> list[User]:
        """Every account, by name (never with its password hash)."""
        with self.read() as conn:
            return accounts_db.all_users(conn)

    def user(self, name: str) -> User:
        """One account; StoreError when there is none of that name."""
        with self.read() as conn:
            return accounts_db.get_user(conn, name)

    def disable_user(self, name: str) -> User:
        """Disable an account: it can no longer log in (the last active admin cannot be disabled)."""
        with self.begin() as conn:
            return accounts_db.disable_user(conn, name)

    def set_password(self, name: str, password: str) -> None:
        """Replace an account's password."""
        with self.begin() as conn:
            accounts_db.set_password(conn, name, password)

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
               plan_key: str | None = None) -> Responsibility:
        """Set one indicator's lead unit and co-operating units (replacing what it had)."""
        return self.assign_many([Assignment(indicator=indicator, lead_unit=lead_unit, co_units=co_units or [])],
                                plan_key=plan_key)[0]

    def assign_many(self, entries: Iterable[Assignment], *, plan_key: str | None = None) -> list[Responsibility]:
        """Set several indicators' responsibilities in one transaction: all, or none with every problem listed."""
        with self.begin() as conn:
            return accounts_db.assign(conn, list(entries), plan_key)

    def responsibilities(self, plan_key: str | None = None) -> list[Responsibility]:
        """Who answers for each indicator of the plan (default: the latest loaded), in the plan's order."""
        with self.read() as conn:
            return accounts_db.responsibilities(conn, plan_key)

    # ------------------------------------------------------------ task progress

    def record_task_progress(self, plan_key: str | None, updates: Iterable[TaskUpdate], *,
                             file_name: str | None = None) -> list[TaskProgressRecord]:
        """Record dated progress updates of a plan's tasks in one transaction: all, or none."""
        with self.begin() as conn:
            return progress_db.record(conn, plan_key, list(updates), file_name)

    def task_progress(self, plan_key: str | None = None) -> TaskProgress:
        """A plan's task progress: the latest update per task, and every update (oldest first)."""
        with self.read() as conn:
            return progress_db.progress(conn, plan_key)


def open_store(url: str | None = None) -> Store:
    """A Store for the URL (see resolve_url); creates the engine, touches nothing yet."""
    return Store(resolve_url(url))
