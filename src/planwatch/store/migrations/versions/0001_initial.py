"""Initial schema: plans, versions, indicators, targets, adjustments, regions, series, imports, observations.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("region", sa.String(100)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("loaded_at", TS, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
    )
    op.create_index("ix_plan_versions_plan_version", "plan_versions", ["plan_id", "version"], unique=True)
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("table_label", sa.String(40)),
        sa.Column("no", sa.String(20)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("category", sa.String(100)),
        sa.Column("attribute", sa.String(20)),
        sa.Column("period_end", sa.Integer),
        sa.Column("line", sa.Integer),
    )
    op.create_index("ix_indicators_version_id", "indicators", ["version_id"])
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("comparator", sa.String(20)),
        sa.Column("value", sa.Float),
        sa.Column("value_max", sa.Float),
        sa.Column("text", sa.Text),
        sa.Column("year", sa.Integer),
    )
    op.create_index("ix_targets_version_id", "targets", ["version_id"])
    op.create_table(
        "target_adjustments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("indicator_name", sa.Text),
        sa.Column("no", sa.String(20)),
        sa.Column("old_value", sa.Float),
        sa.Column("new_value", sa.Float),
        sa.Column("old_text", sa.Text),
        sa.Column("new_text", sa.Text),
        sa.Column("old_comparator", sa.String(20)),
        sa.Column("new_comparator", sa.String(20)),
        sa.Column("old_kind", sa.String(30)),
        sa.Column("new_kind", sa.String(30)),
        sa.Column("date", sa.String(20)),
        sa.Column("reason", sa.Text),
        sa.Column("document", sa.Text),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_target_adjustments_plan_id", "target_adjustments", ["plan_id"])
    op.create_table(
        "regions",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("parent", sa.String(100)),
        sa.Column("level", sa.String(20)),
    )
    op.create_index("ix_regions_parent", "regions", ["parent"])
    op.create_table(
        "series",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("imported_at", TS, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("bound", sa.String(1)),
        sa.Column("text", sa.Text),
        sa.Column("unit", sa.String(40)),
        sa.Column("source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("vintage", sa.String(40)),
        sa.Column("vintage_rank", sa.Integer, nullable=False),
        sa.Column("extra", sa.Text),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id")),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_observations_key", "observations", ["indicator", "region", "year", "kind"])


def downgrade() -> None:
    for name in ("observations", "imports", "series", "regions", "target_adjustments", "targets", "indicators",
                 "plan_versions", "plans"):
        op.drop_table(name)
