"""Benchmark of the ingest stage on the shipped Jiaxing outline.

Prints: the time to read and split the outline into lines (the baseline), the time to ingest
it into a Plan, and the time to ingest a synthetic document ten times its size (the outline's
body, tables included, repeated ten times), each as a median of several runs, with their ratio
to the baseline and the per-line cost, so growth can be checked to stay linear.
Run: .venv/bin/python bench/bench_ingest.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from planwatch.ingest import read_plan, read_plan_text
from planwatch.ingest.document import read_document
from planwatch.planfile import plan_from_yaml, plan_to_yaml
from planwatch.samples import JIAXING_OUTLINE


def median_seconds(action, runs: int) -> float:
    """Median wall time of ``runs`` calls of ``action``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median reported)")
    parser.add_argument("--copies", type=int, default=10, help="size of the synthetic document, in outlines")
    args = parser.parse_args()

    text = JIAXING_OUTLINE.read_text(encoding="utf-8")
    big = "\n".join([text] * args.copies)
    lines, big_lines = text.count("\n") + 1, big.count("\n") + 1
    plan = read_plan(JIAXING_OUTLINE)

    baseline = median_seconds(lambda: read_document(JIAXING_OUTLINE), args.runs)
    ingest = median_seconds(lambda: read_plan(JIAXING_OUTLINE), args.runs)
    ingest_big = median_seconds(lambda: read_plan_text(big, "synthetic.txt"), max(3, args.runs // 2))
    yaml_text = plan_to_yaml(plan)
    dump = median_seconds(lambda: plan_to_yaml(plan), args.runs)
    load = median_seconds(lambda: plan_from_yaml(yaml_text), args.runs)
    big_plan = read_plan_text(big, "synthetic.txt")

    print(f"outline: {lines} lines, {len(text)} characters; synthetic: {big_lines} lines ({args.copies}×)")
    print(f"read+split outline (baseline)   {baseline * 1000:9.2f} ms")
    print(f"ingest outline                  {ingest * 1000:9.2f} ms   ratio {ingest / baseline:8.1f}× baseline"
          f"   {ingest / lines * 1e6:7.1f} µs/line")
    print(f"ingest synthetic {args.copies:>2}×             {ingest_big * 1000:9.2f} ms   ratio "
          f"{ingest_big / baseline:8.1f}× baseline   {ingest_big / big_lines * 1e6:7.1f} µs/line"
          f"   ({ingest_big / ingest:.1f}× the outline)")
    print(f"plan → YAML                     {dump * 1000:9.2f} ms   ratio {dump / baseline:8.1f}× baseline")
    print(f"YAML → plan                     {load * 1000:9.2f} ms   ratio {load / baseline:8.1f}× baseline")
    print(f"found in outline: {len(plan.indicators)} indicators, {len(plan.targets)} targets, "
          f"{len(plan.projects)} projects; in synthetic: {len(big_plan.targets)} targets, "
          f"{len(big_plan.outline)} outline nodes")


if __name__ == "__main__":
    main()
