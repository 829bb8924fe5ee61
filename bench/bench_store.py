"""Store bench: bulk import and observation_frame at national scale, against a naive row-by-row baseline.

Builds regions × indicators × years observations (default 3000 × 40 × 11 = 1.32 M) on SQLite and
PostgreSQL (a temporary database, dropped afterwards), each backend in its own process so the peak
memory (ru_maxrss) is its own. Floors, in the same run: the same records written into a table keyed
by figure by the driver alone (SQLite executemany, PostgreSQL COPY … FROM STDIN); the current rows
read by one SELECT into numpy arrays. Each frame read runs in a fresh process (its own peak RSS).
The naive baseline adds one ORM object per row and commits each row; it runs on a subsample and is
extrapolated (printed as such).

    .venv/bin/python bench/bench_store.py [--regions 3000 --indicators 40 --years 11]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import in_child, peak_mb, pg_database


def naive_insert_rate(url: str, rows: int) -> float:
    """Seconds per row for ORM add + commit per row (batch of 1), on a fresh store."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session, registry

    from planwatch.store import open_store, schema

    class Obs:  # mapped imperatively onto the real table
        pass

    reg = registry()
    reg.map_imperatively(Obs, schema.observations)
    store = open_store(url)
    store.init()
    now = datetime.now(UTC)
    start = time.perf_counter()
    with Session(store.engine) as session:
        for n in range(rows):
            o = Obs()
            o.indicator, o.region, o.year, o.kind, o.value = "T2-1", f"r{n}", 2021, "level", float(n)
            o.unit, o.source, o.vintage_rank, o.row_no, o.is_current, o.recorded_at = "亿元", "s", 1, n, True, now
            session.add(o)
            session.commit()
    elapsed = time.perf_counter() - start
    reg.dispose()
    store.dispose()
    return elapsed / rows


def naive_frame_rate(store, rows: int) -> float:
    """Seconds per row for loading ORM objects one by one and building the frame row by row."""
    import pandas as pd
    from sqlalchemy import select

    from planwatch.store import schema

    o = schema.observations
    start = time.perf_counter()
    with store.engine.connect() as conn:
        records = []
        for row in conn.execute(select(o).where(o.c.is_current.is_(True)).limit(rows)):
            records.append({c: getattr(row, c) for c in ("indicator", "region", "year", "value", "bound", "text",
                                                         "kind", "unit", "source", "note", "vintage")})
    pd.DataFrame(records)
    return (time.perf_counter() - start) / rows


def timed_bulk_import(url: str, args) -> tuple[object, float]:
    """A synthetic store whose observations are written by Store.write_observations in one transaction;
    the seconds spent in write_observations alone (making the records is not counted)."""
    from synthetic import region_rows, synthetic_plan, synthetic_records, synthetic_years

    from planwatch.store import open_store

    store = open_store(url)
    store.init()
    plan = synthetic_plan(args.indicators)
    store.load_plan(plan, source="synthetic")
    rows = region_rows(args.regions)
    store.add_regions(rows)
    spent = 0.0
    with store.begin() as conn:
        for batch in synthetic_records(plan, [n for n, _p, _l in rows], synthetic_years(args.years), 0):
            start = time.perf_counter()
            store.write_observations(conn, batch, file_name="synthetic.csv", sha256="0" * 64)
            spent += time.perf_counter() - start
    return store, spent


def floor_bulk(url: str, args) -> float:
    """The floor of the bulk write: the same records into a table keyed by figure, one transaction, by the
    driver's bulk path alone (SQLite executemany, PostgreSQL COPY … FROM STDIN); making them not counted."""
    from operator import itemgetter

    from synthetic import region_rows, synthetic_plan, synthetic_records, synthetic_years

    from planwatch.store import schema

    cols = [c for c in schema.OBSERVATION_COLUMNS if c not in ("import_id", "is_current", "recorded_at")]
    ddl = (f"CREATE TABLE floor ({', '.join(cols)}, PRIMARY KEY (indicator, region, year, kind))")
    values = itemgetter(*cols)
    names = [n for n, _p, _l in region_rows(args.regions)]
    batches = synthetic_records(synthetic_plan(args.indicators), names, synthetic_years(args.years), 0)
    spent = 0.0
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("///", 1)[1])
        conn.execute(ddl)
        with conn:
            for batch in batches:
                start = time.perf_counter()
                conn.executemany(f"INSERT INTO floor VALUES ({', '.join('?' for _ in cols)})", map(values, batch))
                spent += time.perf_counter() - start
        conn.close()
        return spent
    import psycopg

    typed = ddl.replace("indicator,", "indicator text,").replace(" region,", " region text,")
    typed = "CREATE TABLE floor (" + ", ".join(
        f"{c} {'double precision' if c == 'value' else 'integer' if c in ('year', 'vintage_rank', 'row_no') else 'text'}"
        for c in cols) + ", PRIMARY KEY (indicator, region, year, kind))"
    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        cur.execute(typed)
        for batch in batches:
            start = time.perf_counter()
            with cur.copy(f"COPY floor ({', '.join(cols)}) FROM STDIN") as copy:
                for r in batch:
                    copy.write_row(values(r))
            spent += time.perf_counter() - start
    return spent


