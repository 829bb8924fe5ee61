"""Series matches: a person's decisions on which indicators of different plans are one series.

``series_matches`` holds one row per pair of indicators (``plan_a``/``indicator_a`` the earlier-loaded
plan's), with the verdict (confirmed / split), who decided and when. A new table only: nothing stored
before is touched, and observations keep their keys.

Revision ID: 0007
Revises: 0006
Create Date: 2027-02-15
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series_matches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_a", sa.String(80), nullable=False),
        sa.Column("indicator_a", sa.String(40), nullable=False),
        sa.Column("plan_b", sa.String(80), nullable=False),
        sa.Column("indicator_b", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_series_matches_pair", "series_matches", ["plan_a", "indicator_a", "plan_b", "indicator_b"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("ux_series_matches_pair", table_name="series_matches")
    op.drop_table("series_matches")
