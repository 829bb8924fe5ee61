"""Project tracking: what tracking sheets report of a plan's projects (重大项目进展).

``project_reports`` holds one row per project and year per import (lead unit, region, total, the
year's planned and completed investment, planned and actual dates of 立项 / 开工 / 完工 / 投用, the
date described and the sheet it came from); every row is kept and the latest per project-year counts.
A new table only: nothing stored before is touched.

Revision ID: 0006
Revises: 0005
Create Date: 2027-02-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MILESTONES = ("approved", "started", "completed", "in_service")


def upgrade() -> None:
    dates = [sa.Column(f"{m}_{when}", sa.String(10)) for m in MILESTONES for when in ("planned", "actual")]
    op.create_table(
        "project_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("project_key", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("in_plan", sa.Boolean, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("lead_unit", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("total_investment", sa.Float),
        sa.Column("planned_investment", sa.Float),
        sa.Column("completed_investment", sa.Float),
        *dates,
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("file_name", sa.Text),
        sa.Column("row_no", sa.Integer),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_project_reports_plan_project_year", "project_reports", ["plan_id", "project_key", "year"])


def downgrade() -> None:
    op.drop_index("ix_project_reports_plan_project_year", table_name="project_reports")
    op.drop_table("project_reports")
