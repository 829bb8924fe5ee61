"""Accounts and responsibility: the users of the web workspace, and who answers for each indicator.

``users`` holds one row per account (a role, for a reporter its responsible unit and optional
region, an argon2 hash, a disabled flag); ``responsibilities`` one row per indicator of a plan
with its lead unit (牵头单位) and co-operating units (配合单位, a JSON list). New tables only:
nothing stored before is touched.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-15
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(100)),
        sa.Column("region", sa.String(100)),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "responsibilities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("lead_unit", sa.String(100), nullable=False),
        sa.Column("co_units", sa.Text, nullable=False),
        sa.Column("assigned_at", TS, nullable=False),
    )
    op.create_index("ux_responsibilities_plan_indicator", "responsibilities", ["plan_id", "indicator"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_responsibilities_plan_indicator", table_name="responsibilities")
    op.drop_table("responsibilities")
    op.drop_table("users")
