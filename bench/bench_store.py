"""Store bench: bulk import and observation_frame at national scale, against a naive row-by-row baseline.

Builds regions × indicators × years observations (default 3000 × 40 × 11 = 1.32 M) on SQLite and
PostgreSQL (a temporary database, dropped afterwards), each backend in its own process so the peak
memory (ru_maxrss) is its own. The baseline adds one ORM object per row and commits each row; it
runs on a subsample and is extrapolated (printed as such).

    .venv/bin/python bench/bench_store.py [--regions 3000 --indicators 40 --years 11]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import pg_database  # noqa: E402 - bench/ is put on the path just above



def peak_mb() -> float:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_insert_rate(url: str, rows: int) -> float:
    """Seconds per row for ORM add + commit per row (batch of 1), on a fresh store."""
    from datetime import datetime, timezone

    from sqlalchemy.orm import Session, registry

    from planwatch.store import open_store, schema

    class Obs:  # mapped imperatively onto the real table
        pass

    reg = registry()
    reg.map_imperatively(Obs, schema.observations)
    store = open_store(url)
    store.init()
    now = datetime.now(timezone.utc)
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


def measure(backend: str, url: str, baseline_url: str, args, queue) -> None:
    """Run one backend's measurements and put the figures on the queue."""
    from synthetic import build_synthetic_store

    total = args.regions * args.indicators * args.years
    start = time.perf_counter()
    store = build_synthetic_store(url, regions=args.regions, indicators=args.indicators, years=args.years)
    build = time.perf_counter() - start
    mem_build = peak_mb()
    start = time.perf_counter()
    frame = store.observation_frame()
    load = time.perf_counter() - start
    assert len(frame) == total, (len(frame), total)
    del frame
    naive_frame = naive_frame_rate(store, min(total, args.baseline_rows * 10)) * total
    store.dispose()
    naive_build = naive_insert_rate(baseline_url, args.baseline_rows) * total
    queue.put({"backend": backend, "rows": total, "build": build, "frame": load, "peak_mb": peak_mb(),
               "peak_build_mb": mem_build, "naive_build": naive_build, "naive_frame": naive_frame})


def run_backend(backend: str, args, tmp: Path) -> dict:
    """Measure one backend in a child process (its own peak memory)."""
    names = []
    if backend == "sqlite":
        url, baseline = f"sqlite:///{tmp / 'bench.db'}", f"sqlite:///{tmp / 'naive.db'}"
    else:
        names = [f"pw_bench_{uuid.uuid4().hex[:10]}", f"pw_bench_{uuid.uuid4().hex[:10]}"]
        url, baseline = (pg_database(n, True) for n in names)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=measure, args=(backend, url, baseline, args, queue))
    try:
        proc.start()
        result = queue.get()
        proc.join()
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
            print(f"\n[{backend}]")
            print(f"  bulk import            {r['build']:9.2f} s  ({r['rows'] / r['build']:,.0f} rows/s)")
            print(f"  naive import (extrap.) {r['naive_build']:9.2f} s  "
                  f"(ORM add + commit per row, {args.baseline_rows} rows measured)  ratio {r['naive_build'] / r['build']:.1f}×")
            print(f"  observation_frame      {r['frame']:9.2f} s")
            print(f"  naive frame (extrap.)  {r['naive_frame']:9.2f} s  "
                  f"(Row objects → dicts → DataFrame, {min(total, args.baseline_rows * 10)} rows measured)  "
                  f"ratio {r['naive_frame'] / r['frame']:.1f}×")
            print(f"  peak RSS               {r['peak_mb']:9.0f} MB (after import: {r['peak_build_mb']:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
