"""Growth curve: import a CSV and evaluate at 0.1×, 1× and 4× the national scale, time and memory.

National scale is 1.32 M figures: here 5,500 regions × 40 indicators × 6 years (the plan's base year to its
last year, so every row is within the plan period and is checked, not refused). For each scale factor:

- a long-form CSV is written (not timed), then ``import_file`` reads, checks and writes it into a fresh
  store, in a fresh process (``spawn``): wall time, rows/s and the process's peak memory (VmHWM from
  /proc/self/status: unlike ``ru_maxrss`` it is not inherited from the parent through fork + exec);
- in another fresh process, ``store.observation_frame()`` then ``evaluate(plan, frame, YEAR)``: time
  and peak memory.

Each line also gives the cost per million rows and its ratio to the 1× run's: a ratio near 1 means the
cost grows linearly with the data.

    .venv/bin/python bench/growth.py [--scales 0.1,1,4] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_import import county_names, region_tree, write_csv
from synthetic import in_child, peak_mb, pg_database, synthetic_plan

NATIONAL_REGIONS = 5_500
INDICATORS = 40
YEARS = 6
EVAL_YEAR = 2024



def import_child(url: str, csv_path: str, regions: list[tuple], queue) -> None:
    """Fresh process: a new store with the plan and regions, then import_file of the CSV (timed)."""
    from planwatch.observe import import_file
    from planwatch.store import open_store

    store = open_store(url)
    store.init()
    store.load_plan(synthetic_plan(INDICATORS), source="bench")
    store.add_regions(regions)
    store.plan()
    base = peak_mb()
    start = time.perf_counter()
    report = import_file(store, csv_path)  # streamed: within the default bounds of a CSV
    seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "inserted": report.inserted, "peak": peak_mb(), "base": base})
    store.dispose()


def evaluate_child(url: str, queue) -> None:
    """Fresh process: observation_frame, then evaluate at EVAL_YEAR (each timed)."""
    from planwatch.evaluate import evaluate
    from planwatch.store import open_store

    store = open_store(url)
    plan = store.plan()
    base = peak_mb()
    start = time.perf_counter()
    frame = store.observation_frame()
    t_frame = time.perf_counter() - start
    start = time.perf_counter()
    assessment = evaluate(plan, frame, EVAL_YEAR)
    t_eval = time.perf_counter() - start
    queue.put({"frame": t_frame, "evaluate": t_eval, "rows": len(frame), "findings": len(assessment.findings),
               "peak": peak_mb(), "base": base})
    store.dispose()



def run_scale(backend: str, factor: float, tmp: Path) -> dict:
    counties = max(1, round(NATIONAL_REGIONS * factor))
    regions = region_tree(counties)
    csv_path = tmp / f"growth-{factor}.csv"
    rows = write_csv(csv_path, county_names(counties), INDICATORS, YEARS, 0.0)
    db_name = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp / f'growth-{factor}.db'}"
    else:
        db_name = f"pw_growth_{uuid.uuid4().hex[:10]}"
        url = pg_database(db_name, True)
    try:
        imported = in_child(import_child, url, str(csv_path), regions)
        judged = in_child(evaluate_child, url)
    finally:
        csv_path.unlink()
        if db_name:
            pg_database(db_name, False)
    return {"factor": factor, "rows": rows, **{f"import_{k}": v for k, v in imported.items()},
            **{f"eval_{k}": v for k, v in judged.items()}}


def per_million(seconds: float, rows: int) -> float:
    return seconds / rows * 1e6


def print_table(backend: str, results: list[dict]) -> None:
    ref = next((r for r in results if r["factor"] == 1.0), results[len(results) // 2])
    print(f"\n[{backend}]")
    print(f"  {'scale':>6} {'rows':>10} | {'import':>8} {'rows/s':>9} {'s/M rows':>8} {'vs 1×':>6} {'peak MB':>8} | "
          f"{'frame':>7} {'evaluate':>8} {'s/M rows':>8} {'vs 1×':>6} {'peak MB':>8}")
    for r in results:
        imp = per_million(r["import_seconds"], r["rows"])
        ev_total = r["eval_frame"] + r["eval_evaluate"]
        ev = per_million(ev_total, r["rows"])
        imp_ref = per_million(ref["import_seconds"], ref["rows"])
        ev_ref = per_million(ref["eval_frame"] + ref["eval_evaluate"], ref["rows"])
        print(f"  {r['factor']:>5}× {r['rows']:>10,} | {r['import_seconds']:7.2f}s {r['rows'] / r['import_seconds']:>9,.0f} "
              f"{imp:8.2f} {imp / imp_ref:5.2f}× {r['import_peak']:8.0f} | {r['eval_frame']:6.2f}s {r['eval_evaluate']:7.2f}s "
              f"{ev:8.2f} {ev / ev_ref:5.2f}× {r['eval_peak']:8.0f}")
    print("  (peak MB: the process's VmHWM, the store opened and the plan read before the clock starts: "
          + ", ".join(f"{r['factor']}× {r['import_base']:.0f}/{r['eval_base']:.0f} MB" for r in results) + ")")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.1,1,4", help="factors of the national scale (1.32 M rows)")
    parser.add_argument("--backends", default="sqlite")
    args = parser.parse_args(argv)
    factors = [float(f) for f in args.scales.split(",")]
    print(f"growth: {INDICATORS} indicators × {YEARS} years × regions; 1× = {NATIONAL_REGIONS:,} regions "
          f"= {NATIONAL_REGIONS * INDICATORS * YEARS:,} rows; evaluated at {EVAL_YEAR}")
    with tempfile.TemporaryDirectory() as tmp_dir:
        for backend in args.backends.split(","):
            results = [run_scale(backend, f, Path(tmp_dir)) for f in factors]
            print_table(backend, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
