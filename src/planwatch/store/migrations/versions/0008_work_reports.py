"""Task assignments and work reports: who answers for a task, and what units report through the workspace.

``task_assignments`` holds one row per task of a plan (lead unit, co-operating units as a JSON list,
planned completion YYYY-MM-DD, who set it and when); ``work_reports`` the current state of each
work report a unit enters — a task's progress update or a project-year report — with a version
counter so that two planners acting on the same one cannot both win, its content as JSON (the
update or the report an approval records); ``work_report_events`` every step it went through, the
content as it then was, so nothing is overwritten. New tables only: nothing stored before is touched.

Revision ID: 0008
Revises: 0007
Create Date: 2027-03-15
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "task_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("task_id", sa.String(40), nullable=False),
        sa.Column("lead_unit", sa.String(100), nullable=False),
        sa.Column("co_units", sa.Text, nullable=False),
        sa.Column("planned_completion", sa.String(10)),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ux_task_assignments_plan_task", "task_assignments", ["plan_id", "task_id"], unique=True)
    op.create_table(
        "work_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_work_reports_plan_subject", "work_reports", ["plan_id", "kind", "subject"])
    op.create_table(
        "work_report_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("work_reports.id"), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("work_report_events")
    op.drop_index("ix_work_reports_plan_subject", table_name="work_reports")
    op.drop_table("work_reports")
    op.drop_index("ux_task_assignments_plan_task", table_name="task_assignments")
    op.drop_table("task_assignments")
