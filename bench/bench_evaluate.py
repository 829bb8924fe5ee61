"""Benchmark of the evaluate stage: 3,000 regions × 40 indicators × 11 years, one year judged.

Prints the time and peak memory of the vectorised evaluation (columnar judgement, then Finding
objects) against a naive per-indicator × per-region Python loop over the same scalar rules, run on
a subsample and extrapolated (said in the output). Run: .venv/bin/python bench/bench_evaluate.py
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import pandas as pd

from planwatch.evaluate import evaluate
from planwatch.evaluate.assessment import _case, _classify, current_indicators, judge
from planwatch.evaluate.evidence import prepare
from planwatch.evaluate.methods import method_module
from planwatch.evaluate.rules import measure
from planwatch.evaluate.settings import EvaluationSettings
from planwatch.model import Baseline, Indicator, Plan, PlanMeta, Target

YEARS = list(range(2015, 2026))  # 11 years
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
        for ind in current_indicators(plan):
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--sample", type=int, default=20, help="regions in the naive baseline's subsample")
    args = parser.parse_args()
    plan = synthetic_plan(args.indicators)
    frame = synthetic_frame(plan, args.regions)
    print(f"frame size          : {frame.memory_usage(deep=True).sum() / 2**20:.0f} MiB")
    print(f"synthetic: {args.regions} regions × {args.indicators} indicators × {len(YEARS)} years = {len(frame):,} rows")
    settings = EvaluationSettings()

    blocks, t_cols, m_cols = timed(lambda: judge(plan, frame, 2024, method="elapsed_time", regions=None,
                                                 settings=settings), memory=True)
    n = sum(len(b.regions) for b in blocks)
    print(f"columnar judgement  : {t_cols:6.2f} s  peak {m_cols / 2**20:7.1f} MiB  ({n:,} judgements)")
    assessment, t_all, m_all = timed(lambda: evaluate(plan, frame, 2024), memory=True)
    print(f"evaluate (Findings) : {t_all:6.2f} s  peak {m_all / 2**20:7.1f} MiB  ({len(assessment.findings):,} findings)")
    counts = {k: v for k, v in assessment.counts().items() if v}
    print(f"statuses            : {counts}")
    sample = [f"R{i}" for i in range(min(args.sample, args.regions))]
    done, t_naive, _ = timed(lambda: naive(plan, frame, 2024, sample))
    per = t_naive / done
    extrapolated = per * args.regions * args.indicators
    print(f"naive loop baseline : {t_naive:6.2f} s for {done:,} indicator×region calls (subsample of {len(sample)} regions)")
    print(f"  extrapolated to all {args.regions * args.indicators:,}: {extrapolated:8.1f} s")
    print(f"speed-up vs baseline: columnar {extrapolated / t_cols:7.0f}×, with Findings {extrapolated / t_all:7.0f}×")


if __name__ == "__main__":
    main()
