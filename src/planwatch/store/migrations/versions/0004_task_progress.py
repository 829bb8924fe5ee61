"""Task progress: dated progress updates of a plan's tasks (任务进展).

``task_progress`` holds one row per update (state, progress text, lead unit, the date it describes,
the sheet it came from); every update is kept and the latest per task counts. A new table only:
nothing stored before is touched.

Revision ID: 0004
Revises: 0003
Create Date: 2027-02-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_progress",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("task_id", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("lead_unit", sa.Text),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("file_name", sa.Text),
        sa.Column("row_no", sa.Integer),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_progress_plan_task", "task_progress", ["plan_id", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_task_progress_plan_task", table_name="task_progress")
    op.drop_table("task_progress")
