"""Concurrent imports bench: 8 overlapping files imported at once against the same 8 one after the other.

Per backend (SQLite in a temporary file; PostgreSQL in a uniquely named database on 127.0.0.1:5432,
dropped afterwards) and per mode, a fresh store gets the synthetic plan, its regions and declared
series, then the files are imported by ``import_file``: concurrently, one forked process per file
released together by a barrier; sequentially (the baseline), one process importing the same files in
turn. File i covers the figures [i·shift, i·shift + rows); every third figure has a value of that file
alone (a revision), the others are shared by all files. Time is from the release to the last import
done. Afterwards each store must hold exactly one current row per figure and the same revisions.

    .venv/bin/python bench/concurrent_imports.py [--rows 5000 --files 8 --shift 500]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from planwatch.model import ObservationKind, Series
from planwatch.observe import import_file
from planwatch.store import open_store, schema

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import pg_database, region_rows, synthetic_plan  # bench/ is put on the path just above

YEARS = range(2020, 2026)  # the synthetic plan's base year to its end
REGIONS = 50
HEADER = "indicator,region,year,value,unit,source,note"


def figures(count: int) -> list[tuple[str, str, int]]:
    """``count`` (series, region, year) figures over declared series S0001…, the regions and years."""
    regions = [name for name, _parent, _level in region_rows(REGIONS)]
    per_series = len(regions) * len(YEARS)
    return [(f"S{n // per_series + 1:04d}", regions[n % per_series // len(YEARS)], YEARS[n % len(YEARS)])
            for n in range(count)]


def write_files(tmp: Path, args) -> tuple[list[Path], list[tuple[str, str, int]]]:
    """The overlapping files, and every figure they name."""
    keys = figures(args.rows + args.shift * (args.files - 1))
    paths = []
    for i in range(args.files):
        lines = [HEADER]
        for n in range(i * args.shift, i * args.shift + args.rows):
            value = 10.0 * n + (i + 1 if n % 3 == 0 else 0)  # every third figure: this file's own revision
            lines.append(f"{keys[n][0]},{keys[n][1]},{keys[n][2]},{value:.1f},亿元,bench,")
        path = tmp / f"part{i + 1}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths, keys


def prepare_store(url: str, keys: list[tuple[str, str, int]]) -> None:
    """A fresh store: the synthetic plan, its regions and the series the files use."""
    store = open_store(url)
    store.init()
    store.load_plan(synthetic_plan(1), source="bench")
    store.add_regions(region_rows(REGIONS))
    codes = sorted({code for code, _region, _year in keys})
    store.declare_series([Series(code=c, name=f"系列{c}", unit="亿元", kind=ObservationKind.level) for c in codes])
    store.dispose()


def _importer(url: str, paths: list[Path], barrier, results) -> None:
    """Import the paths in turn once every importer is ready; its start, end and reports."""
    store = open_store(url)
    store.plan()  # connect and check the schema before the clock starts, as a running server would have
    barrier.wait()
    start = time.monotonic()
    reports = [import_file(store, p) for p in paths]
    results.put((start, time.monotonic(), [(r.inserted, r.revised, r.unchanged) for r in reports]))
    store.dispose()


def run_imports(url: str, paths: list[Path], concurrent: bool) -> tuple[float, list[tuple[int, int, int]]]:
    """Seconds from release to the last import done, and the reports (inserted, revised, unchanged)."""
    ctx = mp.get_context("fork")  # children share the loaded modules: the clock times imports, not start-up
    groups = [[p] for p in paths] if concurrent else [paths]
    barrier, results = ctx.Barrier(len(groups)), ctx.Queue()
    procs = [ctx.Process(target=_importer, args=(url, group, barrier, results)) for group in groups]
    for proc in procs:
        proc.start()
    out = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = max(end for _start, end, _r in out) - min(start for start, _end, _r in out)
    return elapsed, [r for _start, _end, reports in out for r in reports]


def current_rows(url: str) -> tuple[Counter, int, int]:
    """How many figures have 0, 1, 2 … current rows; figures; revisions stored."""
    o = schema.observations
    keys = (o.c.indicator, o.c.region, o.c.year, o.c.kind)
    store = open_store(url)
    with store.read() as conn:
        per_figure = conn.execute(select(func.count(o.c.id).filter(o.c.is_current.is_(True)))
                                  .group_by(*keys)).scalars().all()
        revisions = conn.execute(select(func.count()).select_from(o)).scalar_one()
    store.dispose()
    return Counter(per_figure), len(per_figure), revisions


def measure(backend: str, mode: str, tmp: Path, paths: list[Path], keys) -> dict:
    """One mode on a fresh store of the backend."""
    name = f"pw_bench_{uuid.uuid4().hex[:10]}"
    url = f"sqlite:///{tmp / f'{mode}.db'}" if backend == "sqlite" else pg_database(name, True)
    try:
        prepare_store(url, keys)
        elapsed, reports = run_imports(url, paths, concurrent=mode == "concurrent")
        per_figure, n_figures, revisions = current_rows(url)
    finally:
        if backend == "postgresql":
            pg_database(name, False)
    return {"elapsed": elapsed, "reports": reports, "per_figure": per_figure, "figures": n_figures,
            "revisions": revisions}


def show(mode: str, r: dict, baseline: float | None) -> None:
    inserted, revised, unchanged = (sum(c[k] for c in r["reports"]) for k in range(3))
    ratio = f"  ratio {r['elapsed'] / baseline:.2f}× sequential" if baseline else ""
    spread = ", ".join(f"{count} current: {n:,}" for count, n in sorted(r["per_figure"].items()))
    print(f"  {mode:<11} {r['elapsed']:7.2f} s{ratio}")
    print(f"    reports: inserted {inserted:,}, revised {revised:,}, unchanged {unchanged:,}; "
          f"stored {r['revisions']:,} revisions of {r['figures']:,} figures")
    print(f"    figures with {spread}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows per file")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--shift", type=int, default=500, help="how far each file starts after the previous one")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    print(f"concurrent imports bench: {args.files} files × {args.rows:,} rows, each shifted {args.shift} figures")
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        paths, keys = write_files(tmp, args)
        for backend in args.backends.split(","):
            print(f"\n[{backend}]")
            sequential = measure(backend, "sequential", tmp, paths, keys)
            show("sequential", sequential, None)
            concurrent = measure(backend, "concurrent", tmp, paths, keys)
            show("concurrent", concurrent, sequential["elapsed"])
            assert set(concurrent["per_figure"]) == {1} == set(sequential["per_figure"]), "one current per figure"
            assert concurrent["revisions"] == sequential["revisions"], "the same revisions in both modes"
    return 0


if __name__ == "__main__":
    sys.exit(main())