def frame_child(url: str, which: str, queue) -> None:
    """In a fresh process: read the current rows by observation_frame, or by the floor; seconds and peak RSS."""
    from planwatch.store import open_store

    store = open_store(url)
    store.plan()  # connect and check the schema first
    base = peak_mb()
    start = time.perf_counter()
    rows = len(store.observation_frame()) if which == "frame" else floor_frame(store)
    queue.put({"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": peak_mb(), "base_mb": base})


def floor_frame(store) -> int:
    """The floor of the frame: one SELECT of the same rows (current ones) and columns, fetched whole into numpy."""
    import numpy as np

    from planwatch.store.observations import FRAME_COLUMNS

    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT {', '.join(FRAME_COLUMNS)} FROM observations WHERE is_current")
        rows = cur.fetchall()
        arrays = [np.array(col, dtype=np.int64 if name == "year" else np.float64 if name == "value" else object)
                  for name, col in zip(FRAME_COLUMNS, zip(*rows, strict=True), strict=True)]
    finally:
        raw.close()
    return len(arrays[0])



def measure(backend: str, url: str, baseline_url: str, floor_url: str, args, queue) -> None:
    """Run one backend's build and baselines and put the figures on the queue (frames are read in fresh processes)."""
    total = args.regions * args.indicators * args.years
    store, build = timed_bulk_import(url, args)
    mem_build = peak_mb()
    floor = floor_bulk(floor_url, args)
    naive_frame = naive_frame_rate(store, min(total, args.baseline_rows * 10)) * total
    store.dispose()
    naive_build = naive_insert_rate(baseline_url, args.baseline_rows) * total
    queue.put({"backend": backend, "rows": total, "build": build, "floor_build": floor,
               "peak_build_mb": mem_build, "naive_build": naive_build, "naive_frame": naive_frame})


def run_backend(backend: str, args, tmp: Path) -> dict:
    """Measure one backend: the build in a child process (its own peak memory), each frame read in another."""
    names = []
    if backend == "sqlite":
        url, baseline, floor = (f"sqlite:///{tmp / f'{n}.db'}" for n in ("bench", "naive", "floor"))
    else:
        names = [f"pw_bench_{uuid.uuid4().hex[:10]}" for _ in range(3)]
        url, baseline, floor = (pg_database(n, True) for n in names)
    try:
        result = in_child(measure, backend, url, baseline, floor, args)
        result["frame"] = in_child(frame_child, url, "frame")
        result["floor_frame"] = in_child(frame_child, url, "floor")
        assert result["frame"]["rows"] == result["floor_frame"]["rows"] == result["rows"]
    finally:
        for n in names:
            pg_database(n, False)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=11)
    parser.add_argument("--baseline-rows", type=int, default=2000, help="rows the naive baseline really runs")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    total = args.regions * args.indicators * args.years
    print(f"store bench: {args.regions} regions × {args.indicators} indicators × {args.years} years = {total:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            r = run_backend(backend, args, Path(tmp))
            frame, floor = r["frame"], r["floor_frame"]
            floor_name = "sqlite3 executemany" if backend == "sqlite" else "COPY … FROM STDIN"
            print(f"\n[{backend}]")
            print(f"  bulk import            {r['build']:9.2f} s  ({r['rows'] / r['build']:,.0f} rows/s; "
                  f"time in write_observations)  ratio {r['build'] / r['floor_build']:.2f}× floor")
            print(f"  floor: bulk write      {r['floor_build']:9.2f} s  ({floor_name} of the same records "
                  "into a table keyed by figure)")
            print(f"  naive import (extrap.) {r['naive_build']:9.2f} s  "
                  f"(ORM add + commit per row, {args.baseline_rows} rows measured)  ratio {r['naive_build'] / r['build']:.1f}×")
            print(f"  observation_frame      {frame['seconds']:9.2f} s  peak RSS {frame['peak_mb']:5.0f} MB "
                  f"(fresh process, {frame['base_mb']:.0f} MB before)  ratio {frame['seconds'] / floor['seconds']:.2f}× floor")
            print(f"  floor: SELECT → numpy  {floor['seconds']:9.2f} s  peak RSS {floor['peak_mb']:5.0f} MB "
                  f"(fresh process, {floor['base_mb']:.0f} MB before; one SELECT, fetchall, one array per column)")
            print(f"  naive frame (extrap.)  {r['naive_frame']:9.2f} s  "
                  f"(Row objects → dicts → DataFrame, {min(total, args.baseline_rows * 10)} rows measured)  "
                  f"ratio {r['naive_frame'] / frame['seconds']:.1f}×")
            print(f"  peak RSS of the build  {r['peak_build_mb']:9.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
