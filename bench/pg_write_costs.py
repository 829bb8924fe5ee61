"""What each constraint of the observations table costs a PostgreSQL bulk write.

The same 1.32 M rows are written by plain ``COPY … FROM STDIN`` (text) into copies of the observations
table that differ only in their constraints: as stored (foreign key to imports, the index on all
revisions, the unique index on current revisions), then without each, down to a bare table. Each
variant runs ``--repeat`` times in a schema of its own, dropped afterwards. The bare table and the one
with a single key index are the floors; the difference between lines is what a constraint costs.

    .venv/bin/python bench/pg_write_costs.py [--url postgresql://postgres@127.0.0.1:5432/test --rows 1320000]
"""

from __future__ import annotations

import argparse
import time
import uuid

import psycopg

COLUMNS = "indicator, region, year, kind, value, unit, source, vintage_rank, import_id, row_no, is_current, recorded_at"
TABLE = """CREATE TABLE imports (id serial PRIMARY KEY, name text);
INSERT INTO imports (name) VALUES ('bench');
CREATE TABLE observations (id serial PRIMARY KEY, indicator varchar(40) NOT NULL, region varchar(100) NOT NULL,
  year int NOT NULL, kind varchar(20) NOT NULL, value float, bound varchar(1), text text, unit varchar(40), source text,
  note text, vintage varchar(40), vintage_rank int NOT NULL, extra text, import_id int {foreign_key},
  row_no int NOT NULL, is_current boolean NOT NULL, recorded_at timestamptz NOT NULL);
{indexes}"""
ALL_REVISIONS = "CREATE INDEX ix_key ON observations (indicator, region, year, kind);"
CURRENT = "CREATE UNIQUE INDEX ux_current ON observations (indicator, region, year, kind) WHERE is_current;"
FOREIGN_KEY = "REFERENCES imports (id)"
VARIANTS = {
    "as stored: foreign key + both indexes": (FOREIGN_KEY, ALL_REVISIONS + CURRENT),
    "no foreign key, both indexes": ("", ALL_REVISIONS + CURRENT),
    "foreign key, current index only": (FOREIGN_KEY, CURRENT),
    "no foreign key, current index only": ("", CURRENT),
    "bare table (primary key only)": ("", ""),
}


def rows_text(n: int) -> bytes:
    """``n`` rows of COPY text: 40 indicators × 3000 regions per year, a distinct key each."""
    lines = (f"T2-{i % 40}\t县{(i // 40) % 3000:05d}\t{2015 + i // 120000}\tlevel\t{i * 0.37:.2f}\t亿元\t合成数据\t1\t1\t{i}"
             "\tt\t2026-12-02 00:00:00+00\n" for i in range(n))
    return "".join(lines).encode()


def copy_seconds(conn: psycopg.Connection, data: bytes, foreign_key: str, indexes: str) -> float:
    """Seconds to COPY ``data`` into a fresh table with these constraints, in one transaction."""
    schema = f"pw_bench_{uuid.uuid4().hex[:10]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    try:
        conn.execute(f"SET search_path = {schema}")
        conn.execute(TABLE.format(foreign_key=foreign_key, indexes=indexes))
        start = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur, cur.copy(f"COPY observations ({COLUMNS}) FROM STDIN") as copy:
            for at in range(0, len(data), 1 << 20):
                copy.write(data[at:at + (1 << 20)])
        return time.perf_counter() - start
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--rows", type=int, default=1_320_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    data = rows_text(args.rows)
    print(f"COPY of {args.rows:,} rows into the observations table with and without its constraints")
    with psycopg.connect(args.url, autocommit=True) as conn:
        for name, (foreign_key, indexes) in VARIANTS.items():
            times = [copy_seconds(conn, data, foreign_key, indexes) for _ in range(args.repeat)]
            print(f"  {name:40s} " + "  ".join(f"{t:6.2f} s" for t in times))


if __name__ == "__main__":
    main()
