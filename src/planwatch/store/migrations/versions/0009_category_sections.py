"""Category sections: a person's decisions on which headings of a plan's work carry an indicator category.

``category_sections`` holds one row per plan, indicator category (类别) and heading id (4.4, 4.7.1), with
the verdict (confirmed / rejected), who decided and when. A new table only: nothing stored before is touched.

Revision ID: 0009
Revises: 0008
Create Date: 2027-03-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category_sections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("section_id", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_category_sections_plan_category_section", "category_sections",
                    ["plan_id", "category", "section_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_category_sections_plan_category_section", table_name="category_sections")
    op.drop_table("category_sections")
