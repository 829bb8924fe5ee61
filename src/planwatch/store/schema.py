"""Tables of the store (SQLAlchemy Core). Alembic migrations create them; keep both in step."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator):
    """A moment stored with its time zone and always read back as UTC-aware.

    PostgreSQL keeps the zone; SQLite keeps the text and hands back a naive value. Every moment the
    store writes is UTC (plans.now), so a naive one read back is UTC: say so, and every surface (JSON
    with its offset, Beijing time on pages) reads one kind of value."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(80), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("region", String(100)),
    Column("created_at", UTCDateTime(), nullable=False),
)

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("loaded_at", UTCDateTime(), nullable=False),
    Column("source", Text),
    Column("note", Text),
    Column("sha256", String(64), nullable=False),
    Column("plan_json", Text, nullable=False),
    Index("ix_plan_versions_plan_version", "plan_id", "version", unique=True),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("plan_versions.id"), nullable=False, index=True),
    Column("indicator", String(40), nullable=False),
    Column("table_label", String(40)),
    Column("no", String(20)),
    Column("name", Text, nullable=False),
    Column("unit", String(40)),
    Column("category", String(100)),
    Column("attribute", String(20)),
    Column("period_end", Integer),
    Column("line", Integer),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("plan_versions.id"), nullable=False, index=True),
    Column("indicator", String(40), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("comparator", String(20)),
    Column("value", Float),
    Column("value_max", Float),
    Column("text", Text),
    Column("year", Integer),
)

