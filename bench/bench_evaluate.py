"""Benchmark of the evaluate stage: 3,000 regions × 40 indicators × 11 years, one year judged.

Prints the time and peak memory of the vectorised evaluation (columnar judgement, then Finding
objects) against a naive per-indicator × per-region Python loop over the same scalar rules, run on
a subsample and extrapolated (said in the output).

Then, per store backend (``--store sqlite,postgresql``; ``--store none`` skips it), the same scale
is imported into a real store (SQLite in a temporary file; PostgreSQL in a uniquely named database
on 127.0.0.1:5432, dropped afterwards) and ``store.observation_frame()`` + ``evaluate(store.plan(),
frame, 2024)`` is timed in a fresh process (its own peak RSS), against the naive row-by-row
baseline (rows fetched one by one into dicts, then the per-region loop), run on a subsample and
extrapolated.

    .venv/bin/python bench/bench_evaluate.py [--regions 3000 --indicators 40 --store sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from planwatch.evaluate import evaluate
from planwatch.evaluate.assessment import _case, _classify, judge
from planwatch.evaluate.evidence import prepare
from planwatch.evaluate.methods import method_module
from planwatch.evaluate.rules import measure
from planwatch.evaluate.settings import EvaluationSettings
from planwatch.model import Baseline, Indicator, Plan, PlanMeta, Target

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import in_child, peak_mb, pg_database

YEARS = list(range(2015, 2026))  # 11 years
EVAL_YEAR = 2024
KINDS = ["geo", "lin", "low", "growth", "cum"]


def synthetic_plan(n_indicators: int) -> Plan:
    inds = []
    for i in range(n_indicators):
        kind = KINDS[i % len(KINDS)]
        if kind == "geo":
            t, unit, base = Target(kind="level", comparator="at_least", value=160.0, text="160"), "亿元", 100.0
        elif kind == "lin":
            t, unit, base = Target(kind="level", comparator="about", value=75.0, text="75左右"), "%", 69.0
        elif kind == "low":
            t, unit, base = Target(kind="level", comparator="at_most", value=27.0, text="27以下",
                                   direction="lower_is_better"), "微克/立方米", 35.0
        elif kind == "growth":
            t, unit, base = Target(kind="annual_growth", comparator="at_least", value=6.0, text="6以上"), "%", None
        else:
            t, unit, base = Target(kind="cumulative_change", value=16.0, text="[16]", cumulative=True), "%", None
        name = f"指标{i}" + ("降低" if kind == "cum" else "")
        inds.append(Indicator(id=f"T2-{i + 1}", table="表2", no=str(i + 1), name=name, unit=unit,
                              baseline=Baseline(value=base, year=2020 if base else None), target=t, targets=[t],
                              period_start=2021, period_end=2025, line=i + 1))
    meta = PlanMeta(title="合成规划", region="R0", period_start=2021, period_end=2025, base_year=2020)
    return Plan(meta=meta, indicators=inds)


def synthetic_frame(plan: Plan, n_regions: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    regions = np.array([f"R{i}" for i in range(n_regions)])
    years = np.array(YEARS)
    parts = []
    for ind in plan.indicators:
        kind = KINDS[(int(ind.id.split("-")[1]) - 1) % len(KINDS)]
        reg = np.repeat(regions, len(years))
        yr = np.tile(years, n_regions)
        step = yr - 2020
        noise = rng.normal(0, 1, reg.size)
        if kind == "geo":
            value, okind = 100 * (1.08 + 0.02 * noise.reshape(n_regions, -1)[:, :1].repeat(len(years), 1).ravel()) ** step, "level"
        elif kind == "lin":
            value, okind = 69 + (1.1 + 0.3 * noise) * step, "level"
        elif kind == "low":
            value, okind = 35 - (1.5 + 0.5 * noise) * step, "level"
        elif kind == "growth":
            value, okind = 6 + 1.5 * noise, "annual_growth"
        else:
            value, okind = 3.4 + 0.8 * noise, "annual_growth"
        parts.append(pd.DataFrame({"indicator": ind.id, "region": reg, "year": yr, "value": value, "bound": None,
                                   "text": None, "kind": okind, "unit": ind.unit, "source": "合成数据",
                                   "note": None, "vintage": None}))
    return pd.concat(parts, ignore_index=True)


def naive(plan: Plan, frame: pd.DataFrame, year: int, regions: list[str]) -> int:
    """The row-by-row baseline: one scalar rule call per indicator × region (same rules, n = 1)."""
    settings = EvaluationSettings()
    module = method_module("elapsed_time")
    n = 0
    for region in regions:
        index = pd.Index([region])
        own = frame[frame["region"] == region]
        for ind in plan.current_indicators():
            parts = prepare(own[own["indicator"] == ind.id], year, index)
            case = _case(plan, ind, ind.target, year, index, parts, plan.meta.region, settings)
            _classify(case, measure(case), module, settings, year)
            n += 1
    return n


def timed(fn, memory: bool = False):
    """(result, seconds, peak bytes traced or None); memory is traced in a separate run, since
    tracing slows numpy/pandas allocation-heavy code several-fold."""
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t0
    peak = None
    if memory:
        del out
        gc.collect()
        tracemalloc.start()
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out, elapsed, peak



def in_memory(args) -> None:
    """The synthetic frame held in memory: columnar judgement, evaluate, naive loop."""
    plan = synthetic_plan(args.indicators)
    frame = synthetic_frame(plan, args.regions)
    print(f"frame size          : {frame.memory_usage(deep=True).sum() / 2**20:.0f} MiB")
    print(f"synthetic: {args.regions} regions × {args.indicators} indicators × {len(YEARS)} years = {len(frame):,} rows")
    settings = EvaluationSettings()

    blocks, t_cols, m_cols = timed(lambda: judge(plan, frame, EVAL_YEAR, method="elapsed_time", regions=None,
                                                 settings=settings), memory=True)
    n = sum(len(b.regions) for b in blocks)
    del blocks
    print(f"columnar judgement  : {t_cols:6.2f} s  peak {m_cols / 2**20:7.1f} MiB  ({n:,} judgements)")
    assessment, t_all, m_all = timed(lambda: evaluate(plan, frame, EVAL_YEAR), memory=True)
    print(f"evaluate (Findings) : {t_all:6.2f} s  peak {m_all / 2**20:7.1f} MiB  ({len(assessment.findings):,} findings)")
    counts = {k: v for k, v in assessment.counts().items() if v}
    print(f"statuses            : {counts}")
    del assessment
    sample = [f"R{i}" for i in range(min(args.sample, args.regions))]
    done, t_naive, _ = timed(lambda: naive(plan, frame, EVAL_YEAR, sample))
    per = t_naive / done
    extrapolated = per * args.regions * args.indicators
    print(f"naive loop baseline : {t_naive:6.2f} s for {done:,} indicator×region calls (subsample of {len(sample)} regions)")
    print(f"  extrapolated to all {args.regions * args.indicators:,}: {extrapolated:8.1f} s")
    print(f"speed-up vs baseline: columnar {extrapolated / t_cols:7.0f}×, with Findings {extrapolated / t_all:7.0f}×")
    print(f"peak RSS (process)  : {peak_mb():6.0f} MB")


# ---------------------------------------------------------------- store-backed




def build_store(url: str, args, queue) -> None:
    """Child process: import the synthetic store; put the import time on the queue."""
    from synthetic import build_synthetic_store

    start = time.perf_counter()
    store = build_synthetic_store(url, regions=args.regions, indicators=args.indicators, years=len(YEARS))
    queue.put({"build": time.perf_counter() - start})
    store.dispose()


def evaluate_store(url: str, args, queue) -> None:
    """Child process: time observation_frame + evaluate on the built store, then the naive baseline."""
    from bench_store import naive_frame_rate

    from planwatch.store import open_store

    store = open_store(url)
    gc.collect()
    start = time.perf_counter()
    frame = store.observation_frame()
    t_frame = time.perf_counter() - start
    plan = store.plan()
    start = time.perf_counter()
    assessment = evaluate(plan, frame, EVAL_YEAR)
    t_eval = time.perf_counter() - start
    rss = peak_mb()
    rows, findings = len(frame), len(assessment.findings)
    del assessment, frame
    gc.collect()
    tracemalloc.start()
    assessment = evaluate(store.plan(), store.observation_frame(), EVAL_YEAR)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del assessment
    baseline_rows = min(rows, args.baseline_rows)
    naive_frame = naive_frame_rate(store, baseline_rows) * rows
    frame = store.observation_frame()
    sample = sorted(frame["region"].unique().tolist())[: args.sample]
    start = time.perf_counter()
    calls = naive(plan, frame, EVAL_YEAR, sample)
    naive_eval = (time.perf_counter() - start) / calls * len(plan.current_indicators()) * frame["region"].nunique()
    store.dispose()
    queue.put({"rows": rows, "findings": findings, "frame": t_frame, "evaluate": t_eval, "rss": rss,
               "traced": traced, "naive_frame": naive_frame, "naive_eval": naive_eval, "baseline_rows": baseline_rows,
               "sample": len(sample)})


def time_store(url: str, queue) -> None:
    """Child process: observation_frame + evaluate once more, in a fresh process (times and its peak RSS)."""
    from planwatch.store import open_store

    store = open_store(url)
    start = time.perf_counter()
    frame = store.observation_frame()
    t_frame = time.perf_counter() - start
    plan = store.plan()
    start = time.perf_counter()
    evaluate(plan, frame, EVAL_YEAR)
    queue.put({"frame": t_frame, "evaluate": time.perf_counter() - start, "rss": peak_mb()})
    store.dispose()


def frame_floor(url: str, queue) -> None:
    """Child process: the frame's floor, the same rows read by one SELECT into numpy (bench_store's)."""
    from bench_store import frame_child

    frame_child(url, "floor", queue)



def store_backed(backend: str, args, tmp: Path) -> None:
    """Build the synthetic store on ``backend`` and print the store-backed evaluation figures."""
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'bench-evaluate.db'}"
    elif backend == "postgresql":
        name = f"pw_bench_eval_{uuid.uuid4().hex[:10]}"
        url = pg_database(name, True)
    else:
        raise SystemExit(f"未知的存储后端：{backend}（应为 sqlite 或 postgresql）")
    try:
        build = in_child(build_store, url, args)["build"]
        r = in_child(evaluate_store, url, args)
        again = [in_child(time_store, url) for _ in range(args.repeat - 1)]
        floor = in_child(frame_floor, url)
    finally:
        if name:
            pg_database(name, False)
    total, naive_total = r["frame"] + r["evaluate"], r["naive_frame"] + r["naive_eval"]
    print(f"\n[{backend}] {r['rows']:,} rows imported in {build:.1f} s (not part of the figures below)")
    print(f"  observation_frame      {r['frame']:7.2f} s  ratio {r['frame'] / floor['seconds']:.2f}× floor")
    print(f"  floor: SELECT → numpy  {floor['seconds']:7.2f} s  peak RSS {floor['peak_mb']:.0f} MB (fresh process; "
          "one SELECT of the same rows, fetchall, one array per column)")
    print(f"  evaluate               {r['evaluate']:7.2f} s  ({r['findings']:,} findings)")
    print(f"  frame + evaluate       {total:7.2f} s  peak RSS {r['rss']:.0f} MB (fresh process, its own), "
          f"traced peak {r['traced'] / 2**20:.0f} MiB")
    if again:
        runs = [r, *again]
        wholes = sorted(x["frame"] + x["evaluate"] for x in runs)
        print(f"  {len(runs)} fresh processes    frame + evaluate " + ", ".join(f"{x['frame']:.2f}+{x['evaluate']:.2f}"
              for x in runs) + f" s; median {statistics.median(wholes):.2f} s; peak RSS "
              + ", ".join(f"{x['rss']:.0f}" for x in runs) + " MB")
    print(f"  naive (extrapolated)   {naive_total:7.1f} s  = rows fetched one by one into dicts "
          f"{r['naive_frame']:.1f} s ({r['baseline_rows']:,} rows measured) + per-region loop "
          f"{r['naive_eval']:.1f} s ({r['sample']} regions measured)")
    print(f"  speed-up vs naive      {naive_total / total:7.0f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--sample", type=int, default=20, help="regions in the naive baseline's subsample")
    parser.add_argument("--baseline-rows", type=int, default=20000, help="rows the naive frame baseline fetches")
    parser.add_argument("--store", default="sqlite,postgresql", help="backends for the store-backed part, or none")
    parser.add_argument("--repeat", type=int, default=1,
                        help="fresh processes timing frame + evaluate per backend (the machine is noisy: the median)")
    args = parser.parse_args()
    in_memory(args)
    if args.store != "none":
        print(f"\nstore-backed: {args.regions} regions × {args.indicators} indicators × {len(YEARS)} years, "
              f"evaluated at {EVAL_YEAR}")
        with tempfile.TemporaryDirectory() as tmp:
            for backend in args.store.split(","):
                store_backed(backend.strip(), args, Path(tmp))


if __name__ == "__main__":
    main()
