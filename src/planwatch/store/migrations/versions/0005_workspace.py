"""The web workspace: settings, data rounds (数据填报), submissions with their history, and the audit log.

``app_settings`` holds the workspace settings an admin changes (public mode, plausibility share) and
the key that signs sessions; ``rounds`` one row per data round of a plan and year; ``submissions``
the current state of each reported figure (with a version counter so that two planners acting on
the same one cannot both win) and ``submission_events`` every step it went through, values
included, so nothing is overwritten; ``audit_log`` every change with who, when, before and after.
New tables only: nothing stored before is touched.

Revision ID: 0005
Revises: 0004
Create Date: 2027-03-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("regions", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("unit", sa.String(40)),
        sa.Column("source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("responsible_unit", sa.String(100), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    op.create_index("ux_submissions_round_figure", "submissions", ["round_id", "indicator", "region"], unique=True)
    op.create_table(
        "submission_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("unit", sa.String(40)),
        sa.Column("source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_index("ix_audit_log_action_subject", "audit_log", ["action", "subject"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_subject", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("submission_events")
    op.drop_index("ux_submissions_round_figure", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("rounds")
    op.drop_table("app_settings")