target_adjustments = Table(
    "target_adjustments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False, index=True),
    Column("version_id", Integer, ForeignKey("plan_versions.id"), nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("indicator_name", Text),
    Column("no", String(20)),
    Column("old_value", Float),
    Column("new_value", Float),
    Column("old_text", Text),
    Column("new_text", Text),
    Column("old_comparator", String(20)),
    Column("new_comparator", String(20)),
    Column("old_kind", String(30)),
    Column("new_kind", String(30)),
    Column("date", String(20)),
    Column("reason", Text),
    Column("document", Text),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

regions = Table(
    "regions",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("parent", String(100), index=True),
    Column("level", String(20)),
)

series = Table(
    "series",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("unit", String(40)),
    Column("kind", String(20), nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("imported_at", UTCDateTime(), nullable=False),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator", String(40), nullable=False),
    Column("region", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("value", Float),
    Column("bound", String(1)),
    Column("text", Text),
    Column("unit", String(40)),
    Column("source", Text),
    Column("note", Text),
    Column("vintage", String(40)),
    # Sort key of the vintage: preliminary 0, unspecified or dated 1, final 2.
    Column("vintage_rank", Integer, nullable=False),
    Column("extra", Text),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("row_no", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Index("ix_observations_key", "indicator", "region", "year", "kind"),
)

# One current value per figure, kept by the database: a write that would leave two current
# revisions of a key fails instead of leaving `export` and `evaluate` to pick one.
Index("ux_observations_current", observations.c.indicator, observations.c.region, observations.c.year,
      observations.c.kind, unique=True, sqlite_where=observations.c.is_current,
      postgresql_where=observations.c.is_current)

OBSERVATION_COLUMNS = [c.name for c in observations.columns if c.name != "id"]

# Accounts of the web workspace; the hash is argon2 (see accounts.py), never the password.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("unit", String(100)),
    Column("region", String(100)),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# Who answers for each indicator of a plan: one lead unit (牵头单位), co-operating units (配合单位)
# as a JSON list of names.
responsibilities = Table(
    "responsibilities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("lead_unit", String(100), nullable=False),
    Column("co_units", Text, nullable=False),
    Column("assigned_at", UTCDateTime(), nullable=False),
    Index("ux_responsibilities_plan_indicator", "plan_id", "indicator", unique=True),
)

# Workspace settings an admin changes (public mode, plausibility share) and the session signing key.
app_settings = Table(
    "app_settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# A data round (数据填报) of a plan for one data year; ``regions`` is a JSON list of the regions asked for.
rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("due", String(10)),
    Column("regions", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("opened_by", String(80), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime()),
)

# The current state of each figure asked for in a round; ``version`` grows with every change, so an
# action taken on what a person saw fails when someone changed it meanwhile. Every step, with the
# value as it was then, is a row of ``submission_events``: nothing is overwritten.
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("region", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("value", Float),
    Column("unit", String(40)),
    Column("source", Text),
    Column("note", Text),
    Column("responsible_unit", String(100), nullable=False),
    Column("state", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("comment", Text),
    Column("author", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(80), nullable=False),
    Index("ux_submissions_round_figure", "round_id", "indicator", "region", unique=True),
)

submission_events = Table(
    "submission_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("value", Float),
    Column("unit", String(40)),
    Column("source", Text),
    Column("note", Text),
    Column("comment", Text),
    Column("actor", String(80), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)

# Every change made through the workspace or the account commands: who, when, what, before and after
# (JSON). Failed logins are rows too: the login throttle counts them.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", Text, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Index("ix_audit_log_action_subject", "action", "subject"),
)

# Dated progress updates of a plan's tasks (任务进展): every update is kept, the latest per task
# (by as_of, then by id) counts. ``as_of`` is YYYY-MM-DD; ``file_name`` the sheet it came from.
task_progress = Table(
    "task_progress",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("task_id", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("progress", Text, nullable=False),
    Column("lead_unit", Text),
    Column("as_of", String(10), nullable=False),
    Column("file_name", Text),
    Column("row_no", Integer),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Index("ix_task_progress_plan_task", "plan_id", "task_id"),
)

# What tracking sheets report of a plan's projects (重大项目进展): one row per project and year per
# import, never overwritten; the latest per (project, year) by as_of, then by id, counts. A project the
# plan's text does not name (the 551 list) has in_plan false and its name as project_key. Money in 亿元,
# dates YYYY-MM-DD; <milestone>_planned / <milestone>_actual for 立项 / 开工 / 完工 / 投用.
project_reports = Table(
    "project_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("project_key", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("in_plan", Boolean, nullable=False),
    Column("year", Integer, nullable=False),
    Column("lead_unit", Text),
    Column("region", Text),
    Column("total_investment", Float),
    Column("planned_investment", Float),
    Column("completed_investment", Float),
    Column("approved_planned", String(10)),
    Column("approved_actual", String(10)),
    Column("started_planned", String(10)),
    Column("started_actual", String(10)),
    Column("completed_planned", String(10)),
    Column("completed_actual", String(10)),
    Column("in_service_planned", String(10)),
    Column("in_service_actual", String(10)),
    Column("as_of", String(10), nullable=False),
    Column("file_name", Text),
    Column("row_no", Integer),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Index("ix_project_reports_plan_project_year", "plan_id", "project_key", "year"),
)

# A person's decision on two indicators of different plans (store/series_matches.py): ``confirmed`` (one
# series, whatever the names say) or ``split`` (never one series). One row per pair, the earlier-loaded
# plan in ``plan_a``; a new decision replaces the old one, the audit log keeps both.
series_matches = Table(
    "series_matches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_a", String(80), nullable=False),
    Column("indicator_a", String(40), nullable=False),
    Column("plan_b", String(80), nullable=False),
    Column("indicator_b", String(40), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    Index("ux_series_matches_pair", "plan_a", "indicator_a", "plan_b", "indicator_b", unique=True),
)

# A person's decision on an indicator category and a heading of the plan's work (store/category_sections.py):
# ``confirmed`` (the heading's tasks and projects carry the category) or ``rejected``. One row per
# category and heading of a plan; a new decision replaces the old one, the audit log keeps both.
category_sections = Table(
    "category_sections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("category", String(100), nullable=False),
    Column("section_id", String(40), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    Index("ux_category_sections_plan_category_section", "plan_id", "category", "section_id", unique=True),
)

# Who answers for each task of a plan (任务分工): one lead unit, co-operating units as a JSON list of names,
# the planned completion (YYYY-MM-DD); one row per task, replaced when set again (the audit log keeps both).
task_assignments = Table(
    "task_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("task_id", String(40), nullable=False),
    Column("lead_unit", String(100), nullable=False),
    Column("co_units", Text, nullable=False),
    Column("planned_completion", String(10)),
    Column("updated_by", String(80), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ux_task_assignments_plan_task", "plan_id", "task_id", unique=True),
)

# A unit's work report through the workspace (store/work_reports.py): a task's progress update (kind
# "task", subject the task id) or a project-year report (kind "project", subject the project key, ``year``).
# ``content`` is the TaskUpdate or ProjectReport as JSON, recorded as such on approval; ``version`` grows
# with every change, and every step is a row of ``work_report_events`` with the content as it then was.
work_reports = Table(
    "work_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("year", Integer),
    Column("unit", String(100), nullable=False),
    Column("content", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("comment", Text),
    Column("author", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(80), nullable=False),
    Index("ix_work_reports_plan_subject", "plan_id", "kind", "subject"),
)

work_report_events = Table(
    "work_report_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("work_reports.id"), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("comment", Text),
    Column("actor", String(80), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)
