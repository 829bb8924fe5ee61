"""One current value per figure: repair stores with several, then a partial unique index keeps it so.

Two imports running at once on PostgreSQL could each mark their own rows current, leaving two
current revisions of one (indicator, region, year, kind). For every such key the revision with the
greatest revision order (the store's own rule, ``order_key``) stays current and the rest are demoted,
before the index that forbids it is created.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from planwatch.store.observations import KEY, order_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEX = "ux_observations_current"
# Frozen here, not read from schema.py, so later schema changes cannot alter what this step does.
observations = sa.table(
    "observations",
    *(sa.column(name) for name in KEY),
    sa.column("id", sa.Integer), sa.column("vintage", sa.String), sa.column("vintage_rank", sa.Integer),
    sa.column("import_id", sa.Integer), sa.column("row_no", sa.Integer), sa.column("is_current", sa.Boolean),
)


def upgrade() -> None:
    conn = op.get_bind()
    demote, promote = repairs(conn)
    set_current(conn, demote, False)  # demote first: a key never has two current rows on the way
    set_current(conn, promote, True)
    o = observations.c
    op.create_index(INDEX, "observations", ["indicator", "region", "year", "kind"], unique=True,
                    sqlite_where=o.is_current, postgresql_where=o.is_current)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="observations")


def repairs(conn) -> tuple[list[int], list[int]]:
    """Ids to demote and to promote so that each key with several current revisions keeps the greatest."""
    o = observations.c
    keys = [o[name] for name in KEY]
    doubled = (sa.select(*keys).where(o.is_current.is_(True)).group_by(*keys)
               .having(sa.func.count() > 1).subquery())
    query = (sa.select(o.id, *keys, o.vintage, o.vintage_rank, o.import_id, o.row_no, o.is_current)
             .join(doubled, sa.and_(*(o[name] == doubled.c[name] for name in KEY))))
    by_key: dict[tuple, list[dict]] = {}
    for row in conn.execute(query):
        rec = dict(row._mapping)
        by_key.setdefault(tuple(rec[name] for name in KEY), []).append(rec)
    demote, promote = [], []
    for revs in by_key.values():
        best = max(revs, key=order_key)
        demote += [r["id"] for r in revs if r["is_current"] and r is not best]
        if not best["is_current"]:
            promote.append(best["id"])
    return demote, promote


def set_current(conn, ids: list[int], flag: bool) -> None:
    for start in range(0, len(ids), 1000):
        conn.execute(sa.update(observations).where(observations.c.id.in_(ids[start:start + 1000]))
                     .values(is_current=flag))
