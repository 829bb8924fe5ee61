"""Tables of the store (SQLAlchemy Core). Alembic migrations create them; keep both in step."""

from __future__ import annotations

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
)

metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(80), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("region", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
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
    Column("recorded_at", DateTime(timezone=True), nullable=False),
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
    Column("imported_at", DateTime(timezone=True), nullable=False),
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
    Column("recorded_at", DateTime(timezone=True), nullable=False),
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
    Column("created_at", DateTime(timezone=True), nullable=False),
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
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Index("ux_responsibilities_plan_indicator", "plan_id", "indicator", unique=True),
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
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_task_progress_plan_task", "plan_id", "task_id"),
)
