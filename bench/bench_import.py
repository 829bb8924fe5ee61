"""Import bench: `planwatch import` of a national-scale CSV against the backend's floor, in the same run.

Writes a long-form CSV of counties × indicators × years (default 1,100 × 12 × 6 = 79,200 rows) over
the synthetic plan (bench/synthetic.py), then per backend (SQLite in a temporary file; PostgreSQL in a
uniquely named database on 127.0.0.1:5432, dropped afterwards):

- floor: ``csv.reader`` over the file and one ``sqlite3.executemany`` into a table keyed by
  (indicator, region, year), in one transaction; on PostgreSQL ``COPY … FROM STDIN`` of the same rows
  into such a table (psycopg), one transaction;
- ``import_file`` into a fresh store (every row new), again with the same file (every row
  unchanged), and with a file whose values all differ (every row a revision);
- ``--dry-run`` of the first file on a fresh store.

Each figure is printed with its ratio to the floor. ``--profile`` prints the top of a cProfile of the
first import instead of the comparison. ``--memory`` prints instead the peak resident memory of one
import (SQLite, every row new) in a fresh process, of the file and of one with 10× the counties:
a streamed import holds a batch of rows, so the peak should barely grow with the file.

    .venv/bin/python bench/bench_import.py [--counties 1100 --indicators 12 --years 6] [--backends sqlite,postgresql]
    .venv/bin/python bench/bench_import.py --memory
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import (  # bench/ is put on the path just above
    SHAPES,
    in_child,
    peak_mb,
    pg_database,
    region_rows,
    synthetic_plan,
)

HEADER = ["indicator", "region", "year", "value", "unit", "source", "note"]
FLOOR_TABLE = ("CREATE TABLE floor (indicator TEXT NOT NULL, region TEXT NOT NULL, year INTEGER NOT NULL, "
               "value REAL, unit TEXT, source TEXT, note TEXT, PRIMARY KEY (indicator, region, year))")


def write_csv(path: Path, regions: list[str], indicators: int, years: int, shift: float) -> int:
    """The long-form file: one row per indicator × region × year; ``shift`` changes every value."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for n in range(1, indicators + 1):
            unit, *_rest = SHAPES[(n - 1) % len(SHAPES)]
            for r, region in enumerate(regions):
                for year in range(2026 - years, 2026):
                    out.writerow([f"T2-{n}", region, year, f"{(r % 97) * 1.5 + year - 2000 + shift:.2f}", unit,
                                  "合成统计公报", ""])
                    rows += 1
    return rows


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of this process (CPU time is what a busy shared machine disturbs least;
    on PostgreSQL it leaves out the server's own work)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def sqlite_floor(path: Path, db: Path) -> None:
    """csv.reader + one executemany into a keyed table, one transaction."""
    conn = sqlite3.connect(db)
    conn.execute(FLOOR_TABLE)
    with path.open(encoding="utf-8", newline="") as fh, conn:
        reader = csv.reader(fh)
        next(reader)
        conn.executemany("INSERT INTO floor VALUES (?, ?, ?, ?, ?, ?, ?)", reader)
    conn.close()


def pg_floor(path: Path, url: str) -> None:
    """COPY … FROM STDIN of the same file into a keyed table, one transaction."""
    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        cur.execute(FLOOR_TABLE.replace("REAL", "DOUBLE PRECISION"))
        with path.open("rb") as fh, cur.copy("COPY floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := fh.read(1 << 20):
                copy.write(chunk)


def fresh_store(url: str, indicators: int, regions: list[tuple]):
    from planwatch.store import open_store

    store = open_store(url)
    store.init()
    store.load_plan(synthetic_plan(indicators), source="bench")
    store.add_regions(regions)
    store.plan()  # connect and check the schema before the clock starts
    return store


def backend_urls(backend: str, tmp: Path, names: list[str]) -> Callable[[str], str]:
    """A function giving a fresh database URL per label."""
    def make(label: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp / f'{label}.db'}"
        name = f"pw_bench_{uuid.uuid4().hex[:10]}"
        names.append(name)
        return pg_database(name, True)
    return make


def run_backend(backend: str, args, tmp: Path, files: dict[str, Path], regions: list[tuple]) -> None:
    from planwatch.observe import import_file

    names: list[str] = []
    fresh = backend_urls(backend, tmp, names)
    try:
        floor_url = fresh("floor")
        if backend == "sqlite":
            floor = timed(lambda: sqlite_floor(files["first"], tmp / "floor.db"))
            floor_name = "csv.reader + one sqlite3.executemany into a keyed table"
        else:
            floor = timed(lambda: pg_floor(files["first"], floor_url))
            floor_name = "COPY … FROM STDIN into a keyed table"
        print(f"\n[{backend}]")
        print(f"  floor                    {floor[0]:7.2f} s  cpu {floor[1]:6.2f} s  ({floor_name})")
        store = fresh_store(fresh("store"), args.indicators, regions)
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(import_file, store, files["first"])
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            return

        def step(label: str, path: Path, target=store, **kw) -> None:
            reports = []
            wall, cpu = timed(lambda: reports.append(import_file(target, path, **kw)))
            report = reports[0]
            print(f"  {label:<24} {wall:7.2f} s  cpu {cpu:6.2f} s  ratio {wall / floor[0]:5.1f}× floor "
                  f"(cpu {cpu / floor[1]:4.1f}×)  "
                  f"(inserted {report.inserted:,}, revised {report.revised:,}, unchanged {report.unchanged:,})")

        dry = fresh_store(fresh("dry"), args.indicators, regions)
        step("import --dry-run, new", files["first"], target=dry, dry_run=True)
        dry.dispose()
        step("import, all new", files["first"])
        step("import again, unchanged", files["first"])
        step("import, all revised", files["revised"])
        store.dispose()
    finally:
        for name in names:
            pg_database(name, False)


def peak_memory(args, tmp: Path) -> None:
    """Peak RSS of one import in a fresh process: the file of ``--counties`` and one of 10× as many."""
    print("\n[peak memory: one import into SQLite, every row new, in a fresh process]")
    for scale in (1, 10):
        counties = args.counties * scale
        path = tmp / f"observations-{scale}x.csv"
        rows = write_csv(path, county_names(counties), args.indicators, args.years, 0.0)
        found = in_child(memory_of_import, str(path), counties, args.indicators)
        if "refused" in found:
            print(f"  {scale:>2}× file  {rows:>9,} rows: refused ({found['refused'][:160]})")
            continue
        before, peak = found["before"], found["peak"]
        print(f"  {scale:>2}× file  {rows:>9,} rows {path.stat().st_size / 1024 / 1024:7.1f} MB   "
              f"peak RSS {peak:7.1f} MB   (before the import {before:6.1f} MB, import adds {peak - before:6.1f} MB)")


def memory_of_import(path: str, counties: int, indicators: int, queue) -> None:
    """Fresh process: the peak RSS (MB) once the store is set up, and once the file is imported."""
    from planwatch.errors import DataImportError
    from planwatch.observe import import_file

    with tempfile.TemporaryDirectory() as tmp_dir:
        store = fresh_store(f"sqlite:///{Path(tmp_dir) / 'rss.db'}", indicators, region_tree(counties))
        before = peak_mb()
        try:
            import_file(store, path)
        except DataImportError as exc:
            queue.put({"refused": str(exc)})
        else:
            queue.put({"before": before, "peak": peak_mb()})
        store.dispose()


def region_tree(counties: int) -> list[tuple]:
    # The province and its cities take the first rows of the region tree: counties are what is left.
    return region_rows(counties + 1 + int((counties + 1) ** 0.5))


def county_names(counties: int) -> list[str]:
    return [name for name, _parent, level in region_tree(counties) if level == "county"][:counties]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=1100)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="profile the first import instead")
    parser.add_argument("--memory", action="store_true", help="peak memory of the file and of one 10× larger instead")
    args = parser.parse_args(argv)
    regions = region_tree(args.counties)
    counties = county_names(args.counties)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        if args.memory:
            peak_memory(args, tmp)
            return 0
        files = {"first": tmp / "observations.csv", "revised": tmp / "observations-revised.csv"}
        rows = write_csv(files["first"], counties, args.indicators, args.years, 0.0)
        write_csv(files["revised"], counties, args.indicators, args.years, 0.25)
        size = files["first"].stat().st_size / 1024 / 1024
        print(f"import bench: {len(counties):,} counties × {args.indicators} indicators × {args.years} years = "
              f"{rows:,} rows ({size:.1f} MB CSV)")
        for backend in args.backends.split(","):
            run_backend(backend, args, tmp, files, regions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
